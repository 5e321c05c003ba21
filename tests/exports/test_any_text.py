"""Whatever text users type, every export still opens in the tools its readers use."""

from __future__ import annotations

import json

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.docx import tender_docx
from exports.model import TenderDocument
from exports.ocds import tender_ocds
from exports.text import clean
from exports.xlsx import response_form_xlsx
from tests.exports.factory import sample_tender
from tests.exports.readback import ocds_errors, open_docx, open_xlsx

# st.text() never yields lone surrogates, so they come in here, with the other troublemakers.
NASTY = st.sampled_from(
    [
        "\x00",
        "\x0b",
        "\x1f",
        "\x85",
        "\ufffe",
        "\uffff",
        "\ud800",
        "\udfff",
        "\r\n",
        "\t",
        "😀👩‍⚕️",
        "שלום",
        "مرحبا",
        "x" * 500,
        "=1+1",
        "&amp;<>\"'",
        "]]>",
        "{lead}",
        "'",
    ]
)
TEXT = st.lists(st.one_of(st.text(), NASTY), max_size=4).map("".join)


def _with_texts(title: str, statement: str, name: str, lot_title: str) -> TenderDocument:
    doc = sample_tender()
    lot = doc.lots[0]
    requirement = msgspec.structs.replace(lot.requirements[0], title=title, statement=statement, buyer_note=name)
    lot = msgspec.structs.replace(lot, title=lot_title, requirements=(requirement, *lot.requirements[1:]))
    participant = doc.participants[0]
    participant = msgspec.structs.replace(participant, party=msgspec.structs.replace(participant.party, name=name))
    contact = msgspec.structs.replace(doc.tender.contact, name=title)
    tender = msgspec.structs.replace(doc.tender, title=title, description=statement, contact=contact)
    return msgspec.structs.replace(
        doc, tender=tender, lots=(lot, *doc.lots[1:]), participants=(participant, *doc.participants[1:])
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, statement=TEXT, name=TEXT, lot_title=TEXT)
def test_any_text_gives_files_that_open(title: str, statement: str, name: str, lot_title: str) -> None:
    doc = _with_texts(title, statement, name, lot_title)

    document = open_docx(tender_docx(doc))
    assert document.paragraphs[0].text == clean(title)

    cell = open_xlsx(response_form_xlsx(doc)).worksheets[3]["C2"]  # after the cover, the instructions and the lots
    assert clean(statement) in (cell.value or "")
    assert cell.value is None or cell.data_type == "s"

    data = tender_ocds(doc)
    assert ocds_errors(data) == []
    release = json.loads(data)["releases"][0]
    assert release["tender"].get("title", "") == clean(title)
    assert release["parties"][1].get("name", "") == clean(name)
