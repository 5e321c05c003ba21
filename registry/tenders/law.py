"""What the tender documents state of each country's procurement law, from data files.

``requirement_templates/countries/<CC>.toml`` holds, per country and in the four document
languages, the texts a tender must carry by law: the procurement act, the ESPD, the exclusion
grounds, labour clauses, the standstill period and the review body, and public access to tenders.
Law changes are edits of those files, never of code.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from exports import model
from registry.settings import PROJECT_ROOT
from registry.tenders.schemas import GroundKey

COUNTRIES_DIR = PROJECT_ROOT / "requirement_templates" / "countries"
LANGUAGES = ("en", "nb", "sv", "da")
PLACEHOLDERS = {"standstill": {"days", "review_body"}}
"""The only placeholders a text may hold, by field; every other text is plain."""


class Texts(msgspec.Struct, forbid_unknown_fields=True):
    """One text in every document language."""

    en: str
    nb: str
    sv: str
    da: str

    def get(self, language: str) -> str:
        return str(getattr(self, language))


class ReviewBody(msgspec.Struct, forbid_unknown_fields=True):
    name: Texts
    url: str


class DiscretionaryGround(msgspec.Struct, forbid_unknown_fields=True):
    key: GroundKey
    text: Texts


class CountryLaw(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    country: model.Country
    standstill_days: Annotated[int, msgspec.Meta(ge=1, le=60)]
    labour_clauses_required_for: list[Literal["goods", "services"]] = []
    """The tenders' main categories for which the country's law requires labour clauses."""
    procurement_act: Texts
    review_body: ReviewBody
    espd: Texts
    mandatory_exclusion: Texts
    discretionary_grounds: list[DiscretionaryGround]
    labour_clauses: Texts
    standstill: Texts
    public_access: Texts

    def ground_keys(self) -> list[str]:
        return [ground.key for ground in self.discretionary_grounds]


class LawFileError(Exception):
    """A country file cannot be used; the message names the file and every problem."""


def _problems(law: CountryLaw, path: Path) -> list[str]:
    problems = [] if path.stem == law.country else [f"country {law.country} does not match the file name"]
    fields = ("procurement_act", "espd", "mandatory_exclusion", "labour_clauses", "standstill", "public_access")
    texts = {field: getattr(law, field) for field in fields}
    texts |= {"review_body.name": law.review_body.name} | {f"discretionary_grounds.{g.key}": g.text for g in law.discretionary_grounds}
    for field, text in texts.items():
        allowed = PLACEHOLDERS.get(field, set())
        for language in LANGUAGES:
            value = text.get(language)
            if not value.strip():
                problems.append(f"{field}.{language} is empty")
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
            if names - allowed:
                problems.append(f"{field}.{language} holds unknown placeholders {sorted(names - allowed)}")
    keys = law.ground_keys()
    problems += [f"discretionary ground {key} appears twice" for key in sorted({k for k in keys if keys.count(k) > 1})]
    return problems


def load(path: Path) -> CountryLaw:
    try:
        law = msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), CountryLaw)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError) as exc:
        raise LawFileError(f"{path.name}: {exc}") from exc
    if problems := _problems(law, path):
        raise LawFileError(f"{path.name}: " + "; ".join(problems))
    return law


@cache
def country_law(country: str) -> CountryLaw:
    """The rules of ``country`` (NO, SE, DK or FI), read once."""
    return load(COUNTRIES_DIR / f"{country}.toml")


def stated(law: CountryLaw, language: str, terms: model.Terms, grounds: list[str] | None) -> model.Law:
    """The law as one tender states it: in ``language``, with the discretionary grounds the buyer applies (None: all of them)."""
    review_body = law.review_body.name.get(language)
    return model.Law(
        country=law.country,
        procurement_act=law.procurement_act.get(language),
        espd=law.espd.get(language),
        mandatory_exclusion=law.mandatory_exclusion.get(language),
        discretionary_exclusion=tuple(
            model.Ground(key=g.key, text=g.text.get(language)) for g in law.discretionary_grounds if grounds is None or g.key in grounds
        ),
        labour_clauses=law.labour_clauses.get(language) if terms.labour_clauses else "",
        standstill_days=law.standstill_days,
        standstill=law.standstill.get(language).format(days=law.standstill_days, review_body=review_body),
        review_body=review_body,
        review_body_url=law.review_body.url,
        public_access=law.public_access.get(language),
    )
