"""The response form's formulas calculate in an office suite: a supplier's unit prices give line
totals and the evaluated total price of each lot on the lots sheet."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest

from exports.model import TenderDocument
from exports.xlsx import response_form_xlsx
from tests.exports.readback import open_xlsx


def _calc_installed() -> bool:
    """LibreOffice with its spreadsheet module (a distribution may ship the word processor alone)."""
    soffice = shutil.which("libreoffice")
    return soffice is not None and any(Path(soffice).resolve().parent.glob("libsclo.*"))


pytestmark = [pytest.mark.slow, pytest.mark.skipif(not _calc_installed(), reason="LibreOffice Calc is not installed")]

LOTS_SHEET = 3


def _calculated_rows(workbook: bytes, sheet: int, tmp_path: Path) -> list[list[str]]:
    """The sheet numbered `sheet` (from 1) as LibreOffice calculates it, exported as CSV."""
    source = tmp_path / "form.xlsx"
    source.write_bytes(workbook)
    out = tmp_path / "csv"
    # Comma, double quote, UTF-8, from line 1, standard cell format, ..., values unformatted and not their formulas, the sheet's number.
    options = f"44,34,76,1,,0,false,true,false,false,false,{sheet}"
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    (result,) = out.glob("*.csv")
    with result.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def test_unit_prices_give_line_totals_and_the_lots_evaluated_total(sample: TenderDocument, tmp_path: Path) -> None:
    workbook = open_xlsx(response_form_xlsx(sample))
    workbook["Priser Delkontrakt 1"]["C2"] = 250  # 1110 alarms at 250
    workbook["Priser Delkontrakt 2"]["C2"] = 1000.5  # 105 trackers at 1000.50
    filled = BytesIO()
    workbook.save(filled)

    rows = _calculated_rows(filled.getvalue(), LOTS_SHEET, tmp_path)
    totals = [float(row[5]) for row in rows[1:3]]
    assert totals == [277_500.0, 105_052.5]
