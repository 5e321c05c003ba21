"""Checks on every JSON request body before it is decoded: a JSON media type, and bounded nesting.

msgspec decodes arrays and objects recursively, so a body nested a few thousand levels deep exhausts
the interpreter's recursion limit (a 500) before any schema is consulted. The body is read through
Litestar's ``Request``, which applies the body size limit (413) and caches the bytes for the handler.
"""

from __future__ import annotations

import re

from litestar import Request
from litestar.enums import RequestEncodingType, ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.params import BodyKwarg
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.problems import DomainError, UnsupportedMediaType

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects in a request body; the deepest schema needs a handful of levels."""

_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
"""A JSON string, escapes honoured; an unterminated one runs to the end, so the scan stays linear."""
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENING = frozenset(b"[{")


def json_depth(body: bytes, limit: int) -> int:
    """How deep arrays and objects nest in ``body`` (brackets inside strings do not count), or
    ``limit + 1`` as soon as it is deeper than ``limit``. Only well-formed JSON is measured exactly;
    on malformed input the result is still at least the depth a decoder reaches before it fails."""
    depth = deepest = 0
    for byte in _STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        if byte in _OPENING:
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth > limit:
                    return depth
        else:
            depth -= 1
    return deepest


def is_json_media_type(media_type: str) -> bool:
    """``application/json`` or a structured ``application/*+json`` type (RFC 6839)."""
    kind = media_type.strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def takes_json(handler: HTTPRouteHandler) -> bool:
    """The handler has a body parameter that Litestar decodes as JSON."""
    data = handler.parsed_data_field
    if data is None:
        return False
    kwarg = data.kwarg_definition
    return not isinstance(kwarg, BodyKwarg) or kwarg.media_type == RequestEncodingType.JSON


async def check_json_body(request: Request) -> None:
    """Refuse a non-empty body that is not labelled JSON (415) or nests deeper than ``MAX_JSON_DEPTH`` (400)."""
    body = await request.body()
    if not body:
        return
    if not is_json_media_type(request.content_type[0]):
        raise UnsupportedMediaType("send this body as application/json")
    if json_depth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise DomainError(f"the JSON body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels", errors=[("body", "nested too deeply")])


class JsonBodyMiddleware(ASGIMiddleware):
    """Runs ``check_json_body`` for every route whose handler takes a JSON body, before the handler decodes it."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        handler = scope["route_handler"]
        if isinstance(handler, HTTPRouteHandler) and takes_json(handler):
            await check_json_body(Request(scope, receive))
        await next_app(scope, receive, send)
