"""Market dialogue in the browser, for the tender's buyers: per lot, the products in its categories against the
lot's evidence rules as a table (met, met by evidence not reviewed yet, not met: in words), each product's
clauses and the evidence behind them; and the evidence suppliers shared confidentially with the tender, with
its files, and a review (accept, reject, ask for clarification) with a comment, for the buyer's organization."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.evidence.schemas import ModuleFit, ReviewCreate
from registry.evidence.storage import LocalFileStore
from registry.http import file_download
from registry.problems import NotFound, RuleViolation
from registry.requirements import service as requirements
from registry.tenders import market
from registry.tenders import service as tenders
from registry.web import i18n
from registry.web.library import text, vocabulary_labels
from registry.web.pages import PageController, neighbours, page, page_count, say, sign_in_first
from registry.web.products import report_words
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
SHARED = 20
"""Confidential evidence items listed at a time."""


def verdict(module: ModuleFit) -> str:
    """``met``, ``unreviewed`` (met only by evidence no buyer has reviewed yet) or ``unmet``."""
    if not module.met:
        return "unmet"
    return "unreviewed" if all(item.unreviewed for item in module.qualifying) else "met"


class MarketPages(PageController):
    path = "/tenders/{tender_id:uuid}"

    @get("/lots/{number:int}/market")
    async def lot(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], number: FromPath[int]) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        tender = await tenders.tender_without_requirements(db_session, viewer.principal, tender_id)
        found = await market.lot_evidence(db_session, viewer.principal, tender_id, number)
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(db_session)
        contents = await requirements.pinned_contents(db_session, {(m.key, m.version) for m in found.modules})
        judged = [m for product in found.products for m in product.report.modules]
        title = say(request, "Lot %(n)s: the market's evidence") % {"n": number}
        crumbs = [(say(request, "Dashboard"), "/dashboard"), (tender.title, f"/tenders/{tender_id}"), (title, "")]
        return page(
            request, "tenders/market.html", title, crumbs, tender=tender, lot=tender.lots[number - 1], found=found, verdict=verdict,
            titles={(m.key, m.version): text(contents[(m.key, m.version)].title, language) for m in found.modules},
            document_types=vocabulary_labels(catalogue, "document_types", language),
            **await report_words(db_session, catalogue, language, judged),
        )  # fmt: skip

    @get("/evidence")
    async def shared(
        self,
        request: Request,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._shared(request, db_session, tender_id, page_number)

    @post("/evidence/{evidence_id:uuid}/reviews", status_code=HTTP_303_SEE_OTHER)
    async def review(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], evidence_id: FromPath[UUID]) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        given = {"outcome": str(form.get("outcome", "")), "comment": str(form.get("comment", "")).strip() or None}
        try:
            await market.review_shared_evidence(db_session, viewer.principal, tender_id, evidence_id, msgspec.convert(given, ReviewCreate))
        except (msgspec.ValidationError, RuleViolation) as exc:
            field = "outcome" if "outcome" in str(exc) else "comment"
            message = say(request, "Choose a review, and say why unless you accept the evidence.")
            return await self._shared(request, db_session, tender_id, 1, [(f"{field}-{evidence_id}", message)], given)
        return Redirect(f"/tenders/{tender_id}/evidence?reviewed={evidence_id}#item-{evidence_id}", status_code=HTTP_303_SEE_OTHER)

    @get("/evidence/{evidence_id:uuid}/files/{attachment_id:uuid}")
    async def file(
        self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], evidence_id: FromPath[UUID], attachment_id: FromPath[UUID]
    ) -> Stream:
        viewer = request.state.viewer
        actor = viewer.principal if viewer else None
        if actor is None:
            raise NotFound(f"no tender {tender_id}")
        store = LocalFileStore(request.app.state.settings.files_dir)
        attachment, chunks = await market.confidential_attachment(db_session, actor, store, tender_id, evidence_id, attachment_id)
        return file_download(attachment.filename, attachment.media_type, attachment.size, chunks)

    async def _shared(
        self,
        request: Request,
        session: AsyncSession,
        tender_id: UUID,
        page_number: int,
        errors: list[tuple[str, str]] | None = None,
        given: dict[str, Any] | None = None,
    ) -> Response[Any]:
        principal = request.state.viewer.principal
        tender = await tenders.tender_without_requirements(session, principal, tender_id)
        items = await market.confidential_evidence(session, principal, tender_id, limit=SHARED, offset=(page_number - 1) * SHARED)
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(session)
        pages = page_count(items.total, SHARED)
        title = say(request, "Evidence shared with the tender")
        crumbs = [(say(request, "Dashboard"), "/dashboard"), (tender.title, f"/tenders/{tender_id}"), (title, "")]
        response = page(
            request, "tenders/shared.html", title, crumbs, tender=tender, items=items, errors=errors or [], given=given or {},
            page_number=page_number, pages=pages, links=neighbours(page_number, pages, lambda n: f"/tenders/{tender_id}/evidence?page={n}"),
            reviewed=request.query_params.get("reviewed"),
            document_types=vocabulary_labels(catalogue, "document_types", language),
        )  # fmt: skip
        if errors:
            response.status_code = 400
        return response
