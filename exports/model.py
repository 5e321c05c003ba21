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
Procedure = Literal[
    "open", "restricted", "negotiated", "competitive_dialogue", "mini_competition", "dynamic_purchasing_system"
]
ProcurementCategory = Literal["goods", "services"]
RequirementKind = Literal["qualification", "mandatory", "award", "contract_condition"]
Level = Literal["basic", "advanced", "spearhead"]
ReferenceKind = Literal["standard", "law", "guidance"]

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


class Links(_Snapshot, frozen=True, kw_only=True):
    """Where the registry publishes the package and the two documents (used by the OCDS export)."""

    package: str
    tender_docx: str
    response_form_xlsx: str


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
