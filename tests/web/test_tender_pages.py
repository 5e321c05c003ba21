"""Published tenders in the browser, open to everyone: the list, a tender's dates, lots and requirements, its
amendments and its documents in every published version; a tender not yet published stays out of sight."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from registry.web import tenders as tender_pages
from tests.support import Api
from tests.tender_world import build_world, create, joint_tender_ready_to_publish, spec, write
from tests.web.test_library_pages import words

pytestmark = pytest.mark.starter_library  # the tender's modules
ENGLISH = {"Accept-Language": "en"}


async def test_a_visitor_finds_a_published_tender_with_its_lots_requirements_and_documents(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await joint_tender_ready_to_publish(world)
    await write(world.coordinator, tender["id"], "POST", "/publish")
    listing = words((await client.get("/tenders", headers=ENGLISH)).text)
    assert "Digital social alarms and GPS alarms" in listing and "VTF-2027-01 · Vestlandet velferdsteknologi · Open for tenders · 2 lots" in listing

    page = await client.get(f"/tenders/{tender['id']}", headers=ENGLISH)
    text = words(page.text)
    assert page.status_code == 200 and "Joint procurement of alarms for home-dwelling citizens." in text
    assert "Language of the documents and the tenders Norwegian Bokmål" in text and "Version 1 of the documents, in Norwegian Bokmål." in text
    assert "Lot 1: Digital social alarms" in text and "price 40 %, quality 60 %" in text and "Digital social alarm" in text
    assert "Documented effect on falls and their consequences EVID-FALLS-REDUCTION version 1 Mandatory requirement" in text, (
        "a lot's requirement with the kind the tender gives it"
    )
    assert '<h1 lang="nb">' in page.text, "the tender's own texts are marked with the document language"
    for document, media_type in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml"), ("ocds", "json"), ("package", "zip")):
        link = f"/api/v1/tenders/{tender['id']}/exports/{document}"
        assert f'href="{link}"' in page.text
        downloaded = await client.get(link)
        assert downloaded.status_code == 200 and media_type in downloaded.headers["content-type"], document
    danish = words((await client.get(f"/tenders/{tender['id']}", headers={"Accept-Language": "da"})).text)
    assert "bokmål" in danish and "Bokmål" not in danish, "the document language is named in the reader's language"


async def test_an_amendment_is_listed_and_the_earlier_documents_stay_downloadable(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await joint_tender_ready_to_publish(world)
    await write(world.coordinator, tender["id"], "POST", "/publish")
    change = {"summary": "Questions deadline moved", "reason": "Answers to suppliers' questions", "description": "Updated scope."}
    await write(world.coordinator, tender["id"], "POST", "/amendments", json=change)
    page = await client.get(f"/tenders/{tender['id']}", headers=ENGLISH)
    text = words(page.text)
    assert "Questions deadline moved" in text and "Answers to suppliers' questions" in text and "Version 2 of the documents" in text
    earlier = f"/api/v1/tenders/{tender['id']}/versions/1/exports/docx"
    assert f'href="{earlier}"' in page.text and (await client.get(earlier)).status_code == 200


async def test_a_tender_not_yet_published_is_neither_listed_nor_shown(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    draft = await create(world.coordinator, spec("VTF-DRAFT"))
    opened = await create(world.coordinator, spec("VTF-OPENED"))
    await write(world.coordinator, opened["id"], "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    await write(world.coordinator, opened["id"], "POST", "/open-for-participants")
    listing = await client.get("/tenders", headers=ENGLISH)
    assert listing.status_code == 200 and "0 tenders" in words(listing.text) and "VTF-" not in listing.text
    for hidden in (draft, opened):
        page = await client.get(f"/tenders/{hidden['id']}", headers=ENGLISH)
        assert page.status_code == 404 and "Page not found" in words(page.text) and hidden["title"] not in page.text.split("<main")[1]


async def test_a_large_tenders_lots_are_folded_and_each_lots_requirements_come_a_page_at_a_time(
    client: AsyncTestClient, admin: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tender_pages, "REQUIREMENTS", 2)  # lot 1 has 5 requirements, lot 2 has 4: 9 in all, more than a page
    world = await build_world(admin)
    tender = await joint_tender_ready_to_publish(world)
    await write(world.coordinator, tender["id"], "POST", "/publish")
    first = await client.get(f"/tenders/{tender['id']}", headers=ENGLISH)
    text = words(first.text)
    assert first.text.count('<details class="requirements">') == 2, "both lots start folded to their summary"
    assert "5 requirements" in text and "4 requirements" in text and "Page 1 of 3" in text and "Page 1 of 2" in text
    assert "INTEROP-ALARM-PROTOCOL" in text and "SEC-ISO27001-CERTIFICATE" in text and "EVID-STUDY-STRENGTH-AWARD" not in text
    assert "CONSENT-LOCATION-ON-REQUEST" in text and "EVID-FALLS-REDUCTION" not in text
    assert f'href="/tenders/{tender["id"]}?lot=1&amp;page=2#lot-1"' in first.text

    turned = await client.get(f"/tenders/{tender['id']}?lot=1&page=3", headers=ENGLISH)
    text = words(turned.text)
    assert turned.text.count('<details class="requirements" open>') == 1, "the lot being read is unfolded"
    assert "Page 3 of 3" in text and "SEC-DATA-PROCESSING-AGREEMENT" in text and "INTEROP-ALARM-PROTOCOL" not in text
    assert "CONSENT-LOCATION-ON-REQUEST" in text and "Page 1 of 2" in text, "the other lot stays on its first page"
    beyond = await client.get(f"/tenders/{tender['id']}?lot=1&page=9", headers=ENGLISH)
    assert beyond.status_code == 200 and "Page 3 of 3" in words(beyond.text), "a page past the lot's last shows its last"
    assert beyond.url.query == b"lot=1&page=3"
    refused = await client.get(f"/tenders/{tender['id']}?lot=0", headers=ENGLISH)
    assert refused.status_code == 400 and "The address holds a value the page does not understand." in words(refused.text)
