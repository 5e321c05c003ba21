"""One transaction per request, committed before the response is sent.

A route's ``db_session`` is opened in a transaction that commits when the handler has returned and
its response is built, but before a byte of it is sent: a commit that fails raises into the
exception handlers, so the client gets a problem, never a 2xx for a write that was not stored.
Safe methods (GET, HEAD, OPTIONS) read in deferred transactions; others are marked as writes,
which SQLite begins ``IMMEDIATE`` (see ``registry.db.engine``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from registry.db.engine import WRITE, create_engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Database:
    """The engine and the two kinds of session the application opens on it."""

    def __init__(self, url: str) -> None:
        self.engine: AsyncEngine = create_engine(url)
        self.reads = async_sessionmaker(self.engine, expire_on_commit=False)
        self.writes = async_sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def provide_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session, inside a transaction that commits after the handler (or rolls back on an error)."""
    database: Database = request.app.state.database
    sessions = database.reads if request.method in SAFE_METHODS else database.writes
    async with sessions.begin() as session:
        yield session
