"""A tender edited part by part: its own fields, one lot, one selection, each with its own ETag; and
the document versions frozen at publication and at each amendment."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support import Api, not_found, problem
from tests.tender_world import World, act, build_world, confirmation, spec

pytestmark = pytest.mark.starter_library


def with_etag(response: Any) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json() | {"etag": response.headers["etag"]}


async def create(api: Api, body: dict) -> dict:
    return with_etag(await api.post("/api/v1/tenders", json=body))


def content(tender: dict) -> dict:
    """What a tender says, without ids, ETags and revisions."""
    lots = [
        {k: v for k, v in lot.items() if k not in ("id", "etag")}
        | {"selections": [{k: v for k, v in s.items() if k not in ("id", "etag")} for s in lot["selections"]]}
        for lot in tender["lots"]
    ]
    fields = ("reference", "title", "description", "timeline", "contract_period", "estimated_value", "cpv_codes")
    return {f: tender[f] for f in fields} | {"lots": lots}


async def test_one_selection_changes_with_its_own_etag(world: World) -> None:
    tender = await create(world.coordinator, spec())
    base = f"/api/v1/tenders/{tender['id']}/lots/1/selections"
    first, second = tender["lots"][0]["selections"][:2]
    changed = await world.coordinator.patch(f"{base}/1", json={"parameters": {"delivery_seconds": 15}}, headers={"If-Match": first["etag"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["parameters"] == {"delivery_seconds": 15} and changed.headers["etag"] != first["etag"]
    stale = problem(await world.coordinator.patch(f"{base}/1", json={"note": "late"}, headers={"If-Match": first["etag"]}), 412)
    assert stale["current_etag"] == changed.headers["etag"]
    untouched = await world.coordinator.patch(f"{base}/2", json={"note": "Still valid"}, headers={"If-Match": second["etag"]})
    assert untouched.status_code == 200, "another selection's ETag is not made stale"
    too_slow = {"parameters": {"delivery_seconds": 900}}
    problem(await world.coordinator.patch(f"{base}/1", json=too_slow, headers={"If-Match": changed.headers["etag"]}), 422)
    after = with_etag(await world.coordinator.get(f"/api/v1/tenders/{tender['id']}"))
    assert after["revision"] == tender["revision"] + 2, "each part edit moves the specification's revision"
    problem(await world.coordinator.put(f"/api/v1/tenders/{tender['id']}", json=spec(), headers={"If-Match": tender["etag"]}), 412)
    not_found(await world.coordinator.patch(f"{base}/9", json={"note": "x"}, headers={"If-Match": first["etag"]}), "lot 1 has no selection 9")
    problem(await world.coordinator.patch(f"{base}/2", json={"note": "x"}), 428)


async def test_selections_are_added_moved_and_removed(world: World) -> None:
    tender = await create(world.coordinator, spec())
    lot = tender["lots"][1]
    path = f"/api/v1/tenders/{tender['id']}/lots/2"
    added = await world.coordinator.post(f"{path}/selections", json={"module_key": "SEC-ISO27001-CERTIFICATE", "module_version": 1, "position": 1},
                                         headers={"If-Match": lot["etag"]})  # fmt: skip
    assert added.status_code == 201, added.text
    assert added.json()["position"] == 1
    problem(await world.coordinator.post(f"{path}/selections", json={"module_key": "SEC-ISO27001-CERTIFICATE", "module_version": 1},
                                         headers={"If-Match": lot["etag"]}), 412)  # fmt: skip
    current = with_etag(await world.coordinator.get(path))
    keys = [s["module_key"] for s in current["selections"]]
    assert keys[0] == "SEC-ISO27001-CERTIFICATE" and keys[1:] == [s["module_key"] for s in lot["selections"]]
    moved = await world.coordinator.patch(f"{path}/selections/1", json={"position": 9}, headers={"If-Match": added.headers["etag"]})
    assert moved.status_code == 200 and moved.json()["position"] == len(keys)
    current = with_etag(await world.coordinator.get(path))
    assert [s["position"] for s in current["selections"]] == list(range(1, len(keys) + 1))
    last = current["selections"][-1]
    removed = await world.coordinator.delete(f"{path}/selections/{last['position']}", headers={"If-Match": last["etag"]})
    assert removed.status_code == 204, removed.text
    assert [s["module_key"] for s in (await world.coordinator.get(path)).json()["selections"]] == keys[1:]
    problem(await world.coordinator.post(f"{path}/selections", json={"module_key": "NO-SUCH-MODULE", "module_version": 1},
                                         headers={"If-Match": (await world.coordinator.get(path)).headers["etag"]}), 422)  # fmt: skip


async def test_lots_are_added_changed_moved_and_removed(world: World) -> None:
    tender = await create(world.coordinator, spec())
    base = f"/api/v1/tenders/{tender['id']}/lots"
    new = {"title": "Medicine dispensers", "product_categories": ["medicine_dispenser"], "price_weight": 100, "quality_weight": 0, "position": 1}
    added = await world.coordinator.post(base, json=new, headers={"If-Match": tender["etag"]})
    assert added.status_code == 201, added.text
    assert added.json()["number"] == 1
    titles = [lot["title"] for lot in (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")).json()["lots"]]
    assert titles == ["Medicine dispensers", "Digital social alarms", "GPS alarms"]
    problem(await world.coordinator.patch(f"{base}/1", json={"price_weight": 70}, headers={"If-Match": added.headers["etag"]}), 422)
    changed = await world.coordinator.patch(f"{base}/1", json={"price_weight": 70, "quality_weight": 30, "position": 3},
                                            headers={"If-Match": added.headers["etag"]})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["number"] == 3, changed.text
    removed = await world.coordinator.delete(f"{base}/3", headers={"If-Match": changed.headers["etag"]})
    assert removed.status_code == 204
    assert [lot["number"] for lot in (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")).json()["lots"]] == [1, 2]


async def test_own_fields_change_without_the_lots(world: World) -> None:
    tender = await create(world.coordinator, spec())
    changed = with_etag(await world.coordinator.patch(f"/api/v1/tenders/{tender['id']}", json={"title": "Alarms, renamed"},
                                                      headers={"If-Match": tender["etag"]}))  # fmt: skip
    assert changed["title"] == "Alarms, renamed" and "lots" not in changed
    after = with_etag(await world.coordinator.get(f"/api/v1/tenders/{tender['id']}"))
    assert after["lots"] == tender["lots"], "lots and selections keep their rows and ETags"
    assert after["etag"] == changed["etag"] and after["revision"] == tender["revision"] + 1
    path, headers = f"/api/v1/tenders/{tender['id']}", {"If-Match": changed["etag"]}
    problem(await world.coordinator.patch(path, json={"estimated_value": "NaN"}, headers=headers), 422)
    problem(await world.coordinator.patch(path, json={"lots": []}, headers=headers), 400)


async def test_the_whole_specification_put_gives_what_part_edits_give(world: World) -> None:
    start = spec("SAME")
    target = copy.deepcopy(start)
    target["title"] = "Edited"
    target["lots"][0]["selections"][0]["parameters"] = {"delivery_seconds": 10}
    del target["lots"][1]["selections"][3]
    by_put = await create(world.coordinator, start)
    by_put = with_etag(await world.coordinator.put(f"/api/v1/tenders/{by_put['id']}", json=target, headers={"If-Match": by_put["etag"]}))

    other = await build_world(world.admin)
    by_parts = await create(other.coordinator, start)
    retitled = await other.coordinator.patch(f"/api/v1/tenders/{by_parts['id']}", json={"title": "Edited"}, headers={"If-Match": by_parts["etag"]})
    assert retitled.status_code == 200
    selection = by_parts["lots"][0]["selections"][0]
    path = f"/api/v1/tenders/{by_parts['id']}/lots"
    assert (await other.coordinator.patch(f"{path}/1/selections/1", json={"parameters": {"delivery_seconds": 10}},
                                          headers={"If-Match": selection["etag"]})).status_code == 200  # fmt: skip
    fourth = by_parts["lots"][1]["selections"][3]
    assert (await other.coordinator.delete(f"{path}/2/selections/4", headers={"If-Match": fourth["etag"]})).status_code == 204
    by_parts = (await other.coordinator.get(f"/api/v1/tenders/{by_parts['id']}")).json()
    assert content(by_put) == content(by_parts)


async def test_published_versions_export_again_byte_for_byte(world: World) -> None:
    tender = await create(world.coordinator, spec())
    ids = [m["id"] for m in world.members[:1]]
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": ids})
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    lot = tender["lots"][0]
    never_published = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/versions/1/exports/docx")
    not_found(never_published, "a tender that was never published has no document versions")
    assert (await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{ids[0]}", json=confirmation([(1, 5)]))).status_code == 200
    tender = with_etag(await world.coordinator.get(f"/api/v1/tenders/{tender['id']}"))
    tender = await act(world.coordinator, tender, "POST", "/publish")
    problem(await world.coordinator.patch(f"/api/v1/tenders/{tender['id']}/lots/1", json={"title": "x"}, headers={"If-Match": lot["etag"]}), 409)
    exports = f"/api/v1/tenders/{tender['id']}"
    published = {fmt: (await world.supplier.get(f"{exports}/exports/{fmt}")).content for fmt in ("docx", "xlsx", "ocds")}
    again = {fmt: (await world.supplier.get(f"{exports}/exports/{fmt}")).content for fmt in ("docx", "xlsx", "ocds")}
    assert published == again, "two downloads of a published tender are the same bytes"

    later = (datetime.now(UTC) + timedelta(days=70)).isoformat()
    timeline = tender["timeline"] | {"submission_deadline": later, "planned_award": (datetime.now(UTC) + timedelta(days=90)).isoformat()}
    amended = await world.coordinator.post(f"{exports}/amendments", json={"summary": "Later deadline", "reason": "Questions", "timeline": timeline},
                                           headers={"If-Match": tender["etag"]})  # fmt: skip
    assert amended.status_code == 201, amended.text
    for fmt, first in published.items():
        version_1 = await world.supplier.get(f"{exports}/versions/1/exports/{fmt}")
        assert version_1.status_code == 200, version_1.text
        assert hashlib.sha256(version_1.content).hexdigest() == hashlib.sha256(first).hexdigest(), fmt
        current = (await world.supplier.get(f"{exports}/exports/{fmt}")).content
        if fmt != "xlsx":  # the response form does not show the timeline
            assert current != first, f"{fmt}: the amendment shows in the current version"
        assert current == (await world.supplier.get(f"{exports}/versions/2/exports/{fmt}")).content, fmt
    assert "v1" in (await world.supplier.get(f"{exports}/versions/1/exports/docx")).headers["content-disposition"]
    not_found(await world.supplier.get(f"{exports}/versions/3/exports/docx"), "document version 3 of this tender is not kept")


async def test_a_parameter_the_buyer_must_set_is_refused_when_left_out_naming_it(world: World) -> None:
    """INTEROP-OPEN-API-FHIR version 2 has no default national profiles: a wrong country's would make it useless."""
    body = spec("MUST-SET")
    body["lots"][0]["selections"].append({"module_key": "INTEROP-OPEN-API-FHIR", "module_version": 2})
    refused = problem(await world.coordinator.post("/api/v1/tenders", json=body), 422)
    field = "lots[0].selections[5].parameters.national_profiles"
    assert [(e["field"], e["message"]) for e in refused["errors"]] == [(field, "is required and has no default")]
    body["lots"][0]["selections"][-1]["parameters"] = {"national_profiles": "no_basis"}
    created = await world.coordinator.post("/api/v1/tenders", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["lots"][0]["selections"][-1]["parameters"] == {"national_profiles": "no_basis"}
