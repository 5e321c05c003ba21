"""Request ids and bearer-token authentication, as ASGI middleware."""

from __future__ import annotations

import logging
import re
import uuid
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import AbstractAuthenticationMiddleware, ASGIMiddleware, AuthenticationResult
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.exc import OperationalError

from registry.auth.service import authenticate, note_use
from registry.auth.throttle import FailureThrottle
from registry.db.transactions import Database
from registry.problems import TooManyRequests, Unauthorized

log = logging.getLogger("registry")
REQUEST_ID_HEADER = "x-request-id"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
"""A client's request id is kept only as a short token that is safe in logs, headers and the audit trail."""
OPEN_PATHS = ["^/docs"]
"""The API documentation is readable without a token."""


class RequestIdMiddleware(ASGIMiddleware):
    """Give every request an id (or keep a sane one the client sent) and echo it in the response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        sent = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = sent if SAFE_REQUEST_ID.fullmatch(sent) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await next_app(scope, receive, send_with_id)


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Resolve ``Authorization: Bearer <token>`` to a Principal; routes opt out with ``PUBLIC``.

    Failed tokens count against the client's address in ``throttle``; a throttled address gets 429
    for every token until its window ends, so guessing cannot go on.
    """

    def __init__(self, app: ASGIApp, database: Database, throttle: FailureThrottle) -> None:
        super().__init__(app, exclude=OPEN_PATHS, exclude_from_auth_key="exclude_from_auth")
        self.database = database
        self.throttle = throttle

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        scheme, _, secret = connection.headers.get("authorization", "").partition(" ")
        if not scheme and connection.route_handler.opt.get("token_optional"):
            return AuthenticationResult(user=None, auth=None)
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("send an API token as `Authorization: Bearer <token>`")
        address = connection.client.host if connection.client else "unknown"
        if wait := self.throttle.retry_after(address):
            raise TooManyRequests(f"too many failed authentications from this address; try again in {wait} s", retry_after=wait)
        try:
            async with self.database.reads.begin() as session:
                principal, stamp_due = await authenticate(session, secret.strip(), connection.scope["state"].get("request_id"))
        except Unauthorized:
            self.throttle.fail(address)
            raise
        if stamp_due and principal.token_id:
            await self._stamp(principal.token_id)
        return AuthenticationResult(user=principal, auth=None)

    async def _stamp(self, token_id: UUID) -> None:
        """Record the token's use in a write of its own; a busy or read-only database skips it, the request goes on."""
        try:
            async with self.database.writes.begin() as session:
                await note_use(session, token_id)
        except OperationalError as exc:
            log.warning("could not record the use of token %s: %s", token_id, exc.orig)
