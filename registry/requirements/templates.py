"""Read and check the requirement library's data files (``requirement_templates/``).

One TOML file per module, ``<category>/<KEY>.toml``, plus ``catalogue.toml`` with the
vocabularies. Files decode into msgspec Structs, so a bad file fails with its name and the
offending field; cross-field checks (vocabularies, placeholders, defaults, versions) follow.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec

from registry.requirements.content import (
    LANGUAGES,
    RETIRED_STUDY_DESIGNS,
    Jurisdiction,
    LangText,
    ModuleKey,
    ParameterRef,
    Reference,
    VersionContent,
    VersionNumber,
    VersionStatus,
)
from registry.requirements.rendering import FieldError, resolve_values, undeclared_placeholders
from registry.requirements.rules import rule_errors
from registry.schemas import in_words, named_pattern

CATALOGUE_FILE = "catalogue.toml"
COUNTRIES = "countries"
"""The folder of each country's procurement-law texts (``registry.tenders.law``), not modules."""
TAG_PATTERN = named_pattern(r"^[a-z0-9][a-z0-9-]*$", "a tag of lower-case letters, digits and hyphens, such as ce-marking")
Tag = Annotated[str, msgspec.Meta(pattern=TAG_PATTERN, max_length=48)]


class Term(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    label: LangText


class Catalogue(msgspec.Struct, forbid_unknown_fields=True):
    """The library's vocabularies, as ``catalogue.toml`` and the API give them; study designs are ordered strongest first."""

    categories: list[Term]
    product_categories: list[Term]
    study_designs: list[Term]
    outcome_domains: list[Term]
    document_types: list[Term]

    def keys(self, vocabulary: str) -> list[str]:
        return [t.key for t in getattr(self, vocabulary)]


class TemplateVersion(VersionContent, kw_only=True):
    version: VersionNumber
    status: VersionStatus = "published"
    replaced_by: ModuleKey | None = None


VERSION_ONLY = ("version", "status", "replaced_by", "change_note")
"""Fields of a file's version that are its own; every other field a version leaves out is the previous version's."""
NULLABLE = ("evidence_rule", "scoring_scale")
"""Fields a version may drop by stating them empty (``evidence_rule = {}``)."""


class ModuleTemplate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    key: ModuleKey
    category: str
    family: ModuleKey | None = None
    jurisdictions: Annotated[list[Jurisdiction], msgspec.Meta(min_length=1)]
    last_reviewed: date | None = None
    """When the text was last checked against the law and practice it cites (every starter module has one)."""
    product_categories: list[str]
    tags: list[Tag] = []
    references: list[Reference] = []
    versions: list[TemplateVersion]


class TemplateError(Exception):
    """A library file is invalid; the message names the file and the field."""


def load_catalogue(directory: Path) -> Catalogue:
    return _decode(directory / CATALOGUE_FILE, Catalogue)


def load_library(directory: Path | str) -> tuple[Catalogue, list[ModuleTemplate]]:
    """Decode and check every module file; raises TemplateError listing every problem found."""
    directory = Path(directory)
    catalogue = load_catalogue(directory)
    modules: list[ModuleTemplate] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in sorted(p for p in directory.glob("*/*.toml") if p.parent.name != COUNTRIES):
        try:
            module = _decode(path, ModuleTemplate)
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        where = path.relative_to(directory)
        problems += [f"{where}: {p}" for p in check_module(module, catalogue, path)]
        if module.key in seen:
            problems.append(f"{where}: key {module.key} is also used by {seen[module.key].relative_to(directory)}")
        seen[module.key] = path
        modules.append(module)
    if problems:
        raise TemplateError("\n".join(problems))
    return catalogue, modules


def check_module(module: ModuleTemplate, catalogue: Catalogue, path: Path) -> list[str]:
    """Cross-field rules msgspec cannot express; each problem names its field."""
    problems = []
    if path.stem != module.key:
        problems.append(f"key: {module.key} does not match the file name {path.name}")
    if module.category not in catalogue.keys("categories"):
        problems.append(f"category: unknown category {module.category!r}")
    elif path.parent.name != module.category:
        problems.append(f"category: {module.category} but the file is in {path.parent.name}/")
    problems += [
        f"product_categories: unknown product category {pc!r}" for pc in module.product_categories if pc not in catalogue.keys("product_categories")
    ]
    numbers = [v.version for v in module.versions]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"versions: numbers must run 1, 2, ... in order, got {numbers}")
    if sum(v.status == "draft" for v in module.versions) > 1:
        problems.append("versions: at most one draft")
    newest = max(numbers, default=0)
    for version in module.versions:
        checked = check_content(version, catalogue, history=version.version < newest)
        problems += [f"versions[{version.version}].{f}: {m}" for f, m in checked]
    return problems


def check_content(content: VersionContent, catalogue: Catalogue, *, complete: bool = True, history: bool = False) -> list[FieldError]:
    """Problems of one version's content; ``complete`` also demands every text in every language.

    ``history``: a library file's version that a newer one supersedes; the rule's literals may stand
    beside their twin parameters (``registry.requirements.rules``)."""
    problems = undeclared_placeholders(content)
    if complete:
        for field in ("title", "rationale", "statement"):
            missing = [lang for lang in LANGUAGES if not getattr(content, field).get(lang)]
            if missing:
                problems.append((field, f"missing languages {', '.join(missing)}"))
        if content.kind == "award" and not content.scoring_guidance:
            problems.append(("scoring_guidance", "an award criterion needs scoring guidance"))
    elif not content.title.get("en") or not content.statement.get("en"):
        problems.append(("title" if not content.title.get("en") else "statement", "an English text is required"))
    problems += _scale_errors(content, complete)
    problems += [
        (f"verification[{i}]", f"unknown document type {d!r}")
        for i, d in enumerate(content.verification)
        if d not in catalogue.keys("document_types")
    ]
    defaults = [p for p in content.parameters if p.default is not None]  # a required one without is the buyer's to set
    _, default_errors = resolve_values(defaults, {})
    problems += [(field, f"default {message}") for field, message in default_errors]
    problems += rule_errors(content, history=history)
    rule = content.evidence_rule
    if rule:
        designs = catalogue.keys("study_designs") + (list(RETIRED_STUDY_DESIGNS) if history else [])
        if isinstance(rule.min_study_design, ParameterRef):
            chosen = next((p for p in content.parameters if p.name == rule.min_study_design.parameter), None)
            problems += [
                ("evidence_rule.min_study_design", f"parameter {rule.min_study_design.parameter} offers {c.value!r}, which is not a study design")
                for c in (chosen.choices if chosen else [])
                if c.value not in designs
            ]
        elif rule.min_study_design and rule.min_study_design not in designs:
            problems.append(("evidence_rule.min_study_design", f"unknown study design {rule.min_study_design!r}"))
        problems += [
            (f"evidence_rule.outcome_domains[{i}]", f"unknown outcome domain {d!r}")
            for i, d in enumerate(rule.outcome_domains)
            if d not in catalogue.keys("outcome_domains")
        ]
        problems += [
            (f"evidence_rule.evidence_types[{i}]", f"unknown document type {d!r}")
            for i, d in enumerate(rule.evidence_types)
            if d not in catalogue.keys("document_types")
        ]
    return problems


def _scale_errors(content: VersionContent, complete: bool) -> list[FieldError]:
    scale = content.scoring_scale
    if scale is None:
        return []
    problems: list[FieldError] = []
    if content.kind != "award":
        problems.append(("scoring_scale", "only an award criterion is scored"))
    points = [s.points for s in scale.steps]
    if points != list(range(scale.max_points + 1)):
        problems.append(("scoring_scale.steps", f"one step for each point from 0 to {scale.max_points} in order, got {points}"))
    if scale.weight[0] > scale.weight[1]:
        problems.append(("scoring_scale.weight", f"the suggested weight runs from low to high, got {scale.weight}"))
    for i, step in enumerate(scale.steps):
        missing = [lang for lang in LANGUAGES if not step.descriptor.get(lang)] if complete else []
        if missing or not step.descriptor.get("en"):
            problems.append((f"scoring_scale.steps[{i}].descriptor", f"missing languages {', '.join(missing or ['en'])}"))
    return problems


_T = TypeVar("_T")


def _decode(path: Path, type_: type[_T]) -> _T:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        if type_ is ModuleTemplate:
            raw["versions"] = inherited(raw.get("versions", []))
        return msgspec.convert(raw, type_)
    except (OSError, tomllib.TOMLDecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path.name}: {in_words(str(exc))}") from exc


def inherited(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each version of a file with what it leaves out taken from the version before: a new version
    states only what it changes (an empty text or list, or ``evidence_rule = {}``, removes a field)."""
    complete: list[dict[str, Any]] = []
    for version in versions:
        before = {k: v for k, v in complete[-1].items() if k not in VERSION_ONLY} if complete else {}
        merged = before | version
        for field in NULLABLE:
            if merged.get(field) == {}:
                del merged[field]
        complete.append(merged)
    return complete


def stated(versions: list[TemplateVersion]) -> list[dict[str, Any]]:
    """The versions as a library file states them, the inverse of ``inherited``: the first in full, each
    later one with its own fields and what it changes (a field it drops stated empty)."""
    files: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for version in versions:
        full = {f: msgspec.to_builtins(getattr(version, f)) for f in version.__struct_fields__}
        if previous is None:
            own = {k: v for k, v in full.items() if v not in (None, {}, [])}
        else:
            changed = {k: {} if v is None else v for k, v in full.items() if k not in VERSION_ONLY and v != previous[k]}
            own = {k: v for k, v in full.items() if k in VERSION_ONLY and v not in (None, {}, [])} | changed
        files.append(own)
        previous = full
    return files
