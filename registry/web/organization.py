"""The organization admin's page: the organization's users, invitation links, deactivation and reactivation."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth import people
from registry.organizations import service as organizations
from registry.web.account import Form, TokenForm
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import check_form_token

DbSession = NamedDependency[AsyncSession]
PAGE_SIZE = 50


class OrganizationPages(PageController):
    path = "/organization"

    @get("/users")
    async def users(
        self, request: Request, db_session: DbSession, page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1
    ) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        users, total = await organizations.list_users(
            db_session, viewer.principal, viewer.principal.organization_id, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
        )
        title = say(request, "Users of %(organization)s") % {"organization": viewer.organization}
        return page(request, "organization/users.html", title, [(title, "")], users=users, total=total, admin=viewer.principal.is_admin)

    @post("/users/{user_id:uuid}/invitation", status_code=HTTP_303_SEE_OTHER)
    async def invite(self, request: Request, db_session: DbSession, user_id: FromPath[UUID], data: Annotated[TokenForm, Form]) -> Template | Redirect:
        check_form_token(request, data.form_token)
        viewer = request.state.viewer
        if viewer is None:
            return Redirect("/sign-in", status_code=HTTP_303_SEE_OTHER)
        secret, expires_at = await people.invite(db_session, viewer.principal, user_id)
        link = people.invitation_link(request.app.state.settings.public_url, secret)
        title = say(request, "Invitation link")
        users = say(request, "Users of %(organization)s") % {"organization": viewer.organization}
        response = page(request, "organization/invited.html", title, [(users, "/organization/users"), (title, "")], link=link, expires_at=expires_at)
        response.status_code = 200  # the link is shown on this answer, once
        return response

    @post("/users/{user_id:uuid}/{action:str}", status_code=HTTP_303_SEE_OTHER)
    async def activation(
        self, request: Request, db_session: DbSession, user_id: FromPath[UUID], action: FromPath[str], data: Annotated[TokenForm, Form]
    ) -> Redirect:
        check_form_token(request, data.form_token)
        viewer = request.state.viewer
        if viewer is None:
            return Redirect("/sign-in", status_code=HTTP_303_SEE_OTHER)
        if action not in ("deactivate", "reactivate"):
            raise ValidationException(f"no action {action}")
        await organizations.set_user_active(db_session, viewer.principal, user_id, action == "reactivate")
        return Redirect("/organization/users", status_code=HTTP_303_SEE_OTHER)
