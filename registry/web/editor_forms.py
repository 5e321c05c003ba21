"""A draft's content as the editor's form holds it, and back: every text in the four languages side by side
(``title-sv``), parameters as repeated rows (``param-0-name``), the evidence rule as its structured fields
(``rule-min_sample_size``, with ``rule-min_sample_size-parameter`` naming a parameter that gives the value).

The form's values are handed to ``VersionContent`` as typed; the decoder and the service decide what is
wrong, and ``field_id`` turns the path of each problem into the form field it belongs beside.
"""

from __future__ import annotations

import re
from typing import Any

from litestar.datastructures import FormMultiDict

from registry.requirements.content import LANGUAGES, Parameter, ParameterRef, VersionContent
from registry.requirements.rules import FIELD_TYPES

TEXTS = ("title", "statement", "rationale", "verification_text", "buyer_guidance", "scoring_guidance", "follow_up", "change_note")
"""The multilingual texts of a version, in the order the form shows them."""
PARAMETER_FIELDS = ("name", "type", "default", "min", "max", "unit", "max_length", "choices", "required")
NUMBERS = ("min", "max", "max_length")
RULE_LISTS = ("evidence_types", "outcome_domains")
RULE_FLAGS = ("independent_required", "certificate_valid_at_deadline")
RULE_VALUES = ("min_study_design", "min_sample_size", "max_age_years", "certificate_standard")
TRUE, FALSE = frozenset({"true", "yes", "ja", "1"}), frozenset({"false", "no", "nei", "nej", "0"})
MAX_ROWS = 30


def rows_of(form: FormMultiDict) -> int:
    given = str(form.get("param_rows", "0"))
    return min(int(given), MAX_ROWS) if given.isdigit() else 0


def _text(form: FormMultiDict, name: str) -> str:
    return str(form.get(name, "")).replace("\r\n", "\n").strip()


def _texts(form: FormMultiDict, prefix: str) -> dict[str, str]:
    return {lang: value for lang in LANGUAGES if (value := _text(form, f"{prefix}-{lang}"))}


def number(text: str) -> int | float | str:
    """A number as typed (a decimal comma allowed); the text itself when it is none, for the decoder to refuse."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        return int(cleaned)
    except ValueError:
        try:
            return float(cleaned)
        except ValueError:
            return text


def typed(kind: str, text: str) -> Any:
    """A parameter value typed into the form, as the parameter's type holds it; what does not read as one stays text."""
    if kind in ("integer", "duration", "decimal"):
        return number(text)
    if kind == "boolean" and text.lower() in TRUE | FALSE:
        return text.lower() in TRUE
    return text


def read_texts(form: FormMultiDict, fields: tuple[str, ...] = TEXTS) -> dict[str, dict[str, str]]:
    return {field: _texts(form, field) for field in fields}


def read_content(form: FormMultiDict, rows: int) -> dict[str, Any]:
    """The form as ``VersionContent`` decodes it."""
    values: dict[str, Any] = {"kind": _text(form, "kind"), "level": _text(form, "level")}
    values |= read_texts(form)
    values["verification"] = [str(v) for v in form.getall("verification")] if "verification" in form else []
    values["parameters"] = [p for i in range(rows) if (p := _parameter(form, f"param-{i}"))]
    values["evidence_rule"] = _rule(form)
    values["scoring_scale"] = _scale(form)
    return values


def _parameter(form: FormMultiDict, row: str) -> dict[str, Any] | None:
    given = {field: _text(form, f"{row}-{field}") for field in PARAMETER_FIELDS if field != "required"}
    label = _texts(form, f"{row}-label")
    if not any(given.values()) and not label:
        return None
    kind = given["type"]
    parameter: dict[str, Any] = {"name": given["name"], "type": kind, "label": label, "required": form.get(f"{row}-required") == "yes"}
    if given["default"]:
        parameter["default"] = typed(kind, given["default"])
    parameter |= {field: number(given[field]) for field in NUMBERS if given[field]}
    if given["unit"]:
        parameter["unit"] = given["unit"]
    if given["choices"]:
        parameter["choices"] = [_choice(line) for line in given["choices"].split("\n") if line.strip()]
    return parameter


def _choice(line: str) -> dict[str, Any]:
    """One line of the choices: the value, then its label in each language, separated by ``|``."""
    value, *labels = [part.strip() for part in line.split("|")]
    return {"value": value, "label": {lang: label for lang, label in zip(LANGUAGES, labels, strict=False) if label}}


def _rule(form: FormMultiDict) -> dict[str, Any] | None:
    rule: dict[str, Any] = {field: [str(v) for v in form.getall(f"rule-{field}")] if f"rule-{field}" in form else [] for field in RULE_LISTS}
    rule |= {field: form.get(f"rule-{field}") == "yes" for field in RULE_FLAGS}
    for field in RULE_VALUES:
        if value := _text(form, f"rule-{field}"):
            rule[field] = number(value) if field in ("min_sample_size", "max_age_years") else value
    for field in FIELD_TYPES:
        if parameter := _text(form, f"rule-{field}-parameter"):
            rule[field] = {"parameter": parameter}
    return rule if any(rule.values()) else None


def _scale(form: FormMultiDict) -> dict[str, Any] | None:
    points = _text(form, "scale-max_points")
    if not points.isdigit():
        return None
    weight = [number(_text(form, "scale-weight-low")), number(_text(form, "scale-weight-high"))]
    steps = [{"points": i, "descriptor": _texts(form, f"scale-{i}")} for i in range(min(int(points), 10) + 1)]
    return {"max_points": int(points), "steps": steps, "weight": weight}


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def raw_of(content: VersionContent) -> tuple[dict[str, str | list[str]], int]:
    """Stored content as the form's fields hold it (the inverse of ``read_content``), and its number of parameter rows."""
    raw: dict[str, str | list[str]] = {"kind": content.kind, "level": content.level, "verification": list(content.verification)}
    for field in TEXTS:
        raw |= {f"{field}-{lang}": text for lang, text in getattr(content, field).items()}
    for i, parameter in enumerate(content.parameters):
        raw |= _parameter_raw(f"param-{i}", parameter)
    rule = content.evidence_rule
    if rule is not None:
        for field in RULE_LISTS:
            raw[f"rule-{field}"] = list(getattr(rule, field))
        for field in (*RULE_FLAGS, *RULE_VALUES):
            value = getattr(rule, field)
            if isinstance(value, ParameterRef):
                raw[f"rule-{field}-parameter"] = value.parameter
            elif value not in (None, False):
                raw[f"rule-{field}"] = "yes" if value is True else _shown(value)
    if scale := content.scoring_scale:
        raw |= {"scale-max_points": str(scale.max_points), "scale-weight-low": str(scale.weight[0]), "scale-weight-high": str(scale.weight[1])}
        for step in scale.steps:
            raw |= {f"scale-{step.points}-{lang}": text for lang, text in step.descriptor.items()}
    return raw, len(content.parameters)


def _parameter_raw(row: str, parameter: Parameter) -> dict[str, str]:
    raw = {f"{row}-{field}": _shown(getattr(parameter, field)) for field in ("name", "type", "default", "min", "max", "unit", "max_length")}
    raw |= {f"{row}-label-{lang}": text for lang, text in parameter.label.items()}
    raw[f"{row}-required"] = "yes" if parameter.required else ""
    choices = [" | ".join([c.value, *(c.label.get(lang, "") for lang in LANGUAGES)]).rstrip(" |") for c in parameter.choices]
    raw[f"{row}-choices"] = "\n".join(choices)
    return {name: value for name, value in raw.items() if value}


def raw_form(form: FormMultiDict) -> dict[str, str | list[str]]:
    """What was typed, to show again: one value per field, every value of the check boxes."""
    lists = {"verification", *(f"rule-{field}" for field in RULE_LISTS), "product_categories", "jurisdictions"}
    return {name: [str(v) for v in form.getall(name)] if name in lists else str(form.get(name, "")) for name in form}


PARAMETER_PATH = re.compile(r"parameters\[(\d+)\]\.(\w+)(?:\.(\w+))?")


def field_id(path: str, content: dict[str, Any] | None = None) -> str:
    """The form field an error path names: ``content.statement.sv`` is ``statement-sv``, ``parameters[1].min`` is
    ``param-1-min``, ``parameters.delivery_seconds`` (its default) is that row's default, ``evidence_rule.min_sample_size``
    is ``rule-min_sample_size``."""
    path = path.removeprefix("$.").removeprefix("content.")
    head, _, rest = path.partition(".")
    head = head.split("[")[0]
    if head in TEXTS:
        return f"{head}-{rest}" if rest in LANGUAGES else head
    if match := PARAMETER_PATH.match(path):
        row, field, lang = match.groups()
        if field == "label":
            return f"param-{row}-label-{lang if lang in LANGUAGES else 'en'}"
        return f"param-{row}-{field if field in PARAMETER_FIELDS else 'name'}"
    if head == "parameters" and rest:
        names = [p.get("name") for p in (content or {}).get("parameters", [])]
        return f"param-{names.index(rest)}-default" if rest in names else "parameters"
    if head == "evidence_rule":
        return f"rule-{rest.split('[')[0].split('.')[0]}" if rest else "rule"
    if head == "scoring_scale":
        if match := re.match(r"steps\[(\d+)\]", rest):
            return f"scale-{match.group(1)}-en"
        return "scale-weight-low" if rest.startswith("weight") else "scale-max_points"
    return head or "title"
