"""Who a joint tender's documents name as buyers and participants, and how their volumes add up,
when the round of invitations was untidy: some confirmed without a volume for every lot, one counts
a lot in two units, one declined and one never answered."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from exports.docx import tender_docx
from exports.labels import LABELS, LANGUAGES
from exports.model import Language, TenderDocument
from exports.ocds import tender_ocds
from exports.xlsx import response_form_xlsx
from tests.exports.factory import ETNEDAL, LEAD, MUNICIPALITIES, NORDRE_LAND, NOT_PARTICIPATING, untidy_tender
from tests.exports.readback import ocds_errors, open_docx, open_xlsx, table_rows

CONFIRMED = [*MUNICIPALITIES, NORDRE_LAND, ETNEDAL]
NBSP = "\u00a0"


@pytest.fixture
def untidy() -> TenderDocument:
    return untidy_tender()


def _docx_text(data: bytes) -> str:
    document = open_docx(data)
    section = document.sections[0]
    parts = [p.text for p in document.paragraphs]
    parts += ["\t".join(row) for row in table_rows(document)]
    parts += [p.text for part in (section.header, section.first_page_header, section.footer) for p in part.paragraphs]
    props = document.core_properties
    parts += [props.author, props.comments, props.title, props.keywords]
    return "\n".join(parts)


def _table(data: bytes, header: list[str]) -> list[list[str]]:
    (table,) = [t for t in open_docx(data).tables if [c.text for c in t.rows[0].cells] == header]
    return [[cell.text for cell in row.cells] for row in table.rows][1:]


def _release(doc: TenderDocument) -> dict[str, Any]:
    data = tender_ocds(doc)
    assert ocds_errors(data) == []
    (release,) = json.loads(data)["releases"]
    return release


# ---- OCDS -----------------------------------------------------------------------------------


def test_every_confirmed_municipality_is_a_buyer_party_and_nobody_else(untidy: TenderDocument) -> None:
    release = _release(untidy)
    buyers = [party["name"] for party in release["parties"] if "buyer" in party["roles"]]
    assert buyers == [party.name for party in CONFIRMED]
    assert [party["name"] for party in release["parties"]] == [LEAD.name, *buyers]
    assert "buyer" not in release, "several buyers: the release's buyer field is left out"


def test_declined_and_unanswered_municipalities_appear_nowhere_in_the_package(untidy: TenderDocument) -> None:
    package = tender_ocds(untidy).decode()
    for party in NOT_PARTICIPATING:
        assert party.name not in package and party.org_number not in package, party.name


def test_item_quantities_count_only_the_volumes_given(untidy: TenderDocument) -> None:
    items = _release(untidy)["tender"]["items"]
    etnedal = [(i["quantity"], i["unit"]["name"]) for i in items if ETNEDAL.org_number in i["id"]]
    assert etnedal == [(30, "stk"), (12, "abonnement")], "lot 1 in two units, nothing for lot 2"
    assert [i["quantity"] for i in items if NORDRE_LAND.org_number in i["id"]] == [75], "lot 1 only"


# ---- DOCX -----------------------------------------------------------------------------------


def test_participant_table_lists_each_confirmed_municipality_once(untidy: TenderDocument) -> None:
    rows = _table(tender_docx(untidy), ["Kommune", "Org.nr.", "Fullmakt vedtatt"])
    assert rows == [
        [party.name, party.org_number, mandate]
        for party, mandate in zip(
            CONFIRMED, ["10.01.2026", "11.01.2026", "12.01.2026", "13.01.2026", "20.01.2026", "21.01.2026"], strict=True
        )
    ]


def test_volume_table_keeps_every_row_marks_missing_volumes_and_adds_up(untidy: TenderDocument) -> None:
    rows = _table(tender_docx(untidy), ["Kommune", "Delkontrakt 1", "Delkontrakt 2"])
    assert rows == [
        ["Gjøvik kommune", "420 stk", "40 stk"],
        ["Vestre Toten kommune", "260 stk", "25 stk"],
        ["Østre Toten kommune", "310 stk", "30 stk"],
        ["Søndre Land kommune", "120 stk", "10 stk"],
        ["Nordre Land kommune", "75 stk", "–"],  # no volume is a dash, never 0 and never a dropped row
        ["Etnedal kommune", "30 stk; 12 abonnement", "–"],
        ["Sum", f"1{NBSP}215 stk; 12 abonnement", "105 stk"],
    ]


def test_a_municipality_without_any_volume_keeps_its_row(untidy: TenderDocument) -> None:
    nothing = msgspec.structs.replace(untidy.participants[-1], volumes=())
    doc = msgspec.structs.replace(untidy, participants=(*untidy.participants[:-1], nothing))
    rows = _table(tender_docx(doc), ["Kommune", "Delkontrakt 1", "Delkontrakt 2"])
    assert rows[-2:] == [["Etnedal kommune", "–", "–"], ["Sum", f"1{NBSP}185 stk", "105 stk"]]


def test_cover_and_introduction_count_the_confirmed_municipalities(untidy: TenderDocument) -> None:
    paragraphs = [p.text for p in open_docx(tender_docx(untidy)).paragraphs]
    assert ", ".join(party.name for party in CONFIRMED) in paragraphs
    assert any(p.endswith("(totalt 6).") for p in paragraphs)


def test_declined_and_unanswered_municipalities_appear_nowhere_in_the_documents(untidy: TenderDocument) -> None:
    text = _docx_text(tender_docx(untidy))
    workbook = open_xlsx(response_form_xlsx(untidy))
    cells = "\n".join(str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value is not None)
    for party in NOT_PARTICIPATING:
        for where, content in (("docx", text), ("xlsx", cells)):
            assert party.name not in content and party.org_number not in content, (where, party.name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_volume_table_is_labelled_in_the_document_language(language: Language) -> None:
    labels = LABELS[language]
    data = tender_docx(untidy_tender(language))
    header = [labels["col.municipality"], f"{labels['lot']} 1", f"{labels['lot']} 2"]
    rows = _table(data, header)
    assert [row[0] for row in rows] == [*(party.name for party in CONFIRMED), labels["total"]]
    assert rows[4][2] == rows[5][2] == "–"
    thousands = "," if language == "en" else NBSP
    assert rows[-1][1:] == [f"1{thousands}215 stk; 12 abonnement", "105 stk"]
    participants = _table(data, [labels["col.municipality"], labels["col.org_number"], labels["col.mandate"]])
    assert [row[0] for row in participants] == [party.name for party in CONFIRMED]
