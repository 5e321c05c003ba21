"""Tenders: specification, joint-procurement participants, lifecycle and amendments."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.principal import Principal, Role
from registry.db.base import utcnow
from registry.db.conflicts import insert_unique
from registry.db.revisions import bump_revision
from registry.organizations.models import Organization
from registry.organizations.service import member_ids
from registry.problems import Conflict, Forbidden, NotFound, PreconditionFailed, PreconditionRequired, RuleViolation
from registry.requirements import service as library
from registry.tenders import schemas
from registry.tenders.models import Tender, TenderAmendment, TenderParticipant, TenderTransition
from registry.tenders.validation import Pinned, publication_errors, spec_errors

BUYER_ROLES = (Role.procurement_officer, Role.federation_coordinator)
OWNER_ROLE = {"municipality": Role.procurement_officer, "federation": Role.federation_coordinator}
TRANSITIONS = {
    "open-for-participants": (("draft",), "open_for_participants"),
    "publish": (("draft", "open_for_participants"), "published"),
    "close": (("published",), "closed"),
    "award": (("closed",), "awarded"),
    "cancel": (("draft", "open_for_participants", "published", "closed"), "cancelled"),
}
EDITABLE = ("draft", "open_for_participants")
PUBLIC_STATUSES = ("published", "closed", "awarded")


def etag(tender: Tender) -> str:
    return f'"{tender.id}.{tender.revision}"'


def decode_spec(tender: Tender) -> schemas.TenderSpec:
    return msgspec.convert(tender.spec, schemas.TenderSpec)


# --- access -------------------------------------------------------------------------------------


def is_lead_buyer(actor: Principal, tender: Tender, owner_kind: str) -> bool:
    return actor.acts_for(tender.owner_id, OWNER_ROLE.get(owner_kind, Role.admin), Role.org_admin)


async def load_tender(session: AsyncSession, tender_id: UUID, *, lock: bool = False) -> tuple[Tender, Organization]:
    """The tender and its owner, without access checks (for the operator's command line).

    ``lock`` takes the tender's row lock for the rest of the transaction and reads its latest
    committed state: every write to a tender, its participants or its lifecycle takes it first,
    so their checks and writes are one atomic step and concurrent writers queue.
    """
    query = select(Tender, Organization).join(Organization).where(Tender.id == tender_id)
    if lock:
        query = query.with_for_update(of=Tender).execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(f"no tender {tender_id}")
    return row[0], row[1]


async def _participation(session: AsyncSession, tender_id: UUID, organization_id: UUID) -> TenderParticipant | None:
    return await session.scalar(
        select(TenderParticipant).where(TenderParticipant.tender_id == tender_id, TenderParticipant.organization_id == organization_id)
    )


async def is_buyer_of(session: AsyncSession, actor: Principal, tender: Tender, owner_kind: str) -> bool:
    """The lead buyer, or a procurement officer of a municipality that confirmed its participation."""
    if is_lead_buyer(actor, tender, owner_kind):
        return True
    participant = await _participation(session, tender.id, actor.organization_id)
    confirmed = participant is not None and participant.status == "confirmed"
    return confirmed and actor.acts_for(participant.organization_id, Role.procurement_officer, Role.org_admin)


async def visible_tender(session: AsyncSession, actor: Principal, tender_id: UUID, *, lock: bool = False) -> tuple[Tender, Organization]:
    """The tender if ``actor`` may see it: owners always, invited municipalities once it is opened to
    them, everyone with a token once it is published. Otherwise 404, so its existence stays private."""
    tender, owner = await load_tender(session, tender_id, lock=lock)
    if actor.is_admin or actor.organization_id == tender.owner_id or tender.status in PUBLIC_STATUSES:
        return tender, owner
    if tender.status != "draft" and await _participation(session, tender.id, actor.organization_id):
        return tender, owner
    if tender.status == "cancelled" and tender.published_at is not None:
        return tender, owner
    raise NotFound(f"no tender {tender_id}")


async def owned_tender(session: AsyncSession, actor: Principal, tender_id: UUID, if_match: str | None) -> tuple[Tender, Organization]:
    """The tender, locked for a write by its owner and checked against ``If-Match``."""
    tender, owner = await visible_tender(session, actor, tender_id, lock=True)
    if not is_lead_buyer(actor, tender, owner.kind):
        raise Forbidden("only the lead buyer's procurement officers or coordinators change this tender")
    if if_match is None:
        raise PreconditionRequired("send If-Match with the tender's ETag")
    if if_match.strip() != etag(tender):
        raise PreconditionFailed(f"the tender changed since you read it; current ETag is {etag(tender)}", current_etag=etag(tender))
    return tender, owner


# --- specification ------------------------------------------------------------------------------


async def _pin(session: AsyncSession, lots: list[schemas.LotIn]) -> Pinned:
    return await library.pinned_versions(session, {(s.module_key, s.module_version) for lot in lots for s in lot.selections})


async def _validated(session: AsyncSession, spec: schemas.TenderSpec) -> Pinned:
    pinned = await _pin(session, spec.lots)
    catalogue = await library.catalogue(session)
    errors = spec_errors(spec, pinned, catalogue.keys("product_categories"))
    if errors:
        raise RuleViolation("the tender specification has problems", errors=errors)
    return pinned


def _store_spec(tender: Tender, spec: schemas.TenderSpec) -> None:
    tender.spec = msgspec.to_builtins(spec)
    tender.reference = spec.reference
    tender.title = spec.title
    tender.language = spec.language
    tender.submission_deadline = spec.timeline.submission_deadline


async def create_tender(session: AsyncSession, actor: Principal, spec: schemas.TenderSpec) -> Tender:
    owner_kind = actor.organization_kind
    if owner_kind not in OWNER_ROLE or not actor.acts_for(actor.organization_id, OWNER_ROLE[owner_kind]):
        raise Forbidden("tenders are created by municipalities' procurement officers or federations' coordinators")
    await _validated(session, spec)
    tender = Tender(owner_id=actor.organization_id, status="draft", document_version=1, revision=1)
    _store_spec(tender, spec)
    await insert_unique(session, tender, lambda: _reference_taken(session, actor.organization_id, spec.reference))
    _transition(session, actor, tender, "create", None, "draft")
    record(session, actor, "tender.create", "tender", tender.id, reference=spec.reference)
    return tender


async def _reference_taken(session: AsyncSession, owner_id: UUID, reference: str, exclude: UUID | None = None) -> Conflict | None:
    query = select(Tender.id).where(Tender.owner_id == owner_id, Tender.reference == reference)
    if exclude:
        query = query.where(Tender.id != exclude)
    existing = await session.scalar(query)
    if existing is None:
        return None
    detail = f"your organization already has a tender with reference {reference}"
    return Conflict(detail, errors=[("reference", "already used by another of your tenders")], existing_id=str(existing))


async def replace_spec(session: AsyncSession, actor: Principal, tender_id: UUID, spec: schemas.TenderSpec, if_match: str | None) -> Tender:
    tender, _ = await owned_tender(session, actor, tender_id, if_match)
    if tender.status not in EDITABLE:
        raise Conflict(f"a {tender.status} tender is immutable; publish corrections as amendments")
    await _validated(session, spec)
    if error := await _reference_taken(session, tender.owner_id, spec.reference, exclude=tender.id):
        raise error
    _store_spec(tender, spec)
    await bump_revision(session, tender)
    record(session, actor, "tender.update", "tender", tender.id, revision=tender.revision)
    return tender


async def list_tenders(
    session: AsyncSession, actor: Principal, *, status: str | None, limit: int, offset: int
) -> tuple[list[tuple[Tender, Organization]], int]:
    query = select(Tender, Organization).join(Organization)
    if not actor.is_admin:
        invited = select(TenderParticipant.tender_id).where(TenderParticipant.organization_id == actor.organization_id)
        query = query.where(
            or_(
                Tender.owner_id == actor.organization_id,
                Tender.status.in_(PUBLIC_STATUSES),
                (Tender.status != "draft") & Tender.id.in_(invited),
            )
        )
    if status:
        query = query.where(Tender.status == status)
    rows = (await session.execute(query.order_by(Tender.created_at.desc(), Tender.id))).all()
    return [(t, o) for t, o in rows[offset : offset + limit]], len(rows)


# --- participants -------------------------------------------------------------------------------


async def invite(session: AsyncSession, actor: Principal, tender_id: UUID, organization_ids: list[UUID], if_match: str | None) -> Tender:
    tender, owner = await owned_tender(session, actor, tender_id, if_match)
    if tender.status not in EDITABLE:
        raise Conflict(f"participants can no longer be invited to a {tender.status} tender")
    organizations = {o.id: o for o in await session.scalars(select(Organization).where(Organization.id.in_(organization_ids)))}
    members = await member_ids(session, owner.id) if owner.kind == "federation" else None
    existing = {p.organization_id for p in await session.scalars(select(TenderParticipant).where(TenderParticipant.tender_id == tender.id))}
    errors = []
    for i, organization_id in enumerate(organization_ids):
        organization = organizations.get(organization_id)
        where = f"organization_ids[{i}]"
        if organization is None or organization.kind != "municipality":
            errors.append((where, f"{organization_id} is not a municipality"))
        elif members is not None and organization_id not in members:
            errors.append((where, f"{organization.name} is not a member of {owner.name}"))
        elif organization_id in existing:
            errors.append((where, f"{organization.name} is already invited"))
    if len(set(organization_ids)) != len(organization_ids):
        errors.append(("organization_ids", "lists a municipality twice"))
    if errors:
        raise RuleViolation("these organizations cannot be invited", errors=errors)
    for organization_id in organization_ids:
        session.add(TenderParticipant(tender_id=tender.id, organization_id=organization_id, status="invited", volumes=[]))
        record(session, actor, "tender.invite", "tender", tender.id, organization_id=organization_id, municipality_id=str(organization_id))
    await bump_revision(session, tender)
    return tender


async def withdraw_invitation(session: AsyncSession, actor: Principal, tender_id: UUID, organization_id: UUID, if_match: str | None) -> Tender:
    tender, _ = await owned_tender(session, actor, tender_id, if_match)
    if tender.status not in EDITABLE:
        raise Conflict(f"participants of a {tender.status} tender are fixed")
    participant = await _participation(session, tender.id, organization_id)
    if participant is None:
        raise NotFound(f"organization {organization_id} is not invited to this tender")
    await session.delete(participant)
    await bump_revision(session, tender)
    record(session, actor, "tender.uninvite", "tender", tender.id, organization_id=organization_id, municipality_id=str(organization_id))
    return tender


async def respond(session: AsyncSession, actor: Principal, tender_id: UUID, organization_id: UUID, answer: schemas.Participation) -> Tender:
    """An invited municipality confirms (with mandate, contact and volumes) or declines."""
    tender, _ = await visible_tender(session, actor, tender_id, lock=True)
    participant = await _participation(session, tender.id, organization_id)
    if participant is None or not actor.acts_for(organization_id, Role.procurement_officer):
        raise NotFound(f"no invitation for organization {organization_id} that you can answer")
    if tender.status != "open_for_participants":
        raise Conflict(f"the tender is {tender.status}; answers are taken while it is open for participants")
    errors = _answer_errors(answer, len(decode_spec(tender).lots))
    if errors:
        raise RuleViolation("the answer is incomplete", errors=errors)
    participant.status = answer.decision
    participant.contact_name = answer.contact_name
    participant.contact_email = answer.contact_email
    participant.mandate = answer.mandate
    participant.mandate_decision_date = answer.mandate_decision_date
    participant.volumes = [msgspec.to_builtins(v) for v in answer.volumes]
    participant.responded_at = utcnow()
    await bump_revision(session, tender)
    record(session, actor, f"tender.participant.{answer.decision}", "tender", tender.id, organization_id=tender.owner_id, municipality_id=str(organization_id))
    return tender


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


def aggregate_volumes(participants: list[TenderParticipant]) -> list[schemas.AggregateVolume]:
    totals: dict[tuple[int, str], list[int]] = defaultdict(list)
    for participant in participants:
        if participant.status == "confirmed":
            for volume in participant.volumes:
                totals[(int(volume["lot"]), volume["unit"])].append(volume["quantity"])
    return [schemas.AggregateVolume(lot, unit, sum(q), len(q)) for (lot, unit), q in sorted(totals.items())]


# --- lifecycle ----------------------------------------------------------------------------------


def _transition(session: AsyncSession, actor: Principal, tender: Tender, action: str, from_status: str | None, to_status: str) -> None:
    session.add(TenderTransition(tender_id=tender.id, action=action, from_status=from_status, to_status=to_status, actor_user_id=actor.user_id))


async def change_status(
    session: AsyncSession, actor: Principal, tender_id: UUID, action: str, if_match: str | None, *, min_submission_days: int
) -> Tender:
    tender, owner = await owned_tender(session, actor, tender_id, if_match)
    allowed_from, target = TRANSITIONS[action]
    if tender.status not in allowed_from:
        raise Conflict(f"cannot {action.replace('-', ' ')} a {tender.status} tender (allowed from: {', '.join(allowed_from)})")
    if action == "publish":
        now = utcnow()
        await _check_publishable(session, tender, owner, now, min_submission_days)
        tender.published_at = now
    _transition(session, actor, tender, action, tender.status, target)
    record(session, actor, f"tender.{action}", "tender", tender.id, from_status=tender.status, to_status=target)
    tender.status = target
    await bump_revision(session, tender)
    return tender


async def _check_publishable(session: AsyncSession, tender: Tender, owner: Organization, now: datetime, min_days: int) -> None:
    spec = decode_spec(tender)
    pinned = await _pin(session, spec.lots)
    errors = spec_errors(spec, pinned, (await library.catalogue(session)).keys("product_categories"))
    errors += publication_errors(spec, pinned, now=now, min_submission_days=min_days)
    participants = list(await session.scalars(select(TenderParticipant).where(TenderParticipant.tender_id == tender.id)))
    waiting = [p for p in participants if p.status == "invited"]
    if waiting:
        names = await session.scalars(select(Organization.name).where(Organization.id.in_([p.organization_id for p in waiting])))
        errors.append(("participants", f"waiting for answers from {', '.join(sorted(names))}"))
    joint = owner.kind == "federation" or bool(participants)
    if joint and not any(p.status == "confirmed" for p in participants):
        errors.append(("participants", "a joint tender needs at least one confirmed participant"))
    if errors:
        raise RuleViolation("the tender cannot be published yet", errors=errors)


async def amend(session: AsyncSession, actor: Principal, tender_id: UUID, amendment: schemas.AmendmentIn, if_match: str | None) -> Tender:
    """Correct a published tender: apply the changes, bump the document version, keep the record."""
    tender, _ = await owned_tender(session, actor, tender_id, if_match)
    if tender.status != "published":
        raise Conflict(f"amendments are for published tenders; this one is {tender.status}")
    spec = decode_spec(tender)
    changes = {f: v for f in ("description", "timeline", "lots") if (v := getattr(amendment, f)) is not None}
    changed = sorted(f for f, v in changes.items() if msgspec.to_builtins(v) != msgspec.to_builtins(getattr(spec, f)))
    if not changed:
        raise RuleViolation("the amendment changes nothing", errors=[("description", "give a new description, timeline or lots")])
    amended = msgspec.structs.replace(spec, **changes)
    await _validated(session, amended)
    number = 1 + len(list(await session.scalars(select(TenderAmendment.id).where(TenderAmendment.tender_id == tender.id))))
    _store_spec(tender, amended)
    tender.document_version += 1
    session.add(
        TenderAmendment(
            tender_id=tender.id, number=number, document_version=tender.document_version,
            summary=amendment.summary, reason=amendment.reason, changed=changed, actor_user_id=actor.user_id,
        )
    )  # fmt: skip
    await bump_revision(session, tender)
    record(session, actor, "tender.amend", "tender", tender.id, number=number, changed=changed)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict("another amendment was recorded at the same time; reload and try again") from None
    return tender


# --- module upgrades ----------------------------------------------------------------------------


async def upgrade_selections(
    session: AsyncSession, actor: Principal, tender_id: UUID, targets: list[str] | None, if_match: str | None
) -> Tender:
    """Move selections to their module's newest published version, re-validating parameters."""
    tender, _ = await owned_tender(session, actor, tender_id, if_match)
    if tender.status not in EDITABLE:
        raise Conflict(f"a {tender.status} tender is immutable")
    spec = decode_spec(tender)
    newest = await library.newest_published(session, {s.module_key for lot in spec.lots for s in lot.selections})
    wanted = set(targets) if targets is not None else None
    lots, upgraded = [], []
    for i, lot in enumerate(spec.lots):
        selections = []
        for j, selection in enumerate(lot.selections):
            label = f"{i + 1}.{j + 1}"
            latest = newest.get(selection.module_key, selection.module_version)
            if latest > selection.module_version and (wanted is None or label in wanted):
                selection = msgspec.structs.replace(selection, module_version=latest)
                upgraded.append(label)
            selections.append(selection)
        lots.append(msgspec.structs.replace(lot, selections=selections))
    unknown = sorted((wanted or set()) - set(upgraded))
    if unknown:
        raise RuleViolation("nothing to upgrade there", errors=[("selections", f"{u} is not an outdated selection") for u in unknown])
    amended = msgspec.structs.replace(spec, lots=lots)
    await _validated(session, amended)
    _store_spec(tender, amended)
    await bump_revision(session, tender)
    record(session, actor, "tender.upgrade", "tender", tender.id, selections=upgraded)
    return tender


# --- views --------------------------------------------------------------------------------------


async def view(session: AsyncSession, actor: Principal, tender: Tender, owner: Organization) -> schemas.Tender:
    spec = decode_spec(tender)
    pinned = await _pin(session, spec.lots)
    newest = await library.newest_published(session, {k for k, _ in pinned})
    participants = list(
        await session.execute(
            select(TenderParticipant, Organization.name)
            .join(Organization, Organization.id == TenderParticipant.organization_id)
            .where(TenderParticipant.tender_id == tender.id)
            .order_by(Organization.name)
        )
    )
    amendments = await session.scalars(select(TenderAmendment).where(TenderAmendment.tender_id == tender.id).order_by(TenderAmendment.number))
    history = await session.scalars(select(TenderTransition).where(TenderTransition.tender_id == tender.id).order_by(TenderTransition.at))
    sees_contacts = actor.is_admin or actor.organization_id == tender.owner_id
    lots = [
        schemas.Lot(
            number=i + 1,
            title=lot.title,
            product_categories=lot.product_categories,
            price_weight=lot.price_weight,
            quality_weight=lot.quality_weight,
            selections=[_selection(j + 1, s, pinned, newest) for j, s in enumerate(lot.selections)],
        )
        for i, lot in enumerate(spec.lots)
    ]
    fields = {f: getattr(spec, f) for f in schemas.TenderSpec.__struct_fields__ if f != "lots"}
    return schemas.Tender(
        **fields,
        id=tender.id,
        owner_id=owner.id,
        owner_name=owner.name,
        owner_kind=owner.kind,
        status=tender.status,  # type: ignore[arg-type]
        document_version=tender.document_version,
        revision=tender.revision,
        joint=owner.kind == "federation" or bool(participants),
        lots=lots,
        participants=[_participant(p, name, sees_contacts or p.organization_id == actor.organization_id) for p, name in participants],
        volumes=aggregate_volumes([p for p, _ in participants]),
        amendments=[msgspec.convert(a, schemas.Amendment, from_attributes=True) for a in amendments],
        history=[msgspec.convert(h, schemas.Transition, from_attributes=True) for h in history],
        published_at=tender.published_at,
        created_at=tender.created_at,
    )


def _selection(position: int, selection: schemas.SelectionIn, pinned: Pinned, newest: dict[str, int]) -> schemas.Selection:
    module_kind = pinned[(selection.module_key, selection.module_version)][1].kind
    latest = newest.get(selection.module_key, selection.module_version)
    return schemas.Selection(
        **msgspec.structs.asdict(selection),
        position=position,
        module_kind=module_kind,  # type: ignore[arg-type]
        newer_version=latest if latest > selection.module_version else None,
    )


def _participant(participant: TenderParticipant, name: str, with_contact: bool) -> schemas.Participant:
    return schemas.Participant(
        organization_id=participant.organization_id,
        name=name,
        status=participant.status,  # type: ignore[arg-type]
        contact_name=participant.contact_name if with_contact else None,
        contact_email=participant.contact_email if with_contact else None,
        mandate=participant.mandate,
        mandate_decision_date=participant.mandate_decision_date,
        volumes=[msgspec.convert(v, schemas.LotVolume) for v in participant.volumes],
        responded_at=participant.responded_at,
    )
