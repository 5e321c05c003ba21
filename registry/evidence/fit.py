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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import msgspec

from registry.evidence.schemas import ClauseFit, ItemRef, ModuleFit
from registry.requirements.content import RETIRED_STUDY_DESIGNS, EvidenceRule, LangText, ParameterRef, VersionContent
from registry.requirements.rules import bind


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
    def when(self) -> str:
        return f"the submission deadline {self.reference_date}" if self.deadline_given else f"today, {self.reference_date}"


@dataclass(frozen=True)
class _Clause:
    name: str
    requirement: Any
    holds: Callable[[Facts], bool]
    explain: Callable[[list[Facts]], str] | None = None
    """Why none of the items of an allowed type holds; ``evidence_types`` needs none, as it fails only when there are none."""


def evaluate(subject: Subject, items: Sequence[Facts], context: Context) -> ModuleFit:
    """Judge every clause of ``subject``'s rule against ``items`` (the product's evidence the caller may see)."""
    rule = subject.rule
    typed = [i for i in items if i.review_state != "rejected" and _allowed(rule, i)]
    clauses = _clauses(rule, context)
    results = []
    for clause in clauses:
        hits = [i for i in typed if clause.holds(i)]
        reason = None if hits else clause.explain(typed) if typed and clause.explain else _nothing_of_type(rule, items)
        parameter = subject.parameters.get(clause.name)
        results.append(ClauseFit(clause.name, clause.requirement, bool(hits), _refs(hits, subject.key), reason, parameter))
    qualifying = [i for i in typed if all(c.holds(i) for c in clauses)]
    return ModuleFit(
        key=subject.key,
        version=subject.version,
        title=subject.title,
        met=bool(qualifying),
        qualifying=_refs(qualifying, subject.key),
        reason=None if qualifying else _module_reason(results, clauses, typed),
        clauses=results,
        parameters=subject.values,
    )


def _refs(items: list[Facts], key: str) -> list[ItemRef]:
    return [ItemRef(i.id, i.title, i.type, i.review_state, i.review_state == "unreviewed", key in i.module_keys) for i in items]


def _module_reason(results: list[ClauseFit], clauses: list[_Clause], typed: list[Facts]) -> str:
    failed = [r.clause for r in results if not r.met]
    if failed:
        return f"not met: {', '.join(failed)}"
    if not clauses:
        return "no evidence"
    closest = max(typed, key=lambda i: sum(c.holds(i) for c in clauses))
    misses = ", ".join(c.name for c in clauses if not c.holds(closest))
    return f"no single item meets every clause; closest is {closest.title!r}, which fails {misses}"


def _allowed(rule: EvidenceRule, item: Facts) -> bool:
    return not rule.evidence_types or item.type in rule.evidence_types


def _either(values: Sequence[str]) -> str:
    return " or ".join(values)


def _noun(rule: EvidenceRule) -> str:
    return _either(rule.evidence_types) if rule.evidence_types else "item"


def _nothing_of_type(rule: EvidenceRule, items: Sequence[Facts]) -> str:
    reason = f"no evidence of type {_either(rule.evidence_types)}" if rule.evidence_types else "no evidence"
    rejected = sum(i.review_state == "rejected" and _allowed(rule, i) for i in items)
    if not rejected:
        return reason
    return f"{reason}; {'1 rejected item does' if rejected == 1 else f'{rejected} rejected items do'} not count"


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
        clauses.append(_Clause("independent_required", True, lambda i: i.independent, lambda _: f"no {noun} is independent of the supplier"))
    if _value(rule.certificate_valid_at_deadline):
        clauses.append(_validity_clause(context))
    if standard := _value(rule.certificate_standard):
        clauses.append(_standard_clause(standard, noun))
    return clauses


def _design_clause(minimum: str, designs: Sequence[str], noun: str) -> _Clause:
    rank = {design: position for position, design in enumerate(designs)}  # lower is stronger

    def holds(item: Facts) -> bool:
        return item.study_design in rank and rank[item.study_design] <= rank[minimum]

    def explain(pool: list[Facts]) -> str:
        stated = [i.study_design for i in pool if i.study_design in rank]
        if not stated:
            return f"no {noun} states a study design; rule needs {minimum}"
        return f"best study design is {min(stated, key=rank.__getitem__)}; rule needs {minimum}"

    return _Clause("min_study_design", minimum, holds, explain)


def _domains_clause(domains: list[str], noun: str) -> _Clause:
    wanted = set(domains)

    def explain(pool: list[Facts]) -> str:
        found = sorted({o.domain for i in pool for o in i.outcomes})
        return f"no {noun} reports an outcome in {_either(domains)}" + (f" (found: {', '.join(found)})" if found else "")

    return _Clause("outcome_domains", domains, lambda i: any(o.domain in wanted for o in i.outcomes), explain)


def _sample_clause(minimum: int, domains: list[str], noun: str) -> _Clause:
    where = f" in {_either(domains)}" if domains else ""

    def largest(item: Facts) -> int:
        return max((o.sample_size for o in item.outcomes if not domains or o.domain in domains), default=0)

    def explain(pool: list[Facts]) -> str:
        best = max(map(largest, pool))
        if not best:
            return f"no {noun} reports a sample size{where}; rule needs {minimum}"
        return f"largest sample size{where} is {best}; rule needs {minimum}"

    return _Clause("min_sample_size", minimum, lambda i: largest(i) >= minimum, explain)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_clause(years: int, context: Context, noun: str) -> _Clause:
    oldest_allowed = _years_before(context.reference_date, years)

    def dated(item: Facts) -> date | None:
        return item.period_end or item.valid_from

    def explain(pool: list[Facts]) -> str:
        dates = [d for d in map(dated, pool) if d]
        if not dates:
            return f"no {noun} states when it ended (period_end) or was issued (valid_from)"
        return f"newest {noun} dates from {max(dates)}, more than {years} year{'s' * (years != 1)} before {context.when}"

    return _Clause("max_age_years", years, lambda i: (d := dated(i)) is not None and d >= oldest_allowed, explain)


def _validity_clause(context: Context) -> _Clause:
    day = context.reference_date

    def problem(item: Facts) -> str | None:
        if item.valid_from and item.valid_from > day:
            return f"{item.type} is valid only from {item.valid_from}, after {context.when}"
        if item.valid_until is None:
            return f"{item.type} states no end of validity (valid_until)" if item.type == "certificate" else None
        if item.valid_until < day:
            return f"{item.type} expires {item.valid_until}, before {context.when}"
        return None

    def explain(pool: list[Facts]) -> str:
        latest = max(pool, key=lambda i: (i.valid_until is not None, i.valid_until or date.min))
        return problem(latest) or ""

    return _Clause("certificate_valid_at_deadline", True, lambda i: problem(i) is None, explain)


def _standard_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _standard_clause(standard: str, noun: str) -> _Clause:
    wanted = _standard_key(standard)
    pattern = re.compile(re.escape(wanted) + r"(?![0-9a-z])")

    def holds(item: Facts) -> bool:
        return item.standard is not None and pattern.match(_standard_key(item.standard)) is not None

    def explain(pool: list[Facts]) -> str:
        found = sorted({i.standard for i in pool if i.standard})
        return f"no {noun} names standard {standard}" + (f" (found: {', '.join(found)})" if found else "")

    return _Clause("certificate_standard", standard, holds, explain)
