"""Joint procurement in the browser: a municipality's answer to an invitation (contact, mandate, volumes per
lot, each in as many units as it needs, confirm or decline), given by its own procurement officer or recorded by
the lead buyer where the tenders service allows it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.problems import Conflict, RuleViolation
from registry.tenders import participation, schemas
from registry.tenders import service as tenders
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]


VOLUME = re.compile(r"^(quantity|unit)-(\d{1,3})-(\d{1,3})$")
"""A volume's field: ``quantity-2-1`` is the quantity of lot 2's first row (a lot has a row per unit)."""


def answer_values(form: FormMultiDict, lots: int) -> dict[str, Any]:
    """The answer form's values as typed (strings); volumes per lot in the lots' order, each lot's rows with
    something typed in their order."""
    values: dict[str, Any] = {
        name: str(form.get(name, "")).strip() for name in ("decision", "contact_name", "contact_email", "mandate_decision_date")
    }
    values["mandate"] = form.get("mandate") == "yes"
    typed: dict[tuple[int, int], dict[str, str]] = {}
    for name in form:
        if (found := VOLUME.match(name)) and 1 <= int(found[2]) <= lots:
            typed.setdefault((int(found[2]), int(found[3])), {})[found[1]] = str(form.get(name, "")).strip()
    rows = [(lot, (row.get("quantity", ""), row.get("unit", ""))) for (lot, _), row in sorted(typed.items()) if any(row.values())]
    values["volumes"] = [[volume for lot, volume in rows if lot == n] for n in range(1, lots + 1)]
    return values


def places(values: dict[str, Any]) -> list[str]:
    """Where each volume the answer gives was typed (``2-1``: lot 2, row 1), in the answer's order."""
    volumes = [(n, r, quantity, unit) for n, rows in enumerate(values["volumes"], start=1) for r, (quantity, unit) in enumerate(rows, start=1)]
    return [f"{n}-{r}" for n, r, quantity, unit in volumes if quantity.isdigit() and unit]


def answer_of(values: dict[str, Any]) -> tuple[schemas.Participation | None, list[tuple[str, str]]]:
    """The answer the values make, or the fields that cannot be read (a date, a number) before the service judges the rest."""
    errors: list[tuple[str, str]] = []
    decided = None
    try:
        decided = date.fromisoformat(values["mandate_decision_date"]) if values["mandate_decision_date"] else None
    except ValueError:
        errors.append(("mandate_decision_date", "date"))
    volumes = []
    for n, rows in enumerate(values["volumes"], start=1):
        for r, (quantity, unit) in enumerate(rows, start=1):
            if not quantity.isdigit():
                errors.append((f"quantity-{n}-{r}", "quantity"))
            elif not unit:
                errors.append((f"unit-{n}-{r}", "unit"))
            else:
                volumes.append({"lot": n, "quantity": int(quantity), "unit": unit})
    if values["decision"] not in ("confirmed", "declined"):
        errors.append(("decision", "decision"))
    if errors:
        return None, errors
    given = {
        "decision": values["decision"], "contact_name": values["contact_name"] or None, "contact_email": values["contact_email"] or None,
        "mandate": values["mandate"], "mandate_decision_date": decided, "volumes": volumes,
    }  # fmt: skip
    try:
        return msgspec.convert(given, schemas.Participation), []
    except msgspec.ValidationError as exc:
        path = str(exc).rpartition(" - at `")[2].rstrip("`").removeprefix("$.")
        return None, [(_field(path, places(values)), "invalid")]


def _field(path: str, typed_at: list[str]) -> str:
    """The form field a service's or decoder's path names; ``typed_at`` are where the answer's volumes were typed, in
    their order: ``volumes[0].unit`` is the unit field of the first volume given (``unit-2-1`` when lot 1 was left empty)."""
    if path.startswith("volumes["):
        index = int(path[len("volumes[") :].split("]")[0])
        return f"{'unit' if path.endswith('.unit') else 'quantity'}-{typed_at[index]}"
    return {"contact_email": "contact_email", "mandate_decision_date": "mandate_decision_date", "mandate": "mandate"}.get(path, "contact_name")


class AnswerPage(PageController):
    path = "/tenders/{tender_id:uuid}/answer"

    @get("/")
    async def form(
        self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], organization: FromQuery[UUID | None] = None
    ) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        tender, own = await self._invitation(request, db_session, tender_id, organization)
        values: dict[str, Any] = {
            "decision": own.status if own.status != "invited" else "",
            "contact_name": own.contact_name or "", "contact_email": own.contact_email or "",
            "mandate": own.mandate, "mandate_decision_date": own.mandate_decision_date.isoformat() if own.mandate_decision_date else "",
            "volumes": [[(str(v.quantity), v.unit) for v in own.volumes if v.lot == lot.number] for lot in tender.lots],
        }  # fmt: skip
        return self._page(request, tender, own, values, [])

    @post("/", status_code=HTTP_303_SEE_OTHER)
    async def answer(
        self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], organization: FromQuery[UUID | None] = None
    ) -> Response[Any]:
        viewer = request.state.viewer
        form = await checked_form(request)
        if viewer is None:
            return sign_in_first(request)
        tender, own = await self._invitation(request, db_session, tender_id, organization)
        values = answer_values(form, len(tender.lots))
        answer, unread = answer_of(values)
        if answer is None:
            return self._page(request, tender, own, values, [(field, self._message(request, field)) for field, _ in unread])
        try:
            await participation.respond(db_session, viewer.principal, tender_id, own.organization_id, answer)
        except RuleViolation as exc:
            typed_at = places(values)
            errors = [(_field(e.field, typed_at), self._message(request, _field(e.field, typed_at))) for e in exc.errors]
            return self._page(request, tender, own, values, list(dict.fromkeys(errors)))
        except Conflict:
            message = say(request, "The tender no longer takes answers: it is not open for participants.")
            return self._page(request, tender, own, values, [("decision", message)], status=409)
        return Redirect(f"/tenders/{tender_id}?answered={answer.decision}", status_code=HTTP_303_SEE_OTHER)

    async def _invitation(
        self, request: Request, session: AsyncSession, tender_id: UUID, organization: UUID | None
    ) -> tuple[schemas.Tender, schemas.Participant]:
        """The tender and the invitation answered here: the viewer's own municipality's, or ``organization``'s for the lead buyer."""
        principal = request.state.viewer.principal
        tender = await tenders.tender_without_requirements(session, principal, tender_id)
        return tender, await participation.answerable(session, principal, tender_id, organization or principal.organization_id)

    def _page(
        self,
        request: Request,
        tender: schemas.Tender,
        own: schemas.Participant,
        values: dict[str, Any],
        errors: list[tuple[str, str]],
        status: int = 400,
    ) -> Template:
        title = say(request, "Answer for %(municipality)s") % {"municipality": own.name}
        crumbs = [(say(request, "Dashboard"), "/dashboard"), (tender.title, f"/tenders/{tender.id}"), (title, "")]
        response = page(request, "tenders/answer.html", title, crumbs, tender=tender, own=own, values=values, errors=errors)
        if errors:
            response.status_code = status
        return response

    @staticmethod
    def _message(request: Request, field: str) -> str:
        if field.startswith("quantity-"):
            return say(request, "Enter the volume as a whole number, with its unit.")
        if field.startswith("unit-"):
            return say(request, "Name the unit of the volume, such as devices or users.")
        messages = {
            "decision": say(request, "Choose whether your municipality takes part."),
            "contact_name": say(request, "A confirmation names a contact person and their email address."),
            "contact_email": say(request, "Enter an email address such as name@example.org."),
            "mandate": say(request, "A confirmation needs the mandate and the date of the decision that grants it."),
            "mandate_decision_date": say(request, "Enter the date of the mandate decision, not in the future."),
        }
        return messages.get(field, messages["decision"])
