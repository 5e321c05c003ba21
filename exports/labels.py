"""Fixed texts and formats of the exported documents in every document language.

The texts are gettext catalogs handled with Babel, in the same form as the web interface's messages:
``locales/<language>/LC_MESSAGES/exports.po`` (domain ``exports``), read as they are (no compile step).
Each entry's ``msgctxt`` is the key the exporters ask for, ``msgid`` the English text and ``msgstr`` the
language's text. Keys with a dot name codes of the snapshot: ``kind.<RequirementKind>``,
``procedure.<Procedure>`` and so on; ``format.*`` are strftime patterns. The keys are data, not extracted
from code: a new label is a new entry in all four catalogs.

The English catalog repeats each msgid as its msgstr rather than leaving it empty: to every gettext tool
an empty msgstr means "not translated", so this way all four catalogs are complete in the same sense, one
rule reads them all, and the check below keeps the English msgstr and msgid from drifting apart.

The catalogs are read and checked once per process, on import (about 20 ms), never per document.
An entry missing, empty, fuzzy, with other placeholders than its English text, or translating another
English text than the English catalog's stops the import with every such entry named, so a document
never shows a half-translated catalog.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from string import Formatter
from typing import get_args
from zoneinfo import ZoneInfo

from babel.messages.pofile import read_po

from exports.model import Language, Money

LANGUAGES: tuple[Language, ...] = get_args(Language)
LOCALES_DIR = Path(__file__).parent / "locales"


class CatalogError(ValueError):
    """A catalog of the exports' texts that the documents cannot use; the message names every bad entry."""


def catalog_path(directory: Path, language: Language) -> Path:
    return directory / language / "LC_MESSAGES" / "exports.po"


def _placeholders(text: str) -> set[str] | None:
    """The ``{name}`` fields of a text (``{}`` counts as the name ""), None when its braces do not parse."""
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _entries(path: Path, language: Language, problems: list[str]) -> dict[str, tuple[str, str]]:
    """Key -> (English msgid, msgstr) of one catalog, noting in `problems` what makes an entry unusable."""
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, abort_invalid=True)
    entries: dict[str, tuple[str, str]] = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            problems.append(f"{path}: {message.context or message.id}: plural forms are not used here")
        elif not message.context:
            problems.append(f"{path}: {message.id!r} has no msgctxt (the key)")
        elif message.context in entries:
            problems.append(f"{path}: {message.context}: listed twice")
        else:
            if message.fuzzy:
                problems.append(f"{path}: {message.context}: fuzzy (check the text, then remove the flag)")
            fields = _placeholders(message.id)
            if not message.string.strip():
                problems.append(f"{path}: {message.context}: empty")
            elif fields is None or _placeholders(message.string) != fields:
                problems.append(f"{path}: {message.context}: placeholders differ from the English text")
            entries[message.context] = (message.id, message.string)
    return entries


def read_catalogs(directory: Path = LOCALES_DIR) -> dict[Language, dict[str, str]]:
    """Each language's texts by key, from the catalogs in `directory`; `CatalogError` if any entry is unusable."""
    problems: list[str] = []
    found = {language: _entries(catalog_path(directory, language), language, problems) for language in LANGUAGES}
    english = found["en"]
    for key, (msgid, text) in english.items():
        if text != msgid:
            problems.append(f"{catalog_path(directory, 'en')}: {key}: msgstr differs from msgid")
    for language, entries in found.items():
        path = catalog_path(directory, language)
        problems += [f"{path}: {key}: missing" for key in english.keys() - entries.keys()]
        problems += [f"{path}: {key}: not in the English catalog" for key in entries.keys() - english.keys()]
        problems += [
            f"{path}: {key}: translates {msgid!r}, the English catalog has {english[key][0]!r}"
            for key, (msgid, _) in entries.items()
            if key in english and msgid != english[key][0]
        ]
    if problems:
        raise CatalogError("\n".join(sorted(problems)))
    return {language: {key: text for key, (_, text) in entries.items()} for language, entries in found.items()}


LABELS: dict[Language, dict[str, str]] = read_catalogs()

# Thousands separator and decimal mark: English keeps Python's, the Nordic languages use a
# non-breaking space and a comma.
_NORDIC_DIGITS = str.maketrans({",": "\u00a0", ".": ","})


class Locale:
    """Labels and number/date formats of one document language, with deadlines shown in `timezone`."""

    def __init__(self, language: Language, timezone: str) -> None:
        self.language = language
        self.labels = LABELS[language]
        self.zone = ZoneInfo(timezone)

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def number(self, value: int | Decimal) -> str:
        text = format(value, ",") if isinstance(value, int) else format(value.normalize(), ",f")
        return text if self.language == "en" else text.translate(_NORDIC_DIGITS)

    def percent(self, value: Decimal) -> str:
        return self.labels["format.percent"].format(self.number(value))

    def money(self, value: Money) -> str:
        return f"{value.currency} {self.number(value.amount)}"

    def date(self, value: date) -> str:
        """The calendar date; a datetime is first moved into the document's time zone."""
        if isinstance(value, datetime):
            value = value.astimezone(self.zone)
        return value.strftime(self.labels["format.date"])

    def datetime(self, value: datetime) -> str:
        return value.astimezone(self.zone).strftime(self.labels["format.datetime"])

    def fallback_note(self, texts: tuple[str, ...]) -> str:
        """Metadata line naming the texts that fell back to English, empty when none did."""
        return self.labels["fallbacks"].format(texts="; ".join(texts)) if texts else ""
