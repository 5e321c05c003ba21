"""The append-only audit trail: record changes in the caller's transaction; read them back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import event, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from registry.audit import schemas
from registry.audit.models import AuditEvent
from registry.auth.principal import Principal
from registry.db.paging import page
from registry.problems import Forbidden


def record(
    session: AsyncSession,
    actor: Principal | None,
    action: str,
    entity_type: str,
    entity_id: object,
    *,
    organization_id: UUID | None = None,
    **details: Any,
) -> None:
    """Add an audit event to the current transaction, so it commits or rolls back with the change."""
    session.add(
        AuditEvent(
            actor_user_id=actor.user_id if actor else None,
            actor_organization_id=actor.organization_id if actor else None,
            organization_id=organization_id or (actor.organization_id if actor else None),
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            request_id=actor.request_id if actor else None,
            details=details,
        )
    )


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    if any(isinstance(obj, AuditEvent) for obj in (*session.dirty, *session.deleted)):
        raise RuntimeError("audit events are append-only")


async def list_events(
    session: AsyncSession,
    actor: Principal,
    *,
    organization_id: UUID | None,
    entity_id: str | None,
    action: str | None,
    limit: int,
    offset: int,
) -> tuple[list[schemas.AuditEvent], int]:
    """Admins read every event; an organization's admins read their own organization's.

    An organization's events are those it acted in and those about its objects, so a municipality
    sees its invitation by a federation and a federation its municipalities' answers.
    """
    if not actor.is_admin:
        if organization_id not in (None, actor.organization_id):
            raise Forbidden("you may read only your own organization's audit trail")
        organization_id = actor.organization_id
    query = select(AuditEvent)
    if organization_id:
        query = query.where(or_(AuditEvent.organization_id == organization_id, AuditEvent.actor_organization_id == organization_id))
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    if action:
        query = query.where(AuditEvent.action == action)
    rows, total = await page(session, query.order_by(AuditEvent.at.desc(), AuditEvent.id), limit, offset)
    return [msgspec.convert(r, schemas.AuditEvent, from_attributes=True) for r in rows], total
