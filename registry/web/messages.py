"""The interface's messages as Babel extracts them from the templates and pages (``make messages``; a test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from registry.web.i18n import LANGUAGES, LOCALES_DIR

HERE = Path(__file__).parent
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "say": (2,), "said": None, "said_n": (1, 2)}
"""``say(request, message)`` is the pages' gettext; templates and ``library`` call ``_`` and ``ngettext``; the evidence
fit's reasons are ``said`` and ``said_n``."""
ELSEWHERE = [HERE.parent / "evidence" / "fit.py"]
"""Modules outside the interface whose messages the pages say: the evidence fit's reasons."""


def extracted() -> Iterator[tuple[str | tuple[str, ...], str]]:
    """Every message (a string, or singular and plural) with the file and line it comes from."""
    options = {"templates/**.html": {"autoescape": "true"}}
    for filename, line, message, _, _ in extract_from_dir(HERE, METHODS, keywords=KEYWORDS, options_map=options):
        yield message, f"{filename}:{line}"
    for path in ELSEWHERE:
        for line, message, _, _ in extract_from_file("python", path, keywords=KEYWORDS):
            yield message, f"{path.relative_to(HERE.parent)}:{line}"


def template() -> Catalog:
    """The catalog of every message the interface uses, without translations."""
    catalog = Catalog(project="welfare-tech-registry", charset="utf-8")
    for message, where in extracted():
        filename, line = where.rsplit(":", 1)
        catalog.add(message, locations=[(filename, int(line))])
    return catalog


def update() -> None:
    """Bring every language's catalog up to the messages in use: new ones added empty, gone ones marked obsolete."""
    source = template()
    for language in LANGUAGES:
        path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=language)
        else:
            catalog = Catalog(locale=language, project="welfare-tech-registry", charset="utf-8")
        catalog.update(source, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.obsolete.clear()  # messages no longer used go; version control keeps their history
        with path.open("wb") as po:
            write_po(po, catalog, width=120, omit_header=False, sort_output=False, include_previous=False)
        untranslated = [m for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))]
        print(f"{path}: {len(untranslated)} messages to translate")


if __name__ == "__main__":
    update()
