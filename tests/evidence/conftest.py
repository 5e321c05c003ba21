"""Evidence tests start from two suppliers, a product and buyers (``tests.evidence_world``)."""

from __future__ import annotations

import pytest

from tests.evidence_world import World, make_world
from tests.support import Api


@pytest.fixture
async def world(admin: Api) -> World:
    return await make_world(admin)
