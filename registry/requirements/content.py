"""The content of a requirement module version, shared by template files and the API.

A version follows the Nordic *rationale + requirement + verification* practice; every text is a
``{lang: text}`` map. Parameters are typed and referenced in the statement as ``{name}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from registry.schemas import LINE_PATTERN, Figure, Line, Text, named_pattern

LANGUAGE_PATTERN = named_pattern(r"^[a-z]{2,3}$", "a language code of two or three lower-case letters, such as nb")
Language = Annotated[str, msgspec.Meta(pattern=LANGUAGE_PATTERN)]
MAX_LANGUAGES = 12
LangText = Annotated[dict[Language, Text], msgspec.Meta(max_length=MAX_LANGUAGES)]
"""Text per language code (``en``, ``nb``, ``sv``, ``da``, others allowed, at most ``MAX_LANGUAGES``)."""

LANGUAGES = ("en", "nb", "sv", "da")
"""Languages every starter module and every exported document label exists in."""

MODULE_KEY_PATTERN = named_pattern(
    r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
    "a module key such as SEC-ISO27001-CERTIFICATE: capital letters and digits in two or more parts joined by hyphens",
)
ModuleKey = Annotated[str, msgspec.Meta(pattern=MODULE_KEY_PATTERN, max_length=64)]
NAME_PATTERN = named_pattern(
    r"^[a-z][a-z0-9_]*$", "a name of lower-case letters, digits and underscores, starting with a letter, such as delivery_seconds"
)
Name = Annotated[str, msgspec.Meta(pattern=NAME_PATTERN, max_length=48)]
MAX_VERSION = 10_000
VersionNumber = Annotated[int, msgspec.Meta(ge=1, le=MAX_VERSION)]
"""A module version number; bounded so it always fits the database's integers."""
VOCABULARY_KEY_PATTERN = named_pattern(r"^[a-z0-9_]+$", "a catalogue key of lower-case letters, digits and underscores, such as gps_alarm")
VocabularyKey = Annotated[str, msgspec.Meta(pattern=VOCABULARY_KEY_PATTERN, max_length=64)]
"""A key of a library catalogue vocabulary (category, product category, study design, outcome domain)."""
VersionStatus = Literal["draft", "published", "deprecated"]
Kind = Literal["qualification", "mandatory", "award", "contract_condition"]
Level = Literal["basic", "advanced", "spearhead"]
ParameterType = Literal["integer", "decimal", "enum", "boolean", "text", "duration"]
DurationUnit = Literal["seconds", "minutes", "hours", "days", "weeks", "months", "years"]


Jurisdiction = Literal["NO", "SE", "DK", "FI", "EU"]
"""Where a module or a reference applies: one Nordic country, or ``EU`` for the EU and the EEA (every country)."""
JURISDICTIONS: tuple[Jurisdiction, ...] = ("NO", "SE", "DK", "FI", "EU")
ReferenceStatus = Literal["in_force", "superseded", "withdrawn"]


class Reference(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A standard, law or guidance document a module builds on.

    ``title`` is the working title (English); ``titles`` the official title per language where one
    exists; ``edition`` the version or date that is meant (``V3.1.3``, ``2024-09``).
    """

    kind: Literal["standard", "law", "guidance"]
    identifier: Line
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=LINE_PATTERN)]
    jurisdiction: Jurisdiction = "EU"
    titles: LangText = {}
    edition: Line | None = None
    status: ReferenceStatus = "in_force"
    year: Annotated[int, msgspec.Meta(ge=1800, le=2200)] | None = None
    clause: Line | None = None
    url: Line | None = None


class EnumChoice(msgspec.Struct, forbid_unknown_fields=True):
    value: Name
    label: LangText


class Parameter(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A typed value the buyer sets when selecting the module.

    ``min``/``max`` bound numbers and durations; ``unit`` names the unit of a decimal or the
    unit of a duration (durations are whole counts of that unit); ``choices`` lists enum values.
    """

    name: Name
    type: ParameterType
    label: LangText
    default: Any = None
    required: bool = True
    min: Figure | None = None
    max: Figure | None = None
    unit: Line | None = None
    choices: list[EnumChoice] = []
    max_length: Annotated[int, msgspec.Meta(ge=1, le=20_000)] | None = None


class ParameterRef(msgspec.Struct, forbid_unknown_fields=True):
    """A rule value taken from the version's parameter ``parameter``: the value the buyer set for it,
    else its default, exactly as the statement shows it (``registry.requirements.rules``)."""

    parameter: Name


RETIRED_STUDY_DESIGNS = {"before_after": "uncontrolled_before_after"}
"""Study designs the catalogue no longer has, with the design that says what they said: stored
evidence moved to it (migration 0013), and the rules of older module versions are read as it."""

MIN_SAMPLE_SIZE, MAX_SAMPLE_SIZE = 1, 100_000_000
MIN_AGE_YEARS, MAX_AGE_YEARS = 1, 100
SampleSize = Annotated[int, msgspec.Meta(ge=MIN_SAMPLE_SIZE, le=MAX_SAMPLE_SIZE)]
AgeYears = Annotated[int, msgspec.Meta(ge=MIN_AGE_YEARS, le=MAX_AGE_YEARS)]


class EvidenceRule(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Machine-checkable demands on a product's evidence; every field set is one clause.

    A single-valued field may reference one of the version's parameters instead of stating a value
    (``{"parameter": "min_sample_size"}``); where the version has a parameter saying the same thing, it must.
    """

    evidence_types: list[str] = []
    min_study_design: str | ParameterRef | None = None
    outcome_domains: list[str] = []
    min_sample_size: SampleSize | ParameterRef | None = None
    max_age_years: AgeYears | ParameterRef | None = None
    independent_required: bool | ParameterRef = False
    certificate_valid_at_deadline: bool | ParameterRef = False
    certificate_standard: Line | ParameterRef | None = None


MAX_POINTS = (5, 10)


class ScoringStep(msgspec.Struct, forbid_unknown_fields=True):
    points: Annotated[int, msgspec.Meta(ge=0, le=10)]
    descriptor: LangText


class ScoringScale(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """How an award criterion is scored: a descriptor for each step from 0 to ``max_points``, and a
    suggested weight range in percent of the lot's quality share."""

    max_points: Literal[5, 10]
    steps: list[ScoringStep]
    weight: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=100)]], msgspec.Meta(min_length=2, max_length=2)]


class VersionContent(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """Everything a version says; immutable once the version is published.

    ``follow_up``: how the buyer checks the requirement during the contract. ``change_note``: what a
    version changed from the one before, and why.
    """

    kind: Kind
    level: Level = "basic"
    title: LangText
    rationale: LangText
    statement: LangText
    verification: list[str] = []
    verification_text: LangText = {}
    buyer_guidance: LangText = {}
    scoring_guidance: LangText = {}
    scoring_scale: ScoringScale | None = None
    follow_up: LangText = {}
    change_note: LangText = {}
    parameters: list[Parameter] = []
    evidence_rule: EvidenceRule | None = None
