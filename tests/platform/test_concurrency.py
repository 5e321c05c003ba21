"""Concurrent writers against a served registry: exactly one of N writers holding one ETag wins,
lifecycle races never leave an impossible history, no increment is lost, and unique races are 409.

A real server process is used because the in-process test client runs one request at a time. On
PostgreSQL (CI) requests really run in parallel; on SQLite they interleave at every await.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.served import served_registry
from tests.support import ADMIN_TOKEN, Api, problem, valid_org_number
from tests.tender_world import World, act, confirmation, participants, spec

ROUNDS = 20


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, templates: tuple[str, str]) -> Iterator[str]:
    with served_registry(tmp_path_factory.mktemp("concurrent"), bootstrap_admin_token=ADMIN_TOKEN) as served:
        yield served.base_url


@pytest.fixture
async def admin(base_url: str) -> AsyncIterator[Api]:
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        yield Api(client, ADMIN_TOKEN)  # type: ignore[arg-type]


def with_etag(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json() | {"etag": response.headers["etag"]}


async def fresh(api: Api, tender: dict) -> dict:
    return with_etag(await api.get(f"/api/v1/tenders/{tender['id']}"))


async def create_tender(api: Api, reference: str) -> dict:
    return with_etag(await api.post("/api/v1/tenders", json=spec(reference)))


def one_winner(responses: list[httpx.Response], current_etag: str) -> httpx.Response:
    """Exactly one 2xx; every loser is a 412 naming the winner's ETag."""
    winners = [r for r in responses if r.status_code in (200, 201)]
    assert len(winners) == 1, [(r.status_code, r.text[:200]) for r in responses]
    for loser in responses:
        if loser is not winners[0]:
            body = problem(loser, 412)
            assert body["current_etag"] == loser.headers["etag"] == current_etag
    return winners[0]


@pytest.mark.parametrize("writers", [2, 4])
async def test_one_of_concurrent_tender_updates_wins(world: World, writers: int) -> None:
    tender = await create_tender(world.coordinator, f"PUT-{writers}")
    for round_ in range(ROUNDS):
        bodies = [spec(f"PUT-{writers}") | {"description": f"round {round_} writer {w}"} for w in range(writers)]
        responses = await asyncio.gather(
            *(world.coordinator.put(f"/api/v1/tenders/{tender['id']}", json=b, headers={"If-Match": tender["etag"]}) for b in bodies)
        )
        stored = await fresh(world.coordinator, tender)
        winner = one_winner(responses, stored["etag"])
        assert stored["description"] == winner.json()["description"], "the stored body is the winner's"
        assert stored["revision"] == tender["revision"] + 1
        tender = stored


@pytest.mark.parametrize("writers", [2, 4])
async def test_one_of_concurrent_module_draft_edits_wins(admin: Api, writers: int) -> None:
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    key = "SEC-ISO27001-CERTIFICATE"
    drafts = await editor.get(f"/api/v1/modules/{key}")
    number = drafts.json()["draft_version"] or (await editor.post(f"/api/v1/modules/{key}/versions")).json()["version"]
    path = f"/api/v1/modules/{key}/versions/{number}"
    current = await editor.get(path)
    for round_ in range(ROUNDS):
        contents = []
        for w in range(writers):
            content = current.json()["content"]
            content["buyer_guidance"] = content["buyer_guidance"] | {"en": f"Round {round_}, editor {w}."}
            contents.append(content)
        etag = current.headers["etag"]
        responses = await asyncio.gather(*(editor.put(path, json=c, headers={"If-Match": etag}) for c in contents))
        latest = await editor.get(path)
        winner = one_winner(responses, latest.headers["etag"])
        assert latest.json()["content"]["buyer_guidance"] == winner.json()["content"]["buyer_guidance"]
        assert latest.json()["revision"] == current.json()["revision"] + 1
        current = latest


async def test_publish_and_cancel_with_one_etag(admin: Api) -> None:
    """Never `create → cancel → publish`: one of the two wins, the other sees a stale ETag."""
    town = await admin.create_org("municipality")
    officer = await admin.create_user(town["id"], "procurement_officer")
    outcomes = Counter()
    for round_ in range(ROUNDS):
        tender = await create_tender(officer, f"RACE-{round_}")
        actions = ["publish", "cancel"] if round_ % 2 else ["cancel", "publish"]
        responses = await asyncio.gather(
            *(officer.post(f"/api/v1/tenders/{tender['id']}/{a}", headers={"If-Match": tender["etag"]}) for a in actions)
        )
        stored = await fresh(officer, tender)
        winner = one_winner(responses, stored["etag"])
        history = [(h["action"], h["to_status"]) for h in stored["history"]]
        step = winner.json()
        assert (step["action"], step["from_status"], step["to_status"]) in (("publish", "draft", "published"), ("cancel", "draft", "cancelled"))
        assert history == [("create", "draft"), (step["action"], step["to_status"])], "the step answered is the one recorded"
        outcomes[stored["status"]] += 1
    assert sum(outcomes.values()) == ROUNDS


async def _open_with_answers(world: World, reference: str, answering: int) -> dict:
    """A federation tender open for participants: all members invited, the first ``answering`` confirmed."""
    tender = await create_tender(world.coordinator, reference)
    ids = [m["id"] for m in world.members]
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": ids})
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    for officer, member in list(zip(world.officers, world.members, strict=True))[:answering]:
        response = await officer.put(f"/api/v1/tenders/{tender['id']}/participants/{member['id']}", json=confirmation([(1, 10)]))
        assert response.status_code == 200, response.text
    return await fresh(world.coordinator, tender)


async def test_publish_racing_an_invitation_never_publishes_with_an_unanswered_invitee(world: World) -> None:
    """An invitation moves the participation revision, publication the specification's: both take
    the tender's lock, so either the invitation comes first and publication is refused for the
    unanswered invitee, or publication comes first and the invitation is refused."""
    for round_ in range(ROUNDS // 2):
        tender = await _open_with_answers(world, f"INV-{round_}", answering=2)
        withdraw = f"/api/v1/tenders/{tender['id']}/participants/{world.members[2]['id']}"
        assert (await world.coordinator.delete(withdraw, headers={"If-Match": tender["etag"]})).status_code == 204
        tender = await fresh(world.coordinator, tender)
        headers = {"If-Match": tender["etag"]}
        invite, publish = await asyncio.gather(
            world.coordinator.post(
                f"/api/v1/tenders/{tender['id']}/participants", json={"organization_ids": [world.members[2]["id"]]}, headers=headers
            ),
            world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers=headers),
        )
        stored = await fresh(world.coordinator, tender)
        assert [invite.status_code, publish.status_code] in ([200, 422], [409, 200]), (invite.text, publish.text)
        if stored["status"] == "published":
            assert all(p["status"] == "confirmed" for p in await participants(world.coordinator, stored))


async def test_an_answer_racing_publication_never_changes_a_published_tender(world: World) -> None:
    """An answer does not make the publisher's ETag stale; it lands before publication or is refused after it."""
    outcomes = Counter()
    for round_ in range(ROUNDS // 2):
        tender = await _open_with_answers(world, f"ANS-{round_}", answering=3)
        answer = f"/api/v1/tenders/{tender['id']}/participants/{world.members[0]['id']}"
        reanswer, publish = await asyncio.gather(
            world.officers[0].put(answer, json=confirmation([(1, 999)])),
            world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]}),
        )
        stored = await fresh(world.coordinator, tender)
        assert publish.status_code == 200 and reanswer.status_code in (200, 409), (reanswer.text, publish.text)
        answered = next(p for p in await participants(world.coordinator, stored) if p["organization_id"] == world.members[0]["id"])
        assert answered["responded_at"] <= stored["published_at"]
        assert stored["volumes"][0]["quantity"] == (1019 if reanswer.status_code == 200 else 30)
        outcomes[reanswer.status_code] += 1
    assert sum(outcomes.values()) == ROUNDS // 2


async def test_concurrent_answers_each_increment_the_participation_revision(world: World) -> None:
    tender = await _open_with_answers(world, "COUNT", answering=0)
    answers_each = 8
    calls = [
        officer.put(f"/api/v1/tenders/{tender['id']}/participants/{member['id']}", json=confirmation([(1, n + 1)]))
        for n in range(answers_each)
        for officer, member in zip(world.officers, world.members, strict=True)
    ]
    responses = await asyncio.gather(*calls)
    assert [r.status_code for r in responses] == [200] * len(calls), [r.text for r in responses if r.status_code != 200]
    stored = await fresh(world.coordinator, tender)
    assert stored["participation_revision"] == tender["participation_revision"] + len(calls)
    assert stored["revision"] == tender["revision"], "answers leave the specification's ETag valid"
    edited = await world.coordinator.put(f"/api/v1/tenders/{tender['id']}", json=spec("COUNT"), headers={"If-Match": tender["etag"]})
    assert edited.status_code == 200, edited.text


async def _audit_count(admin: Api, action: str) -> int:
    return (await admin.get("/api/v1/audit", params={"action": action, "limit": 1})).json()["total"]


async def test_concurrent_duplicates_are_409_naming_the_existing_record(world: World, admin: Api) -> None:
    before = await _audit_count(admin, "organization.create")
    for _ in range(5):
        body = {"kind": "municipality", "name": "Twin kommune", "country": "NO", "org_number": valid_org_number("NO")}
        responses = await asyncio.gather(*(admin.post("/api/v1/organizations", json=body) for _ in range(3)))
        created = [r for r in responses if r.status_code == 201]
        assert len(created) == 1, [r.text for r in responses]
        for response in responses:
            if response is not created[0]:
                conflict = problem(response, 409)
                assert conflict["existing_id"] == created[0].json()["id"] and conflict["errors"][0]["field"] == "org_number"
    assert await _audit_count(admin, "organization.create") == before + 5, "audit events equal successful writes"

    references = await asyncio.gather(*(world.coordinator.post("/api/v1/tenders", json=spec("TWIN-REF")) for _ in range(3)))
    assert sorted(r.status_code for r in references) == [201, 409, 409], [r.text for r in references]
    winner = next(r for r in references if r.status_code == 201).json()
    assert all(problem(r, 409)["existing_id"] == winner["id"] for r in references if r.status_code == 409)

    town = await admin.create_org("municipality")
    members = f"/api/v1/organizations/{world.federation['id']}/members"
    joins = await asyncio.gather(*(world.coordinator.post(members, json={"municipality_id": town["id"]}) for _ in range(3)))
    assert sorted(r.status_code for r in joins) == [201, 409, 409], [r.text for r in joins]
    listed = (await world.coordinator.get(members)).json()["items"]
    assert [m["id"] for m in listed].count(town["id"]) == 1

    tender = await create_tender(world.coordinator, "TWIN-INVITE")
    invitations = await asyncio.gather(
        *(
            world.coordinator.post(
                f"/api/v1/tenders/{tender['id']}/participants", json={"organization_ids": [town["id"]]}, headers={"If-Match": tender["etag"]}
            )
            for _ in range(3)
        )  # fmt: skip
    )
    stored = await fresh(world.coordinator, tender)
    one_winner(invitations, stored["etag"])
    assert [p["organization_id"] for p in await participants(world.coordinator, stored)] == [town["id"]]
