"""What the tender document and its contract annex tell suppliers beyond the requirements."""

from __future__ import annotations

import re
from datetime import date

import msgspec
import pytest

from exports.docx import contract_annex_docx, tender_docx
from exports.labels import LABELS
from exports.model import Framework, Participant, Party, TenderDocument
from tests.exports.factory import GENERATED_AT, NORWEGIAN_LAW, big_tender
from tests.exports.readback import open_docx, table_rows, zip_stamps


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in open_docx(data).paragraphs]


def _section(data: bytes, heading: str) -> list[str]:
    """The paragraphs under `heading` up to the next heading of the same or a higher level."""
    document = open_docx(data)
    paragraphs = document.paragraphs
    start = next(n for n, p in enumerate(paragraphs) if p.text == heading and p.style.name.startswith("Heading"))
    level = paragraphs[start].style.name
    rest = paragraphs[start + 1 :]
    end = next((n for n, p in enumerate(rest) if p.style.name.startswith("Heading") and p.style.name <= level), len(rest))
    return [p.text for p in rest[:end]]


def _with_terms(doc: TenderDocument, **changes: object) -> TenderDocument:
    tender = msgspec.structs.replace(doc.tender, terms=msgspec.structs.replace(doc.tender.terms, **changes))
    return msgspec.structs.replace(doc, tender=tender)


def test_instructions_name_the_submission_system_deadlines_validity_lots_and_language(sample: TenderDocument) -> None:
    data = tender_docx(sample)
    assert _section(data, "Innlevering av tilbud") == [
        "Tilbud skal leveres elektronisk i Mercell (https://permalink.mercell.com/200000000.aspx) innen 06.04.2026 kl. 12:00 CEST. "
        "Tilbud som leveres på annen måte eller etter fristen, vil bli avvist.",
        "Tilbudet er bindende i 120 dager etter tilbudsfristen.",
        "Tilbudet og dokumentasjonen som legges ved, skal være skrevet på norsk.",
    ]
    assert _section(data, "Spørsmål og avklaringer") == [
        "Spørsmål om konkurransegrunnlaget skal stilles i Mercell innen 23.03.2026 kl. 12:00 CET. "
        "Spørsmål og svar publiseres anonymisert til alle leverandører."
    ]
    assert _section(data, "Delkontrakter, alternative tilbud og forbehold") == [
        "Leverandøren kan gi tilbud på én, flere eller alle delkontrakter.",
        "Én leverandør kan tildeles høyst 1 av delkontraktene.",
        "Alternative tilbud aksepteres ikke.",
        "Det aksepteres ikke forbehold mot kontraktsvilkårene: et tilbud med vesentlige forbehold vil bli avvist.",
    ]


def test_questions_by_email_go_to_the_contact_point(sample: TenderDocument) -> None:
    doc = _with_terms(sample, questions_via="email", variants=True, reservations=True)
    data = tender_docx(doc)
    (questions,) = _section(data, "Spørsmål og avklaringer")
    assert questions.startswith(
        "Spørsmål om konkurransegrunnlaget skal sendes på e-post til Innkjøpskontoret i Gjøvikregionen (innkjop@gjovikregionen.no) "
        "innen 23.03.2026 kl. 12:00 CET."
    )
    lots = _section(data, "Delkontrakter, alternative tilbud og forbehold")
    assert "Alternative tilbud aksepteres." in lots
    assert lots[-1].startswith("Tilbudet kan inneholde forbehold mot kontraktsvilkårene.")


def test_qualification_states_the_espd_then_mandatory_and_discretionary_exclusion_grounds(sample: TenderDocument) -> None:
    data = tender_docx(sample)
    assert _section(data, "Egenerklæringsskjema (ESPD)") == [NORWEGIAN_LAW.espd]
    assert _section(data, "Avvisningsgrunner") == [
        NORWEGIAN_LAW.mandatory_exclusion,
        "Oppdragsgiver vil i tillegg avvise en leverandør på følgende grunnlag:",
        *(f"–\t{ground.text}" for ground in NORWEGIAN_LAW.discretionary_exclusion),
    ]
    without_espd = _paragraphs(tender_docx(_with_terms(sample, espd=False)))
    assert "Egenerklæringsskjema (ESPD)" not in without_espd and "Avvisningsgrunner" in without_espd


def test_a_document_without_law_leaves_out_every_law_based_paragraph(sample: TenderDocument) -> None:
    texts = "\n".join(_paragraphs(tender_docx(msgspec.structs.replace(sample, law=None))))
    for absent in (
        "Egenerklæringsskjema (ESPD)",
        "Avvisningsgrunner",
        "Lønns- og arbeidsvilkår",
        "Karensperiode, klage og innsyn",
        NORWEGIAN_LAW.procurement_act,
        NORWEGIAN_LAW.review_body,
    ):
        assert absent not in texts
    assert "Kontraktsvilkår" in texts and "Vedlegg" in texts


def test_evaluation_explains_the_price_formula_in_words(sample: TenderDocument) -> None:
    texts = _paragraphs(tender_docx(sample))
    words = texts.index(
        "Tilbudet med lavest evaluert pris får full uttelling for pris; de andre tilbudene får poeng forholdsmessig "
        "etter hvordan prisen står seg mot den laveste:"
    )
    assert texts[words + 1] == "Prispoeng = laveste evaluerte pris ÷ tilbudt pris × vekt for pris."


def test_contract_conditions_state_the_framework_its_call_offs_maximums_term_and_labour_clauses(sample: TenderDocument) -> None:
    data = tender_docx(sample)
    agreement = _section(data, "Avtalen")
    assert agreement[:2] == [
        "Det vil bli inngått rammeavtale med inntil 3 leverandører for hver delkontrakt, rangert etter resultatet i evalueringen.",
        "Avrop gjøres ved direkte tildeling etter rangering eller ved minikonkurranse mellom rammeavtaleleverandørene, "
        "etter rammeavtalens regler for avrop.",
    ]
    rows = list(table_rows(open_docx(data)))
    assert ["Delkontrakt 1: Digitale trygghetsalarmer med alarmmottak", "NOK 30\u00a0000\u00a0000", "6\u00a0000 alarmer"] in rows
    assert ["Delkontrakt 2: Lokaliseringsteknologi (GPS)", "NOK 8\u00a0000\u00a0000", "–"] in rows
    assert _section(data, "Avtaleperiode") == [
        "Kontrakten løper fra 01.09.2026 til 31.08.2028.",
        "Oppdragsgiver har opsjon på å forlenge avtalen 2 ganger med 12 måneder hver gang.",
        "Samlet varighet inkludert opsjoner er inntil 48 måneder.",
    ]
    assert _section(data, "Lønns- og arbeidsvilkår") == [NORWEGIAN_LAW.labour_clauses]


def test_a_contract_with_one_supplier_and_no_labour_clauses_says_so(sample: TenderDocument) -> None:
    doc = _with_terms(sample, agreement="contract", framework=None, labour_clauses=False)
    texts = _paragraphs(tender_docx(doc))
    assert "Oppdragsgiver vil inngå kontrakt med én leverandør for hver delkontrakt." in texts
    assert "Lønns- og arbeidsvilkår" not in texts and not any("rammeavtale" in text for text in texts)
    single = _with_terms(sample, framework=Framework(suppliers=1, call_off="ranking"))
    assert "Det vil bli inngått rammeavtale med én leverandør for hver delkontrakt." in _paragraphs(tender_docx(single))


def test_standstill_review_body_and_public_access_follow_the_law(sample: TenderDocument) -> None:
    data = tender_docx(sample)
    assert _section(data, "Karensperiode") == [NORWEGIAN_LAW.standstill]
    assert _section(data, "Klage") == ["Klage kan bringes inn for Klagenemnda for offentlige anskaffelser (KOFA): https://www.kofa.no."]
    assert _section(data, "Innsyn i tilbud") == [NORWEGIAN_LAW.public_access]


def test_annexes_list_the_documents_of_the_tender(sample: TenderDocument) -> None:
    annexes = _section(tender_docx(sample), "Vedlegg")
    assert annexes[0] == "Konkurransegrunnlaget består av:"
    assert [line.split("\n")[0] for line in annexes[1:]] == [
        "1.\tKonkurransegrunnlag, versjon 2 (dette dokumentet) (DOCX)",
        "2.\tKontraktsvilkår (DOCX)",
        "3.\tSvarskjema (XLSX)",
        "4.\tAnskaffelsesdata etter Open Contracting Data Standard (OCDS, JSON)",
    ]
    assert sample.links.response_form_xlsx in annexes[3] and sample.links.package in annexes[4]


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Contract conditions"), ("nb", "Kontraktsvilkår"), ("sv", "Kontraktsvillkor"), ("da", "Kontraktsvilkår")]
)
def test_contract_annex_holds_the_contract_conditions_alone(sample: TenderDocument, language: str, name: str) -> None:
    doc = msgspec.structs.replace(sample, language=language)
    data = contract_annex_docx(doc)
    document = open_docx(data)
    labels = LABELS[language]  # type: ignore[index]
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == [sample.tender.title, name]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [labels["contract_conditions"]]
    assert labels["doc.agreement"] in texts and labels["doc.special_conditions"] in texts
    ids = [row[0].split("\n")[0] for row in table_rows(document)]
    assert {"1.9", "1.10"} <= set(ids) and "1.2" not in ids
    assert f"{name}, {labels['version']} 2" in document.sections[0].footer.paragraphs[0].text
    assert document.core_properties.subject == name
    assert contract_annex_docx(doc) == data and zip_stamps(data) == {GENERATED_AT.timetuple()[:6]}


def test_requirements_of_a_lot_appear_in_id_order(sample: TenderDocument) -> None:
    lot = sample.lots[0]
    shuffled = msgspec.structs.replace(lot, requirements=tuple(reversed(lot.requirements)))
    data = tender_docx(msgspec.structs.replace(sample, lots=(shuffled, *sample.lots[1:])))
    ids = [first for row in table_rows(open_docx(data)) if re.fullmatch(r"1\.\d+", first := row[0].split("\n")[0])]
    assert ids == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10"]


def test_a_lot_titled_with_its_number_is_not_prefixed_twice() -> None:
    doc = big_tender(8, lots=2, participants=3)
    headings = {p.text for p in open_docx(tender_docx(doc)).paragraphs if p.style.name == "Heading 2"}
    assert "Delkontrakt 1: velferdsteknologi" in headings
    assert not any(text.startswith("Delkontrakt 1: Delkontrakt") for text in headings)


def _party(country: str, number: str) -> Party:
    return Party(id=f"org-{country}", name=f"Kommune i {country}", country=country, org_number=number, kind="municipality")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "country", "label"),
    [("nb", "DK", "CVR-nr."), ("da", "NO", "Org.nr."), ("sv", "FI", "FO-nummer"), ("en", "FI", "Business ID"), ("da", "DK", "CVR-nr.")],
)
def test_organisation_numbers_are_labelled_by_the_organisations_country(sample: TenderDocument, language: str, country: str, label: str) -> None:
    lead = _party(country, "12345678")
    members = (Participant(party=_party(country, "87654321"), mandate_date=date(2026, 1, 5)),)
    doc = msgspec.structs.replace(sample, language=language, lead_buyer=lead, participants=members)
    rows = list(table_rows(open_docx(tender_docx(doc))))
    assert [LABELS[language]["lead_buyer"], f"Kommune i {country} ({label} 12345678)"] in rows  # type: ignore[index]
    assert [LABELS[language]["col.municipality"], label, LABELS[language]["col.mandate"]] in rows  # type: ignore[index]


def test_participants_of_several_countries_carry_their_own_labels(sample: TenderDocument) -> None:
    members = tuple(Participant(party=_party(country, number)) for country, number in (("NO", "974760673"), ("SE", "2120000142")))
    rows = list(table_rows(open_docx(tender_docx(msgspec.structs.replace(sample, participants=members)))))
    assert ["Kommune", "Org.nr.", "Fullmakt vedtatt"] in rows
    assert ["Kommune i SE", "Org.nr. 2120000142", "–"] in rows
