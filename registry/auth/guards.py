"""The guards every route declares: who may call it.

``allow(*roles)`` admits principals holding one of the roles (admins always);
``AUTHENTICATED`` admits any valid token; ``PUBLIC`` marks the few routes open to anyone.
Which organization's data a caller may touch is decided in the services, which answer 404 for
another organization's private objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from registry.auth.principal import Principal
from registry.problems import Forbidden

Guard = Callable[[ASGIConnection, BaseRouteHandler], None]
PUBLIC: dict[str, Any] = {"exclude_from_auth": True}
TOKEN_OPTIONAL: dict[str, Any] = {"token_optional": True}
"""Routes that also answer without a token (published documents); a token, when sent, still counts."""


def allow(*roles: str) -> Guard:
    def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        principal: Principal = connection.user
        if roles and not principal.has(*roles):
            raise Forbidden(f"this action needs one of the roles: {', '.join(roles)}")

    guard.roles = roles  # type: ignore[attr-defined]
    return guard


AUTHENTICATED = allow()


def anyone(_connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    """Anyone may call, with or without a token: the service decides what an anonymous caller sees."""


ANYONE = anyone
