"""The library editor's pages: a new module, a draft's every text in the four languages side by side, its
parameters and evidence rule, a preview in each language, publishing and deprecating.

Only library editors (and registry admins) reach them; anyone else signed in gets a 403 page, a visitor
the sign-in page. The pages call the requirement service as the API does, and the service decides: each
refusal is shown beside its field with what was typed kept. A draft's form carries the version's ETag and a
fingerprint of each field it was filled from, so a save over someone else's newer save is refused, the
typed text kept, and the fields they changed shown with their new value.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromQuery, PathParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import Principal
from registry.problems import Conflict, DomainError, Forbidden, PreconditionFailed, RuleViolation
from registry.requirements import service as requirements
from registry.requirements.content import (
    JURISDICTIONS,
    LANGUAGES,
    MAX_VERSION,
    MODULE_KEY_PATTERN,
    Kind,
    Level,
    ParameterType,
    VersionContent,
)
from registry.requirements.rules import FIELD_TYPES
from registry.requirements.schemas import ModuleCreate, Version
from registry.schemas import in_words
from registry.web import editor_forms as forms
from registry.web import i18n, stale
from registry.web.library import text, vocabulary_labels
from registry.web.pages import PageController, page, say, sign_in_first
from registry.web.visitors import checked_form

DbSession = NamedDependency[AsyncSession]
KeyPath = Annotated[str, PathParameter(pattern=MODULE_KEY_PATTERN, max_length=64)]
VersionPath = Annotated[int, PathParameter(ge=1, le=MAX_VERSION)]
Errors = list[tuple[str, str]]
KINDS, LEVELS, PARAMETER_TYPES = get_args(Kind), get_args(Level), get_args(ParameterType)
NEW_TEXTS = ("title", "statement", "rationale")
"""The texts a new module's form asks for; the draft's page takes the rest."""


def editor(request: Request) -> Principal | None:
    """The signed-in library editor, None for a visitor (who signs in first); anyone else is refused."""
    viewer = request.state.viewer
    if viewer is None:
        return None
    if not requirements.is_editor(viewer.principal):
        raise Forbidden(say(request, "Only the library's editors change the requirement library."))
    return viewer.principal


def refused(exc: DomainError) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in exc.errors]


def problems(request: Request, errors: list[tuple[str, str]], content: dict[str, Any] | None = None) -> Errors:
    """The service's or the decoder's problems, each beside the form field its path names (once per field and message)."""
    shown = [(forms.field_id(path, content), say(request, "Check this field: %(problem)s") % {"problem": in_words(m)}) for path, m in errors]
    return list(dict.fromkeys(shown))


def decoding_problem(exc: msgspec.ValidationError) -> tuple[str, str]:
    message, _, path = str(exc).rpartition(" - at `")
    return (path.rstrip("`"), message) if message else ("", str(exc))


class EditorPages(PageController):
    path = "/library"

    @get("/drafts")
    async def drafts(self, request: Request, db_session: DbSession) -> Response[Any]:
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        language = i18n.chosen(request)
        items, _ = await requirements.list_modules(db_session, actor, status="draft", limit=200)
        shown = [(m.key, text(m.current.title, language) if m.current else None, m.current.version if m.current else None) for m in items]
        title = say(request, "Drafts")
        return page(request, "editor/drafts.html", title, [(say(request, "Requirement library"), "/library"), (title, "")], drafts=shown)

    @get("/new")
    async def new(self, request: Request, db_session: DbSession) -> Response[Any]:
        if editor(request) is None:
            return sign_in_first(request)
        return await self._new_form(request, db_session, {"jurisdictions": ["EU"], "kind": "mandatory", "level": "basic"})

    @post("/new", status_code=HTTP_303_SEE_OTHER)
    async def create(self, request: Request, db_session: DbSession) -> Response[Any]:
        form = await checked_form(request)
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        raw = forms.raw_form(form)
        content = {"kind": str(form.get("kind", "")), "level": str(form.get("level", ""))} | forms.read_texts(form, NEW_TEXTS)
        values = {
            "key": str(form.get("key", "")).strip().upper(), "category": str(form.get("category", "")),
            "product_categories": raw.get("product_categories", []), "jurisdictions": raw.get("jurisdictions", []), "content": content,
        }  # fmt: skip
        try:
            created = await requirements.create_module(db_session, actor, msgspec.convert(values, ModuleCreate))
        except msgspec.ValidationError as exc:
            return await self._new_form(request, db_session, raw, problems(request, [decoding_problem(exc)]))
        except RuleViolation as exc:
            return await self._new_form(request, db_session, raw, problems(request, refused(exc)))
        except Conflict:
            return await self._new_form(
                request, db_session, raw, [("key", say(request, "A module with this key exists already: choose another key."))]
            )
        return Redirect(f"/library/{created.key}/versions/1/edit?saved=1", status_code=HTTP_303_SEE_OTHER)

    async def _new_form(self, request: Request, db_session: AsyncSession, raw: dict[str, Any], errors: Errors | None = None) -> Template:
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(db_session)
        title = say(request, "New module")
        crumbs = [(say(request, "Requirement library"), "/library"), (title, "")]
        response = page(
            request, "editor/new.html", title, crumbs, raw=raw, errors=errors or [], changed={}, kinds=KINDS, levels=LEVELS,
            categories=vocabulary_labels(catalogue, "categories", language), jurisdictions=[(j, j) for j in JURISDICTIONS],
            product_categories=vocabulary_labels(catalogue, "product_categories", language), text_languages=LANGUAGES,
        )  # fmt: skip
        response.status_code = 400 if errors else 200
        return response

    @get("/{key:str}/versions")
    async def versions(self, request: Request, db_session: DbSession, key: KeyPath) -> Response[Any]:
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        module = await requirements.get_module(db_session, actor, key)
        title = say(request, "Versions and drafts of %(key)s") % {"key": key}
        crumbs = [(say(request, "Requirement library"), "/library"), (key, f"/library/{key}"), (title, "")]
        heading = text(module.versions[-1].title, i18n.chosen(request))
        return page(request, "editor/versions.html", title, crumbs, module=module, heading=heading)

    @post("/{key:str}/versions", status_code=HTTP_303_SEE_OTHER)
    async def start(self, request: Request, db_session: DbSession, key: KeyPath) -> Response[Any]:
        await checked_form(request)
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        try:
            started = await requirements.new_draft(db_session, actor, key)
        except Conflict:  # the module has a draft already: that one is the one to edit
            existing = (await requirements.get_module(db_session, actor, key)).draft_version
            if existing is None:
                raise
            return Redirect(f"/library/{key}/versions/{existing}/edit?existing=1", status_code=HTTP_303_SEE_OTHER)
        return Redirect(f"/library/{key}/versions/{started.version}/edit", status_code=HTTP_303_SEE_OTHER)

    @get("/{key:str}/versions/{version:int}/edit")
    async def edit(
        self,
        request: Request,
        db_session: DbSession,
        key: KeyPath,
        version: VersionPath,
        saved: FromQuery[bool] = False,
        existing: FromQuery[bool] = False,
    ) -> Response[Any]:
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        draft = await self._draft(db_session, actor, key, version)
        raw, rows = forms.raw_of(draft.content)
        return await self._edit_form(request, db_session, draft, raw, rows, saved=saved, existing=existing)

    @post("/{key:str}/versions/{version:int}/edit", status_code=HTTP_303_SEE_OTHER)
    async def save(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[Any]:
        form = await checked_form(request)
        if (actor := editor(request)) is None:
            return sign_in_first(request)
        rows, raw = forms.rows_of(form), forms.raw_form(form)
        etag, fingerprint = str(form.get("etag", "")), str(form.get("seen", ""))
        if form.get("action") == "add_parameter":
            draft = await self._draft(db_session, actor, key, version)
            return await self._edit_form(request, db_session, draft, raw, min(rows + 1, forms.MAX_ROWS), etag=etag, fingerprint=fingerprint)
        values = forms.read_content(form, rows)
        try:
            content = msgspec.convert(values, VersionContent)
            await requirements.update_draft(db_session, actor, key, version, content, etag)
        except msgspec.ValidationError as exc:
            errors = problems(request, [decoding_problem(exc)], values)
        except RuleViolation as exc:
            errors = problems(request, refused(exc), values)
        except PreconditionFailed:
            return await self._stale(request, db_session, actor, key, version, form, raw, rows)
        else:
            return Redirect(f"/library/{key}/versions/{version}/edit?saved=1", status_code=HTTP_303_SEE_OTHER)
        draft = await self._draft(db_session, actor, key, version)
        return await self._edit_form(request, db_session, draft, raw, rows, errors=errors, etag=etag, fingerprint=fingerprint)

    async def _stale(
        self, request: Request, db_session: AsyncSession, actor: Principal, key: str, version: int, form: FormMultiDict, raw: dict, rows: int
    ) -> Template:
        """The draft was saved by someone else after this form was filled: the typed text again, beside what they changed."""
        draft = await self._draft(db_session, actor, key, version)
        now, stored_rows = forms.raw_of(draft.content)
        changed = stale.changed_since(str(form.get("seen", "")), now)
        errors = [("stale", say(request, "Someone else saved this draft after you opened it. Your text is kept below; the fields they changed show "
                                         "what they saved. Check them, then save again to replace their version with yours."))]  # fmt: skip
        response = await self._edit_form(request, db_session, draft, raw, max(rows, stored_rows), errors=errors, changed=changed)
        response.status_code = 409
        return response

    async def _draft(self, db_session: AsyncSession, actor: Principal, key: str, version: int) -> Version:
        draft = await requirements.get_version(db_session, actor, key, version)
        if draft.status != "draft":
            raise Conflict(f"{key} version {version} is {draft.status} and can never change; start a new version")
        return draft

    async def _edit_form(
        self,
        request: Request,
        db_session: AsyncSession,
        draft: Version,
        raw: dict[str, Any],
        rows: int,
        *,
        errors: Errors | None = None,
        changed: dict[str, Any] | None = None,
        saved: bool = False,
        existing: bool = False,
        etag: str | None = None,
        fingerprint: str | None = None,
    ) -> Template:
        """The draft's form; a form shown again keeps the ETag and fingerprint it was first filled with (after a
        refused save over a newer one: the newer one's, so saving again replaces it knowingly)."""
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(db_session)
        vocabularies = {name: vocabulary_labels(catalogue, name, language) for name in ("document_types", "study_designs", "outcome_domains")}
        key = draft.key
        title = say(request, "Edit the draft of %(key)s, version %(n)s") % {"key": key, "n": draft.version}
        crumbs = [(say(request, "Requirement library"), "/library"), (key, f"/library/{key}/versions"), (title, "")]
        names = [str(raw.get(f"param-{i}-name", "")) for i in range(rows) if raw.get(f"param-{i}-name")]
        response = page(
            request, "editor/edit.html", title, crumbs, draft=draft, raw=raw, rows=rows, errors=errors or [], changed=changed or {},
            saved=saved, existing=existing, etag=etag or draft.etag, seen=fingerprint or stale.seen(forms.raw_of(draft.content)[0]),
            vocabularies=vocabularies, kinds=KINDS, levels=LEVELS, parameter_types=PARAMETER_TYPES, text_languages=LANGUAGES,
            parameter_names=[(n, n) for n in names], rule_parameters=tuple(FIELD_TYPES),
        )  # fmt: skip
        response.status_code = 400 if errors else 200
        return response
