"""Evidence fit judges against what the buyer asked for: rule values that reference the module
version's parameters take the tender selection's (or the fit request's) values, resolved as the
statement renders them; the library refuses references that cannot work and literals beside their
parameter; a tender's buyers review the evidence shared confidentially with it."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.evidence.fit import Context, Facts, OutcomeFacts, Subject, bound_subject, evaluate
from registry.requirements.content import VersionContent
from registry.requirements.rendering import PLACEHOLDER, render
from registry.requirements.rules import bindings
from registry.requirements.templates import TemplateError, check_content, load_catalogue, load_library
from registry.settings import PROJECT_ROOT
from tests.evidence_world import CERTIFICATE, PRODUCT, STUDY, add_evidence
from tests.library_world import library_of
from tests.support import Api, days_from_today, not_found, problem
from tests.tender_world import World, act, confirmation, create, spec

STARTER = PROJECT_ROOT / "requirement_templates"
FALLS, DOSSIER = "EVID-FALLS-REDUCTION", "EVID-DOSSIER-CONTROLLED"


# --- a tender's lot is judged with its selections' values ------------------------------------------


def with_selection(reference: str, key: str, version: int, parameters: dict[str, Any]) -> dict[str, Any]:
    """The test tender with lot 2 (GPS alarms) asking for ``key`` with these values instead of the falls module."""
    body = copy.deepcopy(spec(reference))
    body["lots"][1]["selections"][2] = {"module_key": key, "module_version": version, "kind": "mandatory", "parameters": parameters}
    return body


async def lot_two_fit(world: World, tender: dict[str, Any], product_id: str, key: str) -> dict[str, Any]:
    response = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/lots/2/evidence-fit")
    assert response.status_code == 200, response.text
    overview = response.json()
    report = next(p["report"] for p in overview["products"] if p["product_id"] == product_id)
    return next(m for m in report["modules"] if m["key"] == key)


def clause(fit: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in fit["clauses"] if c["clause"] == name)


GPS_PRODUCT = PRODUCT | {"name": "Trygg Ute", "categories": ["gps_alarm"]}
FALLS_STUDY = STUDY | {
    "outcomes": [{"domain": "safety_incidents", "measure": "Falls", "result": 2.9, "sample_size": 55}],
    "module_keys": [FALLS],
}


@pytest.mark.starter_library
@pytest.mark.parametrize("version", [1, 2], ids=["pinned-before-references", "referencing"])
async def test_lot_fit_applies_the_selections_minimum_sample_size(world: World, version: int) -> None:
    product = (await world.supplier.post("/api/v1/products", json=GPS_PRODUCT)).json()
    await add_evidence(world.supplier, product["id"], FALLS_STUDY)
    rendered = await world.coordinator.post(f"/api/v1/modules/{FALLS}/versions/{version}/render", json={"parameters": {"min_sample_size": 60}})
    assert "at least 60 participants" in rendered.json()["statement"]

    strict = await create(world.coordinator, with_selection("VTF-2027-60", FALLS, version, {"min_sample_size": 60}))
    fit = await lot_two_fit(world, strict, product["id"], FALLS)
    assert fit["met"] is False, "the documents ask for 60 participants; the study has 55"
    sample = clause(fit, "min_sample_size")
    assert (sample["requirement"], sample["parameter"], sample["met"]) == (60, "min_sample_size", False)
    assert sample["reason"] == "largest sample size in safety_incidents is 55; rule needs 60"
    assert fit["parameters"] == {"min_sample_size": 60}

    lenient = await create(world.coordinator, with_selection("VTF-2027-50", FALLS, version, {"min_sample_size": 50}))
    fit = await lot_two_fit(world, lenient, product["id"], FALLS)
    assert fit["met"] is True and clause(fit, "min_sample_size")["requirement"] == 50


@pytest.mark.starter_library
@pytest.mark.parametrize("version", [1, 2], ids=["pinned-before-references", "referencing"])
async def test_lot_fit_applies_the_selections_maximum_study_age(world: World, version: int) -> None:
    deadline = date.fromisoformat(spec()["timeline"]["submission_deadline"][:10])
    product = (await world.supplier.post("/api/v1/products", json=GPS_PRODUCT)).json()
    six_years_old = STUDY | {"period_start": str(deadline - timedelta(days=7 * 365)), "period_end": str(deadline - timedelta(days=6 * 365 + 10))}
    await add_evidence(world.supplier, product["id"], six_years_old)
    rendered = await world.coordinator.post(f"/api/v1/modules/{DOSSIER}/versions/{version}/render", json={"parameters": {"max_study_age": 5}})
    assert "within the last 5 years" in rendered.json()["statement"]

    strict = await create(world.coordinator, with_selection("VTF-2027-05", DOSSIER, version, {"max_study_age": 5}))
    fit = await lot_two_fit(world, strict, product["id"], DOSSIER)
    age = clause(fit, "max_age_years")
    assert fit["met"] is False and (age["requirement"], age["parameter"], age["met"]) == (5, "max_study_age", False)

    lenient = await create(world.coordinator, with_selection("VTF-2027-08", DOSSIER, version, {"max_study_age": 8}))
    fit = await lot_two_fit(world, lenient, product["id"], DOSSIER)
    assert fit["met"] is True and clause(fit, "max_age_years")["requirement"] == 8


@pytest.mark.starter_library
async def test_product_fit_takes_parameter_values_per_module(world: World) -> None:
    product = (await world.supplier.post("/api/v1/products", json=GPS_PRODUCT)).json()
    await add_evidence(world.supplier, product["id"], FALLS_STUDY)
    path = f"/api/v1/products/{product['id']}/evidence-fit"

    async def fit(*modules: dict[str, Any]) -> list[dict[str, Any]]:
        response = await world.officers[0].post(path, json={"modules": list(modules), "submission_deadline": days_from_today(90)})
        assert response.status_code == 200, response.text
        return response.json()["modules"]

    strict, default, old_shape = await fit(
        {"key": FALLS, "version": 2, "parameters": {"min_sample_size": 60}},
        {"key": FALLS, "version": 2, "parameters": {}},
        {"key": FALLS, "version": 1},
    )
    assert strict["met"] is False and clause(strict, "min_sample_size")["requirement"] == 60
    assert strict["parameters"] == {"min_sample_size": 60}
    assert default["met"] is True and default["parameters"] == {"min_sample_size": 50}, "a value not given takes the default"
    assert old_shape["met"] is True and clause(old_shape, "min_sample_size")["parameter"] == "min_sample_size"
    [lenient] = await fit({"key": FALLS, "version": 1, "parameters": {"min_sample_size": 55}})
    assert lenient["met"] is True

    bad = [{"key": FALLS, "version": 2, "parameters": {"min_sample_size": 10, "colour": "red"}}]
    body = problem(await world.officers[0].post(path, json={"modules": bad}), 422)
    assert body["errors"] == [
        {"field": "modules[0].parameters.colour", "message": f"{FALLS} version 2: colour is not a parameter of this version"},
        {"field": "modules[0].parameters.min_sample_size", "message": f"{FALLS} version 2: min_sample_size must be at least 20"},
    ]


# --- rendered number and applied threshold are one value (property) ----------------------------------

DEADLINE = date(2027, 3, 1)
DESIGNS = load_catalogue(STARTER).keys("study_designs")
CASES = [
    (module.key, version, field, parameter)
    for module in load_library(STARTER)[1]
    for version in module.versions
    for field, parameter in bindings(version).items()
    if field in ("min_sample_size", "max_age_years")
]


def rendered_number(content: VersionContent, parameter: str, values: dict[str, Any], language: str) -> int:
    """The number the rendered statement shows where the template says ``{parameter}``."""
    parts = PLACEHOLDER.split(content.statement[language])  # text, name, text, name, ..., text
    names = parts[1::2]
    pattern = "".join(re.escape(part) if i % 2 == 0 else r"(\d+)" if part == parameter else "(.+?)" for i, part in enumerate(parts))
    rendered, errors = render(content, language, values)
    assert not errors
    return int(re.fullmatch(pattern, rendered.statement, re.DOTALL).group(names.index(parameter) + 1))


def best_study(content: VersionContent, *, sample_size: int = 100_000, period_end: date = DEADLINE) -> Facts:
    """A study meeting every clause of the version's rule except, perhaps, the size or age given."""
    rule = content.evidence_rule
    domain = rule.outcome_domains[0] if rule.outcome_domains else "safety_incidents"
    return Facts(
        id=uuid4(), title="Study", type=rule.evidence_types[0] if rule.evidence_types else "study", review_state="accepted", study_design=DESIGNS[0],
        outcomes=(OutcomeFacts(domain, sample_size),), period_end=period_end, independent=True,
    )  # fmt: skip


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def test_the_starter_library_binds_sample_sizes_and_ages_in_old_and_new_versions() -> None:
    bound = {(key, version.version, field): parameter for key, version, field, parameter in CASES}
    assert bound[FALLS, 1, "min_sample_size"] == bound[FALLS, 2, "min_sample_size"] == "min_sample_size"
    assert bound[DOSSIER, 1, "max_age_years"] == bound[DOSSIER, 2, "max_age_years"] == "max_study_age"
    assert bound["EVID-MEDICATION-ADHERENCE", 2, "min_sample_size"] == "min_users"
    assert bound["EVID-EVALUATION-EXPERIENCE", 2, "max_age_years"] == "lookback_years"


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_rendered_number_is_the_threshold_the_fit_applies(data: st.DataObject) -> None:
    key, content, field, parameter = data.draw(st.sampled_from(CASES))
    declared = next(p for p in content.parameters if p.name == parameter)
    value = data.draw(st.integers(int(declared.min), int(declared.max)))
    language = data.draw(st.sampled_from(["en", "nb", "sv", "da"]))
    number = rendered_number(content, parameter, {parameter: value}, language)
    subject, errors = bound_subject(key, content.version, content, {parameter: value})
    assert not errors and subject.values[parameter] == number
    context = Context(DESIGNS, DEADLINE)

    def judged(item: Facts) -> tuple[bool, bool]:
        result = evaluate(subject, [item], context)
        return result.met, next(c for c in result.clauses if c.clause == field).met

    if field == "min_sample_size":
        assert judged(best_study(content, sample_size=number)) == (True, True)
        assert judged(best_study(content, sample_size=number - 1)) == (False, False)
    else:
        oldest = years_before(DEADLINE, number)
        assert judged(best_study(content, period_end=oldest)) == (True, True)
        assert judged(best_study(content, period_end=oldest - timedelta(days=1))) == (False, False)


def test_design_independence_and_standard_can_come_from_parameters_too() -> None:
    content = msgspec.convert(
        {
            "kind": "mandatory",
            "title": {"en": "Certified and studied"},
            "rationale": {"en": "Why"},
            "statement": {"en": "A {design} study, independent: {independent}, and a {standard} certificate."},
            "parameters": [
                {"name": "design", "type": "enum", "label": {"en": "Design"}, "default": "controlled_study",
                 "choices": [{"value": d, "label": {"en": d}} for d in ("randomized_controlled_trial", "controlled_study",
                                                                         "controlled_before_after")]},
                {"name": "independent", "type": "boolean", "label": {"en": "Independent"}, "default": False},
                {"name": "standard", "type": "text", "label": {"en": "Standard"}, "default": "ISO/IEC 27001"},
            ],
            "evidence_rule": {
                "min_study_design": {"parameter": "design"},
                "independent_required": {"parameter": "independent"},
                "certificate_standard": {"parameter": "standard"},
            },
        },
        VersionContent,
    )  # fmt: skip
    assert check_content(content, load_catalogue(STARTER), complete=False) == []
    study = best_study(content, sample_size=10)
    subject, _ = bound_subject("TEST-MODULE", 1, content, {"design": "randomized_controlled_trial", "independent": True, "standard": "SS 91100"})
    result = evaluate(
        subject, [msgspec.structs.replace(study, study_design="controlled_study", standard="SS 91100:2020")], Context(DESIGNS, DEADLINE)
    )
    assert {c["clause"]: (c["requirement"], c["parameter"], c["met"]) for c in msgspec.to_builtins(result.clauses)} == {
        "min_study_design": ("randomized_controlled_trial", "design", False),
        "independent_required": (True, "independent", True),
        "certificate_standard": ("SS 91100", "standard", True),
    }
    lenient, _ = bound_subject("TEST-MODULE", 1, content, {})
    assert [c.clause for c in evaluate(lenient, [study], Context(DESIGNS, DEADLINE)).clauses] == ["min_study_design", "certificate_standard"]

    content.parameters[0].choices[2].value = "anecdote"
    assert check_content(content, load_catalogue(STARTER), complete=False) == [
        ("evidence_rule.min_study_design", "parameter design offers 'anecdote', which is not a study design")
    ]
    with pytest.raises(ValueError, match="references parameter design"):
        evaluate(Subject("TEST-MODULE", 1, content.title, content.evidence_rule), [study], Context(DESIGNS, DEADLINE))


# --- the library refuses references that cannot work and literals beside their parameter -------------

FALLS_FILE = f"evidence_of_effect/{FALLS}.toml"


@pytest.fixture
def falls_library(tmp_path: Path) -> Path:
    """A library of the falls module alone, its file holding version 1 (literal) and 2 (referencing)."""
    return library_of(tmp_path, FALLS_FILE)


def rewrite_newest_rule(library: Path, old: str, new: str) -> None:
    path = library / FALLS_FILE
    text = path.read_text()
    head, newest = text.rsplit("[[versions]]", 1)
    assert old in newest
    path.write_text(head + "[[versions]]" + newest.replace(old, new))


def test_the_newest_version_references_its_parameters_and_earlier_ones_may_state_them(falls_library: Path) -> None:
    _, [module] = load_library(falls_library)
    assert [v.version for v in module.versions] == [1, 2]
    assert module.versions[0].evidence_rule.min_sample_size == 50, "version 1 is kept exactly as published"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            'min_sample_size = { parameter = "min_participants" }',
            r"versions\[2\]\.evidence_rule\.min_sample_size: references unknown parameter 'min_participants'",
        ),
        (
            "min_sample_size = 50",
            r'versions\[2\]\.evidence_rule\.min_sample_size: repeats parameter min_sample_size; reference it, \{"parameter": "min_sample_size"\}',
        ),
        (
            'max_age_years = { parameter = "min_sample_size" }',
            r"versions\[2\]\.evidence_rule\.max_age_years: parameter min_sample_size needs a min and a max within 1\.\.100",
        ),
        (
            'independent_required = { parameter = "min_sample_size" }',
            r"independent_required: parameter min_sample_size is integer; independent_required takes boolean",
        ),
    ],
    ids=["unknown-parameter", "literal-twin", "out-of-range", "wrong-type"],
)
def test_import_refuses_rules_that_cannot_apply_the_buyers_value(falls_library: Path, rule: str, message: str) -> None:
    if rule.startswith("min_sample_size"):
        rewrite_newest_rule(falls_library, 'min_sample_size = { parameter = "min_sample_size" }', rule)
    else:
        rewrite_newest_rule(falls_library, "max_age_years = 10", rule)
    with pytest.raises(TemplateError, match=message):
        load_library(falls_library)


def test_a_single_version_stating_its_parameters_value_is_refused(falls_library: Path) -> None:
    path = falls_library / FALLS_FILE
    text = path.read_text()
    path.write_text(text[: text.index("# Version 2")])
    with pytest.raises(TemplateError, match=r"versions\[1\]\.evidence_rule\.min_sample_size: repeats parameter min_sample_size"):
        load_library(falls_library)


ALARM_STUDY_MODULE = {
    "key": "EVID-TEST-ALARM-STUDY",
    "category": "evidence_of_effect",
    "product_categories": ["digital_social_alarm"],
    "content": {
        "kind": "mandatory",
        "title": {"en": "Studied alarms"},
        "rationale": {"en": "Effect, not promises."},
        "statement": {"en": "A study with at least {participants} participants."},
        "parameters": [{"name": "participants", "type": "integer", "label": {"en": "Participants"}, "default": 40, "min": 10, "max": 500}],
        "evidence_rule": {"evidence_types": ["study"], "min_sample_size": {"parameter": "participants"}},
    },
}


@pytest.mark.starter_library
async def test_module_content_through_the_api_is_checked_the_same_way(admin: Api) -> None:
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    created = await editor.post("/api/v1/modules", json=ALARM_STUDY_MODULE)
    assert created.status_code == 201, created.text
    assert created.json()["content"]["evidence_rule"]["min_sample_size"] == {"parameter": "participants"}

    twin = copy.deepcopy(ALARM_STUDY_MODULE) | {"key": "EVID-TEST-TWIN"}
    twin["content"]["parameters"][0]["name"] = "min_sample_size"
    twin["content"]["statement"]["en"] = "A study with at least {min_sample_size} participants."
    twin["content"]["evidence_rule"]["min_sample_size"] = 40
    body = problem(await editor.post("/api/v1/modules", json=twin), 422)
    assert [e["field"] for e in body["errors"]] == ["content.evidence_rule.min_sample_size"]

    unknown = copy.deepcopy(ALARM_STUDY_MODULE) | {"key": "EVID-TEST-UNKNOWN"}
    unknown["content"]["evidence_rule"]["min_sample_size"] = {"parameter": "participant_count"}
    body = problem(await editor.post("/api/v1/modules", json=unknown), 422)
    assert body["errors"] == [{"field": "content.evidence_rule.min_sample_size", "message": "references unknown parameter 'participant_count'"}]


# --- a tender's buyers review the evidence shared with it --------------------------------------------


@pytest.mark.starter_library
async def test_a_confirmed_participant_reviews_confidential_evidence_shared_with_the_tender(world: World) -> None:
    tender = await create(world.coordinator)
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [m["id"] for m in world.members[:2]]})
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    answer = await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{world.members[0]['id']}", json=confirmation([(1, 10)]))
    assert answer.status_code == 200, answer.text
    elsewhere = await create(world.other_coordinator)
    product = (await world.supplier.post("/api/v1/products", json=PRODUCT)).json()
    lasting = {"visibility": "confidential", "tender_ids": [tender["id"]], "valid_until": days_from_today(1200)}
    shared = await add_evidence(world.supplier, product["id"], CERTIFICATE | lasting)
    other = await add_evidence(world.supplier, product["id"], CERTIFICATE | {"visibility": "confidential", "tender_ids": [elsewhere["id"]]})
    reviews = f"/api/v1/tenders/{tender['id']}/evidence/{shared['id']}/reviews"
    rejection = {"outcome": "rejected", "comment": "The certificate's scope excludes the alarm platform."}

    response = await world.officers[0].post(reviews, json=rejection)
    assert response.status_code == 201, response.text
    entry = response.json()
    assert (entry["organization_id"], entry["organization_name"], entry["registry_level"], entry["applies"]) == (
        world.members[0]["id"], "Askøy kommune", False, True,
    )  # fmt: skip

    listed = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/evidence")).json()["items"]
    assert [(i["id"], i["review_state"]) for i in listed] == [(shared["id"], "rejected")], "a confirmed participant's review applies in the tender"
    fit = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/lots/1/evidence-fit")).json()
    iso = next(m for p in fit["products"] for m in p["report"]["modules"] if m["key"] == "SEC-ISO27001-CERTIFICATE")
    assert iso["met"] is False
    supplier_view = (await world.supplier.get(f"/api/v1/evidence/{shared['id']}")).json()
    assert [(r["organization_name"], r["outcome"]) for r in supplier_view["reviews"]] == [("Askøy kommune", "rejected")]

    assert (await world.coordinator.post(reviews, json={"outcome": "accepted"})).status_code == 201, "the lead buyer reviews too"
    assert "confirmed participants" in problem(await world.officers[1].post(reviews, json={"outcome": "accepted"}), 403)["detail"]
    accept = {"outcome": "accepted"}
    not_found(await world.outsider_officer.post(reviews, json=accept), f"no tender {tender['id']}")
    not_found(await world.outsider_officer.post(f"/api/v1/evidence/{shared['id']}/reviews", json=accept), f"no evidence item {shared['id']}")
    not_found(await world.officers[0].post(f"/api/v1/evidence/{shared['id']}/reviews", json=accept), f"no evidence item {shared['id']}")
    not_found(await world.other_coordinator.post(reviews, json=accept), f"no tender {tender['id']}")
    other_reviews = f"/api/v1/tenders/{tender['id']}/evidence/{other['id']}/reviews"
    not_found(await world.officers[0].post(other_reviews, json=accept), f"no evidence item {other['id']}")
