"""Published tenders in the browser, open to everyone: the list, a tender's dates, lots and requirements, its
amendments and its documents in every published version; a tender not yet published stays out of sight."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

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
