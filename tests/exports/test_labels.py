from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from string import Formatter
from typing import get_args

import pytest

from exports.labels import _TABLE, LABELS, LANGUAGES, Locale
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


def test_every_label_exists_in_all_four_languages() -> None:
    assert LANGUAGES == ("en", "nb", "sv", "da")
    for key, texts in _TABLE.items():
        assert len(texts) == len(LANGUAGES), key
        assert all(text.strip() for text in texts), key
        assert all(set(LABELS[language]) == set(_TABLE) for language in LANGUAGES)


def test_translations_use_the_same_placeholders() -> None:
    for key, texts in _TABLE.items():
        assert len({frozenset(_placeholders(text)) for text in texts}) == 1, key


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
    assert {f"{prefix}.{code}" for code in codes} == {key for key in _TABLE if key.startswith(f"{prefix}.")}


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
