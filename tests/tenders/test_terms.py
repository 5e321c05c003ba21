"""What a tender states besides its requirements: the agreement (a contract, or a framework agreement
with its suppliers, call-off method and a maximum per lot), options, validity, lots per bid, variants,
reservations, the submission channel, the ESPD, exclusion grounds and labour clauses; and the law of
the lead buyer's country, which comes from data files in the four document languages.

Stored and read back whole, refused on save when contradictory, and required before publication
where a published tender must state them. Dates are relative to today."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from exports import model
from registry.tenders import schemas
from registry.tenders.law import COUNTRIES_DIR, LANGUAGES, LawFileError, load, stated
from registry.tenders.validation import FRAMEWORK_MONTHS, total_months
from tests.support import Api, problem
from tests.tender_world import TERMS, World, act, create, joint_tender_ready_to_publish, read, spec, write
from tests.tenders.test_snapshot import build

pytestmark = pytest.mark.starter_library

FRAMEWORK: dict[str, Any] = TERMS | {
    "main_category": "services",
    "agreement": "framework",
    "framework": {"suppliers": 3, "call_off": "ranking_or_mini_competition"},
    "options": {"count": 2, "months": 12},
    "lots_per_bid": 2,
    "max_lots_awarded": 1,
    "variants": True,
    "discretionary_grounds": ["insolvency", "conflict_of_interest"],
    "labour_clauses": True,
}


def framework_spec(reference: str, *, years: int = 2, maximum: bool = True) -> dict[str, Any]:
    body = spec(reference)
    start = date.fromisoformat(body["contract_period"]["start"])
    body["contract_period"] = {"start": start.isoformat(), "end": (start.replace(year=start.year + years) - timedelta(days=1)).isoformat()}
    body["terms"] = FRAMEWORK
    if maximum:
        body["lots"][0]["maximum"] = {"value": "9000000", "quantity": 2500, "unit": "alarms"}
        body["lots"][1]["maximum"] = {"value": "3500000"}
    return body


async def publication_check(api: Api, tender: dict[str, Any]) -> dict[str, Any]:
    return (await api.get(f"/api/v1/tenders/{tender['id']}/publication-check")).json()


async def test_the_terms_and_the_lot_maximums_are_stored_as_given_and_read_back(world: World) -> None:
    tender = await create(world.coordinator, framework_spec("TERMS-1"))
    shown = await read(world.coordinator, tender["id"])
    assert shown["terms"] == FRAMEWORK, "defaults are left out, as given"
    assert [lot["maximum"] for lot in shown["lots"]] == [{"value": "9000000", "quantity": 2500, "unit": "alarms"}, {"value": "3500000"}]
    patched = await write(world.coordinator, tender["id"], "PATCH", json={"terms": TERMS | {"espd": False}})
    assert patched["terms"] == TERMS | {"espd": False}, "PATCH replaces the terms as a whole; what is left out takes its default"
    lot = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/lots/2")).json()
    changed = await world.coordinator.patch(f"/api/v1/tenders/{tender['id']}/lots/2", json={"maximum": None}, headers={"If-Match": lot["etag"]})
    assert changed.status_code == 200 and changed.json()["maximum"] is None


@pytest.mark.parametrize(
    ("terms", "errors"),
    [
        ({"agreement": "framework"}, {"terms.framework": "a framework agreement states its number of suppliers and how contracts are called off"}),
        (
            {"framework": {"suppliers": 2, "call_off": "ranking"}},
            {"terms.framework": "only a framework agreement has framework terms; set agreement to framework or leave them out"},
        ),
        (
            {"lots_per_bid": 1, "max_lots_awarded": 2},
            {"terms.max_lots_awarded": "a supplier may bid for at most 1 lots, so cannot be awarded 2"},
        ),
        ({"lots_per_bid": 2, "max_lots_awarded": 2}, {}),
        (
            {"discretionary_grounds": ["insolvency", "bad_weather"]},
            {"terms.discretionary_grounds[1]": "unknown exclusion ground 'bad_weather'; the lead buyer's country has "
             + ", ".join(load(COUNTRIES_DIR / "NO.toml").ground_keys())},  # fmt: skip
        ),
    ],
)
async def test_contradictory_terms_are_refused_on_save_and_nothing_is_stored(world: World, terms: dict[str, Any], errors: dict[str, str]) -> None:
    body = spec(f"TERMS-BAD-{len(terms)}-{sorted(terms)[0]}") | {"terms": TERMS | terms}
    response = await world.coordinator.post("/api/v1/tenders", json=body)
    if not errors:
        assert response.status_code == 201, response.text
        return
    found = {e["field"]: e["message"] for e in problem(response, 422)["errors"]}
    assert found == errors
    listed = (await world.coordinator.get("/api/v1/tenders")).json()["items"]
    assert body["reference"] not in [t["reference"] for t in listed]


@pytest.mark.parametrize(
    ("maximum", "field", "message"),
    [
        ({}, "lots[0].maximum", "a maximum is a value, a quantity, or both"),
        ({"quantity": 10}, "lots[0].maximum.unit", "a maximum quantity and its unit go together"),
        ({"unit": "alarms", "value": "10"}, "lots[0].maximum.unit", "a maximum quantity and its unit go together"),
        ({"value": "10.001"}, "lots[0].maximum.value", "must have at most two decimals"),
    ],
)
async def test_a_lot_maximum_is_a_value_or_a_quantity_with_its_unit(world: World, maximum: dict[str, Any], field: str, message: str) -> None:
    body = framework_spec("TERMS-MAX")
    body["lots"][0]["maximum"] = maximum
    assert {e["field"]: e["message"] for e in problem(await world.coordinator.post("/api/v1/tenders", json=body), 422)["errors"]} == {field: message}


async def test_bad_terms_values_are_named_on_their_field(world: World) -> None:
    for terms, field in (
        ({"submission": {"system": "Mercell", "url": "ftp://mercell.example"}}, "terms.submission.url"),
        ({"validity_days": 0}, "terms.validity_days"),
        ({"agreement": "concession"}, "terms.agreement"),
        ({"options": {"count": 2}}, "terms.options"),
    ):
        body = problem(await world.coordinator.post("/api/v1/tenders", json=spec("TERMS-TYPES") | {"terms": terms}), 400)
        assert field in body["detail"], body


async def test_a_published_tender_must_name_its_submission_channel_and_validity(world: World) -> None:
    tender = await joint_tender_ready_to_publish(world, spec("TERMS-PUB") | {"terms": {}})
    check = await publication_check(world.coordinator, tender)
    assert check["publishable"] is False
    assert [(e["field"], e["message"]) for e in check["errors"]] == [
        ("terms.submission", "a published tender names the e-tendering system tenders are submitted through"),
        ("terms.validity_days", "a published tender states how many days tenders stay binding"),
    ]
    problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]}), 422)


async def test_a_framework_needs_a_maximum_for_every_lot_and_limits_within_its_lots(world: World) -> None:
    body = framework_spec("TERMS-FW", maximum=False)
    body["terms"] = FRAMEWORK | {"lots_per_bid": 3, "max_lots_awarded": 3}
    tender = await joint_tender_ready_to_publish(world, body)
    assert [(e["field"], e["message"]) for e in (await publication_check(world.coordinator, tender))["errors"]] == [
        ("terms.lots_per_bid", "is 3, but the tender has 2 lots"),
        ("terms.max_lots_awarded", "is 3, but the tender has 2 lots"),
        ("lots[0].maximum", "a framework agreement states the most lot 1 may call off (a value or a quantity)"),
        ("lots[1].maximum", "a framework agreement states the most lot 2 may call off (a value or a quantity)"),
    ]


async def test_a_framework_of_exactly_four_years_with_options_publishes_and_a_month_more_needs_a_justification(world: World) -> None:
    four = await joint_tender_ready_to_publish(world, framework_spec("TERMS-4Y", years=2))
    assert await publication_check(world.coordinator, four) == {"publishable": True, "errors": [], "warnings": []}

    longer = framework_spec("TERMS-5Y", years=2)
    longer["terms"] = FRAMEWORK | {"options": {"count": 2, "months": 12}, "duration_justification": None}
    longer["contract_period"]["end"] = (date.fromisoformat(longer["contract_period"]["end"]) + timedelta(days=1)).isoformat()
    tender = await joint_tender_ready_to_publish(world, longer)
    message = f"a framework agreement runs at most {FRAMEWORK_MONTHS} months unless justified; this one runs 49 with its options"
    assert (await publication_check(world.coordinator, tender))["errors"] == [
        {"field": "terms.duration_justification", "message": message}
    ]
    justified = FRAMEWORK | {"duration_justification": "The alarm receiving centre is built for this agreement and must be written off."}
    tender = await write(world.coordinator, tender["id"], "PATCH", json={"terms": justified})
    assert (await publication_check(world.coordinator, tender))["publishable"] is True


def test_the_term_of_a_contract_counts_each_month_begun_and_its_options() -> None:
    def months(start: date, end: date, options: schemas.Options | None = None) -> int | None:
        return total_months(schemas.ContractPeriod(start=start, end=end), options)

    assert months(date(2027, 1, 1), date(2027, 12, 31)) == 12
    assert months(date(2027, 1, 1), date(2028, 1, 1)) == 13, "a day into the thirteenth month counts it"
    assert months(date(2027, 1, 15), date(2029, 1, 14)) == 24
    assert months(date(2028, 2, 29), date(2029, 2, 28)) == 12, "a year from a leap day ends on 28 February"
    assert months(date(2027, 1, 31), date(2027, 2, 28)) == 1, "a month from the 31st ends on the last day of a shorter month"
    assert months(date(2027, 1, 31), date(2027, 3, 1)) == 2
    assert months(date(2027, 1, 15), date(2027, 1, 10)) == 0, "a term that ends before it starts has no months"
    assert months(date(2027, 1, 1), date(2028, 12, 31), schemas.Options(count=2, months=12)) == 48
    assert total_months(schemas.ContractPeriod(start=date(2027, 1, 1)), None) is None


async def test_a_services_tender_without_labour_clauses_where_the_country_requires_them_is_a_warning(world: World) -> None:
    body = spec("TERMS-LABOUR") | {"terms": TERMS | {"main_category": "services"}}
    tender = await joint_tender_ready_to_publish(world, body)
    check = await publication_check(world.coordinator, tender)
    assert (check["publishable"], check["warnings"]) == (
        True,
        [{"field": "terms.labour_clauses", "message": "the lead buyer's country requires labour clauses in contracts for services"}],
    )
    goods = await joint_tender_ready_to_publish(world, spec("TERMS-GOODS"))
    assert (await publication_check(world.coordinator, goods))["warnings"] == [], "Norway requires them for services, not goods"


async def test_the_documents_state_the_lead_buyers_law_in_the_tender_language_with_the_grounds_it_applies(world: World, database_url: str) -> None:
    tender = await joint_tender_ready_to_publish(world, framework_spec("TERMS-LAW") | {"language": "sv"})
    doc = await build(database_url, tender["id"])
    norway = load(COUNTRIES_DIR / "NO.toml")
    assert doc.law is not None
    assert (doc.law.country, doc.law.procurement_act, doc.law.review_body) == ("NO", norway.procurement_act.sv, norway.review_body.name.sv)
    assert [g.key for g in doc.law.discretionary_exclusion] == ["insolvency", "conflict_of_interest"], "in the law's order, those applied"
    assert doc.law.labour_clauses == norway.labour_clauses.sv
    assert "{" not in doc.law.standstill and str(norway.standstill_days) in doc.law.standstill
    assert doc.tender.terms.framework is not None and doc.tender.terms.framework.call_off == "ranking_or_mini_competition"
    assert doc.tender.main_category == "services" and [lot.maximum is not None for lot in doc.lots] == [True, True]


async def test_a_published_framework_is_dated_by_its_publication_with_each_lots_maximum_and_nothing_said_of_what_it_lacks(
    world: World, database_url: str
) -> None:
    body = framework_spec("VTF-FRAME-9")
    del body["estimated_value"], body["timeline"]["planned_award"], body["contact_point"]["phone"]
    assert "options" not in body["contract_period"]
    published = await act(world.coordinator, await joint_tender_ready_to_publish(world, body), "POST", "/publish")
    doc = await build(database_url, published["id"])
    assert doc.tender.timeline.published_at == datetime.fromisoformat(published["published_at"])
    assert (doc.tender.estimated_value, doc.tender.contract.options, doc.tender.timeline.planned_award) == (None, "", None)
    assert doc.tender.contact == model.ContactPoint(name="Innkjøpsteamet", email="innkjop@vestlandet.example", phone="")
    assert [lot.maximum for lot in doc.lots] == [
        model.Maximum(value=model.Money(amount=Decimal("9000000"), currency="NOK"), quantity=2500, unit="alarms"),
        model.Maximum(value=model.Money(amount=Decimal("3500000"), currency="NOK")),
    ]


async def test_every_countrys_law_is_public_in_the_four_languages(client: Any) -> None:
    for country in ("NO", "SE", "DK", "FI"):
        law = (await client.get(f"/api/v1/law/{country}")).json()
        assert law["country"] == country and law["standstill_days"] >= 10
        assert all(law[field][language].strip() for field in ("procurement_act", "espd", "public_access") for language in LANGUAGES)
    problem(await client.get("/api/v1/law/GB"), 400)


def test_a_country_file_with_a_missing_language_or_an_unknown_placeholder_is_refused(tmp_path: Any) -> None:
    text = (COUNTRIES_DIR / "NO.toml").read_text(encoding="utf-8")
    broken = tmp_path / "NO.toml"
    broken.write_text(text.replace('[standstill]\nen = "', '[standstill]\nen = "Wait {weeks} weeks. ', 1), encoding="utf-8")
    with pytest.raises(LawFileError, match="standstill.en holds unknown placeholders"):
        load(broken)
    (tmp_path / "SE.toml").write_text(text, encoding="utf-8")
    with pytest.raises(LawFileError, match="country NO does not match the file name"):
        load(tmp_path / "SE.toml")


def test_the_law_as_a_tender_states_it_is_every_text_in_its_language_with_the_grounds_it_applies() -> None:
    norway = load(COUNTRIES_DIR / "NO.toml")
    insolvency = next(g.text for g in norway.discretionary_grounds if g.key == "insolvency")
    with_clauses = stated(norway, "da", model.Terms(labour_clauses=True), ["insolvency"])
    assert with_clauses == model.Law(
        country="NO", procurement_act=norway.procurement_act.da, espd=norway.espd.da, mandatory_exclusion=norway.mandatory_exclusion.da,
        discretionary_exclusion=(model.Ground(key="insolvency", text=insolvency.da),),
        labour_clauses=norway.labour_clauses.da, standstill_days=10,
        standstill=norway.standstill.da.format(days=10, review_body=norway.review_body.name.da),
        review_body=norway.review_body.name.da, review_body_url=norway.review_body.url, public_access=norway.public_access.da,
    )  # fmt: skip
    without = stated(norway, "da", model.Terms(labour_clauses=False), None)
    assert without.labour_clauses == "" and [g.key for g in without.discretionary_exclusion] == norway.ground_keys(), "None applies them all"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: re.sub(r'(\[public_access\]\nen = )"[^"]*"', r'\1"  "', t, count=1), "public_access.en is empty"),
        (lambda t: re.sub(r'(\[review_body\.name\]\nen = )"[^"]*"', r'\1"The {board}"', t, count=1), "review_body.name.en holds unknown"),
        (lambda t: t + '\n[[discretionary_grounds]]\nkey = "insolvency"\n[discretionary_grounds.text]\nen = "a"\nnb = "b"\nsv = "c"\nda = "d"\n',
         "discretionary ground insolvency appears twice"),
        (lambda t: t.replace("standstill_days = 10", "standstill_days = 0"), "Expected `int` >= 1 - at `$.standstill_days`"),
        (lambda t: re.sub(r'(\[public_access\]\nen = )"[^"]*"', r'\1""', t, count=1).replace('country = "NO"', 'country = "SE"'),
         "country SE does not match the file name; public_access.en is empty"),
        (lambda t: t + "\nthis is not toml", "NO.toml: "),
    ],
)
def test_a_broken_country_file_names_its_problem(tmp_path: Any, change: Any, problem: str) -> None:
    path = tmp_path / "NO.toml"
    path.write_text(change((COUNTRIES_DIR / "NO.toml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(LawFileError) as raised:
        load(path)
    assert str(raised.value).startswith("NO.toml: ") and problem in str(raised.value)
