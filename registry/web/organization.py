"""The organization admin's pages: the organization's users, adding one, their name and roles, invitation links,
deactivation and reactivation. The organizations service decides who may grant what; the form offers only
the roles that fit the organization's kind and the viewer's rights."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth import people
from registry.auth.principal import ROLE_ORG_KINDS, Principal, Role
from registry.organizations import service as organizations
from registry.organizations.schemas import UserCreate, UserUpdate
from registry.problems import Conflict, RuleViolation
from registry.web.account import Form, TokenForm
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.products import field_of
from registry.web.visitors import check_form_token, checked_form

DbSession = NamedDependency[AsyncSession]
PAGE_SIZE = 50


def grantable(principal: Principal) -> list[Role]:
    """The roles ``principal`` may give a user of their own organization: those fitting its kind, and of those only a
    registry admin's own to grant when ``principal`` is one."""
    return [
        role for role in Role
        if principal.organization_kind in ROLE_ORG_KINDS.get(role, frozenset({principal.organization_kind}))
        and (principal.is_admin or role not in organizations.ADMIN_GRANTED_ROLES)
    ]  # fmt: skip


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
        saved = request.query_params.get("saved") == "1"
        return page(request, "organization/users.html", title, [(title, "")], users=users, total=total, saved=saved)

    @get("/users/new")
    async def new_user(self, request: Request) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        return self._form(request, None, {"roles": []})

    @post("/users/new", status_code=HTTP_303_SEE_OTHER)
    async def add_user(self, request: Request, db_session: DbSession) -> Response[Any]:
        """Add a colleague and show their invitation link at once: adding someone is inviting them."""
        viewer, values = await self._read(request)
        if viewer is None:
            return sign_in_first(request)
        try:
            data = msgspec.convert(values, UserCreate)
            user = await organizations.create_user(db_session, viewer.principal, viewer.principal.organization_id, data)
        except (msgspec.ValidationError, RuleViolation, Conflict) as exc:
            return self._form(request, None, values, self._errors(request, exc))
        return await self._invited(request, db_session, user.id)

    @get("/users/{user_id:uuid}")
    async def user(self, request: Request, db_session: DbSession, user_id: FromPath[UUID]) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        shown = await organizations.managed_user(db_session, viewer.principal, user_id)
        return self._form(request, shown.id, {"name": shown.name, "email": shown.email, "roles": shown.roles})

    @post("/users/{user_id:uuid}", status_code=HTTP_303_SEE_OTHER)
    async def change_user(self, request: Request, db_session: DbSession, user_id: FromPath[UUID]) -> Response[Any]:
        viewer, values = await self._read(request)
        if viewer is None:
            return sign_in_first(request)
        shown = await organizations.managed_user(db_session, viewer.principal, user_id)
        values["email"] = shown.email
        try:
            data = msgspec.convert({"name": values["name"], "roles": values["roles"]}, UserUpdate)
            await organizations.update_user(db_session, viewer.principal, user_id, data)
        except (msgspec.ValidationError, RuleViolation, Conflict) as exc:
            return self._form(request, user_id, values, self._errors(request, exc))
        return Redirect("/organization/users?saved=1", status_code=HTTP_303_SEE_OTHER)

    async def _read(self, request: Request) -> tuple[Any, dict[str, Any]]:
        form = await checked_form(request)
        values = {
            "name": str(form.get("name", "")).strip(), "email": str(form.get("email", "")).strip(),
            "roles": [str(r) for r in form.getall("roles")] if "roles" in form else [],
        }  # fmt: skip
        return request.state.viewer, values

    def _form(self, request: Request, user_id: UUID | None, values: dict[str, Any], errors: list[tuple[str, str]] | None = None) -> Template:
        users = say(request, "Users of %(organization)s") % {"organization": request.state.viewer.organization}
        title = say(request, "Add a user") if user_id is None else str(values.get("name") or values["email"])
        response = page(
            request, "organization/user.html", title, [(users, "/organization/users"), (title, "")],
            user_id=user_id, values=values, errors=errors or [], roles=grantable(request.state.viewer.principal),
        )  # fmt: skip
        if errors:
            response.status_code = 409 if any(field == "email" for field, _ in errors) and user_id is None else 400
        return response

    @staticmethod
    def _errors(request: Request, exc: Exception) -> list[tuple[str, str]]:
        """The refusal beside its field: the decoder names a path, the service its fields, a conflict is the address taken."""
        if isinstance(exc, Conflict):
            if "last active admin" in exc.detail:
                return [("roles", say(request, "This is the registry's last active admin: make another user admin first."))]
            return [("email", say(request, "Someone already has an account with this email address."))]
        fields = [field_of(str(exc).rpartition(" - at `")[2].rstrip("`"))] if isinstance(exc, msgspec.ValidationError) else []
        fields += [field_of(e.field) for e in exc.errors] if isinstance(exc, RuleViolation) else []
        messages = {
            "name": say(request, "Enter the person's name, on one line."),
            "email": say(request, "Enter an email address such as name@example.org."),
            "roles": say(request, "Choose among the roles offered here."),
        }
        return [(field, messages.get(field, messages["roles"])) for field in dict.fromkeys(fields)]

    async def _invited(self, request: Request, db_session: AsyncSession, user_id: UUID) -> Template:
        viewer = request.state.viewer
        secret, expires_at = await people.invite(db_session, viewer.principal, user_id)
        link = people.invitation_link(request.app.state.settings.public_url, secret)
        title = say(request, "Invitation link")
        users = say(request, "Users of %(organization)s") % {"organization": viewer.organization}
        response = page(request, "organization/invited.html", title, [(users, "/organization/users"), (title, "")], link=link, expires_at=expires_at)
        response.status_code = 200  # the link is shown on this answer, once
        return response

    @post("/users/{user_id:uuid}/invitation", status_code=HTTP_303_SEE_OTHER)
    async def invite(self, request: Request, db_session: DbSession, user_id: FromPath[UUID], data: Annotated[TokenForm, Form]) -> Template | Redirect:
        check_form_token(request, data.form_token)
        viewer = request.state.viewer
        if viewer is None:
            return Redirect("/sign-in", status_code=HTTP_303_SEE_OTHER)
        return await self._invited(request, db_session, user_id)

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
