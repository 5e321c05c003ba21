"""The web interface's languages: gettext catalogs handled with Babel, and which language a request gets.

Catalogs are the ``locales/<language>/LC_MESSAGES/messages.po`` files, read once at first use (no
compile step: Babel turns each into gettext translations in memory). A test extracts every message
of the templates and pages and fails on one missing or empty in any language.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from litestar import Request

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("nb", "sv", "da", "en")
"""The interface's languages, also the document languages; English is the last resort."""
NAMES = {"nb": "Norsk bokmål", "sv": "Svenska", "da": "Dansk", "en": "English"}
"""Each language in itself, as the language switcher shows it."""
COOKIE = "language"


@cache
def translations(language: str) -> Translations:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


COUNTRY_LANGUAGES = {"NO": "nb", "SE": "sv", "DK": "da", "FI": "sv"}
"""The interface language of an organization's country; Finland's is Swedish, its official language the interface has."""


def chosen(request: Request) -> str:
    """The language a request is answered in: the one chosen with the switcher (a cookie), else the browser's
    preference (``Accept-Language``, in order of quality), else the signed-in person's organization's country's,
    else English."""
    if (cookie := request.cookies.get(COOKIE)) in LANGUAGES:
        return cookie
    if language := preferred(request.headers.get("accept-language", "")):
        return language
    viewer = request.state.get("viewer")
    return COUNTRY_LANGUAGES.get(viewer.country, "en") if viewer else "en"


def preferred(header: str) -> str | None:
    """The first of ``LANGUAGES`` an ``Accept-Language`` header asks for; Norwegian (``no``, ``nn``) reads as bokmål."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        weighted.append((-weight, position, tag.strip().lower().split("-")[0]))
    for _, _, primary in sorted(weighted):
        primary = "nb" if primary in ("no", "nn") else primary
        if primary in LANGUAGES:
            return primary
    return None


class Formats:
    """Dates and numbers as each language writes them."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse("en_GB" if language == "en" else language)  # as the documents write English

    def date(self, value: date | datetime | None) -> str:
        return format_date(value, format="long", locale=self.locale) if value else ""

    def datetime(self, value: datetime | None) -> str:
        return format_datetime(value, format="medium", locale=self.locale) if value else ""

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)
