"""The pure evidence-fit evaluation: each clause, how clauses combine, and the reasons given."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from registry.evidence.fit import Context, Facts, OutcomeFacts, Subject, evaluate
from registry.requirements.content import EvidenceRule

DESIGNS = (
    "systematic_review", "randomized_controlled_trial", "controlled_study", "controlled_before_after", "observational",
    "uncontrolled_before_after", "case_series", "expert_opinion",
)  # fmt: skip
DEADLINE = Context(DESIGNS, date(2027, 3, 1))
TODAY = Context(DESIGNS, date(2026, 11, 23), deadline_given=False)


def study(**fields: object) -> Facts:
    values = {
        "id": uuid4(),
        "title": "Study",
        "type": "study",
        "review_state": "accepted",
        "study_design": "randomized_controlled_trial",
        "outcomes": (OutcomeFacts("safety_incidents", 120),),
        "period_end": date(2024, 6, 30),
        "independent": True,
    }
    return Facts(**(values | fields))  # type: ignore[arg-type]


def certificate(**fields: object) -> Facts:
    values = {"id": uuid4(), "title": "Certificate", "type": "certificate", "review_state": "accepted",
              "standard": "ISO/IEC 27001:2022", "valid_from": date(2024, 5, 1), "valid_until": date(2027, 5, 1)}  # fmt: skip
    return Facts(**(values | fields))  # type: ignore[arg-type]


def judge(rule: EvidenceRule, *items: Facts, context: Context = DEADLINE):
    return evaluate(Subject("TEST-MODULE", 1, {"en": "Test"}, rule), items, context)


def clause(result, name: str):
    return next(c for c in result.clauses if c.clause == name)


CONTROLLED = EvidenceRule(evidence_types=["study"], min_study_design="controlled_study", min_sample_size=30, max_age_years=8)


def test_a_rule_of_an_older_version_asking_for_before_after_reads_it_as_uncontrolled() -> None:
    """Older module versions asked for at least a before-after study, which admitted uncontrolled ones."""
    older = EvidenceRule(min_study_design="before_after")
    for design in ("controlled_before_after", "observational", "uncontrolled_before_after"):
        assert judge(older, study(study_design=design)).met, design
    weaker = judge(older, study(study_design="case_series"))
    assert clause(weaker, "min_study_design").reason == "best study design is case_series; rule needs uncontrolled_before_after"


def test_every_clause_met_by_one_item() -> None:
    item = study()
    result = judge(CONTROLLED, item)
    assert result.met and result.reason is None
    assert [c.clause for c in result.clauses] == ["evidence_types", "min_study_design", "min_sample_size", "max_age_years"]
    assert all(c.met and [r.id for r in c.items] == [item.id] for c in result.clauses)
    assert [r.id for r in result.qualifying] == [item.id]


def test_study_design_is_judged_on_the_ordered_scale() -> None:
    assert judge(CONTROLLED, study(study_design="systematic_review")).met
    result = judge(CONTROLLED, study(study_design="controlled_before_after"), study(study_design="case_series"))
    assert clause(result, "min_study_design").reason == "best study design is controlled_before_after; rule needs controlled_study"
    assert result.reason == "not met: min_study_design"
    result = judge(CONTROLLED, study(study_design=None))
    assert clause(result, "min_study_design").reason == "no study states a study design; rule needs controlled_study"


def test_clauses_are_judged_on_items_of_an_allowed_type() -> None:
    report = study(type="user_survey", study_design="systematic_review")
    result = judge(CONTROLLED, report)
    assert not result.met
    assert all(c.reason == "no evidence of type study" for c in result.clauses)


def test_clauses_met_by_different_items_do_not_make_the_rule() -> None:
    old_rct = study(title="Old RCT", period_end=date(2005, 1, 1))
    small_recent = study(title="Recent pilot", study_design="case_series", outcomes=(OutcomeFacts("staff_time", 8),))
    result = judge(CONTROLLED, old_rct, small_recent)
    assert all(c.met for c in result.clauses) and not result.met and result.qualifying == []
    assert result.reason == "no single item meets every clause; closest is 'Old RCT', which fails max_age_years"


def test_sample_size_counts_the_outcomes_in_the_rules_domains() -> None:
    rule = EvidenceRule(evidence_types=["study"], outcome_domains=["safety_incidents"], min_sample_size=50)
    item = study(outcomes=(OutcomeFacts("satisfaction", 500), OutcomeFacts("safety_incidents", 20)))
    result = judge(rule, item)
    assert clause(result, "outcome_domains").met and not clause(result, "min_sample_size").met
    assert clause(result, "min_sample_size").reason == "largest sample size in safety_incidents is 20; rule needs 50"
    assert judge(EvidenceRule(min_sample_size=50), item).met, "without domains every outcome counts"
    result = judge(EvidenceRule(evidence_types=["study"], outcome_domains=["travel", "staff_time"]), item)
    assert clause(result, "outcome_domains").reason == "no study reports an outcome in travel or staff_time (found: safety_incidents, satisfaction)"


def test_age_counts_from_the_end_of_the_study_or_the_issue_date() -> None:
    rule = EvidenceRule(evidence_types=["study"], max_age_years=8)
    assert judge(rule, study(period_end=date(2019, 3, 1))).met, "exactly eight years before the deadline"
    result = judge(rule, study(period_end=date(2019, 2, 28)), study(period_end=date(2010, 1, 1)))
    assert clause(result, "max_age_years").reason == "newest study dates from 2019-02-28, more than 8 years before the submission deadline 2027-03-01"
    result = judge(rule, study(period_end=None))
    assert clause(result, "max_age_years").reason == "no study states when it ended (period_end) or was issued (valid_from)"
    declaration = EvidenceRule(evidence_types=["declaration"], max_age_years=1)
    assert judge(declaration, certificate(type="declaration", valid_from=date(2026, 6, 1))).met
    result = judge(declaration, certificate(type="declaration", valid_from=date(2024, 6, 1)), context=TODAY)
    assert clause(result, "max_age_years").reason == "newest declaration dates from 2024-06-01, more than 1 year before today, 2026-11-23"


def test_independence() -> None:
    rule = EvidenceRule(evidence_types=["study"], independent_required=True)
    result = judge(rule, study(independent=False))
    assert clause(result, "independent_required").reason == "no study is independent of the supplier"


ISO = EvidenceRule(evidence_types=["certificate"], certificate_valid_at_deadline=True, certificate_standard="ISO/IEC 27001")


def test_certificate_validity_at_the_deadline() -> None:
    assert judge(ISO, certificate()).met
    result = judge(ISO, certificate(valid_until=date(2026, 5, 1)), certificate(valid_until=date(2025, 1, 1)))
    assert clause(result, "certificate_valid_at_deadline").reason == "certificate expires 2026-05-01, before the submission deadline 2027-03-01"
    result = judge(ISO, certificate(valid_from=date(2027, 6, 1), valid_until=date(2030, 1, 1)))
    assert (
        clause(result, "certificate_valid_at_deadline").reason
        == "certificate is valid only from 2027-06-01, after the submission deadline 2027-03-01"
    )
    result = judge(ISO, certificate(valid_until=None))
    assert clause(result, "certificate_valid_at_deadline").reason == "certificate states no end of validity (valid_until)"
    assert judge(ISO, certificate(valid_until=date(2026, 12, 1)), context=TODAY).met


def test_a_rule_accepting_certificate_or_test_report_is_met_by_a_test_report() -> None:
    rule = EvidenceRule(evidence_types=["certificate", "test_report"], certificate_valid_at_deadline=True, certificate_standard="SS 91100")
    report = certificate(type="test_report", standard="SS 91100:2014", valid_from=None, valid_until=None)
    assert judge(rule, report).met
    assert not judge(rule, certificate(type="test_report", standard="SS 91100", valid_until=date(2026, 1, 1))).met


def test_standard_matches_ignoring_case_and_edition() -> None:
    assert judge(ISO, certificate(standard="iso/iec  27001")).met
    result = judge(ISO, certificate(standard="ISO/IEC 270011"), certificate(standard="ISO 9001:2015"))
    assert clause(result, "certificate_standard").reason == "no certificate names standard ISO/IEC 27001 (found: ISO 9001:2015, ISO/IEC 270011)"


def test_rejected_items_never_count_and_unreviewed_ones_are_marked() -> None:
    rejected, unreviewed = study(review_state="rejected"), study(review_state="unreviewed", module_keys=frozenset({"TEST-MODULE"}))
    result = judge(CONTROLLED, rejected)
    assert not result.met and clause(result, "evidence_types").reason == "no evidence of type study; 1 rejected item does not count"
    result = judge(CONTROLLED, rejected, rejected, unreviewed)
    assert result.met and [(r.id, r.unreviewed, r.claimed) for r in result.qualifying] == [(unreviewed.id, True, True)]
    assert judge(CONTROLLED, study(review_state="clarification_needed")).qualifying[0].unreviewed is False


def test_a_rule_without_types_judges_every_item_and_nothing_is_no_evidence() -> None:
    rule = EvidenceRule(min_study_design="observational")
    assert judge(rule, certificate(study_design="observational")).met
    result = judge(rule)
    assert not result.met and clause(result, "min_study_design").reason == "no evidence"


@given(
    st.lists(st.sampled_from(DESIGNS + (None,)), max_size=6),
    st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=6),
)
def test_adding_rejected_items_never_changes_the_verdict(designs: list[str | None], sizes: list[int]) -> None:
    items = [
        study(id=UUID(int=n + 1), study_design=d, outcomes=(OutcomeFacts("staff_time", s),))
        for n, (d, s) in enumerate(zip(designs, sizes, strict=False))
    ]
    noise = [study(review_state="rejected", study_design="systematic_review", outcomes=(OutcomeFacts("staff_time", 10_000),))]
    before, after = judge(CONTROLLED, *items), judge(CONTROLLED, *items, *noise)
    assert before.met == after.met and before.qualifying == after.qualifying
    assert [c.met for c in before.clauses] == [c.met for c in after.clauses]
