from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any, get_args

import msgspec
import pytest

from exports.model import Procedure, TenderDocument, TenderStatus
from exports.ocds import release_package, tender_ocds
from tests.exports.factory import ALARMS, AMENDMENT, GENERATED_AT, TRACKERS
from tests.exports.readback import codelist, ocds_errors


def _release(doc: TenderDocument) -> dict[str, Any]:
    data = tender_ocds(doc)
    assert ocds_errors(data) == []
    (release,) = json.loads(data)["releases"]
    return release


def test_package_is_valid_ocds_with_publishing_metadata(sample: TenderDocument) -> None:
    data = tender_ocds(sample)
    assert ocds_errors(data) == []
    package = json.loads(data)
    assert list(package) == ["uri", "version", "extensions", "publishedDate", "publisher", "releases"]
    assert (package["version"], package["publishedDate"]) == ("1.1", "2026-03-02T09:30:00Z")
    release = package["releases"][0]
    assert (release["ocid"], release["tag"], release["initiationType"], release["language"]) == (
        sample.ocid,
        ["tender"],
        "tender",
        "nb",
    )


def test_joint_procurement_lists_every_municipality_as_buyer(sample: TenderDocument) -> None:
    release = _release(sample)
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles == {
        sample.lead_buyer.name: ["procuringEntity"],
        **{p.party.name: ["buyer"] for p in sample.participants},
    }
    assert "buyer" not in release  # the lead is a federation, not a buyer
    gjovik = release["parties"][1]
    assert gjovik["identifier"]["scheme"] == "NO-BRC" and gjovik["id"] == f"NO-BRC-{gjovik['identifier']['id']}"
    assert "contactPoint" not in gjovik, "participants' officers are not published"
    contact = sample.tender.contact
    assert release["parties"][0]["contactPoint"] == {"name": contact.name, "email": contact.email, "telephone": contact.phone}
    assert release["tender"]["procuringEntity"] == {"id": release["parties"][0]["id"], "name": sample.lead_buyer.name}
    assert {role for party in release["parties"] for role in party["roles"]} <= codelist("partyRole")


def test_a_lead_municipality_is_procuring_entity_and_buyer(sample: TenderDocument) -> None:
    lead = sample.participants[0].party
    joint = _release(msgspec.structs.replace(sample, lead_buyer=lead))
    assert joint["parties"][0]["roles"] == ["procuringEntity", "buyer"]
    assert len(joint["parties"]) == len(sample.participants)
    assert "buyer" not in joint, "several buyers: each is a party with the buyer role, the buyer field is left out"
    alone = _release(msgspec.structs.replace(sample, lead_buyer=lead, participants=()))
    assert alone["buyer"]["name"] == lead.name


def test_identifier_schemes_per_country(sample: TenderDocument) -> None:
    participants = tuple(
        msgspec.structs.replace(p, party=msgspec.structs.replace(p.party, country=country))
        for p, country in zip(sample.participants, ("NO", "SE", "DK", "FI"), strict=True)
    )
    parties = _release(msgspec.structs.replace(sample, participants=participants))["parties"][1:]
    assert [p["identifier"]["scheme"] for p in parties] == ["NO-BRC", "SE-BLV", "DK-CVR", "FI-PRO"]
    assert [p["address"]["countryName"] for p in parties] == ["Norge", "Sverige", "Danmark", "Finland"]


def test_tender_lots_items_periods_and_documents(sample: TenderDocument) -> None:
    tender = _release(sample)["tender"]
    assert (tender["status"], tender["procurementMethod"], tender["procurementMethodDetails"]) == (
        "active",
        "open",
        "Åpen anbudskonkurranse",
    )
    assert (tender["mainProcurementCategory"], tender["awardCriteria"]) == ("goods", "ratedCriteria")
    assert tender["value"] == {"amount": 18500000, "currency": "NOK"}
    assert [lot["id"] for lot in tender["lots"]] == ["lot-1", "lot-2"]
    assert [(item["relatedLot"], item["classification"], item["quantity"]) for item in tender["items"]] == [
        *(("lot-1", {"scheme": "CPV", "id": "33196200"}, quantity) for quantity in ALARMS),
        *(("lot-2", {"scheme": "CPV", "id": "33196200"}, quantity) for quantity in TRACKERS),
    ]
    assert tender["items"][4]["additionalClassifications"] == [{"scheme": "CPV", "id": "32235000"}]
    assert tender["tenderPeriod"] == {"startDate": "2026-03-02T08:00:00Z", "endDate": "2026-04-06T10:00:00Z"}
    assert tender["enquiryPeriod"]["endDate"] == "2026-03-23T11:00:00Z"
    assert tender["contractPeriod"] == {
        "startDate": "2026-08-31T22:00:00Z",
        "endDate": "2028-08-31T21:59:59Z",
        "maxExtentDate": "2030-08-31T21:59:59Z",
    }  # Oslo days, the two one-year options used
    documents = tender["documents"]
    assert [d["url"] for d in documents] == [sample.links.tender_docx, sample.links.response_form_xlsx, sample.links.contract_annex_docx]
    assert {d["documentType"] for d in documents} <= codelist("documentType")
    assert "amendments" not in tender


def test_amendments_make_a_tender_amendment_release(sample: TenderDocument) -> None:
    release = _release(msgspec.structs.replace(sample, amendments=(AMENDMENT,)))
    assert release["tag"] == ["tenderAmendment"]
    assert release["id"] == f"{sample.ocid}-v{sample.tender.document_version}", "one release per document version"
    assert release["tender"]["amendments"] == [
        {"id": "1", "date": "2026-03-16T12:00:00Z", "description": AMENDMENT.summary, "rationale": AMENDMENT.reason,
         "amendsReleaseID": f"{sample.ocid}-v1", "releaseID": f"{sample.ocid}-v2"}
    ]  # fmt: skip


@pytest.mark.parametrize(("status", "tag"), [("draft", "planning"), ("open_for_participants", "planning"), ("published", "tender"),
                                             ("closed", "tender"), ("cancelled", "tenderCancellation")])  # fmt: skip
def test_the_release_tag_follows_the_state(sample: TenderDocument, status: str, tag: str) -> None:
    release = _release(msgspec.structs.replace(sample, tender=msgspec.structs.replace(sample.tender, status=status)))
    assert release["tag"] == [tag] and set(release["tag"]) <= codelist("releaseTag")


@pytest.mark.parametrize("procedure", get_args(Procedure))
def test_every_procedure_maps_to_the_method_codelist(sample: TenderDocument, procedure: str) -> None:
    tender = msgspec.structs.replace(sample.tender, procedure=procedure)
    assert _release(msgspec.structs.replace(sample, tender=tender))["tender"]["procurementMethod"] in codelist("method")


@pytest.mark.parametrize("status", get_args(TenderStatus))
def test_every_status_maps_to_the_tender_status_codelist(sample: TenderDocument, status: str) -> None:
    tender = msgspec.structs.replace(sample.tender, status=status)
    assert _release(msgspec.structs.replace(sample, tender=tender))["tender"]["status"] in codelist("tenderStatus")


def test_same_input_same_bytes(sample: TenderDocument) -> None:
    assert tender_ocds(sample) == tender_ocds(sample)


# ---- the mapping tables, stated entry by entry ------------------------------------------------


def _with_tender(sample: TenderDocument, **changes: Any) -> TenderDocument:
    return msgspec.structs.replace(sample, tender=msgspec.structs.replace(sample.tender, **changes))


# status -> (tender.status and every lot's status, release tag, release tag once amended)
STATUS_TABLE = {
    "draft": ("planning", "planning", "planning"),
    "open_for_participants": ("planned", "planning", "planning"),
    "published": ("active", "tender", "tenderAmendment"),
    "closed": ("active", "tender", "tenderAmendment"),  # still being evaluated
    "awarded": ("complete", "tender", "tenderAmendment"),
    "cancelled": ("cancelled", "tenderCancellation", "tenderCancellation"),
}


def test_the_status_table_covers_every_tender_status() -> None:
    assert set(STATUS_TABLE) == set(get_args(TenderStatus))


@pytest.mark.parametrize(("status", "expected"), list(STATUS_TABLE.items()))
def test_each_tender_status_maps_to_its_ocds_status_and_release_tag(
    sample: TenderDocument, status: str, expected: tuple[str, str, str]
) -> None:
    ocds_status, tag, amended_tag = expected
    release = _release(_with_tender(sample, status=status))
    assert release["tender"]["status"] == ocds_status
    assert [lot["status"] for lot in release["tender"]["lots"]] == [ocds_status, ocds_status]
    assert release["tag"] == [tag]
    amended = _release(msgspec.structs.replace(_with_tender(sample, status=status), amendments=(AMENDMENT,)))
    assert amended["tag"] == [amended_tag]
    assert {ocds_status} <= codelist("tenderStatus") and {tag, amended_tag} <= codelist("releaseTag")


# procedure -> (procurementMethod, procurementMethodDetails in nb, in en)
PROCEDURE_TABLE = {
    "open": ("open", "Åpen anbudskonkurranse", "Open procedure"),
    "restricted": ("selective", "Begrenset anbudskonkurranse", "Restricted procedure"),
    "negotiated": ("selective", "Konkurranse med forhandling", "Competitive procedure with negotiation"),
    "competitive_dialogue": ("selective", "Konkurransepreget dialog", "Competitive dialogue"),
    "mini_competition": ("selective", "Minikonkurranse under rammeavtale", "Mini-competition under a framework agreement"),
    "dynamic_purchasing_system": ("selective", "Dynamisk innkjøpsordning", "Dynamic purchasing system"),
}


def test_the_procedure_table_covers_every_procedure() -> None:
    assert set(PROCEDURE_TABLE) == set(get_args(Procedure))


@pytest.mark.parametrize(("procedure", "expected"), list(PROCEDURE_TABLE.items()))
def test_each_procedure_maps_to_its_method_and_national_name(sample: TenderDocument, procedure: str, expected: tuple[str, str, str]) -> None:
    method, norwegian, english = expected
    for doc, details in ((sample, norwegian), (msgspec.structs.replace(sample, language="en"), english)):
        tender = _release(_with_tender(doc, procedure=procedure))["tender"]
        assert (tender["procurementMethod"], tender["procurementMethodDetails"]) == (method, details)
    assert method in codelist("method")


def test_each_country_has_its_org_id_register(sample: TenderDocument) -> None:
    lead = msgspec.structs.replace(sample.lead_buyer, country="DK", org_number="12345674")
    release = _release(msgspec.structs.replace(sample, lead_buyer=lead))
    assert release["parties"][0]["id"] == "DK-CVR-12345674"
    assert release["tender"]["procuringEntity"] == {"id": "DK-CVR-12345674", "name": lead.name}


def test_award_criteria_are_rated_when_any_lot_weighs_quality(sample: TenderDocument) -> None:
    price_only = tuple(msgspec.structs.replace(lot, price_weight=Decimal(100), quality_weight=Decimal(0)) for lot in sample.lots)
    tender = _release(msgspec.structs.replace(sample, lots=price_only))["tender"]
    assert (tender["awardCriteria"], tender["awardCriteriaDetails"]) == (
        "priceOnly",
        "Delkontrakt 1: Pris 100 %, kvalitet 0 %. Delkontrakt 2: Pris 100 %, kvalitet 0 %.",
    )
    one_rated = (price_only[0], sample.lots[1])
    tender = _release(msgspec.structs.replace(sample, lots=one_rated))["tender"]
    assert (tender["awardCriteria"], tender["awardCriteriaDetails"]) == (
        "ratedCriteria",
        "Delkontrakt 1: Pris 100 %, kvalitet 0 %. Delkontrakt 2: Pris 50 %, kvalitet 50 %.",
    )
    english = _release(msgspec.structs.replace(sample, language="en"))["tender"]
    assert english["awardCriteriaDetails"] == "Lot 1: Price 40%, quality 60%. Lot 2: Price 50%, quality 50%."


# ---- the whole release, field by field ---------------------------------------------------------


def test_the_package_and_its_publisher(sample: TenderDocument) -> None:
    package = json.loads(tender_ocds(sample))
    assert {key: value for key, value in package.items() if key != "releases"} == {
        "uri": "https://registry.example.org/api/v1/tenders/t-42/ocds",
        "version": "1.1",
        "extensions": [
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/73076421c08e2fd20acd91b0fb5ac80bfd94cbc6/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/b4f5ba94b46bded427f5cd771b53397d020f7ec5/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteria_extension/9391240f353e8536992938fe9f7987cd89235331/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_selectionCriteria_extension/42109b4c5259f4a086744a4fd4f1ca4fd6ff1e7f/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_options_extension/bdda4859aecb1473cb6b10ea9747ff90b2e61c34/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/5568b00a8dd694a3d34441bdd9ef2bd3f9d44b11/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_submissionTerms_extension/449ade63333a50f1e8cd2b0704c0a3c5e329a8a8/extension.json",
        ],
        "publishedDate": "2026-03-02T09:30:00Z",
        "publisher": {"name": "Velferdsteknologiregisteret"},
    }
    assert tender_ocds(sample).endswith(b"\n}\n") and b'\n  "uri"' in tender_ocds(sample), "indented by two, one line break at the end"
    assert list(package["releases"][0]) == ["ocid", "id", "date", "tag", "initiationType", "language", "parties", "tender"]
    assert package["releases"][0]["date"] == "2026-03-02T09:30:00Z"


def test_a_package_of_several_versions_has_one_release_each(sample: TenderDocument) -> None:
    first = _with_tender(sample, document_version=1)
    data = release_package([first, msgspec.structs.replace(sample, amendments=(AMENDMENT,))], uri="https://x.example/feed",
                           published=GENERATED_AT, publisher="Feed")  # fmt: skip
    assert ocds_errors(data) == []
    package = json.loads(data)
    assert (package["uri"], package["publisher"]) == ("https://x.example/feed", {"name": "Feed"})
    assert [(r["id"], r["tag"]) for r in package["releases"]] == [
        (f"{sample.ocid}-v1", ["tender"]),
        (f"{sample.ocid}-v2", ["tenderAmendment"]),
    ]


def test_parties_carry_identifier_address_and_only_the_lead_a_contact_point(sample: TenderDocument) -> None:
    lead, first = _release(sample)["parties"][:2]
    assert lead == {
        "name": "Gjøvikregionen helse- og omsorgssamarbeid",
        "id": "NO-BRC-960000005",
        "identifier": {"scheme": "NO-BRC", "id": "960000005", "legalName": "Gjøvikregionen helse- og omsorgssamarbeid"},
        "address": {"countryName": "Norge"},
        "contactPoint": {"name": "Innkjøpskontoret i Gjøvikregionen", "email": "innkjop@gjovikregionen.no", "telephone": "+47 61 18 90 00"},
        "roles": ["procuringEntity"],
    }
    assert first == {
        "name": "Gjøvik kommune",
        "id": "NO-BRC-960079191",
        "identifier": {"scheme": "NO-BRC", "id": "960079191", "legalName": "Gjøvik kommune"},
        "address": {"countryName": "Norge"},
        "roles": ["buyer"],
    }
    no_phone = _with_tender(sample, contact=msgspec.structs.replace(sample.tender.contact, phone=""))
    assert _release(no_phone)["parties"][0]["contactPoint"] == {"name": "Innkjøpskontoret i Gjøvikregionen", "email": "innkjop@gjovikregionen.no"}
    assert "contactPoint" not in _release(_with_tender(sample, contact=None))["parties"][0]


def test_a_participant_listed_twice_or_leading_is_one_party(sample: TenderDocument) -> None:
    lead = sample.participants[0].party
    twice = msgspec.structs.replace(sample, lead_buyer=lead, participants=(*sample.participants, sample.participants[1]))
    parties = _release(twice)["parties"]
    assert [(p["name"], p["roles"]) for p in parties] == [
        (lead.name, ["procuringEntity", "buyer"]),
        *((p.party.name, ["buyer"]) for p in sample.participants[1:]),
    ]


def test_the_tender_block_in_full(sample: TenderDocument) -> None:
    tender = _release(sample)["tender"]
    assert list(tender) == [
        "id", "title", "description", "status", "procuringEntity", "items", "value", "procurementMethod",
        "procurementMethodDetails", "mainProcurementCategory", "awardCriteria", "awardCriteriaDetails", "submissionMethod",
        "submissionMethodDetails", "eligibilityCriteria", "tenderPeriod", "enquiryPeriod", "awardPeriod", "contractPeriod",
        "hasOptions", "options", "techniques", "submissionTerms", "criteria", "documents", "lots", "lotDetails",
    ]  # fmt: skip
    assert (tender["id"], tender["title"], tender["description"]) == ("t-42", sample.tender.title, sample.tender.description)
    assert tender["procuringEntity"] == {"id": "NO-BRC-960000005", "name": "Gjøvikregionen helse- og omsorgssamarbeid"}
    assert tender["submissionMethod"] == ["electronicSubmission"]
    assert tender["enquiryPeriod"] == {"startDate": "2026-03-02T08:00:00Z", "endDate": "2026-03-23T11:00:00Z"}
    assert tender["awardPeriod"] == {"startDate": "2026-04-06T10:00:00Z", "endDate": "2026-05-04T21:59:59Z"}  # end of the Oslo day
    assert [{key: lot[key] for key in ("id", "title", "description", "status", "value") if key in lot} for lot in tender["lots"]] == [
        {"id": "lot-1", "title": "Digitale trygghetsalarmer med alarmmottak", "description": "Alarmenheter, mottak og drift.", "status": "active",
         "value": {"amount": 30000000, "currency": "NOK"}},
        {"id": "lot-2", "title": "Lokaliseringsteknologi (GPS)", "status": "active", "value": {"amount": 8000000, "currency": "NOK"}},
    ]  # fmt: skip
    assert [list(lot) for lot in tender["lots"]] == [
        ["id", "title", "description", "status", "value", "awardCriteria", "selectionCriteria", "techniques"],
        ["id", "title", "status", "value", "awardCriteria", "selectionCriteria", "techniques"],
    ]
    services = _release(_with_tender(sample, main_category="services"))["tender"]
    assert services["mainProcurementCategory"] == "services"


def test_items_one_per_buyer_and_lot_classified_by_cpv_without_check_digit(sample: TenderDocument) -> None:
    items = _release(sample)["tender"]["items"]
    assert items[0] == {
        "id": "lot-1-NO-BRC-960079191-1", "description": "Digitale trygghetsalarmer med alarmmottak til Gjøvik kommune",
        "classification": {"scheme": "CPV", "id": "33196200"}, "quantity": 420, "unit": {"name": "stk"}, "relatedLot": "lot-1",
    }  # fmt: skip
    assert items[-1] == {
        "id": "lot-2-NO-BRC-960316762-1", "description": "Lokaliseringsteknologi (GPS) til Søndre Land kommune",
        "classification": {"scheme": "CPV", "id": "33196200"}, "additionalClassifications": [{"scheme": "CPV", "id": "32235000"}],
        "quantity": 10, "unit": {"name": "stk"}, "relatedLot": "lot-2",
    }  # fmt: skip
    unclassified = _with_tender(msgspec.structs.replace(sample, participants=()), cpv_codes=())
    item = _release(unclassified)["tender"]["items"][1]
    assert item == {"id": "lot-2-item", "description": "Lokaliseringsteknologi (GPS)", "relatedLot": "lot-2"}, "no codes, no volumes: one bare item"
    unanswered = _release(msgspec.structs.replace(sample, participants=()))["tender"]["items"]
    assert unanswered[1] == {
        "id": "lot-2-item", "description": "Lokaliseringsteknologi (GPS)", "classification": {"scheme": "CPV", "id": "33196200"},
        "additionalClassifications": [{"scheme": "CPV", "id": "32235000"}], "relatedLot": "lot-2",
    }, "no volumes yet: one item per lot, still classified"  # fmt: skip


def test_documents_name_each_file_with_its_dates(sample: TenderDocument) -> None:
    common = {"datePublished": "2026-03-02T08:00:00Z", "dateModified": "2026-03-02T09:30:00Z", "language": "nb"}
    assert _release(sample)["tender"]["documents"] == [
        {"id": "t-42-tender-document", "documentType": "biddingDocuments", "title": "Konkurransegrunnlag", "url": sample.links.tender_docx,
         "format": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", **common},
        {"id": "t-42-response-form", "documentType": "technicalSpecifications", "title": "Svarskjema", "url": sample.links.response_form_xlsx,
         "format": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", **common},
        {"id": "t-42-contract-annex", "documentType": "contractDraft", "title": "Kontraktsvilkår", "url": sample.links.contract_annex_docx,
         "format": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", **common},
    ]  # fmt: skip
    old = msgspec.structs.replace(sample, links=msgspec.structs.replace(sample.links, contract_annex_docx=""))
    assert [d["id"] for d in _release(old)["tender"]["documents"]] == ["t-42-tender-document", "t-42-response-form"], "published before the annex"


def test_a_draft_never_published_has_open_ended_periods_and_undated_documents(sample: TenderDocument) -> None:
    timeline = msgspec.structs.replace(sample.tender.timeline, published_at=None, planned_award=None)
    draft = msgspec.structs.replace(_with_tender(sample, status="draft", timeline=timeline, estimated_value=None), draft=True)
    tender = _release(draft)["tender"]
    assert tender["tenderPeriod"] == {"endDate": "2026-04-06T10:00:00Z"}
    assert tender["enquiryPeriod"] == {"endDate": "2026-03-23T11:00:00Z"}
    assert tender["awardPeriod"] == {"startDate": "2026-04-06T10:00:00Z"}
    assert "value" not in tender
    assert [set(d) for d in tender["documents"]] == [{"id", "documentType", "title", "url", "format", "dateModified", "language"}] * 3


def test_contract_period_covers_whole_days_in_the_tender_time_zone(sample: TenderDocument) -> None:
    helsinki = msgspec.structs.replace(sample, timezone="Europe/Helsinki")
    assert _release(helsinki)["tender"]["contractPeriod"] == {
        "startDate": "2026-08-31T21:00:00Z", "endDate": "2028-08-31T20:59:59Z", "maxExtentDate": "2030-08-31T20:59:59Z",
    }  # fmt: skip


def test_a_lead_municipality_is_a_buyer_beside_other_participants_and_alone(sample: TenderDocument) -> None:
    lead = msgspec.structs.replace(sample.lead_buyer, kind="municipality")
    joint = _release(msgspec.structs.replace(sample, lead_buyer=lead))
    assert [(p["name"], p["roles"]) for p in joint["parties"]] == [
        (lead.name, ["procuringEntity", "buyer"]),
        *((p.party.name, ["buyer"]) for p in sample.participants),
    ]
    assert "buyer" not in joint
    alone = _release(msgspec.structs.replace(sample, lead_buyer=lead, participants=()))
    assert [(p["name"], p["roles"]) for p in alone["parties"]] == [(lead.name, ["procuringEntity", "buyer"])]
    assert alone["buyer"] == {"id": "NO-BRC-960000005", "name": lead.name}
    federation_alone = _release(msgspec.structs.replace(sample, participants=()))
    assert [p["roles"] for p in federation_alone["parties"]] == [["procuringEntity"]] and "buyer" not in federation_alone


def test_any_quality_weight_makes_the_criteria_rated(sample: TenderDocument) -> None:
    lots = tuple(msgspec.structs.replace(lot, price_weight=Decimal(99), quality_weight=Decimal(1)) for lot in sample.lots)
    assert _release(msgspec.structs.replace(sample, lots=lots))["tender"]["awardCriteria"] == "ratedCriteria"


def test_a_cpv_code_without_its_check_digit_is_kept_whole(sample: TenderDocument) -> None:
    lot = msgspec.structs.replace(sample.lots[0], cpv_codes=("33196200", "32235000-9"))
    item = _release(msgspec.structs.replace(sample, lots=(lot,)))["tender"]["items"][0]
    assert (item["classification"], item["additionalClassifications"]) == (
        {"scheme": "CPV", "id": "33196200"},
        [{"scheme": "CPV", "id": "32235000"}],
    )


def test_instants_are_utc_whatever_the_machine_time_zone(sample: TenderDocument, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        release = _release(sample)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (release["date"], release["tender"]["tenderPeriod"]["endDate"]) == ("2026-03-02T09:30:00Z", "2026-04-06T10:00:00Z")
