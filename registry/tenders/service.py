"""Tenders: access, the whole specification, the tender's own fields, lifecycle, amendments and upgrades.

Lots and selections edited one by one are in ``parts``; invitations and answers in ``participation``;
what a caller sees in ``views``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.principal import Principal, Role
from registry.db.base import utcnow
from registry.db.conflicts import insert_unique
from registry.db.paging import page
from registry.db.revisions import bump_revision
from registry.organizations import service as organizations
from registry.organizations.schemas import Organization
from registry.problems import Conflict, FieldError, Forbidden, NotFound, RuleViolation
from registry.requirements import service as library
from registry.schemas import given_fields
from registry.tenders import schemas, snapshot, storage, views
from registry.tenders.law import country_law
from registry.tenders.models import Tender, TenderAmendment, TenderLot, TenderParticipant, TenderTransition
from registry.tenders.snapshot import Publisher
from registry.tenders.validation import Pinned, jurisdiction_warnings, labour_clause_warnings, publication_errors, selection_errors, spec_errors

BUYER_ROLES = (Role.procurement_officer, Role.federation_coordinator)
OWNER_ROLE = {"municipality": Role.procurement_officer, "federation": Role.federation_coordinator}
TRANSITIONS: dict[str, tuple[tuple[schemas.Status, ...], schemas.Status]] = {
    "open-for-participants": (("draft",), "open_for_participants"),
    "publish": (("draft", "open_for_participants"), "published"),
    "close": (("published",), "closed"),
    "award": (("closed",), "awarded"),
    "cancel": (("draft", "open_for_participants", "published", "closed"), "cancelled"),
}
EDITABLE = ("draft", "open_for_participants")
PUBLIC_STATUSES = ("published", "closed", "awarded")


# --- access -------------------------------------------------------------------------------------


def is_lead_buyer(actor: Principal, tender: Tender | schemas.TenderHead, owner_kind: str) -> bool:
    return actor.acts_for(tender.owner_id, OWNER_ROLE.get(owner_kind, Role.admin), Role.org_admin)


def leads_own_tenders(actor: Principal) -> bool:
    """Whether ``actor`` is the lead buyer of its own organization's tenders (``is_lead_buyer`` of each of them)."""
    return actor.acts_for(actor.organization_id, OWNER_ROLE.get(actor.organization_kind, Role.admin), Role.org_admin)


async def is_buyer_of(session: AsyncSession, actor: Principal, tender: Tender, owner_kind: str) -> bool:
    """The lead buyer, or a procurement officer of a municipality that confirmed its participation."""
    if is_lead_buyer(actor, tender, owner_kind):
        return True
    participant = await storage.participation_of(session, tender.id, actor.organization_id)
    if participant is None or participant.status != "confirmed":
        return False
    return actor.acts_for(participant.organization_id, Role.procurement_officer, Role.org_admin)


async def visible_tender(
    session: AsyncSession, actor: Principal | None, tender_id: UUID, *, lock: bool = False, depth: storage.Depth = "selections"
) -> tuple[Tender, Organization]:
    """The tender if ``actor`` may see it: owners always, invited municipalities once it is opened to
    them, everyone (without a token too) once it is published. Otherwise 404, so its existence stays private."""
    tender, owner = await storage.load(session, tender_id, lock=lock, depth=depth)
    if tender.status in PUBLIC_STATUSES or (tender.status == "cancelled" and tender.published_at is not None):
        return tender, owner
    if actor is None:
        raise NotFound(f"no tender {tender_id}")
    if actor.is_admin or actor.organization_id == tender.owner_id:
        return tender, owner
    if tender.status != "draft" and await storage.participation_of(session, tender.id, actor.organization_id):
        return tender, owner
    raise NotFound(f"no tender {tender_id}")


async def lead_tender(
    session: AsyncSession, actor: Principal, tender_id: UUID, *, depth: storage.Depth = "selections"
) -> tuple[Tender, Organization]:
    """The tender, locked for a write by its lead buyer."""
    tender, owner = await visible_tender(session, actor, tender_id, lock=True, depth=depth)
    _lead_only(actor, tender, owner.kind)
    return tender, owner


def _lead_only(actor: Principal, tender: Tender, owner_kind: str) -> None:
    if not is_lead_buyer(actor, tender, owner_kind):
        raise Forbidden("only the lead buyer's procurement officers or coordinators change this tender")


async def editable_tender(session: AsyncSession, actor: Principal, tender_id: UUID) -> schemas.Tender:
    """The tender as its lead buyer's forms show it while it can still change; not locked, since each write
    checks the ETag its form was filled with."""
    tender, owner = await visible_tender(session, actor, tender_id)
    _lead_only(actor, tender, owner.kind)
    editable(tender)
    return await views.view(session, actor, tender, owner)


async def owned_tender(
    session: AsyncSession,
    actor: Principal,
    tender_id: UUID,
    if_match: str | None,
    *,
    participation: bool = False,
    depth: storage.Depth = "selections",
) -> tuple[Tender, Organization]:
    """The tender, locked for a write by its lead buyer and checked against ``If-Match``."""
    tender, owner = await lead_tender(session, actor, tender_id, depth=depth)
    storage.check_etag(tender, if_match, participation=participation)
    return tender, owner


def editable(tender: Tender) -> None:
    if tender.status not in EDITABLE:
        raise Conflict(f"a {tender.status} tender is immutable; publish corrections as amendments")


# --- specification ------------------------------------------------------------------------------


async def pin(session: AsyncSession, lots: list[schemas.LotIn]) -> Pinned:
    return await library.pinned(session, {(s.module_key, s.module_version) for lot in lots for s in lot.selections})


async def product_categories(session: AsyncSession) -> list[str]:
    return (await library.catalogue(session)).keys("product_categories")


async def _validated(session: AsyncSession, spec: schemas.TenderSpec, country: str) -> Pinned:
    pinned = await pin(session, spec.lots)
    errors = spec_errors(spec, pinned, await product_categories(session), country_law(country).ground_keys())
    if errors:
        raise RuleViolation("the tender specification has problems", errors=errors)
    return pinned


async def get_tender(session: AsyncSession, actor: Principal | None, tender_id: UUID) -> schemas.Tender:
    """The tender ``actor`` may see; anyone (``actor`` None) sees it once it is published."""
    return await views.view(session, actor, *await visible_tender(session, actor, tender_id))


async def tender_without_requirements(session: AsyncSession, actor: Principal | None, tender_id: UUID) -> schemas.Tender:
    """The tender ``actor`` may see with its lots but not their requirements (each lot's ``selections`` empty): for the
    pages of its participants, answers, publication and evidence, which a thousand requirements would only slow."""
    tender, owner = await visible_tender(session, actor, tender_id, depth="lots")
    return await views.view(session, actor, tender, owner, {lot.id: [] for lot in tender.lots})


class Outline(NamedTuple):
    tender: schemas.Tender
    """The tender with a page of each lot's requirements."""
    counts: dict[int, int]
    """Each lot's number of requirements, by lot number."""


async def tender_outline(session: AsyncSession, actor: Principal | None, tender_id: UUID, offsets: dict[int, int], size: int) -> Outline:
    """The tender ``actor`` may see with ``size`` requirements of each lot, from the offset ``offsets`` gives
    its lot number (else from the first): a large tender's page reads only what it shows."""
    tender, owner = await visible_tender(session, actor, tender_id, depth="lots")
    shown, counts = await storage.selection_pages(session, tender, offsets, size)
    return Outline(await views.view(session, actor, tender, owner, shown), counts)


async def export(
    session: AsyncSession, actor: Principal | None, tender_id: UUID, fmt: str, publisher: Publisher, version: int | None = None
) -> snapshot.Export:
    """A document of a tender ``actor`` may see (anyone, once it is published)."""
    tender, owner = await visible_tender(session, actor, tender_id)
    return await snapshot.export(session, tender, owner, fmt, publisher=publisher, version=version)


async def create_tender(session: AsyncSession, actor: Principal, spec: schemas.TenderSpec) -> schemas.Tender:
    owner_kind = actor.organization_kind
    if owner_kind not in OWNER_ROLE or not actor.acts_for(actor.organization_id, OWNER_ROLE[owner_kind]):
        raise Forbidden("tenders are created by municipalities' procurement officers or federations' coordinators")
    owner = (await organizations.by_ids(session, {actor.organization_id}))[actor.organization_id]
    pinned = await _validated(session, spec, owner.country)
    tender = Tender(owner_id=actor.organization_id, status="draft")  # its versions and revisions start at the columns' default, 1
    storage.write_spec(tender, spec, pinned)
    await insert_unique(session, tender, lambda: _reference_taken(session, actor.organization_id, spec.reference))
    _transition(session, actor, tender, "create", None, "draft")
    record(session, actor, "tender.create", "tender", tender.id, reference=spec.reference)
    return await get_tender(session, actor, tender.id)


async def _reference_taken(session: AsyncSession, owner_id: UUID, reference: str, exclude: UUID | None = None) -> Conflict | None:
    query = select(Tender.id).where(Tender.owner_id == owner_id, Tender.reference == reference)
    if exclude:
        query = query.where(Tender.id != exclude)
    existing = await session.scalar(query)
    if existing is None:
        return None
    detail = f"your organization already has a tender with reference {reference}"
    return Conflict(detail, errors=[("reference", "already used by another of your tenders")], existing_id=str(existing))


async def _write_spec(session: AsyncSession, tender: Tender, spec: schemas.TenderSpec, pinned: Pinned) -> None:
    for row in storage.write_spec(tender, spec, pinned):
        await bump_revision(session, row)


async def _unique_reference(session: AsyncSession, tender: Tender, reference: str) -> None:
    if error := await _reference_taken(session, tender.owner_id, reference, exclude=tender.id):
        raise error


async def replace_spec(session: AsyncSession, actor: Principal, tender_id: UUID, spec: schemas.TenderSpec, if_match: str | None) -> schemas.Tender:
    """Replace the whole specification (a convenience: the same rows as editing the parts would give)."""
    tender, owner = await owned_tender(session, actor, tender_id, if_match)
    editable(tender)
    pinned = await _validated(session, spec, owner.country)
    await _unique_reference(session, tender, spec.reference)
    await _write_spec(session, tender, spec, pinned)
    await bump_revision(session, tender)
    record(session, actor, "tender.update", "tender", tender.id, revision=tender.revision)
    return await views.view(session, actor, tender, owner)


async def update_fields(
    session: AsyncSession, actor: Principal, tender_id: UUID, update: schemas.TenderFieldsUpdate, if_match: str | None
) -> schemas.TenderHead:
    """Change some of the tender's own fields; its lots and selections are neither read nor rewritten."""
    tender, owner = await owned_tender(session, actor, tender_id, if_match, depth="tender")
    editable(tender)
    given = given_fields(update)
    fields = msgspec.structs.replace(schemas.TenderFields(**storage.fields_of(tender)), **given)
    errors = spec_errors(schemas.TenderSpec(**msgspec.structs.asdict(fields)), {}, [], country_law(owner.country).ground_keys())
    if errors:
        raise RuleViolation("the tender's fields have problems", errors=errors)
    await _unique_reference(session, tender, fields.reference)
    storage.write_fields(tender, fields)
    await bump_revision(session, tender)
    record(session, actor, "tender.update", "tender", tender.id, revision=tender.revision, fields=sorted(given))
    return views.head(tender, owner)


async def list_tenders(
    session: AsyncSession, actor: Principal | None, *, status: str | None, limit: int, offset: int
) -> tuple[list[schemas.TenderSummary], int]:
    """Tenders ``actor`` may see (anyone, ``actor`` None: the published ones), newest first, paged in the database
    with their lot counts."""
    lots = select(func.count(TenderLot.id)).where(TenderLot.tender_id == Tender.id).scalar_subquery()
    query = select(Tender, lots)
    public = or_(Tender.status.in_(PUBLIC_STATUSES), (Tender.status == "cancelled") & Tender.published_at.is_not(None))
    if actor is None:
        query = query.where(public)
    elif not actor.is_admin:
        invited = select(TenderParticipant.tender_id).where(TenderParticipant.organization_id == actor.organization_id)
        query = query.where(or_(Tender.owner_id == actor.organization_id, public, (Tender.status != "draft") & Tender.id.in_(invited)))
    if status:
        query = query.where(Tender.status == status)
    rows, total = await page(session, query.order_by(Tender.created_at.desc(), Tender.id), limit, offset)
    owners = await organizations.names(session, {t.owner_id for t, _ in rows})
    items = [
        schemas.TenderSummary(
            id=t.id, reference=t.reference, title=t.title, owner_id=t.owner_id, owner_name=owners[t.owner_id], status=t.status,
            language=t.language, submission_deadline=t.submission_deadline, lots=count,
        )
        for t, count in rows
    ]  # fmt: skip
    return items, total


@dataclass(frozen=True)
class PublishedLot:
    """A lot of a published tender, as a supplier picks one to judge a product against."""

    tender_id: UUID
    reference: str
    title: str
    owner_name: str
    submission_deadline: datetime | None
    lot: int
    lot_title: str
    product_categories: list[str]
    matches: bool
    """The lot buys one of the product categories asked about."""


MAX_PUBLISHED_LOTS = 500


async def published_lots(session: AsyncSession, categories: Collection[str] = ()) -> list[PublishedLot]:
    """Lots of published tenders (open to everyone): those buying one of ``categories`` first, then the
    nearest submission deadline first; at most ``MAX_PUBLISHED_LOTS`` lots are looked at."""
    rows = (
        await session.execute(
            select(Tender, TenderLot)
            .join(TenderLot, TenderLot.tender_id == Tender.id)
            .where(Tender.status == "published")
            .order_by(Tender.submission_deadline, Tender.id, TenderLot.position)
            .limit(MAX_PUBLISHED_LOTS)
        )
    ).all()
    owners = await organizations.names(session, {tender.owner_id for tender, _ in rows})
    lots = [
        PublishedLot(
            tender.id, tender.reference, tender.title, owners[tender.owner_id], tender.submission_deadline, lot.position, lot.title,
            list(lot.product_categories), bool(set(lot.product_categories) & set(categories)),
        )
        for tender, lot in rows
    ]  # fmt: skip
    return sorted(lots, key=lambda lot: not lot.matches)


# --- lifecycle ----------------------------------------------------------------------------------


def _transition(session: AsyncSession, actor: Principal, tender: Tender, action: str, from_status: str | None, to_status: str) -> TenderTransition:
    step = TenderTransition(
        tender_id=tender.id, at=utcnow(), action=action, from_status=from_status, to_status=to_status, actor_user_id=actor.user_id
    )
    session.add(step)
    return step


async def change_status(
    session: AsyncSession, actor: Principal, tender_id: UUID, action: str, if_match: str | None, *, min_submission_days: int, publisher: Publisher
) -> tuple[schemas.Transition, str]:
    """Take a lifecycle step; the step as the history records it, and the tender's new ETag."""
    tender, owner = await owned_tender(session, actor, tender_id, if_match, depth="selections" if action == "publish" else "tender")
    allowed_from, target = TRANSITIONS[action]
    if tender.status not in allowed_from:
        raise Conflict(f"cannot {action.replace('-', ' ')} a {tender.status} tender (allowed from: {', '.join(allowed_from)})")
    warnings: list[tuple[str, str]] = []
    if action == "publish":
        now = utcnow()
        errors, warnings = await _publication_problems(session, tender, owner, now, min_submission_days)
        if errors:
            raise RuleViolation("the tender cannot be published yet", errors=errors)
        tender.published_at = now
    step = _transition(session, actor, tender, action, tender.status, target)
    details: dict[str, Any] = {"warnings": [message for _, message in warnings]} if warnings else {}
    record(session, actor, f"tender.{action}", "tender", tender.id, from_status=tender.status, to_status=target, **details)
    tender.status = target
    await bump_revision(session, tender)
    if action == "publish":
        await snapshot.freeze(session, tender, owner, at=now, publisher=publisher)
    transition = msgspec.convert(step, schemas.Transition, from_attributes=True)
    transition.warnings = [FieldError(field, message) for field, message in warnings]
    return transition, storage.etag(tender)


async def publication_check(session: AsyncSession, actor: Principal, tender_id: UUID, min_submission_days: int) -> schemas.PublicationCheck:
    """What publishing the tender now would say, for its lead buyer, without publishing it (a read: no row lock)."""
    tender, owner = await visible_tender(session, actor, tender_id)
    _lead_only(actor, tender, owner.kind)
    errors, warnings = await _publication_problems(session, tender, owner, utcnow(), min_submission_days)
    if tender.status not in TRANSITIONS["publish"][0]:
        errors.insert(0, ("status", f"a {tender.status} tender cannot be published"))
    return schemas.PublicationCheck(
        publishable=not errors, errors=[FieldError(f, m) for f, m in errors], warnings=[FieldError(f, m) for f, m in warnings]
    )


async def _publication_problems(
    session: AsyncSession, tender: Tender, owner: Organization, now: datetime, min_days: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The errors that stop publication and the warnings that do not."""
    spec = storage.spec_of(tender)
    pinned = await pin(session, spec.lots)
    law = country_law(owner.country)
    errors = spec_errors(spec, pinned, await product_categories(session), law.ground_keys())
    errors += publication_errors(spec, pinned, now=now, min_submission_days=min_days)
    participants = list(await session.scalars(select(TenderParticipant).where(TenderParticipant.tender_id == tender.id)))
    waiting = [p for p in participants if p.status == "invited"]
    if waiting:
        names = await organizations.names(session, {p.organization_id for p in waiting})
        waited = ", ".join(sorted(names.values()))
        if tender.status == "draft":
            first = "the tender must first be opened for participants (open-for-participants)"
            errors.append(("participants", f"{first}: {waited} cannot answer while it is a draft"))
        else:
            errors.append(("participants", f"waiting for answers from {waited}"))
    joint = owner.kind == "federation" or bool(participants)
    if joint and not any(p.status == "confirmed" for p in participants):
        errors.append(("participants", "a joint tender needs at least one confirmed participant"))
    return errors, jurisdiction_warnings(spec, pinned, owner.country) + labour_clause_warnings(spec, law.labour_clauses_required_for)


async def amend(
    session: AsyncSession, actor: Principal, tender_id: UUID, amendment: schemas.AmendmentIn, if_match: str | None, *, publisher: Publisher
) -> schemas.Tender:
    """Correct a published tender: apply the changes, freeze the next document version, keep the record."""
    tender, owner = await owned_tender(session, actor, tender_id, if_match)
    if tender.status != "published":
        raise Conflict(f"amendments are for published tenders; this one is {tender.status}")
    spec = storage.spec_of(tender)
    changes = {f: v for f in ("description", "timeline", "lots") if (v := getattr(amendment, f)) is not None}
    changed = sorted(f for f, v in changes.items() if msgspec.to_builtins(v) != msgspec.to_builtins(getattr(spec, f)))
    if not changed:
        raise RuleViolation("the amendment changes nothing", errors=[("description", "give a new description, timeline or lots")])
    amended = msgspec.structs.replace(spec, **changes)
    pinned = await _validated(session, amended, owner.country)
    await snapshot.frozen(session, tender, owner, tender.document_version, publisher=publisher)
    number = 1 + (await session.scalar(select(func.count(TenderAmendment.id)).where(TenderAmendment.tender_id == tender.id)) or 0)
    if "lots" in changed:
        await _write_spec(session, tender, amended, pinned)
    else:
        storage.write_fields(tender, amended)
    tender.document_version += 1
    entry = TenderAmendment(
        tender_id=tender.id, number=number, document_version=tender.document_version,
        summary=amendment.summary, reason=amendment.reason, changed=changed, actor_user_id=actor.user_id, created_at=utcnow(),
    )  # fmt: skip
    session.add(entry)
    await bump_revision(session, tender)
    record(session, actor, "tender.amend", "tender", tender.id, number=number, changed=changed)
    await snapshot.freeze(session, tender, owner, at=entry.created_at, publisher=publisher)
    return await views.view(session, actor, tender, owner)


# --- module upgrades ----------------------------------------------------------------------------


async def upgrade_selections(
    session: AsyncSession, actor: Principal, tender_id: UUID, targets: list[str] | None, if_match: str | None
) -> schemas.Tender:
    """Move selections (``"lot.position"`` labels, or all) to their module's newest published version.

    The selections keep their rows; only the upgraded ones are re-validated.
    """
    tender, owner = await owned_tender(session, actor, tender_id, if_match)
    editable(tender)
    rows = {f"{lot.position}.{s.position}": s for lot in tender.lots for s in lot.selections}
    newest = await library.newest_published(session, {s.module_key for s in rows.values()})
    wanted = set(targets) if targets is not None else set(rows)
    outdated = {label: s for label, s in rows.items() if newest.get(s.module_key, s.module_version) > s.module_version}
    unknown = sorted(wanted - set(outdated))
    if targets is not None and unknown:
        raise RuleViolation("nothing to upgrade there", errors=[("selections", f"{u} is not an outdated selection") for u in unknown])
    chosen = {label: row for label, row in outdated.items() if label in wanted}
    upgraded = {label: msgspec.structs.replace(storage.selection_in(row), module_version=newest[row.module_key]) for label, row in chosen.items()}
    pinned = await library.pinned(session, {(s.module_key, s.module_version) for s in upgraded.values()})
    errors = [e for label, s in upgraded.items() for e in selection_errors(_path(label), s, pinned)]
    if errors:
        raise RuleViolation("the upgraded selections have problems", errors=errors)
    for label, selection in upgraded.items():
        storage.write_selection(chosen[label], selection, pinned)
        await bump_revision(session, chosen[label])
    await bump_revision(session, tender)
    record(session, actor, "tender.upgrade", "tender", tender.id, selections=sorted(upgraded))
    return await views.view(session, actor, tender, owner)


def _path(label: str) -> str:
    lot, position = (int(n) for n in label.split("."))
    return f"lots[{lot - 1}].selections[{position - 1}]"


def lot_at(tender: Tender, number: int) -> TenderLot:
    """The tender's lot numbered ``number`` (its lots loaded), or NotFound."""
    if not 1 <= number <= len(tender.lots):
        raise NotFound(f"the tender has no lot {number}")
    return tender.lots[number - 1]
