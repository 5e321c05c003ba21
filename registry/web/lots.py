"""The tender builder's lots, for the lead buyer: a lot's title, product categories and price/quality split; its
requirements with kind, weight and a running total against the quality share; requirements added by searching
the library within the lot's categories; each requirement's parameters in a form made from their types, with
bounds, units and defaults and a preview as the tender will read; reordering, removing, and upgrading a
requirement whose module has a newer version (with the diff).

Each form carries the ETag of what it changes (the tender, the lot or the requirement): when someone else
changed it in between, nothing is saved and the form comes back with the typed values and the new ETag, so
saving again puts them in place of the other person's."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.problems import Conflict, NotFound, PreconditionFailed, RuleViolation
from registry.requirements import service as requirements
from registry.requirements.content import VersionContent
from registry.requirements.rendering import render
from registry.schemas import Search
from registry.tenders import parts, schemas, storage
from registry.tenders import service as tenders
from registry.web import i18n
from registry.web.library import text, vocabulary_labels
from registry.web.pages import PageController, neighbours, page, page_count, say, sign_in_first
from registry.web.products import as_typed, parameter_value
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
FOUND = 20
"""Library modules listed at a time when adding a requirement to a lot."""
SHOWN = 50
"""A lot's requirements listed at a time on its page."""
KINDS = ("mandatory", "award", "qualification", "contract_condition")


def award_total(lot: schemas.Lot) -> float:
    """The weights of the lot's award criteria, which must add up to its quality share."""
    return sum(s.weight or 0 for s in lot.selections if (s.kind or s.module_kind) == "award")


MAXIMUM = ("maximum_value", "maximum_quantity", "maximum_unit")
"""A framework lot's most to call off: a value in the tender's currency, a quantity of a unit, or both."""
LOT_FIELDS = {
    "product_categories": "categories", "value": "maximum_value", "maximum": "maximum_value", "quantity": "maximum_quantity", "unit": "maximum_unit",
}  # fmt: skip
"""The form field of each last part of an error's path that is not a field's own name."""


def lot_values(form: Any) -> dict[str, Any]:
    return {
        "title": str(form.get("title", "")).strip(), "categories": [str(c) for c in form.getall("categories")] if "categories" in form else [],
        "price_weight": str(form.get("price_weight", "")).strip(), "quality_weight": str(form.get("quality_weight", "")).strip(),
        **{name: str(form.get(name, "")).strip() for name in MAXIMUM},
    }  # fmt: skip


def lot_fields(values: dict[str, Any], framework: bool) -> dict[str, Any]:
    """The lot's fields as the API takes them (numbers left as typed when they are not, for the decoder to name); a
    framework lot's maximum too, none when all its fields are empty."""
    weights = {name: _number(values[name]) for name in ("price_weight", "quality_weight")}
    fields = {"title": values["title"], "product_categories": values["categories"]} | weights
    if not framework:
        return fields
    value, quantity, unit = (values.get(name, "") for name in MAXIMUM)
    maximum = {"value": value.replace(" ", "").replace(",", ".") or None, "quantity": (int(quantity) if quantity.isdigit() else quantity) or None}
    maximum = {key: given for key, given in (maximum | {"unit": unit or None}).items() if given is not None}
    return fields | {"maximum": maximum or None}


def lot_field(path: str) -> str:
    """The form field an error's path names: its last part, such as ``lots[1].maximum.quantity``'s ``maximum_quantity``."""
    last = path.removeprefix("$.").split(".")[-1].split("[")[0]
    return LOT_FIELDS.get(last, last if last in ("price_weight", "quality_weight") else "title")


def _number(typed: str) -> float | str:
    try:
        return float(typed.replace(",", "."))
    except ValueError:
        return typed


async def pinned_content(session: AsyncSession, selection: schemas.Selection) -> VersionContent:
    """The content of the module version a requirement pins."""
    pair = (selection.module_key, selection.module_version)
    return (await requirements.pinned_contents(session, {pair}))[pair]


def selection_field(path: str) -> str:
    """The form field a selection's error names: ``selection.parameters.delivery_seconds`` is ``param-delivery_seconds``."""
    rest = path.removeprefix("$.").removeprefix("selection.")
    if rest.startswith("parameters."):
        return "param-" + rest.split(".")[1]
    return rest.split(".")[0] if rest.split(".")[0] in ("kind", "weight", "added_value", "note") else "weight"


class LotPages(PageController):
    path = "/tenders/{tender_id:uuid}/lots"

    @get("/new")
    async def new(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        blank = {"title": "", "categories": [], "price_weight": "40", "quality_weight": "60"} | dict.fromkeys(MAXIMUM, "")
        return await self._lot_form(request, db_session, tender, None, blank)

    @post("/new", status_code=HTTP_303_SEE_OTHER)
    async def add(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID]) -> Response[Any]:
        form = await checked_form(request)
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        values = lot_values(form)
        try:
            new = msgspec.convert(lot_fields(values, tender.terms.agreement == "framework"), schemas.NewLot)
            lot = await parts.add_lot(db_session, request.state.viewer.principal, tender_id, new, str(form.get("etag", "")))
        except (msgspec.ValidationError, RuleViolation, PreconditionFailed) as exc:
            return await self._lot_form(request, db_session, tender, None, values, self._lot_errors(request, exc))
        return Redirect(f"/tenders/{tender_id}/lots/{lot.number}", status_code=HTTP_303_SEE_OTHER)

    @get("/{number:int}")
    async def lot(
        self,
        request: Request,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        number: FromPath[int],
        q: Search = None,
        category: Annotated[str | None, QueryParameter(max_length=64, pattern=r"^[a-z_]*$")] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Response[Any]:
        """The lot's form, its requirements ``SHOWN`` at a time (``?page=p``), and the library searched to add more."""
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        lot = self._lot_of(tender, number)
        return await self._lot_form(request, db_session, tender, lot, None, search={"q": q, "category": category}, page_number=page_number)

    @post("/{number:int}/remove", status_code=HTTP_303_SEE_OTHER)
    async def remove(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], number: FromPath[int]) -> Response[Any]:
        """Take the lot and its requirements out of the tender (the lots after it move up)."""
        form = await checked_form(request)
        if request.state.viewer is None:
            return sign_in_first(request)
        try:
            await parts.remove_lot(db_session, request.state.viewer.principal, tender_id, number, str(form.get("etag", "")))
        except PreconditionFailed as exc:
            tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
            return await self._lot_form(request, db_session, tender, self._lot_of(tender, number), None, self._lot_errors(request, exc))
        return Redirect(f"/tenders/{tender_id}?removed={number}#lots", status_code=HTTP_303_SEE_OTHER)

    @post("/{number:int}", status_code=HTTP_303_SEE_OTHER)
    async def save(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], number: FromPath[int]) -> Response[Any]:
        form = await checked_form(request)
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        lot = self._lot_of(tender, number)
        values = lot_values(form)
        try:
            update = msgspec.convert(lot_fields(values, tender.terms.agreement == "framework"), schemas.LotUpdate)
            await parts.update_lot(db_session, request.state.viewer.principal, tender_id, number, update, str(form.get("etag", "")))
        except (msgspec.ValidationError, RuleViolation, PreconditionFailed) as exc:
            return await self._lot_form(request, db_session, tender, lot, values, self._lot_errors(request, exc))
        return Redirect(f"/tenders/{tender_id}/lots/{number}?saved=1", status_code=HTTP_303_SEE_OTHER)

    @post("/{number:int}/selections", status_code=HTTP_303_SEE_OTHER)
    async def add_requirement(self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], number: FromPath[int]) -> Response[Any]:
        """Add a module in its current version with its defaults (an award criterion with the weight given beside it); its
        values are set on the requirement's own page next."""
        form = await checked_form(request)
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        lot = self._lot_of(tender, number)
        key = str(form.get("module_key", ""))
        module = await requirements.get_module(db_session, None, key)
        if module.current is None:
            raise NotFound(f"no published requirement module {key}")
        weight = str(form.get("weight", "")).strip()
        try:
            given = {"module_key": key, "module_version": module.current.version, "weight": _number(weight) if weight else None}
            new = msgspec.convert(given, schemas.NewSelection)
            added = await parts.add_selection(db_session, request.state.viewer.principal, tender_id, number, new, str(form.get("etag", "")))
        except (msgspec.ValidationError, RuleViolation, PreconditionFailed) as exc:
            message = exc.detail if isinstance(exc, PreconditionFailed) else "; ".join(e.message for e in getattr(exc, "errors", [])) or str(exc)
            return await self._lot_form(request, db_session, tender, lot, None, [("selections", f"{key}: {message}")])
        return Redirect(f"/tenders/{tender_id}/lots/{number}/selections/{added.position}?added=1", status_code=HTTP_303_SEE_OTHER)

    @get("/{number:int}/selections/{position:int}")
    async def requirement(
        self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], number: FromPath[int], position: FromPath[int]
    ) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        selection = self._selection_of(self._lot_of(tender, number), position)
        values = {f"param-{name}": as_typed(value) for name, value in selection.parameters.items()}
        values |= {"kind": selection.kind or "", "weight": as_typed(selection.weight), "added_value": as_typed(selection.added_value)}
        values["note"] = selection.note or ""
        return await self._requirement_form(request, db_session, tender, number, selection, values)

    @post("/{number:int}/selections/{position:int}", status_code=HTTP_303_SEE_OTHER)
    async def save_requirement(
        self, request: Request, db_session: DbSession, tender_id: FromPath[UUID], number: FromPath[int], position: FromPath[int]
    ) -> Response[Any]:
        form = await checked_form(request)
        if request.state.viewer is None:
            return sign_in_first(request)
        tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
        selection = self._selection_of(self._lot_of(tender, number), position)
        content = await pinned_content(db_session, selection)
        named = ("kind", "weight", "added_value", "note", *(f"param-{p.name}" for p in content.parameters))
        values = {name: str(form.get(name, "")).strip() for name in named}
        parameters, errors = {}, []
        for parameter in content.parameters:
            try:
                typed = parameter_value(parameter, values[f"param-{parameter.name}"])
            except (ValueError, KeyError):
                errors.append((f"param-{parameter.name}", say(request, "Enter a value of the kind the field asks for.")))
                continue
            if typed is not None:
                parameters[parameter.name] = typed
        etag = str(form.get("etag", ""))
        if errors:
            return await self._requirement_form(request, db_session, tender, number, selection, values, errors, etag=etag)
        given = {"parameters": parameters, "kind": values["kind"] or None, "weight": _number(values["weight"]) if values["weight"] else None}
        given |= {"added_value": values["added_value"].replace(" ", "").replace(",", ".") or None, "note": values["note"] or None}
        try:
            update = msgspec.convert(given, schemas.SelectionUpdate)
            await parts.update_selection(db_session, request.state.viewer.principal, tender_id, number, position, update, etag)
        except msgspec.ValidationError as exc:
            field = selection_field(str(exc).rpartition(" - at `")[2].rstrip("`"))
            errors = [(field, say(request, "Enter a value of the kind the field asks for."))]
            return await self._requirement_form(request, db_session, tender, number, selection, values, errors, etag=etag)
        except RuleViolation as exc:
            errors = list(dict.fromkeys((selection_field(e.field), e.message) for e in exc.errors))
            return await self._requirement_form(request, db_session, tender, number, selection, values, errors, etag=etag)
        except PreconditionFailed:
            message = say(
                request,
                "Someone else changed this requirement after you opened it. Your values are kept below; save again to put them in place of theirs.",
            )
            return await self._requirement_form(request, db_session, tender, number, selection, values, [("stale", message)], status=409)
        return Redirect(f"/tenders/{tender_id}/lots/{number}/selections/{position}?saved=1", status_code=HTTP_303_SEE_OTHER)

    @post("/{number:int}/selections/{position:int}/{action:str}", status_code=HTTP_303_SEE_OTHER)
    async def arrange(
        self,
        request: Request,
        db_session: DbSession,
        tender_id: FromPath[UUID],
        number: FromPath[int],
        position: FromPath[int],
        action: FromPath[Literal["up", "down", "remove", "upgrade"]],
    ) -> Response[Any]:
        """Move a requirement up or down, remove it, or upgrade it to its module's newest version."""
        form = await checked_form(request)
        if request.state.viewer is None:
            return sign_in_first(request)
        actor, etag = request.state.viewer.principal, str(form.get("etag", ""))
        try:
            if action in ("up", "down"):
                to = position - 1 if action == "up" else position + 1
                await parts.update_selection(db_session, actor, tender_id, number, position, schemas.SelectionUpdate(position=max(1, to)), etag)
            elif action == "remove":
                await parts.remove_selection(db_session, actor, tender_id, number, position, etag)
            else:
                await tenders.upgrade_selections(db_session, actor, tender_id, [f"{number}.{position}"], etag)
        except (PreconditionFailed, RuleViolation, Conflict) as exc:
            tender = await tenders.editable_tender(db_session, request.state.viewer.principal, tender_id)
            if isinstance(exc, PreconditionFailed):
                message = say(request, "Someone else changed this lot after you opened it. Check it below and try again.")
            else:
                message = "; ".join([exc.detail, *(f"{e.field.rsplit('.', 1)[-1]} {e.message}" for e in getattr(exc, "errors", []))])
            return await self._lot_form(request, db_session, tender, self._lot_of(tender, number), None, [("selections", message)])
        now = position - 1 if action == "up" else position + 1 if action == "down" else position
        return Redirect(f"/tenders/{tender_id}/lots/{number}?page={(max(now, 1) - 1) // SHOWN + 1}#selections", status_code=HTTP_303_SEE_OTHER)

    @staticmethod
    def _lot_of(tender: schemas.Tender, number: int) -> schemas.Lot:
        if not 1 <= number <= len(tender.lots):
            raise NotFound(f"the tender has no lot {number}")
        return tender.lots[number - 1]

    @staticmethod
    def _selection_of(lot: schemas.Lot, position: int) -> schemas.Selection:
        if not 1 <= position <= len(lot.selections):
            raise NotFound(f"lot {lot.number} has no requirement {position}")
        return lot.selections[position - 1]

    @staticmethod
    def _lot_errors(request: Request, exc: Exception) -> list[tuple[str, str]]:
        if isinstance(exc, PreconditionFailed):
            return [
                (
                    "title",
                    say(
                        request,
                        "Someone else changed this lot after you opened it. Your values are kept below; save again to put them in place of theirs.",
                    ),
                )
            ]
        if isinstance(exc, RuleViolation):
            return list(dict.fromkeys(("selections" if e.field.endswith("module_key") else lot_field(e.field), e.message) for e in exc.errors))
        return [(lot_field(str(exc).rpartition(" - at `")[2].rstrip("`")), str(exc).split(" - at ")[0])]

    async def _lot_form(
        self,
        request: Request,
        session: AsyncSession,
        tender: schemas.Tender,
        lot: schemas.Lot | None,
        values: dict[str, Any] | None,
        errors: list[tuple[str, str]] | None = None,
        search: dict[str, Any] | None = None,
        page_number: int = 1,
    ) -> Template:
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(session)
        categories = vocabulary_labels(catalogue, "product_categories", language)
        search = search or {"q": None, "category": None}
        found: list[Any] = []
        titles: dict[tuple[str, int], Any] = {}
        if lot is not None:
            chosen = search["category"] if search["category"] is not None else (lot.product_categories[0] if lot.product_categories else "")
            search["category"] = chosen
            items, _ = await requirements.list_modules(
                session, None, q=search["q"], category=None, product_category=chosen or None, kind=None, level=None, limit=FOUND, offset=0
            )
            taken = {s.module_key for s in lot.selections}
            found = [(m, text(m.current.title, language)) for m in items if m.current and m.key not in taken]
            pinned = await requirements.pinned_titles(session, {(s.module_key, s.module_version) for s in lot.selections})
            titles = {pair: text(title, language) for pair, title in pinned.items()}
        title = say(request, "New lot") if lot is None else say(request, "Lot %(n)s") % {"n": lot.number}
        crumbs = [(say(request, "Dashboard"), "/dashboard"), (tender.title, f"/tenders/{tender.id}"), (title, "")]
        if values is None and lot is not None:
            values = {
                "title": lot.title,
                "categories": lot.product_categories,
                "price_weight": as_typed(lot.price_weight),
                "quality_weight": as_typed(lot.quality_weight),
                "maximum_value": as_typed(lot.maximum.value) if lot.maximum and lot.maximum.value is not None else "",
                "maximum_quantity": str(lot.maximum.quantity or "") if lot.maximum else "",
                "maximum_unit": (lot.maximum.unit or "") if lot.maximum else "",
            }
        pages = page_count(len(lot.selections), SHOWN) if lot else 0
        page_number = min(page_number, max(pages, 1))
        links = neighbours(page_number, pages, lambda n: f"/tenders/{tender.id}/lots/{lot.number}?page={n}#selections") if lot else {}
        response = page(
            request, "tenders/lot.html", title, crumbs, tender=tender, lot=lot, values=values, errors=errors or [], categories=categories,
            listed=lot.selections[(page_number - 1) * SHOWN : page_number * SHOWN] if lot else [], page_number=page_number, pages=pages, links=links,
            etag=lot.etag if lot else storage.etag(tender), tender_etag=storage.etag(tender), found=found, search=search, titles=titles, kinds=KINDS,
            award_total=award_total(lot) if lot else 0, saved=request.query_params.get("saved") == "1",
        )  # fmt: skip
        if errors:
            response.status_code = 409 if any("changed" in m for _, m in errors) else 400
        return response

    async def _requirement_form(
        self,
        request: Request,
        session: AsyncSession,
        tender: schemas.Tender,
        number: int,
        selection: schemas.Selection,
        values: dict[str, str],
        errors: list[tuple[str, str]] | None = None,
        *,
        etag: str | None = None,
        status: int = 400,
    ) -> Template:
        content = await pinned_content(session, selection)
        language = i18n.chosen(request)
        preview_values = {p.name: selection.parameters[p.name] for p in content.parameters if p.name in selection.parameters}
        rendered, _ = render(content, tender.language, preview_values)
        heading = text(content.title, language)
        title = say(request, "Lot %(n)s, requirement %(p)s") % {"n": number, "p": selection.position}
        crumbs = [
            (say(request, "Dashboard"), "/dashboard"),
            (tender.title, f"/tenders/{tender.id}"),
            (say(request, "Lot %(n)s") % {"n": number}, f"/tenders/{tender.id}/lots/{number}"),
            (title, ""),
        ]
        response = page(
            request, "tenders/requirement.html", title, crumbs, tender=tender, number=number, selection=selection, content=content, heading=heading,
            values=values, errors=errors or [], etag=etag or selection.etag, kinds=KINDS, preview=rendered,
            labels={p.name: text(p.label, language) for p in content.parameters},
            saved=request.query_params.get("saved") == "1", added=request.query_params.get("added") == "1",
        )  # fmt: skip
        if errors:
            response.status_code = status
        return response
