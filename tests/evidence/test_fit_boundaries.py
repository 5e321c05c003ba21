"""Evidence fit at the edges of each rule, on both sides: a sample exactly the minimum and one short of it,
a certificate expiring on the deadline day and the day before, valid from the deadline day and the day
after, a study exactly the maximum age and a day older, the weakest design allowed and the next one down.
Each test asserts the clause's decision and the reason it gives.

Equivalent mutants (kept out of the score in ``tests/mutation.py``):
- ``_standard_key`` joining words with another separator: the rule's and the item's standard are keyed
  alike, so they match exactly when they did before.
- ``cast(Explanation, problem(latest))`` in the validity clause naming another type: ``cast`` only tells
  the type checker (``explain`` runs only when no item holds, so ``problem(latest)`` is never None there).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from registry.evidence.fit import Context, Facts, OutcomeFacts, Subject, bound_subject, evaluate
from registry.requirements.content import EvidenceRule, Parameter, ParameterRef, VersionContent

DESIGNS = ("systematic_review", "randomized_controlled_trial", "controlled_study", "before_after", "observational", "case_series", "expert_opinion")
DEADLINE_DAY = date(2027, 3, 1)
DEADLINE = Context(DESIGNS, DEADLINE_DAY)
DAY = timedelta(days=1)


def study(**fields: object) -> Facts:
    values = {"id": uuid4(), "title": "Study", "type": "study", "review_state": "accepted", "study_design": "randomized_controlled_trial",
              "outcomes": (OutcomeFacts("safety_incidents", 120),), "period_end": date(2024, 6, 30), "independent": True}  # fmt: skip
    return Facts(**(values | fields))  # type: ignore[arg-type]


def certificate(**fields: object) -> Facts:
    values = {"id": uuid4(), "title": "Certificate", "type": "certificate", "review_state": "accepted",
              "standard": "ISO/IEC 27001:2022", "valid_from": date(2024, 5, 1), "valid_until": date(2027, 5, 1)}  # fmt: skip
    return Facts(**(values | fields))  # type: ignore[arg-type]


def fit(rule: EvidenceRule, *items: Facts, context: Context = DEADLINE, parameters: dict[str, str] | None = None):
    return evaluate(Subject("M", 1, {"en": "M"}, rule, parameters or {}), items, context)


def clause_of(rule: EvidenceRule, *items: Facts, context: Context = DEADLINE):
    result = fit(rule, *items, context=context)
    assert len(result.clauses) == 1 + bool(rule.evidence_types)
    return result.clauses[-1]


# sample size: at least the minimum


def test_a_sample_exactly_the_minimum_meets_the_sample_size_rule() -> None:
    found = clause_of(EvidenceRule(min_sample_size=30), study(outcomes=(OutcomeFacts("safety_incidents", 30),)))
    assert found.met and found.requirement == 30 and found.reason is None


def test_a_sample_one_short_of_the_minimum_fails_and_says_the_largest() -> None:
    found = clause_of(EvidenceRule(min_sample_size=30), study(outcomes=(OutcomeFacts("safety_incidents", 29), OutcomeFacts("other", 5))))
    assert not found.met and found.reason == "largest sample size is 29; rule needs 30"


def test_the_sample_size_counts_only_outcomes_in_the_rule_domains() -> None:
    rule = EvidenceRule(outcome_domains=["safety_incidents"], min_sample_size=30)
    item = study(outcomes=(OutcomeFacts("safety_incidents", 10), OutcomeFacts("user_satisfaction", 500)))
    found = fit(rule, item).clauses[1]
    assert found.clause == "min_sample_size" and not found.met
    assert found.reason == "largest sample size in safety_incidents is 10; rule needs 30"


def test_an_item_without_outcomes_says_it_reports_no_sample_size() -> None:
    found = clause_of(EvidenceRule(evidence_types=["study"], min_sample_size=1), study(outcomes=()))
    assert not found.met and found.reason == "no study reports a sample size; rule needs 1"


# certificate validity at the deadline, both ends inclusive


def test_a_certificate_expiring_on_the_deadline_day_is_valid_at_the_deadline() -> None:
    found = clause_of(EvidenceRule(certificate_valid_at_deadline=True), certificate(valid_until=DEADLINE_DAY))
    assert found.met and found.reason is None


def test_a_certificate_expiring_the_day_before_the_deadline_is_not() -> None:
    found = clause_of(EvidenceRule(certificate_valid_at_deadline=True), certificate(valid_until=DEADLINE_DAY - DAY))
    assert not found.met
    assert found.reason == "certificate expires 2027-02-28, before the submission deadline 2027-03-01"


def test_a_certificate_valid_from_the_deadline_day_counts_and_from_the_day_after_does_not() -> None:
    rule = EvidenceRule(certificate_valid_at_deadline=True)
    assert clause_of(rule, certificate(valid_from=DEADLINE_DAY)).met
    late = clause_of(rule, certificate(valid_from=DEADLINE_DAY + DAY))
    assert not late.met and late.reason == "certificate is valid only from 2027-03-02, after the submission deadline 2027-03-01"


def test_a_certificate_without_end_of_validity_fails_but_a_test_report_without_one_passes() -> None:
    rule = EvidenceRule(certificate_valid_at_deadline=True)
    found = clause_of(rule, certificate(valid_until=None))
    assert not found.met and found.reason == "certificate states no end of validity (valid_until)"
    assert clause_of(rule, certificate(type="test_report", valid_until=None)).met


def test_the_validity_reason_speaks_of_the_certificate_lasting_longest() -> None:
    rule = EvidenceRule(certificate_valid_at_deadline=True)
    found = clause_of(rule, certificate(valid_until=date(2026, 1, 1)), certificate(valid_until=None), certificate(valid_until=date(2027, 1, 1)))
    assert found.reason == "certificate expires 2027-01-01, before the submission deadline 2027-03-01"


# age: at most N years before the reference date, counted from the end of the study, else the issue date


def test_a_study_ended_exactly_the_maximum_age_ago_meets_the_age_rule_and_a_day_older_does_not() -> None:
    rule = EvidenceRule(max_age_years=5)
    assert clause_of(rule, study(period_end=date(2022, 3, 1))).met
    old = clause_of(rule, study(period_end=date(2022, 2, 28)))
    assert not old.met and old.reason == "newest item dates from 2022-02-28, more than 5 years before the submission deadline 2027-03-01"


def test_one_year_is_said_in_the_singular() -> None:
    old = clause_of(EvidenceRule(max_age_years=1), study(period_end=date(2026, 2, 28)))
    assert old.reason == "newest item dates from 2026-02-28, more than 1 year before the submission deadline 2027-03-01"


def test_age_counts_from_the_issue_date_when_no_study_period_is_given() -> None:
    rule = EvidenceRule(max_age_years=2)
    assert clause_of(rule, certificate(valid_from=date(2025, 3, 1))).met
    assert not clause_of(rule, certificate(valid_from=date(2025, 2, 28))).met


def test_an_item_without_any_date_fails_the_age_rule_saying_so() -> None:
    found = clause_of(EvidenceRule(evidence_types=["study"], max_age_years=5), study(period_end=None))
    assert not found.met and found.reason == "no study states when it ended (period_end) or was issued (valid_from)"


def test_age_from_29_february_counts_from_28_february() -> None:
    leap = Context(DESIGNS, date(2028, 2, 29), deadline_given=False)
    rule = EvidenceRule(max_age_years=1)
    assert clause_of(rule, study(period_end=date(2027, 2, 28)), context=leap).met
    old = clause_of(rule, study(period_end=date(2027, 2, 27)), context=leap)
    assert not old.met and old.reason == "newest item dates from 2027-02-27, more than 1 year before today, 2028-02-29"


# study design: the minimum itself is enough


def test_the_minimum_study_design_itself_meets_the_rule_and_the_next_weaker_does_not() -> None:
    rule = EvidenceRule(min_study_design="controlled_study")
    assert clause_of(rule, study(study_design="controlled_study")).met
    weaker = clause_of(rule, study(study_design="before_after"))
    assert not weaker.met and weaker.reason == "best study design is before_after; rule needs controlled_study"


def test_the_design_reason_names_the_best_design_stated() -> None:
    rule = EvidenceRule(min_study_design="systematic_review")
    found = clause_of(rule, study(study_design="case_series"), study(study_design="controlled_study"), study(study_design="unknown"))
    assert found.reason == "best study design is controlled_study; rule needs systematic_review"
    none = clause_of(EvidenceRule(evidence_types=["study"], min_study_design="controlled_study"), study(study_design=None))
    assert none.reason == "no study states a study design; rule needs controlled_study"


# standard, independence, domains


def test_a_standard_with_an_edition_suffix_meets_it_and_a_longer_number_does_not() -> None:
    rule = EvidenceRule(certificate_standard="ISO/IEC  27001")
    assert clause_of(rule, certificate(standard="iso/iec 27001:2022")).met
    other = clause_of(rule, certificate(standard="ISO/IEC 270011"), certificate(standard="EN 50134"), certificate(standard=None))
    assert not other.met and other.reason == "no item names standard ISO/IEC  27001 (found: EN 50134, ISO/IEC 270011)"


def test_independence_and_domains_say_what_is_missing() -> None:
    alone = clause_of(EvidenceRule(evidence_types=["study"], independent_required=True), study(independent=False))
    assert not alone.met and alone.reason == "no study is independent of the supplier"
    domains = clause_of(EvidenceRule(outcome_domains=["falls", "safety_incidents"]), study(outcomes=(OutcomeFacts("cost", 3),)))
    assert not domains.met and domains.reason == "no item reports an outcome in falls or safety_incidents (found: cost)"


# how items count


def test_rejected_items_never_count_and_the_reason_counts_them() -> None:
    rule = EvidenceRule(evidence_types=["study"], min_sample_size=10)
    one = fit(rule, study(review_state="rejected"))
    assert not one.met and one.clauses[0].reason == "no evidence of type study; 1 rejected item does not count"
    two = fit(rule, study(review_state="rejected"), study(review_state="rejected"), certificate())
    assert two.clauses[0].reason == "no evidence of type study; 2 rejected items do not count"
    assert fit(EvidenceRule(min_sample_size=10)).clauses[0].reason == "no evidence"


def test_unreviewed_items_count_and_are_marked_and_claims_are_reported() -> None:
    item = study(review_state="unreviewed", module_keys=frozenset({"M"}))
    result = fit(EvidenceRule(min_sample_size=10), item, study(review_state="accepted"))
    refs = {(r.review_state, r.unreviewed, r.claimed) for r in result.qualifying}
    assert refs == {("unreviewed", True, True), ("accepted", False, False)}


def test_clauses_met_by_different_items_name_the_closest_item_and_what_it_fails() -> None:
    rule = EvidenceRule(min_study_design="controlled_study", min_sample_size=100, max_age_years=5)
    strong_small = study(title="Small trial", outcomes=(OutcomeFacts("x", 10),))
    weak_large = study(title="Large survey", study_design="observational", outcomes=(OutcomeFacts("x", 500),), period_end=date(2010, 1, 1))
    result = fit(rule, weak_large, strong_small)
    assert not result.met and all(c.met for c in result.clauses)
    assert result.reason == "no single item meets every clause; closest is 'Small trial', which fails min_sample_size"


def test_a_rule_without_clauses_is_met_by_any_item_and_failed_clauses_are_listed() -> None:
    assert fit(EvidenceRule(), study()).met
    empty = fit(EvidenceRule())
    assert not empty.met and empty.reason == "no evidence"
    result = fit(EvidenceRule(evidence_types=["study"], independent_required=True, min_sample_size=500), study(independent=False))
    assert result.reason == "not met: min_sample_size, independent_required"


def test_each_clause_names_the_parameter_its_requirement_came_from() -> None:
    result = fit(EvidenceRule(min_sample_size=30, max_age_years=5), study(), parameters={"min_sample_size": "min_users"})
    assert [(c.clause, c.parameter) for c in result.clauses] == [("min_sample_size", "min_users"), ("max_age_years", None)]


def test_clauses_state_their_requirement_and_references_say_which_item_and_whether_it_claims_the_module() -> None:
    rule = EvidenceRule(evidence_types=["certificate"], outcome_domains=["falls"], certificate_valid_at_deadline=True)
    item = certificate(title="ISO certificate", outcomes=(OutcomeFacts("falls", 1),), module_keys=frozenset({"M"}))
    result = fit(rule, item)
    assert result.met and (result.key, result.version, result.title) == ("M", 1, {"en": "M"})
    assert [(c.clause, c.requirement) for c in result.clauses] == [
        ("evidence_types", ["certificate"]),
        ("outcome_domains", ["falls"]),
        ("certificate_valid_at_deadline", True),
    ]
    ref = result.clauses[0].items[0]
    assert (ref.id, ref.title, ref.type, ref.claimed) == (item.id, "ISO certificate", "certificate", True)


def test_reasons_list_what_was_found_only_when_something_was() -> None:
    domains = clause_of(EvidenceRule(outcome_domains=["falls"]), study(outcomes=()))
    assert domains.reason == "no item reports an outcome in falls"
    standard = clause_of(EvidenceRule(certificate_standard="EN 50134"), certificate(standard=None))
    assert standard.reason == "no item names standard EN 50134"


def test_a_letter_after_the_standard_number_makes_another_standard() -> None:
    assert not clause_of(EvidenceRule(certificate_standard="ISO/IEC 27001"), certificate(standard="ISO/IEC 27001A")).met


def test_only_rejected_items_of_an_allowed_type_are_counted_as_not_counting() -> None:
    result = fit(EvidenceRule(evidence_types=["study"]), study(review_state="rejected"), certificate(review_state="rejected"))
    assert result.clauses[0].reason == "no evidence of type study; 1 rejected item does not count"


def test_the_closest_item_lists_every_clause_it_fails() -> None:
    rule = EvidenceRule(min_study_design="controlled_study", min_sample_size=100, independent_required=True)
    small = study(title="Small", outcomes=(OutcomeFacts("x", 10),), independent=False)
    large = study(title="Large", study_design="observational", independent=False)
    independent = study(title="Independent", study_design="observational", outcomes=())
    result = fit(rule, small, large, independent)
    assert all(c.met for c in result.clauses)
    assert result.reason == "no single item meets every clause; closest is 'Small', which fails min_sample_size, independent_required"


SIZED = VersionContent(
    kind="mandatory",
    title={"en": "Evidence of effect"},
    rationale={"en": "R"},
    statement={"en": "At least {min_sample_size} users."},
    parameters=[Parameter(name="min_sample_size", type="integer", label={"en": "Users"}, default=30, min=1, max=1000)],
    evidence_rule=EvidenceRule(min_sample_size=ParameterRef("min_sample_size")),
)


def test_a_bound_subject_carries_the_buyers_value_and_names_where_it_came_from() -> None:
    subject, errors = bound_subject("M", 2, SIZED, {"min_sample_size": 50})
    assert errors == [] and subject is not None
    assert (subject.version, subject.title, subject.rule.min_sample_size) == (2, {"en": "Evidence of effect"}, 50)
    assert subject.parameters == {"min_sample_size": "min_sample_size"} and subject.values == {"min_sample_size": 50}


def test_a_bound_subject_with_a_bad_value_names_the_parameter_field() -> None:
    assert bound_subject("M", 2, SIZED, {"min_sample_size": 0}) == (None, [("parameters.min_sample_size", "must be at least 1")])
