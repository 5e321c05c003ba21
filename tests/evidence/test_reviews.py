"""Reviews belong to the reviewer: whose reviews count in a tender's lot evidence fit, in a
product's evidence fit and in the review state an item shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.evidence_world import CERTIFICATE, PRODUCT, add_evidence
from tests.support import Api, days_from_today, problem
from tests.tender_world import World, act, build_world, confirmation, create

pytestmark = pytest.mark.starter_library
ISO = "SEC-ISO27001-CERTIFICATE"
WHY = "The certificate's scope excludes the alarm platform."


@dataclass
class Market:
    """The federation's joint tender (Askøy confirmed, Bjørnafjorden only invited), another
    federation's tender, a supplier's product with an ISO/IEC 27001 certificate that meets lot 1
    of both, and a library editor of the registry."""

    world: World
    ours: dict[str, Any]
    theirs: dict[str, Any]
    product: dict[str, Any]
    item: dict[str, Any]
    librarian: Api
    authority: dict[str, Any]


@pytest.fixture
async def market(admin: Api) -> Market:
    world = await build_world(admin)
    ours = await create(world.coordinator)
    invited = [world.members[0]["id"], world.members[1]["id"]]
    ours = await act(world.coordinator, ours, "POST", "/participants", json={"organization_ids": invited})
    ours = await act(world.coordinator, ours, "POST", "/open-for-participants")
    await confirm(world, ours, 0)
    product = (await world.supplier.post("/api/v1/products", json=PRODUCT)).json()
    item = await add_evidence(world.supplier, product["id"], CERTIFICATE | {"visibility": "buyers", "valid_until": days_from_today(1200)})
    authority = await admin.create_org("authority", name="Helsedirektoratet")
    librarian = await admin.create_user(authority["id"], "library_editor")
    return Market(world, ours, await create(world.other_coordinator), product, item, librarian, authority)


async def confirm(world: World, tender: dict[str, Any], member: int) -> None:
    path = f"/api/v1/tenders/{tender['id']}/participants/{world.members[member]['id']}"
    response = await world.officers[member].put(path, json=confirmation([(1, 10)]))
    assert response.status_code == 200, response.text


async def review(api: Api, market: Market, outcome: str) -> dict[str, Any]:
    response = await api.post(f"/api/v1/evidence/{market.item['id']}/reviews", json={"outcome": outcome, "comment": WHY})
    assert response.status_code == 201, response.text
    return response.json()


async def lot_fit(lead: Api, tender: dict[str, Any], market: Market) -> dict[str, Any]:
    """The certificate module's fit for the product in lot 1, as the tender's lead buyer sees it."""
    response = await lead.get(f"/api/v1/tenders/{tender['id']}/lots/1/evidence-fit")
    assert response.status_code == 200, response.text
    report = next(p["report"] for p in response.json()["products"] if p["product_id"] == market.product["id"])
    return next(m for m in report["modules"] if m["key"] == ISO)


async def met_in_both(market: Market) -> tuple[bool, bool]:
    """Whether the certificate counts in our tender's lot 1 and in the other federation's."""
    ours = await lot_fit(market.world.coordinator, market.ours, market)
    theirs = await lot_fit(market.world.other_coordinator, market.theirs, market)
    return ours["met"], theirs["met"]


async def product_fit_met(api: Api, market: Market) -> bool:
    request = {"modules": [{"key": ISO, "version": 1}]}
    response = await api.post(f"/api/v1/products/{market.product['id']}/evidence-fit", json=request)
    assert response.status_code == 200, response.text
    return response.json()["met"]


async def item_seen_by(api: Api, market: Market) -> dict[str, Any]:
    response = await api.get(f"/api/v1/evidence/{market.item['id']}")
    assert response.status_code == 200, response.text
    return response.json()


async def listed(api: Api, review_state: str) -> list[str]:
    page = (await api.get("/api/v1/evidence", params={"review_state": review_state})).json()
    return [i["id"] for i in page["items"]]


async def test_an_unrelated_municipalitys_rejection_changes_no_tender(market: Market) -> None:
    await review(market.world.outsider_officer, market, "rejected")
    assert await met_in_both(market) == (True, True)
    ours = await lot_fit(market.world.coordinator, market.ours, market)
    assert [(r["review_state"], r["unreviewed"]) for r in ours["qualifying"]] == [("unreviewed", True)]
    assert await product_fit_met(market.world.outsider_officer, market) is False, "the reviewer's own organization applies it"
    assert await product_fit_met(market.world.officers[0], market) is True


async def test_a_confirmed_participants_rejection_applies_in_its_tender(market: Market) -> None:
    await review(market.world.officers[0], market, "rejected")
    assert await met_in_both(market) == (False, True)
    ours = await lot_fit(market.world.coordinator, market.ours, market)
    assert ours["clauses"][0]["reason"] == "no evidence of type certificate; 1 rejected item does not count"


async def test_the_lead_buyers_review_applies_in_its_tender_and_the_latest_decides(market: Market) -> None:
    await review(market.world.coordinator, market, "rejected")
    assert await met_in_both(market) == (False, True)
    await review(market.world.other_coordinator, market, "rejected")
    assert await met_in_both(market) == (False, False)
    await review(market.world.officers[0], market, "accepted")
    assert await met_in_both(market) == (True, False), "a later review by one of the tender's buyers decides"
    ours = await lot_fit(market.world.coordinator, market.ours, market)
    assert [r["review_state"] for r in ours["qualifying"]] == ["accepted"]


async def test_an_invited_municipality_counts_once_it_confirms(market: Market) -> None:
    await review(market.world.officers[1], market, "rejected")
    assert await met_in_both(market) == (True, True), "invited but not confirmed"
    await confirm(market.world, market.ours, 1)
    assert await met_in_both(market) == (False, True)


async def test_a_registry_level_rejection_applies_everywhere(market: Market) -> None:
    entry = await review(market.librarian, market, "rejected")
    assert entry["registry_level"] is True and entry["organization_name"] == "Helsedirektoratet"
    assert await met_in_both(market) == (False, False)
    assert await product_fit_met(market.world.outsider_officer, market) is False
    assert await product_fit_met(market.world.supplier, market) is False
    assert (await item_seen_by(market.world.supplier, market))["review_state"] == "rejected"
    assert market.item["id"] in await listed(market.world.officers[2], "rejected")

    await review(market.world.officers[0], market, "accepted")
    assert await met_in_both(market) == (True, False), "the tender's buyers may decide otherwise later"
    by_officer = await review(market.world.officers[1], market, "accepted")
    by_admin = await review(market.world.admin, market, "accepted")
    assert (by_officer["registry_level"], by_admin["registry_level"]) == (False, True), "admins hold every role"


async def test_a_supplier_never_reviews_its_own_evidence(market: Market) -> None:
    supplier_id = market.world.supplier.user["organization_id"]
    editor_and_librarian = await market.world.admin.create_user(supplier_id, "supplier_editor", "library_editor")
    response = await editor_and_librarian.post(f"/api/v1/evidence/{market.item['id']}/reviews", json={"outcome": "accepted"})
    assert "its own evidence" in problem(response, 403)["detail"]
    assert (await item_seen_by(market.world.supplier, market))["reviews"] == []


async def test_review_state_is_the_callers_organizations_view(market: Market) -> None:
    await review(market.world.outsider_officer, market, "rejected")
    seen = await item_seen_by(market.world.outsider_officer, market)
    assert seen["review_state"] == "rejected" and [r["applies"] for r in seen["reviews"]] == [True]
    seen = await item_seen_by(market.world.officers[0], market)
    assert seen["review_state"] == "unreviewed", "another organization's review is information, not a verdict"
    assert [(r["organization_name"], r["outcome"], r["applies"]) for r in seen["reviews"]] == [("Tromsø kommune", "rejected", False)]
    assert await listed(market.world.outsider_officer, "rejected") == [market.item["id"]]
    assert await listed(market.world.officers[0], "rejected") == []
    assert await listed(market.world.officers[0], "unreviewed") == [market.item["id"]]


async def test_the_supplier_sees_every_review_with_its_organization(market: Market) -> None:
    entry = await review(market.world.outsider_officer, market, "rejected")
    assert entry["organization_id"] == market.world.outsider["id"] and entry["organization_name"] == "Tromsø kommune"
    assert entry["user_id"] == market.world.outsider_officer.user["id"] and entry["applies"] is True
    await review(market.world.officers[0], market, "clarification_needed")
    await review(market.librarian, market, "accepted")
    seen = await item_seen_by(market.world.supplier, market)
    assert [(r["organization_name"], r["outcome"], r["registry_level"]) for r in seen["reviews"]] == [
        ("Tromsø kommune", "rejected", False),
        ("Askøy kommune", "clarification_needed", False),
        ("Helsedirektoratet", "accepted", True),
    ]
    assert seen["reviews"][0]["comment"] == WHY
    assert seen["review_state"] == "accepted", "for its supplier an item's state is the registry-level one"
    assert await listed(market.world.supplier, "accepted") == [market.item["id"]]


async def test_an_edit_by_the_supplier_resets_every_review(market: Market) -> None:
    await review(market.librarian, market, "rejected")
    await review(market.world.coordinator, market, "accepted")
    edited = await market.world.supplier.patch(f"/api/v1/evidence/{market.item['id']}", json={"valid_until": days_from_today(1500)})
    assert edited.status_code == 200, edited.text
    history = edited.json()["reviews"]
    assert [(r["kind"], r["outcome"]) for r in history] == [("review", "rejected"), ("review", "accepted"), ("reset", "unreviewed")]
    assert [r["applies"] for r in history] == [False, False, True], "reviews of the earlier content no longer apply"
    assert await met_in_both(market) == (True, True)
    ours = await lot_fit(market.world.coordinator, market.ours, market)
    assert [r["review_state"] for r in ours["qualifying"]] == ["unreviewed"]
    assert (await item_seen_by(market.world.coordinator, market))["review_state"] == "unreviewed"
