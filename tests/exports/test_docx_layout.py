"""Table columns fit their words: no header label, kind label or module key breaks in the middle."""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec
import pytest
from docx.oxml.ns import qn
from docx.table import Table

from exports.docx import contract_annex_docx, tender_docx
from exports.labels import LABELS, LANGUAGES
from exports.model import Language, TenderDocument
from exports.template import CELL_MARGIN, TABLE_FONT_SIZE, word_width
from tests.exports.factory import sample_tender
from tests.exports.readback import open_docx

_BREAKS = re.compile(r"[ \t\n]+|(?<=-)(?=[^\W\d_])")  # spaces, and after a hyphen before a letter


def long_words(language: Language) -> TenderDocument:
    """The sample with the longest module key of the library and a long Swedish verification document."""
    doc = sample_tender(language)
    first, *rest = doc.lots[0].requirements
    long = msgspec.structs.replace(first, module_key="CONSENT-RESTRICTIVE-MEASURE-REPORTING", verification_documents=("Personuppgiftsbiträdesavtal",))
    lot = msgspec.structs.replace(doc.lots[0], requirements=(long, *rest))
    return msgspec.structs.replace(doc, lots=(lot, *doc.lots[1:]))


def _column_words(table: Table) -> Iterator[tuple[int, str, int]]:
    """(column width, word, font size in half-points) for every word printed in the table."""
    widths = [int(width) for width in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    for row in table.rows:
        for width, cell in zip(widths, row.cells, strict=True):
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    size = int(run.font.size.pt * 2) if run.font.size else TABLE_FONT_SIZE
                    yield from ((width, word, size) for word in _BREAKS.split(run.text) if word)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_column_is_as_wide_as_its_longest_word(language: Language) -> None:
    doc = long_words(language)
    for data in (tender_docx(doc), contract_annex_docx(doc)):
        for table in open_docx(data).tables:
            for width, word, size in _column_words(table):
                assert width - 2 * CELL_MARGIN >= word_width(word, size), (word, width)


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_labels_and_module_keys_are_printed_whole(language: Language) -> None:
    labels = LABELS[language]
    document = open_docx(tender_docx(long_words(language)))
    printed = {word for table in document.tables for _, word, _ in _column_words(table)}
    for key in ("col.requirement", "col.verification", "col.kind", "col.weight", "col.criterion", "col.scoring", "col.mandate"):
        assert set(_BREAKS.split(labels[key])) <= printed, key
    assert {"Personuppgiftsbiträdesavtal", "RESTRICTIVE-", *_BREAKS.split(labels["kind.award"])} <= printed


def test_the_word_measure_is_never_below_arial_bold() -> None:
    """Advance widths of Arial Bold (thousandths of an em) for the widest letters of each class."""
    arial_bold = {"W": 944, "M": 833, "O": 778, "m": 889, "w": 778, "d": 611, "a": 556, "1": 556, "r": 389, "i": 278, "æ": 889, "ø": 611}
    for letter, thousandths in arial_bold.items():
        assert word_width(letter, 20) >= thousandths * 20 * 10 / 1000, letter


def test_table_header_rows_keep_with_the_first_row(sample: TenderDocument) -> None:
    document = open_docx(tender_docx(sample))
    headed = [table for table in document.tables if table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")]
    assert headed
    for table in headed:
        assert all(p._p.xpath("./w:pPr/w:keepNext") for cell in table.rows[0].cells for p in cell.paragraphs)


def test_whatever_introduces_a_table_keeps_with_it(sample: TenderDocument) -> None:
    document = open_docx(tender_docx(sample))
    heading_ids = {document.styles[f"Heading {level}"].style_id for level in (1, 2, 3)}
    body = list(document.element.body.iterchildren())
    before_tables = [body[n - 1] for n, element in enumerate(body) if element.tag == qn("w:tbl") and n > 2]
    for paragraph in before_tables:
        style = paragraph.xpath("./w:pPr/w:pStyle/@w:val")
        assert paragraph.xpath("./w:pPr/w:keepNext") or set(style) & heading_ids, paragraph.xpath("string(.)")
