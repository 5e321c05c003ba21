"""Tenders: the published ones open to everyone (the list, and a tender with its dates, lots, requirements,
amendments and documents); a signed-in buyer or invited municipality also sees the tenders it may see
before publication, with what it can do there, and downloads their draft documents here."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from babel import Locale
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from registry.http import download_headers
from registry.requirements import service as requirements
from registry.tenders import schemas, snapshot
from registry.tenders import service as tenders
from registry.web import i18n
from registry.web.library import text, vocabulary_labels
from registry.web.pages import PageController, neighbours, page, page_count, say

DbSession = NamedDependency[AsyncSession]
PAGE_SIZE = 20
REQUIREMENTS = 50
"""A lot's requirements shown at a time on the tender's page."""
FORMATS = ("docx", "annex", "xlsx", "ocds", "package")
"""The documents of a published version, in the order a tenderer reads them."""


class TenderPages(PageController):
    path = "/tenders"

    @get("/")
    async def tenders(
        self, request: Request, db_session: DbSession, page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1
    ) -> Template:
        items, total = await tenders.list_tenders(db_session, None, status=None, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
        pages = page_count(total, PAGE_SIZE)
        links = neighbours(page_number, pages, lambda n: "/tenders?" + urlencode({"page": n}))
        title = say(request, "Published tenders")
        return page(request, "tenders/list.html", title, [(title, "")], items=items, total=total, page_number=page_number, pages=pages, links=links)

    @get("/{tender_id:uuid}")
    async def tender(
        self,
        request: Request,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        lot: Annotated[int | None, QueryParameter(ge=1, le=1000)] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Response[Any]:
        """The tender with its lots, each folded to a summary when the tender is large, and a page of each lot's
        requirements (``?lot=n&page=p`` turns lot n's pages; one past its last goes to its last)."""
        viewer = request.state.viewer
        actor = viewer.principal if viewer else None
        offsets = {lot: (page_number - 1) * REQUIREMENTS} if lot else {}
        shown, counts = await tenders.tender_outline(db_session, actor, tender_id, offsets, REQUIREMENTS)
        pages = {number: page_count(count, REQUIREMENTS) for number, count in counts.items()}
        if lot in pages and 1 <= pages[lot] < page_number:
            return Redirect(_lot_page(tender_id, lot, pages[lot]))
        at = {number: page_number if number == lot else 1 for number in counts}
        pagers = {number: (at[number], neighbours(at[number], pages[number], partial(_lot_page, tender_id, number))) for number in counts}
        language = i18n.chosen(request)
        removed = request.query_params.get("removed", "")  # the lot number a removal sends back, shown in a notice
        pinned = await requirements.pinned_titles(db_session, {(s.module_key, s.module_version) for lot in shown.lots for s in lot.selections})
        titles = {pair: text(title, language) for pair, title in pinned.items()}
        crumbs = (
            [(say(request, "Dashboard"), "/dashboard")]
            if shown.status not in tenders.PUBLIC_STATUSES and viewer
            else [(say(request, "Published tenders"), "/tenders")]
        )
        return page(
            request, "tenders/tender.html", shown.title, [*crumbs, (shown.reference, "")], tender=shown, formats=FORMATS, titles=titles,
            categories=vocabulary_labels(await requirements.catalogue(db_session), "product_categories", language),
            document_language=Locale.parse(shown.language).get_display_name(Locale.parse("en_GB" if language == "en" else language)),
            lead=actor is not None and tenders.is_lead_buyer(actor, shown, shown.owner_kind), answered=request.query_params.get("answered"),
            created=request.query_params.get("created") == "1", counts=counts, pages=pages, pagers=pagers, opened=lot,
            folded=sum(counts.values()) > REQUIREMENTS, removed=removed if removed.isdecimal() and len(removed) <= 3 else None,
        )  # fmt: skip

    @get("/{tender_id:uuid}/documents/{export_format:str}")
    async def document(
        self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], export_format: FromPath[schemas.ExportFormat]
    ) -> Response[bytes]:
        """A document of a tender the viewer may see, drafts included (marked DRAFT), from the same exporter as the API."""
        viewer = request.state.viewer
        publisher = snapshot.Publisher.of(request.app.state.settings)
        made = await tenders.export(db_session, viewer.principal if viewer else None, tender_id, export_format, publisher)
        return Response(made.content, media_type=made.media_type, headers=download_headers(made.filename) | {"Cache-Control": "no-store"})


def _lot_page(tender_id: UUID, lot: int, page_number: int) -> str:
    return f"/tenders/{tender_id}?" + urlencode({"lot": lot, "page": page_number}) + f"#lot-{lot}"
