"""One page of a list, counted and cut in SQL."""

from __future__ import annotations

from typing import Any, TypeVar, TypeVarTuple, Unpack, overload

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
U = TypeVar("U")
Ts = TypeVarTuple("Ts")


@overload
async def page(session: AsyncSession, query: Select[T], limit: int, offset: int) -> tuple[list[T], int]: ...
@overload
async def page(session: AsyncSession, query: Select[T, U, Unpack[Ts]], limit: int, offset: int) -> tuple[list[Row[T, U, Unpack[Ts]]], int]: ...
async def page(session: AsyncSession, query: Select[Unpack[tuple[Any, ...]]], limit: int, offset: int) -> tuple[list[Any], int]:
    """The rows of ``query`` (ordered by the caller) from ``offset`` on, at most ``limit``, and how many there are in all.

    A query of one entity or column gives its values, a query of several gives tuples.
    """
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    result = await session.execute(query.limit(limit).offset(offset))
    rows = result.scalars().all() if len(query.column_descriptions) == 1 else result.all()
    return list(rows), total or 0


async def page_of_keys(session: AsyncSession, query: Select[tuple[T]], limit: int, offset: int) -> tuple[list[T], int]:
    """As ``page``, for a query of one narrow column (ids): the total rides on each row as a window count, so
    the matching rows are found once, not once to count and again to cut; only a page past the end counts apart."""
    rows = (await session.execute(query.add_columns(func.count().over()).limit(limit).offset(offset))).all()
    if rows:
        return [key for key, _ in rows], rows[0][1]
    if offset == 0 and limit > 0:
        return [], 0
    return [], await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
