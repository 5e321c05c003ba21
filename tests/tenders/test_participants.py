"""The participants of a joint tender are a list of their own: paged, filtered by answer, and the
answers, invitations and lifecycle steps answer what they changed, not the whole tender."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Api, not_found, problem
from tests.tender_world import World, act, confirmation, create, participants

pytestmark = pytest.mark.starter_library


async def _open(world: World, *towns: dict) -> dict:
    tender = await create(world.coordinator)
    invited = [t["id"] for t in (*world.members, *towns)]
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": invited})
    return await act(world.coordinator, tender, "POST", "/open-for-participants")


async def _member_without_users(world: World, name: str) -> dict:
    town = await world.admin.create_org("municipality", name=name)
    joined = await world.coordinator.post(f"/api/v1/organizations/{world.federation['id']}/members", json={"municipality_id": town["id"]})
    assert joined.status_code == 201, joined.text
    return town


async def test_an_invitation_answers_the_new_participations_by_name_and_the_new_etag(world: World) -> None:
    tender = await create(world.coordinator)
    ids = [m["id"] for m in reversed(world.members)]
    invited = await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/participants", json={"organization_ids": ids},
                                           headers={"If-Match": tender["etag"]})  # fmt: skip
    assert invited.status_code == 200, invited.text
    assert [(p["name"], p["status"]) for p in invited.json()] == [
        ("Askøy kommune", "invited"), ("Bjørnafjorden kommune", "invited"), ("Voss herad", "invited")
    ]  # fmt: skip
    after = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")
    assert invited.headers["etag"] == after.headers["etag"] != tender["etag"]
    assert after.json()["participation"] == {"invited": 3, "confirmed": 0, "declined": 0, "own": None}


async def test_participants_are_paged_by_name_and_filtered_by_answer(world: World) -> None:
    tender = await _open(world)
    askoy, bjornafjorden, voss = world.members
    assert (
        await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{askoy['id']}", json=confirmation([(1, 12)]))
    ).status_code == 200
    declined = {"decision": "declined"}
    assert (await world.officers[1].put(f"/api/v1/tenders/{tender['id']}/participants/{bjornafjorden['id']}", json=declined)).status_code == 200

    path = f"/api/v1/tenders/{tender['id']}/participants"
    first = (await world.coordinator.get(path, params={"limit": 2})).json()
    assert ([p["name"] for p in first["items"]], first["total"]) == (["Askøy kommune", "Bjørnafjorden kommune"], 3)
    rest = (await world.coordinator.get(path, params={"limit": 2, "offset": 2})).json()
    assert [p["name"] for p in rest["items"]] == ["Voss herad"]
    assert [p["name"] for p in await participants(world.coordinator, tender, status="invited")] == ["Voss herad"], "who has not answered"
    assert [p["name"] for p in await participants(world.coordinator, tender, status="declined")] == ["Bjørnafjorden kommune"]
    confirmed = await participants(world.coordinator, tender, status="confirmed")
    assert [(p["name"], p["contact_email"], p["volumes"]) for p in confirmed] == [
        ("Askøy kommune", "kari@kommune.example", [{"lot": 1, "quantity": 12, "unit": "units"}])
    ]
    body = problem(await world.coordinator.get(path, params={"status": "maybe"}), 400)
    assert body["errors"][0]["field"] == "query.status"


async def test_each_municipality_sees_only_its_own_contact(world: World) -> None:
    tender = await _open(world)
    for officer, member in zip(world.officers[:2], world.members[:2], strict=True):
        answered = await officer.put(f"/api/v1/tenders/{tender['id']}/participants/{member['id']}", json=confirmation([(1, 5)]))
        assert answered.status_code == 200, answered.text
    seen = {p["name"]: p["contact_email"] for p in await participants(world.officers[0], tender)}
    assert seen == {"Askøy kommune": "kari@kommune.example", "Bjørnafjorden kommune": None, "Voss herad": None}
    own = (await world.officers[0].get(f"/api/v1/tenders/{tender['id']}")).json()["participation"]["own"]
    assert (own["name"], own["status"], own["contact_email"]) == ("Askøy kommune", "confirmed", "kari@kommune.example")
    not_found(await world.outsider_officer.get(f"/api/v1/tenders/{tender['id']}/participants"), f"no tender {tender['id']}")


async def test_an_answer_answers_the_participation_and_leaves_the_specifications_etag(world: World) -> None:
    tender = await _open(world)
    answer = await world.officers[2].put(f"/api/v1/tenders/{tender['id']}/participants/{world.members[2]['id']}", json=confirmation([(2, 7)]))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["organization_id"], body["name"], body["status"], body["mandate"]) == (world.members[2]["id"], "Voss herad", "confirmed", True)
    assert body["volumes"] == [{"lot": 2, "quantity": 7, "unit": "units"}] and body["responded_at"]
    after = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")
    assert answer.headers["etag"] == after.headers["etag"]
    assert after.json()["revision"] == tender["revision"], "an answer is not an edit of the specification"


async def test_the_lead_buyer_records_the_answer_of_a_municipality_without_users(world: World, admin: Api) -> None:
    paper = await _member_without_users(world, "Modalen kommune")
    tender = await _open(world, paper)
    recorded = await world.coordinator.put(f"/api/v1/tenders/{tender['id']}/participants/{paper['id']}", json=confirmation([(1, 3)]))
    assert recorded.status_code == 200, recorded.text
    assert (recorded.json()["name"], recorded.json()["status"]) == ("Modalen kommune", "confirmed")
    audit = (await admin.get("/api/v1/audit", params={"action": "tender.participant.confirmed", "entity_id": tender["id"]})).json()["items"]
    assert [(e["details"]["municipality_id"], e["details"]["on_behalf"]) for e in audit] == [(paper["id"], True)], "who recorded it stays known"

    not_found(
        await world.coordinator.put(f"/api/v1/tenders/{tender['id']}/participants/{world.members[0]['id']}", json=confirmation([(1, 3)])),
        f"no invitation for organization {world.members[0]['id']} that you can answer",
    )  # a municipality with its own users answers for itself
    not_found(
        await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{paper['id']}", json=confirmation([(1, 3)])),
        f"no invitation for organization {paper['id']} that you can answer",
    )  # another participant never answers for it


async def test_withdrawing_an_invitation_answers_no_content_and_the_new_etag(world: World) -> None:
    tender = await _open(world)
    withdrawn = await world.coordinator.delete(f"/api/v1/tenders/{tender['id']}/participants/{world.members[2]['id']}",
                                               headers={"If-Match": tender["etag"]})  # fmt: skip
    assert (withdrawn.status_code, withdrawn.content) == (204, b"")
    after = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")
    assert withdrawn.headers["etag"] == after.headers["etag"]
    assert [p["name"] for p in await participants(world.coordinator, tender)] == ["Askøy kommune", "Bjørnafjorden kommune"]


async def test_an_invitation_checks_the_participants_part_of_the_etag_and_not_the_specifications(world: World) -> None:
    """Editing the specification does not stop an invitation made from an older read, but another invitation does."""
    tender = await create(world.coordinator)
    path = f"/api/v1/tenders/{tender['id']}"
    read_before = tender["etag"]
    edited = await world.coordinator.patch(path, json={"title": "Alarms, second draft"}, headers={"If-Match": read_before})
    assert edited.status_code == 200, edited.text
    def invite(member: dict) -> Any:
        return world.coordinator.post(f"{path}/participants", json={"organization_ids": [member["id"]]}, headers={"If-Match": read_before})

    first = await invite(world.members[0])
    assert first.status_code == 200, "the specification moved on, its participants did not"
    second = await invite(world.members[1])
    assert problem(second, 412)["detail"].startswith("its participants changed since you read it; current ETag is ")
    assert [p["name"] for p in await participants(world.coordinator, tender)] == ["Askøy kommune"], "nothing more is stored"
