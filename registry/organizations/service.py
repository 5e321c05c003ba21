"""Organizations, federation memberships and users."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.principal import ROLE_ORG_KINDS, OrgKind, Principal, Role
from registry.db.base import utcnow
from registry.db.conflicts import insert_unique
from registry.db.paging import page
from registry.organizations import schemas
from registry.organizations.models import FederationMembership, Organization, User
from registry.organizations.orgnumbers import OrgNumberError, normalize_org_number
from registry.problems import Conflict, Forbidden, NotFound, RuleViolation
from registry.schemas import given_fields

ADMIN_GRANTED_ROLES = frozenset({Role.admin, Role.library_editor})
"""Roles only a registry admin may grant; an organization admin grants the rest."""
ADMIN_ORGANIZATION_NAME = "Registry administration"


def _shape_organization(row: Organization) -> schemas.Organization:
    return msgspec.convert(row, schemas.Organization, from_attributes=True)


def _shape_user(row: User) -> schemas.User:
    return msgspec.convert(row, schemas.User, from_attributes=True)


def organization_number(data: schemas.OrganizationCreate) -> str | None:
    """The organization number of ``data`` in canonical form; None for an authority without one.

    Raises ``RuleViolation`` (field ``org_number``) when it breaks the country's rule or is missing.
    """
    if data.org_number is None:
        if data.kind != "authority":
            raise RuleViolation("an organization number is required", errors=[("org_number", f"required for a {data.kind}")])
        return None
    try:
        return normalize_org_number(data.country, data.org_number)
    except OrgNumberError as exc:
        raise RuleViolation(str(exc), errors=[("org_number", str(exc))]) from None


async def create_organization(session: AsyncSession, actor: Principal | None, data: schemas.OrganizationCreate) -> schemas.Organization:
    """Register an organization; ``actor`` None is the operator's command line."""
    org_number = organization_number(data)
    organization = Organization(kind=data.kind, name=data.name, country=data.country, org_number=org_number, contact_email=data.contact_email)
    await insert_unique(session, organization, lambda: _registered(session, data.country, org_number))
    record(session, actor, "organization.create", "organization", organization.id, organization_id=organization.id)
    return _shape_organization(organization)


async def create_organizations(session: AsyncSession, items: Sequence[schemas.OrganizationCreate]) -> list[schemas.Organization]:
    """Register many organizations by the rules of ``create_organization``, in one insert instead of one per organization
    (the operator's onboarding import). Errors name the item: ``[3].org_number``; a number registered already or given
    twice is a conflict; nothing is added then."""
    errors: list[tuple[str, str]] = []
    organizations = []
    for index, data in enumerate(items):
        try:
            org_number = organization_number(data)
        except RuleViolation as exc:
            errors += [(f"[{index}].{e.field}", e.message) for e in exc.errors]
            continue
        organizations.append(
            Organization(kind=data.kind, name=data.name, country=data.country, org_number=org_number, contact_email=data.contact_email)
        )
    if errors:
        raise RuleViolation("organizations break the rules", errors=errors)
    numbers: dict[tuple[str, str], int] = {}
    for index, organization in enumerate(organizations):
        if organization.org_number is not None and numbers.setdefault((organization.country, organization.org_number), index) != index:
            errors.append((f"[{index}].org_number", f"given for [{numbers[organization.country, organization.org_number]}] too"))
    errors += await _registered_numbers(session, numbers)
    if errors:
        raise Conflict("organization numbers are taken", errors=errors)
    try:
        async with session.begin_nested():
            session.add_all(organizations)
    except IntegrityError:
        raise Conflict("organizations with the same numbers were registered at the same time; try again") from None
    for organization in organizations:
        record(session, None, "organization.create", "organization", organization.id, organization_id=organization.id)
    return [_shape_organization(organization) for organization in organizations]


async def _registered_numbers(session: AsyncSession, numbers: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """An error for each of the (country, number) pairs registered already, naming the item it was given as; read in
    chunks of 500 numbers per country."""
    by_country: dict[str, list[str]] = {}
    for country, number in numbers:
        by_country.setdefault(country, []).append(number)
    errors = []
    for country, values in by_country.items():
        for start in range(0, len(values), 500):
            taken = await session.scalars(
                select(Organization.org_number).where(Organization.country == country, Organization.org_number.in_(values[start : start + 500]))
            )
            errors += [(f"[{numbers[country, number]}].org_number", f"{number} is already registered") for number in taken if number]
    return errors


async def _registered(session: AsyncSession, country: str, org_number: str | None) -> Conflict | None:
    if org_number is None:
        return None
    existing = await session.scalar(select(Organization.id).where(Organization.country == country, Organization.org_number == org_number))
    if existing is None:
        return None
    detail = f"organization number {org_number} ({country}) is already registered as {existing}"
    return Conflict(detail, errors=[("org_number", "already registered")], existing_id=str(existing))


async def _organization(session: AsyncSession, organization_id: UUID) -> Organization:
    organization = await session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"no organization {organization_id}")
    return organization


async def get_organization(session: AsyncSession, organization_id: UUID) -> schemas.Organization:
    return _shape_organization(await _organization(session, organization_id))


async def by_ids(session: AsyncSession, organization_ids: set[UUID]) -> dict[UUID, schemas.Organization]:
    """The organizations among ``organization_ids`` that exist, by id, in one query."""
    if not organization_ids:
        return {}
    rows = await session.scalars(select(Organization).where(Organization.id.in_(organization_ids)))
    return {row.id: _shape_organization(row) for row in rows}


async def names(session: AsyncSession, organization_ids: set[UUID]) -> dict[UUID, str]:
    """The names of the organizations among ``organization_ids`` that exist, by id."""
    if not organization_ids:
        return {}
    rows = await session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(organization_ids)))
    return {organization_id: name for organization_id, name in rows}


async def list_organizations(
    session: AsyncSession, *, kind: str | None, country: str | None, q: str | None, limit: int, offset: int
) -> tuple[list[schemas.Organization], int]:
    query = select(Organization)
    if kind:
        query = query.where(Organization.kind == kind)
    if country:
        query = query.where(Organization.country == country)
    if q:
        in_name = func.lower(Organization.name).contains(q.lower(), autoescape=True)
        query = query.where(or_(in_name, Organization.org_number.contains(q, autoescape=True)))
    rows, total = await page(session, query.order_by(Organization.name, Organization.id), limit, offset)
    return [_shape_organization(r) for r in rows], total


async def update_organization(
    session: AsyncSession, actor: Principal | None, organization_id: UUID, data: schemas.OrganizationUpdate
) -> schemas.Organization:
    """Change an organization's name or contact; ``actor`` None is the operator's command line."""
    organization = await _organization(session, organization_id)
    if actor is not None and not actor.manages(organization.id):
        raise Forbidden("only the registry admin or this organization's admin may change it")
    for field, value in given_fields(data).items():
        setattr(organization, field, value)
    record(session, actor, "organization.update", "organization", organization.id, organization_id=organization.id)
    return _shape_organization(organization)


async def _federation_for(session: AsyncSession, actor: Principal | None, federation_id: UUID) -> Organization:
    federation = await _organization(session, federation_id)
    if federation.kind != "federation":
        raise RuleViolation(f"{federation.name} is a {federation.kind}, not a federation")
    if actor is not None and not (actor.manages(federation.id) or actor.acts_for(federation.id, Role.federation_coordinator)):
        raise Forbidden("only the federation's coordinators and admins manage its members")
    return federation


async def member_ids(session: AsyncSession, federation_id: UUID) -> set[UUID]:
    rows = await session.scalars(select(FederationMembership.municipality_id).where(FederationMembership.federation_id == federation_id))
    return set(rows)


async def list_members(session: AsyncSession, federation_id: UUID, *, limit: int, offset: int) -> tuple[list[schemas.Organization], int]:
    """A federation's member municipalities, by name."""
    await _organization(session, federation_id)
    query = (
        select(Organization)
        .join(FederationMembership, FederationMembership.municipality_id == Organization.id)
        .where(FederationMembership.federation_id == federation_id)
        .order_by(Organization.name, Organization.id)
    )
    rows, total = await page(session, query, limit, offset)
    return [_shape_organization(r) for r in rows], total


async def find_municipalities(
    session: AsyncSession, *, member_of: UUID | None, q: str | None, excluding: Collection[UUID], limit: int, offset: int
) -> tuple[list[schemas.Organization], int]:
    """Municipalities by name (the members of federation ``member_of`` when given) whose name holds ``q``, but for ``excluding``."""
    query = select(Organization).where(Organization.kind == "municipality")
    if member_of is not None:
        members = select(FederationMembership.municipality_id).where(FederationMembership.federation_id == member_of)
        query = query.where(Organization.id.in_(members))
    if excluding:
        query = query.where(Organization.id.not_in(list(excluding)))
    if q:
        query = query.where(func.lower(Organization.name).contains(q.lower(), autoescape=True))
    rows, total = await page(session, query.order_by(Organization.name, Organization.id), limit, offset)
    return [_shape_organization(r) for r in rows], total


async def add_member(session: AsyncSession, actor: Principal | None, federation_id: UUID, municipality_id: UUID) -> schemas.Organization:
    """Add a municipality to a federation; ``actor`` None is the operator's command line."""
    federation = await _federation_for(session, actor, federation_id)
    municipality = await session.get(Organization, municipality_id)
    if municipality is None:
        raise RuleViolation("no such organization", errors=[("municipality_id", f"no organization {municipality_id}")])
    if municipality.kind != "municipality":
        raise RuleViolation("only municipalities can be members", errors=[("municipality_id", f"{municipality.name} is a {municipality.kind}")])

    async def already_member() -> Conflict | None:
        if municipality.id not in await member_ids(session, federation.id):
            return None
        detail = f"{municipality.name} is already a member of {federation.name}"
        return Conflict(detail, errors=[("municipality_id", "already a member")], existing_id=str(municipality.id))

    await insert_unique(session, FederationMembership(federation_id=federation.id, municipality_id=municipality.id), already_member)
    record(
        session, actor, "federation.member.add", "organization", federation.id,
        organization_id=federation.id, municipality_id=str(municipality.id),
    )  # fmt: skip
    return _shape_organization(municipality)


async def add_members(session: AsyncSession, federation_id: UUID, municipality_ids: Sequence[UUID]) -> int:
    """Add municipalities to a federation by the rules of ``add_member``, in one insert (the operator's onboarding import);
    those that are members already are left as they are. Errors name the item (``[3].municipality_id``); nothing is
    added then. Returns how many were added."""
    federation = await _federation_for(session, None, federation_id)
    found = {row.id: row for row in await session.scalars(select(Organization).where(Organization.id.in_(set(municipality_ids))))}
    errors = []
    for index, municipality_id in enumerate(municipality_ids):
        if (municipality := found.get(municipality_id)) is None:
            errors.append((f"[{index}].municipality_id", f"no organization {municipality_id}"))
        elif municipality.kind != "municipality":
            errors.append((f"[{index}].municipality_id", f"only municipalities can be members: {municipality.name} is a {municipality.kind}"))
    if errors:
        raise RuleViolation("only municipalities can be members", errors=errors)
    members = await member_ids(session, federation.id)
    new = [m for m in dict.fromkeys(municipality_ids) if m not in members]
    try:
        async with session.begin_nested():
            session.add_all([FederationMembership(federation_id=federation.id, municipality_id=m) for m in new])
    except IntegrityError:
        raise Conflict(f"members were added to {federation.name} at the same time; try again") from None
    for municipality_id in new:
        record(
            session, None, "federation.member.add", "organization", federation.id,
            organization_id=federation.id, municipality_id=str(municipality_id),
        )  # fmt: skip
    return len(new)


async def remove_member(session: AsyncSession, actor: Principal, federation_id: UUID, municipality_id: UUID) -> None:
    federation = await _federation_for(session, actor, federation_id)
    membership = await session.get(FederationMembership, (federation.id, municipality_id))
    if membership is None:
        raise NotFound(f"organization {municipality_id} is not a member of {federation.name}")
    await session.delete(membership)
    record(
        session, actor, "federation.member.remove", "organization", federation.id,
        organization_id=federation.id, municipality_id=str(municipality_id),
    )  # fmt: skip


def _check_roles(actor: Principal | None, organization: Organization, roles: list[Role]) -> None:
    errors = []
    for index, role in enumerate(roles):
        kinds = ROLE_ORG_KINDS.get(role)
        if kinds and organization.kind not in kinds:
            errors.append((f"roles[{index}]", f"{role} is for organizations of kind {', '.join(sorted(kinds))}, not {organization.kind}"))
        elif role in ADMIN_GRANTED_ROLES and actor is not None and not actor.is_admin:
            errors.append((f"roles[{index}]", f"only the registry admin grants {role}"))
    if errors:
        raise RuleViolation("roles do not fit", errors=errors)


async def _managed_organization(session: AsyncSession, actor: Principal, organization_id: UUID) -> Organization:
    """The organization if ``actor`` administers it; another organization's users are hidden (404)."""
    organization = await _organization(session, organization_id)
    if not actor.manages(organization.id):
        raise NotFound(f"no users visible for organization {organization_id}")
    return organization


async def create_user(session: AsyncSession, actor: Principal | None, organization_id: UUID, data: schemas.UserCreate) -> schemas.User:
    """Add a user; ``actor`` None is the operator's command line, which may grant any role."""
    organization = await _organization(session, organization_id) if actor is None else await _managed_organization(session, actor, organization_id)
    _check_roles(actor, organization, data.roles)
    roles = list(dict.fromkeys(data.roles))
    email = data.email.lower()
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"a user with email {email} already exists")
    user = User(organization_id=organization.id, name=data.name, email=email, roles=[str(r) for r in roles])
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"a user with email {email} already exists") from None
    record(session, actor, "user.create", "user", user.id, organization_id=organization.id, roles=user.roles)
    return _shape_user(user)


async def with_users(session: AsyncSession, organization_ids: Collection[UUID]) -> set[UUID]:
    """Those of the organizations where anyone (active or not) has an account."""
    if not organization_ids:
        return set()
    return set(await session.scalars(select(User.organization_id).where(User.organization_id.in_(list(organization_ids))).distinct()))


async def list_users(session: AsyncSession, actor: Principal, organization_id: UUID, *, limit: int, offset: int) -> tuple[list[schemas.User], int]:
    await _managed_organization(session, actor, organization_id)
    query = select(User).where(User.organization_id == organization_id).order_by(User.name, User.id)
    rows, total = await page(session, query, limit, offset)
    return [_shape_user(u) for u in rows], total


async def _managed_user(session: AsyncSession, actor: Principal | None, user_id: UUID, *, or_self: bool = False) -> User:
    """The user if ``actor`` may manage them, or is them when ``or_self``.

    The operator's command line (``actor`` None) and registry admins manage everyone; an organization
    admin manages the organization's users who hold no role only registry admins grant. Another
    organization's users are hidden (404); a colleague out of reach is 403.
    """
    user = await session.get(User, user_id)
    if user is not None and (actor is None or (or_self and user.id == actor.user_id)):
        return user
    if user is None or actor is None or not actor.manages(user.organization_id):
        raise NotFound(f"no user {user_id}")
    if not (actor.is_admin or ADMIN_GRANTED_ROLES.isdisjoint(user.roles)):
        raise Forbidden(f"only a registry admin manages users holding {' or '.join(sorted(ADMIN_GRANTED_ROLES))}")
    return user


async def managed_user(session: AsyncSession, actor: Principal, user_id: UUID) -> schemas.User:
    """A user ``actor`` may manage (see ``_managed_user``), to show before changing them."""
    return _shape_user(await _managed_user(session, actor, user_id))


async def _keep_an_active_admin(session: AsyncSession, user: User) -> None:
    """Refuse (409) to take away the last active admin; ``user`` is about to stop being one.

    The active users are read ``FOR UPDATE`` in a fixed order, so two admins demoting each other at
    once on PostgreSQL are serialized and the second one sees the first one's change.
    """
    if Role.admin not in user.roles or user.deactivated_at is not None:
        return
    active = await session.scalars(
        select(User).where(User.deactivated_at.is_(None)).order_by(User.id).with_for_update().execution_options(populate_existing=True)
    )
    if not any(Role.admin in other.roles for other in active if other.id != user.id):
        raise Conflict(f"{user.email} is the last active admin; make another user admin first")


async def update_user(session: AsyncSession, actor: Principal, user_id: UUID, data: schemas.UserUpdate) -> schemas.User:
    user = await _managed_user(session, actor, user_id)
    if data.roles is not msgspec.UNSET:
        organization = await _organization(session, user.organization_id)
        _check_roles(actor, organization, data.roles)
        roles = list(dict.fromkeys(data.roles))
        if Role.admin not in roles:
            await _keep_an_active_admin(session, user)
        user.roles = [str(r) for r in roles]
    if data.name is not msgspec.UNSET:
        user.name = data.name
    record(session, actor, "user.update", "user", user.id, organization_id=user.organization_id, roles=user.roles)
    return _shape_user(user)


async def set_user_active(session: AsyncSession, actor: Principal, user_id: UUID, active: bool) -> schemas.User:
    """Deactivate a user, so none of their tokens authenticates, or reactivate them; repeating either is harmless."""
    user = await _managed_user(session, actor, user_id)
    if (user.deactivated_at is None) == active:
        return _shape_user(user)
    if not active:
        await _keep_an_active_admin(session, user)
    user.deactivated_at = None if active else utcnow()
    record(session, actor, "user.reactivate" if active else "user.deactivate", "user", user.id, organization_id=user.organization_id)
    return _shape_user(user)


# Accounts: users as the auth slice sees them


def _accounts() -> Select[User, OrgKind]:
    return select(User, Organization.kind).join(Organization, Organization.id == User.organization_id)


def _account(user: User, organization_kind: OrgKind) -> schemas.Account:
    return schemas.Account(user.id, user.email, frozenset(user.roles), user.deactivated_at, user.organization_id, organization_kind)


def with_account(query: Select, user_id: Any) -> Select:
    """``query`` with two more columns: the user its column ``user_id`` names and that user's organization's kind.

    ``account_of`` makes the two an Account, so another slice finds a row and its account in one query.
    """
    return query.add_columns(User, Organization.kind).join(User, User.id == user_id).join(Organization, Organization.id == User.organization_id)


def by_name(query: Select, organization_id: Any) -> Select:
    """``query`` with the name of the organization its column ``organization_id`` names as one more column, ordered by it."""
    return query.add_columns(Organization.name).join(Organization, Organization.id == organization_id).order_by(Organization.name, Organization.id)


def account_of(user: User, organization_kind: OrgKind) -> schemas.Account:
    return _account(user, organization_kind)


async def account(session: AsyncSession, user_id: UUID) -> schemas.Account | None:
    """The user ``user_id`` with their organization's kind, in one query."""
    row = (await session.execute(_accounts().where(User.id == user_id))).first()
    return _account(*row) if row else None


async def account_by_email(session: AsyncSession, email: str) -> tuple[schemas.Account, str | None] | None:
    """The account signing in as ``email`` (any case) and its password hash (None until one is set)."""
    row = (await session.execute(_accounts().where(func.lower(User.email) == email.strip().lower()))).first()
    return (_account(*row), row[0].password_hash) if row else None


async def set_password_hash(session: AsyncSession, user_id: UUID, password_hash: str) -> None:
    await session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))


async def managed_account(session: AsyncSession, actor: Principal | None, user_id: UUID, *, or_self: bool = False) -> schemas.Account:
    """The account of a user ``actor`` may manage (see ``_managed_user``); ``actor`` None is the operator."""
    user = await _managed_user(session, actor, user_id, or_self=or_self)
    return _account(user, (await _organization(session, user.organization_id)).kind)


async def active_admin(session: AsyncSession) -> schemas.Account | None:
    """The earliest created active admin, if one is left."""
    rows = await session.execute(_accounts().where(User.deactivated_at.is_(None)).order_by(User.created_at))
    return next((_account(user, kind) for user, kind in rows if Role.admin in user.roles), None)


async def restore_or_create_admin(session: AsyncSession, email: str, user_id: UUID | None = None) -> schemas.Account:
    """With no active admin left: the user ``user_id``, else the one with ``email``, made an active admin again; else a new admin."""
    user = await session.get(User, user_id) if user_id else await session.scalar(select(User).where(User.email == email))
    if user is None:
        return await _create_admin(session, email)
    organization = await _organization(session, user.organization_id)
    if organization.kind != "authority":
        raise Conflict(
            f"the admin cannot be restored: {user.email} belongs to a user of {organization.name}, a {organization.kind}; "
            "create an admin with `registry admin create-admin --email <another address>`"
        )
    user.roles = list(dict.fromkeys([*user.roles, Role.admin]))
    user.deactivated_at = None
    record(session, None, "admin.restore", "user", user.id, organization_id=organization.id)
    return _account(user, organization.kind)


async def _create_admin(session: AsyncSession, email: str) -> schemas.Account:
    organization = Organization(kind="authority", name=ADMIN_ORGANIZATION_NAME, country="NO", org_number=None)
    session.add(organization)
    await session.flush()
    user = User(organization_id=organization.id, name="Administrator", email=email, roles=[Role.admin])
    session.add(user)
    await session.flush()
    record(session, None, "admin.create", "user", user.id, organization_id=organization.id)
    return _account(user, organization.kind)
