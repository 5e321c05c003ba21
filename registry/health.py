"""The health check load balancers and operators poll: the database and the data folder, each on its own."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Literal

import msgspec
from litestar import Request, get
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from registry.auth.guards import PUBLIC
from registry.db.transactions import Database
from registry.problems import PROBLEM_JSON, Problem, Unavailable


class Health(msgspec.Struct):
    status: Literal["ok"]
    database: Literal["ok"]
    data_folder: Literal["ok"]


async def _database_fault(database: Database) -> str | None:
    try:
        async with database.reads.begin() as session:
            await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        return f"unreachable ({type(exc).__name__})"
    return None


def _folder_fault(folder: Path) -> str | None:
    """None when a file can be created (and removed) in ``folder``: a full or read-only disk says why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-") as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        return f"not writable ({exc.strerror or type(exc).__name__})"
    return None


@get(
    "/health",
    operation_id="Health",
    opt=PUBLIC,
    tags=["System"],
    responses={503: ResponseSpec(Problem, description="The database or the data folder is unavailable", media_type=PROBLEM_JSON)},
)
async def health(request: Request) -> Health:
    """Liveness, database reachability and whether the data folder takes writes (no token needed)."""
    settings = request.app.state.settings
    faults = [
        (part, fault)
        for part, fault in (
            ("database", await _database_fault(request.app.state.database)),
            ("data_folder", await asyncio.to_thread(_folder_fault, settings.files_dir)),
        )
        if fault
    ]
    if faults:
        detail = "; ".join(f"{part} {fault}" for part, fault in faults)
        raise Unavailable(detail, errors=faults)
    return Health("ok", "ok", "ok")
