"""HTTP conveniences shared by the slices' routes: ETags and conditional requests."""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED

T = TypeVar("T")


def body_etag(body: Any) -> str:
    """A strong ETag derived from the representation itself."""
    return '"' + hashlib.sha256(msgspec.json.encode(body)).hexdigest()[:32] + '"'


def conditional(request: Request, body: T, etag: str | None = None, status_code: int = 200) -> Response[T]:
    """``body`` with its ETag, or an empty 304 when the client's If-None-Match already has it."""
    etag = etag or body_etag(body)
    if status_code == 200 and etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(None, status_code=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})  # type: ignore[arg-type]
    return Response(body, status_code=status_code, headers={"ETag": etag})
