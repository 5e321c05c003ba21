from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, HeaderParameter, JSONBody, PathParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.guards import ANYONE, AUTHENTICATED, TOKEN_OPTIONAL, allow
from registry.auth.principal import Principal, Role
from registry.http import conditional
from registry.problems import problem_responses
from registry.requirements import schemas, service
from registry.requirements.content import LANGUAGE_PATTERN, MAX_VERSION, MODULE_KEY_PATTERN, Kind, Level, VersionContent, VersionStatus
from registry.requirements.templates import Catalogue
from registry.schemas import Filter, Limit, Offset, Page, Search

Req = Request[Principal, Any, Any]
Reader = Request[Principal | None, Any, Any]
"""The published library is open to everyone; a token, when sent, still counts (library editors also see drafts)."""
DbSession = NamedDependency[AsyncSession]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="ETag of the version being edited.")]
KeyPath = Annotated[str, PathParameter(pattern=MODULE_KEY_PATTERN, max_length=64, description="A module key.")]
VersionPath = Annotated[int, PathParameter(ge=1, le=MAX_VERSION, description="A version number.")]
EDITOR = allow(Role.library_editor)


def _version_response(request: Req, version: schemas.Version, status_code: int = 200) -> Response[schemas.Version]:
    return conditional(request, version, version.etag, status_code)


class CatalogueController(Controller):
    path = "/api/v1/catalogue"
    tags = ["Requirement library"]

    @get(operation_id="GetCatalogue", guards=[ANYONE], opt=TOKEN_OPTIONAL, responses=problem_responses())
    async def get_catalogue(self, request: Reader, db_session: DbSession) -> Response[Catalogue]:
        """Categories, product categories, study designs (strongest first), outcome domains and document types, with labels."""
        return conditional(request, await service.catalogue(db_session))


class ModuleController(Controller):
    path = "/api/v1/modules"
    tags = ["Requirement library"]

    @get(operation_id="ListModules", guards=[ANYONE], opt=TOKEN_OPTIONAL, responses=problem_responses(422))
    async def list_modules(
        self,
        request: Reader,
        db_session: DbSession,
        category: Filter = None,
        product_category: Filter = None,
        kind: FromQuery[Kind | None] = None,
        level: FromQuery[Level | None] = None,
        status: FromQuery[VersionStatus | None] = None,
        tag: Filter = None,
        standard: Filter = None,
        language: Annotated[str | None, QueryParameter(pattern=LANGUAGE_PATTERN, description="Modules with text in this language.")] = None,
        q: Search = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Page[schemas.ModuleSummary]]:
        """Find modules by filters and by `q`, a case- and diacritic-insensitive search across all languages.

        Lists show each module's newest published version; `status=draft` lists drafts (library editors).
        The ETag moves with every change to the library: a conditional GET costs one small query, and
        a list asked for again is answered from memory until the library changes.
        """

        async def build() -> tuple[Page[schemas.ModuleSummary], str]:
            items, total = await service.list_modules(
                db_session, request.user, category=category, product_category=product_category, kind=kind, level=level,
                status=status, tag=tag, standard=standard, language=language, q=q, limit=limit, offset=offset,
            )  # fmt: skip
            return Page(items, total, limit, offset), etag

        etag = await service.list_etag(db_session, request.user, request.url.query)
        return await request.app.state.encoded_lists.answer(request, etag, build)

    @post(operation_id="CreateModule", guards=[EDITOR], responses=problem_responses(409, 422))
    async def create_module(self, request: Req, db_session: DbSession, data: JSONBody[schemas.ModuleCreate]) -> Response[schemas.Version]:
        """Create a module; its version 1 starts as a draft."""
        return _version_response(request, await service.create_module(db_session, request.user, data), 201)

    @get("/{key:str}", operation_id="GetModule", guards=[ANYONE], opt=TOKEN_OPTIONAL, responses=problem_responses(404))
    async def get_module(self, request: Reader, db_session: DbSession, key: KeyPath) -> Response[schemas.Module]:
        """A module with its version history."""
        return conditional(request, await service.get_module(db_session, request.user, key))

    @get("/{key:str}/versions/{version:int}", operation_id="GetModuleVersion", guards=[ANYONE], opt=TOKEN_OPTIONAL, responses=problem_responses(404))
    async def get_version(self, request: Reader, db_session: DbSession, key: KeyPath, version: VersionPath) -> Response[schemas.Version]:
        """One version's full content. Drafts are visible to library editors only.

        A conditional GET is answered from the version's revision alone; the encoded version is kept by its ETag.
        """

        async def build() -> tuple[schemas.Version, str]:
            found = await service.get_version(db_session, request.user, key, version)
            return found, found.etag

        etag = await service.version_etag(db_session, request.user, key, version)
        return await request.app.state.encoded_versions.answer(request, etag, build)

    @put(
        "/{key:str}/versions/{version:int}",
        operation_id="UpdateDraft",
        guards=[EDITOR],
        responses=problem_responses(404, 409, 412, 422, 428),
    )
    async def update_draft(
        self, request: Req, db_session: DbSession, key: KeyPath, version: VersionPath, data: JSONBody[VersionContent], if_match: IfMatch = None
    ) -> Response[schemas.Version]:
        """Replace a draft's content. Needs `If-Match`; published versions never change (409)."""
        return _version_response(request, await service.update_draft(db_session, request.user, key, version, data, if_match))

    @post(
        "/{key:str}/versions/{version:int}/publish",
        operation_id="PublishVersion",
        guards=[EDITOR],
        responses=problem_responses(404, 409, 412, 422),
        status_code=200,
    )
    async def publish(
        self, request: Req, db_session: DbSession, key: KeyPath, version: VersionPath, if_match: IfMatch = None
    ) -> Response[schemas.Version]:
        """Publish a draft once it is complete in every language. From then on it is immutable."""
        return _version_response(request, await service.publish(db_session, request.user, key, version, if_match))

    @post(
        "/{key:str}/versions/{version:int}/deprecate",
        operation_id="DeprecateVersion",
        guards=[EDITOR],
        responses=problem_responses(404, 409, 422),
        status_code=200,
    )
    async def deprecate(
        self, request: Req, db_session: DbSession, key: KeyPath, version: VersionPath, data: JSONBody[schemas.Deprecation]
    ) -> Response[schemas.Version]:
        """Deprecate a published version, optionally naming the module that replaces it."""
        return _version_response(request, await service.deprecate(db_session, request.user, key, version, data.replaced_by))

    @post("/{key:str}/versions", operation_id="StartNewVersion", guards=[EDITOR], responses=problem_responses(404, 409))
    async def start_version(self, request: Req, db_session: DbSession, key: KeyPath) -> Response[schemas.Version]:
        """Start the next version as a draft copy of the latest."""
        return _version_response(request, await service.new_draft(db_session, request.user, key), status_code=201)

    @get("/{key:str}/diff", operation_id="DiffVersions", guards=[ANYONE], opt=TOKEN_OPTIONAL, responses=problem_responses(404))
    async def diff(
        self,
        request: Reader,
        db_session: DbSession,
        key: KeyPath,
        from_version: Annotated[int, QueryParameter(name="from", ge=1, le=MAX_VERSION)],
        to_version: Annotated[int, QueryParameter(name="to", ge=1, le=MAX_VERSION)],
    ) -> Response[schemas.Diff]:
        """What changed between two versions, per field and per language."""
        return conditional(request, await service.diff(db_session, request.user, key, from_version, to_version))

    @post(
        "/{key:str}/versions/{version:int}/render",
        operation_id="RenderVersion",
        guards=[AUTHENTICATED],
        responses=problem_responses(404, 422),
        status_code=200,
    )
    async def render(
        self, request: Req, db_session: DbSession, key: KeyPath, version: VersionPath, data: JSONBody[schemas.RenderRequest]
    ) -> schemas.Rendered:
        """The final title and statement in one language with parameter values filled in."""
        return await service.render(db_session, request.user, key, version, data)
