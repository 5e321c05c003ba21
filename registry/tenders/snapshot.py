"""Build the exporters' snapshot (``exports.model.TenderDocument``) from a tender.

Texts are resolved here: module versions rendered with the selection's parameters in the
tender's language, labels taken from the library catalogue, English used where a translation is
missing and every such fallback listed. A published tender is exported exactly as published,
with its amendments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from exports import model
from exports.builder_process import build_elsewhere
from exports.package import DOCUMENTS, file_name, tender_package
from registry.organizations import service as organizations
from registry.organizations.schemas import Organization
from registry.problems import NotFound, RuleViolation
from registry.requirements import service as library
from registry.requirements.content import Reference, VersionContent
from registry.requirements.rendering import pick, render
from registry.requirements.templates import Catalogue
from registry.settings import Settings
from registry.tenders import schemas, storage
from registry.tenders.law import country_law, stated
from registry.tenders.models import Tender, TenderAmendment, TenderDocument, TenderParticipant
from registry.tenders.validation import Pinned, effective_kind

TIMEZONES = {"NO": "Europe/Oslo", "SE": "Europe/Stockholm", "DK": "Europe/Copenhagen", "FI": "Europe/Helsinki"}
PUBLISHER = "Welfare technology procurement registry"
PLACEHOLDER_OCID_PREFIX = "ocds-000000"
"""Stands in for an ocid prefix until ``REGISTRY_OCID_PREFIX`` names the one registered for this registry."""


class Publisher(msgspec.Struct, frozen=True):
    """Who publishes the documents and from where: the public address links point to, and the ocid prefix."""

    base_url: str
    ocid_prefix: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> Publisher:
        return cls(settings.public_url, settings.ocid_prefix)

    def ocid(self, tender_id: UUID) -> str:
        return f"{self.ocid_prefix or PLACEHOLDER_OCID_PREFIX}-{tender_id}"

    @property
    def name(self) -> str:
        if self.ocid_prefix:
            return PUBLISHER
        return f"{PUBLISHER} (ocid prefix {PLACEHOLDER_OCID_PREFIX} is a local placeholder, not a registered prefix)"


def _party(organization: Organization) -> model.Party:
    kind = organization.kind
    if kind != "municipality" and kind != "federation":  # tenders are led and joined by buyers only
        raise ValueError(f"organization {organization.id} is a {kind}, not a buyer")
    return model.Party(
        id=str(organization.id), name=organization.name, country=organization.country,
        org_number=organization.org_number or "", kind=kind,
    )  # fmt: skip


def _label(catalogue: Catalogue, vocabulary: str, key: str, language: str) -> str:
    term = next((t for t in getattr(catalogue, vocabulary) if t.key == key), None)
    return pick(term.label, language)[0] if term else key


class _Texts:
    """Renders selections in one language and remembers which texts fell back to English."""

    def __init__(self, language: str, currency: schemas.Currency, catalogue: Catalogue, pinned: Pinned) -> None:
        self.language = language
        self.currency = currency
        self.catalogue = catalogue
        self.pinned = pinned
        self.fallbacks: dict[str, None] = {}

    def text(self, texts: dict[str, str], what: str) -> str:
        value, fell_back = pick(texts, self.language)
        if fell_back and value:
            self.fallbacks[what] = None
        return value

    def scale(self, content: VersionContent, where: str) -> tuple[model.ScaleStep, ...]:
        steps = content.scoring_scale.steps if content.scoring_scale else []
        return tuple(model.ScaleStep(points=s.points, descriptor=self.text(s.descriptor, f"{where} scoring scale")) for s in steps)

    def requirement(self, rid: str, selection: schemas.SelectionIn) -> model.Requirement:
        pair = (selection.module_key, selection.module_version)
        module = self.pinned[pair]
        content = module.content
        where = f"{selection.module_key} v{selection.module_version}"
        rendered, errors = render(content, self.language, selection.parameters)
        if rendered is None:
            raise RuleViolation(f"{where} cannot be rendered", errors=errors)
        for field in rendered.fallbacks:
            self.fallbacks[f"{where} {field}"] = None
        kind = effective_kind(selection, content.kind)
        added_value = model.Money(amount=selection.added_value, currency=self.currency) if selection.added_value is not None else None
        return model.Requirement(
            id=rid,
            module_key=selection.module_key,
            module_version=selection.module_version,
            category_key=module.category,
            category_label=_label(self.catalogue, "categories", module.category, self.language),
            kind=kind,
            level=content.level,
            title=rendered.title,
            statement=rendered.statement,
            rationale=self.text(content.rationale, f"{where} rationale"),
            verification_documents=tuple(_label(self.catalogue, "document_types", d, self.language) for d in content.verification),
            verification=self.text(content.verification_text, f"{where} verification"),
            weight=Decimal(str(selection.weight)) if kind == "award" and selection.weight else None,
            added_value=added_value if kind == "award" else None,
            scoring_guidance=self.text(content.scoring_guidance, f"{where} scoring guidance") if kind == "award" else "",
            scale=self.scale(content, where) if kind == "award" else (),
            buyer_note=selection.note or "",
        )


def _missing_for_export(spec: schemas.TenderSpec) -> list[tuple[str, str]]:
    required = {
        "timeline.questions_deadline": spec.timeline.questions_deadline,
        "timeline.submission_deadline": spec.timeline.submission_deadline,
        "contract_period.start": spec.contract_period.start,
        "contract_period.end": spec.contract_period.end,
    }
    return [(field, "is needed for the tender documents") for field, value in required.items() if value is None]


async def build_snapshot(session: AsyncSession, tender: Tender, owner: Organization, *, now: datetime, publisher: Publisher) -> model.TenderDocument:
    spec = storage.spec_of(tender)
    missing = _missing_for_export(spec)
    if missing:
        raise RuleViolation("the tender is not complete enough to export", errors=missing)
    pinned = await library.pinned(session, {(s.module_key, s.module_version) for lot in spec.lots for s in lot.selections})
    catalogue = await library.catalogue(session)
    texts = _Texts(spec.language, spec.currency, catalogue, pinned)
    lots = tuple(
        model.Lot(
            id=str(number),
            number=number,
            title=lot.title,
            product_categories=tuple(_label(catalogue, "product_categories", pc, spec.language) for pc in lot.product_categories),
            price_weight=Decimal(str(lot.price_weight)),
            quality_weight=Decimal(str(lot.quality_weight)),
            requirements=tuple(texts.requirement(f"{number}.{position}", s) for position, s in enumerate(lot.selections, 1)),
            maximum=_maximum(lot.maximum, spec.currency),
        )
        for number, lot in enumerate(spec.lots, 1)
    )
    tender_ = _tender(tender, spec)
    return model.TenderDocument(
        language=spec.language,
        generated_at=now,
        timezone=TIMEZONES[owner.country],
        draft=tender.status in ("draft", "open_for_participants"),
        ocid=publisher.ocid(tender.id),
        publisher=publisher.name,
        links=_links(publisher.base_url, tender.id),
        tender=tender_,
        lead_buyer=_party(owner),
        participants=await _participants(session, tender.id),
        lots=lots,
        references=_references(pinned, owner.country, spec.language),
        amendments=tuple(
            model.Amendment(number=a.number, date=a.created_at, summary=a.summary, reason=a.reason)
            for a in await session.scalars(select(TenderAmendment).where(TenderAmendment.tender_id == tender.id).order_by(TenderAmendment.number))
        ),
        law=stated(country_law(owner.country), spec.language, tender_.terms, spec.terms.discretionary_grounds),
        fallbacks=tuple(texts.fallbacks),
    )


def _references(pinned: Pinned, country: str, language: str) -> tuple[model.Reference, ...]:
    """The references of the pinned modules that apply in ``country`` (its own and the EU's), each once, by kind and identifier.

    Modules naming the same reference may give it differently: the first module's is kept, unless a
    later one has its official title in ``language`` and the first has not.
    """
    references: dict[str, Reference] = {}
    for pair in sorted(pinned):  # by key and version
        for reference in pinned[pair].references:
            if reference.jurisdiction not in ("EU", country):
                continue
            known = references.get(reference.identifier)
            if known is None or (language in reference.titles and language not in known.titles):
                references[reference.identifier] = reference
    return tuple(sorted((_reference(r, language) for r in references.values()), key=lambda r: (r.kind, r.identifier)))


def _maximum(maximum: schemas.Maximum | None, currency: schemas.Currency) -> model.Maximum | None:
    if maximum is None:
        return None
    value = model.Money(amount=maximum.value, currency=currency) if maximum.value is not None else None
    return model.Maximum(value=value, quantity=maximum.quantity, unit=maximum.unit or "")


def _terms(terms: schemas.Terms) -> model.Terms:
    """The terms as the documents state them (the exclusion grounds go with the law, ``stated``)."""
    given = msgspec.structs.asdict(terms)
    del given["main_category"], given["discretionary_grounds"]
    given["duration_justification"] = terms.duration_justification or ""
    return msgspec.convert(msgspec.to_builtins(given), model.Terms)


def _reference(reference: Reference, language: str) -> model.Reference:
    """The reference as the documents list it: its official title in the tender's language where it has one, and the edition meant."""
    edition = reference.edition if reference.edition and reference.edition not in reference.identifier else None
    return model.Reference(
        kind=reference.kind,
        identifier=f"{reference.identifier} {edition}" if edition else reference.identifier,
        title=reference.titles.get(language, reference.title),
        year=reference.year,
        clause=reference.clause or "",
    )


def _links(base_url: str, tender_id: UUID) -> model.Links:
    base = f"{base_url.rstrip('/')}/api/v1/tenders/{tender_id}/exports"
    return model.Links(
        package=f"{base}/ocds", tender_docx=f"{base}/docx", response_form_xlsx=f"{base}/xlsx",
        contract_annex_docx=f"{base}/annex", document_set_zip=f"{base}/package",
    )  # fmt: skip


def _tender(tender: Tender, spec: schemas.TenderSpec) -> model.Tender:
    timeline, period = spec.timeline, spec.contract_period
    questions, submission = timeline.questions_deadline, timeline.submission_deadline
    assert questions and submission and period.start and period.end, "build_snapshot refuses a tender without them"
    return model.Tender(
        id=str(tender.id),
        reference=spec.reference,
        title=spec.title,
        description=spec.description,
        document_version=tender.document_version,
        status=tender.status,
        procedure=spec.procedure,
        cpv_codes=tuple(spec.cpv_codes),
        estimated_value=model.Money(amount=spec.estimated_value, currency=spec.currency) if spec.estimated_value is not None else None,
        contract=model.ContractPeriod(start=period.start, end=period.end, options=period.options or ""),
        timeline=model.Timeline(
            published_at=tender.published_at,
            questions_deadline=questions,
            submission_deadline=submission,
            planned_award=timeline.planned_award.date() if timeline.planned_award else None,
        ),
        contact=model.ContactPoint(name=spec.contact_point.name, email=spec.contact_point.email, phone=spec.contact_point.phone or "")
        if spec.contact_point
        else None,
        main_category=spec.terms.main_category,
        terms=_terms(spec.terms),
    )


async def _participants(session: AsyncSession, tender_id: UUID) -> tuple[model.Participant, ...]:
    rows = list(
        await session.scalars(select(TenderParticipant).where(TenderParticipant.tender_id == tender_id, TenderParticipant.status == "confirmed"))
    )
    parties = await organizations.by_ids(session, {p.organization_id for p in rows})
    return tuple(
        model.Participant(
            party=_party(parties[participant.organization_id]),
            mandate_date=participant.mandate_decision_date,
            volumes=tuple(model.Volume(lot_id=str(v["lot"]), quantity=int(v["quantity"]), unit=v["unit"]) for v in participant.volumes),
        )
        for participant in sorted(rows, key=lambda p: (parties[p.organization_id].name, str(p.organization_id)))
    )


async def freeze(session: AsyncSession, tender: Tender, owner: Organization, *, at: datetime, publisher: Publisher) -> model.TenderDocument:
    """Store the content of the tender's current document version, dated ``at`` (its publication or amendment)."""
    document = await build_snapshot(session, tender, owner, now=at, publisher=publisher)
    session.add(TenderDocument(tender_id=tender.id, document_version=tender.document_version, content=msgspec.to_builtins(document)))
    return document


async def frozen(session: AsyncSession, tender: Tender, owner: Organization, version: int, *, publisher: Publisher) -> model.TenderDocument:
    """The stored content of a published document version.

    A tender published before versions were frozen has its current version frozen on first use,
    dated by its latest amendment or its publication; its earlier versions are gone.
    """
    row = await session.get(TenderDocument, (tender.id, version))
    if row is not None:
        return msgspec.convert(row.content, model.TenderDocument)
    if version != tender.document_version:
        raise NotFound(f"document version {version} of this tender is not kept")
    latest = await session.scalar(select(func.max(TenderAmendment.created_at)).where(TenderAmendment.tender_id == tender.id))
    return await freeze(session, tender, owner, at=latest or tender.published_at or tender.updated_at, publisher=publisher)


class Export(msgspec.Struct):
    content: bytes
    media_type: str
    filename: str


FORMATS: dict[str, tuple[Callable[[model.TenderDocument], bytes], str]] = {
    **{fmt: (builder, media_type) for fmt, (builder, media_type, _) in DOCUMENTS.items()},
    "package": (tender_package, "application/zip"),
}
"""Every export by its format: the four documents, and the package of them all."""


async def export(session: AsyncSession, tender: Tender, owner: Organization, fmt: str, *, publisher: Publisher, version: int | None = None) -> Export:
    """One export in ``fmt`` (docx, annex, xlsx, ocds or package): bytes, media type and file name.

    A tender never published is built from its rows, dated by its last change and marked DRAFT. A
    published one is exported from its frozen document version (the current one unless ``version``
    names an earlier one): ``version`` gives exactly the published bytes; the current version shows
    the tender's current status.
    """
    builder, media_type = FORMATS[fmt]
    if tender.published_at is None:
        if version is not None:
            raise NotFound("a tender that was never published has no document versions")
        document = await build_snapshot(session, tender, owner, now=tender.updated_at, publisher=publisher)
    else:
        document = await frozen(session, tender, owner, version or tender.document_version, publisher=publisher)
        if version is None:
            document = msgspec.structs.replace(document, tender=msgspec.structs.replace(document.tender, status=tender.status))
    content = await build_elsewhere(builder, document)  # up to a second of CPU for a large tender: not in this process
    return Export(content, media_type, file_name(document, fmt))
