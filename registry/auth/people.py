"""People in the browser: invitations to set a password, signing in and out, and server-side sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults). Invitation links and session cookies
carry random secrets of which only the SHA-256 is stored, like API tokens. A session ends when its
user signs out (here or everywhere), stays idle longer than ``IDLE``, reaches ``LIFETIME``, or when
the user is deactivated. Reading a session writes nothing but a ``last_seen_at`` stamp, at most once
a minute (``STAMP_EVERY``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.models import Invitation, WebSession
from registry.auth.principal import Principal
from registry.auth.tokens import hash_secret
from registry.db.base import utcnow
from registry.organizations import service as organizations
from registry.organizations.schemas import Account
from registry.problems import Conflict, RuleViolation, Unauthorized

HASHER = PasswordHasher()
INVITATION_DAYS = 7
IDLE = timedelta(minutes=60)
LIFETIME = timedelta(hours=12)
STAMP_EVERY = timedelta(minutes=1)
MIN_PASSWORD, MAX_PASSWORD = 12, 256
SIGN_IN_FAILED = "the email address or the password is not right"
"""One answer for an unknown address, a wrong password and a user without a password: nothing is learnt of which."""
INVITATION_GONE = "this invitation link is not valid: it was used, replaced or has expired; ask for a new one"


def invitation_link(public_url: str, secret: str) -> str:
    return f"{public_url.rstrip('/')}/invitation/{secret}"


def password_problem(password: str, repeated: str) -> str | None:
    if password != repeated:
        return "the two passwords are not the same"
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters"
    if password.strip() != password or not password.isprintable():
        return "a password has no spaces at either end and no control characters"
    return None


async def invite(session: AsyncSession, actor: Principal | None, user_id: UUID, *, days: int = INVITATION_DAYS) -> tuple[str, datetime]:
    """A new one-time secret at which the user sets their password; earlier unused invitations stop working.

    ``actor`` manages the user's organization (an org admin or a registry admin); None is the operator.
    """
    account = await organizations.managed_account(session, actor, user_id)
    if account.deactivated_at is not None:
        raise Conflict(f"{account.email} is deactivated; reactivate them before inviting them")
    now = utcnow()
    await session.execute(update(Invitation).where(Invitation.user_id == user_id, Invitation.used_at.is_(None)).values(used_at=now))
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=days)
    session.add(Invitation(user_id=user_id, token_hash=hash_secret(secret), expires_at=expires_at, invited_by=actor.user_id if actor else None))
    record(session, actor, "user.invite", "user", user_id, organization_id=account.organization_id, expires_at=expires_at.isoformat())
    return secret, expires_at


async def invitation_email(session: AsyncSession, secret: str) -> str:
    """The address an unused, unexpired invitation is for, or Unauthorized."""
    _, account = await _invitation(session, secret)
    return account.email


async def _invitation(session: AsyncSession, secret: str) -> tuple[Invitation, Account]:
    invitation = await session.scalar(select(Invitation).where(Invitation.token_hash == hash_secret(secret)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        raise Unauthorized(INVITATION_GONE)
    account = await organizations.account(session, invitation.user_id)
    if account is None or account.deactivated_at is not None:
        raise Unauthorized(INVITATION_GONE)
    return invitation, account


def _person(account: Account) -> Principal:
    return Principal(account.user_id, account.organization_id, account.organization_kind, account.roles)


async def accept(session: AsyncSession, secret: str, password: str, repeated: str) -> str:
    """Set the invited user's password (the invitation is used up); returns their email, to sign in with."""
    invitation, account = await _invitation(session, secret)
    if problem := password_problem(password, repeated):
        raise RuleViolation("the password cannot be used", errors=[("password", problem)])
    await organizations.set_password_hash(session, invitation.user_id, HASHER.hash(password))
    invitation.used_at = utcnow()
    record(session, _person(account), "user.password.set", "user", account.user_id, organization_id=account.organization_id)
    return account.email


async def sign_in(session: AsyncSession, email: str, password: str) -> tuple[str, WebSession]:
    """A new session for the holder of ``email`` and ``password``: the cookie's secret and the session."""
    found = await organizations.account_by_email(session, email)
    password_hash = found[1] if found else None
    try:
        if found is None or password_hash is None:
            HASHER.verify(_DUMMY, password)  # as slow as a real check: timing tells nothing either
            raise VerificationError
        HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized(SIGN_IN_FAILED) from None
    account = found[0]
    if account.deactivated_at is not None:
        raise Unauthorized(SIGN_IN_FAILED)
    if HASHER.check_needs_rehash(password_hash):
        await organizations.set_password_hash(session, account.user_id, HASHER.hash(password))
    secret, now = secrets.token_urlsafe(32), utcnow()
    web = WebSession(
        user_id=account.user_id, token_hash=hash_secret(secret), csrf=secrets.token_urlsafe(32), created_at=now, last_seen_at=now,
        expires_at=now + LIFETIME,
    )  # fmt: skip
    session.add(web)
    record(session, _person(account), "user.sign_in", "user", account.user_id, organization_id=account.organization_id)
    return secret, web


_DUMMY = HASHER.hash(secrets.token_urlsafe(16))


async def signed_in(session: AsyncSession, secret: str) -> tuple[Principal, WebSession] | None:
    """The person behind a session cookie, and the session, while it lasts; None once it ended."""
    web = await session.scalar(select(WebSession).where(WebSession.token_hash == hash_secret(secret)))
    now = utcnow()
    if web is None or web.ended_at is not None or web.expires_at <= now or web.last_seen_at + IDLE <= now:
        return None
    account = await organizations.account(session, web.user_id)
    if account is None or account.deactivated_at is not None:
        return None
    return _person(account), web


def stamp_due(web: WebSession) -> bool:
    return utcnow() - web.last_seen_at >= STAMP_EVERY


async def stamp(session: AsyncSession, session_id: UUID) -> None:
    await session.execute(update(WebSession).where(WebSession.id == session_id).values(last_seen_at=utcnow()))


async def sign_out(session: AsyncSession, actor: Principal, session_id: UUID, *, everywhere: bool = False) -> None:
    """End this session of ``actor``, or every one of their sessions."""
    which = WebSession.user_id == actor.user_id if everywhere else WebSession.id == session_id
    ended = WebSession.user_id == actor.user_id, WebSession.ended_at.is_(None)
    await session.execute(update(WebSession).where(which, *ended).values(ended_at=utcnow()))
    action = "user.sign_out_everywhere" if everywhere else "user.sign_out"
    record(session, actor, action, "user", actor.user_id, organization_id=actor.organization_id)
