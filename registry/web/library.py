"""What the library's pages show, shaped for the templates: texts in the reader's language (with the
language of any fallback, so the page marks it), labels from the catalogue, the evidence rule in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from registry.requirements.content import ParameterRef, VersionContent
from registry.requirements.rendering import pick, render
from registry.requirements.templates import Catalogue

Gettext = Callable[[str], str]


class Text(msgspec.Struct, frozen=True):
    """A text as shown, and its language when that is not the page's (a fallback to English)."""

    value: str
    lang: str | None = None


def text(texts: dict[str, str], language: str) -> Text:
    value, fell_back = pick(texts, language)
    return Text(value, "en" if fell_back and value else None)


def label(catalogue: Catalogue, vocabulary: str, key: str, language: str) -> Text:
    term = next((t for t in getattr(catalogue, vocabulary) if t.key == key), None)
    return text(term.label, language) if term else Text(key)


def vocabulary_labels(catalogue: Catalogue, vocabulary: str, language: str) -> dict[str, str]:
    """A vocabulary's keys with their labels in ``language`` (English where it has none), in the catalogue's order."""
    return {term.key: term.label.get(language) or term.label.get("en", term.key) for term in getattr(catalogue, vocabulary)}


def statement(content: VersionContent, language: str) -> Text:
    """The statement with every parameter at its default; a parameter without one shows as its name in braces."""
    rendered, _ = render(content, language, {})
    if rendered is not None:
        return Text(rendered.statement, "en" if "statement" in rendered.fallbacks else None)
    return text(content.statement, language)


def rule_in_words(content: VersionContent, catalogue: Catalogue, language: str, _: Gettext) -> list[str]:
    """One sentence per clause of the version's evidence rule; a clause bound to a parameter names it, with its default."""
    rule = content.evidence_rule
    if rule is None:
        return []
    parameters = {p.name: p for p in content.parameters}

    def shown(value: Any) -> str:
        if not isinstance(value, ParameterRef):
            return str(value)
        parameter = parameters[value.parameter]
        named = {"label": text(parameter.label, language).value, "default": parameter.default}
        if parameter.default is None:
            return _("the value the buyer sets for “%(label)s”") % named
        return _("%(default)s, or the value the buyer sets for “%(label)s”") % named

    stated = [(name, getattr(rule, name)) for name in rule.__struct_fields__]  # a field not set is None, False or [] (numbers are >= 1)
    return [clause_in_words(name, value, catalogue, language, _, shown) for name, value in stated if value not in (None, False, [])]


def clause_in_words(name: str, value: Any, catalogue: Catalogue, language: str, _: Gettext, shown: Callable[[Any], str] = str) -> str:
    """A clause of an evidence rule as a sentence: the rule's field ``name`` asking for ``value`` (vocabulary keys by their
    labels in ``language``; ``shown`` says a value taken from a parameter)."""

    def labels(vocabulary: str, keys: list[str]) -> str:
        return ", ".join(label(catalogue, vocabulary, key, language).value for key in keys)

    if name == "evidence_types":
        return _("Evidence of one of these types: %(types)s.") % {"types": labels("document_types", value)}
    if name == "min_study_design":
        design = label(catalogue, "study_designs", value, language).value if isinstance(value, str) else shown(value)
        return _("A study designed at least as strongly as: %(design)s.") % {"design": design}
    if name == "outcome_domains":
        return _("Outcomes measured in: %(domains)s.") % {"domains": labels("outcome_domains", value)}
    if name == "min_sample_size":
        return _("At least %(size)s participants.") % {"size": shown(value)}
    if name == "max_age_years":
        return _("Published or ended at most %(years)s years ago.") % {"years": shown(value)}
    if name == "independent_required":
        return _("Carried out or funded independently of the supplier.")
    if name == "certificate_valid_at_deadline":
        return _("A certificate valid on the tender's submission deadline.")
    return _("A certificate against %(standard)s.") % {"standard": shown(value)}
