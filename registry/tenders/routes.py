from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from exports.model import Country
from registry.auth.guards import ANYONE, AUTHENTICATED, TOKEN_OPTIONAL, allow
from registry.auth.principal import Principal, Role
from registry.evidence.schemas import EvidenceItem, Review, ReviewCreate
from registry.evidence.storage import LocalFileStore
from registry.http import body_etag, conditional, download_headers, file_download
from registry.problems import problem_responses
from registry.requirements.content import VersionNumber
from registry.schemas import Limit, Offset, Page
from registry.tenders import feed, market, participation, parts, schemas, service, snapshot, storage
from registry.tenders.law import CountryLaw, country_law

Req = Request[Principal, Any, Any]
MaybeReq = Request[Principal | None, Any, Any]
"""A request to a route that also answers without a token."""
DbSession = NamedDependency[AsyncSession]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="The tender's ETag.")]
BUYERS = allow(Role.procurement_officer, Role.federation_coordinator, Role.org_admin)
WRITE_ERRORS = problem_responses(404, 409, 412, 422, 428)


def _tender(request: Req, view: schemas.Tender, status_code: int = 200) -> Response[schemas.Tender]:
    return conditional(request, view, storage.etag(view), status_code)


def _part(view: schemas.Lot | schemas.Selection, status_code: int = 200) -> Response:
    return Response(view, status_code=status_code, headers={"ETag": view.etag})


async def _export(request: MaybeReq, session: AsyncSession, tender_id: UUID, export_format: str, version: int | None) -> Response[bytes]:
    publisher = snapshot.Publisher.of(request.app.state.settings)
    result = await service.export(session, request.user, tender_id, export_format, publisher, version)
    return Response(result.content, media_type=result.media_type, headers=download_headers(result.filename) | {"ETag": body_etag(result.content)})


class TenderController(Controller):
    path = "/api/v1/tenders"
    tags = ["Tenders"]

    @post(operation_id="CreateTender", guards=[BUYERS], responses=problem_responses(409, 422))
    async def create_tender(self, request: Req, db_session: DbSession, data: JSONBody[schemas.TenderSpec]) -> Response[schemas.Tender]:
        """Create a draft tender owned by your municipality or federation."""
        return _tender(request, await service.create_tender(db_session, request.user, data), status_code=201)

    @get(operation_id="ListTenders", guards=[AUTHENTICATED], responses=problem_responses())
    async def list_tenders(
        self, request: Req, db_session: DbSession, status: FromQuery[schemas.Status | None] = None, limit: Limit = 50, offset: Offset = 0
    ) -> Response[Page[schemas.TenderSummary]]:
        """Tenders you may see: your own, those you are invited to, and every published one."""
        items, total = await service.list_tenders(db_session, request.user, status=status, limit=limit, offset=offset)
        return conditional(request, Page(items, total, limit, offset))

    @get("/{tender_id:uuid}", operation_id="GetTender", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def get_tender(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[schemas.Tender]:
        """The tender with lots, selections (flagging newer module versions), participants, volumes, amendments and history."""
        return _tender(request, await service.get_tender(db_session, request.user, tender_id))

    @put("/{tender_id:uuid}", operation_id="UpdateTender", guards=[BUYERS], responses=WRITE_ERRORS)
    async def update_tender(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.TenderSpec], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Replace the specification of a draft (needs `If-Match`)."""
        return _tender(request, await service.replace_spec(db_session, request.user, tender_id, data, if_match))

    @patch("/{tender_id:uuid}", operation_id="UpdateTenderFields", guards=[BUYERS], responses=WRITE_ERRORS)
    async def update_fields(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.TenderFieldsUpdate], if_match: IfMatch = None
    ) -> Response[schemas.TenderHead]:
        """Change some of a draft's own fields (title, timeline, value...) without sending its lots (needs the tender's `If-Match`).

        Answers with the tender's fields and state, not its lots: `GET` the tender for everything."""
        head = await service.update_fields(db_session, request.user, tender_id, data, if_match)
        return Response(head, headers={"ETag": storage.etag(head)})

    @get("/{tender_id:uuid}/lots/{lot:int}", operation_id="GetLot", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def get_lot(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], lot: FromPath[int]) -> Response[schemas.Lot]:
        """One lot with its selections; its ETag is what changes to it need."""
        return _part(await parts.get_lot(db_session, request.user, tender_id, lot))

    @post("/{tender_id:uuid}/lots", operation_id="AddLot", guards=[BUYERS], responses=WRITE_ERRORS)
    async def add_lot(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.NewLot], if_match: IfMatch = None
    ) -> Response[schemas.Lot]:
        """Add a lot (with selections, at `position` or the end) to a draft (needs the tender's `If-Match`)."""
        return _part(await parts.add_lot(db_session, request.user, tender_id, data, if_match), status_code=201)

    @patch("/{tender_id:uuid}/lots/{lot:int}", operation_id="UpdateLot", guards=[BUYERS], responses=WRITE_ERRORS)
    async def update_lot(
        self,
        request: Req,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        lot: FromPath[int],
        data: JSONBody[schemas.LotUpdate],
        if_match: IfMatch = None,
    ) -> Response[schemas.Lot]:
        """Change a lot's title, product categories or weights, or move it (needs the lot's `If-Match`)."""
        return _part(await parts.update_lot(db_session, request.user, tender_id, lot, data, if_match))

    @delete("/{tender_id:uuid}/lots/{lot:int}", operation_id="RemoveLot", guards=[BUYERS], responses=WRITE_ERRORS)
    async def remove_lot(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], lot: FromPath[int], if_match: IfMatch = None) -> None:
        """Remove a lot and its selections; later lots move up (needs the lot's `If-Match`)."""
        await parts.remove_lot(db_session, request.user, tender_id, lot, if_match)

    @post("/{tender_id:uuid}/lots/{lot:int}/selections", operation_id="AddSelection", guards=[BUYERS], responses=WRITE_ERRORS)
    async def add_selection(
        self,
        request: Req,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        lot: FromPath[int],
        data: JSONBody[schemas.NewSelection],
        if_match: IfMatch = None,
    ) -> Response[schemas.Selection]:
        """Pin a requirement module to a lot (at `position` or the end; needs the lot's `If-Match`)."""
        return _part(await parts.add_selection(db_session, request.user, tender_id, lot, data, if_match), status_code=201)

    @patch("/{tender_id:uuid}/lots/{lot:int}/selections/{position:int}", operation_id="UpdateSelection", guards=[BUYERS], responses=WRITE_ERRORS)
    async def update_selection(
        self,
        request: Req,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        lot: FromPath[int],
        position: FromPath[int],
        data: JSONBody[schemas.SelectionUpdate],
        if_match: IfMatch = None,
    ) -> Response[schemas.Selection]:
        """Change one selection's version, parameters, kind, weight or note, or move it (needs the selection's `If-Match`)."""
        return _part(await parts.update_selection(db_session, request.user, tender_id, lot, position, data, if_match))

    @delete("/{tender_id:uuid}/lots/{lot:int}/selections/{position:int}", operation_id="RemoveSelection", guards=[BUYERS], responses=WRITE_ERRORS)
    async def remove_selection(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], lot: FromPath[int], position: FromPath[int], if_match: IfMatch = None
    ) -> None:
        """Remove one selection; later ones move up (needs the selection's `If-Match`)."""
        await parts.remove_selection(db_session, request.user, tender_id, lot, position, if_match)

    @post("/{tender_id:uuid}/upgrades", operation_id="UpgradeSelections", guards=[BUYERS], responses=WRITE_ERRORS, status_code=200)
    async def upgrade(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.UpgradeRequest], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Move selections (all, or the listed `lot.position`s) to their module's newest published version."""
        return _tender(request, await service.upgrade_selections(db_session, request.user, tender_id, data.selections, if_match))

    @get("/{tender_id:uuid}/participants", operation_id="ListParticipants", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def list_participants(
        self,
        request: Req,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        status: FromQuery[schemas.ParticipantStatus | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Page[schemas.Participant]]:
        """The invited municipalities by name, with their answers, mandates and volumes; `status=invited` lists those who have not answered.

        Contacts are shown to the lead buyer, and to each municipality its own."""
        items, total = await participation.list_participants(db_session, request.user, tender_id, status=status, limit=limit, offset=offset)
        return conditional(request, Page(items, total, limit, offset))

    @post("/{tender_id:uuid}/participants", operation_id="InviteParticipants", guards=[BUYERS], responses=WRITE_ERRORS, status_code=200)
    async def invite(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.Invitation], if_match: IfMatch = None
    ) -> Response[list[schemas.Participant]]:
        """Invite municipalities (a federation: only its members) to take part; answers the new participations and the tender's new ETag."""
        invited, etag = await participation.invite(db_session, request.user, tender_id, data.organization_ids, if_match)
        return Response(invited, headers={"ETag": etag})

    @delete(
        "/{tender_id:uuid}/participants/{organization_id:uuid}",
        operation_id="WithdrawInvitation",
        guards=[BUYERS],
        responses=WRITE_ERRORS,
        status_code=204,
    )
    async def withdraw(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], organization_id: FromPath[UUID], if_match: IfMatch = None
    ) -> Response[None]:
        """Withdraw an invitation while the tender is a draft or open for participants (needs the tender's `If-Match`; answers its new ETag)."""
        etag = await participation.withdraw_invitation(db_session, request.user, tender_id, organization_id, if_match)
        return Response(None, status_code=204, headers={"ETag": etag})

    @put(
        "/{tender_id:uuid}/participants/{organization_id:uuid}",
        operation_id="AnswerInvitation",
        guards=[BUYERS],
        responses=problem_responses(404, 409, 422),
    )
    async def answer(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], organization_id: FromPath[UUID], data: JSONBody[schemas.Participation]
    ) -> Response[schemas.Participant]:
        """Confirm (contact, mandate with its decision date, volumes per lot) or decline, for your own municipality; answers the participation.

        The lead buyer may record the answer of an invited municipality that has no user in the registry yet."""
        participant, etag = await participation.respond(db_session, request.user, tender_id, organization_id, data)
        return Response(participant, headers={"ETag": etag})

    @post("/{tender_id:uuid}/amendments", operation_id="AmendTender", guards=[BUYERS], responses=WRITE_ERRORS)
    async def amend(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], data: JSONBody[schemas.AmendmentIn], if_match: IfMatch = None
    ) -> Response[schemas.Tender]:
        """Correct a published tender: what changed and why; bumps the document version."""
        publisher = snapshot.Publisher.of(request.app.state.settings)
        return _tender(request, await service.amend(db_session, request.user, tender_id, data, if_match, publisher=publisher), status_code=201)

    @get(
        "/{tender_id:uuid}/exports/{export_format:str}",
        operation_id="ExportTender",
        guards=[ANYONE],
        opt=TOKEN_OPTIONAL,
        responses=problem_responses(404, 422),
        media_type="application/octet-stream",
    )
    async def export(
        self, request: MaybeReq, db_session: DbSession, tender_id: FromPath[UUID], export_format: FromPath[schemas.ExportFormat]
    ) -> Response[bytes]:
        """The tender document (`docx`), its contract annex (`annex`), the supplier response form (`xlsx`), the OCDS
        release package (`ocds`), or `package`: a ZIP of all four with a manifest of their SHA-256, to upload as is.

        Published, closed and awarded tenders' documents are public: no token needed. Drafts need one
        and are marked DRAFT; a published tender exports its current document version as published.
        """
        return await _export(request, db_session, tender_id, export_format, None)

    @get(
        "/{tender_id:uuid}/versions/{version:int}/exports/{export_format:str}",
        operation_id="ExportTenderVersion",
        guards=[ANYONE],
        opt=TOKEN_OPTIONAL,
        responses=problem_responses(404, 422),
        media_type="application/octet-stream",
    )
    async def export_version(
        self,
        request: MaybeReq,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        version: FromPath[VersionNumber],
        export_format: FromPath[schemas.ExportFormat],
    ) -> Response[bytes]:
        """A published document version exactly as it was published (byte-identical); public like the current one."""
        return await _export(request, db_session, tender_id, export_format, version)

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
    async def confidential_evidence(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], limit: Limit = 50, offset: Offset = 0
    ) -> Page[EvidenceItem]:
        """Evidence suppliers shared confidentially with this tender; for its lead buyer and confirmed participants."""
        return await market.confidential_evidence(db_session, request.user, tender_id, limit=limit, offset=offset)

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

    @post(
        "/{tender_id:uuid}/evidence/{evidence_id:uuid}/reviews",
        operation_id="ReviewTenderEvidence",
        guards=[allow(Role.procurement_officer, Role.federation_coordinator)],
        responses=problem_responses(403, 404, 422),
    )
    async def review_shared_evidence(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], evidence_id: FromPath[UUID], data: JSONBody[ReviewCreate]
    ) -> Review:
        """Review evidence shared with this tender (confidential included), for the lead buyer or a confirmed participant.

        The review belongs to the reviewer's organization: it applies in this tender, in other tenders
        the organization leads or takes part in, and in its own view of the item."""
        return await market.review_shared_evidence(db_session, request.user, tender_id, evidence_id, data)

    @get("/{tender_id:uuid}/publication-check", operation_id="CheckTenderPublication", guards=[BUYERS], responses=problem_responses(403, 404))
    async def publication_check(self, request: Req, db_session: DbSession, tender_id: FromPath[UUID]) -> schemas.PublicationCheck:
        """What `publish` would say now, without publishing: every problem that stops it and every warning
        (such as a requirement resting on another country's law), for the lead buyer."""
        settings = request.app.state.settings
        return await service.publication_check(db_session, request.user, tender_id, settings.min_submission_days)

    @post("/{tender_id:uuid}/{action:str}", operation_id="ChangeTenderStatus", guards=[BUYERS], responses=WRITE_ERRORS, status_code=200)
    async def change_status(
        self, request: Req, db_session: DbSession, tender_id: FromPath[UUID], action: FromPath[schemas.Action], if_match: IfMatch = None
    ) -> Response[schemas.Transition]:
        """Lifecycle: `open-for-participants`, `publish` (checks everything and lists every problem), `close`, `award`, `cancel`.

        Answers the step taken (as the tender's history records it) and the tender's new ETag."""
        settings = request.app.state.settings
        step, etag = await service.change_status(
            db_session, request.user, tender_id, action, if_match,
            min_submission_days=settings.min_submission_days, publisher=snapshot.Publisher.of(settings),
        )  # fmt: skip
        return Response(step, headers={"ETag": etag})


class OcdsController(Controller):
    path = "/api/v1/ocds"
    tags = ["Open data"]

    @get(
        "/releases",
        operation_id="OcdsReleases",
        guards=[ANYONE],
        opt=TOKEN_OPTIONAL,
        responses=problem_responses(),
        media_type="application/json",
    )
    async def releases(
        self, request: MaybeReq, db_session: DbSession, since: FromQuery[datetime | None] = None, limit: Limit = 50, offset: Offset = 0
    ) -> Response[bytes]:
        """Every published document version of every tender as an OCDS 1.1.5 release package, newest first (no token needed).

        Page with `limit` and `offset`; `since` (ISO 8601 with offset) keeps versions published at or after it."""
        publisher = snapshot.Publisher.of(request.app.state.settings)
        content = await feed.releases(db_session, publisher, since=since, limit=limit, offset=offset)
        return Response(content, media_type="application/json", headers={"ETag": body_etag(content)})


class LawController(Controller):
    path = "/api/v1/law"
    tags = ["Tenders"]

    @get("/{country:str}", operation_id="GetCountryLaw", guards=[ANYONE], opt=TOKEN_OPTIONAL, responses=problem_responses(404))
    async def country(self, request: MaybeReq, country: FromPath[Country]) -> Response[CountryLaw]:
        """What tender documents state of a country's procurement law, in the four document languages: the act, the ESPD,
        the exclusion grounds (the keys of the discretionary ones are what `terms.discretionary_grounds` names), labour
        clauses, the standstill period, the review body and public access to tenders."""
        return conditional(request, country_law(country))
