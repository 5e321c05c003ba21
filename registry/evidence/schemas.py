from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from registry.requirements.content import LangText, ModuleKey, VersionNumber, VocabularyKey
from registry.schemas import Figure, Line, Text, named_pattern

MdrClass = Literal["none", "I", "IIa", "IIb", "III"]
EvidenceType = Literal[
    "study",
    "qualitative_study",
    "benefit_realisation_report",
    "user_survey",
    "usability_report",
    "accessibility_report",
    "certificate",
    "test_report",
    "environmental_documentation",
    "dpia",
    "data_processing_agreement",
    "declaration",
]
"""Evidence item types; each is a ``document_types`` key of the library catalogue, the vocabulary evidence rules use."""
Country = Literal["NO", "SE", "DK", "FI", "other"]
Visibility = Literal["public", "buyers", "confidential"]
ReviewOutcome = Literal["accepted", "rejected", "clarification_needed"]
ReviewState = Literal["unreviewed", "accepted", "rejected", "clarification_needed"]
PUBLICATION_PATTERN = named_pattern(r"^(10\.\d{4,9}/\S+|https?://\S+)$", "a DOI such as 10.1234/abc, or an http(s) URL")
PublicationRef = Annotated[str, msgspec.Meta(max_length=500, pattern=PUBLICATION_PATTERN)]
"""A DOI (``10.1234/abc``) or an http(s) URL."""
Categories = Annotated[list[VocabularyKey], msgspec.Meta(min_length=1, max_length=8)]


class ProductCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A product of the caller's supplier organization."""

    name: Line
    model: Line
    """Model and version, e.g. ``Safe@Home 4 (firmware 4.2)``."""
    categories: Categories
    """Product category keys of the library catalogue."""
    ce_marked: bool = False
    """The product carries the CE mark."""
    mdr_class: MdrClass = "none"
    """Medical-device class under the MDR; anything but ``none`` needs ``ce_marked``."""
    description: Text | None = None


class ProductUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change to a product: fields not given keep their value."""

    name: Line | msgspec.UnsetType = msgspec.UNSET
    model: Line | msgspec.UnsetType = msgspec.UNSET
    categories: Categories | msgspec.UnsetType = msgspec.UNSET
    ce_marked: bool | msgspec.UnsetType = msgspec.UNSET
    mdr_class: MdrClass | msgspec.UnsetType = msgspec.UNSET
    description: Text | None | msgspec.UnsetType = msgspec.UNSET


class Product(msgspec.Struct):
    id: UUID
    supplier_id: UUID
    name: str
    model: str
    categories: list[str]
    ce_marked: bool
    mdr_class: MdrClass
    description: str | None
    created_at: datetime
    updated_at: datetime


class Outcome(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    domain: VocabularyKey
    """An ``outcome_domains`` key of the library catalogue."""
    measure: Line
    """What was measured, e.g. ``Falls per 1000 days``."""
    result: Figure
    """The measured value with the product in use."""
    sample_size: Annotated[int, msgspec.Meta(ge=1, le=100_000_000)]
    """How many people the result is measured on."""
    baseline: Figure | None = None
    """The value before, or without, the product."""
    unit: Line | None = None
    period: Line | None = None
    """How long the outcome was measured over, e.g. ``12 months``."""
    comparator: Line | None = None
    """What the result is compared with, e.g. ``usual care``."""


class Setting(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Where the evidence was gathered."""

    country: Country | None = None
    municipalities: Annotated[list[Line], msgspec.Meta(max_length=100)] = []
    care_setting: Line | None = None
    """E.g. ``home care``, ``nursing home``."""


Outcomes = Annotated[list[Outcome], msgspec.Meta(max_length=50)]
ModuleKeys = Annotated[list[ModuleKey], msgspec.Meta(max_length=50)]
TenderIds = Annotated[list[UUID], msgspec.Meta(max_length=50)]


class EvidenceCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An evidence item for one of the supplier's products: a study, report, survey, certificate or declaration."""

    type: EvidenceType
    title: Line
    summary: Text | None = None
    """What was done and found, in a few sentences."""
    study_design: VocabularyKey | None = None
    """A ``study_designs`` key of the library catalogue."""
    outcomes: Outcomes = []
    """The measured effects, one per outcome domain and measure."""
    setting: Setting | None = None
    period_start: date | None = None
    """When the study began."""
    period_end: date | None = None
    """When the study ended; the age rules count from it."""
    funding: Line | None = None
    """Who paid for the study."""
    independent: bool = False
    """Carried out and funded independently of the supplier."""
    publication: PublicationRef | None = None
    """Where the study or report is published."""
    issuer: Line | None = None
    """For certificates: the body that issued it."""
    standard: Line | None = None
    """For certificates and test reports, e.g. ``ISO/IEC 27001:2022``."""
    valid_from: date | None = None
    """For certificates: the first day of validity."""
    valid_until: date | None = None
    """For certificates: the last day of validity; evidence rules may ask for validity at a tender's submission deadline."""
    module_keys: ModuleKeys = []
    """Requirement modules this item claims to satisfy."""
    visibility: Visibility = "buyers"
    """``public``: everyone with a token; ``buyers``: procurement officers, federation coordinators and library
    editors; ``confidential``: the buyers of the tenders in ``tender_ids``, through those tenders. The supplier always."""
    tender_ids: TenderIds = []
    """For ``confidential`` items: the tenders whose buyers may see it."""


class EvidenceUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change to an evidence item: fields not given keep their value."""

    type: EvidenceType | msgspec.UnsetType = msgspec.UNSET
    title: Line | msgspec.UnsetType = msgspec.UNSET
    summary: Text | None | msgspec.UnsetType = msgspec.UNSET
    study_design: VocabularyKey | None | msgspec.UnsetType = msgspec.UNSET
    outcomes: Outcomes | msgspec.UnsetType = msgspec.UNSET
    setting: Setting | None | msgspec.UnsetType = msgspec.UNSET
    period_start: date | None | msgspec.UnsetType = msgspec.UNSET
    period_end: date | None | msgspec.UnsetType = msgspec.UNSET
    funding: Line | None | msgspec.UnsetType = msgspec.UNSET
    independent: bool | msgspec.UnsetType = msgspec.UNSET
    publication: PublicationRef | None | msgspec.UnsetType = msgspec.UNSET
    issuer: Line | None | msgspec.UnsetType = msgspec.UNSET
    standard: Line | None | msgspec.UnsetType = msgspec.UNSET
    valid_from: date | None | msgspec.UnsetType = msgspec.UNSET
    valid_until: date | None | msgspec.UnsetType = msgspec.UNSET
    module_keys: ModuleKeys | msgspec.UnsetType = msgspec.UNSET
    visibility: Visibility | msgspec.UnsetType = msgspec.UNSET
    tender_ids: TenderIds | msgspec.UnsetType = msgspec.UNSET


class Review(msgspec.Struct):
    id: UUID
    kind: Literal["review", "reset"]
    """``reset``: the supplier edited the item, so earlier reviews no longer apply."""
    outcome: ReviewState
    comment: str | None
    user_id: UUID | None
    organization_id: UUID | None
    """The reviewer's organization (for a reset, the supplier)."""
    organization_name: str | None
    registry_level: bool
    """Written by a library editor for the whole registry: it applies everywhere."""
    applies: bool
    """Counts in the ``review_state`` shown with it: a registry-level review, or one by the caller's
    organization (by the tender's buyers for evidence shown through a tender), made since the latest
    reset. Other reviews are information."""
    at: datetime


class ReviewCreate(msgspec.Struct, forbid_unknown_fields=True):
    outcome: ReviewOutcome
    comment: Text | None = None
    """Required unless the outcome is ``accepted``."""


class Attachment(msgspec.Struct):
    id: UUID
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class EvidenceItem(msgspec.Struct, kw_only=True):
    id: UUID
    product_id: UUID
    supplier_id: UUID
    type: EvidenceType
    title: str
    summary: str | None
    study_design: str | None
    outcomes: list[Outcome]
    setting: Setting | None
    period_start: date | None
    period_end: date | None
    funding: str | None
    independent: bool
    publication: str | None
    issuer: str | None
    standard: str | None
    valid_from: date | None
    valid_until: date | None
    module_keys: list[str]
    visibility: Visibility
    tender_ids: list[UUID]
    review_state: ReviewState | None
    """The outcome of the latest review that applies for the caller (see ``Review.applies``), else
    ``unreviewed``; None for callers who may not see reviews (other suppliers)."""
    reviews: list[Review]
    attachments: list[Attachment]
    created_at: datetime
    updated_at: datetime


class ModuleRef(msgspec.Struct, forbid_unknown_fields=True):
    key: ModuleKey
    version: VersionNumber
    parameters: Annotated[dict[str, Any], msgspec.Meta(max_length=100)] = {}
    """The buyer's parameter values, as a tender selection sets them; parameters not given take their
    default. The rule's values that reference a parameter are judged with them."""


class FitRequest(msgspec.Struct, forbid_unknown_fields=True):
    modules: Annotated[list[ModuleRef], msgspec.Meta(min_length=1, max_length=50)]
    """Module versions to judge, each with the parameter values to judge it with."""
    submission_deadline: date | None = None
    """The date certificate validity and evidence age are judged at; today when not given."""


class ItemRef(msgspec.Struct):
    id: UUID
    title: str
    type: str
    review_state: str
    """As it applies where the fit is judged: the latest review by the caller's organization (for a
    tender, by its buyers) or a registry-level one."""
    unreviewed: bool
    claimed: bool
    """The item lists this module among those it claims to satisfy."""


class Day(msgspec.Struct, frozen=True, tag_field="kind", tag="date"):
    """A date in a reason: shown as the reader's language writes dates."""

    date: date


class VocabularyTerms(msgspec.Struct, frozen=True, tag_field="kind", tag="terms"):
    """Keys of a library catalogue vocabulary in a reason: shown by their labels, in the reader's language."""

    vocabulary: Literal["study_designs", "outcome_domains", "document_types"]
    keys: list[str]
    any: bool = True
    """Any one of them (said joined by "or"), else a list of them all (joined by commas)."""


class Explanation(msgspec.Struct, frozen=True, tag_field="kind", tag="explanation"):
    """A reason as a message and its values, to say it in any language: ``message`` is an English gettext message
    with ``%(name)s`` placeholders (the interface's catalogs translate it), ``values`` fill them in."""

    message: str
    values: dict[str, str | int | Day | VocabularyTerms | Explanation] = {}
    """Each placeholder's value: a text, a whole number, or an object by its ``kind``: a ``date``, vocabulary
    ``terms``, or an ``explanation`` (a part of the sentence, said on its own)."""
    plural: str | None = None
    """The message's plural form, said when the value ``n`` is not 1 (in languages with other plural rules, by theirs)."""


class ClauseFit(msgspec.Struct):
    clause: str
    """The evidence-rule field, e.g. ``min_study_design``."""
    requirement: Any
    """The rule's value for it."""
    met: bool
    items: list[ItemRef]
    """Items that satisfy this clause on their own."""
    reason: str | None
    """Why not, when not met."""
    parameter: str | None = None
    """The module parameter the requirement is the value of, when it comes from one."""
    explanation: Explanation | None = None
    """``reason`` as a message and its values, to say it in another language."""


class ModuleFit(msgspec.Struct):
    key: str
    version: int
    title: LangText
    met: bool
    qualifying: list[ItemRef]
    """Items that satisfy every clause at once: the rule is met when there is at least one."""
    reason: str | None
    """Why not, when not met: which clauses fail, or that no single item meets them all."""
    clauses: list[ClauseFit]
    parameters: dict[str, Any] = {}
    """The version's parameter values the rule was judged with: those given, else the defaults."""
    explanation: Explanation | None = None
    """``reason`` as a message and its values, to say it in another language."""


class FitReport(msgspec.Struct):
    product_id: UUID
    reference_date: date
    met: bool
    modules: list[ModuleFit]
