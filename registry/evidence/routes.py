from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, Router, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, MultipartBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.guards import AUTHENTICATED, allow
from registry.auth.principal import Principal, Role
from registry.evidence import schemas, service
from registry.evidence.storage import LocalFileStore
from registry.http import conditional, file_download
from registry.problems import problem_responses
from registry.schemas import Filter, Limit, Offset, Page, Search, named_pattern
from registry.settings import Settings

Req = Request[Principal, Any, Any]
DbSession = NamedDependency[AsyncSession]
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=named_pattern(r"^[\x21-\x7e]+$", "printable ASCII characters without spaces"),
        description="Makes a retried POST safe: the same key and body answer with the item the first request created.",
    ),
]
SUPPLIER = allow(Role.supplier_editor)
REVIEWER = allow(*service.REVIEWER_ROLES)
CATALOGUE_READER = allow(*service.BUYER_ROLES, Role.supplier_editor)
MULTIPART_ENVELOPE_BYTES = 64 * 1024
"""Room for the multipart boundaries and part headers around an upload of the largest allowed size."""


def _store(request: Req) -> LocalFileStore:
    return LocalFileStore(request.app.state.settings.files_dir)


class ProductController(Controller):
    path = "/api/v1/products"
    tags = ["Products and evidence"]

    @post(operation_id="CreateProduct", guards=[SUPPLIER], responses=problem_responses(422))
    async def create_product(self, request: Req, db_session: DbSession, data: JSONBody[schemas.ProductCreate]) -> schemas.Product:
        """Register a product of the caller's supplier organization."""
        return await service.create_product(db_session, request.user, data)

    @get(operation_id="ListProducts", guards=[CATALOGUE_READER], responses=problem_responses(422))
    async def list_products(
        self,
        request: Req,
        db_session: DbSession,
        product_category: Filter = None,
        supplier_id: FromQuery[UUID | None] = None,
        q: Search = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Page[schemas.Product]]:
        """The product catalogue: buyers browse every supplier's products, suppliers their own."""
        items, total = await service.list_products(
            db_session, request.user, category=product_category, supplier_id=supplier_id, q=q, limit=limit, offset=offset
        )
        return conditional(request, Page(items, total, limit, offset))

    @get("/{product_id:uuid}", operation_id="GetProduct", guards=[CATALOGUE_READER], responses=problem_responses(404))
    async def get_product(self, request: Req, db_session: DbSession, product_id: FromPath[UUID]) -> Response[schemas.Product]:
        """One product: buyers see every supplier's, suppliers their own (another's is a 404). Carries an ETag."""
        return conditional(request, await service.get_product(db_session, request.user, product_id))

    @patch("/{product_id:uuid}", operation_id="UpdateProduct", guards=[SUPPLIER], responses=problem_responses(404, 422))
    async def update_product(
        self, request: Req, db_session: DbSession, product_id: FromPath[UUID], data: JSONBody[schemas.ProductUpdate]
    ) -> schemas.Product:
        """Change a product; fields not sent keep their value."""
        return await service.update_product(db_session, request.user, product_id, data)

    @post(
        "/{product_id:uuid}/evidence",
        operation_id="CreateEvidence",
        guards=[SUPPLIER],
        responses=problem_responses(404, 409, 422),
    )
    async def create_evidence(
        self,
        request: Req,
        db_session: DbSession,
        product_id: FromPath[UUID],
        data: JSONBody[schemas.EvidenceCreate],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[schemas.EvidenceItem]:
        """Attach an evidence item to an own product. A retry with the same `Idempotency-Key` answers as the first request did."""
        item, replayed = await service.create_evidence(db_session, request.user, product_id, data, idempotency_key)
        return Response(item, status_code=201, headers={"Idempotent-Replayed": "true"} if replayed else None)

    @post(
        "/{product_id:uuid}/evidence-fit",
        operation_id="EvaluateEvidenceFit",
        guards=[CATALOGUE_READER],
        responses=problem_responses(404, 422),
        status_code=200,
    )
    async def evidence_fit(
        self, request: Req, db_session: DbSession, product_id: FromPath[UUID], data: JSONBody[schemas.FitRequest]
    ) -> schemas.FitReport:
        """Check the product's evidence against modules' evidence rules, clause by clause.

        Counts the evidence the caller may see. Reviews by the caller's organization and registry-level
        reviews apply (the latest decides): rejected items never count, unreviewed ones are marked.
        """
        return await service.evidence_fit(db_session, request.user, product_id, data)


class EvidenceController(Controller):
    path = "/api/v1/evidence"
    tags = ["Products and evidence"]

    @get(operation_id="ListEvidence", guards=[AUTHENTICATED], responses=problem_responses())
    async def list_evidence(
        self,
        request: Req,
        db_session: DbSession,
        product_id: FromQuery[UUID | None] = None,
        supplier_id: FromQuery[UUID | None] = None,
        evidence_type: Annotated[schemas.EvidenceType | None, QueryParameter(name="type")] = None,
        review_state: FromQuery[schemas.ReviewState | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Page[schemas.EvidenceItem]]:
        """Evidence the caller may see, oldest first.

        `review_state` is each item's state as it applies to the caller's organization: its own latest
        review or a later registry-level one; `review_state=unreviewed` is the organization's review queue.
        """
        items, total = await service.list_evidence(
            db_session, request.user, product_id=product_id, supplier_id=supplier_id, evidence_type=evidence_type,
            review_state=review_state, limit=limit, offset=offset,
        )  # fmt: skip
        return conditional(request, Page(items, total, limit, offset))

    @get("/{evidence_id:uuid}", operation_id="GetEvidence", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def get_evidence(self, request: Req, db_session: DbSession, evidence_id: FromPath[UUID]) -> Response[schemas.EvidenceItem]:
        """One item with its attachments and, for reviewers and its supplier, its whole review history,
        each review marked with whether it applies to the caller's organization."""
        return conditional(request, await service.get_evidence(db_session, request.user, evidence_id))

    @patch("/{evidence_id:uuid}", operation_id="UpdateEvidence", guards=[SUPPLIER], responses=problem_responses(404, 422))
    async def update_evidence(
        self, request: Req, db_session: DbSession, evidence_id: FromPath[UUID], data: JSONBody[schemas.EvidenceUpdate]
    ) -> schemas.EvidenceItem:
        """Change an item; fields not sent keep their value. Changing reviewed evidence makes it unreviewed again."""
        return await service.update_evidence(db_session, request.user, evidence_id, data)

    @post("/{evidence_id:uuid}/reviews", operation_id="ReviewEvidence", guards=[REVIEWER], responses=problem_responses(404, 422))
    async def review_evidence(
        self, request: Req, db_session: DbSession, evidence_id: FromPath[UUID], data: JSONBody[schemas.ReviewCreate]
    ) -> schemas.Review:
        """Accept, reject or ask for clarification, for the reviewer's organization: the review applies to
        its own evidence fit and in tenders it leads or confirmed taking part in. A library editor's review
        is registry-level and applies everywhere. The history is kept and the supplier sees it."""
        return await service.review_evidence(db_session, request.user, evidence_id, data)


@dataclass
class Upload:
    """The multipart form of an upload: one part named ``file``."""

    file: UploadFile


class AttachmentController(Controller):
    path = "/api/v1/evidence/{evidence_id:uuid}/attachments"
    tags = ["Products and evidence"]

    @post(operation_id="UploadAttachment", guards=[SUPPLIER], responses=problem_responses(404, 413, 415, 422))
    async def upload_attachment(
        self, request: Req, db_session: DbSession, evidence_id: FromPath[UUID], data: MultipartBody[Upload]
    ) -> schemas.Attachment:
        """Upload a PDF, DOCX, XLSX, PNG or JPEG file as the multipart part `file`. The type is checked by content.

        A file valid as two formats is a 415; a DOCX or XLSX that would expand too far or holds an archive
        or an executable is a 422. Packages are judged by their directory, never extracted.
        """
        settings: Settings = request.app.state.settings
        upload = data.file
        try:
            return await service.add_attachment(
                db_session, request.user, _store(request), evidence_id, upload, upload.filename, settings.max_upload_bytes
            )
        finally:
            await upload.close()

    @get("/{attachment_id:uuid}", operation_id="DownloadAttachment", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def download_attachment(self, request: Req, db_session: DbSession, evidence_id: FromPath[UUID], attachment_id: FromPath[UUID]) -> Stream:
        """The file, as an attachment of its checked media type."""
        attachment, chunks = await service.open_attachment(db_session, request.user, _store(request), evidence_id, attachment_id)
        return file_download(attachment.filename, attachment.media_type, attachment.size, chunks)


def attachment_router(settings: Settings) -> Router:
    """The attachment routes, with a body limit fitting ``settings.max_upload_bytes`` instead of the app's JSON limit.

    The cap is a setting, known only when the app is built, so the limit sits on a router made per
    app rather than on the handler's decorator. Of these routes only the upload has a body.
    """
    return Router(
        "/",
        route_handlers=[AttachmentController],
        request_max_body_size=settings.max_upload_bytes + MULTIPART_ENVELOPE_BYTES,
    )
