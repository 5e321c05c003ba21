"""Alembic environment: runs migrations on the registry's async engine."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from registry.db.engine import create_engine, is_sqlite
from registry.db.models import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=is_sqlite(config.get_main_option("sqlalchemy.url")),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def main() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    async with engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `registry migrate` against a database")
asyncio.run(main())
