"""The starter library as a kit for a whole Nordic tender: every module says where it applies and
when it was reviewed, names standards with "or equivalent", keeps the glossary's terms, cites no
superseded reference, scores every award criterion on a scale, and covers every category."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from functools import cache

import pytest

from registry.evidence.schemas import EvidenceType
from registry.requirements.content import JURISDICTIONS, LANGUAGES, VersionContent
from registry.requirements.templates import ModuleTemplate, TemplateVersion, load_library
from tests.library_world import STARTER

OR_EQUIVALENT = {
    "en": re.compile(r"\bor (an )?equivalent"),
    "nb": re.compile(r"\beller (en |et )?tilsvarende"),
    "sv": re.compile(r"\beller (en |ett )?(likvärdig|motsvarande)"),
    "da": re.compile(r"\beller (en |et )?tilsvarende"),
}
STANDARD = re.compile(r"\b(?:EN|ISO|IEC|ETSI|CLC/TS|SS|SIS-TR|ITU-T|IEEE)\s?(?:/IEC\s)?(?:EN\s|TS\s|TR\s)?\d[\d-]*")
"""A standard named in a text: EN 50134-7, ISO/IEC 27001, ETSI EN 303 645, SS 91100, ITU-T H.810 is not caught, nor are HL7 profiles."""
TEXTS = ("title", "rationale", "statement", "verification_text", "buyer_guidance", "scoring_guidance", "follow_up")
CATEGORIES_WITH_AT_LEAST = {
    "evidence_of_effect": 18, "interoperability": 18, "information_security": 18, "consent": 18, "benefit_realisation": 8,
    "accessibility_usability": 8, "service_support": 8, "implementation_training": 8, "logistics_exit": 8, "sustainability": 8,
    "price_contract": 8,
}  # fmt: skip


@cache
def modules() -> tuple[ModuleTemplate, ...]:
    return tuple(load_library(STARTER)[1])


def newest(module: ModuleTemplate) -> TemplateVersion:
    return module.versions[-1]


def texts(version: VersionContent) -> Iterator[tuple[str, str, str]]:
    """(field, language, text) of every text of a version, scoring steps included."""
    for field in TEXTS:
        for language, text in getattr(version, field).items():
            yield field, language, text
    for step in version.scoring_scale.steps if version.scoring_scale else []:
        for language, text in step.descriptor.items():
            yield f"scoring_scale.steps[{step.points}]", language, text


def test_the_library_covers_every_category_with_enough_modules() -> None:
    counts = Counter(m.category for m in modules())
    assert len(modules()) >= 110
    assert {c: counts[c] for c in CATEGORIES_WITH_AT_LEAST} == {c: max(counts[c], n) for c, n in CATEGORIES_WITH_AT_LEAST.items()}


def test_every_module_and_reference_says_where_it_applies_and_when_the_module_was_reviewed() -> None:
    for path in sorted(p for p in STARTER.glob("*/*.toml") if p.parent.name != "countries"):
        raw = tomllib.loads(path.read_text())
        assert raw.get("last_reviewed"), path.name
        assert set(raw["jurisdictions"]) <= set(JURISDICTIONS), path.name
        unstated = [r["identifier"] for r in raw.get("references", []) if "jurisdiction" not in r]
        assert unstated == [], f"{path.name}: references without a jurisdiction"


def test_a_statement_naming_a_standard_says_or_equivalent_in_its_language() -> None:
    missing = [
        (m.key, language, STANDARD.search(text).group())  # type: ignore[union-attr]
        for m in modules()
        for language, text in newest(m).statement.items()
        if STANDARD.search(text) and not OR_EQUIVALENT[language].search(text)
    ]
    assert missing == []


def test_the_newest_versions_use_the_glossarys_terms() -> None:
    glossary = tomllib.loads((STARTER / "glossary.toml").read_text())["terms"]
    assert {t["language"] for t in glossary} >= {"sv", "nb", "da"}
    avoided = [
        (m.key, field, language, variant)
        for m in modules()
        for field, language, text in texts(newest(m))
        for term in glossary
        if term["language"] == language
        for variant in term["avoid"]
        if re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text, re.IGNORECASE)
    ]
    assert avoided == []


def test_no_module_cites_a_superseded_reference() -> None:
    superseded = tomllib.loads((STARTER / "superseded.toml").read_text())["superseded"]
    cited = [
        (m.key, f"{r.identifier} {r.edition or ''}".strip(), old["replaced_by"])
        for m in modules()
        for r in m.references
        for old in superseded
        if r.identifier.startswith(old["identifier"]) and old.get("edition", "") in f"{r.identifier} {r.edition or ''}"
    ]
    assert cited == []


def test_every_evidence_rule_asks_for_evidence_a_supplier_can_record() -> None:
    recordable = set(EvidenceType.__args__)
    unrecordable = [
        (m.key, wanted) for m in modules() if (rule := newest(m).evidence_rule) for wanted in rule.evidence_types if wanted not in recordable
    ]
    assert unrecordable == []


def test_every_award_criterion_is_scored_on_a_scale_with_a_suggested_weight() -> None:
    unscored = [m.key for m in modules() if newest(m).kind == "award" and newest(m).scoring_scale is None]
    assert unscored == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_module_says_how_the_buyer_follows_it_up_and_each_revision_why(language: str) -> None:
    assert [m.key for m in modules() if not newest(m).follow_up.get(language)] == []
    assert [m.key for m in modules() if len(m.versions) > 1 and not newest(m).change_note.get(language)] == []
