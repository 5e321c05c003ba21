"""Revisions (the ETags of editable records) are incremented by the database, never in Python."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from registry.db.base import Entity, utcnow


async def bump_revision(session: AsyncSession, row: Entity, column: str = "revision") -> None:
    """Flush ``row``'s pending changes and add one to its ``column`` in the same statement that
    stamps ``updated_at``; the row keeps the value the database returned."""
    model = type(row)
    counter = getattr(model, column)
    statement = update(model).where(model.id == row.id).values({counter: counter + 1, model.updated_at: utcnow()}).returning(counter)
    set_committed_value(row, column, await session.scalar(statement))
