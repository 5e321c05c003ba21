"""A buyer's desk in the browser: the dashboard of a federation's tenders and what stops their publication, and
a municipality's answer to an invitation (contact, mandate, volumes per lot) refused field by field when
incomplete, with nothing saved, and saved exactly when complete."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.support import Api, days_from_today
from tests.tender_world import World, act, build_world, create, participants, spec
from tests.web.test_library_pages import words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the tender's modules
ENGLISH = {"Accept-Language": "en"}


async def opened_tender(world: World, reference: str = "VTF-2027-01") -> dict[str, Any]:
    """A two-lot tender of the federation, open for participants, its three members invited."""
    tender = await create(world.coordinator, spec(reference))
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [m["id"] for m in world.members]})
    return await act(world.coordinator, tender, "POST", "/open-for-participants")


async def test_the_dashboard_lists_the_tenders_by_status_with_what_stops_their_publication(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    await create(world.coordinator, spec("VTF-DRAFT") | {"title": "Medicine dispensers"})
    tender = await opened_tender(world)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    page = await client.get("/dashboard", headers=ENGLISH)
    text = words(page.text)
    assert page.status_code == 200 and "Dashboard" in text and 'href="/dashboard" aria-current="page"' in page.text
    assert "Draft (1)" in text and "Medicine dispensers VTF-DRAFT" in text
    assert "Open for participants (1)" in text and "0 confirmed, 0 declined, 3 not answered" in text
    assert "3 municipalities have not answered about Digital social alarms and GPS alarms" in text
    assert f'href="/tenders/{tender["id"]}/participants?status=invited"' in page.text
    assert "2 problems stop the publication of Digital social alarms and GPS alarms" in text, "three answers missing, none confirmed"
    assert "1 problem stops the publication of Medicine dispensers" in text, "a federation's tender needs a confirmed participant"
    assert f'href="/tenders/{tender["id"]}/publication"' in page.text


@pytest.mark.parametrize(("role", "checked"), [("org_admin", True), ("library_editor", False)])
async def test_the_federations_admin_sees_what_stops_publication_and_a_colleague_without_a_buyers_role_only_the_tenders(
    client: AsyncTestClient, admin: Api, role: str, checked: bool
) -> None:
    world = await build_world(admin)
    await opened_tender(world)
    colleague = await admin.create_user(world.federation["id"], role)
    await signed_in_browser(client, admin, colleague.user)  # type: ignore[attr-defined]
    text = words((await client.get("/dashboard", headers=ENGLISH)).text)
    assert "Open for participants (1)" in text and "0 confirmed, 0 declined, 3 not answered" in text
    assert ("2 problems stop the publication of Digital social alarms and GPS alarms" in text) is checked, "the organization's admin may lead"


async def test_the_dashboard_asks_for_a_sign_in_and_shows_a_supplier_nothing_to_do(client: AsyncTestClient, admin: Api) -> None:
    anonymous = await client.get("/dashboard", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/sign-in?next=/dashboard")
    world = await build_world(admin)
    await opened_tender(world)
    await signed_in_browser(client, admin, world.supplier.user)  # type: ignore[attr-defined]
    text = words((await client.get("/dashboard", headers=ENGLISH)).text)
    assert "Nothing is waiting for you." in text and "Your organization has no tenders yet." in text and "VTF-2027-01" not in text


async def test_a_municipality_confirms_with_its_mandate_and_volumes_from_its_dashboard(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await opened_tender(world)
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    dashboard = await client.get("/dashboard", headers=ENGLISH)
    assert "Answer the invitation to Digital social alarms and GPS alarms" in words(dashboard.text)
    answer = f"/tenders/{tender['id']}/answer"
    assert f'href="{answer}"' in dashboard.text
    form = await client.get(answer, headers=ENGLISH)
    assert form.status_code == 200 and "Answer for Askøy kommune" in words(form.text) and "Quantity for lot 2" in words(form.text)
    fields = {
        "form_token": form_token(form.text), "decision": "confirmed", "contact_name": "Kari Nordmann", "contact_email": "kari@askoy.example",
        "mandate": "yes", "mandate_decision_date": days_from_today(-30), "quantity-1-1": "120", "unit-1-1": "alarms",
        "quantity-2-1": "", "unit-2-1": "",
    }  # fmt: skip
    saved = await client.post(answer, data=fields, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, f"/tenders/{tender['id']}?answered=confirmed")
    (askoy,) = [p for p in await participants(world.coordinator, tender) if p["name"] == "Askøy kommune"]
    assert askoy["status"] == "confirmed" and askoy["mandate_decision_date"] == days_from_today(-30)
    assert askoy["volumes"] == [{"lot": 1, "quantity": 120, "unit": "alarms"}], "an empty lot is no volume"
    shown = words((await client.get(saved.headers["location"], headers=ENGLISH)).text)
    assert "Your answer is saved: your municipality takes part." in shown and "Change your answer" in shown
    again = await client.get(answer, headers=ENGLISH)
    assert 'value="120"' in again.text and 'value="alarms"' in again.text and "has confirmed its participation" in words(again.text)


async def test_a_lot_takes_volumes_in_two_units_and_an_edit_keeps_every_unit(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await opened_tender(world)
    askoy = world.members[0]
    given = {"decision": "confirmed", "contact_name": "Kari Nordmann", "contact_email": "kari@askoy.example", "mandate": True}
    given |= {"mandate_decision_date": days_from_today(-30), "volumes": [{"lot": 1, "quantity": 120, "unit": "alarms"}]}
    given["volumes"] += [{"lot": 1, "quantity": 30, "unit": "fall sensors"}, {"lot": 2, "quantity": 15, "unit": "GPS units"}]
    answered = await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{askoy['id']}", json=given)
    assert answered.status_code == 200, answered.text
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    answer = f"/tenders/{tender['id']}/answer"
    form = await client.get(answer, headers=ENGLISH)
    rows = {name: value for name, value in re.findall(r'name="((?:quantity|unit)-\d+-\d+)"[^>]*value="([^"]*)"', form.text)}
    assert rows == {
        "quantity-1-1": "120", "unit-1-1": "alarms", "quantity-1-2": "30", "unit-1-2": "fall sensors", "quantity-1-3": "", "unit-1-3": "",
        "quantity-2-1": "15", "unit-2-1": "GPS units", "quantity-2-2": "", "unit-2-2": "",
    }, "every unit given through the API, and an empty row per lot"  # fmt: skip
    assert "Quantity 2 for lot 1" in words(form.text)
    fields = rows | {"form_token": form_token(form.text), "decision": "confirmed", "contact_name": "Kari Nordmann"}
    fields |= {"contact_email": "kari@askoy.example", "mandate": "yes", "mandate_decision_date": days_from_today(-30)}
    fields |= {"quantity-2-2": "4", "unit-2-2": "chargers", "quantity-1-3": "many", "unit-1-3": "alarms"}
    refused = await client.post(answer, data=fields, headers=ENGLISH)
    assert refused.status_code == 400 and 'id="quantity-1-3-error"' in refused.text and 'value="chargers"' in refused.text
    saved = await client.post(answer, data=fields | {"quantity-1-3": "", "unit-1-3": ""}, follow_redirects=False)
    assert saved.status_code == 303
    (stored,) = [p for p in await participants(world.coordinator, tender) if p["name"] == "Askøy kommune"]
    assert [(v["lot"], v["quantity"], v["unit"]) for v in stored["volumes"]] == [
        (1, 120, "alarms"), (1, 30, "fall sensors"), (2, 15, "GPS units"), (2, 4, "chargers"),
    ], "the edit kept every unit and added one"


@pytest.mark.parametrize(
    ("change", "fields_refused"),
    [
        ({"contact_name": "", "contact_email": ""}, ["contact_name"]),
        ({"mandate": ""}, ["mandate"]),
        ({"mandate_decision_date": days_from_today(3)}, ["mandate_decision_date"]),
        ({"mandate_decision_date": "31.12.2025"}, ["mandate_decision_date"]),
        ({"quantity-2-1": "forty", "unit-2-1": "alarms"}, ["quantity-2-1"]),
        ({"quantity-2-1": "40"}, ["unit-2-1"]),
        ({"quantity-1-1": "", "unit-1-1": "", "quantity-2-1": "9999999999", "unit-2-1": "alarms"}, ["quantity-2-1"]),
        ({"quantity-1-1": "", "unit-1-1": "", "quantity-2-1": "40", "unit-2-1": "a" * 40}, ["unit-2-1"]),
        ({"contact_email": "kari at askoy"}, ["contact_email"]),
        ({"decision": ""}, ["decision"]),
    ],
)
async def test_an_incomplete_answer_is_refused_beside_its_field_and_nothing_is_saved(
    client: AsyncTestClient, admin: Api, change: dict[str, str], fields_refused: list[str]
) -> None:
    world = await build_world(admin)
    tender = await opened_tender(world)
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    answer = f"/tenders/{tender['id']}/answer"
    form = await client.get(answer, headers=ENGLISH)
    fields = {
        "form_token": form_token(form.text), "decision": "confirmed", "contact_name": "Kari Nordmann", "contact_email": "kari@askoy.example",
        "mandate": "yes", "mandate_decision_date": days_from_today(-30), "quantity-1-1": "120", "unit-1-1": "alarms",
    } | change  # fmt: skip
    refused = await client.post(answer, data={k: v for k, v in fields.items() if v}, headers=ENGLISH)
    assert refused.status_code == 400 and "There is a problem" in words(refused.text)
    for field in fields_refused:
        assert f'href="#{field}"' in refused.text and f'id="{field}-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert 'value="Kari Nordmann"' in refused.text or not fields.get("contact_name"), "what was typed is kept"
    (askoy,) = [p for p in await participants(world.coordinator, tender) if p["name"] == "Askøy kommune"]
    assert (askoy["status"], askoy["volumes"], askoy["responded_at"]) == ("invited", [], None)


async def test_a_municipality_declines_without_more_and_an_uninvited_one_finds_no_form(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await opened_tender(world)
    await signed_in_browser(client, admin, world.officers[1].user)  # type: ignore[attr-defined]
    answer = f"/tenders/{tender['id']}/answer"
    form = await client.get(answer, headers=ENGLISH)
    declined = await client.post(answer, data={"form_token": form_token(form.text), "decision": "declined"}, follow_redirects=False)
    assert declined.headers["location"].endswith("?answered=declined")
    (bjornafjorden,) = [p for p in await participants(world.coordinator, tender) if p["name"] == "Bjørnafjorden kommune"]
    assert bjornafjorden["status"] == "declined"

    client.cookies.clear()
    await signed_in_browser(client, admin, world.outsider_officer.user)  # type: ignore[attr-defined]
    outsider = await client.get(answer, headers=ENGLISH)
    assert outsider.status_code == 404 and "Page not found" in words(outsider.text) and "Askøy" not in outsider.text


async def test_the_lead_buyer_downloads_the_draft_documents_and_nobody_else_sees_them(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    page = await client.get(f"/tenders/{tender['id']}", headers=ENGLISH)
    assert "Drafts of the documents, marked DRAFT, in Norwegian Bokmål." in words(page.text)
    link = f"/tenders/{tender['id']}/documents/docx"
    assert f'href="{link}"' in page.text and "Publication checklist" in words(page.text)
    document = await client.get(link)
    assert document.status_code == 200 and "wordprocessingml" in document.headers["content-type"] and document.content[:2] == b"PK"
    client.cookies.clear()
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    hidden = await client.get(link, headers=ENGLISH)
    assert hidden.status_code == 404 and "Page not found" in words(hidden.text), "a draft is the lead buyer's until it is opened"
    unknown = await client.get(f"/tenders/{tender['id']}/documents/pdf", headers=ENGLISH)
    assert unknown.status_code == 400 and "The address holds a value the page does not understand." in words(unknown.text)
