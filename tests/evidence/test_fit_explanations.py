"""Every reason of the evidence fit is also a message and its values, so any language can say it: vocabulary
keys are marked as terms (a page shows their labels), dates and numbers stay typed (a page formats them),
and the English ``reason`` is that explanation said in English."""

from __future__ import annotations

from datetime import date

from babel.support import NullTranslations

from registry.evidence.fit import ENGLISH, Context, Speech, said, said_n
from registry.evidence.schemas import Day, Explanation, VocabularyTerms
from registry.requirements.content import EvidenceRule
from registry.web.i18n import Formats
from tests.evidence.test_evidence_fit import DEADLINE, DESIGNS, certificate, clause, judge, study

DEADLINE_SAID = Explanation("the submission deadline %(date)s", {"date": Day(date(2027, 3, 1))})


def designs(*keys: str) -> VocabularyTerms:
    return VocabularyTerms("study_designs", list(keys))


def test_the_design_reason_marks_both_designs_as_study_design_terms() -> None:
    found = clause(judge(EvidenceRule(min_study_design="controlled_study"), study(study_design="case_series")), "min_study_design")
    assert found.explanation == Explanation(
        "best study design is %(design)s; rule needs %(minimum)s", {"design": designs("case_series"), "minimum": designs("controlled_study")}
    )
    assert found.reason == ENGLISH.say(found.explanation) == "best study design is case_series; rule needs controlled_study"


def test_without_evidence_types_the_items_are_called_item_a_message_of_its_own() -> None:
    found = clause(judge(EvidenceRule(min_study_design="controlled_study"), study(study_design=None)), "min_study_design")
    assert found.explanation is not None and found.explanation.values["noun"] == Explanation("item")
    rule = EvidenceRule(evidence_types=["study", "test_report"], independent_required=True)
    typed = clause(judge(rule, study(independent=False)), "independent_required")
    assert typed.explanation == Explanation(
        "no %(noun)s is independent of the supplier", {"noun": VocabularyTerms("document_types", ["study", "test_report"])}
    )


def test_a_sample_size_reason_keeps_the_numbers_whole_and_the_outcome_domains_as_terms() -> None:
    rule = EvidenceRule(outcome_domains=["safety_incidents", "hospital_admissions"], min_sample_size=100)
    found = clause(judge(rule, study(outcomes=())), "min_sample_size")
    assert found.explanation == Explanation(
        "no %(noun)s reports a sample size in %(domains)s; rule needs %(minimum)s",
        {"noun": Explanation("item"), "domains": VocabularyTerms("outcome_domains", ["safety_incidents", "hospital_admissions"]), "minimum": 100},
    )
    smaller = clause(judge(EvidenceRule(min_sample_size=200), study()), "min_sample_size")
    assert smaller.explanation == Explanation("largest sample size is %(largest)s; rule needs %(minimum)s", {"largest": 120, "minimum": 200})


def test_outcome_domains_found_are_listed_all_while_those_asked_for_are_any_one() -> None:
    found = clause(judge(EvidenceRule(outcome_domains=["quality_of_life"]), study()), "outcome_domains")
    assert found.explanation is not None
    assert found.explanation.message == "no %(noun)s reports an outcome in %(domains)s (found: %(found)s)"
    assert found.explanation.values["domains"] == VocabularyTerms("outcome_domains", ["quality_of_life"])
    assert found.explanation.values["found"] == VocabularyTerms("outcome_domains", ["safety_incidents"], any=False)


def test_the_age_reason_is_singular_or_plural_by_the_years_and_keeps_its_dates() -> None:
    old = clause(judge(EvidenceRule(max_age_years=5), study(period_end=date(2020, 6, 30))), "max_age_years")
    assert old.explanation == Explanation(
        "newest %(noun)s dates from %(date)s, more than %(n)s year before %(when)s",
        {"n": 5, "noun": Explanation("item"), "date": Day(date(2020, 6, 30)), "when": DEADLINE_SAID},
        "newest %(noun)s dates from %(date)s, more than %(n)s years before %(when)s",
    )
    today_context = Context(DESIGNS, date(2026, 11, 23), deadline_given=False)
    today = clause(judge(EvidenceRule(max_age_years=1), study(period_end=date(2020, 6, 30)), context=today_context), "max_age_years")
    assert today.explanation is not None and today.explanation.values["when"] == Explanation("today, %(date)s", {"date": Day(date(2026, 11, 23))})
    assert today.reason == "newest item dates from 2020-06-30, more than 1 year before today, 2026-11-23"


def test_the_validity_reason_marks_the_type_and_both_dates() -> None:
    expired = certificate(valid_until=date(2026, 1, 1))
    found = clause(judge(EvidenceRule(certificate_valid_at_deadline=True), expired), "certificate_valid_at_deadline")
    assert found.explanation == Explanation(
        "%(type)s expires %(date)s, before %(when)s",
        {"type": VocabularyTerms("document_types", ["certificate"]), "date": Day(date(2026, 1, 1)), "when": DEADLINE_SAID},
    )


def test_rejected_items_are_counted_in_a_plural_part_of_the_sentence() -> None:
    rejected = [study(review_state="rejected"), study(review_state="rejected")]
    found = clause(judge(EvidenceRule(evidence_types=["study"]), *rejected), "evidence_types")
    assert found.explanation == Explanation(
        "%(reason)s; %(rejected)s",
        {
            "reason": Explanation("no evidence of type %(types)s", {"types": VocabularyTerms("document_types", ["study"])}),
            "rejected": Explanation("%(n)s rejected item does not count", {"n": 2}, "%(n)s rejected items do not count"),
        },
    )
    assert found.reason == "no evidence of type study; 2 rejected items do not count"


def test_the_module_reason_names_the_closest_item_and_the_clauses_it_fails() -> None:
    result = judge(EvidenceRule(min_study_design="controlled_study", min_sample_size=100), study(outcomes=()), study(study_design="case_series"))
    assert result.explanation == Explanation(
        "no single item meets every clause; closest is %(title)r, which fails %(clauses)s", {"title": "Study", "clauses": "min_sample_size"}
    )
    assert result.reason == "no single item meets every clause; closest is 'Study', which fails min_sample_size"
    assert judge(EvidenceRule(min_sample_size=100), study()).explanation is None, "nothing to explain when the rule is met"


NORWEGIAN = {
    "best study design is %(design)s; rule needs %(minimum)s": "sterkeste studiedesign er %(design)s; regelen krever %(minimum)s",
    "%(one)s or %(other)s": "%(one)s eller %(other)s",
    "the submission deadline %(date)s": "tilbudsfristen %(date)s",
    "item": "dokument",
}
NORWEGIAN_PLURALS = {
    "newest %(noun)s dates from %(date)s, more than %(n)s year before %(when)s": "nyeste %(noun)s er fra %(date)s, mer enn %(n)s år før %(when)s",
}
LABELS = {
    ("study_designs", "controlled_study"): "Kontrollert studie", ("study_designs", "case_series"): "Pilot",
    ("study_designs", "observational"): "Observasjonsstudie", ("document_types", "study"): "Studie",
}  # fmt: skip
"""Labels by vocabulary and key: a key means nothing outside its vocabulary."""


class Catalog(NullTranslations):
    """A few messages translated, as a language's catalog would."""

    def gettext(self, message: str) -> str:
        return NORWEGIAN.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return NORWEGIAN_PLURALS.get(singular, singular if n == 1 else plural)


def norwegian() -> Speech:
    catalog, formats = Catalog(), Formats("nb")
    return Speech(catalog.gettext, catalog.ngettext, lambda vocabulary, key: LABELS.get((vocabulary, key), key), formats.date, formats.number)


def test_another_language_says_a_reason_with_its_messages_labels_dates_and_numbers() -> None:
    found = clause(judge(EvidenceRule(min_study_design="controlled_study"), study(study_design="case_series")), "min_study_design")
    assert found.explanation is not None
    assert norwegian().say(found.explanation) == "sterkeste studiedesign er Pilot; regelen krever Kontrollert studie"
    old = clause(judge(EvidenceRule(max_age_years=12), study(period_end=date(2010, 6, 30))), "max_age_years")
    assert old.explanation is not None
    assert norwegian().say(old.explanation) == "nyeste dokument er fra 30. juni 2010, mer enn 12 år før tilbudsfristen 1. mars 2027"
    typed = said("no %(noun)s is independent of the supplier", noun=VocabularyTerms("document_types", ["study"]))
    assert norwegian().say(typed) == "no Studie is independent of the supplier", "the label of the key in its own vocabulary"
    assert norwegian().say(said("largest sample size is %(largest)s; rule needs %(minimum)s", largest=12500, minimum=20000)) == (
        "largest sample size is 12\xa0500; rule needs 20\xa0000"
    ), "numbers as the language writes them, an untranslated message as written"


def test_any_one_of_several_terms_is_said_with_the_languages_or_two_at_a_time() -> None:
    terms = said("no evidence of type %(types)s", types=designs("controlled_study", "case_series", "observational"))
    assert norwegian().say(terms) == "no evidence of type Kontrollert studie eller Pilot eller Observasjonsstudie"
    assert ENGLISH.say(terms) == "no evidence of type controlled_study or case_series or observational"
    listed = said("(found: %(found)s)", found=VocabularyTerms("study_designs", ["controlled_study", "case_series"], any=False))
    assert norwegian().say(listed) == "(found: Kontrollert studie, Pilot)"


def test_explanations_leave_out_missing_values_and_mark_dates() -> None:
    assert said("%(a)s", a="x", b=None) == Explanation("%(a)s", {"a": "x"})
    assert said("%(day)s", day=date(2027, 3, 1)).values == {"day": Day(date(2027, 3, 1))}
    assert said_n("%(n)s thing", "%(n)s things", 3, what="x") == Explanation("%(n)s thing", {"n": 3, "what": "x"}, "%(n)s things")
    assert ENGLISH.say(said_n("%(n)s thing", "%(n)s things", 1)) == "1 thing"


def test_the_deadline_context_is_said_as_a_part_of_the_sentence() -> None:
    assert DEADLINE.when == DEADLINE_SAID
