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

    def labels(vocabulary: str, keys: list[str]) -> str:
        return ", ".join(label(catalogue, vocabulary, key, language).value for key in keys)

    sentences = []
    if rule.evidence_types:
        sentences.append(_("Evidence of one of these types: %(types)s.") % {"types": labels("document_types", rule.evidence_types)})
    if isinstance(rule.min_study_design, str):
        design = label(catalogue, "study_designs", rule.min_study_design, language).value
        sentences.append(_("A study designed at least as strongly as: %(design)s.") % {"design": design})
    elif rule.min_study_design is not None:
        sentences.append(_("A study designed at least as strongly as: %(design)s.") % {"design": shown(rule.min_study_design)})
    if rule.outcome_domains:
        sentences.append(_("Outcomes measured in: %(domains)s.") % {"domains": labels("outcome_domains", rule.outcome_domains)})
    if rule.min_sample_size is not None:
        sentences.append(_("At least %(size)s participants.") % {"size": shown(rule.min_sample_size)})
    if rule.max_age_years is not None:
        sentences.append(_("Published or ended at most %(years)s years ago.") % {"years": shown(rule.max_age_years)})
    if rule.independent_required:
        sentences.append(_("Carried out or funded independently of the supplier."))
    if rule.certificate_valid_at_deadline:
        sentences.append(_("A certificate valid on the tender's submission deadline."))
    if rule.certificate_standard is not None:
        sentences.append(_("A certificate against %(standard)s.") % {"standard": shown(rule.certificate_standard)})
    return sentences
