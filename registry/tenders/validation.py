"""Checks of a tender's specification: on every save, and the stricter ones before publication.

Every problem is collected, named by its path (``lots[1].selections[3].weight``), and reported at once.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from registry.requirements.content import Kind
from registry.requirements.rendering import resolve_values
from registry.requirements.schemas import PinnedVersion
from registry.schemas import money_problem
from registry.tenders import schemas
from registry.tenders.cpv import cpv_problem

FieldError = tuple[str, str]
Pinned = dict[tuple[str, int], PinnedVersion]
SWITCHABLE_KINDS = frozenset({"mandatory", "award"})
FRAMEWORK_MONTHS = 48
"""A framework agreement runs at most four years, options included, save in exceptional cases the buyer justifies (Directive 2014/24/EU art. 33)."""


def same_weight(a: float, b: float) -> bool:
    """Weights are percentage points; sums of a few decimals are compared to a hundredth."""
    return abs(a - b) < 0.005


def effective_kind(selection: schemas.SelectionIn, module_kind: Kind) -> Kind:
    return selection.kind or module_kind


def spec_errors(spec: schemas.TenderSpec, pinned: Pinned, product_categories: list[str], grounds: list[str]) -> list[FieldError]:
    """Problems that make a specification unusable even as a draft; ``grounds`` are the keys of the
    discretionary exclusion grounds of the lead buyer's country."""
    errors = [(f"cpv_codes[{i}]", p) for i, code in enumerate(spec.cpv_codes) if (p := cpv_problem(code))]
    if spec.estimated_value is not None and (problem := money_problem(spec.estimated_value)):
        errors.append(("estimated_value", problem))
    errors += terms_errors(spec.terms, grounds)
    for i, lot in enumerate(spec.lots):
        errors += lot_errors(f"lots[{i}]", lot, pinned, product_categories)
    return errors


def lot_errors(where: str, lot: schemas.LotIn, pinned: Pinned, product_categories: list[str]) -> list[FieldError]:
    """Problems of one lot: its own fields and every selection."""
    errors = lot_field_errors(where, lot, product_categories)
    first: dict[str, int] = {}
    for j, selection in enumerate(lot.selections):
        errors += selection_errors(f"{where}.selections[{j}]", selection, pinned)
        if (earlier := first.setdefault(selection.module_key, j)) != j:
            errors.append((f"{where}.selections[{j}].module_key", twice(selection.module_key, f"selection {earlier + 1}")))
    return errors


def twice(key: str, earlier: str) -> str:
    """Why a module may not be selected again in a lot: one requirement, one answer, one score."""
    return f"{key} is already selected in this lot, at {earlier}"


def terms_errors(terms: schemas.Terms, grounds: list[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    if terms.agreement == "framework" and terms.framework is None:
        errors.append(("terms.framework", "a framework agreement states its number of suppliers and how contracts are called off"))
    if terms.agreement == "contract" and terms.framework is not None:
        errors.append(("terms.framework", "only a framework agreement has framework terms; set agreement to framework or leave them out"))
    if terms.lots_per_bid and terms.max_lots_awarded and terms.max_lots_awarded > terms.lots_per_bid:
        most = f"a supplier may bid for at most {terms.lots_per_bid} lots"
        errors.append(("terms.max_lots_awarded", f"{most}, so cannot be awarded {terms.max_lots_awarded}"))
    for i, key in enumerate(terms.discretionary_grounds or []):
        if key not in grounds:
            known = ", ".join(grounds)
            errors.append((f"terms.discretionary_grounds[{i}]", f"unknown exclusion ground {key!r}; the lead buyer's country has {known}"))
    return errors


def lot_field_errors(where: str, lot: schemas.LotIn, product_categories: list[str]) -> list[FieldError]:
    errors = [
        (f"{where}.product_categories[{j}]", f"unknown product category {pc!r}")
        for j, pc in enumerate(lot.product_categories)
        if pc not in product_categories
    ]
    if (maximum := lot.maximum) is not None:
        if maximum.value is None and maximum.quantity is None:
            errors.append((f"{where}.maximum", "a maximum is a value, a quantity, or both"))
        if (maximum.quantity is None) != (maximum.unit is None):
            errors.append((f"{where}.maximum.unit", "a maximum quantity and its unit go together"))
        if maximum.value is not None and (problem := money_problem(maximum.value)):
            errors.append((f"{where}.maximum.value", problem))
    if not same_weight(lot.price_weight + lot.quality_weight, 100):
        errors.append((f"{where}.price_weight", f"price {lot.price_weight:g} + quality {lot.quality_weight:g} must make 100"))
    return errors


def selection_errors(where: str, selection: schemas.SelectionIn, pinned: Pinned) -> list[FieldError]:
    found = pinned.get((selection.module_key, selection.module_version))
    if found is None:
        return [(f"{where}.module_version", f"{selection.module_key} has no published version {selection.module_version}")]
    version = found
    errors = []
    if version.status == "deprecated":
        replacement = f"; use {version.replaced_by}" if version.replaced_by else ""
        errors.append((f"{where}.module_version", f"{selection.module_key} version {selection.module_version} is deprecated{replacement}"))
    content = version.content
    if selection.kind and selection.kind != content.kind and not {selection.kind, content.kind} <= SWITCHABLE_KINDS:
        errors.append((f"{where}.kind", f"a {content.kind} module cannot be used as {selection.kind}; only mandatory and award switch"))
    kind = effective_kind(selection, content.kind)
    if kind == "award" and not selection.weight and not selection.added_value:
        errors.append((f"{where}.weight", "an award criterion needs a weight above 0, or an added value per point"))
    if selection.weight and selection.added_value:
        errors.append((f"{where}.added_value", "an award criterion is scored by a weight or by an added value, not both"))
    for field, noun, given in (("weight", "a weight", selection.weight), ("added_value", "an added value", selection.added_value)):
        if kind != "award" and given:
            errors.append((f"{where}.{field}", f"only award criteria carry {noun}, this is {kind}"))
    if selection.added_value is not None and (problem := money_problem(selection.added_value)):
        errors.append((f"{where}.added_value", problem))
    _, value_errors = resolve_values(content.parameters, selection.parameters, prefix=f"{where}.parameters")
    return errors + value_errors


def publication_errors(spec: schemas.TenderSpec, pinned: Pinned, *, now: datetime, min_submission_days: int) -> list[FieldError]:
    """What stands between the specification and publication (participants are checked by the caller)."""
    errors: list[FieldError] = []
    if not spec.lots:
        errors.append(("lots", "a tender needs at least one lot"))
    for i, lot in enumerate(spec.lots):
        kinds = [effective_kind(s, _module_kind(s, pinned)) for s in lot.selections]
        if "mandatory" not in kinds:
            errors.append((f"lots[{i}].selections", f"lot {i + 1} ({lot.title}) has no mandatory requirement"))
        award_total = sum(s.weight or 0 for s, k in zip(lot.selections, kinds, strict=True) if k == "award")
        if not same_weight(award_total, lot.quality_weight):
            errors.append(
                (f"lots[{i}].quality_weight", f"award weights in lot {i + 1} add up to {award_total:g}, not the quality share {lot.quality_weight:g}")
            )
    if spec.contact_point is None:
        errors.append(("contact_point", "a published tender names where suppliers send questions (a name or function and an email)"))
    errors += terms_publication_errors(spec)
    timeline = spec.timeline
    if timeline.submission_deadline is None:
        errors.append(("timeline.submission_deadline", "is required to publish"))
    else:
        earliest = now + timedelta(days=min_submission_days)
        if timeline.submission_deadline < earliest:
            errors.append(("timeline.submission_deadline", f"must be at least {min_submission_days} days after publication ({earliest:%Y-%m-%d})"))
        if timeline.questions_deadline and timeline.questions_deadline >= timeline.submission_deadline:
            errors.append(("timeline.questions_deadline", "must be before the submission deadline"))
        if timeline.planned_award and timeline.planned_award <= timeline.submission_deadline:
            errors.append(("timeline.planned_award", "must be after the submission deadline"))
    return errors


def terms_publication_errors(spec: schemas.TenderSpec) -> list[FieldError]:
    """What the terms must state before publication: where tenders go, how long they bind, a framework's limits."""
    terms, errors = spec.terms, []
    if terms.submission is None:
        errors.append(("terms.submission", "a published tender names the e-tendering system tenders are submitted through"))
    if terms.validity_days is None:
        errors.append(("terms.validity_days", "a published tender states how many days tenders stay binding"))
    for field, limit in (("lots_per_bid", terms.lots_per_bid), ("max_lots_awarded", terms.max_lots_awarded)):
        if limit and limit > len(spec.lots):
            errors.append((f"terms.{field}", f"is {limit}, but the tender has {len(spec.lots)} lots"))
    if terms.agreement == "framework":
        errors += [
            (f"lots[{i}].maximum", f"a framework agreement states the most lot {i + 1} may call off (a value or a quantity)")
            for i, lot in enumerate(spec.lots)
            if lot.maximum is None
        ]
        months = total_months(spec.contract_period, terms.options)
        if months is not None and months > FRAMEWORK_MONTHS and not terms.duration_justification:
            rule = f"a framework agreement runs at most {FRAMEWORK_MONTHS} months unless justified"
            errors.append(("terms.duration_justification", f"{rule}; this one runs {months} with its options"))
    return errors


def total_months(period: schemas.ContractPeriod, options: schemas.Options | None) -> int | None:
    """The contract's whole term in months, options included, a month begun counting whole; None without its dates."""
    start, end = period.start, period.end
    if start is None or end is None:
        return None
    months = max((end.year - start.year) * 12 + end.month - start.month, 0)  # never more than the term
    while _last_day(start, months) < end:
        months += 1
    return months + (options.count * options.months if options else 0)


def _last_day(start: date, months: int) -> date:
    """The last day of ``months`` months from ``start``: the day before the same date that many months on, or
    that month's last day when it has no such date (a year from 29 February ends on 28 February)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    if start.day == 1:
        return date(year, month, 1) - timedelta(days=1)
    return date(year, month, min(start.day - 1, monthrange(year, month)[1]))


def labour_clause_warnings(spec: schemas.TenderSpec, required_for: Sequence[str]) -> list[FieldError]:
    """A tender without labour clauses where the country's law requires them for its kind of contract: worth a second look."""
    if spec.terms.labour_clauses or spec.terms.main_category not in required_for:
        return []
    return [("terms.labour_clauses", f"the lead buyer's country requires labour clauses in contracts for {spec.terms.main_category}")]


def jurisdiction_warnings(spec: schemas.TenderSpec, pinned: Pinned, country: str) -> list[FieldError]:
    """Selections of modules that rest on another country's law: publishable, but worth a second look."""
    return [
        (f"lots[{i}].selections[{j}]", f"{s.module_key} applies in {', '.join(module.jurisdictions)}, not in {country}")
        for i, lot in enumerate(spec.lots)
        for j, s in enumerate(lot.selections)
        if not {"EU", country} & set((module := pinned[(s.module_key, s.module_version)]).jurisdictions)
    ]


def _module_kind(selection: schemas.SelectionIn, pinned: Pinned) -> Kind:
    return pinned[(selection.module_key, selection.module_version)].content.kind
