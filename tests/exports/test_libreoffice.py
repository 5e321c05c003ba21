"""The documents render in an office suite: LibreOffice turns them into PDFs of a sane length."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

from exports.docx import contract_annex_docx, tender_docx
from exports.labels import LABELS, LANGUAGES
from exports.model import Language, TenderDocument
from exports.xlsx import response_form_xlsx
from tests.exports.factory import AMENDMENT, sample_tender
from tests.exports.readback import open_docx
from tests.exports.test_docx_contents import numbered_headings
from tests.exports.test_docx_layout import long_words

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice (libreoffice) is not on PATH"),
]


def _pdf(document: Path, tmp_path: Path) -> Path:
    """Convert with a throwaway user profile (no clash with a running LibreOffice)."""
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    return (tmp_path / document.name).with_suffix(".pdf")


def _pdf_pages(document: Path, tmp_path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", _pdf(document, tmp_path).read_bytes()))


def _pdf_text(document: Path, tmp_path: Path) -> str:
    """The PDF's text as a reader sees it, lines kept (needs poppler's pdftotext)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not on PATH")
    pdf = _pdf(document, tmp_path)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_tender_document_converts_to_a_pdf_of_sane_length(sample: TenderDocument, tmp_path: Path) -> None:
    tender = tmp_path / "tender.docx"
    tender.write_bytes(tender_docx(msgspec.structs.replace(sample, draft=True, amendments=(AMENDMENT,))))
    # Cover, contents and twelve chapters of a 14-requirement tender.
    assert 6 <= _pdf_pages(tender, tmp_path) <= 15


@pytest.mark.skipif(shutil.which("localc") is None, reason="LibreOffice Calc (libreoffice-calc) is not installed")
def test_response_form_converts_to_pdf(sample: TenderDocument, tmp_path: Path) -> None:
    form = tmp_path / "response-form.xlsx"
    form.write_bytes(response_form_xlsx(msgspec.structs.replace(sample, draft=True, amendments=(AMENDMENT,))))
    # The cover, the instructions and the lots sheet, then for each of two lots its requirements (fitted to the
    # page width, a page or two) and its price schedule.
    assert 7 <= _pdf_pages(form, tmp_path) <= 14


@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_print_with_their_numbers_and_long_words_print_whole(language: Language, tmp_path: Path) -> None:
    labels = LABELS[language]
    document = tmp_path / f"tender-{language}.docx"
    document.write_bytes(tender_docx(long_words(language)))
    text = _pdf_text(document, tmp_path)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for number, key in (("1", "introduction"), ("4", "doc.instructions"), ("8.1", "doc.agreement"), ("9", "doc.review")):
        heading = f"{number} {labels[key]}"
        # once in the table of contents and once in the text
        assert sum(line.startswith(heading) for line in lines) == 2, heading
    for word in (labels["kind.award"], labels["col.verification"], "Personuppgiftsbiträdesavtal", "RESTRICTIVE-"):
        assert word in text, word


def test_contract_annex_converts_to_a_short_pdf(sample: TenderDocument, tmp_path: Path) -> None:
    annex = tmp_path / "contract-annex.docx"
    annex.write_bytes(contract_annex_docx(sample))
    assert 1 <= _pdf_pages(annex, tmp_path) <= 4


_LEADER = re.compile(r"\s*\.{3,}\s*")


def _page_lines(text: str) -> list[list[str]]:
    """Each page's lines, a dotted leader or a run of spaces made one space."""
    return [[" ".join(_LEADER.sub(" ", line).split()) for line in page.splitlines() if line.strip()] for page in text.split("\f")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_contents_line_ends_with_the_page_its_heading_prints_on(language: Language, tmp_path: Path) -> None:
    data = tender_docx(sample_tender(language))
    listed = [heading for heading in numbered_headings(open_docx(data)) if heading.level <= 2]
    document = tmp_path / f"tender-{language}.docx"
    document.write_bytes(data)
    pages = _page_lines(_pdf_text(document, tmp_path))
    contents = pages[1]  # the page after the cover
    assert LABELS[language]["table_of_contents"] in contents

    def printed_on(heading: str) -> int:
        (page,) = [n for n, lines in enumerate(pages[2:], 3) if any(line.startswith(heading) for line in lines)]
        return page

    expected = [f"{h.number} {h.text} {printed_on(f'{h.number} {h.text}')}" for h in listed]
    assert [line for line in contents if line[:1].isdigit()] == expected
