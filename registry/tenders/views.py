"""What a caller sees of a tender, its lots and selections, read from the rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from uuid import UUID

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import Principal
from registry.organizations import service as organizations
from registry.organizations.schemas import Organization
from registry.requirements import service as library
from registry.requirements.content import Kind
from registry.tenders import schemas, storage
from registry.tenders.models import Tender, TenderAmendment, TenderLot, TenderParticipant, TenderSelection, TenderTransition

ModuleFacts = tuple[dict[tuple[str, int], Kind], dict[str, int]]
"""The kind of each pinned ``(key, version)`` and the newest published version of each key."""


async def module_facts(session: AsyncSession, selections: list[TenderSelection]) -> ModuleFacts:
    kinds = await library.pinned_kinds(session, {(s.module_key, s.module_version) for s in selections})
    return kinds, await library.newest_published(session, {key for key, _ in kinds})


def selection_view(row: TenderSelection, facts: ModuleFacts) -> schemas.Selection:
    kinds, newest = facts
    latest = newest.get(row.module_key, row.module_version)
    return schemas.Selection(
        **msgspec.structs.asdict(storage.selection_in(row)),
        id=row.id,
        etag=storage.part_etag(row),
        position=row.position,
        module_kind=kinds[(row.module_key, row.module_version)],
        newer_version=latest if latest > row.module_version else None,
    )


def lot_view(row: TenderLot, facts: ModuleFacts, selections: Sequence[TenderSelection] | None = None) -> schemas.Lot:
    """The lot with its selections (or with ``selections``, a page of them)."""
    return schemas.Lot(
        id=row.id,
        etag=storage.part_etag(row),
        number=row.position,
        title=row.title,
        product_categories=list(row.product_categories),
        price_weight=row.price_weight,
        quality_weight=row.quality_weight,
        maximum=msgspec.convert(row.maximum, schemas.Maximum) if row.maximum is not None else None,
        selections=[selection_view(s, facts) for s in (row.selections if selections is None else selections)],
    )


class HeadValues(storage.FieldValues):
    """The tender's own fields and state as ``TenderHead`` arguments."""

    id: UUID
    owner_id: UUID
    owner_name: str
    owner_kind: str
    status: schemas.Status
    document_version: int
    revision: int
    participation_revision: int


def head_fields(tender: Tender, owner: Organization) -> HeadValues:
    return {
        **storage.fields_of(tender),
        "id": tender.id, "owner_id": owner.id, "owner_name": owner.name, "owner_kind": owner.kind, "status": tender.status,
        "document_version": tender.document_version, "revision": tender.revision, "participation_revision": tender.participation_revision,
    }  # fmt: skip


def head(tender: Tender, owner: Organization) -> schemas.TenderHead:
    return schemas.TenderHead(**head_fields(tender, owner))


async def lot_shown(session: AsyncSession, row: TenderLot) -> schemas.Lot:
    return lot_view(row, await module_facts(session, list(row.selections)))


async def selection_shown(session: AsyncSession, row: TenderSelection) -> schemas.Selection:
    return selection_view(row, await module_facts(session, [row]))


async def view(
    session: AsyncSession, actor: Principal | None, tender: Tender, owner: Organization, shown: Mapping[UUID, Sequence[TenderSelection]] | None = None
) -> schemas.Tender:
    """The tender: its size grows with its lots and selections, never with its participants (they are a list of their own).
    ``shown`` gives each lot's selections (by lot id) in place of all of them, which are then not loaded."""
    selections = shown if shown is not None else {lot.id: lot.selections for lot in tender.lots}
    facts = await module_facts(session, [s for rows in selections.values() for s in rows])
    participation = await participation_summary(session, actor, tender.id)
    confirmed = await session.scalars(
        select(TenderParticipant.volumes).where(TenderParticipant.tender_id == tender.id, TenderParticipant.status == "confirmed")
    )
    amendments = await session.scalars(select(TenderAmendment).where(TenderAmendment.tender_id == tender.id).order_by(TenderAmendment.number))
    history = await session.scalars(select(TenderTransition).where(TenderTransition.tender_id == tender.id).order_by(TenderTransition.at))
    return schemas.Tender(
        **head_fields(tender, owner),
        joint=owner.kind == "federation" or participation.invited + participation.confirmed + participation.declined > 0,
        lots=[lot_view(lot, facts, selections[lot.id]) for lot in tender.lots],
        participation=participation,
        volumes=aggregate_volumes(list(confirmed)),
        amendments=[msgspec.convert(a, schemas.Amendment, from_attributes=True) for a in amendments],
        history=[msgspec.convert(h, schemas.Transition, from_attributes=True) for h in history],
        published_at=tender.published_at,
        created_at=tender.created_at,
    )


def aggregate_volumes(confirmed: list[list[dict]]) -> list[schemas.AggregateVolume]:
    """The volumes of the confirmed participants (each one's list), summed per lot and unit."""
    totals: dict[tuple[int, str], list[int]] = defaultdict(list)
    for volumes in confirmed:
        for volume in volumes:
            totals[(int(volume["lot"]), volume["unit"])].append(volume["quantity"])
    return [schemas.AggregateVolume(lot, unit, sum(q), len(q)) for (lot, unit), q in sorted(totals.items())]


async def participation_summary(session: AsyncSession, actor: Principal | None, tender_id: UUID) -> schemas.ParticipationSummary:
    query = select(TenderParticipant.status, func.count()).where(TenderParticipant.tender_id == tender_id).group_by(TenderParticipant.status)
    counts: dict[str, int] = {status: count for status, count in await session.execute(query)}
    own = await storage.participation_of(session, tender_id, actor.organization_id) if actor else None
    return schemas.ParticipationSummary(
        invited=counts.get("invited", 0),
        confirmed=counts.get("confirmed", 0),
        declined=counts.get("declined", 0),
        own=participant_view(own, (await organizations.names(session, {own.organization_id}))[own.organization_id], True) if own else None,
    )


def participant_view(participant: TenderParticipant, name: str, with_contact: bool) -> schemas.Participant:
    return schemas.Participant(
        organization_id=participant.organization_id,
        name=name,
        status=participant.status,
        contact_name=participant.contact_name if with_contact else None,
        contact_email=participant.contact_email if with_contact else None,
        mandate=participant.mandate,
        mandate_decision_date=participant.mandate_decision_date,
        volumes=[msgspec.convert(v, schemas.LotVolume) for v in participant.volumes],
        responded_at=participant.responded_at,
    )
