"""A supplier's editor adds an evidence item to a product in the browser, with every structured field.

Outcome rows repeat without JavaScript: "Add an outcome row" sends the form back with one empty row
more, keeping what was typed. The API's own decoding and rules decide; every problem is shown in the
summary and beside its field, and nothing is stored until all is well.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import Principal
from registry.evidence import service as evidence
from registry.evidence.schemas import EvidenceCreate, EvidenceItem, EvidenceType, EvidenceUpdate
from registry.problems import NotFound, RuleViolation
from registry.requirements import service as requirements
from registry.tenders import service as tenders
from registry.web import i18n
from registry.web.library import vocabulary_labels
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
TYPES: tuple[str, ...] = EvidenceType.__args__  # type: ignore[attr-defined]
OUTCOME_FIELDS = ("domain", "measure", "result", "sample_size", "baseline", "unit", "period", "comparator")
SCALARS = (
    "type", "title", "summary", "study_design", "period_start", "period_end", "funding", "publication", "issuer", "standard",
    "valid_from", "valid_until", "visibility",
)  # fmt: skip
MAX_ROWS = 50
SHAREABLE = 200
"""Published tenders offered for sharing confidential evidence, the newest first."""


def _text(form: FormMultiDict, name: str) -> str | None:
    value = str(form.get(name, "")).strip()
    return value or None


def _listed(form: FormMultiDict, name: str) -> list[str]:
    """A field holding several values separated by commas or line breaks."""
    return [part.strip() for part in re.split(r"[,\n]", str(form.get(name, ""))) if part.strip()]


def read_form(form: FormMultiDict) -> tuple[dict[str, Any], int]:
    """The form as ``EvidenceCreate`` would decode it (strings left to the decoder to convert), and its number of outcome rows."""
    rows = min(int(form.get("outcome_rows", "1") or 1), MAX_ROWS) if str(form.get("outcome_rows", "1")).isdigit() else 1
    values: dict[str, Any] = {name: _text(form, name) for name in SCALARS}
    values["independent"] = form.get("independent") == "yes"
    values["module_keys"] = _listed(form, "module_keys")
    values["tender_ids"] = list(dict.fromkeys(str(t) for t in form.getall("tender_ids"))) if "tender_ids" in form else []
    setting = {"country": _text(form, "country"), "municipalities": _listed(form, "municipalities"), "care_setting": _text(form, "care_setting")}
    values["setting"] = setting if any(setting.values()) else None
    outcomes = [{field: _text(form, f"outcome-{i}-{field}") for field in OUTCOME_FIELDS} for i in range(rows)]
    values["outcomes"] = [{k: v for k, v in row.items() if v is not None} for row in outcomes if any(row.values())]
    return values, rows


def form_of(item: EvidenceItem) -> tuple[dict[str, str], int]:
    """A stored item as the form's fields hold it (the inverse of ``read_form``), and its number of outcome rows."""
    shown = msgspec.to_builtins(item)
    raw = {name: "" if shown[name] is None else str(shown[name]) for name in SCALARS}
    raw |= {"independent": "yes" if item.independent else "", "module_keys": ", ".join(item.module_keys)}
    if item.setting:
        raw |= {"country": item.setting.country or "", "municipalities": ", ".join(item.setting.municipalities)}
        raw["care_setting"] = item.setting.care_setting or ""
    for i, outcome in enumerate(shown["outcomes"]):
        raw |= {f"outcome-{i}-{field}": "" if outcome.get(field) is None else str(outcome[field]) for field in OUTCOME_FIELDS}
    return raw, max(len(item.outcomes), 1)


def field_id(path: str) -> str:
    """The form field an error path names: ``outcomes[1].result`` is ``outcome-1-result``, ``setting.country`` is ``country``."""
    path = path.removeprefix("$.")
    if match := re.match(r"outcomes\[(\d+)\]\.(\w+)", path):
        return f"outcome-{match.group(1)}-{match.group(2)}"
    if path.startswith("setting."):
        return path.split(".", 1)[1].split("[")[0]
    return path.split("[")[0].split(".")[0] or "title"


class EvidencePages(PageController):
    path = "/products/{product_id:uuid}/evidence"

    @get("/new")
    async def new(self, request: Request, db_session: DbSession, product_id: FromPath[UUID]) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._form(request, db_session, product_id, {"visibility": "buyers", "type": "study"}, rows=1)

    @post("/new", status_code=HTTP_303_SEE_OTHER)
    async def create(self, request: Request, db_session: DbSession, product_id: FromPath[UUID]) -> Response[Any]:
        return await self._save(request, db_session, product_id, None)

    @get("/{evidence_id:uuid}")
    async def item(self, request: Request, db_session: DbSession, product_id: FromPath[UUID], evidence_id: FromPath[UUID]) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        found = await evidence.get_evidence(db_session, viewer.principal, evidence_id)
        if found.product_id != product_id:
            raise NotFound(f"no evidence item {evidence_id} of this product")
        raw, rows = form_of(found)
        values = {"tender_ids": [str(t) for t in found.tender_ids]}
        return await self._form(request, db_session, product_id, values, rows=rows, raw=raw, evidence_id=evidence_id)

    @post("/{evidence_id:uuid}", status_code=HTTP_303_SEE_OTHER)
    async def update(self, request: Request, db_session: DbSession, product_id: FromPath[UUID], evidence_id: FromPath[UUID]) -> Response[Any]:
        return await self._save(request, db_session, product_id, evidence_id)

    async def _save(self, request: Request, db_session: AsyncSession, product_id: UUID, evidence_id: UUID | None) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        values, rows = read_form(form)
        raw = {name: str(form.get(name, "")) for name in form}

        async def again(rows: int = rows, errors: list[tuple[str, str]] | None = None) -> Template:
            return await self._form(request, db_session, product_id, values, rows=rows, raw=raw, evidence_id=evidence_id, errors=errors)

        if form.get("action") == "add_outcome":
            return await again(min(rows + 1, MAX_ROWS))
        try:
            data = msgspec.convert(values, EvidenceCreate, strict=False)
        except msgspec.ValidationError as exc:
            message, _, path = str(exc).rpartition(" - at `")
            problem = (field_id(path.rstrip("`")), say(request, "Check this field: %(problem)s") % {"problem": message or str(exc)})
            return await again(errors=[problem])
        try:
            if evidence_id is None:
                await evidence.create_evidence(db_session, viewer.principal, product_id, data, None)
            else:
                await evidence.update_evidence(db_session, viewer.principal, evidence_id, EvidenceUpdate(**msgspec.structs.asdict(data)))
        except RuleViolation as exc:
            problems = [(field_id(e.field), say(request, "Check this field: %(problem)s") % {"problem": e.message}) for e in exc.errors]
            return await again(errors=problems)
        return Redirect(f"/products/{product_id}", status_code=HTTP_303_SEE_OTHER)

    async def _form(
        self,
        request: Request,
        db_session: AsyncSession,
        product_id: UUID,
        values: dict[str, Any],
        *,
        rows: int,
        errors: list[tuple[str, str]] | None = None,
        raw: dict[str, str] | None = None,
        evidence_id: UUID | None = None,
    ) -> Template:
        viewer = request.state.viewer
        product = await evidence.get_product(db_session, viewer.principal, product_id)
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(db_session)
        names = ("document_types", "study_designs", "outcome_domains")
        vocabularies = {name: list(vocabulary_labels(catalogue, name, language).items()) for name in names}
        attachments = [] if evidence_id is None else (await evidence.get_evidence(db_session, viewer.principal, evidence_id)).attachments
        title = say(request, "New evidence") if evidence_id is None else say(request, "Evidence")
        crumbs = [(say(request, "Products"), "/products"), (product.name, f"/products/{product_id}"), (title, "")]
        action = f"/products/{product_id}/evidence/{evidence_id or 'new'}"
        response = page(
            request, "products/evidence.html", title, crumbs, product=product, values=values, raw=raw or {}, rows=rows, errors=errors or [],
            action=action, evidence_id=evidence_id, attachments=attachments,
            tenders=await self._tenders(db_session, viewer.principal, values.get("tender_ids", [])),
            vocabularies=vocabularies, types=[t for t in TYPES if t in dict(vocabularies["document_types"])] or list(TYPES),
            outcome_fields=OUTCOME_FIELDS,
        )  # fmt: skip
        response.status_code = 400 if errors else 200
        return response

    @staticmethod
    async def _tenders(db_session: AsyncSession, principal: Principal, chosen: list[str]) -> list[tuple[str, str, bool]]:
        """The tenders confidential evidence may be shared with, as (id, name, chosen): the published ones, and those
        already chosen (by their title when the supplier may see them, else their id)."""
        published, _ = await tenders.list_tenders(db_session, principal, status="published", limit=SHAREABLE, offset=0)
        shown = {str(t.id): f"{t.title} ({t.reference}, {t.owner_name})" for t in published}
        for tender_id in chosen:
            if tender_id not in shown:
                try:
                    tender = await tenders.get_tender(db_session, principal, UUID(tender_id))
                    shown[tender_id] = f"{tender.title} ({tender.reference}, {tender.owner_name})"
                except (NotFound, ValueError):
                    shown[tender_id] = tender_id
        return [(tender_id, name, tender_id in chosen) for tender_id, name in shown.items()]
