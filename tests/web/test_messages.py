"""One translation mechanism for the interface: every message the templates and pages use is in each
language's catalog, translated, with the same placeholders; dates and numbers in each language's format."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from registry.web.i18n import LANGUAGES, LOCALES_DIR, Formats, preferred
from registry.web.messages import extracted

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(language: str) -> dict[str | tuple[str, ...], tuple[str, ...]]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    return {m.id: (m.string,) if isinstance(m.string, str) else tuple(m.string) for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_in_use_is_translated_with_the_same_placeholders(language: str) -> None:
    catalog = _catalog(language)
    used = dict(extracted())
    missing = [f"{where}: {message!r}" for message, where in used.items() if not all(catalog.get(message, ("",)))]
    assert missing == [], f"untranslated in {language}; run `make messages` and translate"
    for message in used:
        source = message if isinstance(message, str) else message[0]
        for translated in catalog[message]:
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(source)), (language, message, translated)


def test_the_english_catalog_lists_every_message_too() -> None:
    assert set(dict(extracted())) <= set(_catalog("en")), "run `make messages`"


def test_dates_and_numbers_follow_the_language() -> None:
    day = date(2027, 3, 1)
    assert [Formats(lang).date(day) for lang in ("nb", "sv", "da", "en")] == ["1. mars 2027", "1 mars 2027", "1. marts 2027", "1 March 2027"]
    assert [Formats(lang).number(12500.5) for lang in ("nb", "sv", "da", "en")] == ["12\xa0500,5", "12\xa0500,5", "12.500,5", "12,500.5"]


@pytest.mark.parametrize(
    ("header", "language"),
    [("da-DK,da;q=0.9,en;q=0.8", "da"), ("en;q=0.5, sv", "sv"), ("nn-NO", "nb"), ("fr, de", None), ("", None), ("da;q=abc, sv", "sv")],
)
def test_the_browsers_preferred_language_is_the_best_weighted_one_we_have(header: str, language: str | None) -> None:
    assert preferred(header) == language
