"""Joint procurement: the lead buyer invites municipalities, each answers for itself (or the lead
buyer records the answer of a municipality that has no user in the registry yet).

Invitations and answers move the tender's participation revision, not its specification's: an
answer never makes an editor's ETag stale. All of them take the tender's row lock, so an answer
and a publication never interleave. Each returns what it changed and the tender's new ETag, never
the whole tender: an answer costs the same in a tender of 10 municipalities as in one of 600.
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.principal import Principal, Role
from registry.db.base import utcnow
from registry.db.paging import page
from registry.db.revisions import bump_revision
from registry.organizations import service as organizations
from registry.organizations.schemas import Organization as OrganizationView
from registry.problems import Conflict, Forbidden, NotFound, RuleViolation
from registry.tenders import schemas, storage, views
from registry.tenders.models import Tender, TenderParticipant
from registry.tenders.service import EDITABLE, is_lead_buyer, owned_tender, visible_tender


async def list_participants(
    session: AsyncSession, actor: Principal | None, tender_id: UUID, *, status: str | None, limit: int, offset: int
) -> tuple[list[schemas.Participant], int]:
    """The invited municipalities of a tender ``actor`` may see, by name; contacts for the lead buyer and each its own."""
    tender, _ = await visible_tender(session, actor, tender_id, depth="tender")
    query = select(TenderParticipant).where(TenderParticipant.tender_id == tender.id)
    if status:
        query = query.where(TenderParticipant.status == status)
    rows, total = await page(session, organizations.by_name(query, TenderParticipant.organization_id), limit, offset)
    sees_contacts = actor is not None and (actor.is_admin or actor.organization_id == tender.owner_id)
    mine = actor.organization_id if actor else None
    return [views.participant_view(row, name, sees_contacts or row.organization_id == mine) for row, name in rows], total


async def invite(
    session: AsyncSession, actor: Principal, tender_id: UUID, organization_ids: list[UUID], if_match: str | None
) -> tuple[list[schemas.Participant], str]:
    """Invite municipalities; the new participations, by name, and the tender's new ETag."""
    tender, owner = await owned_tender(session, actor, tender_id, if_match, participation=True, depth="tender")
    if tender.status not in EDITABLE:
        raise Conflict(f"participants can no longer be invited to a {tender.status} tender")
    known = await organizations.by_ids(session, set(organization_ids))
    members = await organizations.member_ids(session, owner.id) if owner.kind == "federation" else None
    existing = set(await session.scalars(select(TenderParticipant.organization_id).where(TenderParticipant.tender_id == tender.id)))
    errors = []
    for i, organization_id in enumerate(organization_ids):
        organization = known.get(organization_id)
        where = f"organization_ids[{i}]"
        if organization is None or organization.kind != "municipality":
            errors.append((where, f"{organization_id} is not a municipality"))
        elif organization_id == owner.id:
            errors.append((where, f"{organization.name} leads this tender; the lead buyer is not invited to its own tender"))
        elif members is not None and organization_id not in members:
            errors.append((where, f"{organization.name} is not a member of {owner.name}"))
        elif organization_id in existing:
            errors.append((where, f"{organization.name} is already invited"))
    if len(set(organization_ids)) != len(organization_ids):
        errors.append(("organization_ids", "lists a municipality twice"))
    if errors:
        raise RuleViolation("these organizations cannot be invited", errors=errors)
    invited = [TenderParticipant(tender_id=tender.id, organization_id=i, status="invited", volumes=[]) for i in organization_ids]
    session.add_all(invited)
    for organization_id in organization_ids:
        record(session, actor, "tender.invite", "tender", tender.id, organization_id=organization_id, municipality_id=str(organization_id))
    await session.flush()
    await bump_revision(session, tender, "participation_revision")
    shown = [views.participant_view(row, known[row.organization_id].name, True) for row in invited]
    return sorted(shown, key=lambda p: (p.name, str(p.organization_id))), storage.etag(tender)


async def invitable(
    session: AsyncSession, actor: Principal, tender_id: UUID, *, q: str | None, limit: int, offset: int
) -> tuple[list[OrganizationView], int]:
    """The municipalities the lead buyer may still invite, by name: a federation's members, or any other
    municipality for a municipality's own tender; those already invited left out."""
    tender, owner = await visible_tender(session, actor, tender_id, depth="tender")
    if not is_lead_buyer(actor, tender, owner.kind):
        raise Forbidden("only the lead buyer's procurement officers or coordinators invite municipalities")
    invited = set(await session.scalars(select(TenderParticipant.organization_id).where(TenderParticipant.tender_id == tender.id)))
    member_of = owner.id if owner.kind == "federation" else None
    return await organizations.find_municipalities(session, member_of=member_of, q=q, excluding=invited | {owner.id}, limit=limit, offset=offset)


async def withdraw_invitation(session: AsyncSession, actor: Principal, tender_id: UUID, organization_id: UUID, if_match: str | None) -> str:
    """Withdraw an invitation; the tender's new ETag."""
    tender, _ = await owned_tender(session, actor, tender_id, if_match, participation=True, depth="tender")
    if tender.status not in EDITABLE:
        raise Conflict(f"participants of a {tender.status} tender are fixed")
    participant = await storage.participation_of(session, tender.id, organization_id)
    if participant is None:
        raise NotFound(f"organization {organization_id} is not invited to this tender")
    await session.delete(participant)
    await bump_revision(session, tender, "participation_revision")
    record(session, actor, "tender.uninvite", "tender", tender.id, organization_id=organization_id, municipality_id=str(organization_id))
    return storage.etag(tender)


async def respond(
    session: AsyncSession, actor: Principal, tender_id: UUID, organization_id: UUID, answer: schemas.Participation
) -> tuple[schemas.Participant, str]:
    """An invited municipality confirms (with mandate, contact and volumes) or declines; its participation and the tender's new ETag.

    The lead buyer may record the answer of a municipality that has no user in the registry yet (its
    mandate decision is on paper); the audit trail says who recorded it.
    """
    tender, owner = await visible_tender(session, actor, tender_id, lock=True, depth="lots")
    participant, on_behalf = await _answerable(session, actor, tender, owner.kind, organization_id)
    if tender.status != "open_for_participants":
        raise Conflict(f"the tender is {tender.status}; answers are taken while it is open for participants")
    errors = _answer_errors(answer, len(tender.lots))
    if errors:
        raise RuleViolation("the answer is incomplete", errors=errors)
    participant.status = answer.decision
    participant.contact_name = answer.contact_name
    participant.contact_email = answer.contact_email
    participant.mandate = answer.mandate
    participant.mandate_decision_date = answer.mandate_decision_date
    participant.volumes = [msgspec.to_builtins(v) for v in answer.volumes]
    participant.responded_at = utcnow()
    await bump_revision(session, tender, "participation_revision")
    record(
        session, actor, f"tender.participant.{answer.decision}", "tender", tender.id,
        organization_id=tender.owner_id, municipality_id=str(organization_id), on_behalf=on_behalf,
    )  # fmt: skip
    name = (await organizations.names(session, {organization_id}))[organization_id]
    return views.participant_view(participant, name, True), storage.etag(tender)


async def answerable(session: AsyncSession, actor: Principal, tender_id: UUID, organization_id: UUID) -> schemas.Participant:
    """The invitation of ``organization_id`` as it stands, when ``actor`` may answer it (see ``respond``)."""
    tender, owner = await visible_tender(session, actor, tender_id, depth="tender")
    participant, _ = await _answerable(session, actor, tender, owner.kind, organization_id)
    name = (await organizations.names(session, {organization_id}))[organization_id]
    return views.participant_view(participant, name, True)


async def _answerable(
    session: AsyncSession, actor: Principal, tender: Tender, owner_kind: str, organization_id: UUID
) -> tuple[TenderParticipant, bool]:
    """The participation ``actor`` may answer, and whether they answer on the municipality's behalf; else 404."""
    participant = await storage.participation_of(session, tender.id, organization_id)
    on_behalf = participant is not None and not actor.acts_for(organization_id, Role.procurement_officer)
    if participant is None or (on_behalf and not await _may_answer_for(session, actor, tender, owner_kind, organization_id)):
        raise NotFound(f"no invitation for organization {organization_id} that you can answer")
    return participant, on_behalf


async def _may_answer_for(session: AsyncSession, actor: Principal, tender: Tender, owner_kind: str, organization_id: UUID) -> bool:
    return organization_id in await _answered_by_lead(session, actor, tender, owner_kind, {organization_id})


async def _answered_by_lead(session: AsyncSession, actor: Principal, tender: Tender, owner_kind: str, organization_ids: set[UUID]) -> set[UUID]:
    """Those of the municipalities ``actor`` may answer for as the lead buyer: those where nobody can answer for themselves."""
    if not is_lead_buyer(actor, tender, owner_kind):
        return set()
    return organization_ids - await organizations.with_users(session, organization_ids)


async def answered_by_lead(session: AsyncSession, actor: Principal, tender_id: UUID, organization_ids: set[UUID]) -> set[UUID]:
    """Those of the tender's invited municipalities whose answer ``actor`` may record on their behalf (see ``respond``)."""
    tender, owner = await visible_tender(session, actor, tender_id, depth="tender")
    return await _answered_by_lead(session, actor, tender, owner.kind, organization_ids)


def _answer_errors(answer: schemas.Participation, lot_count: int) -> list[tuple[str, str]]:
    if answer.decision == "declined":
        return []
    errors = []
    if not answer.contact_name or not answer.contact_email:
        errors.append(("contact_name", "a confirmation names a contact person and email"))
    if not answer.mandate or answer.mandate_decision_date is None:
        errors.append(("mandate", "a confirmation needs the mandate and the date of the decision that grants it"))
    elif answer.mandate_decision_date > utcnow().date():
        errors.append(("mandate_decision_date", "lies in the future"))
    seen = set()
    for i, volume in enumerate(answer.volumes):
        if volume.lot > lot_count:
            errors.append((f"volumes[{i}].lot", f"the tender has {lot_count} lots"))
        if (volume.lot, volume.unit) in seen:
            errors.append((f"volumes[{i}]", "gives the same lot and unit twice"))
        seen.add((volume.lot, volume.unit))
    return errors
