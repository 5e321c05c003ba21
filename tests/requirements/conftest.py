"""Fixtures of the library tests: a library editor and a reader (a municipality's procurement officer)."""

from __future__ import annotations

import pytest

from tests.support import Api


@pytest.fixture
async def editor(admin: Api) -> Api:
    authority = await admin.create_org("authority")
    return await admin.create_user(authority["id"], "library_editor")


@pytest.fixture
async def reader(admin: Api) -> Api:
    town = await admin.create_org("municipality")
    return await admin.create_user(town["id"], "procurement_officer")
