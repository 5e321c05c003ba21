"""A tender's way to publication and after, for its lead buyer: the checklist of every problem the publication
check reports (each linking to where it is fixed) and its warnings, the lifecycle steps the tender can take
now (publishing and cancelling confirmed first), amendments of a published tender (what changed and why), and
the history of its steps and amendments.

Every step carries the tender's revision it was chosen on: a tender changed in between is not published on
a stale checklist; the page shows the checklist as it is now."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.problems import Conflict, PreconditionFailed, RuleViolation
from registry.tenders import schemas, snapshot, storage
from registry.tenders import service as tenders
from registry.web import tender_forms as forms
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
CONFIRMED_FIRST = ("publish", "cancel")
"""Steps that cannot be undone: the form asks to confirm them."""


def fix_link(tender_id: UUID, field: str) -> str:
    """Where the problem a check names by ``field`` is fixed: the participants, a lot, or the tender's own field."""
    if field == "participants":
        return f"/tenders/{tender_id}/participants"
    lot = re.match(r"lots\[(\d+)\](?:\.selections\[(\d+)\])?", field)
    if lot and lot.group(2):
        return f"/tenders/{tender_id}/lots/{int(lot.group(1)) + 1}/selections/{int(lot.group(2)) + 1}"
    if lot:
        return f"/tenders/{tender_id}/lots/{int(lot.group(1)) + 1}"
    if field == "lots":
        return f"/tenders/{tender_id}/lots/new"
    if field == "status":
        return f"/tenders/{tender_id}"
    return f"/tenders/{tender_id}/edit#{forms.field_id(field)}"


class PublicationPage(PageController):
    path = "/tenders/{tender_id:uuid}/publication"

    @get("/")
    async def checklist(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._page(request, db_session, tender_id)

    @post("/{action:str}", status_code=HTTP_303_SEE_OTHER)
    async def step(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], action: FromPath[schemas.Action]) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        if action in CONFIRMED_FIRST and form.get("confirm") != "yes":
            message = say(request, "Tick the box to confirm this step: it cannot be undone.")
            return await self._page(request, db_session, tender_id, [(f"confirm-{action}", message)])
        settings = request.app.state.settings
        try:
            await tenders.change_status(
                db_session, viewer.principal, tender_id, action, str(form.get("etag", "")),
                min_submission_days=settings.min_submission_days, publisher=snapshot.Publisher.of(settings),
            )  # fmt: skip
        except PreconditionFailed:
            message = say(request, "The tender changed since you opened this page. Check the list below again before you go on.")
            return await self._page(request, db_session, tender_id, [(f"confirm-{action}", message)], status=412)
        except RuleViolation:
            return await self._page(request, db_session, tender_id, status=422)
        except Conflict as exc:
            return await self._page(request, db_session, tender_id, [(f"confirm-{action}", exc.detail)], status=409)
        return Redirect(f"/tenders/{tender_id}/publication?done={action}", status_code=HTTP_303_SEE_OTHER)

    @post("/amendments", status_code=HTTP_303_SEE_OTHER)
    async def amend(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        """An amendment of the description and the timeline, with what changed and why."""
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        values = {name: str(form.get(name, "")).strip() for name in ("summary", "reason", "description", *forms.INSTANTS)}
        errors = [(name, say(request, "Give a date and time.")) for name in forms.INSTANTS if values[name] and not forms.instant(values[name])]
        given: dict[str, Any] = {"summary": values["summary"], "reason": values["reason"], "description": values["description"]}
        given["timeline"] = {name: forms.instant(values[name]) for name in forms.INSTANTS if values[name] and forms.instant(values[name])}
        try:
            if errors:
                raise RuleViolation("unreadable dates", errors=errors)
            amendment = msgspec.convert(given, schemas.AmendmentIn)
            publisher = snapshot.Publisher.of(request.app.state.settings)
            await tenders.amend(db_session, viewer.principal, tender_id, amendment, str(form.get("etag", "")), publisher=publisher)
        except msgspec.ValidationError as exc:
            field = str(exc).rpartition(" - at `$.")[2].rstrip("`").split(".")[-1]
            message = say(request, "Say in words what changes and why; the texts may not hold control characters.")
            return await self._page(request, db_session, tender_id, [(field if field in values else "summary", message)], values)
        except RuleViolation as exc:
            shown = errors or [(e.field.split(".")[-1] if e.field.split(".")[-1] in values else "description", e.message) for e in exc.errors]
            return await self._page(request, db_session, tender_id, shown, values)
        except PreconditionFailed:
            message = say(request, "The tender changed since you opened this page. Check it and send the amendment again.")
            return await self._page(request, db_session, tender_id, [("summary", message)], values, status=412)
        return Redirect(f"/tenders/{tender_id}/publication?done=amend", status_code=HTTP_303_SEE_OTHER)

    async def _page(
        self,
        request: Request,
        session: AsyncSession,
        tender_id: UUID,
        errors: list[tuple[str, str]] | None = None,
        values: dict[str, str] | None = None,
        status: int = 400,
    ) -> Template:
        principal = request.state.viewer.principal
        tender = await tenders.tender_without_requirements(session, principal, tender_id)
        check = None
        if tender.status in tenders.EDITABLE:
            check = await tenders.publication_check(session, principal, tender_id, request.app.state.settings.min_submission_days)
        steps = [action for action, (sources, _) in tenders.TRANSITIONS.items() if tender.status in sources]
        if not tender.joint:  # nobody to open it to
            steps = [s for s in steps if s != "open-for-participants"]
        timeline = msgspec.to_builtins(tender.timeline)
        title = say(request, "Publication and history")
        crumbs = [(say(request, "Dashboard"), "/dashboard"), (tender.title, f"/tenders/{tender_id}"), (title, "")]
        response = page(
            request, "tenders/publication.html", f"{title}: {tender.title}", crumbs, tender=tender, etag=storage.etag(tender),
            check=check, steps=steps, confirmed_first=CONFIRMED_FIRST, errors=errors or [], fix_link=lambda field: fix_link(tender_id, field),
            values=values or {"description": tender.description, **{name: str(timeline.get(name, ""))[:16] for name in forms.INSTANTS}},
            done=request.query_params.get("done"), history=sorted(
                [(h.at, "step", h) for h in tender.history] + [(a.created_at, "amendment", a) for a in tender.amendments], key=lambda e: e[0]
            ),
        )  # fmt: skip
        if errors or status != 400:
            response.status_code = status
        return response
