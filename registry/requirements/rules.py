"""Evidence rules bound to their version's parameters.

A single-valued rule field (``FIELD_TYPES``) states a value or references one of the version's
parameters, ``{parameter = "min_sample_size"}``. The fit applies a referenced field with the value
the buyer set for that parameter (a tender selection's, or the one a product's fit request names),
else the parameter's default: the values ``rendering.resolve_values`` resolves, the same that fill
the statement, so the number a tender document says is the number its evidence fit applies.

A parameter *twins* a rule field when it is named like the field or like one of the field's
``TWINS`` (``max_study_age`` for ``max_age_years``). A rule must reference its twin; a literal
beside it is refused. Versions published before rules could reference parameters state literals
beside their twins and never change; they are bound to the twin all the same (``bindings``), so
tenders pinned to them are judged by what their documents say.
"""

from __future__ import annotations

from typing import Any

import msgspec

from registry.requirements.content import (
    MAX_AGE_YEARS,
    MAX_SAMPLE_SIZE,
    MIN_AGE_YEARS,
    MIN_SAMPLE_SIZE,
    EvidenceRule,
    Parameter,
    ParameterRef,
    VersionContent,
)
from registry.requirements.rendering import FieldError, resolve_values

FIELD_TYPES: dict[str, tuple[str, ...]] = {
    "min_study_design": ("enum",),
    "min_sample_size": ("integer",),
    "max_age_years": ("integer", "duration"),
    "independent_required": ("boolean",),
    "certificate_valid_at_deadline": ("boolean",),
    "certificate_standard": ("text",),
}
"""The rule fields that may reference a parameter, and the parameter types each takes (a duration in years)."""
BOUNDS = {"min_sample_size": (MIN_SAMPLE_SIZE, MAX_SAMPLE_SIZE), "max_age_years": (MIN_AGE_YEARS, MAX_AGE_YEARS)}
"""What a referenced parameter's ``min`` and ``max`` must lie within, for the numeric fields."""
TWINS = {"min_sample_size": ("min_users",), "max_age_years": ("max_study_age", "lookback_years")}
"""Parameter names besides a field's own that say the same as the field."""


class Bound(msgspec.Struct, frozen=True):
    """A version's evidence rule with every parameter it depends on replaced by its value."""

    rule: EvidenceRule
    parameters: dict[str, str]
    """Rule field -> the parameter its value came from."""
    values: dict[str, Any]
    """Every parameter's value, as the statement renders them."""


def _stated(value: object) -> bool:
    """The field states a literal (unset fields are None or False)."""
    return value is not None and value is not False and not isinstance(value, ParameterRef)


def _twin(field: str, parameters: dict[str, Parameter]) -> Parameter | None:
    return next((parameters[name] for name in (field, *TWINS.get(field, ())) if name in parameters), None)


def parameter_problem(field: str, parameter: Parameter) -> str | None:
    """Why ``parameter`` cannot give rule field ``field`` its value, or None."""
    accepted = FIELD_TYPES[field]
    if parameter.type not in accepted:
        return f"parameter {parameter.name} is {parameter.type}; {field} takes {' or '.join(accepted)}"
    if parameter.type == "duration" and parameter.unit != "years":
        return f"parameter {parameter.name} is a duration in {parameter.unit or 'no unit'}; {field} counts years"
    if field in BOUNDS:
        low, high = BOUNDS[field]
        if parameter.min is None or parameter.max is None or parameter.min < low or parameter.max > high:
            return f"parameter {parameter.name} needs a min and a max within {low}..{high} to set {field}"
    if not parameter.required and parameter.default is None:
        return f"parameter {parameter.name} is optional without a default; {field} needs a value"
    return None


def rule_errors(content: VersionContent, *, history: bool = False) -> list[FieldError]:
    """References to unknown or unfitting parameters, and literals beside their twin.

    ``history``: a version a newer one supersedes; its literal twins are kept (it was published
    before rules referenced parameters and never changes) and bound by ``bindings``.
    """
    rule = content.evidence_rule
    if rule is None:
        return []
    parameters = {p.name: p for p in content.parameters}
    errors = []
    for field in FIELD_TYPES:
        value, where = getattr(rule, field), f"evidence_rule.{field}"
        if isinstance(value, ParameterRef):
            parameter = parameters.get(value.parameter)
            if parameter is None:
                errors.append((where, f"references unknown parameter {value.parameter!r}"))
            elif problem := parameter_problem(field, parameter):
                errors.append((where, problem))
        elif _stated(value) and not history and (twin := _twin(field, parameters)):
            errors.append(
                (where, f'repeats parameter {twin.name}; reference it, {{"parameter": "{twin.name}"}}, so the rule applies the value the buyer sets')
            )
    return errors


def bindings(content: VersionContent) -> dict[str, str]:
    """Rule field -> the parameter that gives its value: references, and literals of earlier versions beside a fitting twin."""
    rule = content.evidence_rule
    if rule is None:
        return {}
    parameters = {p.name: p for p in content.parameters}
    links = {}
    for field in FIELD_TYPES:
        value = getattr(rule, field)
        if isinstance(value, ParameterRef):
            links[field] = value.parameter
        elif _stated(value) and (twin := _twin(field, parameters)) and parameter_problem(field, twin) is None:
            links[field] = twin.name
    return links


def bind(content: VersionContent, values: dict[str, Any], *, prefix: str = "parameters") -> tuple[Bound | None, list[FieldError]]:
    """The version's evidence rule for these parameter values (merged over the defaults and checked
    exactly as rendering does); errors instead when a value is wrong, None when there is no rule."""
    resolved, errors = resolve_values(content.parameters, values, prefix=prefix)
    if errors or content.evidence_rule is None:
        return None, errors
    links = {field: name for field, name in bindings(content).items() if name in resolved}
    rule = msgspec.structs.replace(content.evidence_rule, **{field: resolved[name] for field, name in links.items()})
    return Bound(rule, links, resolved), []
