"""Who is looking at a page: a signed-in person (from the session cookie) or an anonymous visitor; and
the form token every form of the interface carries.

Forms are protected by a double-submit token: a random value in a strict same-site cookie that each
form repeats in a hidden field; a form sent without the matching value is refused (403). Session and
token cookies are HttpOnly, and Secure when the registry's public address is https.
"""

from __future__ import annotations

import secrets
from hmac import compare_digest
from uuid import UUID

import msgspec
from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from sqlalchemy.exc import OperationalError

from registry.auth import people
from registry.auth.principal import Principal
from registry.db.transactions import Database
from registry.organizations import service as organizations
from registry.problems import Forbidden

SESSION_COOKIE = "session"
FORM_COOKIE = "form_token"


class Viewer(msgspec.Struct, frozen=True):
    """A signed-in person as the pages show them."""

    principal: Principal
    session_id: UUID
    email: str
    organization: str
    country: str
    """The organization's country, whose language the pages speak when the browser names none of theirs."""


async def resolve_viewer(request: Request) -> None:
    """``request.state.viewer``: the person signed in with this request's session cookie, else None.

    Read in a transaction of its own; a due ``last_seen_at`` stamp is written in another, and skipped
    when the database is busy or read-only (the page is still served).
    """
    request.state.viewer = None
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return
    database: Database = request.app.state.database
    async with database.reads.begin() as session:
        found = await people.signed_in(session, secret)
        if found is None:
            return
        principal, web = found
        account = await organizations.account(session, principal.user_id)
        organization = (await organizations.by_ids(session, {principal.organization_id}))[principal.organization_id]
    request.state.viewer = Viewer(principal, web.id, account.email if account else "", organization.name, organization.country)
    if people.stamp_due(web):
        try:
            async with database.writes.begin() as session:
                await people.stamp(session, web.id)
        except OperationalError:
            pass


def secure(request: Request) -> bool:
    return str(request.app.state.settings.public_url).startswith("https://")


def form_token(request: Request) -> str:
    """The form token of this browser (made on first use and set by ``keep_form_token``)."""
    token = request.cookies.get(FORM_COOKIE) or request.state.get("form_token")
    if not token:
        token = request.state.form_token = secrets.token_urlsafe(32)
    return str(token)


def keep_form_token(request: Request, response: Response) -> None:
    if FORM_COOKIE not in request.cookies and request.state.get("form_token"):
        response.set_cookie(FORM_COOKIE, request.state.form_token, httponly=True, samesite="strict", secure=secure(request), path="/")


def check_form_token(request: Request, sent: str) -> None:
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not sent or not compare_digest(expected, sent):
        raise Forbidden("the form had expired or came from elsewhere; reload the page and send it again")


async def checked_form(request: Request) -> FormMultiDict:
    """The request's form, once its form token is checked (``check_form_token``)."""
    form = await request.form()
    check_form_token(request, str(form.get("form_token", "")))
    return form


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    max_age = int(people.LIFETIME.total_seconds())
    response.set_cookie(SESSION_COOKIE, secret, max_age=max_age, httponly=True, samesite="lax", secure=secure(request), path="/")


def end_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
