"""Issue, list, revoke and check API tokens; create the first admin."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.models import ApiToken
from registry.auth.principal import Principal, Role
from registry.auth.tokens import display_prefix, hash_secret, new_secret
from registry.db.base import utcnow
from registry.organizations.models import Organization, User
from registry.problems import NotFound, Unauthorized

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, to keep reads from becoming writes."""
ADMIN_ORGANIZATION_NAME = "Registry administration"
INVALID_TOKEN = "the bearer token is not valid"
"""One answer for unknown, revoked and expired tokens: a caller learns nothing about a token it holds."""


async def authenticate(session: AsyncSession, secret: str, request_id: str | None) -> tuple[Principal, bool]:
    """The principal holding ``secret``, and whether its token's ``last_used_at`` is due a stamp (``note_use``)."""
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
    if token.revoked_at is not None:
        raise Unauthorized(INVALID_TOKEN)
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthorized(INVALID_TOKEN)
    stamp_due = token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION
    return Principal(user.id, organization.id, organization.kind, frozenset(user.roles), request_id, token.id), stamp_due


async def note_use(session: AsyncSession, token_id: UUID) -> None:
    """Stamp ``last_used_at`` unless it was stamped within ``LAST_USED_RESOLUTION``: one write a minute at most."""
    now = utcnow()
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USED_RESOLUTION)
    await session.execute(update(ApiToken).where(ApiToken.id == token_id, stale).values(last_used_at=now))


async def _user_managed_by(session: AsyncSession, actor: Principal, user_id: UUID) -> User:
    """The user, when ``actor`` is that user or manages their organization; else NotFound."""
    user = await session.get(User, user_id)
    if user is None or not (user.id == actor.user_id or actor.manages(user.organization_id)):
        raise NotFound(f"no user {user_id}")
    return user


async def issue_token(
    session: AsyncSession, actor: Principal | None, user_id: UUID, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A new token for the user; the secret is returned once and never stored."""
    user = await (session.get(User, user_id) if actor is None else _user_managed_by(session, actor, user_id))
    if user is None:
        raise NotFound(f"no user {user_id}")
    secret = new_secret()
    token = _token(user.id, name, secret, expires_in_days)
    session.add(token)
    await session.flush()
    record(session, actor, "token.issue", "api_token", token.id, organization_id=user.organization_id, user_id=str(user.id))
    return token, secret


def _token(user_id: UUID, name: str, secret: str, expires_in_days: int | None) -> ApiToken:
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    return ApiToken(
        user_id=user_id, name=name, token_hash=hash_secret(secret), prefix=display_prefix(secret), expires_at=expires_at
    )


async def list_tokens(session: AsyncSession, actor: Principal, user_id: UUID) -> list[ApiToken]:
    await _user_managed_by(session, actor, user_id)
    return list(await session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at)))


async def revoke_token(session: AsyncSession, actor: Principal, token_id: UUID) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    user = await _user_managed_by(session, actor, token.user_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, actor, "token.revoke", "api_token", token.id, organization_id=user.organization_id)
    return token


async def _admin_user(session: AsyncSession) -> User | None:
    users = await session.scalars(select(User).order_by(User.created_at))
    return next((u for u in users if Role.admin in u.roles), None)


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
    """Create an admin organization and user holding ``secret`` unless an admin exists."""
    if await _admin_user(session):
        return False
    user = await _create_admin(session, "admin@registry.invalid")
    session.add(_token(user.id, "bootstrap", secret, None))
    return True


async def create_admin_token(session: AsyncSession, email: str) -> tuple[ApiToken, str]:
    """A new token for the first admin, creating that admin when there is none yet."""
    user = await _admin_user(session) or await _create_admin(session, email.lower())
    return await issue_token(session, None, user.id, "cli", None)
