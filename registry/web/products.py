"""The supplier's products in the browser: the list, registering one, and changing one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.evidence import service as evidence
from registry.evidence.fit import Speech
from registry.evidence.schemas import EvidenceItem, FitRequest, ModuleFit, ModuleRef, ProductCreate, ProductUpdate
from registry.problems import DomainError, NotFound, RuleViolation
from registry.requirements import service as requirements
from registry.requirements.content import Parameter
from registry.requirements.rules import bindings
from registry.requirements.templates import Catalogue
from registry.tenders import service as tenders
from registry.web import i18n
from registry.web.library import Text, clause_in_words, label, text, vocabulary_labels
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
LISTED = 200
MDR_CLASSES = ("none", "I", "IIa", "IIb", "III")
LOT_PATTERN = r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9]{1,3})?$"
"""A lot of a tender as the fit form names it: ``<tender id>:<lot number>``."""


def field_of(path: str) -> str:
    """The form field a service's or decoder's error names: ``categories[1]`` and ``$.categories[1]`` are ``categories``."""
    return path.removeprefix("$.").split("[")[0].split(".")[0] or "name"


class ProductPages(PageController):
    path = "/products"

    @get("/")
    async def products(self, request: Request, db_session: DbSession) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        items, total = await evidence.list_products(db_session, viewer.principal, category=None, supplier_id=None, q=None, limit=LISTED, offset=0)
        labels = await self._labels(request, db_session)
        title = say(request, "Products")
        return page(request, "products/list.html", title, [(title, "")], products=items, total=total, labels=labels)

    @get("/new")
    async def new(self, request: Request, db_session: DbSession) -> Response[Any]:
        if request.state.viewer is None:
            return sign_in_first(request)
        return await self._form(request, db_session, None, {})

    @post("/new", status_code=HTTP_303_SEE_OTHER)
    async def create(self, request: Request, db_session: DbSession) -> Response[Any]:
        return await self._save(request, db_session, None)

    @get("/{product_id:uuid}")
    async def product(self, request: Request, db_session: DbSession, product_id: FromPath[UUID]) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        shown = await evidence.get_product(db_session, viewer.principal, product_id)
        items, _ = await evidence.list_evidence(
            db_session, viewer.principal, product_id=product_id, supplier_id=None, evidence_type=None, review_state=None, limit=LISTED, offset=0
        )
        return await self._form(request, db_session, product_id, msgspec.structs.asdict(shown), evidence=items)

    @post("/{product_id:uuid}", status_code=HTTP_303_SEE_OTHER)
    async def update(self, request: Request, db_session: DbSession, product_id: FromPath[UUID]) -> Response[Any]:
        return await self._save(request, db_session, product_id)

    async def _labels(self, request: Request, db_session: AsyncSession, vocabulary: str = "product_categories") -> dict[str, str]:
        return vocabulary_labels(await requirements.catalogue(db_session), vocabulary, i18n.chosen(request))

    async def _form(
        self,
        request: Request,
        db_session: AsyncSession,
        product_id: UUID | None,
        values: dict[str, Any],
        errors: list[tuple[str, str]] | None = None,
        evidence: list[EvidenceItem] | None = None,
    ) -> Template:
        title = say(request, "New product") if product_id is None else str(values.get("name") or say(request, "Product"))
        crumbs = [(say(request, "Products"), "/products"), (title, "")]
        response = page(
            request, "products/form.html", title, crumbs, product_id=product_id, values=values, errors=errors or [],
            categories=await self._labels(request, db_session), mdr_classes=MDR_CLASSES, evidence=evidence or [],
            document_types=await self._labels(request, db_session, "document_types"),
        )  # fmt: skip
        if errors:
            response.status_code = 400
        return response

    async def _save(self, request: Request, db_session: AsyncSession, product_id: UUID | None) -> Response[Any]:
        form = await checked_form(request)
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        values = {
            "name": str(form.get("name", "")).strip(), "model": str(form.get("model", "")).strip(),
            "categories": [str(c) for c in form.getall("categories")] if "categories" in form else [],
            "ce_marked": form.get("ce_marked") == "yes", "mdr_class": str(form.get("mdr_class", "none")),
            "description": str(form.get("description", "")).strip() or None,
        }  # fmt: skip
        try:
            data = msgspec.convert(values, ProductCreate)
        except msgspec.ValidationError as exc:
            path = str(exc).rpartition(" - at `")[2].rstrip("`")
            return await self._form(request, db_session, product_id, values, [(field_of(path), self._message(request, field_of(path)))])
        try:
            if product_id is None:
                saved = await evidence.create_product(db_session, viewer.principal, data)
            else:
                saved = await evidence.update_product(db_session, viewer.principal, product_id, ProductUpdate(**msgspec.structs.asdict(data)))
        except RuleViolation as exc:
            errors = [(field_of(e.field), self._message(request, field_of(e.field))) for e in exc.errors]
            return await self._form(request, db_session, product_id, values, list(dict.fromkeys(errors)))
        return Redirect(f"/products/{saved.id}?saved=1", status_code=HTTP_303_SEE_OTHER)

    @staticmethod
    def _message(request: Request, field: str) -> str:
        messages = {
            "name": say(request, "Enter the product's name, on one line."),
            "model": say(request, "Enter the model and version, on one line."),
            "categories": say(request, "Choose one to eight product categories."),
            "ce_marked": say(request, "A medical device of any MDR class must be CE marked."),
            "mdr_class": say(request, "Choose the MDR class, or none."),
            "description": say(request, "The description holds text only."),
        }
        return messages.get(field, say(request, "Check this field."))


@dataclass
class RuleField:
    """A parameter that a lot's requirement takes a value of its evidence rule from, as the fit form shows it."""

    id: str
    """The form field: ``p-<selection position>-<parameter name>``."""
    parameter: Parameter
    label: Text
    tender_value: Any
    """What the tender sets (else the version's default)."""
    typed: str


@dataclass
class LotRequirement:
    """A requirement of the chosen lot that carries an evidence rule, with the fields of the parameters it is judged with."""

    position: int
    key: str
    version: int
    fields: list[RuleField]


def as_typed(value: Any) -> str:
    """A parameter value as a form field holds it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def parameter_value(parameter: Parameter, typed: str) -> Any:
    """The value typed into a parameter's field, by its type (raises ValueError); an empty field takes the default."""
    typed = typed.strip()
    if not typed:
        return None
    if parameter.type in ("integer", "duration"):
        return int(typed)
    if parameter.type == "decimal":
        return float(typed.replace(",", "."))
    if parameter.type == "boolean":
        return {"yes": True, "no": False}[typed]
    return typed


def speech(catalogue: Catalogue, language: str) -> Speech:
    """How ``language`` says the evidence fit's reasons: its catalog's messages, the catalogue's labels, its dates and numbers."""
    words, formats = i18n.translations(language), i18n.Formats(language)

    def term(vocabulary: str, key: str) -> str:
        return label(catalogue, vocabulary, key, language).value

    return Speech(words.gettext, words.ngettext, term, formats.date, formats.number)


async def report_words(session: AsyncSession, catalogue: Catalogue, language: str, judged: list[ModuleFit]) -> dict[str, Any]:
    """What the fit report's template says its modules and clauses with, in ``language``: ``said`` (a reason),
    ``clause_words`` (a clause) and ``parameter_label`` (the parameter a clause takes its value from)."""
    contents = await requirements.pinned_contents(session, {(m.key, m.version) for m in judged})
    labels = {(key, version, p.name): text(p.label, language) for (key, version), c in contents.items() for p in c.parameters}
    return {
        "said": speech(catalogue, language).say,
        "clause_words": lambda name, value: clause_in_words(name, value, catalogue, language, i18n.translations(language).gettext),
        "parameter_label": lambda module, name: labels.get((module.key, module.version, name), Text(name)),
    }


class FitPage(PageController):
    """How does my product fit: the product's evidence against a published tender's lot, with the tender's parameter
    values or the supplier's own, and against chosen modules' evidence rules, clause by clause."""

    path = "/products/{product_id:uuid}/fit"

    @get("/")
    async def fit(
        self,
        request: Request,
        db_session: DbSession,
        product_id: FromPath[UUID],
        modules: Annotated[str, QueryParameter(max_length=1000)] = "",
        deadline: Annotated[str, QueryParameter(max_length=10)] = "",
        lot: Annotated[str, QueryParameter(max_length=48, pattern=LOT_PATTERN)] = "",
    ) -> Response[Any]:
        viewer = request.state.viewer
        if viewer is None:
            return sign_in_first(request)
        product = await evidence.get_product(db_session, viewer.principal, product_id)
        title = say(request, "How does %(product)s fit?") % {"product": product.name}
        crumbs = [(say(request, "Products"), "/products"), (product.name, f"/products/{product_id}"), (title, "")]
        errors: list[tuple[str, str]] = []
        when = None
        try:
            when = date.fromisoformat(deadline) if deadline else None
        except ValueError:
            errors.append(("deadline", say(request, "Enter the date as year, month and day, such as 2027-03-01.")))
        report, lot_fit = None, None
        keys = [key.strip().upper() for key in modules.replace("\n", ",").split(",") if key.strip()][:20]
        if keys and not errors:
            try:
                refs = [ModuleRef(key=key, version=await self._current(db_session, key)) for key in keys]
                report = await evidence.evidence_fit(db_session, viewer.principal, product_id, FitRequest(modules=refs, submission_deadline=when))
            except DomainError as exc:
                errors.append(("modules", say(request, "Check this field: %(problem)s") % {"problem": exc.detail}))
        if lot:
            lot_fit = await self._lot_fit(request, db_session, product_id, lot, when, errors)
        catalogue, language = await requirements.catalogue(db_session), i18n.chosen(request)
        judged = [m for fit in (report, lot_fit and lot_fit["report"]) if fit for m in fit.modules]
        context = {
            "product": product, "modules": modules, "deadline": deadline, "report": report, "errors": errors, "lot": lot,
            "lots": await tenders.published_lots(db_session, product.categories), "lot_fit": lot_fit,
            **await report_words(db_session, catalogue, language, judged),
        }  # fmt: skip
        response = page(request, "products/fit.html", title, crumbs, **context)
        response.status_code = 400 if errors else 200
        return response

    async def _lot_fit(
        self, request: Request, db_session: AsyncSession, product_id: UUID, chosen: str, when: date | None, errors: list[tuple[str, str]]
    ) -> dict[str, Any]:
        """The chosen lot's requirements with evidence rules, judged with the parameter values of the form (those shown
        for this lot before), else the tender's; problems are added to ``errors`` beside their field."""
        viewer = request.state.viewer
        language = i18n.chosen(request)
        tender_id, _, number = chosen.partition(":")
        tender = await tenders.get_tender(db_session, viewer.principal, UUID(tender_id))
        if not 1 <= int(number) <= len(tender.lots):
            raise NotFound(f"the tender has no lot {number}")
        lot = tender.lots[int(number) - 1]
        contents = await requirements.pinned_contents(db_session, {(s.module_key, s.module_version) for s in lot.selections})
        given = request.query_params if request.query_params.get("parameters_of") == chosen else {}
        shown, refs = [], []
        for selection in lot.selections:
            content = contents.get((selection.module_key, selection.module_version))
            if content is None or content.evidence_rule is None:
                continue
            used = set(bindings(content).values())
            values, fields = dict(selection.parameters), []
            for parameter in (p for p in content.parameters if p.name in used):
                field = f"p-{selection.position}-{parameter.name}"
                tender_value = selection.parameters.get(parameter.name, parameter.default)
                typed = str(given.get(field, as_typed(tender_value)))
                fields.append(RuleField(field, parameter, text(parameter.label, language), tender_value, typed))
                try:
                    values[parameter.name] = parameter_value(parameter, typed)
                except (ValueError, KeyError):
                    errors.append((field, self._not_a_value(request, parameter)))
            shown.append(LotRequirement(selection.position, selection.module_key, selection.module_version, fields))
            refs.append(ModuleRef(selection.module_key, selection.module_version, {k: v for k, v in values.items() if v is not None}))
        deadline_of_tender = tender.timeline.submission_deadline
        judged_on = when or (deadline_of_tender.date() if deadline_of_tender else None)
        report = None
        if refs and not errors:
            try:
                report = await evidence.evidence_fit(db_session, viewer.principal, product_id, FitRequest(refs, judged_on))
            except RuleViolation as exc:
                errors += [
                    (self._field_of(e.field, shown), say(request, "Check this field: %(problem)s") % {"problem": e.message}) for e in exc.errors
                ]
        return {"tender": tender, "lot": lot, "requirements": shown, "report": report}

    @staticmethod
    def _not_a_value(request: Request, parameter: Parameter) -> str:
        if parameter.type in ("integer", "duration"):
            return say(request, "Enter a whole number.")
        if parameter.type == "decimal":
            return say(request, "Enter a number.")
        return say(request, "Choose one of the values offered.")

    @staticmethod
    def _field_of(path: str, shown: list[LotRequirement]) -> str:
        """The parameter field a fit error names: ``modules[1].parameters.min_sample_size`` is ``p-<position>-min_sample_size``."""
        if match := re.match(r"modules\[(\d+)\]\.parameters\.(\w+)", path):
            return f"p-{shown[int(match.group(1))].position}-{match.group(2)}"
        return "lot"

    @staticmethod
    async def _current(db_session: AsyncSession, key: str) -> int:
        module = await requirements.get_module(db_session, None, key)
        if module.current is None:
            raise NotFound(f"no requirement module {key}")
        return module.current.version
