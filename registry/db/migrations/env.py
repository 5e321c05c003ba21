"""Alembic environment: runs migrations on the registry's async engine."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from registry.db.engine import create_engine, is_sqlite
from registry.db.migrate import declared
from registry.db.models import Base

config = context.config


def _database_url() -> str:
    """The database ``registry migrate`` put in the Alembic configuration."""
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("the Alembic configuration names no database (sqlalchemy.url): run `registry migrate`")
    return url


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=is_sqlite(_database_url()),
        compare_type=True,
        include_object=declared,
    )
    with context.begin_transaction():
        context.run_migrations()


def _without_cascades(engine: AsyncEngine) -> None:
    """SQLite batch migrations copy a table and drop the original: with foreign keys enforced that
    drop would cascade and delete every child row (tokens, reviews, lots...). Foreign keys are off
    while migrating; ``_check_foreign_keys`` proves afterwards that nothing dangles."""

    @event.listens_for(engine.sync_engine, "connect")
    def _off(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if dangling:
        raise RuntimeError(f"the migration left rows pointing at nothing: {dangling[:5]}")


async def main() -> None:
    url = _database_url()
    engine = create_engine(url)
    if is_sqlite(url):
        _without_cascades(engine)
    async with engine.connect() as connection:
        await connection.run_sync(run)
        if is_sqlite(url):
            await connection.run_sync(_check_foreign_keys)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `registry migrate` against a database")
asyncio.run(main())
