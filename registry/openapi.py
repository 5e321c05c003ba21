"""The OpenAPI document and its documentation page, served whole by the registry.

The page is Swagger UI from the installed ``swagger-ui-py`` package: no CDN, so it works on a network
without internet, under a Content-Security-Policy that admits this origin only. Every operation is
documented from its handler: the summary is the first sentence of the docstring, the description the
docstring and who may call; the bearer-token requirement follows the handler's ``opt``. Request and
response structs are described by their docstrings and their fields' docstrings.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import inspect
import re
import textwrap
from collections.abc import Iterable
from functools import cache
from importlib.util import find_spec
from inspect import cleandoc
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Request, Router, get
from litestar._openapi.schema_generation.plugins import StructSchemaPlugin
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.typing import FieldDefinition

from registry.schemas import PATTERNS

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Reference, Schema

DOCS_PATH = "/docs"
ASSETS_PATH = "/assets"
SWAGGER_UI = Path(find_spec("swagger_ui").submodule_search_locations[0]) / "static"  # type: ignore[union-attr,index]
"""Swagger UI's dist files as the ``swagger-ui-py`` package ships them (located without importing the package)."""
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The docs page loads its scripts, styles and the OpenAPI document from this origin and nothing else, inline code included."""
BEARER = "BearerToken"
TOKEN_REQUIRED: list[SecurityRequirement] = [{BEARER: []}]
TOKEN_OPTIONAL: list[SecurityRequirement] = [{}, {BEARER: []}]
SWAGGER_INIT = b"""\
"use strict";
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
"""
"""Starts Swagger UI on the page's ``#swagger-ui`` element; a file of its own, since the page allows no inline script."""


class SwaggerPage(OpenAPIRenderPlugin):
    """Swagger UI rendered from this registry's own assets, with no inline script or style."""

    def __init__(self) -> None:
        super().__init__(path="/swagger", favicon="", style="")

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        assets = f"{DOCS_PATH}{ASSETS_PATH}"
        title = html.escape(openapi_schema["info"]["title"])
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="stylesheet" href="{assets}/index.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{html.escape(self.get_openapi_json_route(request))}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{DOCS_PATH}/swagger-init.js"></script>
</body>
</html>
""".encode()

    def receive_router(self, router: Router) -> None:
        router.register(get("/swagger-init.js", media_type="text/javascript", sync_to_thread=False)(swagger_init))


def swagger_init() -> bytes:
    return SWAGGER_INIT


def docs_router() -> Router:
    """``/docs``: the page, its assets and the OpenAPI document under the docs CSP (open to anyone: the token
    middleware leaves ``/docs`` out)."""
    assets = create_static_files_router(ASSETS_PATH, directories=[SWAGGER_UI], cache_control=CacheControlHeader(max_age=86400), name="docs-assets")
    return Router(
        DOCS_PATH,
        route_handlers=[assets],
        include_in_schema=False,
        response_headers=[ResponseHeader(name="Content-Security-Policy", value=DOCS_CSP)],
    )


def openapi_config(title: str, description: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title=title,
        version="1.0.0",
        description=description,
        openapi_router=docs_router(),
        render_plugins=[SwaggerPage()],
        components=Components(
            security_schemes={
                BEARER: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="An API token (`wtr_...`) issued by `registry admin create-admin` or `POST /api/v1/users/{id}/tokens`.",
                )
            }
        ),
    )


class OperationDocs(ReceiveRoutePlugin):
    """Documents each operation from its handler as the route is registered (handlers are per-app copies)."""

    def receive_route(self, route: BaseRoute) -> None:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                document(handler)


def document(handler: HTTPRouteHandler) -> None:
    docstring = cleandoc(handler.fn.__doc__ or "")
    handler.summary = handler.summary or summary_of(docstring) or handler.handler_name.replace("_", " ").capitalize()
    handler.description = handler.description or "\n\n".join(filter(None, [docstring, access_of(handler)]))
    if not handler.security:
        handler.security = security_of(handler)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")


def summary_of(docstring: str) -> str:
    """The docstring's first sentence as plain text: one line, no code marks, no closing full stop."""
    paragraph = " ".join(docstring.split("\n\n", 1)[0].split())
    return _SENTENCE_END.split(paragraph, 1)[0].rstrip(".").replace("`", "")


def security_of(handler: HTTPRouteHandler) -> list[SecurityRequirement]:
    if handler.opt.get("exclude_from_auth"):
        return []
    return TOKEN_OPTIONAL if handler.opt.get("token_optional") else TOKEN_REQUIRED


ACCESS = "**Access:**"


def access_of(handler: HTTPRouteHandler) -> str:
    """Who may call, from the handler's ``opt`` and the roles its guards admit."""
    if handler.opt.get("exclude_from_auth"):
        return f"{ACCESS} open to anyone, no token needed."
    if handler.opt.get("token_optional"):
        return f"{ACCESS} open to anyone; a bearer token, when sent, must be valid and may show more."
    guards = [guard for layer in handler.ownership_layers for guard in layer.guards or ()]
    roles = {str(role) for guard in guards for role in getattr(guard, "roles", ())}
    if not roles:
        return f"{ACCESS} any valid bearer token."
    if not (others := sorted(roles - {"admin"})):
        return f"{ACCESS} a bearer token of a registry admin."
    return f"{ACCESS} a bearer token of a user holding {' or '.join(f'`{r}`' for r in others)} (registry admins always)."


class StructDocs(StructSchemaPlugin):
    """msgspec Structs as Litestar describes them, plus what the code says about them: the Struct's docstring, each
    field's docstring (Python keeps these only in the source) before its type's description, a pattern in words,
    and an example where ``examples`` has one of the Struct's type."""

    def __init__(self, examples: Iterable[msgspec.Struct] = ()) -> None:
        self.examples = {type(example): msgspec.to_builtins(example) for example in examples}

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        struct = field_definition.origin or field_definition.type_
        schema.description = schema.description or (cleandoc(struct.__doc__) if struct.__doc__ else None)
        if struct in self.examples:
            schema.examples = [self.examples[struct]]
        properties = schema.properties or {}
        for field in msgspec.structs.fields(struct):
            if (prop := properties.get(field.encode_name)) is None:
                continue
            said = [field_docstrings(struct).get(field.name), prop.description, format_of(prop)]
            if description := "\n\n".join(dict.fromkeys(filter(None, said))):
                properties[field.encode_name] = dataclasses.replace(prop, description=description)
        return schema


def format_of(prop: Schema | Reference) -> str | None:
    """The meaning of the pattern a string property (or its non-null alternative) must match."""
    candidates = [prop, *(getattr(prop, "one_of", None) or [])]
    meanings = [PATTERNS[p] for c in candidates if (p := getattr(c, "pattern", None)) in PATTERNS]
    return f"Format: {meanings[0]}." if meanings else None


@cache
def field_docstrings(struct: type) -> dict[str, str]:
    """The docstring under each field of ``struct`` and of the Structs it extends (the nearest wins)."""
    docs: dict[str, str] = {}
    for cls in reversed([c for c in struct.__mro__ if issubclass(c, msgspec.Struct) and c is not msgspec.Struct]):
        try:
            body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body  # type: ignore[attr-defined]
        except (OSError, TypeError):
            continue
        for field, after in zip(body, body[1:], strict=False):
            if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name) and _is_docstring(after):
                docs[field.target.id] = cleandoc(after.value.value)
    return docs


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
