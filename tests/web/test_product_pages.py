"""A supplier's editor registers and changes products in the browser; the API's rules decide (a medical
device must be CE marked, one to eight known categories), each refusal shown beside its field, nothing
stored; another supplier never sees the product."""

from __future__ import annotations

import re
from datetime import date

import pytest
from litestar.testing import AsyncTestClient

from registry.web import i18n
from registry.web.i18n import translations
from tests.evidence_world import PRODUCT, STUDY
from tests.support import Api, days_from_today
from tests.tender_world import act, create, spec
from tests.web.test_library_pages import not_found, words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library  # the catalogue's product categories
en = translations("en").gettext
ENGLISH = {"Accept-Language": "en"}
ALARM = {"name": "Safe@Home", "model": "SH-4 (firmware 4.2)", "categories": ["digital_social_alarm"], "mdr_class": "none", "description": ""}


async def submit(client: AsyncTestClient, path: str, fields: dict) -> object:
    page = await client.get(path, headers=ENGLISH)
    return await client.post(path, data=fields | {"form_token": form_token(page.text)}, headers=ENGLISH, follow_redirects=False)


async def test_an_editor_registers_a_product_and_changes_it(client: AsyncTestClient, admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    created = await submit(client, "/products/new", ALARM | {"ce_marked": "yes"})
    assert created.status_code == 303, words(created.text)[-700:]  # type: ignore[attr-defined]
    path = created.headers["location"].split("?")[0]  # type: ignore[attr-defined]
    product = (await editor.get(f"/api/v1/products/{path.rsplit('/', 1)[1]}")).json()
    assert (product["name"], product["model"], product["categories"], product["ce_marked"], product["mdr_class"]) == (
        "Safe@Home", "SH-4 (firmware 4.2)", ["digital_social_alarm"], True, "none")  # fmt: skip
    changed = await submit(client, path, ALARM | {"ce_marked": "yes", "mdr_class": "IIa", "categories": ["digital_social_alarm", "gps_alarm"]})
    assert changed.status_code == 303  # type: ignore[attr-defined]
    product = (await editor.get(f"/api/v1/products/{product['id']}")).json()
    assert (product["mdr_class"], product["categories"]) == ("IIa", ["digital_social_alarm", "gps_alarm"])
    listing = words((await client.get("/products", headers=ENGLISH)).text)
    assert "Safe@Home" in listing and "IIa" in listing


async def test_the_rules_refuse_beside_the_field_and_nothing_is_stored(client: AsyncTestClient, admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    for fields, field, message in (
        (ALARM | {"mdr_class": "IIa"}, "ce_marked", "A medical device of any MDR class must be CE marked."),
        (ALARM | {"categories": []}, "categories", "Choose one to eight product categories."),
        (ALARM | {"categories": ["toaster"]}, "categories", "Choose one to eight product categories."),
        (ALARM | {"name": ""}, "name", "Enter the product's name, on one line."),
    ):
        refused = await submit(client, "/products/new", fields)
        assert refused.status_code == 400, (fields, refused.text[:300])  # type: ignore[attr-defined]
        assert f'<a href="#{field}">' in refused.text and words(refused.text).count(en(message)) == 2  # type: ignore[attr-defined]
    assert (await editor.get("/api/v1/products")).json()["total"] == 0


async def test_another_supplier_never_sees_the_product(client: AsyncTestClient, admin: Api) -> None:
    first, second = await admin.create_org("supplier"), await admin.create_org("supplier")
    owner = await admin.create_user(first["id"], "supplier_editor")
    product = (await owner.post("/api/v1/products", json={k: v for k, v in ALARM.items() if k != "description"})).json()
    other = await admin.create_user(second["id"], "supplier_editor")
    await signed_in_browser(client, admin, other.user)  # type: ignore[attr-defined]
    not_found(await client.get(f"/products/{product['id']}"), f"no product {product['id']}")
    assert "Safe@Home" not in (await client.get("/products")).text


async def test_a_products_page_lists_its_evidence_with_the_review_history(client: AsyncTestClient, admin: Api) -> None:
    supplier, town = await admin.create_org("supplier"), await admin.create_org("municipality")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    officer = await admin.create_user(town["id"], "procurement_officer")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    item = await editor.post(f"/api/v1/products/{product['id']}/evidence", json=STUDY)
    assert item.status_code == 201, item.text
    review = {"outcome": "clarification_needed", "comment": "Which municipalities took part?"}
    assert (await officer.post(f"/api/v1/evidence/{item.json()['id']}/reviews", json=review)).status_code in (200, 201)
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    text = words((await client.get(f"/products/{product['id']}", headers=ENGLISH)).text)
    assert STUDY["title"] in text and en("Review history") in text
    assert f"{en('Clarification asked for')}, {town['name']}: Which municipalities took part?" in text


STUDY_FORM = {
    "type": "study", "title": "Falls at home in Askøy", "summary": "Twelve months with the alarm.", "study_design": "controlled_study",
    "period_start": "2024-01-01", "period_end": "2024-12-31", "funding": "Askøy kommune", "independent": "yes",
    "country": "NO", "municipalities": "Askøy, Bergen", "care_setting": "home care", "visibility": "buyers",
    "outcome-0-domain": "safety_incidents", "outcome-0-measure": "Falls per 1000 days", "outcome-0-baseline": "4.1",
    "outcome-0-result": "3.2", "outcome-0-unit": "falls", "outcome-0-sample_size": "120",
}  # fmt: skip


async def test_an_editor_adds_a_study_with_two_outcome_rows_without_javascript(client: AsyncTestClient, admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    path = f"/products/{product['id']}/evidence/new"
    page = await client.get(path, headers=ENGLISH)
    token = form_token(page.text)
    more = await client.post(path, data=STUDY_FORM | {"form_token": token, "outcome_rows": "1", "action": "add_outcome"}, headers=ENGLISH)
    assert more.status_code == 200 and 'name="outcome-1-measure"' in more.text and 'value="Falls per 1000 days"' in more.text
    second = {
        "outcome-1-domain": "safety_incidents", "outcome-1-measure": "Hospital stays after a fall", "outcome-1-result": "9",
        "outcome-1-sample_size": "120",
    }  # fmt: skip
    saved = await client.post(path, data=STUDY_FORM | second | {"form_token": token, "outcome_rows": "2", "action": "save"}, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, f"/products/{product['id']}")
    (item,) = (await editor.get("/api/v1/evidence", params={"product_id": product["id"]})).json()["items"]
    shown = (item["title"], item["study_design"], item["independent"], item["period_end"])
    assert shown == ("Falls at home in Askøy", "controlled_study", True, "2024-12-31")
    assert item["setting"] == {"country": "NO", "municipalities": ["Askøy", "Bergen"], "care_setting": "home care"}
    assert [(o["measure"], o["baseline"], o["result"], o["sample_size"]) for o in item["outcomes"]] == [
        ("Falls per 1000 days", 4.1, 3.2, 120), ("Hospital stays after a fall", None, 9.0, 120)]  # fmt: skip


async def test_a_bad_evidence_field_is_named_beside_it_and_nothing_is_stored(client: AsyncTestClient, admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    path = f"/products/{product['id']}/evidence/new"
    token = form_token((await client.get(path)).text)
    for change, field in (
        ({"outcome-0-result": "a lot"}, "outcome-0-result"),
        ({"outcome-0-domain": "happiness"}, "outcome-0-domain"),
        ({"publication": "see our website"}, "publication"),
        ({"period_end": "31.12.2024"}, "period_end"),
    ):
        refused = await client.post(path, data=STUDY_FORM | change | {"form_token": token, "outcome_rows": "1"}, headers=ENGLISH)
        assert refused.status_code == 400, (change, refused.status_code)
        assert f'<a href="#{field}">' in refused.text and f'id="{field}-error"' in refused.text, change
        assert 'value="Falls at home in Askøy"' in refused.text, "what was typed stays"
    assert (await editor.get("/api/v1/evidence", params={"product_id": product["id"]})).json()["total"] == 0


async def test_how_a_product_fits_a_modules_evidence_rule_clause_by_clause(client: AsyncTestClient, admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    path = f"/products/{product['id']}/fit"
    before = words((await client.get(path, params={"modules": "EVID-FALLS-REDUCTION"}, headers=ENGLISH)).text)
    assert en("Not every rule is met") in before and "✘ not met" in before
    assert (await editor.post(f"/api/v1/products/{product['id']}/evidence", json=STUDY)).status_code == 201
    deadline = date.fromisoformat(days_from_today(30))
    after = await client.get(path, params={"modules": "evid-falls-reduction", "deadline": deadline.isoformat()}, headers=ENGLISH)
    text = words(after.text)
    assert "EVID-FALLS-REDUCTION" in text and en("Judged on %(date)s.") % {"date": f"{deadline.day} {deadline:%B %Y}"} in text
    for said in (
        "✔ Met: A study designed at least as strongly as: Controlled study (non-randomized).",
        "✘ Not met: At least 200 participants. (from the parameter “Minimum number of study participants”) — "
        "largest sample size in Safety incidents (falls, wandering) or Hospital admissions is 120; rule needs 200",
    ):
        assert said in text, "every clause in words, met or not, with why not (terms by their labels) and the parameter it takes its value from"
    refused = await client.get(path, params={"modules": "NO-SUCH-MODULE"}, headers=ENGLISH)
    assert refused.status_code == 400 and "no requirement module NO-SUCH-MODULE" in words(refused.text)


async def test_the_fit_page_says_each_reason_in_the_readers_language_with_the_catalogues_labels(client: AsyncTestClient, admin: Api) -> None:
    editor = await admin.create_user((await admin.create_org("supplier"))["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    old_study = STUDY | {"study_design": "observational", "period_start": "2009-01-01", "period_end": "2010-06-30"}
    assert (await editor.post(f"/api/v1/products/{product['id']}/evidence", json=old_study)).status_code == 201
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    params = {"modules": "EVID-FALLS-REDUCTION", "deadline": "2026-12-31"}
    page = await client.get(f"/products/{product['id']}/fit", params=params, headers={"Accept-Language": "nb"})
    reasons = [words(reason) for reason in re.findall(r" — (.*?)</li>", page.text)]
    assert "sterkeste studiedesign er Observasjonsstudie; regelen krever Kontrollert studie uten randomisering" in reasons
    assert "nyeste Studie er fra 30. juni 2010, mer enn 10 år før tilbudsfristen 31. desember 2026" in reasons, "dates as Norwegian writes them"
    assert not [r for r in reasons if "observational" in r or "controlled_study" in r], "no vocabulary key in a reason"
    request = {"modules": [{"key": "EVID-FALLS-REDUCTION", "version": 3}], "submission_deadline": "2026-12-31"}
    fit = (await editor.post(f"/api/v1/products/{product['id']}/evidence-fit", json=request)).json()
    assert "best study design is observational; rule needs controlled_study" in [c["reason"] for c in fit["modules"][0]["clauses"]], "API: English"


async def test_the_fit_page_says_when_every_clause_is_met_but_by_different_items(client: AsyncTestClient, admin: Api) -> None:
    editor = await admin.create_user((await admin.create_org("supplier"))["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    large = STUDY["outcomes"][0] | {"sample_size": 250}  # type: ignore[index]
    old_trial = STUDY | {"title": "Old trial", "study_design": "randomized_controlled_trial", "outcomes": [large], "period_start": "2009-01-01",
                         "period_end": "2010-06-30"}  # fmt: skip
    for item in (old_trial, STUDY | {"study_design": "observational"}):
        assert (await editor.post(f"/api/v1/products/{product['id']}/evidence", json=item)).status_code == 201
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    page = await client.get(f"/products/{product['id']}/fit", params={"modules": "EVID-FALLS-REDUCTION"}, headers=ENGLISH)
    text = words(page.text)
    assert "✘ not met no single item meets every clause; closest is 'Old trial', which fails max_age_years ✔ Met" in text
    assert "✘ Not met" not in text, "each clause is met, by one item or another"


async def test_an_editor_changes_an_evidence_item_in_the_form_it_was_made_in_and_its_reviews_reset(client: AsyncTestClient, admin: Api) -> None:
    supplier, town = await admin.create_org("supplier"), await admin.create_org("municipality")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    officer = await admin.create_user(town["id"], "procurement_officer")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    item = (await editor.post(f"/api/v1/products/{product['id']}/evidence", json=STUDY)).json()
    assert (await officer.post(f"/api/v1/evidence/{item['id']}/reviews", json={"outcome": "accepted"})).status_code in (200, 201)
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    path = f"/products/{product['id']}/evidence/{item['id']}"
    page = await client.get(path, headers=ENGLISH)
    assert page.status_code == 200 and f'value="{STUDY["title"]}"' in page.text, "the form holds the item as stored"
    fields = dict(re.findall(r'<input id="([^"]+)" name="[^"]+" type="(?:text|date)" value="([^"]*)"', page.text))
    selected = dict(re.findall(r'<select id="([^"]+)"[^>]*>(?:(?!</select>).)*?<option value="([^"]+)" selected', page.text, re.S))
    changed = fields | selected | {"title": "Controlled study in Bergen, second year", "visibility": "buyers", "outcome_rows": "1"}
    saved = await client.post(path, data=changed | {"form_token": form_token(page.text), "action": "save"}, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, f"/products/{product['id']}")
    stored = (await editor.get(f"/api/v1/evidence/{item['id']}")).json()
    assert stored["title"] == "Controlled study in Bergen, second year"
    assert (stored["outcomes"], stored["study_design"], stored["period_end"]) == (item["outcomes"], item["study_design"], item["period_end"])
    assert stored["reviews"][-1]["kind"] == "reset", "a change by the supplier resets the reviews"
    not_found(await client.get(f"/products/{product['id']}/evidence/00000000-0000-4000-8000-000000000000"), "no evidence item 00000000-0000-4000")


GPS_PRODUCT = PRODUCT | {"name": "Trygg Ute", "categories": ["gps_alarm"]}
FALLS_STUDY = STUDY | {"outcomes": [{"domain": "safety_incidents", "measure": "Falls", "result": 2.9, "sample_size": 55}]}


async def tender_asking_for_60_participants(admin: Api) -> dict:
    """A published tender whose lot 2 (GPS alarms) asks for the falls module's evidence from at least 60 participants."""
    body = spec("ASK-2027-60")
    body["lots"][1]["selections"][2] = {
        "module_key": "EVID-FALLS-REDUCTION",
        "module_version": 2,
        "kind": "mandatory",
        "parameters": {"min_sample_size": 60},
    }
    town = await admin.create_org("municipality", name="Askøy kommune")
    officer = await admin.create_user(town["id"], "procurement_officer")
    return await act(officer, await create(officer, body), "POST", "/publish")


async def test_a_product_fits_a_published_lot_with_the_tenders_values_and_with_values_the_supplier_changes(
    client: AsyncTestClient, admin: Api
) -> None:
    tender = await tender_asking_for_60_participants(admin)
    editor = await admin.create_user((await admin.create_org("supplier"))["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=GPS_PRODUCT)).json()
    assert (await editor.post(f"/api/v1/products/{product['id']}/evidence", json=FALLS_STUDY)).status_code == 201
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    path = f"/products/{product['id']}/fit"
    choice = await client.get(path, headers=ENGLISH)
    matching = re.search(r'<optgroup label="Lots buying this kind of product">(.*?)</optgroup>', choice.text, re.S)
    assert matching and f'value="{tender["id"]}:2"' in matching.group(1) and f'value="{tender["id"]}:1"' not in matching.group(1)
    assert f"{tender['title']} (ASK-2027-60, Askøy kommune) · Lot 2: GPS alarms" in words(choice.text)

    lot = f"{tender['id']}:2"
    judged = await client.get(path, params={"lot": lot}, headers=ENGLISH)
    field = re.search(r'<input id="(p-\d+-min_sample_size)" name="[^"]+" value="60"', judged.text)
    assert judged.status_code == 200 and field, "the lot's value is the field's default"
    text = words(judged.text)
    deadline = date.fromisoformat(tender["timeline"]["submission_deadline"][:10])
    assert en("Judged on %(date)s.") % {"date": i18n.Formats("en").date(deadline)} in text, "on the tender's submission deadline"
    assert en("The tender's value: %(value)s") % {"value": 60} in text
    assert (
        "✘ Not met: At least 60 participants. (from the parameter “Minimum number of study participants”) — "
        "largest sample size in Safety incidents (falls, wandering) is 55; rule needs 60" in text
    )

    changed = await client.get(path, params={"lot": lot, "parameters_of": lot, field.group(1): "50"}, headers=ENGLISH)
    text = words(changed.text)
    assert "✔ Met: At least 50 participants. (from the parameter “Minimum number of study participants”)" in text, "the fit follows the changed value"
    assert f'id="{field.group(1)}" name="{field.group(1)}" value="50"' in changed.text

    for typed, message in (("many", en("Enter a whole number.")), ("5", "min_sample_size must be at least 20")):
        refused = await client.get(path, params={"lot": lot, "parameters_of": lot, field.group(1): typed}, headers=ENGLISH)
        assert refused.status_code == 400 and f'<a href="#{field.group(1)}">' in refused.text, typed
        assert f'id="{field.group(1)}-error"' in refused.text and message in words(refused.text), typed
    not_found(await client.get(path, params={"lot": f"{tender['id']}:9"}, headers=ENGLISH), "the tender has no lot 9")
