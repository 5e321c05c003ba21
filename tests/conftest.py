"""Each test gets its own migrated database and app.

SQLite (default): the schema is migrated once into a template file that every test copies.
PostgreSQL (``REGISTRY_TEST_DATABASE_URL``): migrated once, every table emptied before each test;
under pytest-xdist each worker has a database of its own beside the given one (``<name>_gw0``, ...),
created at its start and dropped at its end.
The app runs on the test client's own event loop, so nothing here shares an engine with it.
"""

from __future__ import annotations

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


async def reset_postgres(url: str, *, drop: bool) -> None:
    engine = create_engine(url, poolclass=NullPool)
    async with engine.begin() as connection:
        if drop:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        else:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name not in KEPT)
            await connection.execute(text(f"TRUNCATE {tables} CASCADE"))
    await engine.dispose()


async def create_or_drop_worker_database(*, create: bool) -> None:
    """Create (or drop) this worker's database from a connection to the given one."""
    assert GIVEN_POSTGRES_URL and POSTGRES_URL
    name = make_url(POSTGRES_URL).database
    engine = create_engine(GIVEN_POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | None]:
    if POSTGRES_URL:
        import asyncio

        separate = POSTGRES_URL != GIVEN_POSTGRES_URL
        if separate:
            asyncio.run(create_or_drop_worker_database(create=True))
        asyncio.run(reset_postgres(POSTGRES_URL, drop=True))
        upgrade(POSTGRES_URL)
        yield None
        if separate:
            asyncio.run(create_or_drop_worker_database(create=False))
        return
    template = tmp_path_factory.mktemp("template") / "registry.db"
    upgrade(f"sqlite+aiosqlite:///{template}")
    yield template


@pytest.fixture
async def database_url(migrated_template: Path | None, tmp_path: Path) -> str:
    if POSTGRES_URL:
        await reset_postgres(POSTGRES_URL, drop=False)
        return POSTGRES_URL
    target = tmp_path / "registry.db"
    shutil.copyfile(migrated_template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def settings(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    """Settings for one test; ``@pytest.mark.starter_library`` imports the starter library at start."""
    seed = request.node.get_closest_marker("starter_library") is not None
    return Settings(data_dir=tmp_path, database_url=database_url, bootstrap_admin_token=ADMIN_TOKEN, seed_library=seed)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(create_app(settings)) as test_client:
        yield test_client


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
