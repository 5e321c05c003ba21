"""Issue, list, revoke and check API tokens; create the first admin."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import msgspec
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from registry.audit.service import record
from registry.auth.models import ApiToken
from registry.auth.principal import Principal, Role
from registry.auth.tokens import display_prefix, hash_secret, new_secret
from registry.db.base import utcnow
from registry.organizations.models import Organization, User
from registry.organizations.service import managed_user
from registry.problems import Conflict, NotFound, RuleViolation, Unauthorized

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, to keep reads from becoming writes."""
ADMIN_ORGANIZATION_NAME = "Registry administration"
BOOTSTRAP_EMAIL = "admin@registry.invalid"
INVALID_TOKEN = "the bearer token is not valid"
"""One answer for unknown, revoked and expired tokens: a caller learns nothing about a token it holds."""


async def authenticate(session: AsyncSession, secret: str, request_id: str | None) -> tuple[Principal, bool]:
    """The principal holding ``secret``, and whether its token's ``last_used_at`` is due a stamp (``note_use``).

    A token works while it, every token up the chain that issued it, and its user's account are valid.
    """
    row = (
        await session.execute(
            select(ApiToken, User, Organization)
            .join(User, User.id == ApiToken.user_id)
            .join(Organization, Organization.id == User.organization_id)
            .where(ApiToken.token_hash == hash_secret(secret))
        )
    ).first()
    now = utcnow()
    if row is None:
        raise Unauthorized(INVALID_TOKEN)
    token, user, organization = row
    if token.revoked_at is not None or user.deactivated_at is not None:
        raise Unauthorized(INVALID_TOKEN)
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthorized(INVALID_TOKEN)
    if token.parent_id is not None and await _issuer_lapsed(session, token.parent_id, now):
        raise Unauthorized(INVALID_TOKEN)
    stamp_due = token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION
    principal = Principal(user.id, organization.id, organization.kind, frozenset(user.roles), request_id, token.id, token.expires_at)
    return principal, stamp_due


async def _issuer_lapsed(session: AsyncSession, parent_id: UUID, now: datetime) -> bool:
    """Whether the token ``parent_id``, or one up the chain that issued it, has been revoked or has expired."""
    chain = select(ApiToken.id, ApiToken.parent_id).where(ApiToken.id == parent_id).cte("issuers", recursive=True)
    issuer = aliased(ApiToken)
    chain = chain.union_all(select(issuer.id, issuer.parent_id).where(issuer.id == chain.c.parent_id))
    lapsed = or_(ApiToken.revoked_at.is_not(None), ApiToken.expires_at <= now)
    return await session.scalar(select(ApiToken.id).where(ApiToken.id.in_(select(chain.c.id)), lapsed).limit(1)) is not None


async def note_use(session: AsyncSession, token_id: UUID) -> None:
    """Stamp ``last_used_at`` unless it was stamped within ``LAST_USED_RESOLUTION``: one write a minute at most."""
    now = utcnow()
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USED_RESOLUTION)
    await session.execute(update(ApiToken).where(ApiToken.id == token_id, stale).values(last_used_at=now))


async def issue_token(
    session: AsyncSession,
    actor: Principal | None,
    user_id: UUID,
    name: str,
    expires_in_days: int | None | msgspec.UnsetType,
    *,
    max_days: int,
) -> tuple[ApiToken, str]:
    """A new token for a user ``actor`` may manage, or for themselves; the secret is returned once and never stored.

    ``actor`` None is the operator's command line. The token is recorded as issued by the actor's token.
    """
    user = await (_user(session, user_id) if actor is None else managed_user(session, actor, user_id, or_self=True))
    return await _issue(session, actor, user, name, _expiry(actor, expires_in_days, max_days))


def _expiry(actor: Principal | None, expires_in_days: int | None | msgspec.UnsetType, max_days: int) -> datetime | None:
    """When a new token expires: after ``max_days`` unless asked otherwise, and never after the token issuing it.

    Only registry admins and the operator ask for more than ``max_days`` or for no expiry (None).
    """
    days = max_days if expires_in_days is msgspec.UNSET else expires_in_days
    if not (actor is None or actor.is_admin) and (days is None or days > max_days):
        message = f"at most {max_days} days; only registry admins issue longer-lived tokens"
        raise RuleViolation(f"a token lasts at most {max_days} days", errors=[("expires_in_days", message)])
    expires_at = None if days is None else utcnow() + timedelta(days=days)
    ceiling = actor.token_expires_at if actor else None
    if ceiling is None or (expires_at is not None and expires_at <= ceiling):
        return expires_at
    return ceiling


async def _user(session: AsyncSession, user_id: UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


async def _issue(session: AsyncSession, actor: Principal | None, user: User, name: str, expires_at: datetime | None) -> tuple[ApiToken, str]:
    if user.deactivated_at is not None:
        raise Conflict(f"{user.email} is deactivated; reactivate them before issuing tokens")
    secret = new_secret()
    token = _token(user.id, name, secret, expires_at, parent_id=actor.token_id if actor else None)
    session.add(token)
    await session.flush()
    record(session, actor, "token.issue", "api_token", token.id, organization_id=user.organization_id, user_id=str(user.id))
    return token, secret


def _token(user_id: UUID, name: str, secret: str, expires_at: datetime | None, parent_id: UUID | None = None) -> ApiToken:
    return ApiToken(
        user_id=user_id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=display_prefix(secret),
        expires_at=expires_at,
        parent_id=parent_id,
    )


async def list_tokens(session: AsyncSession, actor: Principal, user_id: UUID) -> list[ApiToken]:
    await managed_user(session, actor, user_id, or_self=True)
    return list(await session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at)))


async def revoke_token(session: AsyncSession, actor: Principal, token_id: UUID) -> ApiToken:
    """Revoke a token; the tokens it issued, and theirs, stop with it (``authenticate`` checks the chain)."""
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    user = await managed_user(session, actor, token.user_id, or_self=True)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, actor, "token.revoke", "api_token", token.id, organization_id=user.organization_id)
    return token


async def _active_admin(session: AsyncSession) -> User | None:
    users = await session.scalars(select(User).where(User.deactivated_at.is_(None)).order_by(User.created_at))
    return next((u for u in users if Role.admin in u.roles), None)


async def _restore_or_create_admin(session: AsyncSession, email: str, user_id: UUID | None = None) -> User:
    """With no active admin left: the user ``user_id``, else the one with ``email``, made an active admin again; else a new admin."""
    user = await session.get(User, user_id) if user_id else await session.scalar(select(User).where(User.email == email))
    if user is None:
        return await _create_admin(session, email)
    organization = await session.get_one(Organization, user.organization_id)
    if organization.kind != "authority":
        raise Conflict(
            f"the admin cannot be restored: {user.email} belongs to a user of {organization.name}, a {organization.kind}; "
            "create an admin with `registry admin create-admin --email <another address>`"
        )
    user.roles = list(dict.fromkeys([*user.roles, Role.admin]))
    user.deactivated_at = None
    record(session, None, "admin.restore", "user", user.id, organization_id=organization.id)
    return user


async def _create_admin(session: AsyncSession, email: str) -> User:
    organization = Organization(kind="authority", name=ADMIN_ORGANIZATION_NAME, country="NO", org_number=None)
    session.add(organization)
    await session.flush()
    user = User(organization_id=organization.id, name="Administrator", email=email, roles=[Role.admin])
    session.add(user)
    await session.flush()
    record(session, None, "admin.create", "user", user.id, organization_id=organization.id)
    return user


async def bootstrap_admin(session: AsyncSession, secret: str) -> bool:
    """Unless an active admin exists, make the holder of ``secret`` (or the bootstrap address) an active admin again, or create one.

    ``secret`` becomes (again) a valid token of that admin that never expires. Raises ``Conflict`` when
    the bootstrap address belongs to a user who cannot be an admin.
    """
    if await _active_admin(session):
        return False
    token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    user = await _restore_or_create_admin(session, BOOTSTRAP_EMAIL, token.user_id if token else None)
    if token is None:
        session.add(_token(user.id, "bootstrap", secret, None))
    else:
        token.revoked_at = token.expires_at = None
    return True


async def create_admin_token(session: AsyncSession, email: str) -> tuple[ApiToken, str]:
    """A new token that never expires for the first active admin; with none left, ``email``'s user is restored or created as admin."""
    user = await _active_admin(session) or await _restore_or_create_admin(session, email.lower())
    return await _issue(session, None, user, "cli", None)
