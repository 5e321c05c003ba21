from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from string import Formatter
from typing import get_args

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from exports.labels import LABELS, LANGUAGES, LOCALES_DIR, CatalogError, Locale, catalog_path, read_catalogs
from exports.model import (
    Country,
    Level,
    Money,
    Procedure,
    ReferenceKind,
    RequirementKind,
)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def _catalog(language: str) -> dict[str, Message]:
    with catalog_path(LOCALES_DIR, language).open("rb") as po:  # type: ignore[arg-type]
        return {message.context: message for message in read_po(po, locale=language) if message.id and message.context}


def test_every_label_exists_in_all_four_languages() -> None:
    assert LANGUAGES == ("en", "nb", "sv", "da")
    english = _catalog("en")
    assert len(english) > 200
    for language in LANGUAGES:
        catalog = _catalog(language)
        assert set(catalog) == set(english), language
        assert all(str(message.string).strip() and not message.fuzzy for message in catalog.values()), language
        assert all(message.id == english[key].id for key, message in catalog.items()), "every language translates the same English"
        assert LABELS[language] == {key: message.string for key, message in catalog.items()}


def test_the_english_catalog_gives_each_msgid_as_its_text() -> None:
    assert all(message.string == message.id for message in _catalog("en").values())


def test_translations_use_the_same_placeholders() -> None:
    for key, text in LABELS["en"].items():
        assert all(_placeholders(LABELS[language][key]) == _placeholders(text) for language in LANGUAGES), key


def _copy_with(tmp_path: Path, language: str, key: str, change: Callable[[str], str]) -> Path:
    """A copy of the catalogs in which `change` rewrote the entry of `key` in one language's catalog."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    path = catalog_path(copy, language)  # type: ignore[arg-type]
    entries = path.read_text(encoding="utf-8").split("\n\n")
    [index] = [i for i, entry in enumerate(entries) if f'msgctxt "{key}"\n' in entry]
    entries[index] = change(entries[index])
    path.write_text("\n\n".join(entry for entry in entries if entry), encoding="utf-8")
    return copy


def test_an_unchanged_copy_of_the_catalogs_reads_as_the_labels(tmp_path: Path) -> None:
    assert read_catalogs(_copy_with(tmp_path, "nb", "draft", lambda entry: entry)) == LABELS


@pytest.mark.parametrize(
    ("language", "key", "change", "problem"),
    [
        ("sv", "kind.award", lambda entry: "", "kind.award: missing"),
        ("da", "tender_document", lambda entry: entry.replace('"Udbudsbetingelser"', '""'), "tender_document: empty"),
        ("da", "tender_document", lambda entry: entry.replace('"Udbudsbetingelser"', '"  "'), "tender_document: empty"),
        ("nb", "fallbacks", lambda entry: entry.replace("mangler: {texts}", "mangler: {tekster}"), "fallbacks: placeholders differ"),
        ("sv", "participants_listed", lambda entry: entry.replace("”{chapter}”", "”{chapter”"), "participants_listed: placeholders differ"),
        ("nb", "draft", lambda entry: f"#, fuzzy\n{entry}", "draft: fuzzy"),
        ("sv", "page", lambda entry: entry.replace('msgid "Page"', 'msgid "Sheet"'), "page: translates 'Sheet'"),
        ("en", "page", lambda entry: entry.replace('msgstr "Page"', 'msgstr "Sheet"'), "page: msgstr differs from msgid"),
        ("da", "page", lambda entry: f'{entry}\n\nmsgctxt "pages"\nmsgid "Pages"\nmsgstr "Sider"', "pages: not in the English catalog"),
        ("da", "page", lambda entry: f'{entry}\n\nmsgid "Pages"\nmsgstr "Sider"', "'Pages' has no msgctxt"),
        ("da", "page", lambda entry: f'{entry}\n\nmsgctxt "page"\nmsgid "Pages"\nmsgstr "Sider"', "page: listed twice"),
        (
            "da",
            "page",
            lambda entry: f'{entry}\n\nmsgctxt "pages"\nmsgid "Page"\nmsgid_plural "Pages"\nmsgstr[0] "Side"\nmsgstr[1] "Sider"',
            "pages: plural forms are not used here",
        ),
    ],
)
def test_a_catalog_entry_missing_empty_fuzzy_or_with_other_placeholders_is_refused_and_named(
    tmp_path: Path, language: str, key: str, change: Callable[[str], str], problem: str
) -> None:
    with pytest.raises(CatalogError) as refused:
        read_catalogs(_copy_with(tmp_path, language, key, change))
    assert f"{language}/LC_MESSAGES/exports.po: {problem}" in str(refused.value)
    assert len(str(refused.value).splitlines()) == 1, "only the bad entry is named"


def test_documents_never_read_the_catalogs_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The labels are read once per process, on import: building documents reads no catalog."""
    from exports import response_form_xlsx, tender_docx, tender_ocds
    from tests.exports.factory import sample_tender

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a catalog was read while building a document")

    monkeypatch.setattr("exports.labels.read_po", refuse)
    for language in LANGUAGES:
        document = sample_tender(language)
        assert tender_docx(document) and response_form_xlsx(document) and tender_ocds(document)
        assert Locale(language, "Europe/Oslo").labels is LABELS[language]


@pytest.mark.parametrize(
    ("prefix", "codes"),
    [
        ("kind", get_args(RequirementKind)),
        ("procedure", get_args(Procedure)),
        ("level", get_args(Level)),
        ("reference", get_args(ReferenceKind)),
        ("country", get_args(Country)),
    ],
)
def test_every_code_of_the_snapshot_has_a_label(prefix: str, codes: tuple[str, ...]) -> None:
    assert {f"{prefix}.{code}" for code in codes} == {key for key in LABELS["en"] if key.startswith(f"{prefix}.")}


def test_real_translations_of_the_document_name() -> None:
    assert [LABELS[language]["tender_document"] for language in LANGUAGES] == [
        "Tender document",
        "Konkurransegrunnlag",
        "Upphandlingsdokument",
        "Udbudsbetingelser",
    ]


def test_numbers_dates_and_money_follow_the_language() -> None:
    english, norwegian = Locale("en", "Europe/Oslo"), Locale("nb", "Europe/Oslo")
    assert english.number(1234567) == "1,234,567"
    assert norwegian.number(1234567) == "1\u00a0234\u00a0567"
    assert norwegian.number(Decimal("12.50")) == "12,5"
    assert norwegian.number(Decimal("1E+2")) == "100"
    assert english.percent(Decimal(40)) == "40%"
    assert norwegian.percent(Decimal("12.5")) == "12,5 %"
    assert norwegian.money(Money(amount=Decimal("18500000"), currency="NOK")) == "NOK 18\u00a0500\u00a0000"
    assert norwegian.date(date(2026, 4, 6)) == "06.04.2026"
    assert Locale("sv", "Europe/Stockholm").date(date(2026, 4, 6)) == "2026-04-06"
    # Deadlines are shown in the tender's time zone, with its abbreviation.
    assert norwegian.datetime(datetime(2026, 4, 6, 10, 0, tzinfo=UTC)) == "06.04.2026 kl. 12:00 CEST"
    assert norwegian.date(datetime(2026, 4, 5, 23, 30, tzinfo=UTC)) == "06.04.2026"


# Labels a Nordic language writes exactly as English does, each checked by a native reader. Any
# other label equal to its English text is an untranslated copy, shown to buyers as English.
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "nb": {"col.id", "col.kind", "country.FI", "reference.standard"},  # ID, Type, Finland, Standard
    "sv": {"col.id", "country.FI", "reference.standard", "version", "format.date"},  # ISO dates in Sweden
    "da": {"col.id", "col.kind", "country.FI", "reference.standard", "version", "reference"},
}


@pytest.mark.parametrize("language", ["nb", "sv", "da"])
def test_nordic_labels_never_fall_back_to_english(language: str) -> None:
    same = {key for key, text in LABELS[language].items() if text == LABELS["en"][key]}  # type: ignore[index]
    assert same == SAME_AS_ENGLISH[language]


@pytest.mark.parametrize("language", ["nb", "sv", "da"])
def test_nordic_documents_carry_no_english_label(language: str) -> None:
    from exports.docx import tender_docx
    from tests.exports.factory import untidy_tender
    from tests.exports.readback import open_docx, table_rows

    document = open_docx(tender_docx(untidy_tender(language)))  # type: ignore[arg-type]
    texts = {p.text for p in document.paragraphs} | {cell for row in table_rows(document) for cell in row}
    english = {text for key, text in LABELS["en"].items() if key not in SAME_AS_ENGLISH[language] and len(text) > 3}
    shown = {text for text in english for seen in texts if seen == text or seen.endswith(f" {text}") or seen.startswith(f"{text}:")}
    assert shown == set(), "label cells, headings and lead-ins are never English"
