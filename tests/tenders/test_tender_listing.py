"""Who sees which tender, in the list and by id; who creates tenders; references unique per owner;
the whole specification replaced (PUT) and the tender's own fields changed (PATCH) while it is editable.

Writes are checked by what a GET of the tender, the list and the audit trail show afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import permutations
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.pool import NullPool

from registry.db.engine import create_engine
from registry.tenders import service
from registry.tenders.models import Tender
from tests.support import Api, problem
from tests.tender_world import World, confirmation, read, spec, write

pytestmark = pytest.mark.starter_library
FORBIDDEN = "tenders are created by municipalities' procurement officers or federations' coordinators"


async def refused(api: Api, tender_id: str, method: str, status: int, suffix: str = "", **kwargs: Any) -> dict[str, Any]:
    etag = (await read(api, tender_id))["etag"]
    return problem(await api.request(method, f"/api/v1/tenders/{tender_id}{suffix}", headers={"If-Match": etag}, **kwargs), status)


async def created(api: Api, body: dict[str, Any]) -> str:
    response = await api.post("/api/v1/tenders", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def listed(api: Api, **params: Any) -> tuple[list[str], int]:
    response = await api.get("/api/v1/tenders", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]], response.json()["total"]


async def audit(admin: Api, tender_id: str, action: str) -> list[dict[str, Any]]:
    body = (await admin.get("/api/v1/audit", params={"entity_id": tender_id, "action": action})).json()
    return [{k: e[k] for k in ("entity_type", "actor_user_id", "details")} for e in body["items"]]


# --- who sees what ------------------------------------------------------------------------------


async def test_draft_tenders_are_not_listed_for_invited_municipalities(world: World) -> None:
    tender_id = await created(world.coordinator, spec("VTF-LIST-1"))
    await write(world.coordinator, tender_id, "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    assert await listed(world.officers[0]) == ([], 0)
    assert problem(await world.officers[0].get(f"/api/v1/tenders/{tender_id}"), 404)["detail"] == f"no tender {tender_id}"

    await write(world.coordinator, tender_id, "POST", "/open-for-participants")
    assert await listed(world.officers[0]) == ([tender_id], 1)
    assert await listed(world.officers[1]) == ([], 0), "a member not invited sees nothing"
    assert (await world.officers[0].get(f"/api/v1/tenders/{tender_id}")).status_code == 200


async def test_owners_see_their_drafts_and_administrators_see_every_tender(world: World) -> None:
    own = await created(world.officers[0], spec("ASK-LIST-1"))
    other = await created(world.coordinator, spec("VTF-LIST-2"))
    assert await listed(world.officers[0]) == ([own], 1)
    assert await listed(world.coordinator) == ([other], 1)
    assert await listed(world.supplier) == ([], 0)
    assert await listed(world.admin) == ([other, own], 2)
    assert (await world.admin.get(f"/api/v1/tenders/{own}")).status_code == 200


async def test_published_closed_and_awarded_tenders_are_listed_for_everyone(world: World) -> None:
    lead = world.officers[0]
    ids = {}
    for status, actions in (("published", ["publish"]), ("closed", ["publish", "close"]), ("awarded", ["publish", "close", "award"])):
        ids[status] = await created(lead, spec(f"ASK-{status}"))
        for action in actions:
            await write(lead, ids[status], "POST", f"/{action}")
    await created(lead, spec("ASK-draft"))
    assert await listed(world.supplier) == ([ids["awarded"], ids["closed"], ids["published"]], 3)
    for status, tender_id in ids.items():
        assert await listed(world.outsider_officer, status=status) == ([tender_id], 1)


async def test_a_tender_cancelled_after_publication_is_listed_like_it_is_shown(world: World) -> None:
    lead = world.officers[0]
    published = await created(lead, spec("ASK-CANCEL-1"))
    await write(lead, published, "POST", "/publish")
    await write(lead, published, "POST", "/cancel")
    never_published = await created(lead, spec("ASK-CANCEL-2"))
    await write(lead, never_published, "POST", "/cancel")
    assert (await world.supplier.get(f"/api/v1/tenders/{published}")).status_code == 200
    assert await listed(world.supplier) == ([published], 1)
    assert await listed(world.supplier, status="cancelled") == ([published], 1)
    assert await listed(lead, status="cancelled") == ([never_published, published], 2)


async def test_a_draft_is_not_exported_without_a_token(world: World, client: Any) -> None:
    tender_id = await created(world.officers[0], spec("ASK-EXPORT-1"))
    body = problem(await Api(client, None).get(f"/api/v1/tenders/{tender_id}/exports/ocds"), 404)
    assert body["detail"] == f"no tender {tender_id}"
    assert (await world.officers[0].get(f"/api/v1/tenders/{tender_id}/exports/ocds")).status_code == 200


async def test_a_confirmed_municipalitys_administrator_reads_the_evidence_shared_with_the_tender(world: World, admin: Api) -> None:
    tender_id = await created(world.coordinator, spec("VTF-SHARED-1"))
    askoy, bjornafjorden = world.members[:2]
    await write(world.coordinator, tender_id, "POST", "/participants", json={"organization_ids": [askoy["id"], bjornafjorden["id"]]})
    await write(world.coordinator, tender_id, "POST", "/open-for-participants")
    answer = await world.officers[0].put(f"/api/v1/tenders/{tender_id}/participants/{askoy['id']}", json=confirmation([(1, 10)]))
    assert answer.status_code == 200, answer.text
    shared = f"/api/v1/tenders/{tender_id}/evidence"
    confirmed_admin = await admin.create_user(askoy["id"], "org_admin")
    assert (await confirmed_admin.get(shared)).json() | {"items": None} == {"items": None, "total": 0, "limit": 50, "offset": 0}
    waiting_admin = await admin.create_user(bjornafjorden["id"], "org_admin")
    body = problem(await waiting_admin.get(shared), 403)
    assert body["detail"] == "evidence shared with a tender is for its lead buyer and confirmed participants"


# --- the list's items, order, filter and pages --------------------------------------------------


async def test_list_items_summarise_each_tender_newest_first(world: World) -> None:
    base = spec("ASK-SUM-1")
    two_lots = await created(world.officers[0], base)
    one_lot = await created(
        world.officers[0],
        base | {"reference": "ASK-SUM-2", "lots": base["lots"][:1], "language": "sv", "title": "Medicine dispensers", "timeline": {}},
    )
    no_lots = await created(world.officers[0], base | {"reference": "ASK-SUM-3", "lots": []})
    items = (await world.officers[0].get("/api/v1/tenders")).json()["items"]
    deadline = (await read(world.officers[0], two_lots))["timeline"]["submission_deadline"]
    assert deadline == (await read(world.officers[0], no_lots))["timeline"]["submission_deadline"]
    owner = {"owner_id": world.members[0]["id"], "owner_name": "Askøy kommune", "status": "draft"}
    assert items == [
        {"id": no_lots, "reference": "ASK-SUM-3", "title": spec()["title"], **owner, "language": "nb", "submission_deadline": deadline, "lots": 0},
        {"id": one_lot, "reference": "ASK-SUM-2", "title": "Medicine dispensers", **owner, "language": "sv", "submission_deadline": None, "lots": 1},
        {"id": two_lots, "reference": "ASK-SUM-1", "title": spec()["title"], **owner, "language": "nb", "submission_deadline": deadline, "lots": 2},
    ]


async def test_the_list_filters_by_status_and_pages(world: World) -> None:
    lead = world.officers[0]
    first, second, third = [await created(lead, spec(f"ASK-PAGE-{n}")) for n in (1, 2, 3)]
    await write(lead, second, "POST", "/publish")
    assert await listed(lead, status="published") == ([second], 1)
    assert await listed(lead, status="draft") == ([third, first], 2)
    assert await listed(lead, status="closed") == ([], 0)
    assert await listed(lead, limit=1, offset=1) == ([second], 3)
    assert await listed(lead, limit=2, offset=0) == ([third, second], 3)
    assert await listed(lead, limit=5, offset=3) == ([], 3)


async def test_tenders_created_at_the_same_moment_are_listed_by_id(world: World, database_url: str) -> None:
    ids = [await created(world.officers[0], spec(f"ASK-SAME-{n}")) for n in range(5)]
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            moment = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
            await connection.execute(update(Tender).where(Tender.id.in_([UUID(i) for i in ids])).values(created_at=moment))
    finally:
        await engine.dispose()
    assert await listed(world.officers[0]) == (sorted(ids), 5), "a stable order, so pages neither repeat nor skip a tender"


# --- who creates tenders ------------------------------------------------------------------------


async def test_only_procurement_officers_and_federation_coordinators_create_tenders(world: World, admin: Api) -> None:
    supplier_admin = await admin.create_user(world.supplier.user["organization_id"], "org_admin")
    town_admin = await admin.create_user(world.members[0]["id"], "org_admin")
    for api in (supplier_admin, town_admin, admin):
        assert problem(await api.post("/api/v1/tenders", json=spec("NOT-1")), 403)["detail"] == FORBIDDEN
    assert await listed(admin) == ([], 0)


async def test_a_created_tender_is_a_draft_of_the_creators_organization_and_audited(world: World, admin: Api) -> None:
    tender_id = await created(world.coordinator, spec("VTF-NEW-1"))
    tender = await read(world.coordinator, tender_id)
    assert (tender["owner_id"], tender["owner_name"], tender["owner_kind"]) == (world.federation["id"], world.federation["name"], "federation")
    assert (tender["status"], tender["document_version"], tender["published_at"]) == ("draft", 1, None)
    assert [len(lot["selections"]) for lot in tender["lots"]] == [5, 4]
    assert await audit(admin, tender_id, "tender.create") == [
        {"entity_type": "tender", "actor_user_id": world.coordinator.user["id"], "details": {"reference": "VTF-NEW-1"}}
    ]


async def test_an_invalid_specification_creates_nothing(world: World) -> None:
    body = spec("ASK-BAD-1")
    body["lots"][0]["product_categories"] = ["jetpacks"]
    problem_body = problem(await world.officers[0].post("/api/v1/tenders", json=body), 422)
    assert problem_body["detail"] == "the tender specification has problems"
    assert problem_body["errors"] == [{"field": "lots[0].product_categories[0]", "message": "unknown product category 'jetpacks'", "where": "lot 1"}]
    assert await listed(world.officers[0]) == ([], 0)


async def test_the_lead_buyers_organization_administrator_changes_its_tender_and_no_one_else(world: World, admin: Api) -> None:
    tender_id = await created(world.officers[0], spec("ASK-ADMIN-1"))
    await write(world.officers[0], tender_id, "POST", "/participants", json={"organization_ids": [world.outsider["id"]]})
    await write(world.officers[0], tender_id, "POST", "/open-for-participants")
    town_admin = await admin.create_user(world.members[0]["id"], "org_admin")
    assert (await write(town_admin, tender_id, "PATCH", json={"title": "Renamed by the administrator"}))["title"] == "Renamed by the administrator"
    body = await refused(world.outsider_officer, tender_id, "PATCH", 403, json={"title": "Renamed by a participant"})
    assert body["detail"] == "only the lead buyer's procurement officers or coordinators change this tender"
    assert (await read(world.officers[0], tender_id))["title"] == "Renamed by the administrator"


# --- references are unique per owner ------------------------------------------------------------


def taken(reference: str, existing: str) -> dict[str, Any]:
    return {
        "detail": f"your organization already has a tender with reference {reference}",
        "errors": [{"field": "reference", "message": "already used by another of your tenders"}],
        "existing_id": existing,
    }


def conflict(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body.get(k) for k in ("detail", "errors", "existing_id")}


async def test_a_reference_is_unique_among_its_owners_tenders_only(world: World) -> None:
    lead = world.officers[0]
    first = await created(lead, spec("REF-1"))
    assert conflict(problem(await lead.post("/api/v1/tenders", json=spec("REF-1")), 409)) == taken("REF-1", first)
    elsewhere = await created(world.officers[1], spec("REF-1"))
    assert elsewhere != first, "another municipality may use the same reference"
    assert await listed(lead) == ([first], 1)


async def test_replacing_or_changing_a_reference_to_another_of_ones_own_is_refused(world: World) -> None:
    lead = world.officers[0]
    first = await created(lead, spec("REF-A"))
    second = await created(lead, spec("REF-B"))
    await created(world.officers[1], spec("REF-C"))
    assert conflict(await refused(lead, second, "PUT", 409, json=spec("REF-A"))) == taken("REF-A", first)
    assert conflict(await refused(lead, second, "PATCH", 409, json={"reference": "REF-A"})) == taken("REF-A", first)
    assert (await read(lead, second))["reference"] == "REF-B"
    assert (await write(lead, second, "PUT", json=spec("REF-B") | {"title": "Kept reference"}))["title"] == "Kept reference"
    assert (await write(lead, second, "PATCH", json={"reference": "REF-B", "title": "Kept again"}))["title"] == "Kept again"
    assert (await write(lead, second, "PATCH", json={"reference": "REF-C"}))["reference"] == "REF-C", "another owner's reference is free"


# --- replacing the specification and changing the tender's own fields ---------------------------


async def test_a_replaced_specification_is_read_back_and_audited(world: World, admin: Api) -> None:
    lead = world.officers[0]
    tender_id = await created(lead, spec("ASK-PUT-1"))
    before = await read(lead, tender_id)
    body = spec("ASK-PUT-1") | {"title": "Alarms, second draft"}
    body["lots"][1]["title"] = "GPS alarms with geofencing"
    after = await write(lead, tender_id, "PUT", json=body)
    assert (after["title"], after["lots"][1]["title"], after["revision"]) == (
        "Alarms, second draft",
        "GPS alarms with geofencing",
        before["revision"] + 1,
    )
    assert after["lots"][0] == before["lots"][0], "an unchanged lot keeps its ETag"
    assert after["lots"][1]["etag"] != before["lots"][1]["etag"] and after["lots"][1]["id"] == before["lots"][1]["id"]
    assert await audit(admin, tender_id, "tender.update") == [
        {"entity_type": "tender", "actor_user_id": lead.user["id"], "details": {"revision": after["revision"]}}
    ]

    bad = spec("ASK-PUT-1")
    bad["lots"][0]["price_weight"] = 50
    problem_body = await refused(lead, tender_id, "PUT", 422, json=bad)
    assert problem_body["detail"] == "the tender specification has problems"
    assert problem_body["errors"] == [{"field": "lots[0].price_weight", "message": "price 50 + quality 60 must make 100", "where": "lot 1"}]
    assert await read(lead, tender_id) == after


async def test_changed_fields_are_read_back_and_audited_by_name(world: World, admin: Api) -> None:
    lead = world.officers[0]
    tender_id = await created(lead, spec("ASK-PATCH-1"))
    before = await read(lead, tender_id)
    after = await write(lead, tender_id, "PATCH", json={"title": "Alarms, renamed", "description": "New scope.", "contact_point": None})
    assert (after["title"], after["description"], after["contact_point"]) == ("Alarms, renamed", "New scope.", None)
    assert after["lots"] == before["lots"] and after["reference"] == before["reference"] and after["timeline"] == before["timeline"]
    assert after["revision"] == before["revision"] + 1
    assert await audit(admin, tender_id, "tender.update") == [
        {
            "entity_type": "tender",
            "actor_user_id": lead.user["id"],
            "details": {"revision": after["revision"], "fields": ["contact_point", "description", "title"]},
        }
    ]

    problem_body = await refused(lead, tender_id, "PATCH", 422, json={"cpv_codes": ["33196200-3"], "title": "Not this"})
    assert problem_body["detail"] == "the tender's fields have problems"
    assert problem_body["errors"] == [{"field": "cpv_codes[0]", "message": "check digit should be 2"}]
    assert await read(lead, tender_id) == after


@pytest.mark.parametrize(("method", "body"), [("PUT", spec("ASK-LOCKED")), ("PATCH", {"title": "Too late"})])
async def test_a_published_tender_is_neither_replaced_nor_changed(world: World, method: str, body: dict[str, Any]) -> None:
    lead = world.officers[0]
    tender_id = await created(lead, spec("ASK-LOCKED"))
    published = await write(lead, tender_id, "POST", "/publish")
    problem_body = await refused(lead, tender_id, method, 409, json=body)
    assert problem_body["detail"] == "a published tender is immutable; publish corrections as amendments"
    assert await read(lead, tender_id) == published



async def _made_against_their_ids(officer: Api) -> tuple[str, str, str]:
    """Three draft tenders: ``earlier`` made before ``then`` yet with the greater id, and ``other`` with an id below
    ``earlier``'s, so that an order that only looks like the one asked for (of making, of ids) cannot pass for it."""
    made: list[str] = []
    timeline = spec()["timeline"]  # to the second, whenever each is made
    while True:
        made.append(await created(officer, spec(f"OWN-{len(made) + 1}") | {"timeline": timeline}))
        for i, j, k in permutations(range(len(made)), 3):
            if i < j and UUID(made[i]) > UUID(made[j]) and UUID(made[k]) < UUID(made[i]):
                return made[i], made[j], made[k]


async def test_published_lots_come_those_buying_the_products_categories_first_then_by_nearest_deadline(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lots a supplier judges a product against: of published tenders only, matching ones first,
    then by submission deadline, tender and lot number; at most ``MAX_PUBLISHED_LOTS`` looked at."""
    askoy = world.officers[0]
    earlier, then, later = await _made_against_their_ids(askoy)
    first, second = sorted((earlier, then), key=UUID)  # one deadline: by tender
    await write(askoy, later, "PATCH", json={"timeline": spec(days=60)["timeline"]})
    lot_2 = (await askoy.get(f"/api/v1/tenders/{second}/lots/2")).json()
    moved = await askoy.patch(f"/api/v1/tenders/{second}/lots/2", json={"position": 1}, headers={"If-Match": lot_2["etag"]})
    assert moved.status_code == 200, "the second tender's GPS lot is its lot 1 now, its lots no longer in the order they were made"
    for tender_id in (earlier, then, later):
        await write(askoy, tender_id, "POST", "/publish")
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with async_sessionmaker(engine)() as session:
            lots = await service.published_lots(session, ["gps_alarm"])
            monkeypatch.setattr(service, "MAX_PUBLISHED_LOTS", 3)
            cut = await service.published_lots(session, ["gps_alarm"])
    finally:
        await engine.dispose()
    assert [(str(lot.tender_id), lot.lot) for lot in lots] == [(first, 2), (second, 1), (later, 2), (first, 1), (second, 2), (later, 1)]
    assert [(str(lot.tender_id), lot.lot) for lot in cut] == [(first, 2), (second, 1), (first, 1)], "the three nearest, matching first"
    assert [lot.matches for lot in lots] == [True, True, True, False, False, False]
    shown = await read(askoy, later)
    assert lots[2] == service.PublishedLot(
        tender_id=UUID(later), reference=shown["reference"], title=shown["title"], owner_name="Askøy kommune",
        submission_deadline=datetime.fromisoformat(shown["timeline"]["submission_deadline"]), lot=2, lot_title="GPS alarms",
        product_categories=["gps_alarm"], matches=True,
    )  # fmt: skip
