"""How an evidence rule takes its values from its version's parameters, at the boundaries: which
parameter types each rule field takes, a duration counted in years and nothing else, a referenced
number's declared bounds exactly at the field's limits and one past them, optional parameters with
and without a default, literals beside their twin parameter (refused in a new version, bound in a
superseded one), and the bound rule carrying the buyer's value."""

from __future__ import annotations

from typing import Any

import pytest

from registry.requirements.content import (
    MAX_AGE_YEARS,
    MAX_SAMPLE_SIZE,
    MIN_AGE_YEARS,
    MIN_SAMPLE_SIZE,
    EnumChoice,
    EvidenceRule,
    Parameter,
    ParameterRef,
    VersionContent,
)
from registry.requirements.rules import FIELD_TYPES, bind, bindings, parameter_problem, rule_errors


def parameter(name: str, type: str = "integer", **declared: Any) -> Parameter:
    return Parameter(name=name, type=type, label={"en": name}, **declared)


def content(rule: EvidenceRule | None, *parameters: Parameter) -> VersionContent:
    statement = " ".join(f"{{{p.name}}}" for p in parameters) or "A statement."
    return VersionContent(
        kind="mandatory", title={"en": "Title"}, rationale={"en": "Why"}, statement={"en": statement}, parameters=list(parameters), evidence_rule=rule
    )


def ref(name: str) -> ParameterRef:
    return ParameterRef(parameter=name)


PARTICIPANTS = parameter("participants", default=40, min=10, max=500)
YEARS = parameter("years", "duration", unit="years", default=5, min=1, max=20)
DESIGN = parameter(
    "design",
    "enum",
    default="controlled_study",
    choices=[EnumChoice("controlled_study", {"en": "c"}), EnumChoice("controlled_before_after", {"en": "b"})],
)
INDEPENDENT = parameter("independent", "boolean", default=False)
STANDARD = parameter("standard", "text", default="ISO/IEC 27001")
FITTING = {
    "min_study_design": DESIGN,
    "min_sample_size": PARTICIPANTS,
    "max_age_years": YEARS,
    "independent_required": INDEPENDENT,
    "certificate_valid_at_deadline": INDEPENDENT,
    "certificate_standard": STANDARD,
}


# --- which parameter can give a rule field its value (parameter_problem) -------------------------------


@pytest.mark.parametrize("field", list(FIELD_TYPES))
def test_a_parameter_of_a_type_the_field_takes_with_a_value_fits(field: str) -> None:
    assert parameter_problem(field, FITTING[field]) is None


def test_the_age_field_takes_a_whole_number_of_years_as_an_integer_too() -> None:
    assert parameter_problem("max_age_years", parameter("age", default=5, min=1, max=20)) is None


def test_a_parameter_of_another_type_is_refused_naming_every_type_the_field_takes() -> None:
    assert parameter_problem("max_age_years", parameter("age", "decimal", default=5, min=1, max=20)) == (
        "parameter age is decimal; max_age_years takes integer or duration"
    )
    assert parameter_problem("independent_required", PARTICIPANTS) == "parameter participants is integer; independent_required takes boolean"
    assert parameter_problem("min_sample_size", YEARS) == "parameter years is duration; min_sample_size takes integer"


def test_a_duration_counted_in_anything_but_years_is_refused_naming_its_unit() -> None:
    months = parameter("age", "duration", unit="months", default=60, min=1, max=100)
    assert parameter_problem("max_age_years", months) == "parameter age is a duration in months; max_age_years counts years"
    no_unit = parameter("age", "duration", default=5, min=1, max=20)
    assert parameter_problem("max_age_years", no_unit) == "parameter age is a duration in no unit; max_age_years counts years"


def test_an_integer_parameter_needs_no_unit_to_count_years() -> None:
    assert parameter_problem("max_age_years", parameter("age", default=5, min=1, max=20, unit="months")) is None


@pytest.mark.parametrize(
    ("field", "low", "high"), [("min_sample_size", MIN_SAMPLE_SIZE, MAX_SAMPLE_SIZE), ("max_age_years", MIN_AGE_YEARS, MAX_AGE_YEARS)]
)
def test_declared_bounds_exactly_at_the_fields_limits_fit(field: str, low: int, high: int) -> None:
    assert parameter_problem(field, parameter("n", default=low, min=low, max=high)) is None
    assert parameter_problem(field, parameter("n", default=low, min=low, max=low)) is None
    assert parameter_problem(field, parameter("n", default=high, min=high, max=high)) is None


@pytest.mark.parametrize(
    ("field", "low", "high"), [("min_sample_size", MIN_SAMPLE_SIZE, MAX_SAMPLE_SIZE), ("max_age_years", MIN_AGE_YEARS, MAX_AGE_YEARS)]
)
def test_declared_bounds_one_past_the_fields_limits_or_missing_are_refused_naming_the_limits(field: str, low: int, high: int) -> None:
    message = f"parameter n needs a min and a max within {low}..{high} to set {field}"
    assert parameter_problem(field, parameter("n", default=low, min=low - 1, max=high)) == message
    assert parameter_problem(field, parameter("n", default=high, min=low, max=high + 1)) == message
    assert parameter_problem(field, parameter("n", default=low, max=high)) == message
    assert parameter_problem(field, parameter("n", default=low, min=low)) == message
    assert parameter_problem(field, parameter("n", default=low)) == message


def test_the_limits_are_one_to_a_hundred_years_and_one_to_a_hundred_million_participants() -> None:
    assert (MIN_AGE_YEARS, MAX_AGE_YEARS, MIN_SAMPLE_SIZE, MAX_SAMPLE_SIZE) == (1, 100, 1, 100_000_000)


def test_fields_without_limits_take_parameters_without_bounds() -> None:
    assert parameter_problem("certificate_standard", parameter("standard", "text", default="ISO/IEC 27001")) is None
    assert parameter_problem("independent_required", parameter("independent", "boolean", default=True)) is None


def test_an_optional_parameter_without_default_is_refused_and_one_with_a_default_fits() -> None:
    optional = parameter("participants", required=False, min=10, max=500)
    assert parameter_problem("min_sample_size", optional) == "parameter participants is optional without a default; min_sample_size needs a value"
    assert parameter_problem("min_sample_size", parameter("participants", required=False, default=40, min=10, max=500)) is None
    assert parameter_problem("independent_required", parameter("independent", "boolean", required=False, default=False)) is None


def test_a_required_parameter_without_default_fits_since_the_buyer_must_set_it() -> None:
    assert parameter_problem("min_sample_size", parameter("participants", min=10, max=500)) is None


def test_the_type_is_judged_before_the_unit_the_bounds_and_the_default() -> None:
    assert parameter_problem("min_sample_size", parameter("share", "decimal", required=False)) == (
        "parameter share is decimal; min_sample_size takes integer"
    )
    assert parameter_problem("max_age_years", parameter("age", "duration", unit="days", required=False)) == (
        "parameter age is a duration in days; max_age_years counts years"
    )
    assert (
        parameter_problem("max_age_years", parameter("age", required=False))
        == "parameter age needs a min and a max within 1..100 to set max_age_years"
    )


# --- what a version's rule may say (rule_errors) --------------------------------------------------------


def test_a_version_without_evidence_rule_has_nothing_to_check_or_bind() -> None:
    plain = content(None, PARTICIPANTS)
    assert rule_errors(plain) == [] and bindings(plain) == {}
    assert bind(plain, {"participants": 50}) == (None, [])


def test_references_to_fitting_parameters_are_accepted_for_every_field() -> None:
    rule = EvidenceRule(
        min_study_design=ref("design"), min_sample_size=ref("participants"), max_age_years=ref("years"),
        independent_required=ref("independent"), certificate_valid_at_deadline=ref("independent"), certificate_standard=ref("standard"),
    )  # fmt: skip
    version = content(rule, DESIGN, PARTICIPANTS, YEARS, INDEPENDENT, STANDARD)
    assert rule_errors(version) == []
    assert bindings(version) == {
        "min_study_design": "design", "min_sample_size": "participants", "max_age_years": "years",
        "independent_required": "independent", "certificate_valid_at_deadline": "independent", "certificate_standard": "standard",
    }  # fmt: skip


def test_every_bad_reference_is_reported_at_once_on_its_field() -> None:
    rule = EvidenceRule(min_sample_size=ref("participant_count"), max_age_years=ref("participants"), certificate_standard=ref("participants"))
    assert rule_errors(content(rule, parameter("participants", default=40, min=10, max=500))) == [
        ("evidence_rule.min_sample_size", "references unknown parameter 'participant_count'"),
        ("evidence_rule.max_age_years", "parameter participants needs a min and a max within 1..100 to set max_age_years"),
        ("evidence_rule.certificate_standard", "parameter participants is integer; certificate_standard takes text"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "twin"),
    [
        ("min_sample_size", 40, parameter("min_sample_size", default=40, min=10, max=500)),
        ("min_sample_size", 40, parameter("min_users", default=40, min=10, max=500)),
        ("max_age_years", 5, parameter("max_age_years", default=5, min=1, max=20)),
        ("max_age_years", 5, parameter("max_study_age", default=5, min=1, max=20)),
        ("max_age_years", 5, parameter("lookback_years", "duration", unit="years", default=5, min=1, max=20)),
        ("independent_required", True, parameter("independent_required", "boolean", default=True)),
        ("certificate_standard", "ISO/IEC 27001", parameter("certificate_standard", "text", default="ISO/IEC 27001")),
    ],
    ids=["own-name", "min-users", "age-own-name", "max-study-age", "lookback-years", "boolean", "text"],
)
def test_a_literal_beside_its_twin_parameter_is_refused_in_a_new_version_and_bound_in_a_superseded_one(
    field: str, value: object, twin: Parameter
) -> None:
    version = content(EvidenceRule(**{field: value}), twin)
    assert rule_errors(version) == [
        (
            f"evidence_rule.{field}",
            f'repeats parameter {twin.name}; reference it, {{"parameter": "{twin.name}"}}, so the rule applies the value the buyer sets',
        )
    ]
    assert rule_errors(version, history=True) == [], "a superseded version keeps its literals"
    assert bindings(version) == {field: twin.name}


def test_a_parameter_named_like_the_field_is_its_twin_before_the_other_names() -> None:
    own, other = parameter("max_age_years", default=5, min=1, max=20), parameter("max_study_age", default=8, min=1, max=20)
    version = content(EvidenceRule(max_age_years=5), other, own)
    assert rule_errors(version)[0][1].startswith("repeats parameter max_age_years;")
    assert bindings(version) == {"max_age_years": "max_age_years"}


def test_unset_fields_and_literals_without_a_twin_are_neither_refused_nor_bound() -> None:
    twins = (
        parameter("independent_required", "boolean", default=True),
        parameter("certificate_valid_at_deadline", "boolean", default=True),
        parameter("min_study_design", "enum", default="controlled_before_after", choices=[EnumChoice("controlled_before_after", {"en": "b"})]),
    )
    unset = content(EvidenceRule(evidence_types=["study"]), *twins)
    assert rule_errors(unset) == [] and bindings(unset) == {}
    lonely = content(EvidenceRule(min_sample_size=40, max_age_years=5, independent_required=True), PARTICIPANTS, YEARS)
    assert rule_errors(lonely) == [] and bindings(lonely) == {}


def test_a_superseded_literal_is_bound_only_to_a_twin_that_could_give_its_value() -> None:
    unbounded = parameter("min_sample_size", default=40)
    version = content(EvidenceRule(min_sample_size=40), unbounded)
    assert rule_errors(version, history=True) == [] and bindings(version) == {}
    assert bind(version, {"min_sample_size": 60})[0].rule.min_sample_size == 40, "the literal stands"


def test_references_are_bound_whatever_their_parameter() -> None:
    version = content(EvidenceRule(min_sample_size=ref("participant_count")), PARTICIPANTS)
    assert bindings(version) == {"min_sample_size": "participant_count"}


# --- the bound rule (bind) -------------------------------------------------------------------------------


def test_the_bound_rule_takes_the_buyers_value_and_the_default_for_the_rest() -> None:
    rule = EvidenceRule(evidence_types=["study"], min_sample_size=ref("participants"), max_age_years=ref("years"), certificate_valid_at_deadline=True)
    bound, errors = bind(content(rule, PARTICIPANTS, YEARS), {"participants": 60})
    assert errors == []
    assert bound.rule == EvidenceRule(evidence_types=["study"], min_sample_size=60, max_age_years=5, certificate_valid_at_deadline=True)
    assert bound.parameters == {"min_sample_size": "participants", "max_age_years": "years"}
    assert bound.values == {"participants": 60, "years": 5}


def test_a_superseded_literal_takes_the_buyers_value_of_its_twin() -> None:
    twin = parameter("min_sample_size", default=50, min=20, max=500)
    bound, errors = bind(content(EvidenceRule(min_sample_size=50), twin), {"min_sample_size": 60})
    assert errors == [] and bound.rule.min_sample_size == 60 and bound.parameters == {"min_sample_size": "min_sample_size"}


def test_values_at_the_parameters_bounds_bind_and_one_past_are_refused_on_the_prefixed_field() -> None:
    version = content(EvidenceRule(min_sample_size=ref("participants")), PARTICIPANTS)
    assert bind(version, {"participants": 10})[0].rule.min_sample_size == 10
    assert bind(version, {"participants": 500})[0].rule.min_sample_size == 500
    assert bind(version, {"participants": 9}) == (None, [("parameters.participants", "must be at least 10")])
    assert bind(version, {"participants": 501, "colour": "red"}, prefix="modules[0].parameters") == (
        None,
        [("modules[0].parameters.colour", "is not a parameter of this version"), ("modules[0].parameters.participants", "must be at most 500")],
    )


def test_a_reference_to_an_optional_parameter_left_without_value_stays_unbound() -> None:
    optional = parameter("standard", "text", required=False)
    bound, errors = bind(content(EvidenceRule(certificate_standard=ref("standard")), optional), {})
    assert errors == [] and bound.rule.certificate_standard == ref("standard") and bound.parameters == {} and bound.values == {}
    bound, _ = bind(content(EvidenceRule(certificate_standard=ref("standard")), optional), {"standard": "SS 91100"})
    assert bound.rule.certificate_standard == "SS 91100" and bound.parameters == {"certificate_standard": "standard"}
