"""Who may call what: anonymous 401, wrong role 403, another organization's private data 404."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.pool import NullPool

from registry.app import create_app
from registry.auth.models import ApiToken
from registry.db.engine import create_engine
from tests.support import ADMIN_TOKEN, Api, not_found, problem

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
EXAMPLE_PATH_VALUES = {"key": "SEC-EXAMPLE", "version": "1", "action": "publish", "export_format": "docx", "lot": "1", "position": "1"}


async def test_every_route_declares_who_may_call_it(client: AsyncTestClient) -> None:
    for route in client.app.routes:
        if route.path.startswith("/docs"):  # the API documentation is open by design
            continue
        for handler in getattr(route, "route_handlers", []):
            if handler.opt.get("exclude_from_auth") or handler.http_methods == {"OPTIONS"}:
                continue
            assert handler.guards, f"{route.path} {handler.http_methods} has no guard"


def _token_optional(client: AsyncTestClient) -> set[tuple[str, str]]:
    """Operations that answer without a token too (published documents), by operation id."""
    return {
        (handler.operation_id, method)
        for route in client.app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.operation_id and (handler.opt.get("token_optional") or handler.opt.get("exclude_from_auth"))  # API operations, not pages
        for method in handler.http_methods
    }


async def test_anonymous_calls_get_401_on_every_protected_route(client: AsyncTestClient) -> None:
    schema = (await client.get("/docs/openapi.json")).json()
    open_operations = {operation for operation, _ in _token_optional(client)}
    published_library = {"GetCatalogue", "ListModules", "GetModule", "GetModuleVersion", "DiffVersions"}
    assert open_operations == {"Health", "ExportTender", "ExportTenderVersion", "OcdsReleases", "GetCountryLaw"} | published_library
    checked = 0
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: EXAMPLE_PATH_VALUES.get(m.group(1), UNKNOWN_ID), path)
        for method, operation in item.items():
            if operation["operationId"] in open_operations:
                continue
            response = await client.request(method.upper(), concrete)
            body = problem(response, 401)
            assert response.headers.get("www-authenticate") == "Bearer", path
            assert "token" in body["detail"]
            checked += 1
    assert checked >= 12


async def test_garbage_token_is_401(client: AsyncTestClient) -> None:
    problem(await Api(client, "wtr_not-a-real-token").get("/api/v1/me"), 401)
    problem(await client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)


async def test_wrong_role_is_403(admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    problem(await editor.post("/api/v1/organizations", json={"kind": "authority", "name": "X", "country": "NO"}), 403)
    problem(await editor.get(f"/api/v1/organizations/{supplier['id']}/users"), 403)
    problem(await editor.get("/api/v1/audit"), 403)


async def test_other_organizations_users_and_tokens_are_hidden(admin: Api) -> None:
    first, second = await admin.create_org("municipality"), await admin.create_org("municipality")
    first_admin = await admin.create_user(first["id"], "org_admin")
    second_officer = await admin.create_user(second["id"], "procurement_officer")
    hidden_users, hidden_user = f"no users visible for organization {second['id']}", f"no user {second_officer.user['id']}"
    not_found(await first_admin.get(f"/api/v1/organizations/{second['id']}/users"), hidden_users)
    not_found(await first_admin.post(f"/api/v1/users/{second_officer.user['id']}/tokens", json={"name": "steal"}), hidden_user)
    not_found(await first_admin.get(f"/api/v1/users/{second_officer.user['id']}/tokens"), hidden_user)
    mole = {"name": "Mole", "email": "mole@example.org"}
    not_found(await first_admin.post(f"/api/v1/organizations/{second['id']}/users", json=mole), hidden_users)
    tokens = (await admin.get(f"/api/v1/users/{second_officer.user['id']}/tokens")).json()["items"]
    not_found(await first_admin.delete(f"/api/v1/tokens/{tokens[0]['id']}"), f"no token {tokens[0]['id']}")
    assert (await second_officer.get("/api/v1/me")).status_code == 200


async def test_org_admin_manages_own_users_and_tokens(admin: Api) -> None:
    municipality = await admin.create_org("municipality")
    org_admin = await admin.create_user(municipality["id"], "org_admin")
    officer = await org_admin.create_user(municipality["id"], "procurement_officer")
    me = (await officer.get("/api/v1/me")).json()
    assert me["roles"] == ["procurement_officer"] and me["organization_id"] == municipality["id"]
    users = (await org_admin.get(f"/api/v1/organizations/{municipality['id']}/users")).json()["items"]
    assert {u["id"] for u in users} == {org_admin.user["id"], officer.user["id"]}


async def test_tokens_are_hashed_shown_once_and_revocable(admin: Api, database_url: str) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    issued = await editor.post(f"/api/v1/users/{editor.user['id']}/tokens", json={"name": "laptop", "expires_in_days": 30})
    assert issued.status_code == 201
    secret = issued.json()["token"]
    assert secret.startswith("wtr_") and len(secret) >= 40
    listed = (await editor.get(f"/api/v1/users/{editor.user['id']}/tokens")).json()["items"]
    assert all("token" not in t for t in listed) and len(listed) == 2
    engine = create_engine(database_url, poolclass=NullPool)
    async with engine.connect() as connection:
        stored = (await connection.execute(select(ApiToken.token_hash, ApiToken.prefix))).all()
    await engine.dispose()
    assert (hashlib.sha256(secret.encode()).hexdigest(), secret[:10]) in stored
    assert not any(secret in (h, p) for h, p in stored)

    laptop = Api(editor.client, secret)
    assert (await laptop.get("/api/v1/me")).status_code == 200
    listed = (await editor.get(f"/api/v1/users/{editor.user['id']}/tokens")).json()["items"]
    assert next(t for t in listed if t["name"] == "laptop")["last_used_at"]
    assert (await editor.delete(f"/api/v1/tokens/{issued.json()['id']}")).status_code == 204
    body = problem(await laptop.get("/api/v1/me"), 401)
    assert body["detail"] == "the bearer token is not valid", "a revoked token is not told apart from an unknown one"


async def test_token_names_fit_their_column(admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    path = f"/api/v1/users/{editor.user['id']}/tokens"
    assert (await editor.post(path, json={"name": "n" * 100})).status_code == 201
    assert problem(await editor.post(path, json={"name": "n" * 101}), 400)["errors"][0]["field"] == "name"


async def test_expired_token_is_401(admin: Api, database_url: str) -> None:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    engine = create_engine(database_url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)).where(ApiToken.name == "test"))
    await engine.dispose()
    body = problem(await editor.get("/api/v1/me"), 401)
    assert body["detail"] == "the bearer token is not valid", "an expired token is not told apart from an unknown one"


async def test_bootstrap_token_is_ignored_once_an_admin_exists(settings, admin: Api) -> None:
    assert (await admin.get("/api/v1/me")).json()["roles"] == ["admin"]
    other = settings.__class__(**{**{f: getattr(settings, f) for f in settings.__struct_fields__}, "bootstrap_admin_token": "wtr_" + "z" * 40})
    async with AsyncTestClient(create_app(other)) as client:
        problem(await Api(client, "wtr_" + "z" * 40).get("/api/v1/me"), 401)
        assert (await Api(client, ADMIN_TOKEN).get("/api/v1/me")).status_code == 200
