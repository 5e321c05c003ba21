"""Each test gets its own migrated database and app; a test marked ``starter_library`` gets one holding the
starter library, copied from a template into which it was imported once (importing it per test took most
of the suite's time).

SQLite (default): the schema is migrated once into a template file, the library imported into a second
one; every test copies one of them.
PostgreSQL (``REGISTRY_TEST_DATABASE_URL``): the database is created and migrated at the start, and a
template database beside it (``<name>_seeded``) gets the library. Before each test every table is emptied,
or, for a ``starter_library`` test, the database is made again from the template. Under pytest-xdist each
worker has databases of its own beside the given one (``<name>_gw0``, ...), dropped at its end.
The app runs on the test client's own event loop, so nothing here shares an engine with it.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar.testing import AsyncTestClient
from sqlalchemy import make_url, text
from sqlalchemy.pool import NullPool

from registry.app import create_app
from registry.cli import main
from registry.db.engine import create_engine
from registry.db.migrate import upgrade
from registry.db.models import Base
from registry.db.transactions import Database
from registry.requirements.library import import_library
from registry.settings import Settings
from tests.support import ADMIN_TOKEN, Api
from tests.tender_world import World, build_world

GIVEN_POSTGRES_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL")


def worker_database(url: str | None) -> str | None:
    """The database of this pytest-xdist worker: the given one, suffixed with the worker's id."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    given = make_url(url)
    return given.set(database=f"{given.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = worker_database(GIVEN_POSTGRES_URL)
KEPT = {"library_state"}
"""Tables whose rows the migrations create and the registry needs: never emptied between tests."""


async def reset_postgres(url: str) -> None:
    """Empty every table of the database at ``url`` but those ``KEPT``."""
    engine = create_engine(url, poolclass=NullPool)
    async with engine.begin() as connection:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name not in KEPT)
        await connection.execute(text(f"TRUNCATE {tables} CASCADE"))
    await engine.dispose()


async def on_server(*statements: str) -> None:
    """``statements`` (creating and dropping databases) on the PostgreSQL server's maintenance database."""
    assert POSTGRES_URL
    engine = create_engine(make_url(POSTGRES_URL).set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        for statement in statements:
            await connection.execute(text(statement))
    await engine.dispose()


async def import_starter_library(url: str) -> None:
    database = Database(url)
    try:
        async with database.writes.begin() as session:
            await import_library(session, Settings().library_dir)
    finally:  # a failed import (a mutant's, say) leaves no connection open
        await database.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The blank and the seeded template: SQLite files, or the PostgreSQL test database and its seeded twin."""
    if POSTGRES_URL:
        name = make_url(POSTGRES_URL).database
        seeded = f"{name}_seeded"
        asyncio.run(on_server(f'DROP DATABASE IF EXISTS "{seeded}"', f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
        upgrade(POSTGRES_URL)
        asyncio.run(on_server(f'CREATE DATABASE "{seeded}" TEMPLATE "{name}"'))
        asyncio.run(import_starter_library(make_url(POSTGRES_URL).set(database=seeded).render_as_string(hide_password=False)))
        yield name, seeded
        asyncio.run(on_server(f'DROP DATABASE IF EXISTS "{seeded}"'))
        if POSTGRES_URL != GIVEN_POSTGRES_URL:
            asyncio.run(on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    blank = tmp_path_factory.mktemp("template") / "registry.db"
    upgrade(f"sqlite+aiosqlite:///{blank}")
    seeded_file = blank.with_name("seeded.db")
    shutil.copyfile(blank, seeded_file)
    asyncio.run(import_starter_library(f"sqlite+aiosqlite:///{seeded_file}"))
    yield str(blank), str(seeded_file)


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, templates: tuple[str, str], tmp_path: Path) -> str:
    """The test's database: empty, or holding the starter library for a test marked ``starter_library``."""
    blank, seeded = templates
    starter = request.node.get_closest_marker("starter_library") is not None
    if POSTGRES_URL:
        if starter:
            await on_server(f'DROP DATABASE "{blank}" WITH (FORCE)', f'CREATE DATABASE "{blank}" TEMPLATE "{seeded}"')
        else:
            await reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    target = tmp_path / "registry.db"
    shutil.copyfile(seeded if starter else blank, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for one test, on its database (which holds the starter library already where the test asks for it)."""
    return Settings(data_dir=tmp_path, database_url=database_url, bootstrap_admin_token=ADMIN_TOKEN, seed_library=False)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(create_app(settings)) as test_client:
        yield test_client
    stop_log_listeners()


def stop_log_listeners() -> None:
    """End the thread of the log queue each application's logging configuration starts: a server makes one
    application, the suite about two thousand, whose idle threads would otherwise stay to the end."""
    for handler in logging.getLogger().handlers:
        listener = getattr(handler, "listener", None)
        if listener is not None and listener._thread is not None:
            listener.stop()
            atexit.unregister(listener.stop)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The test's database, for calling the service functions other slices call directly."""
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def admin(client: AsyncTestClient) -> Api:
    return Api(client, ADMIN_TOKEN)


@pytest.fixture
def run(tmp_path: Path):
    runner = CliRunner()
    env = {"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_DATABASE_URL": "", "REGISTRY_SEED_LIBRARY": "false"}

    def invoke(*args: str, **extra_env: str):
        return runner.invoke(main, list(args), env=env | extra_env, catch_exceptions=False)

    return invoke


@pytest.fixture
async def world(admin: Api) -> World:
    """The joint-tender world most API tests start from (a slice's conftest may give its own)."""
    return await build_world(admin)
