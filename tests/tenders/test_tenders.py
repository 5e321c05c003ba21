"""Tenders and joint procurement through the API."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from tests.evidence_world import CERTIFICATE, PDF, PRODUCT, STUDY, add_evidence
from tests.support import Api, days_from_today, not_found, problem
from tests.tender_world import World, act, confirmation, create, joint_tender_ready_to_publish, participants, spec

pytestmark = pytest.mark.starter_library
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


async def test_federation_runs_a_joint_tender_end_to_end(world: World) -> None:
    tender = await joint_tender_ready_to_publish(world)
    assert tender["joint"] and [p["status"] for p in await participants(world.coordinator, tender)] == ["confirmed"] * 3
    assert tender["participation"] == {"invited": 0, "confirmed": 3, "declined": 0, "own": None}, "counts, not the list"
    assert {(v["lot"], v["quantity"], v["participants"]) for v in tender["volumes"]} == {(1, 245, 3), (2, 55, 2)}
    assert tender["lots"][0]["selections"][2]["kind"] is None and tender["lots"][0]["selections"][2]["module_kind"] == "award"

    published = await act(world.coordinator, tender, "POST", "/publish")
    assert published["status"] == "published" and published["published_at"]
    problem(await world.coordinator.put(f"/api/v1/tenders/{tender['id']}", json=spec(), headers={"If-Match": published["etag"]}), 409)

    later = (datetime.now(UTC) + timedelta(days=60)).replace(microsecond=0).isoformat()
    timeline = published["timeline"] | {"submission_deadline": later, "planned_award": (datetime.now(UTC) + timedelta(days=80)).isoformat()}
    amended = await act(
        world.coordinator, published, "POST", "/amendments",
        json={"summary": "Submission deadline moved by two weeks", "reason": "Questions from suppliers", "timeline": timeline},
    )  # fmt: skip
    assert amended["document_version"] == 2
    assert amended["amendments"][0] | {"created_at": None} == {
        "number": 1, "document_version": 2, "summary": "Submission deadline moved by two weeks",
        "reason": "Questions from suppliers", "changed": ["timeline"], "created_at": None,
    }  # fmt: skip
    closed = await act(world.coordinator, amended, "POST", "/close")
    assert [h["to_status"] for h in closed["history"]] == ["draft", "open_for_participants", "published", "closed"]
    assert all(h["actor_user_id"] == world.coordinator.user["id"] for h in closed["history"])
    awarded = await act(world.coordinator, closed, "POST", "/award")
    assert awarded["status"] == "awarded"
    problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/cancel", headers={"If-Match": awarded["etag"]}), 409)


async def test_publication_lists_every_problem_at_once(world: World, admin: Api) -> None:
    body = spec(days=5)
    body["timeline"]["questions_deadline"] = body["timeline"]["planned_award"]
    body["lots"][0]["selections"] = [s for s in body["lots"][0]["selections"] if s.get("weight")]
    body["lots"][1]["selections"][1]["weight"] = 10
    tender = await create(world.coordinator, body)
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    response = await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]})
    errors = {(e["field"], e["message"].split(" ")[0]) for e in problem(response, 422)["errors"]}
    fields = {f for f, _ in errors}
    assert {
        "lots[0].selections", "lots[1].quality_weight", "timeline.submission_deadline",
        "timeline.questions_deadline", "participants",
    } <= fields  # fmt: skip
    empty = await create(world.coordinator, spec("EMPTY-1") | {"lots": []})
    body = problem(await world.coordinator.post(f"/api/v1/tenders/{empty['id']}/publish", headers={"If-Match": empty["etag"]}), 422)
    assert {"lots", "participants"} <= {e["field"] for e in body["errors"]}
    current = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")).json()
    assert current["status"] == "draft"


async def test_selection_errors_name_lot_and_selection(world: World) -> None:
    body = spec()
    body["lots"][0]["selections"][0]["parameters"] = {"delivery_seconds": 999, "colour": "red"}
    body["lots"][1]["selections"][0]["kind"] = "award"
    body["lots"][1]["selections"][2]["module_version"] = 9
    body["lots"][0]["selections"][1]["weight"] = 5
    body["lots"][1]["product_categories"] = ["jetpacks"]
    body["cpv_codes"] = ["33196200-3", "nonsense"]
    errors = {e["field"]: e["message"] for e in problem(await world.coordinator.post("/api/v1/tenders", json=body), 422)["errors"]}
    assert errors == {
        "cpv_codes[0]": "check digit should be 2",
        "cpv_codes[1]": "must look like 33196200-2 (eight digits, a hyphen, a check digit)",
        "lots[0].selections[0].parameters.colour": "is not a parameter of this version",
        "lots[0].selections[0].parameters.delivery_seconds": "must be at most 120",
        "lots[0].selections[1].weight": "only award criteria carry a weight, this is qualification",
        "lots[1].product_categories[0]": "unknown product category 'jetpacks'",
        "lots[1].selections[0].weight": "an award criterion needs a weight above 0, or an added value per point",
        "lots[1].selections[2].module_version": "EVID-FALLS-REDUCTION has no published version 9",
    }
    located = {e["field"]: e.get("where") for e in problem(await world.coordinator.post("/api/v1/tenders", json=body), 422)["errors"]}
    assert located["lots[1].selections[2].module_version"] == "lot 2, selection 3", "errors carry the numbers the API uses"
    assert located["lots[1].product_categories[0]"] == "lot 2" and located["cpv_codes[0]"] is None
    bad_kind = spec()
    bad_kind["lots"][0]["selections"][1]["kind"] = "award"
    errors = problem(await world.coordinator.post("/api/v1/tenders", json=bad_kind), 422)["errors"]
    assert errors[0]["field"] == "lots[0].selections[1].kind"
    naive = spec()
    naive["timeline"]["submission_deadline"] = "2027-03-01T12:00:00"
    problem(await world.coordinator.post("/api/v1/tenders", json=naive), 400)
    huge = spec()
    huge["lots"][0]["selections"][0]["module_version"] = 10**24
    assert problem(await world.coordinator.post("/api/v1/tenders", json=huge), 400)["errors"][0]["field"] == "lots[0].selections[0].module_version"
    assert (await world.coordinator.get("/api/v1/tenders")).json()["total"] == 0


async def test_concurrency_and_preconditions(world: World) -> None:
    tender = await create(world.coordinator)
    path = f"/api/v1/tenders/{tender['id']}"
    problem(await world.coordinator.put(path, json=spec()), 428)
    updated = await act(world.coordinator, tender, "PUT", json=spec() | {"title": "Alarms, second draft"})
    body = problem(await world.coordinator.put(path, json=spec() | {"title": "Lost update"}, headers={"If-Match": tender["etag"]}), 412)
    assert body["current_etag"] == updated["etag"]
    assert (await world.coordinator.get(path)).json()["title"] == "Alarms, second draft"
    again = await world.coordinator.get(path, headers={"If-None-Match": updated["etag"]})
    assert again.status_code == 304
    problem(await world.coordinator.post("/api/v1/tenders", json=spec()), 409)


async def test_invitations_only_for_members(world: World, admin: Api) -> None:
    tender = await create(world.coordinator)
    supplier_org = world.supplier.user["organization_id"]
    response = await world.coordinator.post(
        f"/api/v1/tenders/{tender['id']}/participants",
        json={"organization_ids": [world.outsider["id"], supplier_org]},
        headers={"If-Match": tender["etag"]},
    )
    errors = problem(response, 422)["errors"]
    assert [e["field"] for e in errors] == ["organization_ids[0]", "organization_ids[1]"]
    assert "not a member of Vestlandet velferdsteknologi" in errors[0]["message"]
    assert errors[1]["message"] == f"{supplier_org} is not a municipality"


async def test_a_municipality_leading_its_own_tender_invites_others_but_not_itself(world: World) -> None:
    lead, askoy = world.officers[0], world.members[0]
    tender = await create(lead)
    response = await lead.post(
        f"/api/v1/tenders/{tender['id']}/participants", json={"organization_ids": [askoy["id"]]}, headers={"If-Match": tender["etag"]}
    )
    assert problem(response, 422)["errors"] == [
        {"field": "organization_ids[0]", "message": "Askøy kommune leads this tender; the lead buyer is not invited to its own tender"}
    ]
    assert await participants(lead, tender) == [], "nothing is stored"
    invited = await act(lead, tender, "POST", "/participants", json={"organization_ids": [world.outsider["id"]]})
    assert [p["name"] for p in await participants(lead, invited)] == ["Tromsø kommune"]


async def test_participants_answer_only_for_themselves(world: World) -> None:
    tender = await create(world.coordinator)
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [m["id"] for m in world.members[:2]]})
    first, second = world.members[:2]
    not_found(await world.officers[0].get(f"/api/v1/tenders/{tender['id']}"), f"no tender {tender['id']}")  # not opened yet
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    seen = await world.officers[0].get(f"/api/v1/tenders/{tender['id']}")
    assert seen.status_code == 200 and seen.json()["participation"]["own"]["status"] == "invited"
    assert all(p["contact_email"] is None for p in await participants(world.officers[0], tender))
    assert [t["id"] for t in (await world.officers[0].get("/api/v1/tenders")).json()["items"]] == [tender["id"]]
    answer_for_another = await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{second['id']}", json=confirmation([(1, 1)]))
    not_found(answer_for_another, f"no invitation for organization {second['id']} that you can answer")
    problem(await world.officers[0].put(f"/api/v1/tenders/{tender['id']}", json=spec(), headers={"If-Match": tender["etag"]}), 403)
    incomplete = confirmation([(3, 5)]) | {"mandate": False}
    errors = problem(await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{first['id']}", json=incomplete), 422)["errors"]
    assert {e["field"] for e in errors} == {"mandate", "volumes[0].lot"}
    negative = confirmation([(1, -5)])
    problem(await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{first['id']}", json=negative), 400)
    declined = await world.officers[1].put(f"/api/v1/tenders/{tender['id']}/participants/{second['id']}", json={"decision": "declined"})
    assert declined.status_code == 200, "the answer answers the participation, not the tender"
    assert (declined.json()["organization_id"], declined.json()["status"]) == (second["id"], "declined")
    assert [p["organization_id"] for p in await participants(world.coordinator, tender, status="declined")] == [second["id"]]
    assert [p["organization_id"] for p in await participants(world.coordinator, tender, status="invited")] == [first["id"]], "who has not answered"


async def test_outsiders_see_nothing_until_published(world: World) -> None:
    tender = await joint_tender_ready_to_publish(world)
    path = f"/api/v1/tenders/{tender['id']}"
    for stranger in (world.outsider_officer, world.supplier, world.other_coordinator):
        not_found(await stranger.get(path), f"no tender {tender['id']}")
        assert (await stranger.get("/api/v1/tenders")).json()["total"] == 0
    not_found(await world.other_coordinator.post(f"{path}/publish", headers={"If-Match": tender["etag"]}), f"no tender {tender['id']}")
    published = await act(world.coordinator, tender, "POST", "/publish")
    seen = (await world.supplier.get(path)).json()
    assert seen["status"] == "published" and all(p["contact_name"] is None for p in await participants(world.supplier, tender))
    assert [t["id"] for t in (await world.supplier.get("/api/v1/tenders", params={"status": "published"})).json()["items"]] == [tender["id"]]
    problem(await world.other_coordinator.post(f"{path}/close", headers={"If-Match": published["etag"]}), 403)
    problem(await world.supplier.post(f"{path}/close", headers={"If-Match": published["etag"]}), 403)


async def test_municipality_leads_a_joint_tender_outside_a_federation(world: World) -> None:
    lead = world.officers[0]
    tender = await create(lead, spec("ASK-2027-7"))
    invited = [world.outsider["id"], world.members[1]["id"]]
    tender = await act(lead, tender, "POST", "/participants", json={"organization_ids": invited})
    tender = await act(lead, tender, "POST", "/open-for-participants")
    answer = await world.outsider_officer.put(f"/api/v1/tenders/{tender['id']}/participants/{world.outsider['id']}", json=confirmation([(1, 10)]))
    assert answer.status_code == 200
    tender = (await lead.get(f"/api/v1/tenders/{tender['id']}")).json() | {"etag": answer.headers["etag"]}
    body = problem(await lead.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]}), 422)
    assert any("Bjørnafjorden" in e["message"] for e in body["errors"])
    tender = await act(lead, tender, "DELETE", f"/participants/{world.members[1]['id']}")
    assert (await act(lead, tender, "POST", "/publish"))["status"] == "published"


async def test_newer_module_versions_are_flagged_and_upgraded(world: World, admin: Api) -> None:
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    tender = await create(world.coordinator)
    base = "/api/v1/modules/INTEROP-ALARM-PROTOCOL/versions"
    content = (await editor.get(f"{base}/1")).json()["content"]  # the tender pins version 1 and sets its delivery_seconds
    draft = await editor.post(base)
    newest = draft.json()["version"]
    content["parameters"][0]["max"] = 60
    edited = await editor.put(f"{base}/{newest}", json=content, headers={"If-Match": draft.headers["etag"]})
    published = await editor.post(f"{base}/{newest}/publish", headers={"If-Match": edited.headers["etag"]})
    assert published.status_code == 200

    current = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")
    selection = current.json()["lots"][0]["selections"][0]
    assert (selection["module_version"], selection["newer_version"]) == (1, newest)
    tender = current.json() | {"etag": current.headers["etag"]}
    upgrades = f"/api/v1/tenders/{tender['id']}/upgrades"
    upgraded = await act(world.coordinator, tender, "POST", "/upgrades", json={"selections": ["1.1"]})
    problem(await world.coordinator.post(upgrades, json={"selections": ["1.1"]}, headers={"If-Match": upgraded["etag"]}), 422)
    selection = upgraded["lots"][0]["selections"][0]
    assert (selection["module_version"], selection["newer_version"], selection["parameters"]) == (newest, None, {"delivery_seconds": 20})

    too_slow = copy.deepcopy(spec("VTF-2027-02"))
    too_slow["lots"][0]["selections"][0]["parameters"] = {"delivery_seconds": 90}
    second = await create(world.coordinator, too_slow)
    body = problem(await world.coordinator.post(f"/api/v1/tenders/{second['id']}/upgrades", json={}, headers={"If-Match": second["etag"]}), 422)
    field = "lots[0].selections[0].parameters.delivery_seconds"
    assert body["errors"] == [{"field": field, "message": "must be at most 60", "where": "lot 1, selection 1"}]


async def test_lead_buyer_sees_how_the_market_fits_a_lots_evidence_rules(world: World) -> None:
    tender, elsewhere = await create(world.coordinator), await create(world.other_coordinator)
    products = {}
    for name, categories in (("Alfa", ["digital_social_alarm"]), ("Beta", ["digital_social_alarm"]), ("Gamma", ["gps_alarm"])):
        response = await world.supplier.post("/api/v1/products", json=PRODUCT | {"name": name, "categories": categories})
        products[name] = response.json()["id"]
    shared_study = await add_evidence(world.supplier, products["Alfa"], STUDY | {"visibility": "confidential", "tender_ids": [tender["id"]]})
    await add_evidence(world.supplier, products["Alfa"], CERTIFICATE | {"valid_until": days_from_today(1200)})
    await add_evidence(world.supplier, products["Beta"], STUDY | {"visibility": "confidential", "tender_ids": [elsewhere["id"]]})
    path = f"/api/v1/tenders/{tender['id']}/lots/1/evidence-fit"

    overview = (await world.coordinator.get(path)).json()
    assert [m["key"] for m in overview["modules"]] == [
        "EVID-STUDY-STRENGTH-AWARD", "INTEROP-ALARM-PROTOCOL", "INTEROP-IHE-ACM-FORWARDING", "SEC-ISO27001-CERTIFICATE",
    ], "every selection of lot 1 except the data-processing agreement carries an evidence rule"  # fmt: skip
    assert [p["name"] for p in overview["products"]] == ["Alfa", "Beta"], "ranked by rules met; Gamma is not in the lot's categories"
    alfa, beta = overview["products"]
    met = {m["key"]: m["met"] for m in alfa["report"]["modules"]}
    assert met == {
        "EVID-STUDY-STRENGTH-AWARD": True,
        "INTEROP-ALARM-PROTOCOL": False,
        "INTEROP-IHE-ACM-FORWARDING": False,
        "SEC-ISO27001-CERTIFICATE": True,
    }
    assert alfa["report"]["reference_date"] == tender["timeline"]["submission_deadline"][:10]
    assert not any(m["met"] for m in beta["report"]["modules"]), "evidence confidential to another tender does not count"

    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    await act(world.coordinator, tender, "POST", "/open-for-participants")
    assert "lead buyer" in problem(await world.officers[0].get(path), 403)["detail"], "an invited municipality is not the lead"
    shared = f"/api/v1/tenders/{tender['id']}/evidence"
    listed = (await world.coordinator.get(shared)).json()
    assert [i["title"] for i in listed["items"]] == [STUDY["title"]] and listed["total"] == 1, "a page like every list"
    assert "confirmed participants" in problem(await world.officers[0].get(shared), 403)["detail"]
    await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{world.members[0]['id']}", json=confirmation([(1, 10)]))
    seen = (await world.officers[0].get(shared)).json()["items"]
    assert [(i["product_id"], i["visibility"]) for i in seen] == [(products["Alfa"], "confidential")], "not Beta's, shared with another tender"
    not_found(await world.outsider_officer.get(shared), f"no tender {tender['id']}")
    problem(await world.supplier.get(shared), 403)

    upload = await world.supplier.post(f"/api/v1/evidence/{shared_study['id']}/attachments", files={"file": ("study.pdf", PDF, "application/pdf")})
    file_path = f"{shared}/{shared_study['id']}/attachments/{upload.json()['id']}"
    downloaded = await world.officers[0].get(file_path)
    assert (downloaded.status_code, downloaded.content) == (200, PDF)
    assert downloaded.headers["content-disposition"].startswith('attachment; filename="study.pdf"')
    directly = f"/api/v1/evidence/{shared_study['id']}/attachments/{upload.json()['id']}"
    not_found(await world.officers[0].get(directly), f"no evidence item {shared_study['id']}")
    not_found(await world.officers[0].get(file_path.replace(shared_study["id"], UNKNOWN_ID)), f"no evidence item {UNKNOWN_ID}")
    not_found(await world.outsider_officer.get(file_path), f"no tender {tender['id']}")
    not_found(await world.officers[1].get(file_path), f"no tender {tender['id']}")
    not_found(await world.outsider_officer.get(path), f"no tender {tender['id']}")
    not_found(await world.other_coordinator.get(path), f"no tender {tender['id']}")
    problem(await world.supplier.get(path), 403)
    assert "no lot 3" in problem(await world.coordinator.get(path.replace("/lots/1/", "/lots/3/")), 404)["detail"]
