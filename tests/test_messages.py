"""Messages speak to people: what to do next, and what is expected, in words."""

from __future__ import annotations

import pytest

from tests.support import Api, problem
from tests.tender_world import World, build_world
from tests.test_tenders import act, create


@pytest.mark.starter_library
async def test_publishing_a_draft_with_invitations_says_to_open_it_first(admin: Api) -> None:
    world: World = await build_world(admin)
    tender = await create(world.coordinator)
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    refused = problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]}), 422)
    message = next(e["message"] for e in refused["errors"] if e["field"] == "participants")
    assert "must first be opened for participants" in message and world.members[0]["name"] in message

    opened = await act(world.coordinator, tender, "POST", "/open-for-participants")
    refused = problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": opened["etag"]}), 422)
    assert f"waiting for answers from {world.members[0]['name']}" in [e["message"] for e in refused["errors"]]
