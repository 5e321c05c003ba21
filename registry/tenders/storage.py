"""A tender's rows and its specification: loading them, reading the specification back from the
rows, writing a specification into them, and the ETags of the tender, its lots and selections.

The rows are the record; ``TenderSpec`` is only the API's shape of it. Reading builds the struct
field by field (nothing stored is decoded with the API's input struct), so renaming an API field
never breaks a stored tender.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, TypedDict
from uuid import UUID

import msgspec
from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry.organizations import service as organizations
from registry.organizations.schemas import Organization
from registry.problems import NotFound, PreconditionFailed, PreconditionRequired
from registry.schemas import CENT
from registry.tenders import schemas
from registry.tenders.models import Tender, TenderLot, TenderParticipant, TenderSelection
from registry.tenders.validation import Pinned


def etag(tender: Tender | schemas.TenderHead) -> str:
    """The tender's ETag: its id, the specification's revision and the participation's revision."""
    return f'"{tender.id}.{tender.revision}.{tender.participation_revision}"'


def part_etag(row: TenderLot | TenderSelection) -> str:
    return f'"{row.id}.{row.revision}"'


def check_etag(tender: Tender, if_match: str | None, *, participation: bool = False) -> None:
    """``If-Match`` must carry the tender's current specification revision (or, for invitations,
    its current participation revision): the other part of the ETag may have moved on."""
    if if_match is None:
        raise PreconditionRequired("send If-Match with the tender's ETag")
    parts = if_match.strip().strip('"').split(".")
    current = str(tender.participation_revision if participation else tender.revision)
    index = 2 if participation else 1
    if parts[0] != str(tender.id) or len(parts) <= index or parts[index] != current:
        what = "its participants" if participation else "the tender"
        raise PreconditionFailed(f"{what} changed since you read it; current ETag is {etag(tender)}", current_etag=etag(tender))


def check_part_etag(row: TenderLot | TenderSelection, if_match: str | None, what: str) -> None:
    if if_match is None:
        raise PreconditionRequired(f"send If-Match with the {what}'s ETag")
    if if_match.strip() != part_etag(row):
        raise PreconditionFailed(f"the {what} changed since you read it; current ETag is {part_etag(row)}", current_etag=part_etag(row))


Depth = Literal["selections", "lots", "tender"]
"""How much of a tender to load: everything, its lots without their selections, or its own row."""


async def load(session: AsyncSession, tender_id: UUID, *, lock: bool = False, depth: Depth = "selections") -> tuple[Tender, Organization]:
    """The tender (with its lots and selections, down to ``depth``) and its owner.

    ``lock`` takes the tender's row lock for the rest of the transaction and reads its latest
    committed state: every write to a tender, its parts, its participants or its lifecycle takes it
    first, so checks and writes are one atomic step and concurrent writers queue.
    """
    query = select(Tender).where(Tender.id == tender_id)
    if depth == "selections":
        query = query.options(selectinload(Tender.lots).selectinload(TenderLot.selections))
    elif depth == "lots":
        query = query.options(selectinload(Tender.lots))
    if lock:
        query = query.with_for_update(of=Tender).execution_options(populate_existing=True)
    tender = await session.scalar(query)
    if tender is None:
        raise NotFound(f"no tender {tender_id}")
    return tender, (await organizations.by_ids(session, {tender.owner_id}))[tender.owner_id]


async def load_lot(session: AsyncSession, tender: Tender, number: int) -> TenderLot:
    """Lot ``number`` of the tender with its selections, or NotFound."""
    lot = await session.scalar(
        select(TenderLot)
        .where(TenderLot.tender_id == tender.id, TenderLot.position == number)
        .options(selectinload(TenderLot.selections))
        .execution_options(populate_existing=True)
    )
    if lot is None:
        raise NotFound(f"the tender has no lot {number}")
    return lot


async def selection_pages(
    session: AsyncSession, tender: Tender, offsets: Mapping[int, int], size: int
) -> tuple[dict[UUID, list[TenderSelection]], dict[int, int]]:
    """A page of each lot's selections in their order, ``size`` long from the offset ``offsets`` gives its lot
    number (else from the first), and each lot's number of selections (its lots loaded)."""
    lots = {lot.id: lot.position for lot in tender.lots}
    counted = select(TenderSelection.lot_id, func.count()).where(TenderSelection.lot_id.in_(lots)).group_by(TenderSelection.lot_id)
    counts = {lots[lot_id]: count for lot_id, count in await session.execute(counted)}
    n = func.row_number().over(partition_by=TenderSelection.lot_id, order_by=TenderSelection.position).label("n")
    ranked = select(TenderSelection.id, TenderSelection.lot_id, n).where(TenderSelection.lot_id.in_(lots)).subquery()
    starts = {lot_id: offsets[number] for lot_id, number in lots.items() if offsets.get(number)}
    start = case(starts, value=ranked.c.lot_id, else_=0) if starts else literal(0)
    query = (
        select(TenderSelection)
        .join(ranked, ranked.c.id == TenderSelection.id)
        .where(ranked.c.n > start, ranked.c.n <= start + size)
        .order_by(TenderSelection.lot_id, TenderSelection.position)
    )
    shown: dict[UUID, list[TenderSelection]] = {lot_id: [] for lot_id in lots}
    for row in await session.scalars(query):
        shown[row.lot_id].append(row)
    return shown, {number: counts.get(number, 0) for number in lots.values()}


class FieldValues(TypedDict):
    """The tender's own fields as ``TenderFields`` arguments."""

    reference: str
    title: str
    description: str
    language: schemas.Language
    procedure: schemas.Procedure
    cpv_codes: list[str]
    estimated_value: Decimal | None
    currency: schemas.Currency
    contract_period: schemas.ContractPeriod
    timeline: schemas.Timeline
    contact_point: schemas.ContactPoint | None
    terms: schemas.Terms


def fields_of(tender: Tender) -> FieldValues:
    """The tender's own fields as ``TenderFields`` arguments."""
    return {
        "reference": tender.reference,
        "title": tender.title,
        "description": tender.description,
        "language": tender.language,
        "procedure": tender.procedure,
        "cpv_codes": list(tender.cpv_codes),
        "estimated_value": tender.estimated_value,
        "currency": tender.currency,
        "contract_period": schemas.ContractPeriod(tender.contract_start, tender.contract_end, tender.contract_options),
        "timeline": schemas.Timeline(tender.questions_deadline, tender.submission_deadline, tender.planned_award),
        "contact_point": schemas.ContactPoint(name=tender.contact_name, email=tender.contact_email, phone=tender.contact_phone)
        if tender.contact_name and tender.contact_email
        else None,
        "terms": msgspec.convert(tender.terms, schemas.Terms),
    }


def selection_in(row: TenderSelection) -> schemas.SelectionIn:
    return schemas.SelectionIn(
        module_key=row.module_key, module_version=row.module_version, parameters=dict(row.parameters),
        kind=row.kind, weight=row.weight, added_value=row.added_value, note=row.note,
    )  # fmt: skip


def lot_in(row: TenderLot, *, with_selections: bool = True) -> schemas.LotIn:
    return schemas.LotIn(
        title=row.title, product_categories=list(row.product_categories), price_weight=row.price_weight,
        quality_weight=row.quality_weight, selections=[selection_in(s) for s in row.selections] if with_selections else [],
        maximum=msgspec.convert(row.maximum, schemas.Maximum) if row.maximum is not None else None,
    )  # fmt: skip


def spec_of(tender: Tender) -> schemas.TenderSpec:
    """The tender's specification as the API writes it, read from its rows (lots and selections loaded)."""
    return schemas.TenderSpec(**fields_of(tender), lots=[lot_in(lot) for lot in tender.lots])


def write_fields(tender: Tender, fields: schemas.TenderFields) -> None:
    tender.reference = fields.reference
    tender.title = fields.title
    tender.description = fields.description
    tender.language = fields.language
    tender.procedure = fields.procedure
    tender.cpv_codes = list(fields.cpv_codes)
    tender.estimated_value = None if fields.estimated_value is None else fields.estimated_value.quantize(CENT)
    tender.currency = fields.currency
    tender.contract_start = fields.contract_period.start
    tender.contract_end = fields.contract_period.end
    tender.contract_options = fields.contract_period.options
    tender.questions_deadline = fields.timeline.questions_deadline
    tender.submission_deadline = fields.timeline.submission_deadline
    tender.planned_award = fields.timeline.planned_award
    contact = fields.contact_point
    tender.contact_name, tender.contact_email, tender.contact_phone = (contact.name, contact.email, contact.phone) if contact else (None, None, None)
    tender.terms = msgspec.to_builtins(fields.terms)


def new_selection(selection: schemas.SelectionIn, position: int, pinned: Pinned) -> TenderSelection:
    row = TenderSelection(position=position, module_version_id=pinned[(selection.module_key, selection.module_version)].id, revision=1)
    write_selection(row, selection, pinned)
    return row


def write_selection(row: TenderSelection, selection: schemas.SelectionIn, pinned: Pinned) -> None:
    row.module_version_id = pinned[(selection.module_key, selection.module_version)].id
    row.module_key = selection.module_key
    row.module_version = selection.module_version
    row.parameters = dict(selection.parameters)
    row.kind = selection.kind
    row.weight = selection.weight
    row.added_value = None if selection.added_value is None else selection.added_value.quantize(CENT)
    row.note = selection.note


def new_lot(lot: schemas.LotIn, position: int, pinned: Pinned) -> TenderLot:
    row = TenderLot(position=position, revision=1, selections=[new_selection(s, i, pinned) for i, s in enumerate(lot.selections, 1)])
    write_lot_fields(row, lot)
    return row


def write_lot_fields(row: TenderLot, lot: schemas.LotIn) -> None:
    row.title = lot.title
    row.product_categories = list(lot.product_categories)
    row.price_weight = lot.price_weight
    row.quality_weight = lot.quality_weight
    row.maximum = msgspec.to_builtins(lot.maximum) if lot.maximum is not None else None


def write_spec(tender: Tender, spec: schemas.TenderSpec, pinned: Pinned) -> list[TenderLot | TenderSelection]:
    """Store a whole specification: the tender's fields, its lots and selections position by position.

    Rows at positions that remain are updated in place (keeping their ids), extra positions get new
    rows, positions past the end are deleted. Returns the kept rows whose content changed: their
    revisions must move, so an ETag read before this write is stale.
    """
    write_fields(tender, spec)
    changed: list[TenderLot | TenderSelection] = []
    for position, lot in enumerate(spec.lots, 1):
        if position > len(tender.lots):
            tender.lots.append(new_lot(lot, position, pinned))
            continue
        row = tender.lots[position - 1]
        before = lot_in(row, with_selections=False)
        write_lot_fields(row, lot)
        if before != msgspec.structs.replace(lot, selections=[]):
            changed.append(row)
        changed += _write_selections(row, lot.selections, pinned)
    del tender.lots[len(spec.lots) :]
    return changed


def _write_selections(lot: TenderLot, selections: list[schemas.SelectionIn], pinned: Pinned) -> list[TenderLot | TenderSelection]:
    changed: list[TenderLot | TenderSelection] = []
    for position, selection in enumerate(selections, 1):
        if position > len(lot.selections):
            lot.selections.append(new_selection(selection, position, pinned))
        elif selection_in(lot.selections[position - 1]) != selection:
            write_selection(lot.selections[position - 1], selection, pinned)
            changed.append(lot.selections[position - 1])
    if len(lot.selections) != len(selections) and lot not in changed:
        changed.append(lot)
    del lot.selections[len(selections) :]
    return changed


def renumber(rows: Sequence[TenderLot | TenderSelection]) -> None:
    for position, row in enumerate(rows, 1):
        row.position = position


async def participation_of(session: AsyncSession, tender_id: UUID, organization_id: UUID) -> TenderParticipant | None:
    return await session.scalar(
        select(TenderParticipant).where(TenderParticipant.tender_id == tender_id, TenderParticipant.organization_id == organization_id)
    )
