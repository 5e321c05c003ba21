"""The evidence side of a tender: the market's fit to a lot's evidence rules, and the evidence
suppliers shared confidentially with the tender's buyers.

The fit reuses the evidence slice's evaluation for every product in the lot's product categories
against the lot's selections whose module version carries an evidence rule, each judged with the
selection's parameter values (what the tender's documents say). Both apply the reviews of the
tender's buyers (the lead and the confirmed participants) and registry-level reviews; other
organizations' reviews do not count here (``registry.evidence.reviews``). The buyers review the
evidence shared with the tender for their own organizations.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import Principal
from registry.evidence import schemas as evidence_schemas
from registry.evidence import service as evidence
from registry.evidence.storage import FileStore
from registry.problems import Forbidden
from registry.requirements import service as library
from registry.requirements.content import VersionContent
from registry.schemas import Page
from registry.tenders import service
from registry.tenders.models import Tender, TenderParticipant, TenderSelection
from registry.tenders.schemas import LotEvidence, ProductFit

MAX_PRODUCTS = 200


async def _buyers(session: AsyncSession, tender: Tender) -> frozenset[UUID]:
    """The organizations whose reviews count in the tender: the lead buyer and the confirmed participants."""
    confirmed = await session.scalars(
        select(TenderParticipant.organization_id).where(TenderParticipant.tender_id == tender.id, TenderParticipant.status == "confirmed")
    )
    return frozenset({tender.owner_id, *confirmed})


async def evidence_to_review(session: AsyncSession, tender_ids: Sequence[UUID]) -> dict[UUID, int]:
    """How many confidential items shared with each of the tenders wait for a review by its buyers (tenders with none
    left out); for the lead buyer's dashboard."""
    waiting = {}
    for tender in await session.scalars(select(Tender).where(Tender.id.in_(tender_ids))):
        if count := await evidence.unreviewed_for_tender(session, tender.id, await _buyers(session, tender)):
            waiting[tender.id] = count
    return waiting


async def lot_evidence(session: AsyncSession, actor: Principal, tender_id: UUID, lot_number: int) -> LotEvidence:
    tender, owner = await service.visible_tender(session, actor, tender_id)
    if not service.is_lead_buyer(actor, tender, owner.kind):
        raise Forbidden("the evidence overview is for the lead buyer")
    lot = service.lot_at(tender, lot_number)
    refs = _rule_refs(lot.selections, await library.pinned_contents(session, {(s.module_key, s.module_version) for s in lot.selections}))
    deadline = tender.submission_deadline.date() if tender.submission_deadline else None
    products: dict[UUID, evidence_schemas.Product] = {}
    for category in lot.product_categories:
        rows, _ = await evidence.list_products(session, actor, category=category, supplier_id=None, q=None, limit=MAX_PRODUCTS, offset=0)
        products |= {row.id: row for row in rows}
    request = evidence_schemas.FitRequest(refs, deadline)
    buyers = await _buyers(session, tender)
    reports = await evidence.products_fit(session, actor, list(products), request, tender_id=tender.id, reviewers=buyers) if refs else []
    fits = [ProductFit(p.id, p.name, p.model, p.supplier_id, report) for p, report in zip(products.values(), reports, strict=True)]
    ranked = sorted(fits, key=lambda p: (-sum(m.met for m in p.report.modules), p.name))
    return LotEvidence(lot=lot_number, modules=refs, products=ranked)


def _rule_refs(selections: Sequence[TenderSelection], contents: dict[tuple[str, int], VersionContent]) -> list[evidence_schemas.ModuleRef]:
    """The selections whose pinned version carries an evidence rule, with their parameter values, by
    module and version; selections of one version with the same values once."""
    refs: dict[bytes, evidence_schemas.ModuleRef] = {}
    for selection in sorted(selections, key=lambda s: (s.module_key, s.module_version, s.position)):
        content = contents.get((selection.module_key, selection.module_version))
        if content is not None and content.evidence_rule is not None:
            ref = evidence_schemas.ModuleRef(selection.module_key, selection.module_version, dict(selection.parameters))
            refs.setdefault(msgspec.json.encode(ref, order="sorted"), ref)
    return list(refs.values())


async def _buyers_tender(session: AsyncSession, actor: Principal, tender_id: UUID) -> Tender:
    tender, owner = await service.visible_tender(session, actor, tender_id)
    if not await service.is_buyer_of(session, actor, tender, owner.kind):
        raise Forbidden("evidence shared with a tender is for its lead buyer and confirmed participants")
    return tender


async def confidential_evidence(
    session: AsyncSession, actor: Principal, tender_id: UUID, *, limit: int, offset: int
) -> Page[evidence_schemas.EvidenceItem]:
    """Confidential evidence that names the tender, for its buyers (the lead and confirmed participants)."""
    tender = await _buyers_tender(session, actor, tender_id)
    items, total = await evidence.visible_confidential_for_tender(session, tender.id, await _buyers(session, tender), limit=limit, offset=offset)
    return Page(items, total, limit, offset)


async def confidential_attachment(
    session: AsyncSession, actor: Principal, store: FileStore, tender_id: UUID, evidence_id: UUID, attachment_id: UUID
) -> tuple[evidence_schemas.Attachment, AsyncIterator[bytes]]:
    """A file of evidence shared with the tender, for its buyers."""
    tender = await _buyers_tender(session, actor, tender_id)
    return await evidence.open_attachment(session, actor, store, evidence_id, attachment_id, tender_id=tender.id)


async def review_shared_evidence(
    session: AsyncSession, actor: Principal, tender_id: UUID, evidence_id: UUID, data: evidence_schemas.ReviewCreate
) -> evidence_schemas.Review:
    """A review of evidence shared with the tender, by one of its buyers, for the buyer's organization."""
    tender = await _buyers_tender(session, actor, tender_id)
    return await evidence.review_evidence(session, actor, evidence_id, data, tender_id=tender.id)
