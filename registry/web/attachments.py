"""An evidence item's files in the browser: the list, an upload form, and downloads.

The upload obeys the API's rules (``evidence.add_attachment``: types told by content, at most
``REGISTRY_MAX_UPLOAD_BYTES``). The form is read within the same bound as the API's upload route
(``MULTIPART_ENVELOPE_BYTES`` over the file limit), counted as the body arrives: a larger body is never
kept, only read through and thrown away so that the browser receives the page naming the error.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import Role
from registry.evidence import service as evidence
from registry.evidence.routes import MULTIPART_ENVELOPE_BYTES
from registry.evidence.schemas import EvidenceItem
from registry.evidence.storage import LocalFileStore
from registry.http import PAGE_POLICY, file_download
from registry.problems import NotFound, PayloadTooLarge, RuleViolation, UnsupportedMediaType
from registry.web import i18n
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import check_form_token

DbSession = NamedDependency[AsyncSession]
UPLOAD_POLICY = f"{PAGE_POLICY}; connect-src 'self'"
"""The page policy, and the upload script may send the form to this site (for its progress bar)."""
DRAIN_BYTES = 256 * 1024 * 1024
"""How much of a refused, too large upload is read through (and dropped) so the browser sees the answer;
past this the connection is simply closed."""


def size_text(request: Request, size: int) -> str:
    """A file's size as people read it, in the request's language: ``1,5 MB`` or ``12 kB`` (a started kilobyte counts)."""
    number = i18n.Formats(i18n.chosen(request)).number
    if size >= 1024 * 1024:
        return say(request, "%(n)s MB") % {"n": number(round(size / 1024 / 1024, 1))}
    return say(request, "%(n)s kB") % {"n": number(math.ceil(size / 1024))}


class TooLarge(Exception):
    """The request body is larger than an upload may be."""


async def bounded_form(request: Request, limit: int) -> FormMultiDict:
    """The request's form, refused with ``TooLarge`` as soon as its body is announced or found to exceed ``limit`` bytes.

    Past the limit the parser is told the body ended, so it closes the files it began; the rest is left unread.
    """
    if (request.content_length or 0) > limit:
        raise TooLarge
    seen, cut = 0, False
    receive = request.receive

    async def counted() -> Any:
        nonlocal seen, cut
        message: Any = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            cut = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return message

    try:
        form = await Request(request.scope, counted, request.send).form()
    except ClientException as exc:  # a broken multipart body, or one cut off at the limit
        if cut:
            raise TooLarge from None
        raise RuleViolation(str(exc.detail)) from None
    if cut:
        for value in form.values():
            if isinstance(value, UploadFile):
                await value.close()
        raise TooLarge
    return form


async def drain(receive: Callable[[], Awaitable[Any]]) -> None:
    """Read the rest of a refused body, dropping it, up to ``DRAIN_BYTES``."""
    read = 0
    while read < DRAIN_BYTES:
        message = await receive()
        read += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


class AttachmentPages(PageController):
    path = "/products/{product_id:uuid}/evidence/{evidence_id:uuid}/files"

    @get("/")
    async def files(self, request: Request, db_session: DbSession, product_id: FromPath[UUID], evidence_id: FromPath[UUID]) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._page(request, db_session, product_id, evidence_id)

    @post("/", status_code=HTTP_303_SEE_OTHER, request_max_body_size=None)
    async def upload(self, request: Request, db_session: DbSession, product_id: FromPath[UUID], evidence_id: FromPath[UUID]) -> Response[Any]:
        """Add the file sent as ``file``; the body is bounded here (``bounded_form``), not by the route."""
        settings = request.app.state.settings
        if request.state.viewer is None:
            await drain(request.receive)
            return sign_in_first(request)
        try:
            form = await bounded_form(request, settings.max_upload_bytes + MULTIPART_ENVELOPE_BYTES)
        except TooLarge:
            await drain(request.receive)
            return await self._refused(request, db_session, product_id, evidence_id, self._too_large(request, settings.max_upload_bytes))
        except RuleViolation as exc:
            return await self._refused(request, db_session, product_id, evidence_id, self._problem(request, exc))
        uploads = [value for value in form.values() if isinstance(value, UploadFile)]
        try:
            check_form_token(request, str(form.get("form_token", "")))
            viewer = request.state.viewer
            item = await self._item(db_session, viewer.principal, product_id, evidence_id)
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return await self._refused(request, db_session, product_id, evidence_id, say(request, "Choose a file to add."))
            try:
                await evidence.add_attachment(
                    db_session, viewer.principal, LocalFileStore(settings.files_dir), item.id, upload, upload.filename, settings.max_upload_bytes
                )
            except PayloadTooLarge:
                return await self._refused(request, db_session, product_id, evidence_id, self._too_large(request, settings.max_upload_bytes))
            except UnsupportedMediaType as exc:
                message = say(request, "Choose a PDF, DOCX, XLSX, PNG or JPEG file; the type is told by the file's content, not its name.")
                return await self._refused(request, db_session, product_id, evidence_id, f"{message} ({exc.detail})")
            except RuleViolation as exc:
                return await self._refused(request, db_session, product_id, evidence_id, self._problem(request, exc))
        finally:
            for upload in uploads:
                await upload.close()
        return Redirect(f"/products/{product_id}/evidence/{evidence_id}/files?added=1", status_code=HTTP_303_SEE_OTHER)

    @get("/{attachment_id:uuid}")
    async def download(
        self, request: Request, db_session: DbSession, product_id: FromPath[UUID], evidence_id: FromPath[UUID], attachment_id: FromPath[UUID]
    ) -> Response[Any]:
        """The file, with the API's access rules (``evidence.open_attachment``)."""
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        await self._item(db_session, viewer.principal, product_id, evidence_id)
        store = LocalFileStore(request.app.state.settings.files_dir)
        attachment, chunks = await evidence.open_attachment(db_session, viewer.principal, store, evidence_id, attachment_id)
        response: Stream = file_download(attachment.filename, attachment.media_type, attachment.size, chunks)
        response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    async def _item(db_session: AsyncSession, principal: Any, product_id: UUID, evidence_id: UUID) -> EvidenceItem:
        item = await evidence.get_evidence(db_session, principal, evidence_id)
        if item.product_id != product_id:
            raise NotFound(f"no evidence item {evidence_id} of this product")
        return item

    @staticmethod
    def _problem(request: Request, exc: RuleViolation) -> str:
        return say(request, "Check this field: %(problem)s") % {"problem": exc.detail}

    @staticmethod
    def _too_large(request: Request, limit: int) -> str:
        return say(request, "The file is larger than %(size)s, the most a file may be.") % {"size": size_text(request, limit)}

    async def _refused(self, request: Request, db_session: AsyncSession, product_id: UUID, evidence_id: UUID, message: str) -> Template:
        response = await self._page(request, db_session, product_id, evidence_id, [("file", message)])
        response.status_code = 400
        return response

    async def _page(
        self, request: Request, db_session: AsyncSession, product_id: UUID, evidence_id: UUID, errors: list[tuple[str, str]] | None = None
    ) -> Template:
        viewer = request.state.viewer
        product = await evidence.get_product(db_session, viewer.principal, product_id)
        item = await self._item(db_session, viewer.principal, product_id, evidence_id)
        title = say(request, "Files of %(title)s") % {"title": item.title}
        crumbs = [
            (say(request, "Products"), "/products"), (product.name, f"/products/{product_id}"),
            (item.title, f"/products/{product_id}/evidence/{evidence_id}"), (say(request, "Files"), ""),
        ]  # fmt: skip
        limit = request.app.state.settings.max_upload_bytes
        editor = viewer.principal.acts_for(item.supplier_id, Role.supplier_editor)
        response = page(
            request, "products/files.html", title, crumbs, product=product, item=item, errors=errors or [], limit=limit, editor=editor,
            size=lambda size: size_text(request, size),
            added=request.query_params.get("added") == "1",
        )  # fmt: skip
        response.headers["Content-Security-Policy"] = UPLOAD_POLICY
        return response
