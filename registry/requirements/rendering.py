"""Fill a version's parameters into its statement, in one language.

Values are checked against the parameter declarations first; every problem is reported at once
as a ``(field, message)`` pair so callers can turn them into a problem+json ``errors`` list.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from registry.requirements.content import Parameter, VersionContent
from registry.schemas import MAX_FIGURE

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
FALLBACK_LANGUAGE = "en"
DECIMAL_COMMA_LANGUAGES = frozenset({"nb", "nn", "sv", "da", "fi"})
YES_NO = {"en": ("yes", "no"), "nb": ("ja", "nei"), "sv": ("ja", "nej"), "da": ("ja", "nej"), "fi": ("kyllä", "ei")}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
TEXT_VALUE_MAX_LENGTH = 500

FieldError = tuple[str, str]


class Rendered(msgspec.Struct):
    """A version's texts in one language with the parameter values filled in."""

    language: str
    title: str
    statement: str
    values: dict[str, Any]
    fallbacks: list[str]
    """Fields that had no text in the requested language and fell back to English."""


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def undeclared_placeholders(content: VersionContent) -> list[FieldError]:
    """Placeholders a statement uses that no parameter declares."""
    declared = {p.name for p in content.parameters}
    return [
        (f"statement.{lang}", f"uses undeclared parameter {{{name}}}")
        for lang, text in sorted(content.statement.items())
        for name in sorted(placeholders(text) - declared)
    ]


def check_value(param: Parameter, value: Any) -> str | None:
    """Why ``value`` is not acceptable for ``param``, or None when it is."""
    kind = param.type
    if kind in ("integer", "duration"):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number{' of ' + param.unit if kind == 'duration' and param.unit else ''}"
    elif kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
    elif kind == "boolean":
        if not isinstance(value, bool):
            return "must be true or false"
    elif kind == "enum":
        allowed = [c.value for c in param.choices]
        if value not in allowed:
            return f"must be one of {', '.join(allowed)}"
        return None
    elif kind == "text":
        if not isinstance(value, str):
            return "must be text"
        if CONTROL_CHARACTERS.search(value):
            return "must be one line without control characters"
        limit = param.max_length or TEXT_VALUE_MAX_LENGTH
        if len(value) > limit:
            return f"must be at most {limit} characters"
        return None
    if kind in ("integer", "duration", "decimal"):
        if not -MAX_FIGURE <= value <= MAX_FIGURE:
            return f"must lie between {_number(-MAX_FIGURE)} and {_number(MAX_FIGURE)}"
        if param.min is not None and value < param.min:
            return f"must be at least {_number(param.min)}"
        if param.max is not None and value > param.max:
            return f"must be at most {_number(param.max)}"
    return None


def resolve_values(parameters: list[Parameter], values: dict[str, Any], *, prefix: str = "parameters") -> tuple[dict[str, Any], list[FieldError]]:
    """Merge ``values`` over the defaults and check them; returns (resolved values, errors)."""
    declared = {p.name: p for p in parameters}
    errors: list[FieldError] = [(f"{prefix}.{name}", "is not a parameter of this version") for name in sorted(values) if name not in declared]
    resolved: dict[str, Any] = {}
    for param in parameters:
        value = values.get(param.name)
        if value is None:
            value = param.default
        if value is None:
            if param.required:
                errors.append((f"{prefix}.{param.name}", "is required and has no default"))
            continue
        problem = check_value(param, value)
        if problem:
            errors.append((f"{prefix}.{param.name}", problem))
        else:
            resolved[param.name] = value
    return resolved, errors


def format_value(param: Parameter, value: Any, language: str) -> str:
    """A value as it reads in running text of ``language``."""
    if param.type == "enum":
        choice = next(c for c in param.choices if c.value == value)
        return pick(choice.label, language)[0]
    if param.type == "boolean":
        yes, no = YES_NO.get(language, YES_NO[FALLBACK_LANGUAGE])
        return yes if value else no
    if param.type == "decimal":
        text = _number(value)
        return text.replace(".", ",") if language in DECIMAL_COMMA_LANGUAGES else text
    return str(value)


def pick(texts: dict[str, str], language: str) -> tuple[str, bool]:
    """The text in ``language``, else English; the flag tells whether it fell back."""
    if texts.get(language):
        return texts[language], False
    return texts.get(FALLBACK_LANGUAGE, ""), True


def fill(text: str, formatted: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: formatted.get(m.group(1), m.group(0)), text)


def render(content: VersionContent, language: str, values: dict[str, Any]) -> tuple[Rendered | None, list[FieldError]]:
    """Render title and statement in ``language``; returns errors instead when values are bad."""
    errors = undeclared_placeholders(content)
    resolved, value_errors = resolve_values(content.parameters, values)
    errors += value_errors
    if errors:
        return None, errors
    by_name = {p.name: p for p in content.parameters}
    formatted = {name: format_value(by_name[name], value, language) for name, value in resolved.items()}
    title, title_fell_back = pick(content.title, language)
    statement, statement_fell_back = pick(content.statement, language)
    fallbacks = [field for field, fell in (("title", title_fell_back), ("statement", statement_fell_back)) if fell]
    return Rendered(language, title, fill(statement, formatted), resolved, fallbacks), []


def _number(value: float) -> str:
    return f"{value:.10g}"
