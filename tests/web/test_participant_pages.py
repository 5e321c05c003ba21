"""The lead buyer's participants page: answers with mandates and volumes per lot and their totals, the filter
for those not answered yet, invitations chosen from a federation's members by search and page or all at once,
a stale choice refused with nothing invited, withdrawals, and answers recorded for a municipality with no users."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from registry.db.transactions import Database
from registry.organizations import service as organizations
from registry.organizations.schemas import OrganizationCreate
from tests.support import Api, in_transaction, valid_org_number
from tests.tender_world import World, act, build_world, create, participants, spec, untidy_joint_tender
from tests.web.test_desk_pages import ENGLISH
from tests.web.test_library_pages import not_found, words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the tender's modules


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1).replace("&#34;", '"')


async def many_members(database: Database, world: World, count: int, names: list[str] | None = None) -> list[str]:
    """``count`` more member municipalities of the world's federation, named ``Kommune 001`` and on (or ``names``)."""

    async def register(session):  # type: ignore[no-untyped-def]
        made = await organizations.create_organizations(
            session,
            [
                OrganizationCreate(kind="municipality", name=name, country="NO", org_number=valid_org_number("NO"))
                for name in names or [f"Kommune {n:03}" for n in range(1, count + 1)]
            ],
        )
        await organizations.add_members(session, UUID(world.federation["id"]), [m.id for m in made])
        return [str(m.id) for m in made]

    return await in_transaction(database, register)


async def test_the_lead_buyer_sees_every_answer_with_volumes_per_lot_and_the_totals(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    untidy = await untidy_joint_tender(world)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{untidy.tender['id']}/participants"
    page = await client.get(address, headers=ENGLISH)
    text = words(page.text)
    assert page.status_code == 200 and "3 confirmed, 1 declined, 1 not answered" in text and "5 municipalities" in text
    assert "Askøy kommune Confirmed" in text and "120 units 40 units" in text, "each lot's volume in its own column"
    assert "Kvam herad Declined" in text and "Osterøy kommune Not answered yet" in text
    assert "Confirmed in all 245 units 55 units" in text, "the totals count the confirmed only (Kvam herad declined with volumes)"
    waiting = words((await client.get(address + "?status=invited", headers=ENGLISH)).text)
    assert "1 municipality" in waiting and "Osterøy kommune" in waiting and "Askøy kommune" not in waiting
    assert "Record the answer for Osterøy kommune" in waiting, "Osterøy has no user of its own: the lead buyer records its answer"


async def test_a_federation_invites_from_its_members_by_search_page_and_all_at_once(client: AsyncTestClient, admin: Api, database: Database) -> None:
    world = await build_world(admin)
    await many_members(database, world, 120)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/participants"
    page = await client.get(address, headers=ENGLISH)
    assert "123 municipalities can still be invited." in words(page.text) and "Page 1 of 3" in words(page.text)
    assert page.text.count('name="organization"') == 50, "members are listed a page at a time"
    second = await client.get(address + "?members_page=2", headers=ENGLISH)
    assert "Kommune 049" in second.text and "Kommune 048" not in second.text, "by name: Askøy, Bjørnafjorden, then Kommune 001..."

    found = await client.get(address + "?q=kommune+00", headers=ENGLISH)
    assert "9 municipalities can still be invited." in words(found.text)
    everyone = {"form_token": form_token(found.text), "etag": hidden(found.text, "etag"), "q": "kommune 00", "everyone": "yes"}
    invited = await client.post(address + "/invite", data=everyone, follow_redirects=False)
    assert (invited.status_code, invited.headers["location"]) == (303, address + "?invited=9")
    assert sorted(p["name"] for p in await participants(world.coordinator, tender)) == [f"Kommune 00{n}" for n in range(1, 10)]

    page = await client.get(address, headers=ENGLISH)
    voss = next(m["id"] for m in world.members if m["name"] == "Voss herad")
    chosen = {"form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "organization": [voss, world.members[0]["id"]]}
    assert (await client.post(address + "/invite", data=chosen, follow_redirects=False)).status_code == 303
    names = {p["name"] for p in await participants(world.coordinator, tender)}
    assert {"Voss herad", "Askøy kommune"} <= names and len(names) == 11
    assert "112 municipalities can still be invited." in words((await client.get(address, headers=ENGLISH)).text)


async def test_the_member_search_ignores_case_takes_wildcards_literally_and_orders_namesakes_by_id(
    client: AsyncTestClient, admin: Api, database: Database
) -> None:
    world = await build_world(admin)
    # six namesakes: their registration order matches the order of their ids by a chance of 1 in 720
    herøy = await many_members(database, world, 0, ["Herøy kommune"] * 6 + ["Hå kommune"])
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/participants"
    found = await client.get(address + "?q=HERØY", headers=ENGLISH)
    assert "6 municipalities can still be invited." in words(found.text)
    assert re.findall(r'id="member-([0-9a-f-]+)"', found.text) == sorted(herøy[:6]), "namesakes come in the order of their ids"
    everyone = {"form_token": form_token(found.text), "etag": hidden(found.text, "etag"), "q": "herøy", "everyone": "yes"}
    assert (await client.post(address + "/invite", data=everyone, follow_redirects=False)).status_code == 303
    listed = await client.get(address, headers=ENGLISH)
    assert re.findall(r"/participants/([0-9a-f-]+)", listed.text)[:6] == sorted(herøy[:6]), "and so in the participants' table"
    for wildcard in ("%", "_", "h_"):
        page = await client.get(address + "?" + urlencode({"q": wildcard}), headers=ENGLISH)
        assert "0 municipalities can still be invited." in words(page.text), f"{wildcard!r} is a character to find, not a pattern"


async def test_an_invitation_chosen_on_a_stale_page_is_refused_and_the_choice_kept(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/participants"
    page = await client.get(address, headers=ENGLISH)
    await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [world.members[2]["id"]]})  # a colleague, meanwhile
    chosen = {"form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "organization": [world.members[0]["id"]]}
    refused = await client.post(address + "/invite", data=chosen, headers=ENGLISH)
    assert refused.status_code == 412 and "Someone changed the participants since you opened the page" in words(refused.text)
    assert f'value="{world.members[0]["id"]}" checked' in refused.text, "the choice is kept to send again"
    assert "Voss herad" in words(refused.text).split("Invite municipalities")[0], "the list shows the colleague's invitation"
    assert [p["name"] for p in await participants(world.coordinator, tender)] == ["Voss herad"]
    nothing = {"form_token": form_token(page.text), "etag": hidden(refused.text, "etag")}
    empty = await client.post(address + "/invite", data=nothing, headers=ENGLISH)
    assert empty.status_code == 400 and "Choose at least one municipality to invite." in words(empty.text)


async def test_the_lead_buyer_withdraws_an_invitation_and_records_an_answer_for_a_municipality_without_users(
    client: AsyncTestClient, admin: Api
) -> None:
    world = await build_world(admin)
    untidy = await untidy_joint_tender(world)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    tender_id = untidy.tender["id"]
    record = f"/tenders/{tender_id}/answer?organization={untidy.unanswered['id']}"
    form = await client.get(record, headers=ENGLISH)
    assert form.status_code == 200 and "Answer for Osterøy kommune" in words(form.text)
    answer = {"form_token": form_token(form.text), "decision": "declined"}
    assert (await client.post(record, data=answer, follow_redirects=False)).status_code == 303
    (osteroy,) = [p for p in await participants(world.coordinator, untidy.tender) if p["name"] == "Osterøy kommune"]
    assert osteroy["status"] == "declined"
    askoy = f"/tenders/{tender_id}/answer?organization={world.members[0]['id']}"
    not_found(await client.get(askoy, headers=ENGLISH), "that you can answer")  # Askøy has its own officer, who answers for it

    page = await client.get(f"/tenders/{tender_id}/participants", headers=ENGLISH)
    withdraw = f"/tenders/{tender_id}/participants/{untidy.declined['id']}/withdraw"
    gone = await client.post(withdraw, data={"form_token": form_token(page.text), "etag": hidden(page.text, "etag")}, follow_redirects=False)
    assert gone.status_code == 303 and "Kvam herad" not in {p["name"] for p in await participants(world.coordinator, untidy.tender)}


async def test_only_the_lead_buyer_has_the_participants_page(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    untidy = await untidy_joint_tender(world)
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    page = await client.get(f"/tenders/{untidy.tender['id']}/participants", headers=ENGLISH)
    assert page.status_code == 403 and "only the lead buyer" in page.text and "Kvam herad" not in page.text
