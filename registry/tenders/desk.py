"""A buyer's desk: their organization's tenders with deadlines and answers so far, and the invitations
their municipality has not answered yet."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import Principal
from registry.organizations import service as organizations
from registry.tenders import schemas
from registry.tenders.models import Tender, TenderParticipant

MAX_SHOWN = 200
"""The desk lists at most this many tenders (the latest) and invitations (the nearest deadlines)."""


class DeskTender(msgspec.Struct, kw_only=True):
    id: UUID
    reference: str
    title: str
    status: schemas.Status
    questions_deadline: datetime | None
    submission_deadline: datetime | None
    invited: int
    """Participants invited and not answered yet."""
    confirmed: int
    declined: int


class WaitingInvitation(msgspec.Struct, kw_only=True):
    tender_id: UUID
    reference: str
    title: str
    buyer: str
    submission_deadline: datetime | None


class Desk(msgspec.Struct, kw_only=True):
    tenders: list[DeskTender]
    invitations: list[WaitingInvitation]


async def desk(session: AsyncSession, actor: Principal) -> Desk:
    """The desk of ``actor``'s organization."""
    return Desk(tenders=await _own_tenders(session, actor.organization_id), invitations=await _waiting(session, actor.organization_id))


async def _own_tenders(session: AsyncSession, organization_id: UUID) -> list[DeskTender]:
    def answered(status: str) -> ColumnElement[int]:
        return func.count(case((TenderParticipant.status == status, 1)))

    query = (
        select(Tender, answered("invited"), answered("confirmed"), answered("declined"))
        .outerjoin(TenderParticipant, TenderParticipant.tender_id == Tender.id)
        .where(Tender.owner_id == organization_id)
        .group_by(Tender.id)
        .order_by(Tender.created_at.desc(), Tender.id)
        .limit(MAX_SHOWN)
    )
    return [
        DeskTender(
            id=t.id, reference=t.reference, title=t.title, status=t.status, questions_deadline=t.questions_deadline,
            submission_deadline=t.submission_deadline, invited=invited, confirmed=confirmed, declined=declined,
        )
        for t, invited, confirmed, declined in (await session.execute(query)).all()
    ]  # fmt: skip


async def _waiting(session: AsyncSession, organization_id: UUID) -> list[WaitingInvitation]:
    """Invitations to the organization that it can answer now (the tender is open for participants) and has not."""
    query = (
        select(Tender)
        .join(TenderParticipant, TenderParticipant.tender_id == Tender.id)
        .where(
            TenderParticipant.organization_id == organization_id,
            TenderParticipant.status == "invited",
            Tender.status == "open_for_participants",
        )
        .order_by(Tender.submission_deadline.is_(None), Tender.submission_deadline, Tender.id)
        .limit(MAX_SHOWN)
    )
    rows = list(await session.scalars(query))
    buyers = await organizations.names(session, {t.owner_id for t in rows})
    return [
        WaitingInvitation(tender_id=t.id, reference=t.reference, title=t.title, buyer=buyers[t.owner_id], submission_deadline=t.submission_deadline)
        for t in rows
    ]
