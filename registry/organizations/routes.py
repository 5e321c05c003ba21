from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.guards import AUTHENTICATED, allow
from registry.auth.principal import Principal, Role
from registry.organizations import schemas, service
from registry.problems import problem_responses
from registry.schemas import Limit, Offset, Page, Search

Req = Request[Principal, Any, Any]


class OrganizationController(Controller):
    path = "/api/v1/organizations"
    tags = ["Organizations"]

    @post(operation_id="CreateOrganization", guards=[allow(Role.admin)], responses=problem_responses(409, 422))
    async def create_organization(
        self, request: Req, db_session: NamedDependency[AsyncSession], data: JSONBody[schemas.OrganizationCreate]
    ) -> schemas.Organization:
        """Register a municipality, supplier, federation or authority (registry admins)."""
        return await service.create_organization(db_session, request.user, data)

    @get(operation_id="ListOrganizations", guards=[AUTHENTICATED], responses=problem_responses())
    async def list_organizations(
        self,
        db_session: NamedDependency[AsyncSession],
        kind: FromQuery[schemas.OrgKind | None] = None,
        country: FromQuery[schemas.Country | None] = None,
        q: Search = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[schemas.Organization]:
        """The directory of registered organizations, filtered by kind, country or a name search."""
        items, total = await service.list_organizations(db_session, kind=kind, country=country, q=q, limit=limit, offset=offset)
        return Page(items, total, limit, offset)

    @get("/{organization_id:uuid}", operation_id="GetOrganization", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def get_organization(self, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID]) -> schemas.Organization:
        """One organization of the directory: kind, name, country and organization number."""
        return await service.get_organization(db_session, organization_id)

    @patch(
        "/{organization_id:uuid}",
        operation_id="UpdateOrganization",
        guards=[allow(Role.org_admin)],
        responses=problem_responses(404),
    )
    async def update_organization(
        self, request: Req, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID], data: JSONBody[schemas.OrganizationUpdate]
    ) -> schemas.Organization:
        """Rename an organization (its own admins or registry admins)."""
        return await service.update_organization(db_session, request.user, organization_id, data)

    @get("/{organization_id:uuid}/members", operation_id="ListMembers", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def list_members(
        self, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID], limit: Limit = 50, offset: Offset = 0
    ) -> Page[schemas.Organization]:
        """Member municipalities of a federation, by name."""
        items, total = await service.list_members(db_session, organization_id, limit=limit, offset=offset)
        return Page(items, total, limit, offset)

    @post(
        "/{organization_id:uuid}/members",
        operation_id="AddMember",
        guards=[allow(Role.federation_coordinator, Role.org_admin)],
        responses=problem_responses(404, 409, 422),
    )
    async def add_member(
        self, request: Req, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID], data: JSONBody[schemas.MembershipCreate]
    ) -> schemas.Organization:
        """Add a municipality to a federation (the federation's coordinators and admins)."""
        return await service.add_member(db_session, request.user, organization_id, data.municipality_id)

    @delete(
        "/{organization_id:uuid}/members/{municipality_id:uuid}",
        operation_id="RemoveMember",
        guards=[allow(Role.federation_coordinator, Role.org_admin)],
        responses=problem_responses(404, 422),
    )
    async def remove_member(
        self, request: Req, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID], municipality_id: FromPath[UUID]
    ) -> None:
        """Remove a municipality from a federation (the federation's coordinators and admins); recorded in the audit trail."""
        await service.remove_member(db_session, request.user, organization_id, municipality_id)

    @post(
        "/{organization_id:uuid}/users",
        operation_id="CreateUser",
        guards=[allow(Role.org_admin)],
        responses=problem_responses(404, 409, 422),
    )
    async def create_user(
        self, request: Req, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID], data: JSONBody[schemas.UserCreate]
    ) -> schemas.User:
        """Add a user with roles that fit the organization's kind."""
        return await service.create_user(db_session, request.user, organization_id, data)

    @get("/{organization_id:uuid}/users", operation_id="ListUsers", guards=[allow(Role.org_admin)], responses=problem_responses(404))
    async def list_users(
        self, request: Req, db_session: NamedDependency[AsyncSession], organization_id: FromPath[UUID], limit: Limit = 50, offset: Offset = 0
    ) -> Page[schemas.User]:
        """An organization's users, by name (its admins and registry admins)."""
        items, total = await service.list_users(db_session, request.user, organization_id, limit=limit, offset=offset)
        return Page(items, total, limit, offset)


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["Organizations"]

    @patch("/{user_id:uuid}", operation_id="UpdateUser", guards=[allow(Role.org_admin)], responses=problem_responses(404, 409, 422))
    async def update_user(
        self, request: Req, db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID], data: JSONBody[schemas.UserUpdate]
    ) -> schemas.User:
        """Rename a user or change their roles. Users holding admin or library_editor are changed by registry admins only;
        the last active admin keeps the role (409)."""
        return await service.update_user(db_session, request.user, user_id, data)

    @post(
        "/{user_id:uuid}/deactivate",
        operation_id="DeactivateUser",
        guards=[allow(Role.org_admin)],
        responses=problem_responses(404, 409),
        status_code=200,
    )
    async def deactivate_user(self, request: Req, db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]) -> schemas.User:
        """Stop all of a user's tokens at once, until they are reactivated; the last active admin stays (409)."""
        return await service.set_user_active(db_session, request.user, user_id, active=False)

    @post(
        "/{user_id:uuid}/reactivate",
        operation_id="ReactivateUser",
        guards=[allow(Role.org_admin)],
        responses=problem_responses(404),
        status_code=200,
    )
    async def reactivate_user(self, request: Req, db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]) -> schemas.User:
        """Let a deactivated user's unexpired, unrevoked tokens work again."""
        return await service.set_user_active(db_session, request.user, user_id, active=True)
