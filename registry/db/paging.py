"""One page of a list, counted and cut in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def page(session: AsyncSession, query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    """The rows of ``query`` (ordered by the caller) from ``offset`` on, at most ``limit``, and how many there are in all.

    A query of one entity or column gives its values, a query of several gives tuples.
    """
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    result = await session.execute(query.limit(limit).offset(offset))
    rows = result.scalars().all() if len(query.column_descriptions) == 1 else result.all()
    return list(rows), total or 0
