"""The tender snapshot every exporter reads: plain, immutable data that the registry fills in.

Texts arrive already in the document language (the registry resolves translations and fills
parameters in); codes (kinds, procedures, statuses) stay codes and `exports.labels` names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

Language = Literal["en", "nb", "sv", "da"]
Country = Literal["NO", "SE", "DK", "FI"]
PartyKind = Literal["municipality", "federation"]
Currency = Literal["NOK", "SEK", "DKK", "EUR"]
TenderStatus = Literal["draft", "open_for_participants", "published", "closed", "awarded", "cancelled"]
Procedure = Literal["open", "restricted", "negotiated", "competitive_dialogue", "mini_competition", "dynamic_purchasing_system"]
ProcurementCategory = Literal["goods", "services"]
RequirementKind = Literal["qualification", "mandatory", "award", "contract_condition"]
Level = Literal["basic", "advanced", "spearhead"]
ReferenceKind = Literal["standard", "law", "guidance"]
Agreement = Literal["contract", "framework"]
CallOff = Literal["ranking", "mini_competition", "ranking_or_mini_competition"]
"""How a framework's contracts are called off: direct award by the ranking, a mini-competition, or either by set rules."""
QuestionsVia = Literal["submission_system", "email"]

AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True)]
Percent = Decimal  # percentage points, 0-100 (msgspec has no bounds for Decimal; the registry checks)


class _Snapshot(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every snapshot struct: immutable and strict on decode. (msgspec applies `kw_only`
    per class, so each struct states it; each states `frozen` too, which type checkers do not
    inherit.)"""


class Party(_Snapshot, frozen=True, kw_only=True):
    id: str
    name: str
    country: Country
    org_number: str
    kind: PartyKind


class Volume(_Snapshot, frozen=True, kw_only=True):
    """A participant's estimated quantity for one lot; `unit` is a label in the document language."""

    lot_id: str
    quantity: Annotated[int, msgspec.Meta(ge=0)]
    unit: str


class Participant(_Snapshot, frozen=True, kw_only=True):
    """A participating municipality: no personal details, only the organization and its mandate."""

    party: Party
    mandate_date: date | None = None
    volumes: tuple[Volume, ...] = ()

    def quantities(self) -> dict[str, dict[str, int]]:
        """Estimated quantities by lot id and unit."""
        return sum_volumes(self.volumes)


class Money(_Snapshot, frozen=True, kw_only=True):
    amount: Decimal
    currency: Currency


class ScaleStep(_Snapshot, frozen=True, kw_only=True):
    """One step of an award criterion's scoring scale: the points and what earns them."""

    points: int
    descriptor: str


class Requirement(_Snapshot, frozen=True, kw_only=True):
    """One requirement selection of a lot, rendered: parameters filled in, texts translated.

    `weight` (award criteria only) is in percentage points of the lot's total score, so the award
    weights of a lot add up to its `quality_weight`.
    """

    id: str
    module_key: str
    module_version: int
    category_key: str
    category_label: str
    kind: RequirementKind
    level: Level | None = None
    title: str
    statement: str
    rationale: str = ""
    verification_documents: tuple[str, ...] = ()
    verification: str = ""
    weight: Percent | None = None
    added_value: Money | None = None
    """Instead of a weight (the added-value model): the amount each point deducts from the tendered price."""
    scoring_guidance: str = ""
    scale: tuple[ScaleStep, ...] = ()
    """The award criterion's scoring scale, from 0 points up."""
    buyer_note: str = ""


class Maximum(_Snapshot, frozen=True, kw_only=True):
    """The most a framework lot may call off over its whole term: a value, a quantity of a unit, or both."""

    value: Money | None = None
    quantity: int | None = None
    unit: str = ""


class Lot(_Snapshot, frozen=True, kw_only=True):
    """A lot; `product_categories` are labels, `cpv_codes` (if any) refine the tender's codes."""

    id: str
    number: int
    title: str
    description: str = ""
    product_categories: tuple[str, ...] = ()
    cpv_codes: tuple[str, ...] = ()
    price_weight: Percent
    quality_weight: Percent
    requirements: tuple[Requirement, ...] = ()
    maximum: Maximum | None = None


class Reference(_Snapshot, frozen=True, kw_only=True):
    kind: ReferenceKind
    identifier: str
    title: str
    year: int | None = None
    clause: str = ""


class Amendment(_Snapshot, frozen=True, kw_only=True):
    number: int
    date: AwareDatetime
    summary: str
    reason: str


class ContractPeriod(_Snapshot, frozen=True, kw_only=True):
    start: date
    end: date
    options: str = ""


class Timeline(_Snapshot, frozen=True, kw_only=True):
    published_at: AwareDatetime | None = None
    questions_deadline: AwareDatetime
    submission_deadline: AwareDatetime
    planned_award: date | None = None


class ContactPoint(_Snapshot, frozen=True, kw_only=True):
    """The tender's one published point of contact for questions (a name or a function)."""

    name: str
    email: str
    phone: str = ""


class Framework(_Snapshot, frozen=True, kw_only=True):
    suppliers: Annotated[int, msgspec.Meta(ge=1)]
    """How many suppliers the framework agreement is concluded with (per lot)."""
    call_off: CallOff


class Options(_Snapshot, frozen=True, kw_only=True):
    """Options to extend the contract: ``count`` periods of ``months`` each, at the buyer's choice."""

    count: Annotated[int, msgspec.Meta(ge=1)]
    months: Annotated[int, msgspec.Meta(ge=1)]


class Submission(_Snapshot, frozen=True, kw_only=True):
    """The e-tendering system tenders are submitted through."""

    system: str
    url: str


class Terms(_Snapshot, frozen=True, kw_only=True):
    """What the tender says of the agreement, the bids and the procedure besides its requirements."""

    agreement: Agreement = "contract"
    framework: Framework | None = None
    options: Options | None = None
    duration_justification: str = ""
    """Why a framework runs longer than four years, options included (empty when it does not)."""
    validity_days: int | None = None
    """How long a tender stays binding after the submission deadline."""
    lots_per_bid: int | None = None
    """The most lots one supplier may bid for; None: any number."""
    max_lots_awarded: int | None = None
    """The most lots one supplier may be awarded; None: no limit."""
    variants: bool = False
    reservations: bool = False
    """Whether a tender may carry reservations against the contract conditions."""
    submission: Submission | None = None
    questions_via: QuestionsVia = "submission_system"
    espd: bool = True
    labour_clauses: bool = False


class Ground(_Snapshot, frozen=True, kw_only=True):
    """One discretionary exclusion ground the buyer applies, in the document language."""

    key: str
    text: str


class Law(_Snapshot, frozen=True, kw_only=True):
    """The lead buyer's country's procurement rules as the documents state them, in the document language."""

    country: Country
    procurement_act: str
    espd: str
    mandatory_exclusion: str
    discretionary_exclusion: tuple[Ground, ...] = ()
    labour_clauses: str = ""
    """The country's labour clause text; empty when the tender carries none."""
    standstill_days: int
    standstill: str
    review_body: str
    review_body_url: str
    public_access: str


class Tender(_Snapshot, frozen=True, kw_only=True):
    id: str
    reference: str
    title: str
    description: str
    document_version: Annotated[int, msgspec.Meta(ge=1)]
    status: TenderStatus
    procedure: Procedure
    main_category: ProcurementCategory = "goods"
    cpv_codes: tuple[str, ...] = ()
    estimated_value: Money | None = None
    contract: ContractPeriod
    timeline: Timeline
    contact: ContactPoint | None = None
    score_max: Annotated[int, msgspec.Meta(ge=1)] = 10
    terms: Terms = msgspec.field(default_factory=Terms)


class Links(_Snapshot, frozen=True, kw_only=True):
    """Where the registry publishes the package and the two documents (used by the OCDS export)."""

    package: str
    tender_docx: str
    response_form_xlsx: str
    contract_annex_docx: str = ""
    document_set_zip: str = ""
    """The ZIP of every document (empty in documents published before it existed)."""


class TenderDocument(_Snapshot, frozen=True, kw_only=True):
    """Everything one export of a tender needs. `generated_at` is the only clock the exporters read;
    `timezone` (an IANA name) is how deadlines are shown in the documents."""

    language: Language
    generated_at: AwareDatetime
    timezone: str
    draft: bool
    ocid: str
    publisher: str
    links: Links
    tender: Tender
    lead_buyer: Party
    participants: tuple[Participant, ...] = ()
    lots: tuple[Lot, ...] = ()
    references: tuple[Reference, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    law: Law | None = None
    """None in documents published before the registry stated the law."""
    fallbacks: tuple[str, ...] = ()
    """Texts shown in English because the document language had no translation."""

    def total_quantities(self) -> dict[str, dict[str, int]]:
        """All participants' estimated quantities by lot id and unit."""
        return sum_volumes(volume for participant in self.participants for volume in participant.volumes)


def sum_volumes(volumes: Iterable[Volume]) -> dict[str, dict[str, int]]:
    """Quantities added up by lot id and unit (a lot may be counted in several units)."""
    totals: dict[str, dict[str, int]] = {}
    for volume in volumes:
        by_unit = totals.setdefault(volume.lot_id, {})
        by_unit[volume.unit] = by_unit.get(volume.unit, 0) + volume.quantity
    return totals
