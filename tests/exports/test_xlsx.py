from __future__ import annotations

import time
from decimal import Decimal

import msgspec
import pytest
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from exports.labels import LABELS, LANGUAGES
from exports.model import TenderDocument, Terms, Volume
from exports.xlsx import response_form_xlsx
from tests.exports.factory import GENERATED_AT, big_tender, sample_tender, untidy_tender
from tests.exports.readback import open_xlsx, zip_stamps

SHEETS = ["Forside", "Veiledning", "Delkontrakter", "Delkontrakt 1 Digitale", "Priser Delkontrakt 1", "Delkontrakt 2", "Priser Delkontrakt 2"]
HEADER = [
    "ID",
    "Kategori",
    "Krav",
    "Type",
    "Vekt",
    "Dokumentasjon",
    "Oppfylt",
    "Aksept",
    "Leverandørens svar",
    "Henvisning til vedlegg",
]
SHADED = "00FFF8DC"


def form(doc: TenderDocument) -> Workbook:
    return open_xlsx(response_form_xlsx(doc))


def validations(sheet: Worksheet) -> dict[str, tuple[str, str | None, str | None]]:
    """Each data validation of a sheet by the cells it covers: its type, operator and formula."""
    return {str(v.sqref): (v.type, v.operator, v.formula1) for v in sheet.data_validations.dataValidation}


def is_open(sheet: Worksheet, cell: str) -> bool:
    return not sheet[cell].protection.locked


def test_sheets_come_as_cover_instructions_lots_then_requirements_and_prices_of_each_lot(sample: TenderDocument) -> None:
    workbook = form(sample)
    assert workbook.sheetnames == SHEETS
    assert workbook.active.title == "Forside"
    assert all(sheet.protection.sheet for sheet in workbook.worksheets), "every sheet is protected"


def test_one_row_per_requirement_with_weights_as_percent_numbers(sample: TenderDocument) -> None:
    workbook = form(sample)
    for sheet, lot in zip((workbook["Delkontrakt 1 Digitale"], workbook["Delkontrakt 2"]), sample.lots, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADER
        assert len(rows) == len(lot.requirements) + 1
        for number, (row, requirement) in enumerate(zip(rows[1:], lot.requirements, strict=True), 2):
            assert row[0] == requirement.id and row[1] == requirement.category_label
            assert requirement.title in row[2] and requirement.statement in row[2]
            assert row[3] == LABELS["nb"][f"kind.{requirement.kind}"]
            assert row[6:] == (None, None, None, None)
            if requirement.weight is not None:
                assert row[4] == pytest.approx(float(requirement.weight) / 100)
                assert sheet[f"E{number}"].number_format == "0 %", "0.25 is shown as 25 %"
    assert workbook["Delkontrakt 1 Digitale"]["E8"].value == pytest.approx(0.25)


def test_a_weight_with_decimals_shows_them(sample: TenderDocument) -> None:
    lot = sample.lots[0]
    criterion = msgspec.structs.replace(lot.requirements[2], weight=Decimal("12.5"))
    doc = msgspec.structs.replace(sample, lots=(msgspec.structs.replace(lot, requirements=(criterion,)),))
    cell = form(doc).worksheets[3]["E2"]
    assert (cell.value, cell.number_format) == (pytest.approx(0.125), "0.0 %")


def test_answer_cells_open_only_in_the_columns_the_requirement_kind_answers_in(sample: TenderDocument) -> None:
    sheet = form(sample)["Delkontrakt 1 Digitale"]
    opened = {"qualification": "GJ", "mandatory": "GJ", "award": "IJ", "contract_condition": "H"}
    for row, requirement in enumerate(sample.lots[0].requirements, 2):
        assert {column for column in "ABCDEFGHIJ" if is_open(sheet, f"{column}{row}")} == set(opened[requirement.kind]), requirement.id
        for column in opened[requirement.kind]:
            cell = sheet[f"{column}{row}"]
            assert cell.fill.fgColor.rgb == SHADED and cell.number_format == "@", "open cells are shaded and keep what is typed as text"
        assert sheet[f"A{row}"].fill.fgColor.rgb != SHADED
    assert all(cell.protection.locked for cell in sheet[1]), "the header is locked"
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows() for cell in row)
    assert sheet.column_dimensions["C"].width == 60 and sheet.freeze_panes == "B2"
    # Rows are as tall as their wrapped text: a title and a statement make at least two lines.
    assert all(sheet.row_dimensions[row].height >= 30 for row in range(2, len(sample.lots[0].requirements) + 2))


def test_requirements_are_answered_yes_or_no_and_contract_conditions_accepted_or_not(sample: TenderDocument) -> None:
    sheet = form(sample)["Delkontrakt 1 Digitale"]
    # 1.1-1.2 and 1.4-1.6 are qualification or mandatory requirements, 1.9-1.10 contract conditions.
    assert validations(sheet) == {
        "G2:G3 G5:G7": ("list", None, '"Ja,Nei"'),
        "H10:H11": ("list", None, '"Akseptert,Ikke akseptert"'),
    }
    errors = {v.error for v in sheet.data_validations.dataValidation}
    assert errors == {"Velg Ja eller Nei.", "Velg Akseptert eller Ikke akseptert."}


def test_cover_states_the_tender_and_asks_for_the_suppliers_details(sample: TenderDocument) -> None:
    sheet = form(sample)["Forside"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert values["Referanse"] == "GHO-2026-004"
    assert values["Tittel"] == sample.tender.title
    assert values["Ansvarlig oppdragsgiver"] == sample.lead_buyer.name
    assert values["Tilbudsfrist"] == "06.04.2026 kl. 12:00 CEST"
    inputs = {sheet.cell(row, 1).value: sheet.cell(row, 2) for row in range(8, 15)}
    assert list(inputs) == ["Leverandørens navn", "Org.nr.", "Kontaktperson", "E-post", "Telefon", "Dato", "Signert av (navn)"]
    assert all(not cell.protection.locked and cell.fill.fgColor.rgb == SHADED for cell in inputs.values())
    assert [cell.number_format for cell in inputs.values()] == ["@"] * 5 + ["dd.mm.yyyy", "@"], "an org number keeps its leading zero"
    assert all(sheet.cell(row, column).protection.locked for row in range(1, 7) for column in (1, 2))
    assert validations(sheet) == {
        "B13": ("date", "greaterThanOrEqual", "1"),
        "B11": ("custom", None, 'ISNUMBER(FIND("@",B11))'),
    }


def test_instructions_say_how_to_answer_price_submit_and_how_long_the_tender_binds(sample: TenderDocument) -> None:
    sheet = form(sample)["Veiledning"]
    text = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert text[0] == "Slik fyller du ut svarskjemaet"
    assert "Fyll ut leverandørens opplysninger på arket «Forside»." in text
    assert "Det kan gis tilbud på høyst 2 delkontrakter." in text
    assert any("«Oppfylt» (Ja/Nei) og «Henvisning til vedlegg»" in line for line in text)
    assert any(line.startswith("• Tildelingskriterium: «Leverandørens svar»") for line in text)
    assert "• Kontraktsvilkår: «Aksept» (Akseptert/Ikke akseptert)." in text
    assert any("låst og skal ikke endres" in line for line in text)
    assert "Prispoeng = laveste evaluerte pris ÷ tilbudt pris × vekt for pris." in text
    assert "Oppgi priser i NOK." in text
    submit = "Lever tilbudet, med dette skjemaet og vedleggene, i Mercell (https://permalink.mercell.com/200000000.aspx) innen"
    assert f"{submit} 06.04.2026 kl. 12:00 CEST." in text
    assert "Tilbudet er bindende i 120 dager etter tilbudsfristen." in text


def test_instructions_leave_out_terms_the_tender_does_not_set(sample: TenderDocument) -> None:
    tender = msgspec.structs.replace(sample.tender, terms=Terms(), estimated_value=None)
    text = [row[0] for row in form(msgspec.structs.replace(sample, tender=tender))["Veiledning"].iter_rows(values_only=True)]
    assert "Lever tilbudet, med dette skjemaet og vedleggene, innen 06.04.2026 kl. 12:00 CEST." in text
    assert not any("bindende" in line or "høyst" in line or "Oppgi priser" in line for line in text)


def test_lots_sheet_takes_a_yes_or_no_bid_per_lot_and_shows_its_evaluated_total(sample: TenderDocument) -> None:
    sheet = form(sample)["Delkontrakter"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nr.", "Tittel", "Vekt pris", "Vekt kvalitet", "Vi gir tilbud", "Evaluert totalpris (NOK)")
    assert rows[1][:2] == (1, "Digitale trygghetsalarmer med alarmmottak") and rows[1][2:4] == pytest.approx((0.4, 0.6))
    assert sheet["C2"].number_format == "0 %"
    assert [sheet[f"F{row}"].value for row in (2, 3)] == ["='Priser Delkontrakt 1'!D3", "='Priser Delkontrakt 2'!D3"]
    assert [is_open(sheet, cell) for cell in ("A2", "B2", "C2", "D2", "E2", "F2", "E3")] == [False] * 4 + [True, False, True]
    assert validations(sheet) == {"E2:E3": ("list", None, '"Ja,Nei"')}
    assert rows[4][0] == "Det kan gis tilbud på høyst 2 delkontrakter."


def test_lots_sheet_states_no_limit_when_any_number_of_lots_may_be_bid_for(sample: TenderDocument) -> None:
    tender = msgspec.structs.replace(sample.tender, terms=Terms())
    rows = list(form(msgspec.structs.replace(sample, tender=tender))["Delkontrakter"].iter_rows(values_only=True))
    assert len(rows) == 3


def test_price_schedule_prices_the_summed_volumes_and_totals_them(sample: TenderDocument) -> None:
    sheet = form(sample)["Priser Delkontrakt 1"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Enhet", "Estimert antall", "Enhetspris (NOK)", "Sum linje (NOK)"),
        ("stk", 420 + 260 + 310 + 120, None, "=B2*C2"),
        ("Evaluert totalpris (NOK)", None, None, "=SUM(D2:D2)"),
    ]
    assert [is_open(sheet, cell) for cell in ("A2", "B2", "C2", "D2", "D3")] == [False, False, True, False, False], "only the unit price is typed"
    assert [sheet[cell].number_format for cell in ("B2", "C2", "D2", "D3")] == ["#,##0", "#,##0.00", "#,##0.00", "#,##0.00"]
    assert validations(sheet) == {"C2": ("decimal", "greaterThanOrEqual", "0")}


def test_a_lot_counted_in_several_units_gets_a_line_per_unit_and_the_lots_sheet_uses_its_total() -> None:
    workbook = form(untidy_tender())
    sheet = workbook["Priser Delkontrakt 1"]
    rows = list(sheet.iter_rows(values_only=True))
    # The sample's 1110 alarms, Nordre Land's 75 and Etnedal's 30, and Etnedal's 12 subscriptions.
    assert rows[1:] == [("stk", 1215, None, "=B2*C2"), ("abonnement", 12, None, "=B3*C3"), ("Evaluert totalpris (NOK)", None, None, "=SUM(D2:D3)")]
    assert workbook["Delkontrakter"]["F2"].value == "='Priser Delkontrakt 1'!D4"
    assert validations(sheet) == {"C2:C3": ("decimal", "greaterThanOrEqual", "0")}


def test_a_lot_without_volumes_is_priced_as_one_whole_lot_in_the_tenders_currency_if_any(sample: TenderDocument) -> None:
    tender = msgspec.structs.replace(sample.tender, estimated_value=None)
    sheet = form(msgspec.structs.replace(sample, participants=(), tender=tender))["Priser Delkontrakt 2"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Enhet", "Estimert antall", "Enhetspris", "Sum linje"),
        ("Hele delkontrakten", 1, None, "=B2*C2"),
        ("Evaluert totalpris", None, None, "=SUM(D2:D2)"),
    ]


def test_print_setup_and_properties(sample: TenderDocument) -> None:
    workbook = form(sample)
    for sheet in workbook.worksheets:
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddHeader.left.text == "GHO-2026-004"
    assert workbook["Delkontrakt 1 Digitale"].oddHeader.center.text == "Delkontrakt 1: Digitale trygghetsalarmer med alarmmottak"
    assert workbook["Priser Delkontrakt 2"].oddHeader.center.text == "Priser – Delkontrakt 2: Lokaliseringsteknologi (GPS)"
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
    workbook = form(sample_tender(language))  # type: ignore[arg-type]
    assert workbook.sheetnames[:3] == [labels["sheet.cover"], labels["sheet.instructions"], labels["sheet.lots"]]
    sheet = workbook.worksheets[3]
    header = [cell.value for cell in sheet[1]]
    assert header[2] == labels["col.requirement"]
    assert header[6:] == [labels["col.compliance"], labels["col.acceptance"], labels["col.answer"], labels["col.evidence"]]
    assert sheet.data_validations.dataValidation[0].formula1 == f'"{labels["yes"]},{labels["no"]}"'
    assert sheet.title.startswith(labels["lot"])
    assert workbook.worksheets[4].title == f"{labels['sheet.prices']} {labels['lot']} 1"
    assert workbook.worksheets[0]["A1"].value == labels["response_form"]


def test_text_is_never_turned_into_a_formula(sample: TenderDocument) -> None:
    lot = msgspec.structs.replace(sample.lots[0], id="lot-1", title='=HYPERLINK("http://x")')
    requirement = msgspec.structs.replace(lot.requirements[0], id="=1+1", title='=HYPERLINK("http://x")')
    participant = msgspec.structs.replace(sample.participants[0], volumes=(Volume(lot_id="lot-1", quantity=1, unit="=cmd|' /C calc'!A0"),))
    doc = msgspec.structs.replace(sample, lots=(msgspec.structs.replace(lot, requirements=(requirement,)),), participants=(participant,))
    workbook = form(doc)
    cells = (workbook.worksheets[3]["A2"], workbook["Delkontrakter"]["B2"], workbook.worksheets[4]["A2"])
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("=1+1", "s"),
        ('=HYPERLINK("http://x")', "s"),
        ("=cmd|' /C calc'!A0", "s"),
    ]


def test_sheet_names_are_cut_at_a_word_boundary_valid_and_unique(sample: TenderDocument) -> None:
    lot = msgspec.structs.replace(sample.lots[0], title="Alarmer: [mobil]/*fast*? \\ med en svært lang tittel 😀")
    doc = msgspec.structs.replace(sample, lots=(lot, lot))
    names = form(doc).sheetnames
    assert names[3:] == ["Delkontrakt 1 Alarmer mobil", "Priser Delkontrakt 1", "Delkontrakt 1 Alarmer mobil (2)", "Priser Delkontrakt 1 (2)"]
    assert all(len(name.encode("utf-16-le")) <= 62 and not set(name) & set("[]:*?/\\") for name in names)


def test_a_sheet_name_never_ends_in_a_quote_or_loose_punctuation(sample: TenderDocument) -> None:
    lot = msgspec.structs.replace(sample.lots[0], title="'Trygghet' – alarmer, mottak")
    assert form(msgspec.structs.replace(sample, lots=(lot,))).sheetnames[3] == "Delkontrakt 1 'Trygghet"


def test_a_tender_without_lots_still_gives_a_workbook(sample: TenderDocument) -> None:
    workbook = form(msgspec.structs.replace(sample, lots=()))
    assert workbook.sheetnames == SHEETS[:3]
    assert [cell.value for cell in workbook["Delkontrakter"][1]][:2] == ["Nr.", "Tittel"]


def test_same_input_same_bytes_and_no_wall_clock(sample: TenderDocument) -> None:
    data = response_form_xlsx(sample)
    assert response_form_xlsx(sample) == data
    assert zip_stamps(data) == {GENERATED_AT.timetuple()[:6]}


def test_a_big_tender_builds_in_time_that_grows_linearly() -> None:
    small, big = big_tender(500, participants=70), big_tender(2000, participants=290)
    response_form_xlsx(small)  # warm up imports and caches
    timings = []
    for doc in (small, big):
        start = time.perf_counter()
        data = response_form_xlsx(doc)
        timings.append(time.perf_counter() - start)
    assert timings[1] < 8 * timings[0] + 0.5, f"4x the requirements took {timings[1] / timings[0]:.1f}x the time"
    assert timings[1] < 10
    workbook = open_xlsx(data)
    assert len(workbook.sheetnames) == 3 + 2 * 4
    assert workbook["Priser Delkontrakt 1"]["B2"].value == sum(10 + n % 90 for n in range(1, 291))
