"""A signed-in person's own API tokens, for the machines they run: create one (its secret shown once), revoke one."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth import service
from registry.problems import RuleViolation
from registry.web.account import Form, TokenForm
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import check_form_token

DbSession = NamedDependency[AsyncSession]
LISTED = 100


class NewToken(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(max_length=100)] = ""
    days: Annotated[str, msgspec.Meta(max_length=5)] = ""
    form_token: str = ""


class TokenPages(PageController):
    path = "/me/tokens"

    async def _page(self, request: Request, db_session: AsyncSession, status: int = 200, **context: Any) -> Template:
        viewer = request.state.viewer
        tokens, _ = await service.list_tokens(db_session, viewer.principal, viewer.principal.user_id, limit=LISTED, offset=0)
        title = say(request, "Your API tokens")
        crumbs = [(say(request, "Your account"), "/me"), (title, "")]
        max_days = request.app.state.settings.max_token_days
        response = page(request, "account/tokens.html", title, crumbs, tokens=tokens, max_days=max_days, **context)
        response.status_code = status
        return response

    @get("/")
    async def tokens(self, request: Request, db_session: DbSession) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._page(request, db_session)

    @post("/", status_code=200)
    async def create(self, request: Request, db_session: DbSession, data: Annotated[NewToken, Form]) -> Response[Any]:
        check_form_token(request, data.form_token)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        max_days = request.app.state.settings.max_token_days
        problem = self._problem(request, data, max_days)
        if problem:
            return await self._page(request, db_session, 400, errors=[problem], name=data.name, days=data.days)
        days = int(data.days) if data.days.strip() else msgspec.UNSET
        try:
            issued = await service.issue_token(db_session, viewer.principal, viewer.principal.user_id, data.name.strip(), days, max_days=max_days)
        except RuleViolation:
            message = say(request, "A token lasts at most %(days)s days.") % {"days": max_days}
            return await self._page(request, db_session, 400, errors=[("days", message)], name=data.name, days=data.days)
        return await self._page(request, db_session, issued=issued)

    @staticmethod
    def _problem(request: Request, data: NewToken, max_days: int) -> tuple[str, str] | None:
        name = data.name.strip()
        if not name or not name.isprintable():
            return ("name", say(request, "Give the token a name that says what uses it."))
        if data.days.strip() and not (data.days.strip().isdigit() and 1 <= int(data.days) <= max_days):
            return ("days", say(request, "A token lasts at most %(days)s days.") % {"days": max_days})
        return None

    @post("/{token_id:uuid}/revoke", status_code=HTTP_303_SEE_OTHER)
    async def revoke(self, request: Request, db_session: DbSession, token_id: FromPath[UUID], data: Annotated[TokenForm, Form]) -> Redirect:
        check_form_token(request, data.form_token)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        await service.revoke_token(db_session, viewer.principal, token_id)
        return Redirect("/me/tokens", status_code=HTTP_303_SEE_OTHER)
