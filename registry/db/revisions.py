"""Revisions (the ETags of editable records) are incremented by the database, never in Python."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from registry.db.base import Entity, utcnow


async def bump_revision(session: AsyncSession, row: Entity) -> None:
    """Flush ``row``'s pending changes and add one to its ``revision`` in the same statement that
    stamps ``updated_at``; the row keeps the value the database returned."""
    model = type(row)
    statement = (
        update(model)
        .where(model.id == row.id)
        .values(revision=model.revision + 1, updated_at=utcnow())  # type: ignore[attr-defined]
        .returning(model.revision)  # type: ignore[attr-defined]
    )
    set_committed_value(row, "revision", await session.scalar(statement))
