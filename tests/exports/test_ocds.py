from __future__ import annotations

import json
from typing import Any, get_args

import msgspec
import pytest

from exports.model import Procedure, TenderDocument, TenderStatus
from exports.ocds import tender_ocds
from tests.exports.factory import AMENDMENT
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
        ("lot-1", {"scheme": "CPV", "id": "33196200"}, 1110),
        ("lot-2", {"scheme": "CPV", "id": "33196200"}, 105),
    ]
    assert tender["items"][1]["additionalClassifications"] == [{"scheme": "CPV", "id": "32235000"}]
    assert tender["tenderPeriod"] == {"startDate": "2026-03-02T08:00:00Z", "endDate": "2026-04-06T10:00:00Z"}
    assert tender["enquiryPeriod"]["endDate"] == "2026-03-23T11:00:00Z"
    assert tender["contractPeriod"] == {
        "startDate": "2026-08-31T22:00:00Z",
        "endDate": "2028-08-31T21:59:59Z",
    }  # Oslo days
    documents = tender["documents"]
    assert [d["url"] for d in documents] == [sample.links.tender_docx, sample.links.response_form_xlsx]
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
