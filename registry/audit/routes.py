from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit import schemas, service
from registry.auth.guards import allow
from registry.auth.principal import Principal, Role
from registry.problems import problem_responses
from registry.schemas import Filter, Limit, Offset, Page


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["Audit"]

    @get(operation_id="ListAuditEvents", guards=[allow(Role.org_admin)], responses=problem_responses())
    async def list_events(
        self,
        request: Request[Principal, Any, Any],
        db_session: NamedDependency[AsyncSession],
        organization_id: FromQuery[UUID | None] = None,
        entity_id: Filter = None,
        action: Filter = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[schemas.AuditEvent]:
        """The audit trail, newest first: all of it for registry admins, their own organization's for organization admins."""
        items, total = await service.list_events(
            db_session, request.user, organization_id=organization_id, entity_id=entity_id, action=action, limit=limit, offset=offset
        )
        return Page(items, total, limit, offset)
