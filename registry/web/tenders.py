"""Tenders: the published ones open to everyone (the list, and a tender with its dates, lots, requirements,
amendments and documents); a signed-in buyer or invited municipality also sees the tenders it may see
before publication, with what it can do there, and downloads their draft documents here."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from babel import Locale
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from registry.http import download_headers
from registry.requirements import service as requirements
from registry.tenders import schemas, snapshot
from registry.tenders import service as tenders
from registry.web import i18n
from registry.web.library import text, vocabulary_labels
from registry.web.pages import PageController, neighbours, page, say

DbSession = NamedDependency[AsyncSession]
PAGE_SIZE = 20
FORMATS = ("docx", "annex", "xlsx", "ocds", "package")
"""The documents of a published version, in the order a tenderer reads them."""


class TenderPages(PageController):
    path = "/tenders"

    @get("/")
    async def tenders(
        self, request: Request, db_session: DbSession, page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1
    ) -> Template:
        items, total = await tenders.list_tenders(db_session, None, status=None, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
        pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
        links = neighbours(page_number, pages, lambda n: "/tenders?" + urlencode({"page": n}))
        title = say(request, "Published tenders")
        return page(request, "tenders/list.html", title, [(title, "")], items=items, total=total, page_number=page_number, pages=pages, links=links)

    @get("/{tender_id:uuid}")
    async def tender(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Template:
        viewer = request.state.viewer
        actor = viewer.principal if viewer else None
        shown = await tenders.get_tender(db_session, actor, tender_id)
        language = i18n.chosen(request)
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
            created=request.query_params.get("created") == "1",
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
