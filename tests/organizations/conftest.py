"""Fixtures of the organization tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from registry.db.transactions import Database


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The test's database, for calling the service functions other slices call directly."""
    db = Database(database_url)
    yield db
    await db.dispose()
