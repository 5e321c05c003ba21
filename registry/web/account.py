"""Signing in and out, setting a password from an invitation, and the signed-in person's own page."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, PathParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth import people
from registry.auth.throttle import FailureThrottle
from registry.problems import RuleViolation, Unauthorized
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import check_form_token, end_session_cookie, set_session_cookie

DbSession = NamedDependency[AsyncSession]
Secret = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


class SignInForm(msgspec.Struct):
    email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    password: Annotated[str, msgspec.Meta(max_length=people.MAX_PASSWORD)] = ""
    form_token: str = ""
    next: str = "/"


class PasswordForm(msgspec.Struct):
    password: Annotated[str, msgspec.Meta(max_length=people.MAX_PASSWORD)] = ""
    repeated: Annotated[str, msgspec.Meta(max_length=people.MAX_PASSWORD)] = ""
    form_token: str = ""


class TokenForm(msgspec.Struct):
    form_token: str = ""


Form = Body(media_type=RequestEncodingType.URL_ENCODED)


def local(target: str) -> str:
    """``target`` when it is a path of this site, else the home page: a form never sends anyone elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def go(target: str) -> Redirect:
    return Redirect(local(target), status_code=HTTP_303_SEE_OTHER)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class AccountPages(PageController):
    path = "/"

    def _sign_in_page(self, request: Request, status: int = 200, **context: Any) -> Template:
        title = say(request, "Sign in")
        response = page(request, "account/sign_in.html", title, [(title, "")], **context)
        response.status_code = status
        return response

    @get("/sign-in")
    async def sign_in_form(self, request: Request, next: FromQuery[str] = "/", email: FromQuery[str] = "") -> Template:  # noqa: A002
        notice = say(request, "Your password is set. Sign in with it.") if email else None
        return self._sign_in_page(request, next=local(next), email=email[:254], notice=notice)

    @post("/sign-in", status_code=HTTP_303_SEE_OTHER)
    async def sign_in(self, request: Request, db_session: DbSession, data: Annotated[SignInForm, Form]) -> Response[Any]:
        check_form_token(request, data.form_token)
        throttle: FailureThrottle = request.app.state.sign_in_throttle
        keys = (f"address:{client_address(request)}", f"account:{data.email.strip().lower()}")
        if any(throttle.retry_after(key) for key in keys):
            message = say(request, "Too many attempts. Wait a few minutes and try again.")
            return self._sign_in_page(request, 429, next=local(data.next), email=data.email, errors=[("email", message)])
        try:
            secret, _ = await people.sign_in(db_session, data.email, data.password)
        except Unauthorized:
            for key in keys:
                throttle.fail(key)
            message = say(request, "The email address or the password is not right.")
            return self._sign_in_page(request, 400, next=local(data.next), email=data.email, errors=[("email", message)])
        response = go(data.next)
        set_session_cookie(request, response, secret)
        return response

    @post("/sign-out", status_code=HTTP_303_SEE_OTHER)
    async def sign_out(self, request: Request, db_session: DbSession, data: Annotated[TokenForm, Form]) -> Redirect:
        return await self._end(request, db_session, data, everywhere=False)

    @post("/sign-out-everywhere", status_code=HTTP_303_SEE_OTHER)
    async def sign_out_everywhere(self, request: Request, db_session: DbSession, data: Annotated[TokenForm, Form]) -> Redirect:
        return await self._end(request, db_session, data, everywhere=True)

    async def _end(self, request: Request, db_session: AsyncSession, data: TokenForm, *, everywhere: bool) -> Redirect:
        check_form_token(request, data.form_token)
        viewer = request.state.viewer
        if viewer is not None:
            await people.sign_out(db_session, viewer.principal, viewer.session_id, everywhere=everywhere)
        response = go("/")
        end_session_cookie(response)
        return response

    @get("/invitation/{secret:str}")
    async def invitation(self, request: Request, db_session: DbSession, secret: Secret) -> Template:
        email = await people.invitation_email(db_session, secret)
        title = say(request, "Set your password")
        return page(request, "account/invitation.html", title, [(title, "")], email=email, secret=secret, minimum=people.MIN_PASSWORD)

    @post("/invitation/{secret:str}", status_code=HTTP_303_SEE_OTHER)
    async def set_password(self, request: Request, db_session: DbSession, secret: Secret, data: Annotated[PasswordForm, Form]) -> Response[Any]:
        check_form_token(request, data.form_token)
        try:
            email = await people.accept(db_session, secret, data.password, data.repeated)
        except RuleViolation:
            email = await people.invitation_email(db_session, secret)
            title = say(request, "Set your password")
            message = self._password_message(request, data)
            response = page(
                request, "account/invitation.html", title, [(title, "")], email=email, secret=secret, minimum=people.MIN_PASSWORD,
                errors=[("password", message)],
            )  # fmt: skip
            response.status_code = 400
            return response
        return Redirect("/sign-in?" + urlencode({"email": email}), status_code=HTTP_303_SEE_OTHER)

    @staticmethod
    def _password_message(request: Request, data: PasswordForm) -> str:
        if data.password != data.repeated:
            return say(request, "The two passwords are not the same.")
        return say(request, "Choose a password of at least %(minimum)s characters, without spaces at either end.") % {
            "minimum": people.MIN_PASSWORD
        }

    @get("/me")
    async def me(self, request: Request) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        title = say(request, "Your account")
        return page(request, "account/me.html", title, [(title, "")], roles=sorted(viewer.principal.roles))
