"""The documents render in an office suite: LibreOffice turns them into PDFs of a sane length."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

from exports.docx import tender_docx
from exports.model import TenderDocument
from exports.xlsx import response_form_xlsx
from tests.exports.factory import AMENDMENT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice (libreoffice) is not on PATH"),
]


def _pdf_pages(document: Path, tmp_path: Path) -> int:
    """Convert with a throwaway user profile (no clash with a running LibreOffice) and count pages."""
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
    pdf = (tmp_path / document.name).with_suffix(".pdf").read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_tender_document_and_response_form_convert_to_pdf(sample: TenderDocument, tmp_path: Path) -> None:
    draft = msgspec.structs.replace(sample, draft=True, amendments=(AMENDMENT,))
    tender = tmp_path / "tender.docx"
    tender.write_bytes(tender_docx(draft))
    form = tmp_path / "response-form.xlsx"
    form.write_bytes(response_form_xlsx(draft))

    # Cover, contents and eight chapters of a 14-requirement tender.
    assert 5 <= _pdf_pages(tender, tmp_path) <= 15
    # Two lots fitted to the page width: a page or two each.
    assert 2 <= _pdf_pages(form, tmp_path) <= 6
