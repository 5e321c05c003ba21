"""Editing a tender one part at a time: a lot, or one requirement selection (add, change, move, remove).

Each part carries its own ETag. Adding a lot needs the tender's; changing, moving or removing a lot,
or adding a selection to it, needs the lot's; changing, moving or removing a selection needs the
selection's. Only the part is validated and written, and every edit also moves the tender's
specification revision. All of them take the tender's row lock first.
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.principal import Principal
from registry.db.revisions import bump_revision
from registry.problems import NotFound, RuleViolation
from registry.requirements import service as library
from registry.schemas import given_fields
from registry.tenders import schemas, storage, views
from registry.tenders.models import Tender, TenderLot, TenderParticipant, TenderSelection
from registry.tenders.service import editable, lead_tender, lot_at, owned_tender, pin, product_categories, visible_tender
from registry.tenders.validation import FieldError, lot_errors, lot_field_errors, selection_errors, twice


def _refuse(what: str, errors: list[FieldError]) -> None:
    if errors:
        raise RuleViolation(f"the {what} has problems", errors=errors)


def _place(rows: list, row: object, position: int | None) -> None:
    """Put ``row`` at ``position`` (1-based; the end when None or past it) and renumber."""
    index = len(rows) if position is None else min(position - 1, len(rows))
    rows.insert(index, row)
    storage.renumber(rows)


async def _follow_lots(session: AsyncSession, tender: Tender, before: dict[int, TenderLot]) -> None:
    """Participants give their volumes by lot number: once lots were added, moved or removed, each
    volume follows its lot to the lot's new number, and the volumes of a removed lot go with it, so no
    volume is counted for another lot or lost to a number no lot has."""
    numbers = {old: (lot.position if lot in tender.lots else None) for old, lot in before.items()}
    if all(old == new for old, new in numbers.items()):
        return
    for participant in await session.scalars(select(TenderParticipant).where(TenderParticipant.tender_id == tender.id)):
        moved = [volume | {"lot": numbers[volume["lot"]]} if volume["lot"] in numbers else volume for volume in participant.volumes]
        participant.volumes = [volume for volume in moved if volume["lot"] is not None]


async def _editable(session: AsyncSession, actor: Principal, tender_id: UUID, depth: storage.Depth) -> Tender:
    tender, _ = await lead_tender(session, actor, tender_id, depth=depth)
    editable(tender)
    return tender


async def _lot_of(session: AsyncSession, actor: Principal, tender_id: UUID, number: int) -> tuple[Tender, TenderLot]:
    """The locked, editable tender and its lot ``number`` with that lot's selections (the other lots stay unread)."""
    tender = await _editable(session, actor, tender_id, "tender")
    return tender, await storage.load_lot(session, tender, number)


def _selection_at(lot: TenderLot, position: int) -> TenderSelection:
    if not 1 <= position <= len(lot.selections):
        raise NotFound(f"lot {lot.position} has no selection {position}")
    return lot.selections[position - 1]


async def add_lot(session: AsyncSession, actor: Principal, tender_id: UUID, new: schemas.NewLot, if_match: str | None) -> schemas.Lot:
    tender, _ = await owned_tender(session, actor, tender_id, if_match, depth="lots")
    editable(tender)
    pinned = await pin(session, [new])
    position = min(new.position or len(tender.lots) + 1, len(tender.lots) + 1)
    _refuse("lot", lot_errors("lot", new, pinned, await product_categories(session)))
    row = storage.new_lot(new, position, pinned)
    before = {lot.position: lot for lot in tender.lots}
    _place(tender.lots, row, position)
    await _follow_lots(session, tender, before)
    await bump_revision(session, tender)
    record(session, actor, "tender.lot.add", "tender", tender.id, lot=row.position)
    return await views.lot_shown(session, row)


async def update_lot(
    session: AsyncSession, actor: Principal, tender_id: UUID, number: int, update: schemas.LotUpdate, if_match: str | None
) -> schemas.Lot:
    tender = await _editable(session, actor, tender_id, "lots")
    lot = lot_at(tender, number)
    storage.check_part_etag(lot, if_match, "lot")
    given = given_fields(update)
    fields = msgspec.structs.replace(storage.lot_in(lot, with_selections=False), **{f: v for f, v in given.items() if f != "position"})
    _refuse("lot", lot_field_errors("lot", fields, await product_categories(session)))
    storage.write_lot_fields(lot, fields)
    if update.position is not msgspec.UNSET and update.position != lot.position:
        before = {row.position: row for row in tender.lots}
        tender.lots.remove(lot)
        _place(tender.lots, lot, update.position)
        await _follow_lots(session, tender, before)
    await bump_revision(session, lot)
    await bump_revision(session, tender)
    record(session, actor, "tender.lot.update", "tender", tender.id, lot=lot.position, fields=sorted(given))
    return await views.lot_shown(session, await storage.load_lot(session, tender, lot.position))


async def get_lot(session: AsyncSession, actor: Principal, tender_id: UUID, number: int) -> schemas.Lot:
    tender, _ = await visible_tender(session, actor, tender_id, depth="tender")
    return await views.lot_shown(session, await storage.load_lot(session, tender, number))


async def remove_lot(session: AsyncSession, actor: Principal, tender_id: UUID, number: int, if_match: str | None) -> None:
    tender = await _editable(session, actor, tender_id, "lots")
    lot = lot_at(tender, number)
    storage.check_part_etag(lot, if_match, "lot")
    before = {row.position: row for row in tender.lots}
    tender.lots.remove(lot)
    storage.renumber(tender.lots)
    await _follow_lots(session, tender, before)
    await bump_revision(session, tender)
    record(session, actor, "tender.lot.remove", "tender", tender.id, lot=number, title=lot.title)


async def add_selection(
    session: AsyncSession, actor: Principal, tender_id: UUID, number: int, new: schemas.NewSelection, if_match: str | None
) -> schemas.Selection:
    tender, lot = await _lot_of(session, actor, tender_id, number)
    storage.check_part_etag(lot, if_match, "lot")
    selection = schemas.SelectionIn(**{f: getattr(new, f) for f in schemas.SelectionIn.__struct_fields__})
    pinned = await library.pinned(session, {(selection.module_key, selection.module_version)})
    errors = selection_errors("selection", selection, pinned)
    errors += [
        ("selection.module_key", twice(row.module_key, f"selection {row.position}")) for row in lot.selections if row.module_key == new.module_key
    ]
    _refuse("selection", errors)
    row = storage.new_selection(selection, 0, pinned)
    _place(lot.selections, row, new.position)
    await bump_revision(session, lot)
    await bump_revision(session, tender)
    record(session, actor, "tender.selection.add", "tender", tender.id, lot=number, position=row.position, module=selection.module_key)
    return await views.selection_shown(session, row)


async def update_selection(
    session: AsyncSession, actor: Principal, tender_id: UUID, number: int, position: int, update: schemas.SelectionUpdate, if_match: str | None
) -> schemas.Selection:
    tender, lot = await _lot_of(session, actor, tender_id, number)
    row = _selection_at(lot, position)
    storage.check_part_etag(row, if_match, "selection")
    given = given_fields(update)
    selection = msgspec.structs.replace(storage.selection_in(row), **{f: v for f, v in given.items() if f != "position"})
    pinned = await library.pinned(session, {(selection.module_key, selection.module_version)})
    _refuse("selection", selection_errors("selection", selection, pinned))
    storage.write_selection(row, selection, pinned)
    if update.position is not msgspec.UNSET and update.position != row.position:
        lot.selections.remove(row)
        _place(lot.selections, row, update.position)
        await bump_revision(session, lot)
    await bump_revision(session, row)
    await bump_revision(session, tender)
    record(session, actor, "tender.selection.update", "tender", tender.id, lot=number, position=row.position, fields=sorted(given))
    return await views.selection_shown(session, row)


async def remove_selection(session: AsyncSession, actor: Principal, tender_id: UUID, number: int, position: int, if_match: str | None) -> None:
    tender, lot = await _lot_of(session, actor, tender_id, number)
    row = _selection_at(lot, position)
    storage.check_part_etag(row, if_match, "selection")
    lot.selections.remove(row)
    storage.renumber(lot.selections)
    await bump_revision(session, lot)
    await bump_revision(session, tender)
    record(session, actor, "tender.selection.remove", "tender", tender.id, lot=number, position=position, module=row.module_key)
