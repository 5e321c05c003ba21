"""The builder's lots in the browser: a lot with its categories and price/quality split, requirements added from
the library within the lot's categories, parameter values typed into forms made from their types (refused
outside their bounds, with nothing saved), the award weights' running total, a preview in the tender's
language, reordering, removing, upgrading to a newer module version, and a stale save kept and refused."""

from __future__ import annotations

import re

import pytest
from litestar.testing import AsyncTestClient

from registry.web import lots as lot_pages
from tests.support import Api
from tests.tender_world import World, act, build_world, create, joint_tender_ready_to_publish, read, spec, write
from tests.web.test_desk_pages import ENGLISH
from tests.web.test_library_pages import words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_participant_pages import hidden
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the library the lots take their requirements from


async def lotless(world: World, client: AsyncTestClient, admin: Api) -> dict:
    """A draft without lots, its coordinator signed in in ``client``."""
    tender = await create(world.coordinator, spec() | {"lots": []})
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    return tender


def etag_of_form(html: str, action: str) -> str:
    """The ETag a form posting to ``action`` carries."""
    form = html.split(f'action="{action}"')[1].split("</form>")[0]
    found = re.search(r'name="etag" value="([^"]*)"', form)
    assert found, action
    return found.group(1).replace("&#34;", '"')


async def test_a_coordinator_adds_a_lot_and_a_requirement_with_its_value_from_the_library(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await lotless(world, client, admin)
    base = f"/tenders/{tender['id']}"
    page = await client.get(base, headers=ENGLISH)
    assert f'href="{base}/lots/new"' in page.text
    form = await client.get(base + "/lots/new", headers=ENGLISH)
    lot = {"form_token": form_token(form.text), "etag": hidden(form.text, "etag"), "title": "Digitale trygghetsalarmer"}
    lot |= {"categories": ["digital_social_alarm"], "price_weight": "40", "quality_weight": "60"}
    added = await client.post(base + "/lots/new", data=lot, follow_redirects=False)
    assert (added.status_code, added.headers["location"]) == (303, base + "/lots/1")

    page = await client.get(base + "/lots/1?q=alarm+protocol", headers=ENGLISH)
    text = words(page.text)
    assert "Award weights: 0 of the quality share 60." in text and "INTEROP-ALARM-PROTOCOL" in page.text
    choose = {
        "form_token": form_token(page.text),
        "etag": etag_of_form(page.text, base + "/lots/1/selections"),
        "module_key": "INTEROP-ALARM-PROTOCOL",
    }
    chosen = await client.post(base + "/lots/1/selections", data=choose, follow_redirects=False)
    assert (chosen.status_code, chosen.headers["location"]) == (303, base + "/lots/1/selections/1?added=1")

    requirement = await client.get(chosen.headers["location"], headers=ENGLISH)
    text = words(requirement.text)
    assert "The requirement is added with the module's default values." in text
    assert "Maximum alarm delivery time (seconds)" in text and "Empty: the default, 30. From 5 to 120. A whole number." in text
    address = base + "/lots/1/selections/1"
    values = {"form_token": form_token(requirement.text), "etag": hidden(requirement.text, "etag"), "weight": "", "note": "", "kind": ""}
    too_slow = await client.post(address, data=values | {"param-delivery_time": "300"}, headers=ENGLISH)
    assert too_slow.status_code == 400 and 'href="#param-delivery_time"' in too_slow.text and 'value="300"' in too_slow.text
    not_a_number = await client.post(address, data=values | {"param-delivery_time": "fast"}, headers=ENGLISH)
    assert not_a_number.status_code == 400 and "Enter a value of the kind the field asks for." in words(not_a_number.text)
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][0]["parameters"] == {}, "nothing saved"

    saved = await client.post(address, data=values | {"param-delivery_time": "20"}, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, address + "?saved=1")
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][0]["parameters"] == {"delivery_time": 20}
    preview = words((await client.get(address, headers=ENGLISH)).text).split("As the tender will read")[1]
    assert "innen 20 sekunder" in preview, "the preview reads as the tender's language (bokmål) with the value set"


async def test_the_lot_shows_the_award_weights_against_the_quality_share_and_refuses_a_bad_split(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    base = f"/tenders/{tender['id']}/lots/1"
    page = await client.get(base, headers=ENGLISH)
    assert "Award weights: 60 of the quality share 60. They add up." in words(page.text)
    bad = {"form_token": form_token(page.text), "etag": etag_of_form(page.text, base), "title": "Alarms", "categories": ["digital_social_alarm"]}
    refused = await client.post(base, data=bad | {"price_weight": "50", "quality_weight": "70"}, headers=ENGLISH)
    assert refused.status_code == 400 and "price 50 + quality 70 must make 100" in words(refused.text) and 'value="70"' in refused.text
    lot = (await read(world.coordinator, tender["id"]))["lots"][0]
    assert (lot["title"], lot["price_weight"], lot["quality_weight"]) == ("Digital social alarms", 40, 60)

    requirement = await client.get(base + "/selections/3", headers=ENGLISH)
    weight = {"form_token": form_token(requirement.text), "etag": hidden(requirement.text, "etag"), "weight": "30", "kind": "", "note": ""}
    assert (await client.post(base + "/selections/3", data=weight, follow_redirects=False)).status_code == 303
    text = words((await client.get(base, headers=ENGLISH)).text)
    assert "Award weights: 55 of the quality share 60. They must add up to the quality share before publication." in text

    second = f"/tenders/{tender['id']}/lots/2"
    page = await client.get(second + "?q=EVID-STUDY-STRENGTH-AWARD", headers=ENGLISH)
    assert 'id="weight-EVID-STUDY-STRENGTH-AWARD" name="weight" inputmode="decimal" size="5" value="0"' in page.text, "the share left: 50 - 30 - 20"
    award = {"form_token": form_token(page.text), "etag": etag_of_form(page.text, second + "/selections"), "module_key": "EVID-STUDY-STRENGTH-AWARD"}
    unweighted = await client.post(second + "/selections", data=award | {"weight": "0"}, headers=ENGLISH)
    assert unweighted.status_code == 400 and "EVID-STUDY-STRENGTH-AWARD: an award criterion needs a weight above 0" in words(unweighted.text)
    assert len((await read(world.coordinator, tender["id"]))["lots"][1]["selections"]) == 4, "nothing added"
    weighted = await client.post(second + "/selections", data=award | {"weight": "10"}, follow_redirects=False)
    assert weighted.status_code == 303 and (await read(world.coordinator, tender["id"]))["lots"][1]["selections"][4]["weight"] == 10


async def test_requirements_move_are_removed_and_upgrade_to_a_newer_version(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    base = f"/tenders/{tender['id']}/lots/1"

    async def act(position: int, action: str) -> None:
        page = await client.get(base, headers=ENGLISH)
        target = f"{base}/selections/{position}/{action}"
        done = await client.post(target, data={"form_token": form_token(page.text), "etag": etag_of_form(page.text, target)}, follow_redirects=False)
        assert done.status_code == 303, words(done.text)

    def keys(stored: dict) -> list[str]:
        return [s["module_key"] for s in stored["lots"][0]["selections"]]

    before = keys(await read(world.coordinator, tender["id"]))
    await act(2, "up")
    assert keys(await read(world.coordinator, tender["id"])) == [before[1], before[0], *before[2:]]
    await act(1, "down")
    assert keys(await read(world.coordinator, tender["id"])) == before
    await act(5, "remove")
    assert keys(await read(world.coordinator, tender["id"])) == before[:4]

    page = await client.get(base, headers=ENGLISH)
    assert "Version 2 is published" in words(page.text) and "/library/INTEROP-ALARM-PROTOCOL/diff?from=1&amp;to=2" in page.text
    target = f"{base}/selections/1/upgrade"
    upgraded = await client.post(target, data={"form_token": form_token(page.text), "etag": etag_of_form(page.text, target)}, headers=ENGLISH)
    stored = (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][0]
    if upgraded.status_code == 303:
        assert stored["module_version"] == 2
    else:
        assert upgraded.status_code == 400 and stored["module_version"] == 1
        assert "delivery_seconds is not a parameter of this version" in words(upgraded.text), "version 2 names it delivery_time"


async def test_a_stale_requirement_save_keeps_the_typed_values_and_saves_when_sent_again(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/lots/1/selections/3"
    opened = await client.get(address, headers=ENGLISH)
    selection = (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]
    colleague = await world.coordinator.patch(
        f"/api/v1/tenders/{tender['id']}/lots/1/selections/3", json={"note": "Theirs"}, headers={"If-Match": selection["etag"]}
    )
    assert colleague.status_code == 200
    mine = {"form_token": form_token(opened.text), "etag": hidden(opened.text, "etag"), "weight": "35", "kind": "", "note": "Mine"}
    refused = await client.post(address, data=mine, headers=ENGLISH)
    assert (
        refused.status_code == 409
        and "Someone else changed this requirement after you opened it." in words(refused.text)
        and ">Mine</textarea>" in refused.text
    )
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]["note"] == "Theirs"
    again = await client.post(address, data=mine | {"etag": hidden(refused.text, "etag")}, follow_redirects=False)
    assert again.status_code == 303 and (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]["note"] == "Mine"


async def test_only_the_lead_buyer_builds_lots_and_a_published_tenders_lots_are_fixed(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    await write(world.coordinator, tender["id"], "POST", "/open-for-participants")
    await signed_in_browser(client, admin, world.officers[0].user)  # type: ignore[attr-defined]
    invited = await client.get(f"/tenders/{tender['id']}/lots/1", headers=ENGLISH)
    assert invited.status_code == 403 and "only the lead buyer" in invited.text and "Requirements of the lot" not in invited.text

    published = await joint_tender_ready_to_publish(world, spec("VTF-2027-02"))
    await write(world.coordinator, published["id"], "POST", "/publish")
    client.cookies.clear()
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    fixed = await client.get(f"/tenders/{published['id']}/lots/1/selections/1", headers=ENGLISH)
    assert fixed.status_code == 409 and "immutable; publish corrections as amendments" in fixed.text


async def test_a_framework_lot_states_the_most_it_may_call_off_and_a_contracts_lot_is_not_asked(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    framework = {"agreement": "framework", "framework": {"suppliers": 3, "call_off": "ranking"}}
    tender = await create(world.coordinator, spec() | {"currency": "NOK", "terms": framework})
    contract = await create(world.coordinator, spec("VTF-CONTRACT"))
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    assert "maximum_value" not in (await client.get(f"/tenders/{contract['id']}/lots/1", headers=ENGLISH)).text
    base = f"/tenders/{tender['id']}/lots/1"
    page = await client.get(base, headers=ENGLISH)
    assert "The most the lot may call off over the framework agreement's term" in words(page.text) and "Value, excluding VAT, in NOK" in page.text
    lot = {"form_token": form_token(page.text), "etag": etag_of_form(page.text, base), "title": "Alarms", "categories": ["digital_social_alarm"]}
    lot |= {"price_weight": "40", "quality_weight": "60", "maximum_value": "30 000 000", "maximum_quantity": "many", "maximum_unit": "alarmer"}
    refused = await client.post(base, data=lot, headers=ENGLISH)
    assert refused.status_code == 400 and 'href="#maximum_quantity"' in refused.text and 'id="maximum_quantity-error"' in refused.text
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["maximum"] is None, "nothing saved"

    saved = await client.post(base, data=lot | {"maximum_quantity": "6000"}, follow_redirects=False)
    assert saved.status_code == 303
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["maximum"] == {"value": "30000000", "quantity": 6000, "unit": "alarmer"}
    again = await client.get(base, headers=ENGLISH)
    assert 'value="30000000"' in again.text and 'value="6000"' in again.text and 'value="alarmer"' in again.text
    emptied = lot | {"form_token": form_token(again.text), "etag": etag_of_form(again.text, base)}
    emptied |= dict.fromkeys(("maximum_value", "maximum_quantity", "maximum_unit"), "")
    assert (await client.post(base, data=emptied, follow_redirects=False)).status_code == 303
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["maximum"] is None, "emptied, the maximum is taken away"


async def test_a_long_lot_lists_its_requirements_a_page_at_a_time_and_a_move_returns_to_the_moved_ones_page(
    client: AsyncTestClient, admin: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lot_pages, "SHOWN", 2)  # lot 1 has 5 requirements: three pages
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    base = f"/tenders/{tender['id']}/lots/1"
    first = await client.get(base, headers=ENGLISH)
    text = words(first.text)
    assert "Page 1 of 3" in text and "INTEROP-ALARM-PROTOCOL" in text and "EVID-STUDY-STRENGTH-AWARD" not in text
    assert "Award weights: 60 of the quality share 60. They add up." in text, "the total counts the requirements of every page"
    assert f'href="{base}?page=2#selections"' in first.text
    second = await client.get(base + "?page=2", headers=ENGLISH)
    assert "Page 2 of 3" in words(second.text) and "EVID-STUDY-STRENGTH-AWARD" in second.text and "INTEROP-ALARM-PROTOCOL" not in second.text
    down = {"form_token": form_token(second.text), "etag": etag_of_form(second.text, base + "/selections/4/down")}
    moved = await client.post(base + "/selections/4/down", data=down, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (303, base + "?page=3#selections"), "requirement 4 is now 5, on page 3"
    last = await client.get(base + "?page=9", headers=ENGLISH)
    assert "Page 3 of 3" in words(last.text) and "INTEROP-IHE-ACM-FORWARDING" in last.text, "a page past the last shows the last"


async def test_a_coordinator_removes_a_lot_with_its_participants_volumes(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await joint_tender_ready_to_publish(world)
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    first = f"/tenders/{tender['id']}/lots/1"
    page = await client.get(first, headers=ENGLISH)
    stale = {"form_token": form_token(page.text), "etag": '"stale.1"'}
    refused = await client.post(first + "/remove", data=stale, headers=ENGLISH)
    assert refused.status_code == 409 and "Someone else changed this lot after you opened it." in words(refused.text)
    assert len((await read(world.coordinator, tender["id"]))["lots"]) == 2, "nothing removed"
    remove = {"form_token": form_token(page.text), "etag": etag_of_form(page.text, first + "/remove")}
    removed = await client.post(first + "/remove", data=remove, follow_redirects=False)
    assert (removed.status_code, removed.headers["location"]) == (303, f"/tenders/{tender['id']}?removed=1#lots")
    assert "Lot 1 is removed from the tender." in words((await client.get(removed.headers["location"], headers=ENGLISH)).text)
    stored = await read(world.coordinator, tender["id"])
    assert [lot["title"] for lot in stored["lots"]] == ["GPS alarms"], "the GPS lot is now lot 1"
    answers = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/participants")).json()["items"]
    volumes = [volume for answer in answers for volume in answer["volumes"]]
    assert volumes and all(volume["lot"] == 1 for volume in volumes), "the GPS lot's volumes follow it; the removed lot's went with it"


async def test_an_award_criterion_is_scored_by_an_amount_per_point_instead_of_a_weight(client: AsyncTestClient, admin: Api) -> None:
    world = await build_world(admin)
    tender = await create(world.coordinator, spec())
    await signed_in_browser(client, admin, world.coordinator.user)  # type: ignore[attr-defined]
    address = f"/tenders/{tender['id']}/lots/1/selections/3"  # EVID-STUDY-STRENGTH-AWARD, weight 35
    opened = await client.get(address, headers=ENGLISH)
    assert "Or an amount per point, in NOK (the added-value model)" in words(opened.text)
    both = {"form_token": form_token(opened.text), "etag": hidden(opened.text, "etag"), "weight": "35", "kind": "", "note": ""}
    both["added_value"] = "2 500"
    refused = await client.post(address, data=both, headers=ENGLISH)
    assert refused.status_code == 400 and 'href="#added_value"' in refused.text
    assert "an award criterion is scored by a weight or by an added value, not both" in words(refused.text)
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]["added_value"] is None, "nothing saved"
    saved = await client.post(address, data=both | {"weight": ""}, follow_redirects=False)
    assert saved.status_code == 303
    stored = (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]
    assert (stored["weight"], stored["added_value"]) == (None, "2500.00")
    assert 'id="added_value" name="added_value" inputmode="decimal" size="10" value="2500.00"' in (await client.get(address)).text
    mandatory = f"/tenders/{tender['id']}/lots/1/selections/1"
    page = await client.get(mandatory, headers=ENGLISH)
    wrong = {"form_token": form_token(page.text), "etag": hidden(page.text, "etag"), "weight": "", "kind": "", "note": "", "added_value": "100"}
    refused = await client.post(mandatory, data=wrong | {"param-delivery_time": "20"}, headers=ENGLISH)
    assert refused.status_code == 400 and 'id="added_value-error"' in refused.text
