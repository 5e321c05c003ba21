"""The tender builder's first room: a new tender, and a tender's own fields (reference, title, description,
language, procedure, CPV codes, value, contract period, dates, contact) and terms (what is mainly bought, a
contract or a framework agreement with its suppliers and call-off, options, lots per bid and awarded, variants,
reservations, where tenders are submitted and questions asked, how long tenders bind, the ESPD, the
discretionary exclusion grounds of the lead buyer's country that apply, labour clauses), for the lead buyer.

Saving carries the tender's ETag and a fingerprint of the fields as they were filled: when someone else saved
the tender in between, nothing is saved; the form comes back with their changes taken in where this person
left a field alone, this person's values where they changed it, and, where both changed a field, theirs
shown beside it. Saving again keeps that; reloading starts from theirs."""

from __future__ import annotations

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
from registry.tenders import schemas, storage
from registry.tenders import service as tenders
from registry.tenders.law import country_law
from registry.web import i18n, stale
from registry.web import tender_forms as forms
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]


class BuilderPages(PageController):
    path = "/tenders"

    @get("/new")
    async def new(self, request: Request) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return self._form(request, None, forms.raw_of(None))

    @post("/new", status_code=HTTP_303_SEE_OTHER)
    async def create(self, request: Request, db_session: DbSession) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        raw = forms.read(form)
        try:
            given, unreadable = forms.fields_of(raw)
            self._refuse_unreadable(unreadable)
            created = await tenders.create_tender(db_session, viewer.principal, msgspec.convert(given, schemas.TenderSpec))
        except (msgspec.ValidationError, RuleViolation, Conflict) as exc:
            return self._form(request, None, raw, self._errors(request, exc))
        return Redirect(f"/tenders/{created.id}?created=1", status_code=HTTP_303_SEE_OTHER)

    @get("/{tender_id:uuid}/edit")
    async def edit(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, viewer.principal, tender_id)
        raw = forms.raw_of(tender)
        return self._form(request, tender, raw, saved=request.query_params.get("saved") == "1")

    @post("/{tender_id:uuid}/edit", status_code=HTTP_303_SEE_OTHER)
    async def save(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, viewer.principal, tender_id)
        raw, etag, seen = forms.read(form), str(form.get("etag", "")), str(form.get("seen", ""))
        try:
            given, unreadable = forms.fields_of(raw)
            self._refuse_unreadable(unreadable)
            update = msgspec.convert(given, schemas.TenderFieldsUpdate)
            await tenders.update_fields(db_session, viewer.principal, tender_id, update, etag)
        except PreconditionFailed:
            now = forms.raw_of(tender)
            values, both = stale.merged(seen, raw, now)
            changed = stale.changed_since(seen, now)
            message = say(request, "Someone else saved this tender after you opened it. Nothing is saved yet: below, their changes "
                                   "are taken in and yours kept; where you both changed a field, yours is shown with theirs. "
                                   "Save again to keep this.")  # fmt: skip
            conflicts = {name: changed[name] for name in both}
            response = self._form(request, tender, values, [("stale", message)], changed=conflicts, taken=set(changed) - both)
            response.status_code = 409
            return response
        except (msgspec.ValidationError, RuleViolation, Conflict) as exc:
            return self._form(request, tender, raw, self._errors(request, exc), etag=etag, seen=seen)
        return Redirect(f"/tenders/{tender_id}/edit?saved=1", status_code=HTTP_303_SEE_OTHER)

    @staticmethod
    def _refuse_unreadable(unreadable: list[str]) -> None:
        if unreadable:
            raise RuleViolation("unreadable dates", errors=[(f"timeline.{name}", "is not a date and time") for name in unreadable])

    def _form(
        self,
        request: Request,
        tender: schemas.Tender | None,
        raw: dict[str, str],
        errors: list[tuple[str, str]] | None = None,
        *,
        changed: dict[str, Any] | None = None,
        taken: set[str] | None = None,
        saved: bool = False,
        etag: str | None = None,
        seen: str | None = None,
    ) -> Template:
        title = say(request, "Start a tender") if tender is None else say(request, "The tender's own fields")
        language = i18n.chosen(request)
        grounds = [(g.key, getattr(g.text, language)) for g in country_law(request.state.viewer.country).discretionary_grounds]
        crumbs = [(say(request, "Dashboard"), "/dashboard")] + ([(tender.title, f"/tenders/{tender.id}")] if tender else []) + [(title, "")]
        response = page(
            request, "tenders/fields.html", title, crumbs, tender=tender, values=raw, errors=errors or [], changed=changed or {},
            taken=taken or set(), saved=saved, grounds=grounds, ticked=set(raw["discretionary_grounds"].split(",")),
            etag=etag or (storage.etag(tender) if tender else ""), seen=seen or (stale.seen(forms.raw_of(tender)) if tender else ""),
        )  # fmt: skip
        if errors:
            response.status_code = 400
        return response

    @staticmethod
    def _errors(request: Request, exc: Exception) -> list[tuple[str, str]]:
        """Each refusal beside its field, in the service's words (a conflict is the reference in use)."""
        if isinstance(exc, Conflict):
            return [("reference", say(request, "Your organization has another tender with this reference."))]
        if isinstance(exc, RuleViolation):
            return list(dict.fromkeys((forms.field_id(e.field), e.message) for e in exc.errors))
        path = str(exc).rpartition(" - at `")[2].rstrip("`")
        return [(forms.field_id(path), str(exc).split(" - at ")[0])]
