"""A buyer's dashboard: the organization's tenders by status with their deadlines and answers, the invitations
waiting for the municipality's answer, and what needs doing next."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from registry.tenders import desk, market
from registry.tenders import service as tenders
from registry.tenders.schemas import PublicationCheck
from registry.web.pages import PageController, page, say, sign_in_first

DbSession = NamedDependency[AsyncSession]
CHECKED = 10
"""The dashboard runs the publication check on at most this many tenders still in preparation (the latest), and counts the
evidence waiting for review in as many not yet awarded or cancelled."""
STATUS_ORDER = ("draft", "open_for_participants", "published", "closed", "awarded", "cancelled")


class DeskPage(PageController):
    path = "/dashboard"

    @get("/")
    async def dashboard(self, request: Request, db_session: DbSession) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        found = await desk.desk(db_session, viewer.principal)
        blocked: list[tuple[desk.DeskTender, PublicationCheck]] = []
        days = request.app.state.settings.min_submission_days
        buyer = tenders.leads_own_tenders(viewer.principal)  # a colleague without a buyer's role sees the tenders, not their checks
        for tender in [t for t in found.tenders if t.status in tenders.EDITABLE][:CHECKED] if buyer else []:
            check = await tenders.publication_check(db_session, viewer.principal, tender.id, days)
            if not check.publishable:
                blocked.append((tender, check))
        judged = [t for t in found.tenders if t.status not in ("awarded", "cancelled")][:CHECKED] if buyer else []
        to_review = await market.evidence_to_review(db_session, [t.id for t in judged])
        by_status = {status: [t for t in found.tenders if t.status == status] for status in STATUS_ORDER}
        title = say(request, "Dashboard")
        return page(
            request, "desk/dashboard.html", title, [(title, "")],
            invitations=found.invitations, by_status={s: ts for s, ts in by_status.items() if ts}, blocked=blocked,
            waiting=[t for t in found.tenders if t.status == "open_for_participants" and t.invited],
            to_review=[(t, to_review[t.id]) for t in judged if t.id in to_review],
        )  # fmt: skip
