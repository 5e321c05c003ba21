from __future__ import annotations

from typing import Literal

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.guards import PUBLIC
from registry.problems import PROBLEM_JSON, Problem, Unavailable


class Health(msgspec.Struct):
    status: Literal["ok"]
    database: Literal["ok"]


@get(
    "/health",
    operation_id="Health",
    opt=PUBLIC,
    tags=["System"],
    responses={503: ResponseSpec(Problem, description="The database is unreachable", media_type=PROBLEM_JSON)},
)
async def health(db_session: NamedDependency[AsyncSession]) -> Health:
    """Liveness and database reachability, for load balancers (no token needed)."""
    try:
        await db_session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        raise Unavailable(f"the database is unreachable: {type(exc).__name__}") from None
    return Health("ok", "ok")
