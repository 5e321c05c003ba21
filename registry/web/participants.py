"""The lead buyer's participants page: invited, confirmed and declined municipalities with their mandates and
volumes per lot and the totals; a filter for those not answered yet; invitations chosen from the federation's
members by search, a page or every match at once (a federation of 290 municipalities stays manageable);
withdrawing an invitation; and recording the answer of a municipality that has no user yet.

Invitations carry the participants' revision they were chosen on: when someone else invited or answered in
between, nothing is sent and the page shows the list as it is now, the choice kept."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.problems import Conflict, PreconditionFailed, RuleViolation
from registry.schemas import Search
from registry.tenders import participation, storage
from registry.tenders import service as tenders
from registry.tenders.schemas import MAX_INVITED
from registry.web.pages import PageController, neighbours, page, page_count, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
PAGE_SIZE = 50
PageNumber = Annotated[int, QueryParameter(ge=1, le=10_000)]


class ParticipantsPage(PageController):
    path = "/tenders/{tender_id:uuid}/participants"

    @get("/")
    async def participants(
        self,
        request: Request,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        status: Annotated[Literal["invited", "confirmed", "declined"] | None, QueryParameter()] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
        q: Search = None,
        members_page: PageNumber = 1,
    ) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._page(request, db_session, tender_id, {"status": status, "page": page_number, "q": q, "members_page": members_page})

    @post("/invite", status_code=HTTP_303_SEE_OTHER)
    async def invite(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        """Invite the municipalities ticked, or with ``everyone`` every one the search matches."""
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        q = str(form.get("q", "")).strip() or None
        chosen = [str(i) for i in form.getall("organization")] if "organization" in form else []
        if form.get("everyone") == "yes":
            matches, _ = await participation.invitable(db_session, viewer.principal, tender_id, q=q, limit=MAX_INVITED, offset=0)
            chosen = [str(m.id) for m in matches]
        shown = {"status": None, "page": 1, "q": q, "members_page": 1}
        if not chosen:
            return await self._page(request, db_session, tender_id, shown, [("members", say(request, "Choose at least one municipality to invite."))])
        try:
            ids = [UUID(i) for i in chosen]
            invited, _ = await participation.invite(db_session, viewer.principal, tender_id, ids, str(form.get("etag", "")))
        except ValueError:
            return await self._page(request, db_session, tender_id, shown, [("members", say(request, "Choose among the municipalities listed."))])
        except PreconditionFailed:
            message = say(request, "Someone changed the participants since you opened the page. Check the list below and invite again.")
            return await self._page(request, db_session, tender_id, shown, [("members", message)], chosen=set(chosen), status=412)
        except (RuleViolation, Conflict) as exc:
            return await self._page(request, db_session, tender_id, shown, [("members", exc.detail)], chosen=set(chosen), status=409)
        return Redirect(f"/tenders/{tender_id}/participants?" + urlencode({"invited": len(invited)}), status_code=HTTP_303_SEE_OTHER)

    @post("/{organization_id:uuid}/withdraw", status_code=HTTP_303_SEE_OTHER)
    async def withdraw(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], organization_id: FromPath[UUID]) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        shown = {"status": None, "page": 1, "q": None, "members_page": 1}
        try:
            await participation.withdraw_invitation(db_session, viewer.principal, tender_id, organization_id, str(form.get("etag", "")))
        except PreconditionFailed:
            message = say(request, "Someone changed the participants since you opened the page. Check the list below and withdraw again.")
            return await self._page(request, db_session, tender_id, shown, [("participants", message)], status=412)
        except Conflict as exc:
            return await self._page(request, db_session, tender_id, shown, [("participants", exc.detail)], status=409)
        return Redirect(f"/tenders/{tender_id}/participants?withdrawn=1", status_code=HTTP_303_SEE_OTHER)

    async def _page(
        self,
        request: Request,
        session: AsyncSession,
        tender_id: UUID,
        shown: dict[str, Any],
        errors: list[tuple[str, str]] | None = None,
        *,
        chosen: set[str] | None = None,
        status: int = 400,
    ) -> Template:
        principal = request.state.viewer.principal
        tender = await tenders.tender_without_requirements(session, principal, tender_id)
        members, members_total = await participation.invitable(
            session, principal, tender_id, q=shown["q"], limit=PAGE_SIZE, offset=(shown["members_page"] - 1) * PAGE_SIZE
        )
        rows, total = await participation.list_participants(
            session, principal, tender_id, status=shown["status"], limit=PAGE_SIZE, offset=(shown["page"] - 1) * PAGE_SIZE
        )
        recordable = await participation.answered_by_lead(session, principal, tender_id, {p.organization_id for p in rows if p.status == "invited"})
        here = f"/tenders/{tender_id}/participants"
        given = {k: v for k, v in shown.items() if v and k in ("status", "q")}

        def link(**changes: Any) -> str:
            return here + "?" + urlencode({k: v for k, v in (given | changes).items() if v and v != 1})

        pages, members_pages = page_count(total, PAGE_SIZE), page_count(members_total, PAGE_SIZE)
        title = say(request, "Participants")
        crumbs = [(say(request, "Dashboard"), "/dashboard"), (tender.title, f"/tenders/{tender_id}"), (title, "")]
        response = page(
            request, "tenders/participants.html", f"{title}: {tender.title}", crumbs,
            tender=tender, etag=storage.etag(tender), rows=rows, total=total, members=members, members_total=members_total, shown=shown,
            pages=pages, members_pages=members_pages, link=link, page_links=neighbours(shown["page"], pages, lambda n: link(page=n)),
            members_links=neighbours(shown["members_page"], members_pages, lambda n: link(members_page=n) + "#invite"),
            recordable=recordable, errors=errors or [], chosen=chosen or set(), editable=tender.status in tenders.EDITABLE,
            invited=request.query_params.get("invited"), withdrawn=request.query_params.get("withdrawn"), max_invited=MAX_INVITED,
        )  # fmt: skip
        if errors:
            response.status_code = status
        return response
