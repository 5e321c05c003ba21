"""Inserts that lose a race on a unique value answer as a conflict, never as a database error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry.problems import Conflict

ConflictLookup = Callable[[], Awaitable[Conflict | None]]
"""Finds the existing record a new one collides with and describes it, or None when there is none."""


async def insert_unique(session: AsyncSession, row: object, conflict: ConflictLookup) -> None:
    """Check ``conflict``, then insert ``row`` in a savepoint.

    Between the check and the insert another transaction may commit the same unique value
    (PostgreSQL runs requests concurrently): the insert then fails, the savepoint is rolled back,
    and ``conflict`` runs again to name the record that won.
    """
    if error := await conflict():
        raise error
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise await conflict() or Conflict("a record with the same unique values was stored at the same time; reload") from None
