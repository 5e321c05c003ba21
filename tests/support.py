"""Helpers for API tests: an authenticated client wrapper and organization/user factories."""

from __future__ import annotations

import itertools
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from httpx import Response
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from registry.db.transactions import Database
from registry.organizations.orgnumbers import random_org_number

T = TypeVar("T")
ADMIN_TOKEN = "wtr_test-admin-token-with-plenty-of-entropy-0123456789"
_names = itertools.count(1)


def valid_org_number(country: str, rng: random.Random | None = None) -> str:
    """A random number that passes the country's check-digit rule (a limited company's in Sweden)."""
    return random_org_number(country, rng or random.Random(), "556" if country == "SE" else "")


def days_from_today(days: int) -> str:
    """An ISO date ``days`` after today (UTC, as the service counts), so a test does not expire with the calendar."""
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


async def in_transaction(database: Database, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """``work`` in one committed write transaction, for service functions the API does not reach."""
    async with database.writes.begin() as session:
        return await work(session)


def ok(response: Response, status: int = 200) -> Any:
    """Assert ``response`` has ``status`` and return its JSON body (None when it has none)."""
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None


def problem(response: Response, status: int) -> dict[str, Any]:
    """Assert ``response`` is a problem+json of ``status`` and return its body."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["detail"] and body["type"] and body["title"]
    assert not body["detail"].startswith("no resource at "), "a 404 of the router (no such route), not of the resource"
    return body


def not_found(response: Response, detail: str) -> dict[str, Any]:
    """Assert ``response`` is the 404 that names what was not found (or not visible), ``detail`` word for word."""
    body = problem(response, 404)
    assert body["detail"] == detail, body["detail"]
    return body


class Api:
    """The test client speaking with one bearer token."""

    def __init__(self, client: AsyncTestClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return merged | (headers or {})

    async def request(self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Response:
        return await self.client.request(method, path, headers=self._headers(headers), **kwargs)

    async def get(self, path: str, **kwargs: Any) -> Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Response:
        return await self.request("POST", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any) -> Response:
        return await self.request("PATCH", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> Response:
        return await self.request("PUT", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Response:
        return await self.request("DELETE", path, **kwargs)

    async def create_org(self, kind: str, country: str = "NO", name: str | None = None) -> dict[str, Any]:
        body = {"kind": kind, "name": name or f"{kind.title()} {next(_names)}", "country": country}
        if kind != "authority":
            body["org_number"] = valid_org_number(country)
        response = await self.post("/api/v1/organizations", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def create_user(self, organization_id: str, *roles: str) -> Api:
        """A user with ``roles`` in the organization, returned as an Api speaking with their token."""
        n = next(_names)
        response = await self.post(
            f"/api/v1/organizations/{organization_id}/users",
            json={"name": f"User {n}", "email": f"user{n}@example.org", "roles": list(roles)},
        )
        assert response.status_code == 201, response.text
        user = response.json()
        response = await self.post(f"/api/v1/users/{user['id']}/tokens", json={"name": "test"})
        assert response.status_code == 201, response.text
        api = Api(self.client, response.json()["token"])
        api.user = user  # type: ignore[attr-defined]
        return api
