"""Issue, list, revoke and check API tokens; create the first admin."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import msgspec
from sqlalchemy import Select, bindparam, literal_column, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from registry.audit.service import record
from registry.auth import schemas
from registry.auth.models import ApiToken
from registry.auth.principal import Principal
from registry.auth.tokens import display_prefix, hash_secret, new_secret
from registry.db.base import utcnow
from registry.db.paging import page
from registry.organizations import service as organizations
from registry.organizations.schemas import Account
from registry.problems import Conflict, NotFound, RuleViolation, Unauthorized

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, to keep reads from becoming writes."""
BOOTSTRAP_EMAIL = "admin@registry.invalid"
INVALID_TOKEN = "the bearer token is not valid"
"""One answer for unknown, revoked and expired tokens: a caller learns nothing about a token it holds."""


async def authenticate(session: AsyncSession, secret: str, request_id: str | None) -> tuple[Principal, bool]:
    """The principal holding ``secret``, and whether its token's ``last_used_at`` is due a stamp (``note_use``).

    A token works while it, every token up the chain that issued it, and its user's account are valid.
    One query: the chain of tokens, each with its user's account (the first row's is the caller's).
    """
    now = utcnow()
    rows = (await session.execute(_CHAIN, {"token_hash": hash_secret(secret)})).all()
    if not rows or any(_lapsed(token, now) for token, _, _ in rows):
        raise Unauthorized(INVALID_TOKEN)
    token, user, organization_kind = rows[0]
    account = organizations.account_of(user, organization_kind)
    if account.deactivated_at is not None:
        raise Unauthorized(INVALID_TOKEN)
    stamp_due = token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION
    principal = Principal(account.user_id, account.organization_id, account.organization_kind, account.roles, request_id, token.id, token.expires_at)
    return principal, stamp_due


def _chain_query() -> Select:
    """The token whose hash is bound as ``token_hash`` first, then the token that issued it, and so on up; each with its user's account."""
    chain = (
        select(ApiToken.id, ApiToken.parent_id, literal_column("0").label("depth"))
        .where(ApiToken.token_hash == bindparam("token_hash"))
        .cte("chain", recursive=True)
    )
    issuer = aliased(ApiToken)
    chain = chain.union_all(select(issuer.id, issuer.parent_id, chain.c.depth + 1).where(issuer.id == chain.c.parent_id))
    return organizations.with_account(select(ApiToken).join(chain, chain.c.id == ApiToken.id), ApiToken.user_id).order_by(chain.c.depth)


_CHAIN = _chain_query()
"""Built once: composing the recursive query anew took about 1 ms a request, far longer than running it."""


def _lapsed(token: ApiToken, now: datetime) -> bool:
    return token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now)


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
) -> schemas.IssuedToken:
    """A new token for a user ``actor`` may manage, or for themselves; the secret is returned once and never stored.

    ``actor`` None is the operator's command line. The token is recorded as issued by the actor's token.
    """
    user = await organizations.managed_account(session, actor, user_id, or_self=True)
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


async def _issue(session: AsyncSession, actor: Principal | None, user: Account, name: str, expires_at: datetime | None) -> schemas.IssuedToken:
    if user.deactivated_at is not None:
        raise Conflict(f"{user.email} is deactivated; reactivate them before issuing tokens")
    secret = new_secret()
    token = _token(user.user_id, name, secret, expires_at, parent_id=actor.token_id if actor else None)
    session.add(token)
    await session.flush()
    record(session, actor, "token.issue", "api_token", token.id, organization_id=user.organization_id, user_id=str(user.user_id))
    return schemas.IssuedToken(**msgspec.structs.asdict(_shape(token)), token=secret)


def _shape(token: ApiToken) -> schemas.Token:
    return msgspec.convert(token, schemas.Token, from_attributes=True)


def _token(user_id: UUID, name: str, secret: str, expires_at: datetime | None, parent_id: UUID | None = None) -> ApiToken:
    return ApiToken(
        user_id=user_id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=display_prefix(secret),
        expires_at=expires_at,
        parent_id=parent_id,
    )


async def list_tokens(session: AsyncSession, actor: Principal, user_id: UUID, *, limit: int, offset: int) -> tuple[list[schemas.Token], int]:
    """A user's tokens, oldest first, without their secrets."""
    await organizations.managed_account(session, actor, user_id, or_self=True)
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at, ApiToken.id)
    rows, total = await page(session, query, limit, offset)
    return [_shape(t) for t in rows], total


async def revoke_token(session: AsyncSession, actor: Principal, token_id: UUID) -> None:
    """Revoke a token; the tokens it issued, and theirs, stop with it (``authenticate`` checks the chain)."""
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    try:
        user = await organizations.managed_account(session, actor, token.user_id, or_self=True)
    except NotFound:  # another organization's token: as unknown as a missing one, without naming its owner
        raise NotFound(f"no token {token_id}") from None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, actor, "token.revoke", "api_token", token.id, organization_id=user.organization_id)


async def bootstrap_admin(session: AsyncSession, secret: str) -> bool:
    """Unless an active admin exists, make the holder of ``secret`` (or the bootstrap address) an active admin again, or create one.

    ``secret`` becomes (again) a valid token of that admin that never expires. Raises ``Conflict`` when
    the bootstrap address belongs to a user who cannot be an admin.
    """
    if await organizations.active_admin(session):
        return False
    token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    admin = await organizations.restore_or_create_admin(session, BOOTSTRAP_EMAIL, token.user_id if token else None)
    if token is None:
        session.add(_token(admin.user_id, "bootstrap", secret, None))
    else:
        token.revoked_at = token.expires_at = None
    return True


async def create_admin_token(session: AsyncSession, email: str) -> schemas.IssuedToken:
    """A new token that never expires for the first active admin; with none left, ``email``'s user is restored or created as admin."""
    admin = await organizations.active_admin(session) or await organizations.restore_or_create_admin(session, email.lower())
    return await _issue(session, None, admin, "cli", None)
