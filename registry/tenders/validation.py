"""Checks of a tender's specification: on every save, and the stricter ones before publication.

Every problem is collected, named by its path (``lots[1].selections[3].weight``), and reported at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from registry.requirements.content import Kind
from registry.requirements.rendering import resolve_values
from registry.requirements.schemas import PinnedVersion
from registry.schemas import money_problem
from registry.tenders import schemas
from registry.tenders.cpv import cpv_problem

FieldError = tuple[str, str]
Pinned = dict[tuple[str, int], PinnedVersion]
SWITCHABLE_KINDS = frozenset({"mandatory", "award"})


def same_weight(a: float, b: float) -> bool:
    """Weights are percentage points; sums of a few decimals are compared to a hundredth."""
    return abs(a - b) < 0.005


def effective_kind(selection: schemas.SelectionIn, module_kind: Kind) -> Kind:
    return selection.kind or module_kind


def spec_errors(spec: schemas.TenderSpec, pinned: Pinned, product_categories: list[str]) -> list[FieldError]:
    """Problems that make a specification unusable even as a draft."""
    errors = [(f"cpv_codes[{i}]", p) for i, code in enumerate(spec.cpv_codes) if (p := cpv_problem(code))]
    if spec.estimated_value is not None and (problem := money_problem(spec.estimated_value)):
        errors.append(("estimated_value", problem))
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


def lot_field_errors(where: str, lot: schemas.LotIn, product_categories: list[str]) -> list[FieldError]:
    errors = [
        (f"{where}.product_categories[{j}]", f"unknown product category {pc!r}")
        for j, pc in enumerate(lot.product_categories)
        if pc not in product_categories
    ]
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
