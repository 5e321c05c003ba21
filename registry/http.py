"""HTTP conveniences shared by the slices' routes: ETags, conditional requests, file downloads, security headers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar, cast
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.response import Stream
from litestar.serialization import encode_json
from litestar.status_codes import HTTP_304_NOT_MODIFIED
from litestar.types import Message, Scope

T = TypeVar("T")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
"""On every response: never sniffed into another type, and links followed from it send no referrer."""
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
"""The Content-Security-Policy of every HTML page without one of its own: our own styles and scripts only, nothing inline."""


def body_etag(encoded: bytes) -> str:
    """A strong ETag derived from the encoded representation itself."""
    return '"' + hashlib.sha256(encoded).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match already holds ``etag``."""
    return etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}


def _answer(request: Request, encoded: bytes, etag: str, status_code: int) -> Response[Any]:
    if status_code == 200 and not_modified(request, etag):
        return Response(None, status_code=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(encoded, status_code=status_code, media_type=MediaType.JSON, headers={"ETag": etag})


def conditional(request: Request, body: T, etag: str | None = None, status_code: int = 200) -> Response[T]:
    """``body`` encoded once, with its ETag, or an empty 304 when the client's If-None-Match already has it.

    Routes still declare ``Response[T]`` (the API document is made from it); the bytes sent are ``body``'s JSON.
    """
    encoded = encode_json(body)
    return cast(Response[T], _answer(request, encoded, etag or body_etag(encoded), status_code))


class EncodedCache:
    """Encoded representations that never change once made, by their ETag; bounded, the least recently used dropped first.

    Only for ETags that name one content for good (a module version's ETag holds its revision, a module
    list's the library's revision, which every edit moves), so nothing here needs invalidating. One per
    application (one per database).
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()

    async def answer(self, request: Request, etag: str, build: Callable[[], Awaitable[tuple[Any, str]]]) -> Response[Any]:
        """A 304 when the client has ``etag``; else the cached bytes; else ``build()`` (body, its ETag), encoded and kept."""
        if not_modified(request, etag):
            return _answer(request, b"", etag, 200)
        encoded = self._items.get(etag)
        if encoded is None:
            body, etag = await build()  # the ETag of what was read, should it have moved since ``etag``
            encoded = self._items[etag] = encode_json(body)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(etag)
        return _answer(request, encoded, etag, 200)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 encoding."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._() -]", "_", fallback).strip() or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_headers(filename: str) -> dict[str, str]:
    """Headers of a file sent as a download: saved under ``filename``, never rendered inline (``security_headers`` adds the rest)."""
    return {"Content-Disposition": content_disposition(filename)}


def file_download(filename: str, media_type: str, size: int, chunks: AsyncIterator[bytes]) -> Stream:
    """A stored file sent as a download (downloads need a token, so ``security_headers`` forbids storing it)."""
    headers = download_headers(filename) | {"Content-Length": str(size)}
    return Stream(chunks, media_type=media_type, headers=headers)


async def security_headers(message: Message, scope: Scope) -> None:
    """The app's before-send hook: ``SECURITY_HEADERS`` on every response, and ``Cache-Control: no-store`` on
    every answer to a request that carried credentials (token secrets, private data). A route's own
    Cache-Control, for public data, stands on anonymous requests only."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if (headers.get("content-type") or "").startswith("text/html") and "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = PAGE_POLICY
    if any(name == b"authorization" for name, _ in scope["headers"]):
        headers["Cache-Control"] = "no-store"
