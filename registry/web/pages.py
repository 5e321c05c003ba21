"""The web interface's pages: server-rendered HTML beside the API, calling the same services.

Every page works without JavaScript. The published library is open to everyone; pages never take a
bearer token (they are excluded from the API's token check) and see what an anonymous reader sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromQuery, PathParameter, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.guards import ANYONE, PUBLIC
from registry.auth.principal import Principal
from registry.problems import DomainError, NotFound
from registry.requirements import service as requirements
from registry.requirements.content import MAX_VERSION, MODULE_KEY_PATTERN, Kind, Level
from registry.schemas import Search
from registry.web import i18n
from registry.web.library import label, rule_in_words, statement, text
from registry.web.visitors import form_token, keep_form_token, resolve_viewer

DbSession = NamedDependency[AsyncSession]
PAGE_SIZE = 20
KeyPath = Annotated[str, PathParameter(pattern=MODULE_KEY_PATTERN, max_length=64)]
Choice = Annotated[str | None, QueryParameter(max_length=64, pattern=r"^[a-z_]*$")]
VersionQuery = Annotated[int | None, QueryParameter(ge=1, le=MAX_VERSION)]


def page(request: Request, template: str, title: str, crumbs: list[tuple[str, str]], **context: Any) -> Template:
    """``template`` in the reader's language, with the layout's context: title, breadcrumbs, languages, formats."""
    language = i18n.chosen(request)
    translations = i18n.translations(language)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    viewer = request.state.get("viewer")
    response = Template(
        template_name=template,
        context={
            "_": translations.gettext, "ngettext": translations.ngettext, "language": language, "languages": i18n.NAMES,
            "fmt": i18n.Formats(language), "title": title, "crumbs": crumbs, "here": here, "viewer": viewer,
            "form_token": form_token(request), **context,
        },  # fmt: skip
        headers={"Content-Language": language, "Vary": "Accept-Language, Cookie"} | ({"Cache-Control": "no-store"} if viewer else {}),
    )
    keep_form_token(request, response)
    return response


def page_count(total: int, size: int) -> int:
    """How many pages of ``size`` hold ``total`` items."""
    return (total + size - 1) // size


def neighbours(page_number: int, pages: int, href: Callable[[int], str]) -> dict[int, str]:
    """The addresses of the pages before and after ``page_number`` that exist, as the ``pager`` macro takes them."""
    return {n: href(n) for n in (page_number - 1, page_number + 1) if 1 <= n <= pages}


def say(request: Request, message: str) -> str:
    """``message`` in the language ``request`` is answered in."""
    return i18n.translations(i18n.chosen(request)).gettext(message)


def error_page(request: Request, exc: DomainError | ValidationException) -> Template:
    """A page's error as a page: what was not found or not understood, in the reader's language."""
    status = exc.status if isinstance(exc, DomainError) else 400
    title = say(request, "Page not found") if status == 404 else say(request, "The page could not be shown")
    detail = exc.detail if isinstance(exc, DomainError) else say(request, "The address holds a value the page does not understand.")
    response = page(request, "error.html", title, [(title, "")], detail=detail)
    response.status_code = status
    return response


def reader(request: Request) -> Principal | None:
    """Whom the library pages read as: a signed-in library editor sees drafts too, everyone else the published library."""
    viewer = request.state.get("viewer")
    return viewer.principal if viewer is not None and requirements.is_editor(viewer.principal) else None


def sign_in_first(request: Request) -> Redirect:
    """To the sign-in page, and back here afterwards."""
    return Redirect(f"/sign-in?next={request.url.path}", status_code=HTTP_303_SEE_OTHER)


class PageController(Controller):
    """What every page shares: open to anyone (the page decides what a visitor sees), no bearer token, not in the
    API document, the viewer read from the session cookie first, and errors shown as pages."""

    before_request = staticmethod(resolve_viewer)
    guards = [ANYONE]
    opt = PUBLIC
    include_in_schema = False
    exception_handlers = {DomainError: error_page, ValidationException: error_page}


class PagesController(PageController):
    path = "/"

    @get("/")
    async def home(self, request: Request, db_session: DbSession) -> Template:
        catalogue = await requirements.catalogue(db_session)
        language = i18n.chosen(request)
        categories = [(term.key, label(catalogue, "categories", term.key, language)) for term in catalogue.categories]
        return page(request, "home.html", say(request, "Welfare technology procurement registry"), [], categories=categories)

    @get("/language/{code:str}")
    async def language(self, code: Annotated[str, PathParameter(pattern=r"^(nb|sv|da|en)$")], next: FromQuery[str] = "/") -> Redirect:  # noqa: A002
        """Keep the chosen language in a cookie and go back to the page it was chosen on (a path of this site only)."""
        target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
        response = Redirect(target, status_code=HTTP_303_SEE_OTHER)
        response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="lax", path="/")
        return response

    @get("/library")
    async def library(
        self,
        request: Request,
        db_session: DbSession,
        q: Search = None,
        category: Choice = None,
        product_category: Choice = None,
        kind: FromQuery[Kind | None] = None,
        level: FromQuery[Level | None] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template:
        language = i18n.chosen(request)
        catalogue = await requirements.catalogue(db_session)
        filters = {"q": q, "category": category, "product_category": product_category, "kind": kind, "level": level}
        items, total = await requirements.list_modules(
            db_session, reader(request), q=q, category=category or None, product_category=product_category or None, kind=kind, level=level,
            limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE,
        )  # fmt: skip
        shown = [
            {
                "key": m.key, "title": text(m.current.title, language) if m.current else None,
                "category": label(catalogue, "categories", m.category, language), "kind": m.current.kind if m.current else None,
                "level": m.current.level if m.current else None, "jurisdictions": m.jurisdictions,
                "product_categories": [label(catalogue, "product_categories", pc, language) for pc in m.product_categories],
            }
            for m in items
        ]  # fmt: skip
        given = {k: v for k, v in filters.items() if v}
        pages = page_count(total, PAGE_SIZE)
        links = neighbours(page_number, pages, lambda n: "/library?" + urlencode(given | {"page": n}))
        vocabularies = {
            vocabulary: [(t.key, text(t.label, language).value) for t in getattr(catalogue, vocabulary)]
            for vocabulary in ("categories", "product_categories")
        }
        return page(
            request, "library/search.html", say(request, "Requirement library"), [(say(request, "Requirement library"), "/library")],
            items=shown, total=total, filters=filters, vocabularies=vocabularies, page_number=page_number, pages=pages, links=links,
        )  # fmt: skip

    @get("/library/{key:str}")
    async def module(self, request: Request, db_session: DbSession, key: KeyPath, version: VersionQuery = None) -> Template:
        language = i18n.chosen(request)
        module = await requirements.get_module(db_session, reader(request), key)
        number = version or (module.current.version if module.current else module.draft_version)
        if number is None:
            raise NotFound(f"no requirement module {key}")
        shown = await requirements.get_version(db_session, reader(request), key, number)
        catalogue = await requirements.catalogue(db_session)
        content = shown.content
        title = text(content.title, language)
        return page(
            request, "library/module.html", title.value,
            [(say(request, "Requirement library"), "/library"), (key, f"/library/{key}")],
            module=module, version=shown, content=content, heading=title, statement=statement(content, language),
            text=lambda texts: text(texts, language), category=label(catalogue, "categories", module.category, language),
            product_categories=[label(catalogue, "product_categories", pc, language) for pc in module.product_categories],
            documents=[label(catalogue, "document_types", d, language) for d in content.verification],
            rule=rule_in_words(content, catalogue, language, i18n.translations(language).gettext),
            references=[(r, text(r.titles, language).value if language in r.titles else r.title) for r in module.references],
        )  # fmt: skip

    @get("/library/{key:str}/diff")
    async def diff(
        self,
        request: Request,
        db_session: DbSession,
        key: KeyPath,
        from_version: Annotated[int, QueryParameter(name="from", ge=1, le=MAX_VERSION)],
        to_version: Annotated[int, QueryParameter(name="to", ge=1, le=MAX_VERSION)],
    ) -> Template:
        found = await requirements.diff(db_session, reader(request), key, from_version, to_version)
        heading = say(request, "Changes from version %(old)s to %(new)s") % {"old": from_version, "new": to_version}
        crumbs = [(say(request, "Requirement library"), "/library"), (key, f"/library/{key}"), (heading, "")]
        languages = {field.rsplit(".", 1)[-1] for field in (c.field for c in found.changes)} & set(i18n.LANGUAGES)
        return page(request, "library/diff.html", f"{key}: {heading}", crumbs, diff=found, key=key, text_languages=languages)
