"""The tender as an OCDS 1.1.5 release package (JSON, UTF-8).

A joint procurement shows each participating municipality as a party with the `buyer` role and the
lead as `procuringEntity` (and `buyer` too when it is a municipality). Lots use the official lots
extension (`tender.lots`, `items[].relatedLot`). Keys come out in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

import msgspec

from exports.labels import Locale
from exports.model import Country, Lot, Party, Procedure, TenderDocument, TenderStatus
from exports.text import scrub

OCDS_VERSION = "1.1"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
)
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
    package = _fields(
        uri=uri,
        version=OCDS_VERSION,
        extensions=[LOTS_EXTENSION],
        publishedDate=_instant(published),
        publisher=_fields(name=publisher),
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
    return _fields(
        ocid=doc.ocid,
        id=release_id(doc.ocid, doc.tender.document_version),
        date=_instant(doc.generated_at),
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
    reach = _fields(name=contact.name, email=contact.email, telephone=contact.phone) if contact else None
    add(doc.lead_buyer, "procuringEntity", reach)
    if doc.lead_buyer.kind == "municipality":
        add(doc.lead_buyer, "buyer")
    for participant in doc.participants:
        add(participant.party, "buyer")
    return [{**organization, "roles": roles[key]} for key, organization in parties.items()]


def _organization(party: Party, t: Locale, contact: dict[str, Any] | None) -> dict[str, Any]:
    return _fields(
        name=party.name,
        id=_party_id(party),
        identifier=_fields(scheme=IDENTIFIER_SCHEME[party.country], id=party.org_number, legalName=party.name),
        address=_fields(countryName=t[f"country.{party.country}"]),
        contactPoint=contact or None,
    )


def _tender(doc: TenderDocument, t: Locale) -> dict[str, Any]:
    tender, timeline, contract = doc.tender, doc.tender.timeline, doc.tender.contract
    zone = t.zone
    rated = any(lot.quality_weight > 0 for lot in doc.lots)
    quantities = doc.total_quantities()
    weights = (
        f"{t['lot']} {lot.number}: "
        + t["lot_weights"].format(price=t.percent(lot.price_weight), quality=t.percent(lot.quality_weight))
        for lot in doc.lots
    )
    return _fields(
        id=tender.id,
        title=tender.title,
        description=tender.description,
        status=TENDER_STATUS[tender.status],
        procuringEntity=_reference(doc.lead_buyer),
        items=[_item(lot, lot.cpv_codes or tender.cpv_codes, quantities.get(lot.id, {})) for lot in doc.lots],
        value=tender.estimated_value and _fields(**msgspec.structs.asdict(tender.estimated_value)),
        procurementMethod=PROCUREMENT_METHOD[tender.procedure],
        procurementMethodDetails=t[f"procedure.{tender.procedure}"],
        mainProcurementCategory=tender.main_category,
        awardCriteria="ratedCriteria" if rated else "priceOnly",
        awardCriteriaDetails=" ".join(weights),
        submissionMethod=["electronicSubmission"],
        tenderPeriod=_period(timeline.published_at, timeline.submission_deadline),
        enquiryPeriod=_period(timeline.published_at, timeline.questions_deadline),
        awardPeriod=_period(
            timeline.submission_deadline, _day_end(timeline.planned_award, zone) if timeline.planned_award else None
        ),
        contractPeriod=_period(_day_start(contract.start, zone), _day_end(contract.end, zone)),
        documents=_documents(doc, t),
        amendments=[
            _fields(
                id=str(a.number), date=_instant(a.date), description=a.summary, rationale=a.reason,
                amendsReleaseID=release_id(doc.ocid, a.number), releaseID=release_id(doc.ocid, a.number + 1),
            )  # fmt: skip
            for a in doc.amendments
        ],
        lots=[
            _fields(id=lot.id, title=lot.title, description=lot.description, status=TENDER_STATUS[tender.status])
            for lot in doc.lots
        ],
    )


def _item(lot: Lot, cpv_codes: tuple[str, ...], quantities: dict[str, int]) -> dict[str, Any]:
    """One item per lot: its first CPV code classifies it, the others are additional. The quantity is
    the participants' total when they all count in the same unit."""
    codes = [code.partition("-")[0] for code in cpv_codes]  # without the check digit
    unit, quantity = next(iter(quantities.items())) if len(quantities) == 1 else (None, None)
    return _fields(
        id=f"{lot.id}-item",
        description=lot.title,
        classification=_fields(scheme="CPV", id=codes[0]) if codes else None,
        additionalClassifications=[_fields(scheme="CPV", id=code) for code in codes[1:]],
        quantity=quantity,
        unit=unit and _fields(name=unit),
        relatedLot=lot.id,
    )


def _documents(doc: TenderDocument, t: Locale) -> list[dict[str, Any]]:
    published = doc.tender.timeline.published_at
    common = {
        "datePublished": published and _instant(published),
        "dateModified": _instant(doc.generated_at),
        "language": doc.language,
    }
    documents = (
        ("tender-document", "biddingDocuments", "tender_document", doc.links.tender_docx, DOCX_MEDIA_TYPE),
        ("response-form", "technicalSpecifications", "response_form", doc.links.response_form_xlsx, XLSX_MEDIA_TYPE),
    )
    return [
        _fields(id=f"{doc.tender.id}-{name}", documentType=kind, title=t[label], url=url, format=media_type, **common)
        for name, kind, label, url, media_type in documents
    ]


# ---- small helpers ----------------------------------------------------------------------------


def _fields(**fields: Any) -> dict[str, Any]:
    """An OCDS object of the given fields in the given order, leaving out empty ones."""
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}


def _party_id(party: Party) -> str:
    return f"{IDENTIFIER_SCHEME[party.country]}-{party.org_number}"


def _reference(party: Party) -> dict[str, Any]:
    return _fields(id=_party_id(party), name=party.name)


def _period(start: datetime | None, end: datetime | None) -> dict[str, Any]:
    return _fields(startDate=start and _instant(start), endDate=end and _instant(end))


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def _day_end(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)
