"""The tender lifecycle as a table: which action moves a tender from which status to which, every
other (status, action) pair refused; what publication checks beyond the specification (participants,
deprecated versions); amendments of a published tender; upgrades of selections to newer module
versions.

Writes are checked by what a GET of the tender (and the audit trail) shows afterwards, never by the
body a write answers with.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import delete, select
from sqlalchemy.pool import NullPool

from registry.db.engine import create_engine
from registry.tenders.models import TenderAmendment, TenderDocument
from tests.support import Api, problem
from tests.tender_world import World, confirmation, read, spec, write

pytestmark = pytest.mark.starter_library

STATUSES = ["draft", "open_for_participants", "published", "closed", "awarded", "cancelled"]
# action -> the statuses it is allowed from (in this order in refusals) and the status it leads to
TABLE: dict[str, tuple[list[str], str]] = {
    "open-for-participants": (["draft"], "open_for_participants"),
    "publish": (["draft", "open_for_participants"], "published"),
    "close": (["published"], "closed"),
    "award": (["closed"], "awarded"),
    "cancel": (["draft", "open_for_participants", "published", "closed"], "cancelled"),
}
# how a municipality's tender without participants reaches each status
PATHS = {
    "draft": [],
    "open_for_participants": ["open-for-participants"],
    "published": ["publish"],
    "closed": ["publish", "close"],
    "awarded": ["publish", "close", "award"],
    "cancelled": ["cancel"],
}
ALLOWED = [(status, action) for action, (sources, _) in TABLE.items() for status in sources]
REFUSED = [(status, action) for status in STATUSES for action in TABLE if (status, action) not in ALLOWED]


# --- helpers ------------------------------------------------------------------------------------


async def refused(api: Api, tender_id: str, method: str, suffix: str, status: int, **kwargs: Any) -> dict[str, Any]:
    """A write with the tender's current ETag that must fail with ``status``; returns the problem body."""
    etag = (await read(api, tender_id))["etag"]
    return problem(await api.request(method, f"/api/v1/tenders/{tender_id}{suffix}", headers={"If-Match": etag}, **kwargs), status)


async def created(api: Api, body: dict[str, Any] | None = None) -> str:
    response = await api.post("/api/v1/tenders", json=body or spec("ASK-LIFE-1"))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def tender_in(world: World, status: str) -> str:
    """A tender of Askøy kommune (no participants, so not joint) brought to ``status``."""
    tender_id = await created(world.officers[0])
    for action in PATHS[status]:
        await write(world.officers[0], tender_id, "POST", f"/{action}")
    return tender_id


async def audit(admin: Api, tender_id: str, action: str) -> list[dict[str, Any]]:
    body = (await admin.get("/api/v1/audit", params={"entity_id": tender_id, "action": action})).json()
    return [{k: e[k] for k in ("action", "entity_type", "entity_id", "actor_user_id", "details")} for e in body["items"]]


def history(tender: dict[str, Any]) -> list[tuple[str, str | None, str, str]]:
    return [(h["action"], h["from_status"], h["to_status"], h["actor_user_id"]) for h in tender["history"]]


async def publish_errors(api: Api, tender_id: str) -> list[dict[str, Any]]:
    body = await refused(api, tender_id, "POST", "/publish", 422)
    assert body["detail"] == "the tender cannot be published yet"
    return body["errors"]


# --- the lifecycle table ------------------------------------------------------------------------


def test_the_table_covers_every_status_and_action() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(STATUSES) * len(TABLE) == 30 and len(ALLOWED) == 9


@pytest.mark.parametrize(("status", "action"), ALLOWED)
async def test_every_transition_in_the_table_moves_the_tender_and_is_recorded(world: World, status: str, action: str) -> None:
    officer = world.officers[0]
    tender_id = await tender_in(world, status)
    before = await read(officer, tender_id)
    target = TABLE[action][1]

    after = await write(officer, tender_id, "POST", f"/{action}")

    assert after["status"] == target
    assert after["revision"] == before["revision"] + 1, "a lifecycle step moves the revision, so an ETag read before it is stale"
    assert history(after) == [*history(before), (action, status, target, officer.user["id"])]
    if action == "publish":
        assert after["published_at"] is not None and before["published_at"] is None
    else:
        assert after["published_at"] == before["published_at"]
    assert await audit(world.admin, tender_id, f"tender.{action}") == [
        {
            "action": f"tender.{action}", "entity_type": "tender", "entity_id": tender_id, "actor_user_id": officer.user["id"],
            "details": {"from_status": status, "to_status": target},
        }
    ]  # fmt: skip


@pytest.mark.parametrize(("status", "action"), REFUSED)
async def test_every_transition_not_in_the_table_is_refused(world: World, status: str, action: str) -> None:
    officer = world.officers[0]
    tender_id = await tender_in(world, status)
    before = await read(officer, tender_id)
    recorded = await audit(world.admin, tender_id, f"tender.{action}")

    body = await refused(officer, tender_id, "POST", f"/{action}", 409)

    allowed = ", ".join(TABLE[action][0])
    assert body["detail"] == f"cannot {action.replace('-', ' ')} a {status} tender (allowed from: {allowed})"
    after = await read(officer, tender_id)
    assert (after["status"], after["revision"], after["history"], after["published_at"]) == (
        status, before["revision"], before["history"], before["published_at"],
    )  # fmt: skip
    assert await audit(world.admin, tender_id, f"tender.{action}") == recorded


async def test_creation_is_the_first_entry_of_the_history(world: World) -> None:
    tender = await read(world.officers[0], await created(world.officers[0]))
    assert history(tender) == [("create", None, "draft", world.officers[0].user["id"])]
    assert (tender["status"], tender["document_version"], tender["revision"], tender["participation_revision"]) == ("draft", 1, 1, 1)


# --- visibility through the lifecycle -----------------------------------------------------------


async def test_a_tender_cancelled_after_publication_stays_public(world: World, client: Any) -> None:
    tender_id = await tender_in(world, "published")
    await write(world.officers[0], tender_id, "POST", "/cancel")
    seen = await world.supplier.get(f"/api/v1/tenders/{tender_id}")
    assert seen.status_code == 200 and seen.json()["status"] == "cancelled"
    anonymous = await Api(client, None).get(f"/api/v1/tenders/{tender_id}/exports/ocds")
    assert anonymous.status_code == 200, "its documents stay public too"


@pytest.mark.parametrize("status", ["draft", "open_for_participants"])
async def test_a_tender_cancelled_before_publication_stays_private(world: World, client: Any, status: str) -> None:
    tender_id = await tender_in(world, status)
    await write(world.officers[0], tender_id, "POST", "/cancel")
    assert problem(await world.supplier.get(f"/api/v1/tenders/{tender_id}"), 404)["detail"] == f"no tender {tender_id}"
    problem(await Api(client, None).get(f"/api/v1/tenders/{tender_id}/exports/ocds"), 404)
    assert (await world.admin.get(f"/api/v1/tenders/{tender_id}")).status_code == 200, "administrators see every tender"


async def test_the_publication_check_of_a_tender_past_publishing_names_its_status_before_its_other_problems(world: World) -> None:
    body = spec("CHECK-CANCELLED")
    del body["contact_point"]
    created = await world.officers[0].post("/api/v1/tenders", json=body)
    assert created.status_code == 201, created.text
    tender_id = created.json()["id"]
    await write(world.officers[0], tender_id, "POST", "/cancel")
    check = (await world.officers[0].get(f"/api/v1/tenders/{tender_id}/publication-check")).json()
    assert check["publishable"] is False
    assert [(e["field"], e["message"]) for e in check["errors"]] == [
        ("status", "a cancelled tender cannot be published"),
        ("contact_point", "a published tender names where suppliers send questions (a name or function and an email)"),
    ]


async def test_the_published_document_version_is_kept_as_it_was_at_publication(world: World) -> None:
    tender_id = await tender_in(world, "awarded")
    tender = await read(world.officers[0], tender_id)
    kept = (await world.supplier.get(f"/api/v1/tenders/{tender_id}/versions/1/exports/ocds")).json()["releases"][0]
    current = (await world.supplier.get(f"/api/v1/tenders/{tender_id}/exports/ocds")).json()["releases"][0]
    assert (kept["tender"]["status"], current["tender"]["status"]) == ("active", "complete"), "version 1 was frozen when published"
    published_at = datetime.fromisoformat(tender["published_at"].replace("Z", "+00:00"))
    assert abs(datetime.fromisoformat(kept["date"].replace("Z", "+00:00")) - published_at) < timedelta(seconds=1)


# --- what publication checks beyond the specification -------------------------------------------


async def test_a_draft_with_invited_municipalities_cannot_be_published_before_they_could_answer(world: World) -> None:
    coordinator = world.coordinator
    tender_id = await created(coordinator, spec("VTF-PUB-1"))
    voss, askoy = world.members[2], world.members[0]
    await write(coordinator, tender_id, "POST", "/participants", json={"organization_ids": [voss["id"], askoy["id"]]})
    assert await publish_errors(coordinator, tender_id) == [
        {
            "field": "participants",
            "message": "the tender must first be opened for participants (open-for-participants): "
            "Askøy kommune, Voss herad cannot answer while it is a draft",
        },
        {"field": "participants", "message": "a joint tender needs at least one confirmed participant"},
    ]
    after = await read(coordinator, tender_id)
    assert (after["status"], after["published_at"]) == ("draft", None)


async def test_an_open_tender_waits_for_every_invited_municipality_and_only_for_them(world: World) -> None:
    coordinator = world.coordinator
    tender_id = await created(coordinator, spec("VTF-PUB-2"))
    await write(coordinator, tender_id, "POST", "/participants", json={"organization_ids": [m["id"] for m in world.members]})
    await write(coordinator, tender_id, "POST", "/open-for-participants")
    assert await publish_errors(coordinator, tender_id) == [
        {"field": "participants", "message": "waiting for answers from Askøy kommune, Bjørnafjorden kommune, Voss herad"},
        {"field": "participants", "message": "a joint tender needs at least one confirmed participant"},
    ]
    askoy, bjornafjorden, voss = world.members
    answered = await world.officers[0].put(f"/api/v1/tenders/{tender_id}/participants/{askoy['id']}", json=confirmation([(1, 10)]))
    assert answered.status_code == 200, answered.text
    declined = await world.officers[1].put(f"/api/v1/tenders/{tender_id}/participants/{bjornafjorden['id']}", json={"decision": "declined"})
    assert declined.status_code == 200, declined.text
    assert await publish_errors(coordinator, tender_id) == [{"field": "participants", "message": "waiting for answers from Voss herad"}]

    await write(coordinator, tender_id, "DELETE", f"/participants/{voss['id']}")
    published = await write(coordinator, tender_id, "POST", "/publish")
    assert published["status"] == "published" and published["published_at"] is not None


async def test_a_federation_tender_is_joint_without_participants_and_needs_a_confirmed_one(world: World) -> None:
    tender_id = await created(world.coordinator, spec("VTF-PUB-3"))
    assert (await read(world.coordinator, tender_id))["joint"] is True
    assert await publish_errors(world.coordinator, tender_id) == [
        {"field": "participants", "message": "a joint tender needs at least one confirmed participant"}
    ]


async def test_a_municipality_tender_with_only_declined_participants_is_joint_and_needs_a_confirmed_one(world: World) -> None:
    lead = world.officers[0]
    tender_id = await created(lead, spec("ASK-PUB-4"))
    await write(lead, tender_id, "POST", "/participants", json={"organization_ids": [world.outsider["id"]]})
    await write(lead, tender_id, "POST", "/open-for-participants")
    answer = await world.outsider_officer.put(f"/api/v1/tenders/{tender_id}/participants/{world.outsider['id']}", json={"decision": "declined"})
    assert answer.status_code == 200, answer.text
    assert (await read(lead, tender_id))["joint"] is True
    assert await publish_errors(lead, tender_id) == [{"field": "participants", "message": "a joint tender needs at least one confirmed participant"}]


async def test_a_municipality_tender_without_participants_is_published_alone(world: World) -> None:
    lead = world.officers[0]
    tender_id = await created(lead, spec("ASK-PUB-5"))
    assert (await read(lead, tender_id))["joint"] is False
    assert (await write(lead, tender_id, "POST", "/publish"))["status"] == "published"


async def test_a_deprecated_pinned_version_and_publication_problems_are_reported_together(world: World, admin: Api) -> None:
    lead = world.officers[0]
    body = spec("ASK-PUB-6") | {"timeline": {}}
    tender_id = await created(lead, body)
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    deprecated = await editor.post("/api/v1/modules/SEC-ISO27001-CERTIFICATE/versions/1/deprecate", json={})
    assert deprecated.status_code == 200, deprecated.text
    assert await publish_errors(lead, tender_id) == [
        {
            "field": "lots[0].selections[1].module_version", "message": "SEC-ISO27001-CERTIFICATE version 1 is deprecated",
            "where": "lot 1, selection 2",
        },
        {"field": "timeline.submission_deadline", "message": "is required to publish"},
    ]  # fmt: skip


# --- amendments ---------------------------------------------------------------------------------


async def published_tender(world: World, reference: str = "ASK-AMEND-1") -> str:
    tender_id = await created(world.officers[0], spec(reference))
    await write(world.officers[0], tender_id, "POST", "/publish")
    return tender_id


def amendment(**changes: Any) -> dict[str, Any]:
    return {"summary": "Corrected", "reason": "Supplier question", **changes}


async def in_database(database_url: str, statement: Any) -> list[Any]:
    """Run ``statement`` on the test's database, outside the app (what the API does not show)."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(statement)
            return list(result) if result.returns_rows else []
    finally:
        await engine.dispose()


@pytest.mark.parametrize("status", ["draft", "open_for_participants", "closed", "cancelled"])
async def test_only_a_published_tender_is_amended(world: World, status: str) -> None:
    tender_id = await tender_in(world, status)
    before = await read(world.officers[0], tender_id)
    body = await refused(world.officers[0], tender_id, "POST", "/amendments", 409, json=amendment(description="Something else"))
    assert body["detail"] == f"amendments are for published tenders; this one is {status}"
    after = await read(world.officers[0], tender_id)
    assert (after["description"], after["amendments"], after["document_version"]) == (before["description"], [], 1)


async def test_an_amendment_that_changes_nothing_is_refused(world: World) -> None:
    lead = world.officers[0]
    tender_id = await published_tender(world)
    current = await read(lead, tender_id)
    same_lots = [
        {k: lot[k] for k in ("title", "product_categories", "price_weight", "quality_weight")}
        | {"selections": [{k: s[k] for k in ("module_key", "module_version", "parameters", "kind", "weight", "note")} for s in lot["selections"]]}
        for lot in current["lots"]
    ]
    for unchanged in ({}, {"description": current["description"], "timeline": current["timeline"], "lots": same_lots}):
        body = await refused(lead, tender_id, "POST", "/amendments", 422, json=amendment(**unchanged))
        assert body["detail"] == "the amendment changes nothing"
        assert body["errors"] == [{"field": "description", "message": "give a new description, timeline or lots"}]
    after = await read(lead, tender_id)
    assert (after["amendments"], after["document_version"], after["revision"]) == ([], 1, current["revision"])


async def test_an_amendment_names_only_what_differs_and_numbers_the_versions(world: World) -> None:
    lead = world.officers[0]
    tender_id = await published_tender(world)
    published = await read(lead, tender_id)
    new_description = "Alarms for citizens living at home, with response centre."
    first = await write(lead, tender_id, "POST", "/amendments", json=amendment(description=new_description, timeline=published["timeline"]))
    assert first["description"] == new_description and first["timeline"] == published["timeline"]
    assert (first["document_version"], first["revision"]) == (2, published["revision"] + 1)
    assert [(a["number"], a["document_version"], a["changed"], a["summary"], a["reason"]) for a in first["amendments"]] == [
        (1, 2, ["description"], "Corrected", "Supplier question")
    ]
    assert first["lots"] == published["lots"], "lots not amended keep their rows and ETags"
    second_version = (await world.supplier.get(f"/api/v1/tenders/{tender_id}/versions/2/exports/ocds")).json()["releases"][0]
    amended_at = datetime.fromisoformat(first["amendments"][0]["created_at"].replace("Z", "+00:00"))
    assert abs(datetime.fromisoformat(second_version["date"].replace("Z", "+00:00")) - amended_at) < timedelta(seconds=1), "dated at the amendment"

    lots = copy.deepcopy(spec()["lots"])
    lots[0]["selections"][0]["parameters"] = {"delivery_seconds": 15}
    lots[0]["title"] = "Digital social alarms, all models"
    second = await write(lead, tender_id, "POST", "/amendments", json={"summary": "Faster alarms", "reason": "Market dialogue", "lots": lots})
    assert second["lots"][0]["title"] == "Digital social alarms, all models"
    assert second["lots"][0]["selections"][0]["parameters"] == {"delivery_seconds": 15}
    assert second["lots"][0]["etag"] != first["lots"][0]["etag"] and second["lots"][1] == first["lots"][1]
    assert second["description"] == new_description
    assert [(a["number"], a["document_version"], a["changed"]) for a in second["amendments"]] == [(1, 2, ["description"]), (2, 3, ["lots"])]
    assert second["document_version"] == 3
    events = await audit(world.admin, tender_id, "tender.amend")
    assert [(e["entity_type"], e["entity_id"], e["actor_user_id"], e["details"]) for e in events] == [
        ("tender", tender_id, lead.user["id"], {"number": 2, "changed": ["lots"]}),
        ("tender", tender_id, lead.user["id"], {"number": 1, "changed": ["description"]}),
    ]
    for version, description in ((1, spec()["description"]), (2, new_description), (3, new_description)):
        document = await world.supplier.get(f"/api/v1/tenders/{tender_id}/versions/{version}/exports/ocds")
        assert document.status_code == 200 and description in document.text, version


async def test_an_amendment_records_who_made_it(world: World, database_url: str) -> None:
    lead = world.officers[0]
    tender_id = await published_tender(world)
    await write(lead, tender_id, "POST", "/amendments", json=amendment(description="Changed"))
    query = select(TenderAmendment.actor_user_id, TenderAmendment.number).where(TenderAmendment.tender_id == UUID(tender_id))
    assert [(str(actor), number) for actor, number in await in_database(database_url, query)] == [(lead.user["id"], 1)]


async def test_an_amendment_with_an_invalid_specification_changes_nothing(world: World) -> None:
    lead = world.officers[0]
    tender_id = await published_tender(world)
    before = await read(lead, tender_id)
    lots = copy.deepcopy(spec()["lots"])
    lots[1]["selections"][0]["module_version"] = 9
    body = await refused(lead, tender_id, "POST", "/amendments", 422, json=amendment(lots=lots, description="Also this"))
    assert body["detail"] == "the tender specification has problems"
    assert body["errors"] == [
        {
            "field": "lots[1].selections[0].module_version",
            "message": "CONSENT-LOCATION-ON-REQUEST has no published version 9",
            "where": "lot 2, selection 1",
        }
    ]
    after = await read(lead, tender_id)
    assert (after["description"], after["lots"], after["amendments"], after["document_version"]) == (
        before["description"], before["lots"], [], 1,
    )  # fmt: skip


async def test_a_tender_published_before_versions_were_kept_has_its_version_kept_at_its_first_amendment(world: World, database_url: str) -> None:
    lead = world.officers[0]
    tender_id = await published_tender(world)
    original = spec()["description"]
    await in_database(database_url, delete(TenderDocument).where(TenderDocument.tender_id == UUID(tender_id)))  # as before versions were kept
    await write(lead, tender_id, "POST", "/amendments", json=amendment(description="Changed after all"))
    first = await world.supplier.get(f"/api/v1/tenders/{tender_id}/versions/1/exports/ocds")
    assert first.status_code == 200, first.text
    assert original in first.text and "Changed after all" not in first.text
    current = await world.supplier.get(f"/api/v1/tenders/{tender_id}/versions/2/exports/ocds")
    assert "Changed after all" in current.text


# --- upgrades to newer module versions ----------------------------------------------------------


LANGS = ("en", "nb", "sv", "da")
DELIVERY = {"name": "delivery_seconds", "type": "integer", "label": {"en": "Seconds"}, "default": 30, "min": 5, "max": 90}


async def published_module(editor: Api, key: str, *parameters: dict[str, Any]) -> None:
    """A module of the test's own at version 1, published (the starter library's versions move with every review)."""
    placeholders = " ".join(f"{{{p['name']}}}" for p in parameters)
    content = {
        "kind": "mandatory",
        **{field: {lang: f"{field} {lang}" for lang in LANGS} for field in ("title", "rationale")},
        "statement": {lang: f"{key} {lang} {placeholders}" for lang in LANGS},
        "parameters": list(parameters),
    }
    body = {"key": key, "category": "interoperability", "product_categories": ["digital_social_alarm", "gps_alarm"], "content": content}
    assert (await editor.post("/api/v1/modules", json=body)).status_code == 201
    assert (await editor.post(f"/api/v1/modules/{key}/versions/1/publish")).status_code == 200


async def publish_new_version(editor: Api, key: str, **changes: Any) -> None:
    draft = await editor.post(f"/api/v1/modules/{key}/versions")
    assert draft.status_code == 201, draft.text
    content = draft.json()["content"] | {"buyer_guidance": {"en": "Ask for the latest test report."}} | changes
    edited = await editor.put(f"/api/v1/modules/{key}/versions/{draft.json()['version']}", json=content, headers={"If-Match": draft.headers["etag"]})
    assert edited.status_code == 200, edited.text
    published = await editor.post(f"/api/v1/modules/{key}/versions/{draft.json()['version']}/publish", headers={"If-Match": edited.headers["etag"]})
    assert published.status_code == 200, published.text


def versions(tender: dict[str, Any]) -> dict[str, tuple[int, int | None]]:
    return {f"{lot['number']}.{s['position']}": (s["module_version"], s["newer_version"]) for lot in tender["lots"] for s in lot["selections"]}


def own_modules(body: dict[str, Any], lots: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """``body`` with each lot's selections replaced by ``lots``' (version 1 of the test's own modules)."""
    for lot, selections in zip(body["lots"], lots, strict=True):
        lot["selections"] = [{"module_version": 1} | s for s in selections]
    return body


async def test_upgrades_move_the_chosen_outdated_selections_and_name_any_other(world: World, admin: Api) -> None:
    lead = world.officers[0]
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    for key in ("UP-ALARM", "UP-CERT", "UP-LOCATION", "UP-LOG", "UP-FALLS"):
        await published_module(editor, key, *([DELIVERY] if key == "UP-ALARM" else []))
    await publish_new_version(editor, "UP-FALLS")
    body = own_modules(spec("ASK-UP-1"), [
        [{"module_key": "UP-ALARM", "parameters": {"delivery_seconds": 20}}, {"module_key": "UP-CERT"}],
        [{"module_key": "UP-LOCATION"}, {"module_key": "UP-LOG"}, {"module_key": "UP-FALLS"}],
    ])  # fmt: skip
    tender_id = await created(lead, body)
    for key in ("UP-ALARM", "UP-LOCATION"):
        await publish_new_version(editor, key)
    deprecated = await editor.post("/api/v1/modules/UP-CERT/versions/1/deprecate", json={})
    assert deprecated.status_code == 200, "a module with no published version left is never outdated"
    before = await read(lead, tender_id)
    assert {k: v for k, v in versions(before).items() if v[1]} == {"1.1": (1, 2), "2.1": (1, 2), "2.3": (1, 2)}, (
        "UP-FALLS had version 2 before the tender pinned version 1"
    )

    body = await refused(lead, tender_id, "POST", "/upgrades", 422, json={"selections": ["2.1", "1.2", "3.1"]})
    assert body["detail"] == "nothing to upgrade there"
    assert body["errors"] == [
        {"field": "selections", "message": "1.2 is not an outdated selection"},
        {"field": "selections", "message": "3.1 is not an outdated selection"},
    ]
    assert await read(lead, tender_id) == before, "a refused upgrade changes nothing"

    after = await write(lead, tender_id, "POST", "/upgrades", json={"selections": ["1.1"]})
    assert {k: v for k, v in versions(after).items() if v != versions(before)[k]} == {"1.1": (2, None)}
    assert after["revision"] == before["revision"] + 1
    changed = [
        s
        for lot in after["lots"]
        for s in lot["selections"]
        if s["etag"] != (before["lots"][lot["number"] - 1]["selections"][s["position"] - 1]["etag"])
    ]
    assert [(s["module_key"], s["parameters"]) for s in changed] == [("UP-ALARM", {"delivery_seconds": 20})]
    assert (await audit(admin, tender_id, "tender.upgrade"))[0] | {"details": None} == {
        "action": "tender.upgrade",
        "entity_type": "tender",
        "entity_id": tender_id,
        "actor_user_id": lead.user["id"],
        "details": None,
    }
    assert [e["details"] for e in await audit(admin, tender_id, "tender.upgrade")] == [{"selections": ["1.1"]}]

    body = await refused(lead, tender_id, "POST", "/upgrades", 422, json={"selections": ["1.1"]})
    assert body["errors"] == [{"field": "selections", "message": "1.1 is not an outdated selection"}], "an upgraded selection is no longer outdated"

    everything = await write(lead, tender_id, "POST", "/upgrades", json={})
    assert {k: v for k, v in versions(everything).items() if v != versions(after)[k]} == {"2.1": (2, None), "2.3": (2, None)}
    assert [e["details"] for e in await audit(admin, tender_id, "tender.upgrade")] == [{"selections": ["2.1", "2.3"]}, {"selections": ["1.1"]}]


async def test_an_upgrade_that_breaks_a_selection_names_it_and_changes_nothing(world: World, admin: Api) -> None:
    lead = world.officers[0]
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    await published_module(editor, "UP-ALARM", DELIVERY)
    await published_module(editor, "UP-LOG")
    body = own_modules(spec("ASK-UP-2"), [[{"module_key": "UP-LOG"}], [{"module_key": "UP-LOG"}]])
    body["lots"][1]["selections"].append({"module_key": "UP-ALARM", "module_version": 1, "parameters": {"delivery_seconds": 90}})
    tender_id = await created(lead, body)
    await publish_new_version(editor, "UP-ALARM", parameters=[DELIVERY | {"max": 60}])
    before = await read(lead, tender_id)

    problem_body = await refused(lead, tender_id, "POST", "/upgrades", 422, json={})
    assert problem_body["detail"] == "the upgraded selections have problems"
    assert problem_body["errors"] == [
        {"field": "lots[1].selections[1].parameters.delivery_seconds", "message": "must be at most 60", "where": "lot 2, selection 2"}
    ]
    assert await read(lead, tender_id) == before
    assert await audit(admin, tender_id, "tender.upgrade") == []


async def test_a_published_tender_is_not_upgraded(world: World) -> None:
    tender_id = await tender_in(world, "published")
    body = await refused(world.officers[0], tender_id, "POST", "/upgrades", 409, json={})
    assert body["detail"] == "a published tender is immutable; publish corrections as amendments"
