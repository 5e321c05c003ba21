"""Publication in the browser, for the lead buyer: the checklist of every problem with a link to where it is
fixed, publishing confirmed first and refused on a stale page, amendments with what changed and why (a new
version of the documents), and the history of steps and amendments."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient

from tests.support import Api
from tests.tender_world import build_world, joint_tender_ready_to_publish, read, untidy_joint_tender, write
from tests.web.test_desk_pages import ENGLISH
from tests.web.test_library_pages import words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_participant_pages import hidden
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the tender's modules


async def test_the_checklist_links_each_problem_to_its_fix_and_publishing_asks_for_confirmation(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    untidy = await untidy_joint_tender(world)
    tender_id = untidy.tender["id"]
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender_id}/publication"
    page = await client.get(address, headers=ENGLISH)
    text = words(page.text)
    assert page.status_code == 200 and "1 problem stops the publication: Must be fixed waiting for answers from Osterøy kommune" in text
    assert f'<a href="/tenders/{tender_id}/participants">Fix it' in page.text

    await write(world.coordinator, tender_id, "DELETE", f"/participants/{untidy.unanswered['id']}")
    page = await client.get(address, headers=ENGLISH)
    assert "Nothing stops the publication." in words(page.text)
    unconfirmed_form = {"form_token": form_token(page.text), "etag": hidden(page.text, "etag")}
    unconfirmed = await client.post(address + "/publish", data=unconfirmed_form, headers=ENGLISH)
    assert unconfirmed.status_code == 400 and "Tick the box to confirm this step: it cannot be undone." in words(unconfirmed.text)
    assert (await read(world.coordinator, tender_id))["status"] == "open_for_participants"

    confirmed = {"form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "confirm": "yes"}
    published = await client.post(address + "/publish", data=confirmed, follow_redirects=False)
    assert (published.status_code, published.headers["location"]) == (303, address + "?done=publish")
    assert (await read(world.coordinator, tender_id))["status"] == "published"
    after = words((await client.get(published.headers["location"], headers=ENGLISH)).text)
    assert "Done: the tender is now “Open for tenders”." in after and "Publication checklist" not in after
    history = after.split("History")[-1]
    steps = ("Created (Draft)", "Open for participants (Open for participants)", "Publish (Open for tenders)")
    assert [history.index(step) for step in steps] == sorted(history.index(step) for step in steps)


async def test_a_problem_in_a_lot_links_to_the_lot_and_a_stale_page_publishes_nothing(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await joint_tender_ready_to_publish(world)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/publication"
    page = await client.get(address, headers=ENGLISH)
    selection = (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]
    slip = {"weight": 30}  # award weights 30 + 25 against a quality share of 60: a colleague's slip, saved meanwhile
    address_of_selection = f"/api/v1/tenders/{tender['id']}/lots/1/selections/3"
    saved = await world.coordinator.patch(address_of_selection, json=slip, headers={"If-Match": selection["etag"]})
    assert saved.status_code == 200, saved.text
    stale = {"form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "confirm": "yes"}
    refused = await client.post(address + "/publish", data=stale, headers=ENGLISH)
    assert refused.status_code == 412 and "The tender changed since you opened this page." in words(refused.text)
    assert "award weights in lot 1 add up to 55, not the quality share 60" in words(refused.text)
    assert f'href="/tenders/{tender["id"]}/lots/1"' in refused.text, "the lot's weights are fixed in the lot"
    assert (await read(world.coordinator, tender["id"]))["status"] == "open_for_participants"


async def test_an_amendment_publishes_a_new_version_with_what_changed_and_why(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await joint_tender_ready_to_publish(world)
    await write(world.coordinator, tender["id"], "POST", "/publish")
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/publication"
    page = await client.get(address, headers=ENGLISH)
    later = (datetime.now(UTC) + timedelta(days=60)).replace(second=0, microsecond=0)
    fields = {
        "form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "summary": "", "reason": "Suppliers asked for more time",
        "description": hidden_text(page.text), "submission_deadline": later.strftime("%Y-%m-%dT%H:%M"),
        **{name: shown_value(page.text, name) for name in ("questions_deadline", "planned_award")},
    }  # fmt: skip
    missing = await client.post(address + "/amendments", data=fields, headers=ENGLISH)
    assert missing.status_code == 400 and 'href="#summary"' in missing.text and (await read(world.coordinator, tender["id"]))["document_version"] == 1
    assert "Suppliers asked for more time" in missing.text, "what was typed is kept"

    amended = await client.post(address + "/amendments", data=fields | {"summary": "Submission deadline moved"}, follow_redirects=False)
    assert amended.status_code == 303, words(amended.text)
    now = await read(world.coordinator, tender["id"])
    assert now["document_version"] == 2 and now["timeline"]["submission_deadline"].startswith(later.strftime("%Y-%m-%dT%H:%M"))
    after = words((await client.get(amended.headers["location"], headers=ENGLISH)).text)
    assert "The amendment is published as version 2 of the documents." in after
    assert "Amendment 1, version 2 of the documents: Submission deadline moved (why: Suppliers asked for more time" in after

    page = await client.get(address, headers=ENGLISH)
    unchanged = fields | {"form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "summary": "Nothing really"}
    unchanged["submission_deadline"] = later.strftime("%Y-%m-%dT%H:%M")
    nothing = await client.post(address + "/amendments", data=unchanged, headers=ENGLISH)
    assert nothing.status_code == 400 and "give a new description, timeline or lots" in words(nothing.text)


def shown_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]* value="([^"]*)"', html)
    assert found and found.group(1), name
    return found.group(1)


def hidden_text(html: str) -> str:
    """The description as the amendment form shows it."""
    return html.split('id="description" name="description"')[1].split(">", 1)[1].split("</textarea>")[0]


async def test_only_the_lead_buyer_has_the_publication_page(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    untidy = await untidy_joint_tender(world)
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    page = await client.get(f"/tenders/{untidy.tender['id']}/publication", headers=ENGLISH)
    assert page.status_code == 403 and "only the lead buyer" in page.text
