"""HTTP conveniences shared by the slices' routes: ETags, conditional requests, file downloads, security headers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import AsyncIterator
from typing import Any, TypeVar
from urllib.parse import quote

import msgspec
from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.response import Stream
from litestar.status_codes import HTTP_304_NOT_MODIFIED
from litestar.types import Message, Scope

T = TypeVar("T")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
"""On every response: never sniffed into another type, and links followed from it send no referrer."""


def body_etag(body: Any) -> str:
    """A strong ETag derived from the representation itself."""
    return '"' + hashlib.sha256(msgspec.json.encode(body)).hexdigest()[:32] + '"'


def conditional(request: Request, body: T, etag: str | None = None, status_code: int = 200) -> Response[T]:
    """``body`` with its ETag, or an empty 304 when the client's If-None-Match already has it."""
    etag = etag or body_etag(body)
    if status_code == 200 and etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(None, status_code=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})  # type: ignore[arg-type]
    return Response(body, status_code=status_code, headers={"ETag": etag})


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
    if any(name == b"authorization" for name, _ in scope["headers"]):
        headers["Cache-Control"] = "no-store"
