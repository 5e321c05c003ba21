from __future__ import annotations

import msgspec
import pytest

from exports.labels import LABELS, LANGUAGES
from exports.model import TenderDocument
from exports.xlsx import response_form_xlsx
from tests.exports.factory import GENERATED_AT, sample_tender
from tests.exports.readback import open_xlsx, zip_stamps

HEADER = [
    "ID",
    "Kategori",
    "Krav",
    "Type",
    "Vekt",
    "Dokumentasjon",
    "Oppfylt",
    "Leverandørens svar",
    "Henvisning til vedlegg",
]


def test_one_sheet_per_lot_one_row_per_requirement(sample: TenderDocument) -> None:
    workbook = open_xlsx(response_form_xlsx(sample))
    assert workbook.sheetnames == ["Delkontrakt 1 Digitale trygghet", "Delkontrakt 2 Lokaliseringstekn"]
    for sheet, lot in zip(workbook.worksheets, sample.lots, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADER
        assert len(rows) == len(lot.requirements) + 1
        for row, requirement in zip(rows[1:], lot.requirements, strict=True):
            assert row[0] == requirement.id and row[1] == requirement.category_label
            assert requirement.title in row[2] and requirement.statement in row[2]
            assert row[3] == LABELS["nb"][f"kind.{requirement.kind}"]
            assert row[4] == (requirement.weight and int(requirement.weight))
            assert row[6:] == (None, None, None)


def test_descriptive_columns_locked_answers_open_and_yes_no_validated(sample: TenderDocument) -> None:
    sheet = open_xlsx(response_form_xlsx(sample)).worksheets[0]
    last = len(sample.lots[0].requirements) + 1
    assert sheet.protection.sheet
    assert all(cell.protection.locked for row in sheet.iter_rows(max_col=6) for cell in row)
    assert not any(cell.protection.locked for row in sheet.iter_rows(min_row=2, min_col=7) for cell in row)
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows() for cell in row)
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.formula1, str(validation.sqref)) == ("list", '"Ja,Nei"', f"G2:G{last}")
    assert validation.error == "Velg Ja eller Nei."
    assert sheet.column_dimensions["C"].width == 60
    # Rows are as tall as their wrapped text: a title and a statement make at least two lines.
    assert all(sheet.row_dimensions[row].height >= 30 for row in range(2, last + 1))


def test_print_setup_and_properties(sample: TenderDocument) -> None:
    workbook = open_xlsx(response_form_xlsx(sample))
    sheet = workbook.worksheets[0]
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "B2"
    assert sheet.oddHeader.center.text == "Delkontrakt 1: Digitale trygghetsalarmer med alarmmottak"
    props = workbook.properties
    assert (props.creator, props.lastModifiedBy, props.identifier) == (
        sample.lead_buyer.name,
        sample.publisher,
        "GHO-2026-004",
    )
    assert props.created == props.modified == GENERATED_AT.replace(tzinfo=None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_are_in_the_document_language(language: str) -> None:
    labels = LABELS[language]  # type: ignore[index]
    sheet = open_xlsx(response_form_xlsx(sample_tender(language))).worksheets[0]  # type: ignore[arg-type]
    header = [cell.value for cell in sheet[1]]
    assert header[2] == labels["col.requirement"] and header[6:] == [
        labels["col.compliance"],
        labels["col.answer"],
        labels["col.evidence"],
    ]
    assert sheet.data_validations.dataValidation[0].formula1 == f'"{labels["yes"]},{labels["no"]}"'
    assert sheet.title.startswith(labels["lot"])


def test_text_is_never_turned_into_a_formula(sample: TenderDocument) -> None:
    lot = sample.lots[0]
    requirement = msgspec.structs.replace(lot.requirements[0], id="=1+1", title='=HYPERLINK("http://x")')
    doc = msgspec.structs.replace(sample, lots=(msgspec.structs.replace(lot, requirements=(requirement,)),))
    cell = open_xlsx(response_form_xlsx(doc)).worksheets[0]["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_sheet_names_are_valid_and_unique(sample: TenderDocument) -> None:
    lot = msgspec.structs.replace(sample.lots[0], title="Alarmer: [mobil]/*fast*? \\ med en svært lang tittel 😀")
    doc = msgspec.structs.replace(sample, lots=(lot, lot))
    names = open_xlsx(response_form_xlsx(doc)).sheetnames
    assert names == ["Delkontrakt 1 Alarmer mobil fas", "Delkontrakt 1 Alarmer mobil (2)"]
    assert all(len(name.encode("utf-16-le")) <= 62 and not set(name) & set("[]:*?/\\") for name in names)


def test_a_tender_without_lots_still_gives_a_workbook(sample: TenderDocument) -> None:
    workbook = open_xlsx(response_form_xlsx(msgspec.structs.replace(sample, lots=())))
    assert workbook.sheetnames == ["Svarskjema"]
    assert [cell.value for cell in workbook.active[1]] == HEADER


def test_same_input_same_bytes_and_no_wall_clock(sample: TenderDocument) -> None:
    data = response_form_xlsx(sample)
    assert response_form_xlsx(sample) == data
    assert zip_stamps(data) == {GENERATED_AT.timetuple()[:6]}
