"""What a library editor does with a version besides editing it: preview it in each language with chosen
parameter values, publish a draft (after a confirmation), deprecate a published version."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.problems import PreconditionFailed, RuleViolation
from registry.requirements import service as requirements
from registry.requirements.content import LANGUAGES
from registry.requirements.schemas import Deprecation, RenderRequest, Version
from registry.web import editor_forms as forms
from registry.web import i18n
from registry.web.editor import Errors, KeyPath, VersionPath, decoding_problem, editor, problems, refused
from registry.web.library import text
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]


class VersionActions(PageController):
    path = "/library/{key:str}/versions/{version:int}"

    @get("/preview")
    async def preview(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[Any]:
        """The requirement in each language with the parameter values asked for (``p-<name>``), else the defaults."""
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        shown = await requirements.get_version(db_session, actor, key, version)
        types = {p.name: p.type for p in shown.content.parameters}
        raw = {p.name: str(request.query_params.get(f"p-{p.name}", "")).strip() for p in shown.content.parameters}
        values = {name: forms.typed(types[name], value) for name, value in raw.items() if value}
        rendered, errors = [], []
        try:
            for language in LANGUAGES:
                rendered.append(await requirements.render(db_session, actor, key, version, RenderRequest(language, values)))
        except RuleViolation as exc:
            errors = [
                (field.replace("parameters.", "p-", 1), say(request, "Check this field: %(problem)s") % {"problem": message})
                for field, message in refused(exc)
            ]
        title = say(request, "Preview of %(key)s, version %(n)s") % {"key": key, "n": version}
        language = i18n.chosen(request)
        context = {"raw": raw, "rendered": rendered, "label": lambda texts: text(texts, language)}
        response = self._page(request, "editor/preview.html", shown, title, errors=errors, **context)
        response.status_code = 400 if errors else 200
        return response

    @get("/publish")
    async def confirm_publish(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[Any]:
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        shown = await requirements.get_version(db_session, actor, key, version)
        return self._page(request, "editor/publish.html", shown, self._publish_title(request, key, version), etag=shown.etag)

    @post("/publish", status_code=HTTP_303_SEE_OTHER)
    async def publish(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[Any]:
        form = await checked_form(request)
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        try:
            await requirements.publish(db_session, actor, key, version, str(form.get("etag", "")))
        except (RuleViolation, PreconditionFailed) as exc:
            shown = await requirements.get_version(db_session, actor, key, version)
            stale = isinstance(exc, PreconditionFailed)
            response = self._page(
                request, "editor/publish.html", shown, self._publish_title(request, key, version), etag=shown.etag, stale=stale,
                errors=[] if stale else problems(request, refused(exc), msgspec.to_builtins(shown.content)),
            )  # fmt: skip
            response.status_code = 409 if stale else 400
            return response
        return Redirect(f"/library/{key}?version={version}", status_code=HTTP_303_SEE_OTHER)

    @get("/deprecate")
    async def confirm_deprecate(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[Any]:
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        shown = await requirements.get_version(db_session, actor, key, version)
        return self._page(request, "editor/deprecate.html", shown, self._deprecate_title(request, key, version), replaced_by="")

    @post("/deprecate", status_code=HTTP_303_SEE_OTHER)
    async def deprecate(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[Any]:
        form = await checked_form(request)
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        replaced_by = str(form.get("replaced_by", "")).strip().upper()
        try:
            data = msgspec.convert({"replaced_by": replaced_by or None}, Deprecation)
            await requirements.deprecate(db_session, actor, key, version, data.replaced_by)
        except (msgspec.ValidationError, RuleViolation) as exc:
            found = [decoding_problem(exc)] if isinstance(exc, msgspec.ValidationError) else refused(exc)
            shown = await requirements.get_version(db_session, actor, key, version)
            errors = [("replaced_by", message) for _, message in problems(request, found)]
            response = self._page(request, "editor/deprecate.html", shown, self._deprecate_title(request, key, version), replaced_by=replaced_by,
                                  errors=errors)  # fmt: skip
            response.status_code = 400
            return response
        return Redirect(f"/library/{key}?version={version}", status_code=HTTP_303_SEE_OTHER)

    @staticmethod
    def _publish_title(request: Request, key: str, version: int) -> str:
        return say(request, "Publish %(key)s, version %(n)s") % {"key": key, "n": version}

    @staticmethod
    def _deprecate_title(request: Request, key: str, version: int) -> str:
        return say(request, "Deprecate %(key)s, version %(n)s") % {"key": key, "n": version}

    @staticmethod
    def _page(request: Request, template: str, shown: Version, title: str, errors: Errors | None = None, **context: Any) -> Template:
        key = shown.key
        crumbs = [(say(request, "Requirement library"), "/library"), (key, f"/library/{key}/versions"), (title, "")]
        heading = text(shown.content.title, i18n.chosen(request))
        return page(request, template, title, crumbs, version=shown, heading=heading, errors=errors or [], text_languages=LANGUAGES, **context)
