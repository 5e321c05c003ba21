"""The tender builder's fields form: a coordinator starts a tender and changes its own fields; bad values are
refused beside their fields with nothing saved; a save over a colleague's newer save is refused with the typed
values kept and the colleague's changes shown, and saved when sent again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.support import Api, days_from_today
from tests.tender_world import build_world, create, read, spec, write
from tests.web.test_desk_pages import ENGLISH
from tests.web.test_library_pages import not_found, words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_participant_pages import hidden
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the tender's modules


def form_values(html: str) -> dict[str, str]:
    """The fields' values as the form shows them (inputs, the selected options and the description)."""
    values = {m.group(1): m.group(2) for m in re.finditer(r'<input id="(\w+)" name="\w+" type="[\w-]+" value="([^"]*)"', html)}
    selected = r'<select id="(\w+)"[^>]*>(?:(?!</select>).)*?<option value="([^"]*)" selected'
    values |= {m.group(1): m.group(2) for m in re.finditer(selected, html, re.S)}
    for name in ("description", "duration_justification"):
        values[name] = html.split(f'name="{name}"')[1].split(">", 1)[1].split("</textarea>")[0]
    values |= {m.group(1): m.group(2) for m in re.finditer(r'<input type="checkbox" id="\w+" name="(\w+)" value="(yes)" checked', html)}
    values = {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in values.items()}
    return values | {"grounds_offered": hidden(html, "grounds_offered"), "discretionary_grounds": ticked_grounds(html)}


def ticked_grounds(html: str) -> list[str]:
    return re.findall(r'name="discretionary_grounds" value="(\w+)" checked', html)


NEW: dict[str, Any] = {
    "reference": "VTF-2027-09", "title": "Medicine dispensers", "description": "Joint procurement of medicine dispensers.",
    "language": "sv", "procedure": "open", "cpv_codes": "33196200-2, 85311100-3", "estimated_value": "4 500 000", "currency": "SEK",
    "contract_start": days_from_today(200), "contract_end": days_from_today(200 + 3 * 365), "contract_options": "1 + 1 years",
    "questions_deadline": f"{days_from_today(150)}T12:00", "submission_deadline": f"{days_from_today(160)}T12:00", "planned_award": "",
    "contact_name": "Innkjøp", "contact_email": "innkjop@vestland.example", "contact_phone": "",
    "submission_system": "Mercell", "submission_url": "https://permalink.mercell.com/300000000.aspx", "validity_days": "90",
    "main_category": "goods", "agreement": "contract", "framework_suppliers": "", "framework_call_off": "ranking", "options_count": "",
    "options_months": "", "duration_justification": "", "lots_per_bid": "", "max_lots_awarded": "", "questions_via": "submission_system",
    "espd": "yes",
}  # fmt: skip


async def test_a_coordinator_starts_a_tender_with_its_fields(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    dashboard = await client.get("/dashboard", headers=ENGLISH)
    assert 'href="/tenders/new"' in dashboard.text
    form = await client.get("/tenders/new", headers=ENGLISH)
    assert form.status_code == 200 and "Start a tender" in words(form.text)
    created = await client.post("/tenders/new", data=NEW | {"form_token": form_token(form.text)}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"].endswith("?created=1")
    tender = await read(world.coordinator, created.headers["location"].split("/")[2].split("?")[0])
    assert (tender["status"], tender["reference"], tender["language"], tender["currency"]) == ("draft", "VTF-2027-09", "sv", "SEK")
    assert tender["estimated_value"] == "4500000.00" and tender["cpv_codes"] == ["33196200-2", "85311100-3"]
    assert tender["timeline"] == {name: NEW[name] + ":00Z" for name in ("questions_deadline", "submission_deadline")}, "minutes in UTC"
    assert tender["contact_point"] == {"name": "Innkjøp", "email": "innkjop@vestland.example"}
    assert tender["terms"]["submission"] == {"system": "Mercell", "url": "https://permalink.mercell.com/300000000.aspx"}
    assert tender["terms"]["validity_days"] == 90
    shown = await client.get(created.headers["location"], headers=ENGLISH)
    assert "The tender is created as a draft." in words(shown.text) and f'href="/tenders/{tender["id"]}/edit"' in shown.text
    again = form_values((await client.get(f"/tenders/{tender['id']}/edit", headers=ENGLISH)).text)
    offered, ticked = again.pop("grounds_offered"), again.pop("discretionary_grounds")
    assert again | {"estimated_value": ""} == NEW | {"estimated_value": "", "planned_award": "", "contact_phone": ""}
    assert ticked == offered.split(",") and "insolvency" in ticked, "every ground of Norway's law applies until some are unticked"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"contact_email": "innkjop at vestland"}, "contact_email"),
        ({"submission_deadline": "20.05.2027 12:00"}, "submission_deadline"),
        ({"estimated_value": "a lot"}, "estimated_value"),
        ({"cpv_codes": "33196200-9"}, "cpv_codes"),
        ({"currency": "GBP"}, "currency"),
        ({"validity_days": "900"}, "validity_days"),
        ({"reference": "A\u0007B"}, "reference"),
    ],
)
async def test_a_bad_field_is_refused_beside_it_and_no_tender_is_made(
    client: AsyncTestClient, admin: Api, change: dict[str, str], field: str
) -> None:
    world = await build_world(admin)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    form = await client.get("/tenders/new", headers=ENGLISH)
    refused = await client.post("/tenders/new", data=NEW | change | {"form_token": form_token(form.text)}, headers=ENGLISH)
    assert refused.status_code == 400 and "There is a problem" in words(refused.text)
    assert f'href="#{field}"' in refused.text and f'id="{field}-error"' in refused.text
    assert "Joint procurement of medicine dispensers." in refused.text, "what was typed is kept"
    assert (await world.coordinator.get("/api/v1/tenders")).json()["total"] == 0


async def test_a_framework_agreements_terms_are_set_in_the_form_and_read_back(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    form = await client.get("/tenders/new", headers=ENGLISH)
    offered = hidden(form.text, "grounds_offered")
    terms = {
        "main_category": "services", "agreement": "framework", "framework_suppliers": "3", "framework_call_off": "mini_competition",
        "options_count": "2", "options_months": "12", "duration_justification": "Devices are replaced every six years.",
        "lots_per_bid": "2", "max_lots_awarded": "1", "variants": "yes", "questions_via": "email", "labour_clauses": "yes",
        "grounds_offered": offered, "discretionary_grounds": ["insolvency", "conflict_of_interest"],
    }  # fmt: skip
    chosen = {k: v for k, v in NEW.items() if k != "espd"} | terms  # the ESPD box left unticked
    created = await client.post("/tenders/new", data=chosen | {"form_token": form_token(form.text)}, follow_redirects=False)
    assert created.status_code == 303, words(created.text)[:600]
    tender = await read(world.coordinator, created.headers["location"].split("/")[2].split("?")[0])
    assert tender["terms"] == {
        "main_category": "services", "agreement": "framework", "framework": {"suppliers": 3, "call_off": "mini_competition"},
        "options": {"count": 2, "months": 12}, "duration_justification": "Devices are replaced every six years.", "validity_days": 90,
        "lots_per_bid": 2, "max_lots_awarded": 1, "variants": True,
        "submission": {"system": "Mercell", "url": "https://permalink.mercell.com/300000000.aspx"}, "questions_via": "email", "espd": False,
        "discretionary_grounds": ["insolvency", "conflict_of_interest"], "labour_clauses": True,
    }  # fmt: skip
    again = form_values((await client.get(f"/tenders/{tender['id']}/edit", headers=ENGLISH)).text)
    assert again["discretionary_grounds"] == ["insolvency", "conflict_of_interest"] and "espd" not in again
    assert {k: again[k] for k in terms if k != "discretionary_grounds"} == {k: v for k, v in terms.items() if k != "discretionary_grounds"}

    contract = again | {"agreement": "contract", "form_token": form_token(form.text), "etag": hidden((await client.get(
        f"/tenders/{tender['id']}/edit")).text, "etag"), "seen": ""}  # fmt: skip
    contract |= {"form_token": form_token((await client.get(f"/tenders/{tender['id']}/edit")).text)}
    saved = await client.post(f"/tenders/{tender['id']}/edit", data=contract, follow_redirects=False)
    assert saved.status_code == 303, words(saved.text)[:600]
    assert "framework" not in (await read(world.coordinator, tender["id"]))["terms"], "a contract drops the framework's own terms"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"agreement": "framework", "max_lots_awarded": "3", "lots_per_bid": "2"}, "max_lots_awarded", "a supplier may bid for at most 2 lots"),
        ({"agreement": "framework"}, "framework_suppliers", "a framework agreement states its number of suppliers"),
        ({"options_count": "2"}, "options_months", "Expected `int`"),
        ({"framework_call_off": "lottery", "agreement": "framework", "framework_suppliers": "2"}, "framework_call_off", "Invalid enum value"),
        (
            {"grounds_offered": "insolvency,unknown_ground", "discretionary_grounds": ["unknown_ground"]},
            "discretionary_grounds",
            "unknown exclusion ground",
        ),
    ],
)
async def test_a_bad_term_is_refused_beside_its_field(client: AsyncTestClient, admin: Api, change: dict[str, Any], field: str, message: str) -> None:
    world = await build_world(admin)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    form = await client.get("/tenders/new", headers=ENGLISH)
    refused = await client.post("/tenders/new", data=NEW | change | {"form_token": form_token(form.text)}, headers=ENGLISH)
    assert refused.status_code == 400 and f'href="#{field}"' in refused.text and f'id="{field}-error"' in refused.text
    assert message in words(refused.text)
    assert (await world.coordinator.get("/api/v1/tenders")).json()["total"] == 0


async def test_a_save_over_a_colleagues_newer_save_takes_in_their_change_and_keeps_mine(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/edit"
    opened = await client.get(address, headers=ENGLISH)
    await write(world.coordinator, tender["id"], "PATCH", json={"title": "Alarms, renamed by a colleague", "reference": "VTF-COLLEAGUE"})
    mine = form_values(opened.text) | {"description": "My new description.", "reference": "VTF-MINE", "form_token": form_token(opened.text)}
    mine |= {"etag": hidden(opened.text, "etag"), "seen": hidden(opened.text, "seen")}
    refused = await client.post(address, data=mine, headers=ENGLISH)
    text = words(refused.text)
    assert refused.status_code == 409 and "Someone else saved this tender after you opened it. Nothing is saved yet" in text
    shown = form_values(refused.text)
    assert shown["title"] == "Alarms, renamed by a colleague" and "Taken in from the other person's save." in text, "their change, where I left it"
    assert shown["description"] == "My new description.", "my change, where they left it"
    assert shown["reference"] == "VTF-MINE" and "Saved meanwhile by someone else: VTF-COLLEAGUE" in text, "both changed it: mine, theirs beside"
    stored = await read(world.coordinator, tender["id"])
    assert (stored["title"], stored["description"]) == ("Alarms, renamed by a colleague", spec()["description"]), "nothing of mine saved"

    again = shown | {"form_token": form_token(refused.text), "etag": hidden(refused.text, "etag"), "seen": hidden(refused.text, "seen")}
    saved = await client.post(address, data=again, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, address + "?saved=1")
    stored = await read(world.coordinator, tender["id"])
    assert (stored["title"], stored["description"], stored["reference"]) == ("Alarms, renamed by a colleague", "My new description.", "VTF-MINE")


async def test_only_the_lead_buyer_edits_and_a_published_tender_is_not_edited(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    taken = await create(world.coordinator, spec("VTF-TAKEN"))
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    opened = await client.get(f"/tenders/{tender['id']}/edit", headers=ENGLISH)
    mine = form_values(opened.text) | {"reference": taken["reference"], "form_token": form_token(opened.text)}
    mine |= {"etag": hidden(opened.text, "etag"), "seen": hidden(opened.text, "seen")}
    refused = await client.post(f"/tenders/{tender['id']}/edit", data=mine, headers=ENGLISH)
    assert refused.status_code == 400 and "Your organization has another tender with this reference." in words(refused.text)
    client.cookies.clear()
    await signed_in_browser(client, admin, world.other_coordinator.user)  # type: ignore[attr-defined]
    not_found(await client.get(f"/tenders/{tender['id']}/edit", headers=ENGLISH), f"no tender {tender['id']}")  # another federation's draft
