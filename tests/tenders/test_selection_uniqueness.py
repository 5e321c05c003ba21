"""A module is selected at most once in a lot: one requirement, one answer from each supplier, one score."""

from __future__ import annotations

import copy

import pytest

from tests.support import problem
from tests.tender_world import World, create, spec

pytestmark = pytest.mark.starter_library


async def test_a_specification_selecting_a_module_twice_in_a_lot_is_refused_naming_both_places(world: World) -> None:
    body = spec()
    again = copy.deepcopy(body["lots"][0]["selections"][1]) | {"note": "once more"}
    body["lots"][0]["selections"].append(again)
    errors = problem(await world.coordinator.post("/api/v1/tenders", json=body), 422)["errors"]
    assert errors == [
        {
            "field": "lots[0].selections[5].module_key",
            "message": "SEC-ISO27001-CERTIFICATE is already selected in this lot, at selection 2",
            "where": "lot 1, selection 6",
        }
    ]
    assert (await world.coordinator.get("/api/v1/tenders")).json()["total"] == 0, "nothing stored"


async def test_the_same_module_in_two_lots_is_allowed(world: World) -> None:
    body = spec()
    body["lots"][1]["selections"].append({"module_key": "SEC-ISO27001-CERTIFICATE", "module_version": 1})
    assert (await world.coordinator.post("/api/v1/tenders", json=body)).status_code == 201


async def test_adding_a_module_the_lot_already_has_is_refused_naming_its_selection(world: World) -> None:
    tender = await create(world.coordinator)
    lot = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/lots/1")).json()
    path = f"/api/v1/tenders/{tender['id']}/lots/1/selections"
    refused = await world.coordinator.post(
        path, json={"module_key": "SEC-ISO27001-CERTIFICATE", "module_version": 1}, headers={"If-Match": lot["etag"]}
    )
    assert problem(refused, 422)["errors"] == [
        {"field": "selection.module_key", "message": "SEC-ISO27001-CERTIFICATE is already selected in this lot, at selection 2"}
    ]
    after = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/lots/1")).json()
    assert [s["module_key"] for s in after["selections"]] == [s["module_key"] for s in lot["selections"]], "the lot is unchanged"
