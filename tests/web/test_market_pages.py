"""Market dialogue in the browser: the lead buyer sees the products in a lot's categories against its evidence
rules in words (met, met by evidence not reviewed yet, not met) with each product's clauses; and reviews
evidence shared with the tender confidentially, its files downloaded, a review without a reason refused."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from tests.evidence_world import CERTIFICATE, PDF, PRODUCT, STUDY, add_evidence
from tests.support import Api, days_from_today
from tests.tender_world import build_world, create, spec
from tests.web.test_desk_pages import ENGLISH
from tests.web.test_library_pages import not_found, words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the tender's modules


async def test_the_lead_buyer_sees_each_product_against_the_lots_evidence_rules_in_words(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    alarm = PRODUCT | {"name": "Alfa", "categories": ["digital_social_alarm"]}
    alfa = (await world.supplier.post("/api/v1/products", json=alarm)).json()["id"]
    await world.supplier.post("/api/v1/products", json=PRODUCT | {"name": "Gamma", "categories": ["gps_alarm"]})
    await add_evidence(world.supplier, alfa, STUDY | {"visibility": "confidential", "tender_ids": [tender["id"]]})
    await add_evidence(world.supplier, alfa, CERTIFICATE | {"valid_until": days_from_today(1200)})
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    shown = await client.get(f"/tenders/{tender['id']}", headers=ENGLISH)
    assert f'href="/tenders/{tender["id"]}/lots/1/market"' in shown.text
    page = await client.get(f"/tenders/{tender['id']}/lots/1/market", headers=ENGLISH)
    text = words(page.text)
    assert page.status_code == 200 and "1 product in the lot's categories" in text and "Gamma" not in text
    row = text.split("Alfa", 1)[1].split("Why:")[0]
    assert row.count("Met, by evidence not reviewed yet") == 2 and row.count("Not met") == 2, "two rules met by unreviewed evidence, two not"
    assert "Why: Alfa, clause by clause" in text and "INTEROP-ALARM-PROTOCOL version 1: ✘ not met" in text

    client.cookies.clear()
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    not_found(await client.get(f"/tenders/{tender['id']}/lots/1/market", headers=ENGLISH), f"no tender {tender['id']}")  # a draft is the lead buyer's


async def test_the_lead_buyer_reviews_shared_evidence_and_downloads_its_file(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    product = (await world.supplier.post("/api/v1/products", json=PRODUCT)).json()["id"]
    confidential = {"visibility": "confidential", "tender_ids": [tender["id"]], "valid_until": days_from_today(900)}
    shared = await add_evidence(world.supplier, product, CERTIFICATE | confidential)
    files = {"file": ("certificate.pdf", PDF, "application/pdf")}
    attachment = (await world.supplier.post(f"/api/v1/evidence/{shared['id']}/attachments", files=files)).json()
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/evidence"
    waiting = "1 item of evidence shared with Digital social alarms and GPS alarms waits for your review"
    dashboard = await client.get("/dashboard", headers=ENGLISH)
    assert waiting in words(dashboard.text) and f'href="{address}"' in dashboard.text
    page = await client.get(address, headers=ENGLISH)
    assert "1 item of evidence is shared with the tender confidentially." in words(page.text) and "Not reviewed yet" in words(page.text)
    download = await client.get(f"{address}/{shared['id']}/files/{attachment['id']}")
    assert download.status_code == 200 and download.content == PDF

    reviews = f"{address}/{shared['id']}/reviews"
    unexplained = await client.post(reviews, data={"form_token": form_token(page.text), "outcome": "rejected"}, headers=ENGLISH)
    assert unexplained.status_code == 400 and "say why unless you accept" in words(unexplained.text)
    assert (await world.supplier.get(f"/api/v1/evidence/{shared['id']}")).json()["reviews"] == [], "nothing recorded"
    reason = "The certificate's scope excludes the alarm platform."
    saved = await client.post(reviews, data={"form_token": form_token(page.text), "outcome": "rejected", "comment": reason}, follow_redirects=False)
    assert saved.status_code == 303
    reviewed = (await world.supplier.get(f"/api/v1/evidence/{shared['id']}")).json()["reviews"]
    assert [(r["organization_name"], r["outcome"], r["comment"]) for r in reviewed] == [("Vestlandet velferdsteknologi", "rejected", reason)]
    assert "Rejected, Vestlandet velferdsteknologi: " + reason in words((await client.get(saved.headers["location"], headers=ENGLISH)).text)
    assert waiting not in words((await client.get("/dashboard", headers=ENGLISH)).text), "reviewed, it waits no more"
    edited = await world.supplier.patch(f"/api/v1/evidence/{shared['id']}", json={"valid_until": days_from_today(1000)})
    assert edited.status_code == 200, edited.text
    assert waiting in words((await client.get("/dashboard", headers=ENGLISH)).text), "changed by the supplier, it waits again"
