"""Alembic driven from code: upgrade, and the start-up check that refuses a stale schema."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from registry.db.engine import create_engine

MIGRATIONS = Path(__file__).parent / "migrations"
SEARCH_INDEX = "module_version_search"
"""The module search index (migrations 0010 and 0017): SQLite's FTS5 table and its shadow tables,
PostgreSQL's vocabulary of words and its index. Dialect-specific, so no model declares it; comparing
models with the schema skips it."""
SEARCH_WORDS = "search_words"
"""PostgreSQL's column of each module version's word numbers (0017), kept by a trigger."""


def declared(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's ``include_object``: everything but the search index."""
    return not ((name or "").startswith((SEARCH_INDEX, "ix_" + SEARCH_INDEX)) or (type_ == "column" and name == SEARCH_WORDS))


class SchemaMismatch(Exception):
    """The database schema is not the one this code expects; the message says what to run."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (runs its own event loop; call from sync code)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str) -> None:
    await asyncio.to_thread(upgrade, url)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:  # a packaging slip: the migrations folder is missing or empty
        raise RuntimeError("the registry's migrations are missing")
    return head


def newer_than_code(revision: str) -> SchemaMismatch | None:
    """The refusal for a database migrated by a later version of the registry, or None when this code knows ``revision``."""
    if revision in {s.revision for s in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}:
        return None
    return SchemaMismatch(f"the database is at revision {revision}, newer than this code knows: upgrade the registry software")


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision; None before its first migration."""
    async with engine.connect() as connection:
        return await connection.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


def database_revision(url: str) -> str | None:
    """``current_revision`` of the database at ``url`` (runs its own event loop; call from sync code)."""

    async def read() -> str | None:
        engine = create_engine(url, poolclass=NullPool)
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read())


async def check_schema(engine: AsyncEngine) -> None:
    """Raise SchemaMismatch unless the database is at this code's head revision."""
    current = await current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaMismatch("the database has no schema yet: run `registry migrate` first")
    if refusal := newer_than_code(current):
        raise refusal
    raise SchemaMismatch(f"the database is at revision {current}, behind {head}: run `registry migrate`")
