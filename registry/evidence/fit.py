"""Evidence fit: does a product's evidence meet a module's evidence rule? Pure functions, no database.

The rule judged is bound to the parameter values where it is judged (a tender selection's, or those a
product's fit request names, else the defaults): ``registry.requirements.rules.bind`` puts in every
value that comes from a parameter, the value the statement shows. Each clause says which parameter
its requirement came from.

How the clauses of a rule (``registry.requirements.content.EvidenceRule``) combine:

- ``evidence_types`` is met by any item of one of the types that is not rejected.
- Every other clause tests one item at a time and is judged only on items of an allowed type (on
  all items when the rule names no type); it is met when one such item passes it.
- The rule is met when one item passes every clause at once (the ``qualifying`` items). An old
  controlled study and a recent small before-after study do not add up to a recent controlled
  study, so clauses met by different items are not enough; the module's ``reason`` says so.
- Rejected items never count. Every other item counts, and the references to it carry its review
  state (``unreviewed: true`` until an applicable review, or again after the supplier edited it).
  Which reviews apply (the caller's organization's, a tender's buyers', registry-level ones) is
  decided before: ``registry.evidence.reviews``.
- ``min_sample_size`` looks at the outcomes in the rule's ``outcome_domains`` when it names any,
  at all outcomes otherwise.
- ``max_age_years`` counts from when a study ended (``period_end``), else from when the item was
  issued (``valid_from``); an item with neither date fails it.
- ``certificate_valid_at_deadline``: a certificate must state a ``valid_until`` on or after the
  reference date (and no ``valid_from`` after it). Other types fail it only when they state a
  validity that does not cover the date, so a rule accepting "certificate or test report" can be
  met by a test report.
- ``certificate_standard`` matches the item's ``standard`` case-insensitively and ignores an
  edition suffix: ``ISO/IEC 27001:2022`` meets ``ISO/IEC 27001``, ``ISO/IEC 270011`` does not.

Every reason is an ``Explanation``: an English gettext message and its values, vocabulary keys marked
as ``VocabularyTerms`` and dates and numbers kept typed, so the web interface says it in the reader's language
(``Speech``). The English ``reason`` strings are the same explanations said in English. The web
interface's message extraction reads this module's ``said`` and ``said_n`` calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any, TypeVar, cast
from uuid import UUID

import msgspec

from registry.evidence.schemas import ClauseFit, Day, Explanation, ItemRef, ModuleFit, VocabularyTerms
from registry.requirements.content import RETIRED_STUDY_DESIGNS, EvidenceRule, LangText, ParameterRef, VersionContent
from registry.requirements.rules import bind


def _marked(values: dict[str, Any]) -> dict[str, Any]:
    """A message's values as an explanation holds them: None values left out, dates marked."""
    return {name: Day(value) if isinstance(value, date) else value for name, value in values.items() if value is not None}


def said(message: str, **values: Any) -> Explanation:
    """An explanation: ``message`` with its placeholders' ``values``."""
    return Explanation(message, _marked(values))


def said_n(singular: str, plural: str, n: int, **values: Any) -> Explanation:
    """An explanation said in the singular or a plural form by the number ``n``."""
    return Explanation(singular, _marked({"n": n, **values}), plural)


EITHER = said("%(one)s or %(other)s")
"""How terms that any one of will do are joined, two at a time."""


@dataclass(frozen=True)
class Speech:
    """How a language says an explanation: its messages, vocabulary labels, dates and numbers."""

    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    term: Callable[[str, str], str]
    """A vocabulary's key as said: (vocabulary, key) -> label."""
    day: Callable[[date], str]
    number: Callable[[int], str]

    def say(self, explanation: Explanation) -> str:
        message, plural, values = explanation.message, explanation.plural, explanation.values
        words = self.gettext(message) if plural is None else self.ngettext(message, plural, cast(int, values["n"]))
        return words % {name: self._value(value) for name, value in values.items()}

    def _value(self, value: str | int | Day | VocabularyTerms | Explanation) -> str:
        if isinstance(value, Explanation):
            return self.say(value)
        if isinstance(value, VocabularyTerms):
            labels = [self.term(value.vocabulary, key) for key in value.keys]
            if not value.any:
                return ", ".join(labels)
            return reduce(lambda one, other: self.say(said(EITHER.message, one=one, other=other)), labels)
        if isinstance(value, Day):
            return self.day(value.date)
        if isinstance(value, int):
            return self.number(value)
        return value


ENGLISH = Speech(str, lambda singular, plural, n: singular if n == 1 else plural, lambda _, key: key, date.isoformat, str)
"""The API's ``reason``: messages as written, vocabulary keys, ISO dates."""


def _english(explanation: Explanation | None) -> str | None:
    return None if explanation is None else ENGLISH.say(explanation)


class OutcomeFacts(msgspec.Struct, frozen=True):
    domain: str
    sample_size: int


class Facts(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules look at in one evidence item."""

    id: UUID
    title: str
    type: str
    review_state: str
    study_design: str | None = None
    outcomes: tuple[OutcomeFacts, ...] = ()
    period_end: date | None = None
    independent: bool = False
    standard: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    module_keys: frozenset[str] = frozenset()


class Subject(msgspec.Struct, frozen=True):
    """A module version with its evidence rule bound to parameter values (no ``ParameterRef`` left)."""

    key: str
    version: int
    title: LangText
    rule: EvidenceRule
    parameters: dict[str, str] = {}
    """Rule field -> the parameter its value came from."""
    values: dict[str, Any] = {}
    """The version's parameter values the rule was bound with."""


def bound_subject(
    key: str, version: int, content: VersionContent, values: dict[str, Any], *, prefix: str = "parameters"
) -> tuple[Subject | None, list[tuple[str, str]]]:
    """``content``'s evidence rule bound to these parameter values, or the values' errors (None without a rule)."""
    bound, errors = bind(content, values, prefix=prefix)
    if bound is None:
        return None, errors
    return Subject(key, version, content.title, bound.rule, bound.parameters, bound.values), []


@dataclass(frozen=True)
class Context:
    study_designs: Sequence[str]
    """The catalogue's study designs, strongest first."""
    reference_date: date
    deadline_given: bool = True

    @property
    def when(self) -> Explanation:
        day = self.reference_date
        return said("the submission deadline %(date)s", date=day) if self.deadline_given else said("today, %(date)s", date=day)


@dataclass(frozen=True)
class _Clause:
    name: str
    requirement: Any
    holds: Callable[[Facts], bool]
    explain: Callable[[list[Facts]], Explanation] | None = None
    """Why none of the items of an allowed type holds; ``evidence_types`` needs none, as it fails only when there are none."""


def evaluate(subject: Subject, items: Sequence[Facts], context: Context) -> ModuleFit:
    """Judge every clause of ``subject``'s rule against ``items`` (the product's evidence the caller may see)."""
    rule = subject.rule
    typed = [i for i in items if i.review_state != "rejected" and _allowed(rule, i)]
    clauses = _clauses(rule, context)
    results = []
    for clause in clauses:
        hits = [i for i in typed if clause.holds(i)]
        why = None if hits else clause.explain(typed) if typed and clause.explain else _nothing_of_type(rule, items)
        parameter = subject.parameters.get(clause.name)
        results.append(ClauseFit(clause.name, clause.requirement, bool(hits), _refs(hits, subject.key), _english(why), parameter, why))
    qualifying = [i for i in typed if all(c.holds(i) for c in clauses)]
    why = None if qualifying else _module_reason(results, clauses, typed)
    return ModuleFit(
        key=subject.key,
        version=subject.version,
        title=subject.title,
        met=bool(qualifying),
        qualifying=_refs(qualifying, subject.key),
        reason=_english(why),
        clauses=results,
        parameters=subject.values,
        explanation=why,
    )


def _refs(items: list[Facts], key: str) -> list[ItemRef]:
    return [ItemRef(i.id, i.title, i.type, i.review_state, i.review_state == "unreviewed", key in i.module_keys) for i in items]


def _module_reason(results: list[ClauseFit], clauses: list[_Clause], typed: list[Facts]) -> Explanation:
    failed = [r.clause for r in results if not r.met]
    if failed:
        return said("not met: %(clauses)s", clauses=", ".join(failed))
    if not clauses:
        return said("no evidence")
    closest = max(typed, key=lambda i: sum(c.holds(i) for c in clauses))
    misses = ", ".join(c.name for c in clauses if not c.holds(closest))
    return said("no single item meets every clause; closest is %(title)r, which fails %(clauses)s", title=closest.title, clauses=misses)


def _allowed(rule: EvidenceRule, item: Facts) -> bool:
    return not rule.evidence_types or item.type in rule.evidence_types


def _types(rule: EvidenceRule) -> VocabularyTerms:
    return VocabularyTerms("document_types", list(rule.evidence_types))


Noun = VocabularyTerms | Explanation
"""What the items a clause looks at are called: the rule's evidence types, else "item"."""


def _noun(rule: EvidenceRule) -> Noun:
    return _types(rule) if rule.evidence_types else said("item")


def _nothing_of_type(rule: EvidenceRule, items: Sequence[Facts]) -> Explanation:
    reason = said("no evidence of type %(types)s", types=_types(rule)) if rule.evidence_types else said("no evidence")
    rejected = sum(i.review_state == "rejected" and _allowed(rule, i) for i in items)
    if not rejected:
        return reason
    counted = said_n("%(n)s rejected item does not count", "%(n)s rejected items do not count", rejected)
    return said("%(reason)s; %(rejected)s", reason=reason, rejected=counted)


V = TypeVar("V")


def _value(stated: V | ParameterRef) -> V:
    """A value of a bound rule: ``registry.requirements.rules.bind`` replaced every parameter reference."""
    if isinstance(stated, ParameterRef):
        raise ValueError(f"the rule still references parameter {stated.parameter}; bind it to parameter values first")
    return stated


def _clauses(rule: EvidenceRule, context: Context) -> list[_Clause]:
    """One clause per field the rule sets, in the rule's field order."""
    noun = _noun(rule)
    clauses = []
    if rule.evidence_types:
        types = set(rule.evidence_types)
        clauses.append(_Clause("evidence_types", rule.evidence_types, lambda i: i.type in types))
    if design := _value(rule.min_study_design):
        clauses.append(_design_clause(RETIRED_STUDY_DESIGNS.get(design, design), context.study_designs, noun))
    if rule.outcome_domains:
        clauses.append(_domains_clause(rule.outcome_domains, noun))
    if (sample_size := _value(rule.min_sample_size)) is not None:
        clauses.append(_sample_clause(sample_size, rule.outcome_domains, noun))
    if (years := _value(rule.max_age_years)) is not None:
        clauses.append(_age_clause(years, context, noun))
    if _value(rule.independent_required):
        clauses.append(
            _Clause("independent_required", True, lambda i: i.independent, lambda _: said("no %(noun)s is independent of the supplier", noun=noun))
        )
    if _value(rule.certificate_valid_at_deadline):
        clauses.append(_validity_clause(context))
    if standard := _value(rule.certificate_standard):
        clauses.append(_standard_clause(standard, noun))
    return clauses


def _design_clause(minimum: str, designs: Sequence[str], noun: Noun) -> _Clause:
    rank = {design: position for position, design in enumerate(designs)}  # lower is stronger

    def holds(item: Facts) -> bool:
        return item.study_design in rank and rank[item.study_design] <= rank[minimum]

    def design(key: str) -> VocabularyTerms:
        return VocabularyTerms("study_designs", [key])

    def explain(pool: list[Facts]) -> Explanation:
        stated = [i.study_design for i in pool if i.study_design in rank]
        if not stated:
            return said("no %(noun)s states a study design; rule needs %(minimum)s", noun=noun, minimum=design(minimum))
        best = design(min(stated, key=rank.__getitem__))
        return said("best study design is %(design)s; rule needs %(minimum)s", design=best, minimum=design(minimum))

    return _Clause("min_study_design", minimum, holds, explain)


def _domains_clause(domains: list[str], noun: Noun) -> _Clause:
    wanted = set(domains)

    def explain(pool: list[Facts]) -> Explanation:
        found = sorted({o.domain for i in pool for o in i.outcomes})
        values = {"noun": noun, "domains": VocabularyTerms("outcome_domains", domains)}
        if not found:
            return said("no %(noun)s reports an outcome in %(domains)s", **values)
        listed = VocabularyTerms("outcome_domains", found, any=False)
        return said("no %(noun)s reports an outcome in %(domains)s (found: %(found)s)", **values, found=listed)

    return _Clause("outcome_domains", domains, lambda i: any(o.domain in wanted for o in i.outcomes), explain)


def _sample_clause(minimum: int, domains: list[str], noun: Noun) -> _Clause:
    def largest(item: Facts) -> int:
        return max((o.sample_size for o in item.outcomes if not domains or o.domain in domains), default=0)

    def explain(pool: list[Facts]) -> Explanation:
        best = max(map(largest, pool))
        within = VocabularyTerms("outcome_domains", domains)
        if not best and domains:
            return said("no %(noun)s reports a sample size in %(domains)s; rule needs %(minimum)s", noun=noun, domains=within, minimum=minimum)
        if not best:
            return said("no %(noun)s reports a sample size; rule needs %(minimum)s", noun=noun, minimum=minimum)
        if domains:
            return said("largest sample size in %(domains)s is %(largest)s; rule needs %(minimum)s", domains=within, largest=best, minimum=minimum)
        return said("largest sample size is %(largest)s; rule needs %(minimum)s", largest=best, minimum=minimum)

    return _Clause("min_sample_size", minimum, lambda i: largest(i) >= minimum, explain)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_clause(years: int, context: Context, noun: Noun) -> _Clause:
    oldest_allowed = _years_before(context.reference_date, years)

    def dated(item: Facts) -> date | None:
        return item.period_end or item.valid_from

    def explain(pool: list[Facts]) -> Explanation:
        dates = [d for d in map(dated, pool) if d]
        if not dates:
            return said("no %(noun)s states when it ended (period_end) or was issued (valid_from)", noun=noun)
        return said_n(
            "newest %(noun)s dates from %(date)s, more than %(n)s year before %(when)s",
            "newest %(noun)s dates from %(date)s, more than %(n)s years before %(when)s",
            years, noun=noun, date=max(dates), when=context.when,
        )  # fmt: skip

    return _Clause("max_age_years", years, lambda i: (d := dated(i)) is not None and d >= oldest_allowed, explain)


def _validity_clause(context: Context) -> _Clause:
    day = context.reference_date

    def problem(item: Facts) -> Explanation | None:
        kind = VocabularyTerms("document_types", [item.type])
        if item.valid_from and item.valid_from > day:
            return said("%(type)s is valid only from %(date)s, after %(when)s", type=kind, date=item.valid_from, when=context.when)
        if item.valid_until is None:
            return said("%(type)s states no end of validity (valid_until)", type=kind) if item.type == "certificate" else None
        if item.valid_until < day:
            return said("%(type)s expires %(date)s, before %(when)s", type=kind, date=item.valid_until, when=context.when)
        return None

    def explain(pool: list[Facts]) -> Explanation:
        latest = max(pool, key=lambda i: (i.valid_until is not None, i.valid_until or date.min))
        return cast(Explanation, problem(latest))  # explain runs only when no item holds, so the latest has a problem

    return _Clause("certificate_valid_at_deadline", True, lambda i: problem(i) is None, explain)


def _standard_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _standard_clause(standard: str, noun: Noun) -> _Clause:
    wanted = _standard_key(standard)
    pattern = re.compile(re.escape(wanted) + r"(?![0-9a-z])")

    def holds(item: Facts) -> bool:
        return item.standard is not None and pattern.match(_standard_key(item.standard)) is not None

    def explain(pool: list[Facts]) -> Explanation:
        found = sorted({i.standard for i in pool if i.standard})
        if not found:
            return said("no %(noun)s names standard %(standard)s", noun=noun, standard=standard)
        return said("no %(noun)s names standard %(standard)s (found: %(found)s)", noun=noun, standard=standard, found=", ".join(found))

    return _Clause("certificate_standard", standard, holds, explain)
