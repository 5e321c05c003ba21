"""The tender as an OCDS 1.1.5 release package (JSON, UTF-8).

A joint procurement shows each participating municipality as a party with the `buyer` role and the
lead as `procuringEntity` (and `buyer` too when it is a municipality). Lots use the official lots
extension (`tender.lots`, `items[].relatedLot`); requirements, award and selection criteria, options,
the framework agreement and the submission terms use the extensions named in `EXTENSIONS`, each
pinned to the commit the package was validated against. Keys come out in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec

from exports.labels import Locale
from exports.model import Country, Lot, Money, Party, Procedure, TenderDocument, TenderStatus, Volume, sum_volumes
from exports.ocds_criteria import award_criteria, criteria, exclusion_grounds, selection_criteria
from exports.ocds_fields import day_end, day_start, fields, instant, period
from exports.ocds_terms import last_option_day, lot_details, lot_techniques, options, submission_details, submission_terms, techniques
from exports.text import scrub

OCDS_VERSION = "1.1"
# The extensions the releases use, each at the commit of its schema that the tests validate against.
EXTENSION_COMMITS = {
    "ocds_lots_extension": "73076421c08e2fd20acd91b0fb5ac80bfd94cbc6",
    "ocds_requirements_extension": "b4f5ba94b46bded427f5cd771b53397d020f7ec5",
    "ocds_awardCriteria_extension": "9391240f353e8536992938fe9f7987cd89235331",
    "ocds_selectionCriteria_extension": "42109b4c5259f4a086744a4fd4f1ca4fd6ff1e7f",
    "ocds_options_extension": "bdda4859aecb1473cb6b10ea9747ff90b2e61c34",
    "ocds_techniques_extension": "5568b00a8dd694a3d34441bdd9ef2bd3f9d44b11",
    "ocds_submissionTerms_extension": "449ade63333a50f1e8cd2b0704c0a3c5e329a8a8",
}
EXTENSIONS = [
    f"https://raw.githubusercontent.com/open-contracting-extensions/{name}/{commit}/extension.json"
    for name, commit in EXTENSION_COMMITS.items()
]
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Registry lifecycle -> tenderStatus codelist. A closed tender is still being evaluated: active.
TENDER_STATUS: dict[TenderStatus, str] = {
    "draft": "planning",
    "open_for_participants": "planned",
    "published": "active",
    "closed": "active",
    "awarded": "complete",
    "cancelled": "cancelled",
}
# National procedure -> method codelist; every procedure but the open one admits only qualified
# (or framework) suppliers. procurementMethodDetails carries the national name.
PROCUREMENT_METHOD: dict[Procedure, str] = {
    "open": "open",
    "restricted": "selective",
    "negotiated": "selective",
    "competitive_dialogue": "selective",
    "mini_competition": "selective",
    "dynamic_purchasing_system": "selective",
}
# org-id.guide registers of organisation numbers.
IDENTIFIER_SCHEME: dict[Country, str] = {"NO": "NO-BRC", "SE": "SE-BLV", "DK": "DK-CVR", "FI": "FI-PRO"}

_ENCODER = msgspec.json.Encoder(decimal_format="number")


def tender_ocds(doc: TenderDocument) -> bytes:
    """Render the release package of one document version; the same snapshot always gives the same bytes."""
    return release_package([doc], uri=doc.links.package, published=doc.generated_at, publisher=doc.publisher)


def release_package(docs: Sequence[TenderDocument], *, uri: str, published: datetime, publisher: str) -> bytes:
    """A release package of the releases of several document versions (an open-data feed page)."""
    package = fields(
        uri=uri,
        version=OCDS_VERSION,
        extensions=EXTENSIONS,
        publishedDate=instant(published),
        publisher=fields(name=publisher),
        releases=[_release(scrub(doc)) for doc in docs],
    )
    return msgspec.json.format(_ENCODER.encode(package), indent=2) + b"\n"


def release_id(ocid: str, document_version: int) -> str:
    """One release per document version, so an amendment names the release it amends."""
    return f"{ocid}-v{document_version}"


def _tag(doc: TenderDocument) -> str:
    status = doc.tender.status
    if status in ("draft", "open_for_participants"):
        return "planning"
    if status == "cancelled":
        return "tenderCancellation"
    return "tenderAmendment" if doc.amendments else "tender"


def _release(doc: TenderDocument) -> dict[str, Any]:
    """The release of one document version. A joint tender has several buyers: each is a party with
    the ``buyer`` role and the release's ``buyer`` field is left out, as OCDS advises."""
    t = Locale(doc.language, doc.timezone)
    lead = doc.lead_buyer
    single_buyer = lead.kind == "municipality" and not doc.participants
    return fields(
        ocid=doc.ocid,
        id=release_id(doc.ocid, doc.tender.document_version),
        date=instant(doc.generated_at),
        tag=[_tag(doc)],
        initiationType="tender",
        language=doc.language,
        parties=_parties(doc, t),
        buyer=_reference(lead) if single_buyer else None,
        tender=_tender(doc, t),
    )


def _parties(doc: TenderDocument, t: Locale) -> list[dict[str, Any]]:
    """Every organisation once, with all its roles."""
    roles: dict[str, list[str]] = defaultdict(list)
    parties: dict[str, dict[str, Any]] = {}

    def add(party: Party, role: str, contact: dict[str, Any] | None = None) -> None:
        key = _party_id(party)
        parties.setdefault(key, _organization(party, t, contact))
        if role not in roles[key]:
            roles[key].append(role)

    contact = doc.tender.contact
    reach = fields(name=contact.name, email=contact.email, telephone=contact.phone) if contact else None
    add(doc.lead_buyer, "procuringEntity", reach)
    if doc.lead_buyer.kind == "municipality":
        add(doc.lead_buyer, "buyer")
    for participant in doc.participants:
        add(participant.party, "buyer")
    return [{**organization, "roles": roles[key]} for key, organization in parties.items()]


def _organization(party: Party, t: Locale, contact: dict[str, Any] | None) -> dict[str, Any]:
    return fields(
        name=party.name,
        id=_party_id(party),
        identifier=fields(scheme=IDENTIFIER_SCHEME[party.country], id=party.org_number, legalName=party.name),
        address=fields(countryName=t[f"country.{party.country}"]),
        contactPoint=contact or None,
    )


def _tender(doc: TenderDocument, t: Locale) -> dict[str, Any]:
    tender, timeline, contract = doc.tender, doc.tender.timeline, doc.tender.contract
    zone = t.zone
    rated = any(lot.quality_weight > 0 for lot in doc.lots)
    weights = (
        f"{t['lot']} {lot.number}: "
        + t["lot_weights"].format(price=t.percent(lot.price_weight), quality=t.percent(lot.quality_weight))
        for lot in doc.lots
    )
    extended = last_option_day(doc)
    return fields(
        id=tender.id,
        title=tender.title,
        description=tender.description,
        status=TENDER_STATUS[tender.status],
        procuringEntity=_reference(doc.lead_buyer),
        items=_items(doc, t),
        value=tender.estimated_value and _value(tender.estimated_value),
        procurementMethod=PROCUREMENT_METHOD[tender.procedure],
        procurementMethodDetails=t[f"procedure.{tender.procedure}"],
        mainProcurementCategory=tender.main_category,
        awardCriteria="ratedCriteria" if rated else "priceOnly",
        awardCriteriaDetails=" ".join(weights),
        submissionMethod=["electronicSubmission"],
        submissionMethodDetails=submission_details(tender.terms, t),
        eligibilityCriteria=exclusion_grounds(doc.law, t),
        tenderPeriod=period(timeline.published_at, timeline.submission_deadline),
        enquiryPeriod=period(timeline.published_at, timeline.questions_deadline),
        awardPeriod=period(
            timeline.submission_deadline, day_end(timeline.planned_award, zone) if timeline.planned_award else None
        ),
        contractPeriod=period(
            day_start(contract.start, zone), day_end(contract.end, zone), maxExtentDate=extended and instant(day_end(extended, zone))
        ),
        **options(doc, t),
        techniques=techniques(tender.terms),
        submissionTerms=submission_terms(doc),
        criteria=criteria(doc.lots, t),
        documents=_documents(doc, t),
        amendments=[
            fields(
                id=str(a.number), date=instant(a.date), description=a.summary, rationale=a.reason,
                amendsReleaseID=release_id(doc.ocid, a.number), releaseID=release_id(doc.ocid, a.number + 1),
            )  # fmt: skip
            for a in doc.amendments
        ],
        lots=[_lot(lot, doc, t) for lot in doc.lots],
        lotDetails=lot_details(tender.terms),
    )


def _lot(lot: Lot, doc: TenderDocument, t: Locale) -> dict[str, Any]:
    """A lot with its award and selection criteria, and for a framework its agreement; its value is the most it may
    call off."""
    maximum = lot.maximum.value if lot.maximum else None
    return fields(
        id=lot.id,
        title=lot.title,
        description=lot.description,
        status=TENDER_STATUS[doc.tender.status],
        value=maximum and _value(maximum),
        awardCriteria=award_criteria(lot, t),
        selectionCriteria=selection_criteria(lot),
        techniques=lot_techniques(lot, doc.tender.terms, t),
    )


# Quantities per buyer follow the OCDS guidance on joint procurement: every participating municipality is a party with
# the `buyer` role, and each item (one per buyer, lot and unit) carries its `relatedLot` and names its buyer by the
# party's id in the item id and by name in the description. Core items have no buyer field and none of the declared
# extensions adds one (the location extension's delivery addresses would give a place, not a buyer).
def _items(doc: TenderDocument, t: Locale) -> list[dict[str, Any]]:
    """Each buyer's estimated quantities; a municipality listed twice is one buyer, its volumes added up as in the
    totals. A lot without any volume is one item without a quantity."""
    volumes: dict[str, tuple[Party, list[Volume]]] = {}
    for participant in doc.participants:
        volumes.setdefault(_party_id(participant.party), (participant.party, []))[1].extend(participant.volumes)
    buyers = [(party, sum_volumes(given)) for party, given in volumes.values()]
    return [item for lot in doc.lots for item in _lot_items(lot, lot.cpv_codes or doc.tender.cpv_codes, buyers, t)]


def _lot_items(lot: Lot, cpv_codes: tuple[str, ...], buyers: list[tuple[Party, dict[str, dict[str, int]]]], t: Locale) -> list[dict[str, Any]]:
    classified = _classifications(cpv_codes)
    items = [
        fields(
            id=f"{lot.id}-{_party_id(party)}-{position}",
            description=t["ocds.item"].format(lot=lot.title, buyer=party.name),
            **classified,
            quantity=quantity,
            unit={"name": unit},
            relatedLot=lot.id,
        )
        for party, quantities in buyers
        for position, (unit, quantity) in enumerate(quantities.get(lot.id, {}).items(), 1)
    ]
    return items or [fields(id=f"{lot.id}-item", description=lot.title, **classified, relatedLot=lot.id)]


def _classifications(cpv_codes: tuple[str, ...]) -> dict[str, Any]:
    """The first CPV code classifies, the others are additional; codes go without their check digit."""
    codes = [code.partition("-")[0] for code in cpv_codes]
    return fields(
        classification=fields(scheme="CPV", id=codes[0]) if codes else None,
        additionalClassifications=[fields(scheme="CPV", id=code) for code in codes[1:]],
    )


def _documents(doc: TenderDocument, t: Locale) -> list[dict[str, Any]]:
    published = doc.tender.timeline.published_at
    common = {
        "datePublished": published and instant(published),
        "dateModified": instant(doc.generated_at),
        "language": doc.language,
    }
    documents = (
        ("tender-document", "biddingDocuments", "tender_document", doc.links.tender_docx, DOCX_MEDIA_TYPE),
        ("response-form", "technicalSpecifications", "response_form", doc.links.response_form_xlsx, XLSX_MEDIA_TYPE),
        ("contract-annex", "contractDraft", "doc.contract_annex", doc.links.contract_annex_docx, DOCX_MEDIA_TYPE),
    )
    return [
        fields(id=f"{doc.tender.id}-{name}", documentType=kind, title=t[label], url=url, format=media_type, **common)
        for name, kind, label, url, media_type in documents
        if url  # documents published before the contract annex existed do not link one
    ]


# ---- small helpers ----------------------------------------------------------------------------


def _party_id(party: Party) -> str:
    return f"{IDENTIFIER_SCHEME[party.country]}-{party.org_number}"


def _reference(party: Party) -> dict[str, Any]:
    return fields(id=_party_id(party), name=party.name)


def _value(money: Money) -> dict[str, Any]:
    return fields(**msgspec.structs.asdict(money))
