from __future__ import annotations

from io import BytesIO

import docx
import msgspec
import pytest
from docx.shared import Twips
from lxml import etree

from exports import template
from exports.docx import tender_docx
from exports.labels import LABELS, LANGUAGES
from exports.make_template import build_template
from exports.model import TenderDocument
from exports.template import REQUIRED_STYLES, TemplateError
from exports.wordml import W_NS
from tests.exports.factory import (
    ALARMS,
    AMENDMENT,
    GENERATED_AT,
    TRACKERS,
    big_tender,
    sample_tender,
)
from tests.exports.readback import header_tables, open_docx, table_rows, zip_stamps


def _xpath(element: etree._Element, path: str) -> list:  # type: ignore[type-arg]
    return etree._Element.xpath(element, path, namespaces={"w": W_NS})  # type: ignore[return-value]


def _header_text(document: docx.document.Document) -> str:
    section = document.sections[0]
    parts = [section.header, section.first_page_header]
    return "\n".join(p.text for part in parts for p in part.paragraphs)


def test_every_requirement_appears_with_its_rendered_text(sample: TenderDocument) -> None:
    rows = list(table_rows(open_docx(tender_docx(sample))))
    for lot in sample.lots:
        for requirement in lot.requirements:
            matches = [row for row in rows if row[0].split("\n")[0] == requirement.id]
            assert len(matches) == 1, requirement.id
            text = matches[0][1]
            assert requirement.title in text and requirement.statement in text
            assert f"{requirement.module_key} v{requirement.module_version}" in matches[0][0]


def test_specification_shows_kind_weight_and_verification(sample: TenderDocument) -> None:
    rows = {row[0].split("\n")[0]: row for row in table_rows(open_docx(tender_docx(sample))) if len(row) == 5}
    assert rows["1.3"][2:] == [
        "Tildelingskriterium",
        "20 %",
        "Beskrivelse\nBeskrivelse av integrasjonen og referanse til kommune i produksjon.",
    ]
    assert rows["1.2"][2:4] == ["Minstekrav", ""]


def test_volumes_per_lot_add_up(sample: TenderDocument) -> None:
    document = open_docx(tender_docx(sample))
    (volumes,) = [t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Kommune", "Delkontrakt 1", "Delkontrakt 2"]]
    rows = [[cell.text for cell in row.cells] for row in volumes.rows]
    municipalities = [p.party.name for p in sample.participants]
    assert rows[1:-1] == [[name, f"{a} stk", f"{t} stk"] for name, a, t in zip(municipalities, ALARMS, TRACKERS, strict=True)]
    assert rows[-1] == ["Sum", "1\u00a0110 stk", "105 stk"]
    assert (sum(ALARMS), sum(TRACKERS)) == (1110, 105)


def test_evaluation_model_lists_price_and_weighted_criteria(sample: TenderDocument) -> None:
    rows = [row for row in table_rows(open_docx(tender_docx(sample))) if len(row) == 3 and row[1].endswith("%")]
    lot_1 = rows[: rows.index(["Sum", "100 %", ""]) + 1]
    assert [row[:2] for row in lot_1] == [
        ["Pris", "40 %"],
        ["1.3 Integrasjon med Velferdsteknologisk knutepunkt", "20 %"],
        ["1.7 Styrken i effektdokumentasjonen", "25 %"],
        ["1.8 Metode for måling av måloppnåelse", "15 %"],
        ["Sum", "100 %"],
    ]
    assert "Hvert tildelingskriterium gis en score fra 0 til 10" in "\n".join(p.text for p in open_docx(tender_docx(sample)).paragraphs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_are_in_the_document_language(language: str) -> None:
    labels = LABELS[language]  # type: ignore[index]
    document = open_docx(tender_docx(sample_tender(language)))  # type: ignore[arg-type]
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == labels["tender_document"]
    for key in (
        "introduction",
        "doc.instructions",
        "response_instructions",
        "requirement_specification",
        "award_and_evaluation",
        "doc.review",
        "references",
        "doc.annexes",
    ):
        assert labels[key] in texts, key
    cells = {cell for row in table_rows(document) for cell in row}
    assert {labels["kind.mandatory"], labels["kind.award"], labels["col.verification"]} <= cells
    footer = document.sections[0].footer.paragraphs[0].text
    assert f"{labels['tender_document']}, {labels['version']} 2" in footer and f"{labels['page']} 1 {labels['page_of']} 1" in footer
    assert document.core_properties.language == labels["language_tag"]


def test_headings_are_numbered_by_the_heading_list_not_typed(sample: TenderDocument) -> None:
    document = open_docx(tender_docx(sample))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Innledning og beskrivelse av behovet")
    assert ("Heading 2", "Delkontrakt 1: Digitale trygghetsalarmer med alarmmottak") in headings
    assert ("Heading 3", "Samhandling og integrasjon") in headings
    assert not any(text[:1].isdigit() for _, text in headings)
    numbering = document.part.numbering_part.element
    levels = {_xpath(lvl, "./w:pStyle/@w:val")[0]: _xpath(lvl, "./w:lvlText/@w:val")[0] for lvl in _xpath(numbering, "//w:lvl")}
    assert levels == {"Heading1": "%1", "Heading2": "%1.%2", "Heading3": "%1.%2.%3"}
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"].element
        assert _xpath(style, "./w:pPr/w:numPr/w:ilvl/@w:val") == [str(level - 1)]
        assert _xpath(style, "./w:pPr/w:numPr/w:numId/@w:val") == _xpath(numbering, "//w:num/@w:numId")
        assert _xpath(style, "./w:pPr/w:keepNext")  # a heading never ends a page alone


def test_footer_page_numbers_header_rows_and_page_setup(sample: TenderDocument) -> None:
    document = open_docx(tender_docx(sample))
    footer = document.sections[0].footer._element
    assert {"PAGE", "NUMPAGES"} <= {text.strip() for text in footer.xpath(".//w:instrText/text()")}
    assert sample.tender.reference in document.sections[0].footer.paragraphs[0].text
    assert len(header_tables(document)) == len(document.tables) - 1  # all but the cover's facts
    assert all(t.style.name == "Tender Table" for t in document.tables)
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))


def test_draft_mark_only_on_drafts(sample: TenderDocument) -> None:
    draft = open_docx(tender_docx(msgspec.structs.replace(sample, draft=True)))
    assert _header_text(draft).count("UTKAST") == 2  # cover page and every other page
    assert draft.core_properties.content_status == "UTKAST"
    final = open_docx(tender_docx(sample))
    assert "UTKAST" not in _header_text(final)


def test_amendments_chapter_only_when_amended(sample: TenderDocument) -> None:
    assert "Endringer" not in {p.text for p in open_docx(tender_docx(sample)).paragraphs}
    amended = open_docx(tender_docx(msgspec.structs.replace(sample, amendments=(AMENDMENT,))))
    assert "Endringer" in [p.text for p in amended.paragraphs]
    assert ["1", "16.03.2026", AMENDMENT.summary, AMENDMENT.reason] in list(table_rows(amended))


def test_same_input_same_bytes_and_no_wall_clock(sample: TenderDocument) -> None:
    data = tender_docx(sample)
    assert tender_docx(sample) == data
    assert zip_stamps(data) == {GENERATED_AT.timetuple()[:6]}
    props = open_docx(data).core_properties
    assert (props.author, props.last_modified_by) == (sample.lead_buyer.name, sample.publisher)
    assert props.created == props.modified == GENERATED_AT
    assert props.comments == "Vist på engelsk fordi oversettelse mangler: BENEFIT-DATA v1: rationale"


def test_shipped_template_is_the_built_one_and_has_every_style() -> None:
    assert template.TEMPLATE.read_bytes() == build_template()
    styles = {style.name for style in docx.Document(BytesIO(build_template())).styles}
    assert set(REQUIRED_STYLES) <= styles


def test_a_template_without_our_styles_is_refused(sample: TenderDocument, monkeypatch: pytest.MonkeyPatch) -> None:
    stock = BytesIO()
    docx.Document().save(stock)  # python-docx's own Letter template
    monkeypatch.setattr(template, "_template_bytes", stock.getvalue)
    with pytest.raises(TemplateError, match="Tender Table"):
        tender_docx(sample)


def test_cover_names_a_few_participants_and_counts_many(sample: TenderDocument) -> None:
    cover = [p.text for p in open_docx(tender_docx(sample)).paragraphs][:6]
    assert ", ".join(p.party.name for p in sample.participants) in cover
    many = open_docx(tender_docx(big_tender(8, participants=61)))
    assert "61 kommuner, se «Deltakere og estimerte volumer»." in [p.text for p in many.paragraphs][:6]
