from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from registry.evidence.schemas import FitReport, ModuleRef
from registry.problems import FieldError
from registry.requirements.content import Kind, ModuleKey, VersionNumber
from registry.schemas import FILLED_TEXT_PATTERN, LINE_PATTERN, PHONE_PATTERN, SELECTION_LABEL_PATTERN, Email, Line, Money, Text, Url, named_pattern

Language = Literal["en", "nb", "sv", "da"]
Procedure = Literal["open", "restricted", "negotiated", "competitive_dialogue", "mini_competition", "dynamic_purchasing_system"]
ExportFormat = Literal["docx", "annex", "xlsx", "ocds", "package"]
Action = Literal["open-for-participants", "publish", "close", "award", "cancel"]
Status = Literal["draft", "open_for_participants", "published", "closed", "awarded", "cancelled"]
Weight = Annotated[float, msgspec.Meta(ge=0, le=100)]
Currency = Literal["NOK", "SEK", "DKK", "EUR"]
ParticipantStatus = Literal["invited", "confirmed", "declined"]
Cpv = Annotated[str, msgspec.Meta(max_length=12)]
MAX_LOTS = 50
MAX_INVITED = 400
"""Municipalities invited in one call."""
Agreement = Literal["contract", "framework"]
CallOff = Literal["ranking", "mini_competition", "ranking_or_mini_competition"]
GROUND_KEY_PATTERN = named_pattern(r"^[a-z][a-z0-9_]{1,40}$", "a key of lowercase letters, digits and underscores, such as insolvency")
GroundKey = Annotated[str, msgspec.Meta(pattern=GROUND_KEY_PATTERN)]


Instant = Annotated[datetime, msgspec.Meta(tz=True)]


class Timeline(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Times in ISO 8601 with a UTC offset."""

    questions_deadline: Instant | None = None
    submission_deadline: Instant | None = None
    planned_award: Instant | None = None


class ContractPeriod(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    start: date | None = None
    end: date | None = None
    options: Line | None = None
    """Extension options in words, e.g. "2 + 1 + 1 years"."""


class Framework(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A framework agreement: with how many suppliers per lot, and how contracts are called off under it."""

    suppliers: Annotated[int, msgspec.Meta(ge=1, le=50)]
    call_off: CallOff
    """``ranking``: direct award to the best-ranked supplier able to deliver; ``mini_competition``: a renewed
    competition among the framework's suppliers; ``ranking_or_mini_competition``: either, by rules the documents state."""


class Options(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Options to extend the contract beyond its end date: ``count`` periods of ``months`` each."""

    count: Annotated[int, msgspec.Meta(ge=1, le=10)]
    months: Annotated[int, msgspec.Meta(ge=1, le=60)]


class Submission(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The e-tendering system through which tenders are submitted (and, unless by email, questions asked)."""

    system: Line
    url: Url


class Terms(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """What the tender says of the agreement, the bids and the procedure besides its requirements."""

    main_category: Literal["goods", "services"] = "goods"
    """What is mainly bought: goods (with services around them) or services."""
    agreement: Agreement = "contract"
    framework: Framework | None = None
    """Required for a framework agreement; each of its lots then states a maximum (``lots[].maximum``)."""
    options: Options | None = None
    duration_justification: Text | None = None
    """Why a framework agreement runs longer than four years, options included; needed to publish one that does."""
    validity_days: Annotated[int, msgspec.Meta(ge=1, le=365)] | None = None
    """How many days a tender stays binding after the submission deadline; needed to publish."""
    lots_per_bid: Annotated[int, msgspec.Meta(ge=1, le=MAX_LOTS)] | None = None
    """The most lots one supplier may bid for; left out: any number."""
    max_lots_awarded: Annotated[int, msgspec.Meta(ge=1, le=MAX_LOTS)] | None = None
    """The most lots one supplier may be awarded; left out: no limit."""
    variants: bool = False
    reservations: bool = False
    """Whether a tender may carry reservations against the contract conditions."""
    submission: Submission | None = None
    """Needed to publish."""
    questions_via: Literal["submission_system", "email"] = "submission_system"
    espd: bool = True
    """Suppliers answer the exclusion grounds and qualification requirements with the ESPD."""
    discretionary_grounds: Annotated[list[GroundKey], msgspec.Meta(max_length=20)] | None = None
    """Keys of the discretionary exclusion grounds of the lead buyer's country (GET /api/v1/law/{country}) that apply;
    left out: all of them."""
    labour_clauses: bool = False
    """The contract carries the country's labour clauses on pay and working conditions."""


class Maximum(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """The most a framework lot may call off over its whole term: a value, a quantity of a unit, or both."""

    value: Money | None = None
    quantity: Annotated[int, msgspec.Meta(ge=1, le=1_000_000_000)] | None = None
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=LINE_PATTERN)] | None = None


class SelectionIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A requirement module pinned to one of its published versions, with the tender's parameter values."""

    module_key: ModuleKey
    module_version: VersionNumber
    """A published version of the module; it never changes once pinned."""
    parameters: dict[str, Any] = {}
    """Values for the version's parameters by name, within their bounds; left out ones take their defaults."""
    kind: Kind | None = None
    """Overrides the module's kind, between mandatory and award only."""
    weight: Weight | None = None
    """Points of the quality share, for award criteria."""
    added_value: Money | None = None
    """Instead of a weight, for an award criterion scored by the added-value model: the amount (in the
    tender's currency) that each point on the criterion's scale deducts from the tendered price."""
    note: Text | None = None
    """The buyer's note to suppliers, shown under the requirement."""


class LotIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A lot: what is bought in it, how price and quality are weighed, and the requirements it pins."""

    title: Line
    product_categories: Annotated[list[Line], msgspec.Meta(max_length=20)] = []
    """Keys of the library catalogue's product categories (GET /api/v1/catalogue)."""
    price_weight: Weight = 40
    """Percentage points of the score given to price; with quality_weight it makes 100."""
    quality_weight: Weight = 60
    """Percentage points given to quality; the lot's award criteria's weights add up to it."""
    selections: Annotated[list[SelectionIn], msgspec.Meta(max_length=2000)] = []
    """Requirement modules pinned to published versions, in the order the documents show them."""
    maximum: Maximum | None = None
    """For a framework agreement: the most this lot may call off."""


Reference = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=LINE_PATTERN)]
FilledText = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=FILLED_TEXT_PATTERN)]
Phone = Annotated[str, msgspec.Meta(max_length=32, pattern=PHONE_PATTERN)]


class ContactPoint(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """Where suppliers send questions: a name or a function (not a private person's details), an email, a phone."""

    name: Line
    email: Email
    phone: Phone | None = None


class TenderFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The tender's own fields: everything but its lots."""

    reference: Reference
    """The buyer's own case reference, unique among its tenders (e.g. VTF-2027-01)."""
    title: Line
    description: Text = ""
    """The need and the scope, in the document language."""
    language: Language = "en"
    """The language of the tender documents: requirement texts are rendered in it."""
    procedure: Procedure = "open"
    cpv_codes: Annotated[list[Cpv], msgspec.Meta(max_length=20)] = []
    """Common Procurement Vocabulary codes with their check digit, e.g. 33196200-2; the first is the main one."""
    estimated_value: Money | None = None
    """Estimated total contract value, excluding VAT."""
    currency: Currency = "EUR"
    contract_period: ContractPeriod = msgspec.field(default_factory=ContractPeriod)
    """The contract's start and end dates and its extension options in words."""
    timeline: Timeline = msgspec.field(default_factory=Timeline)
    """Questions deadline, submission deadline and planned award, each with a UTC offset."""
    contact_point: ContactPoint | None = None
    """Published in the tender documents; required to publish."""
    terms: Terms = msgspec.field(default_factory=Terms)
    """The agreement, options, bids, submission, ESPD, exclusion grounds and labour clauses."""


class TenderSpec(TenderFields, kw_only=True):
    """Everything the owner writes about a tender; PUT replaces it as a whole."""

    lots: Annotated[list[LotIn], msgspec.Meta(max_length=MAX_LOTS)] = []


class TenderFieldsUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change of some of the tender's own fields (PATCH); what is left out stays as it is."""

    reference: Reference | UnsetType = UNSET
    title: Line | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    procedure: Procedure | UnsetType = UNSET
    cpv_codes: Annotated[list[Cpv], msgspec.Meta(max_length=20)] | UnsetType = UNSET
    estimated_value: Money | None | UnsetType = UNSET
    currency: Currency | UnsetType = UNSET
    contract_period: ContractPeriod | UnsetType = UNSET
    timeline: Timeline | UnsetType = UNSET
    contact_point: ContactPoint | None | UnsetType = UNSET
    terms: Terms | UnsetType = UNSET


class NewLot(LotIn, kw_only=True):
    position: Annotated[int, msgspec.Meta(ge=1, le=MAX_LOTS)] | None = None
    """Where the lot goes (1 is first); the end when left out."""


class LotUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change of a lot's own fields or its place (PATCH); its selections are edited one by one."""

    title: Line | UnsetType = UNSET
    product_categories: Annotated[list[Line], msgspec.Meta(max_length=20)] | UnsetType = UNSET
    price_weight: Weight | UnsetType = UNSET
    quality_weight: Weight | UnsetType = UNSET
    maximum: Maximum | None | UnsetType = UNSET
    position: Annotated[int, msgspec.Meta(ge=1, le=MAX_LOTS)] | UnsetType = UNSET


class NewSelection(SelectionIn, kw_only=True):
    position: Annotated[int, msgspec.Meta(ge=1, le=2000)] | None = None
    """Where the selection goes in its lot (1 is first); the end when left out."""


class SelectionUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A change of one selection (PATCH): another published version, parameter values, kind, weight or added value, note or place."""

    module_version: VersionNumber | UnsetType = UNSET
    parameters: dict[str, Any] | UnsetType = UNSET
    kind: Kind | None | UnsetType = UNSET
    weight: Weight | None | UnsetType = UNSET
    added_value: Money | None | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET
    position: Annotated[int, msgspec.Meta(ge=1, le=2000)] | UnsetType = UNSET


class Selection(SelectionIn, kw_only=True, omit_defaults=False):
    id: UUID
    etag: str
    """Send it as If-Match to change, move or remove this selection."""
    position: int
    module_kind: Kind
    """The module's own kind; ``kind`` is what the tender uses."""
    newer_version: int | None = None
    """A newer published version of the module exists."""


class Lot(msgspec.Struct, kw_only=True):
    id: UUID
    etag: str
    """Send it as If-Match to change, move or remove this lot, or to add a selection to it."""
    number: int
    title: str
    product_categories: list[str]
    price_weight: float
    quality_weight: float
    maximum: Maximum | None
    selections: list[Selection]


class LotVolume(msgspec.Struct, forbid_unknown_fields=True):
    lot: Annotated[int, msgspec.Meta(ge=1, le=MAX_LOTS)]
    quantity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000)]
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=LINE_PATTERN)]


class Participation(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A municipality's answer to an invitation."""

    decision: Literal["confirmed", "declined"]
    contact_name: Line | None = None
    contact_email: Email | None = None
    mandate: bool = False
    """The municipality has decided to let the lead buyer procure on its behalf."""
    mandate_decision_date: date | None = None
    volumes: Annotated[list[LotVolume], msgspec.Meta(max_length=MAX_LOTS)] = []


class Participant(msgspec.Struct, kw_only=True):
    organization_id: UUID
    name: str
    status: ParticipantStatus
    contact_name: str | None
    contact_email: str | None
    mandate: bool
    mandate_decision_date: date | None
    volumes: list[LotVolume]
    responded_at: datetime | None


class ParticipationSummary(msgspec.Struct, kw_only=True):
    """How the invited municipalities answered, in numbers (``GET /tenders/{id}/participants`` lists them)."""

    invited: int
    """Invited and not answered yet."""
    confirmed: int
    declined: int
    own: Participant | None
    """The participation of the caller's own municipality, if it is invited."""


class Invitation(msgspec.Struct, forbid_unknown_fields=True):
    organization_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=MAX_INVITED)]


class AggregateVolume(msgspec.Struct):
    lot: int
    unit: str
    quantity: int
    participants: int


class Transition(msgspec.Struct):
    at: datetime
    action: str
    from_status: str | None
    to_status: str
    actor_user_id: UUID | None
    warnings: list[FieldError] = []
    """Of a publication: what the check found worth a second look without stopping it."""


class PublicationCheck(msgspec.Struct):
    """What publication would say now: ``errors`` stop it, ``warnings`` do not."""

    publishable: bool
    errors: list[FieldError]
    warnings: list[FieldError]


class AmendmentIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    summary: FilledText
    """What changed, in words."""
    reason: FilledText
    description: Text | None = None
    timeline: Timeline | None = None
    lots: Annotated[list[LotIn], msgspec.Meta(max_length=50)] | None = None


class Amendment(msgspec.Struct, kw_only=True):
    number: int
    document_version: int
    summary: str
    reason: str
    changed: list[str]
    created_at: datetime


class TenderHead(TenderFields, kw_only=True):
    """The tender's own fields and state, without its lots, participants and history."""

    id: UUID
    owner_id: UUID
    owner_name: str
    owner_kind: str
    status: Status
    document_version: int
    revision: int
    """Moves with every change of the specification (fields, lots, selections) and lifecycle step."""
    participation_revision: int
    """Moves with every invitation and answer."""


class Tender(TenderHead, kw_only=True):
    joint: bool
    lots: list[Lot]
    participation: ParticipationSummary
    volumes: list[AggregateVolume]
    amendments: list[Amendment]
    history: list[Transition]
    published_at: datetime | None
    created_at: datetime


class TenderSummary(msgspec.Struct, kw_only=True):
    id: UUID
    reference: str
    title: str
    owner_id: UUID
    owner_name: str
    status: Status
    language: Language
    submission_deadline: datetime | None
    lots: int


class UpgradeRequest(msgspec.Struct, forbid_unknown_fields=True):
    selections: list[Annotated[str, msgspec.Meta(pattern=SELECTION_LABEL_PATTERN)]] | None = None
    """``"lot.position"`` pairs to upgrade, e.g. ``["1.3"]``; omit to upgrade every outdated selection."""


class ProductFit(msgspec.Struct):
    product_id: UUID
    name: str
    model: str
    supplier_id: UUID
    report: FitReport


class LotEvidence(msgspec.Struct):
    lot: int
    modules: list[ModuleRef]
    """The lot's selections that carry an evidence rule (key and pinned version)."""
    products: list[ProductFit]
    """Products in the lot's categories, those meeting most rules first."""
