from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.guards import AUTHENTICATED, allow
from registry.auth.principal import Principal, Role
from registry.db.base import utcnow
from registry.evidence.schemas import EvidenceItem
from registry.evidence.storage import LocalFileStore
from registry.http import conditional, download_headers, file_download
from registry.organizations.models import Organization
from registry.problems import problem_responses
from registry.schemas import Limit, Offset, Page
from registry.tenders import market, schemas, service, snapshot
from registry.tenders.models import Tender

Req = Request[Principal, Any, Any]
DbSession = NamedDependency[AsyncSession]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="The tender's ETag.")]
BUYERS = allow(Role.procurement_officer, Role.federation_coordinator, Role.org_admin)
WRITE_ERRORS = problem_responses(404, 409, 412, 422, 428)


async def _respond(request: Req, session: AsyncSession, tender: Tender, owner: Organization, status_code: int = 200) -> Response[schemas.Tender]:
    return conditional(request, await service.view(session, request.user, tender, owner), service.etag(tender), status_code)


class TenderController(Controller):
    path = "/api/v1/tenders"
    tags = ["Tenders"]

    @post(operation_id="CreateTender", guards=[BUYERS], responses=problem_responses(409, 422))
    async def create_tender(self, request: Req, db_session: DbSession, data: JSONBody[schemas.TenderSpec]) -> Response[schemas.Tender]:
        """Create a draft tender owned by your municipality or federation."""
        tender = await service.create_tender(db_session, request.user, data)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id), status_code=201)

    @get(operation_id="ListTenders", guards=[AUTHENTICATED], responses=problem_responses())
    async def list_tenders(
        self, request: Req, db_session: DbSession, status: FromQuery[schemas.Status | None] = None, limit: Limit = 50, offset: Offset = 0
    ) -> Response[Page[schemas.TenderSummary]]:
        """Tenders you may see: your own, those you are invited to, and every published one."""
        rows, total = await service.list_tenders(db_session, request.user, status=status, limit=limit, offset=offset)
        items = [
            schemas.TenderSummary(
                id=t.id, reference=t.reference, title=t.title, owner_id=o.id, owner_name=o.name, status=t.status,  # type: ignore[arg-type]
                language=t.language, submission_deadline=t.submission_deadline, lots=len(t.spec.get("lots", [])),  # type: ignore[arg-type]
            )
            for t, o in rows
        ]  # fmt: skip
        return conditional(request, Page(items, total, limit, offset))

    @get("/{tender_id:uuid}", operation_id="GetTender", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def get_tender(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[schemas.Tender]:
        """The tender with lots, selections (flagging newer module versions), participants, volumes, amendments and history."""
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender_id))

    @put("/{tender_id:uuid}", operation_id="UpdateTender", guards=[BUYERS], responses=WRITE_ERRORS)
    async def update_tender(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.TenderSpec], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Replace the specification of a draft (needs `If-Match`)."""
        tender = await service.replace_spec(db_session, request.user, tender_id, data, if_match)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id))

    @post("/{tender_id:uuid}/upgrades", operation_id="UpgradeSelections", guards=[BUYERS], responses=WRITE_ERRORS, status_code=200)
    async def upgrade(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.UpgradeRequest], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Move selections (all, or the listed `lot.position`s) to their module's newest published version."""
        tender = await service.upgrade_selections(db_session, request.user, tender_id, data.selections, if_match)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id))

    @post("/{tender_id:uuid}/participants", operation_id="InviteParticipants", guards=[BUYERS], responses=WRITE_ERRORS, status_code=200)
    async def invite(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.Invitation], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Invite municipalities (a federation: only its members) to take part."""
        tender = await service.invite(db_session, request.user, tender_id, data.organization_ids, if_match)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id))

    @delete(
        "/{tender_id:uuid}/participants/{organization_id:uuid}",
        operation_id="WithdrawInvitation",
        guards=[BUYERS],
        responses=WRITE_ERRORS,
        status_code=200,
    )
    async def withdraw(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], organization_id: FromPath[UUID], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        tender = await service.withdraw_invitation(db_session, request.user, tender_id, organization_id, if_match)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id))

    @put(
        "/{tender_id:uuid}/participants/{organization_id:uuid}",
        operation_id="AnswerInvitation",
        guards=[allow(Role.procurement_officer)],
        responses=problem_responses(404, 409, 422),
    )
    async def answer(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], organization_id: FromPath[UUID], data: JSONBody[schemas.Participation]
    ) -> Response[schemas.Tender]:
        """Confirm (contact, mandate with its decision date, volumes per lot) or decline, for your own municipality."""
        tender = await service.respond(db_session, request.user, tender_id, organization_id, data)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id))

    @post("/{tender_id:uuid}/amendments", operation_id="AmendTender", guards=[BUYERS], responses=WRITE_ERRORS)
    async def amend(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.AmendmentIn], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Correct a published tender: what changed and why; bumps the document version."""
        tender = await service.amend(db_session, request.user, tender_id, data, if_match)
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id), status_code=201)

    @get(
        "/{tender_id:uuid}/exports/{export_format:str}",
        operation_id="ExportTender",
        guards=[AUTHENTICATED],
        responses=problem_responses(404, 422),
        media_type="application/octet-stream",
    )
    async def export(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], export_format: FromPath[schemas.ExportFormat]
    ) -> Response[bytes]:
        """The tender document (`docx`), the supplier response form (`xlsx`) or the OCDS release package (`ocds`).

        Drafts are marked DRAFT; a published tender exports exactly as published, with its amendments.
        """
        tender, owner = await service.visible_tender(db_session, request.user, tender_id)
        settings = request.app.state.settings
        result = await snapshot.export(db_session, tender, owner, export_format, now=utcnow(), base_url=settings.public_url)
        return Response(
            result.content,
            media_type=result.media_type,
            headers=download_headers(result.filename) | {"ETag": service.etag(tender)},
        )

    @get(
        "/{tender_id:uuid}/lots/{lot:int}/evidence-fit",
        operation_id="LotEvidenceFit",
        guards=[BUYERS],
        responses=problem_responses(403, 404),
    )
    async def lot_evidence(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], lot: FromPath[int]) -> schemas.LotEvidence:
        """How each product in the lot's categories fits the lot's evidence rules, for market dialogue (lead buyer)."""
        return await market.lot_evidence(db_session, request.user, tender_id, lot)

    @get(
        "/{tender_id:uuid}/evidence",
        operation_id="TenderConfidentialEvidence",
        guards=[BUYERS],
        responses=problem_responses(403, 404),
    )
    async def confidential_evidence(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID]) -> list[EvidenceItem]:
        """Evidence suppliers shared confidentially with this tender; for its lead buyer and confirmed participants."""
        return await market.confidential_evidence(db_session, request.user, tender_id)

    @get(
        "/{tender_id:uuid}/evidence/{evidence_id:uuid}/attachments/{attachment_id:uuid}",
        operation_id="TenderConfidentialAttachment",
        guards=[BUYERS],
        responses=problem_responses(403, 404),
    )
    async def confidential_attachment(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], evidence_id: FromPath[UUID], attachment_id: FromPath[UUID]
    ) -> Stream:
        """A file of evidence shared confidentially with this tender; for its lead buyer and confirmed participants."""
        store = LocalFileStore(request.app.state.settings.files_dir)
        attachment, chunks = await market.confidential_attachment(db_session, request.user, store, tender_id, evidence_id, attachment_id)
        return file_download(attachment.filename, attachment.media_type, attachment.size, chunks)

    @post("/{tender_id:uuid}/{action:str}", operation_id="ChangeTenderStatus", guards=[BUYERS], responses=WRITE_ERRORS, status_code=200)
    async def change_status(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], action: FromPath[schemas.Action], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Lifecycle: `open-for-participants`, `publish` (checks everything and lists every problem), `close`, `award`, `cancel`."""
        settings = request.app.state.settings
        tender = await service.change_status(
            db_session, request.user, tender_id, action, if_match, min_submission_days=settings.min_submission_days
        )
        return await _respond(request, db_session, *await service.visible_tender(db_session, request.user, tender.id))
