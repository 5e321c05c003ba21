"""RFC 9457 problem+json responses and the one place that maps errors to them.

Services raise the domain errors below; they never raise HTTP exceptions. Everything else
(framework validation, unknown routes, oversize bodies, crashes) is shaped here too.
"""

from __future__ import annotations

import errno
import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError

from registry.schemas import in_words

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("registry")
RETRY_AFTER_SECONDS = "5"
"""What a client is told to wait when the database or the data folder is unavailable."""


_LIST_INDEX = re.compile(r"(lots|selections|volumes)\[(\d+)\]")
_SINGULAR = {"lots": "lot", "selections": "selection", "volumes": "volume"}


def numbered(field: str) -> str | None:
    """Where ``field`` is as people and the documents number it: ``lots[0].selections[2].weight`` is
    "lot 1, selection 3" (indexes in paths count from 0, the API's lot and position numbers from 1)."""
    places = [f"{_SINGULAR[name]} {int(index) + 1}" for name, index in _LIST_INDEX.findall(field)]
    return ", ".join(places) or None


class FieldError(msgspec.Struct, omit_defaults=True):
    field: str
    """Dotted path of the offending field, e.g. ``lots[0].selections[2].weight``."""
    message: str
    where: str | None = None
    """The same place as numbered in the API and the documents, e.g. "lot 1, selection 3"."""

    def __post_init__(self) -> None:
        if self.where is None:
            self.where = numbered(self.field)


class Problem(msgspec.Struct, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
    errors: list[FieldError] = []
    current_etag: str | None = None
    existing_id: str | None = None
    """For a conflict: the id of the record that already holds the unique value."""


class DomainError(Exception):
    """Base of errors services raise; ``status`` and ``slug`` choose the problem response."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[tuple[str, str]] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = [FieldError(f, m) for f, m in errors or []]
        self.extra = extra
        self.headers: dict[str, str] = {}


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(DomainError):
    status, slug, title = 412, "precondition-failed", "Stale version"


class PayloadTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(DomainError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class RuleViolation(DomainError):
    status, slug, title = 422, "rule-violation", "Rule violated"


class PreconditionRequired(DomainError):
    status, slug, title = 428, "precondition-required", "If-Match required"


class TooManyRequests(DomainError):
    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}


class Unavailable(DomainError):
    status, slug, title = 503, "unavailable", "Service unavailable"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers = {"Retry-After": RETRY_AFTER_SECONDS}


HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    412: ("precondition-failed", "Stale version"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("rule-violation", "Rule violated"),
    428: ("precondition-required", "If-Match required"),
    429: ("too-many-requests", "Too many requests"),
    500: ("internal-error", "Internal error"),
    503: ("unavailable", "Service unavailable"),
    507: ("insufficient-storage", "Insufficient storage"),
}


def problem_type(slug: str) -> str:
    return f"/problems/{slug}"


def request_id_of(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def problem_response(request: Request, status: int, detail: str, headers: dict[str, str] | None = None, **fields: Any) -> Response[Problem]:
    slug, title = HTTP_SLUGS.get(status, ("error", "Error"))
    fields.setdefault("type", problem_type(slug))
    fields.setdefault("title", title)
    problem = Problem(status=status, detail=detail, request_id=request_id_of(request), **fields)
    headers = dict(headers or {})
    if problem.current_etag:
        headers["ETag"] = problem.current_etag
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return Response(problem, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def handle_domain_error(request: Request, exc: DomainError) -> Response[Problem]:
    return problem_response(
        request,
        exc.status,
        exc.detail,
        exc.headers,
        type=problem_type(exc.slug),
        title=exc.title,
        errors=exc.errors,
        **exc.extra,
    )


_MSGSPEC_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


def _field_errors(exc: ValidationException) -> list[FieldError]:
    """Turn Litestar's validation ``extra`` (msgspec messages) into field paths."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        match = _MSGSPEC_PATH.match(str(item.get("message", "")))
        message = match.group("message") if match else str(item.get("message"))
        path = (match.group("path") if match else None) or ""
        key = item.get("key")
        source = str(getattr(item.get("source"), "value", item.get("source")) or "body")  # a ParamType enum, or a string
        field = path.lstrip(".") if path else (key or "")
        if source != "body" and key:
            field = f"{source}.{key}"
        errors.append(FieldError(field or source, in_words(message)))
    return errors


def handle_validation_error(request: Request, exc: ValidationException) -> Response[Problem]:
    errors = _field_errors(exc)
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or exc.detail
    return problem_response(request, 400, detail, errors=errors)


def handle_http_exception(request: Request, exc: HTTPException) -> Response[Problem]:
    detail, headers = exc.detail, {}
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no resource at {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        allowed = (exc.headers or {}).get("allow")
        headers = {"Allow": allowed} if allowed else {}
    elif exc.status_code == 413:
        detail = "the request body is larger than this endpoint accepts"
    return problem_response(request, exc.status_code, detail, headers)


_CONSTRAINT_COLUMNS = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)|Key \((?P<key>[^)]*)\)=")


def conflicting_fields(exc: IntegrityError) -> list[str]:
    """The columns a unique violation names (SQLite's message, PostgreSQL's detail), without table names."""
    cause = exc.orig.__cause__ if exc.orig is not None else None
    text = f"{exc.orig} {getattr(cause, 'detail', '') or ''}"
    match = _CONSTRAINT_COLUMNS.search(text)
    columns = (match.group("columns") or match.group("key")) if match else ""
    return [c.strip().rsplit(".", 1)[-1] for c in columns.split(",") if c.strip()]


def _unavailable(request: Request, status: int, detail: str, exc: BaseException) -> Response[Problem]:
    log.error("%s on %s %s (request %s): %s", detail, request.method, request.url.path, request_id_of(request), exc)
    return problem_response(request, status, detail, {"Retry-After": RETRY_AFTER_SECONDS})


def handle_database_error(request: Request, exc: SQLAlchemyError) -> Response[Problem]:
    """Unique conflicts are 409, out-of-range values 422, an unreachable, busy or full database 503/507."""
    if isinstance(exc, IntegrityError):
        fields = conflicting_fields(exc)
        detail = f"conflicts with an existing record ({', '.join(fields) or 'a unique value'}); reload and try again"
        return problem_response(request, 409, detail, errors=[FieldError(f, "already taken") for f in fields])
    if isinstance(exc, DataError):
        return problem_response(request, 422, "a value is outside what the registry can store")
    message = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in message:
        return _unavailable(request, 507, "the registry's storage is full", exc)
    if isinstance(exc, DBAPIError) or "timeout" in type(exc).__name__.lower():
        return _unavailable(request, 503, "the database is unavailable or busy; try again shortly", exc)
    return handle_unexpected(request, exc)


def handle_os_error(request: Request, exc: OSError) -> Response[Problem]:
    """A full or read-only data folder, or a database server that refuses connections."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _unavailable(request, 507, "the registry's storage is full", exc)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _unavailable(request, 503, "the registry's data folder is not writable", exc)
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return _unavailable(request, 503, "the database is unreachable; try again shortly", exc)
    return handle_unexpected(request, exc)


def handle_unexpected(request: Request, exc: Exception) -> Response[Problem]:
    log.exception("unhandled error on %s %s (request %s)", request.method, request.url.path, request_id_of(request))
    return problem_response(request, 500, "an unexpected error occurred; quote the request id when reporting it")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_exception,
    SQLAlchemyError: handle_database_error,
    OSError: handle_os_error,
    Exception: handle_unexpected,
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route can give (400/401/403 always; 429 after failed authentications)."""
    codes = sorted({400, 401, 403, 429, *statuses})
    return {code: ResponseSpec(data_container=Problem, description=HTTP_SLUGS[code][1], media_type=PROBLEM_JSON) for code in codes}
