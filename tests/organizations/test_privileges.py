"""Roles cannot be climbed.

Users holding a role only registry admins grant (admin, library_editor) are managed by registry
admins alone; an organization admin manages the rest of their own organization. A token issued by
a token expires no later than its issuer and stops with it. Users can be deactivated, never the
last active admin, and the bootstrap admin can always be brought back.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
import pytest
from click.testing import CliRunner
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import Executable

from registry.app import create_app
from registry.auth.models import ApiToken
from registry.auth.principal import Principal, Role
from registry.auth.service import BOOTSTRAP_EMAIL
from registry.cli import main
from registry.db.engine import create_engine
from registry.db.transactions import Database
from registry.organizations.models import User
from registry.organizations.service import ADMIN_GRANTED_ROLES, set_user_active
from registry.settings import Settings, SettingsError
from tests.support import ADMIN_TOKEN, Api, problem, valid_org_number

_climbers = itertools.count(1)


def ok(response: Response) -> Any:
    assert response.is_success, (response.status_code, response.text)
    return response.json() if response.content else {}


def stands(roles: list[str]) -> int:
    """How high a user stands: registry admin, an admin-granted role, organization admin, anything else."""
    if Role.admin in roles:
        return 3
    if not ADMIN_GRANTED_ROLES.isdisjoint(roles):
        return 2
    return 1 if Role.org_admin in roles else 0


def expires_at(token: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(token["expires_at"]) if token["expires_at"] else None


async def execute(database_url: str, *statements: Executable) -> None:
    """Change the database behind the application's back, as an older version or an operator could have."""
    engine = create_engine(database_url, poolclass=NullPool)
    async with engine.begin() as connection:
        for statement in statements:
            await connection.execute(statement)
    await engine.dispose()


class World:
    """The registry admin and, around them, a user for every other role in organizations of fitting kinds."""

    def __init__(self, admin: Api) -> None:
        self.admin = admin

    async def build(self) -> World:
        me = ok(await self.admin.get("/api/v1/me"))
        self.admin.user = {"id": me["user_id"], "organization_id": me["organization_id"], "roles": me["roles"]}  # type: ignore[attr-defined]
        authority = me["organization_id"]
        municipality, federation, supplier = [(await self.admin.create_org(kind))["id"] for kind in ("municipality", "federation", "supplier")]
        self.organizations = [authority, municipality, federation, supplier]
        placements = [
            (authority, Role.org_admin),
            (authority, Role.library_editor),
            (municipality, Role.org_admin),
            (municipality, Role.library_editor),
            (municipality, Role.procurement_officer),
            (federation, Role.federation_coordinator),
            (supplier, Role.supplier_editor),
        ]
        self.actors = [await self.admin.create_user(organization, role) for organization, role in placements]
        self.users = [self.admin, *self.actors]
        return self

    def above(self, actor: Api) -> list[Api]:
        return [user for user in self.users if stands(user.user["roles"]) > stands(actor.user["roles"])]

    async def token_of(self, user: Api) -> str:
        return ok(await self.admin.get(f"/api/v1/users/{user.user['id']}/tokens"))["items"][0]["id"]

    async def snapshot(self) -> list[Any]:
        """Every user and token as the registry admin sees them, without the use stamps that reads update."""
        state = []
        for organization in self.organizations:
            for user in ok(await self.admin.get(f"/api/v1/organizations/{organization}/users"))["items"]:
                tokens = ok(await self.admin.get(f"/api/v1/users/{user['id']}/tokens"))["items"]
                state.append((user, [{k: v for k, v in token.items() if k != "last_used_at"} for token in tokens]))
        return state


@pytest.fixture
async def world(admin: Api) -> World:
    return await World(admin).build()


Attempt = Callable[[World, Api, Api], Awaitable[list[Response]]]
Step = Callable[[World, Api], Awaitable[None]]


async def _nothing(world: World, target: Api) -> None:
    return None


def _never(actor: Api, target: Api) -> bool:
    return False


class Case(NamedTuple):
    """How ``actor`` tries an identity operation on ``target``, and what a refusal looks like."""

    attempt: Attempt
    refusals: frozenset[int] = frozenset({403, 404})
    allowed: Callable[[Api, Api], bool] = _never
    """Combinations that are legitimate although the target stands higher (they must then succeed)."""
    before: Step = _nothing
    after: Step = _nothing
    """Run by the registry admin around each attempt; ``after`` also checks the refused attempt changed nothing."""


async def _issue_token(world: World, actor: Api, target: Api) -> list[Response]:
    return [await actor.post(f"/api/v1/users/{target.user['id']}/tokens", json={"name": "climb", "expires_in_days": None})]


async def _invite(world: World, actor: Api, target: Api) -> list[Response]:
    """An invitation link lets whoever opens it set the target's password: taking over the account."""
    return [await actor.post(f"/api/v1/users/{target.user['id']}/invitations")]


async def _list_tokens(world: World, actor: Api, target: Api) -> list[Response]:
    return [await actor.get(f"/api/v1/users/{target.user['id']}/tokens")]


async def _revoke_token(world: World, actor: Api, target: Api) -> list[Response]:
    return [await actor.delete(f"/api/v1/tokens/{await world.token_of(target)}")]


async def _update_user(world: World, actor: Api, target: Api) -> list[Response]:
    path = f"/api/v1/users/{target.user['id']}"
    return [await actor.patch(path, json={"name": "Climbed"}), await actor.patch(path, json={"roles": [Role.org_admin]})]


async def _deactivate(world: World, actor: Api, target: Api) -> list[Response]:
    return [await actor.post(f"/api/v1/users/{target.user['id']}/deactivate")]


async def _reactivate(world: World, actor: Api, target: Api) -> list[Response]:
    return [await actor.post(f"/api/v1/users/{target.user['id']}/reactivate")]


async def _create_user(world: World, actor: Api, target: Api) -> list[Response]:
    body = {"name": "Climber", "email": f"climber{next(_climbers)}@example.org", "roles": target.user["roles"]}
    return [await actor.post(f"/api/v1/organizations/{target.user['organization_id']}/users", json=body)]


async def _list_users(world: World, actor: Api, target: Api) -> list[Response]:
    return [await actor.get(f"/api/v1/organizations/{target.user['organization_id']}/users")]


def _administers_organization_of(actor: Api, target: Api) -> bool:
    """Organization admins see their colleagues, whatever roles those hold."""
    return Role.org_admin in actor.user["roles"] and actor.user["organization_id"] == target.user["organization_id"]


async def _deactivate_target(world: World, target: Api) -> None:
    if target is not world.admin:  # the last active admin cannot be deactivated
        ok(await world.admin.post(f"/api/v1/users/{target.user['id']}/deactivate"))


async def _still_deactivated_then_reactivate(world: World, target: Api) -> None:
    if target is not world.admin:
        colleagues = ok(await world.admin.get(f"/api/v1/organizations/{target.user['organization_id']}/users"))["items"]
        assert next(user for user in colleagues if user["id"] == target.user["id"])["active"] is False
        ok(await world.admin.post(f"/api/v1/users/{target.user['id']}/reactivate"))


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/users/{user_id}/tokens"): Case(_issue_token),
    ("GET", "/api/v1/users/{user_id}/tokens"): Case(_list_tokens),
    ("POST", "/api/v1/users/{user_id}/invitations"): Case(_invite),
    ("DELETE", "/api/v1/tokens/{token_id}"): Case(_revoke_token),
    ("PATCH", "/api/v1/users/{user_id}"): Case(_update_user),
    ("POST", "/api/v1/users/{user_id}/deactivate"): Case(_deactivate),
    ("POST", "/api/v1/users/{user_id}/reactivate"): Case(_reactivate, before=_deactivate_target, after=_still_deactivated_then_reactivate),
    ("POST", "/api/v1/organizations/{organization_id}/users"): Case(_create_user, refusals=frozenset({403, 404, 422})),
    ("GET", "/api/v1/organizations/{organization_id}/users"): Case(_list_users, allowed=_administers_organization_of),
}
"""One case for every operation on users or tokens; ``test_every_identity_route_has_a_case`` keeps it complete."""


def identity_operations(app: Litestar) -> set[tuple[str, str]]:
    """Every method and path of the API that names users or tokens (the web pages call the same services)."""
    return {
        (method, re.sub(r"\{(\w+):\w+\}", r"{\1}", path))
        for path, handlers in app.route_handler_method_map.items()
        if path.startswith("/api/") and ("/users" in path or "/tokens" in path)
        for method in handlers
        if method not in {"OPTIONS", "HEAD"}
    }


async def test_every_identity_route_has_a_case(client: AsyncTestClient) -> None:
    routes = identity_operations(client.app)
    assert routes - set(CASES) == set(), "identity routes without a privilege case: add them to CASES"
    assert set(CASES) - routes == set(), "privilege cases for routes that do not exist"


async def test_the_world_has_every_role(world: World) -> None:
    assert {role for actor in world.actors for role in actor.user["roles"]} == set(Role) - {Role.admin}
    assert all(world.above(actor) for actor in world.actors)


@pytest.mark.parametrize("operation", sorted(CASES), ids=" ".join)
async def test_no_role_acts_on_a_user_standing_higher(world: World, operation: tuple[str, str]) -> None:
    case = CASES[operation]
    before = await world.snapshot()
    for actor in world.actors:
        for target in world.above(actor):
            await case.before(world, target)
            expected = {200} if case.allowed(actor, target) else case.refusals
            for response in await case.attempt(world, actor, target):
                who = f"{actor.user['roles']} on {target.user['roles']}"
                assert response.status_code in expected, (who, response.status_code, response.text)
            await case.after(world, target)
    assert await world.snapshot() == before
    librarian = next(user for user in world.actors if Role.library_editor in user.user["roles"])
    await case.before(world, librarian)
    assert all(response.is_success for response in await case.attempt(world, world.admin, librarian)), "registry admins manage everyone"


async def test_org_admin_beside_the_registry_admin_cannot_act_as_them(admin: Api) -> None:
    me = ok(await admin.get("/api/v1/me"))
    org_admin = await admin.create_user(me["organization_id"], "org_admin")
    tokens = f"/api/v1/users/{me['user_id']}/tokens"
    problem(await org_admin.post(tokens, json={"name": "forever", "expires_in_days": None}), 403)
    problem(await org_admin.post(tokens, json={"name": "default"}), 403)
    problem(await org_admin.get(tokens), 403)
    problem(await org_admin.patch(f"/api/v1/users/{me['user_id']}", json={"roles": ["org_admin"]}), 403)
    assert ok(await admin.get("/api/v1/me"))["roles"] == ["admin"]


async def test_org_admin_manages_colleagues_without_admin_granted_roles(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    org_admin = await admin.create_user(municipality, "org_admin")
    librarian = await org_admin.create_user(municipality, "procurement_officer")  # whom the registry admin then makes a library editor
    ok(await admin.patch(f"/api/v1/users/{librarian.user['id']}", json={"roles": ["procurement_officer", "library_editor"]}))
    body = problem(await org_admin.post(f"/api/v1/users/{librarian.user['id']}/tokens", json={"name": "act as"}), 403)
    assert "registry admin" in body["detail"]
    problem(await org_admin.patch(f"/api/v1/users/{librarian.user['id']}", json={"roles": ["procurement_officer"]}), 403)
    problem(await org_admin.post(f"/api/v1/users/{librarian.user['id']}/deactivate"), 403)

    officer = await org_admin.create_user(municipality, "procurement_officer")
    path = f"/api/v1/users/{officer.user['id']}"
    assert (await org_admin.post(f"{path}/tokens", json={"name": "colleague"})).status_code == 201
    assert ok(await org_admin.get(f"{path}/tokens"))["total"] == 2
    assert ok(await org_admin.patch(path, json={"roles": ["procurement_officer", "org_admin"]}))["roles"] == ["procurement_officer", "org_admin"]
    assert ok(await org_admin.post(f"{path}/deactivate"))["active"] is False


async def test_users_manage_their_own_tokens(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    librarian = await admin.create_user(municipality, "library_editor")
    path = f"/api/v1/users/{librarian.user['id']}/tokens"
    issued = ok(await librarian.post(path, json={"name": "laptop"}))
    assert ok(await librarian.get(path))["total"] == 2
    assert (await librarian.delete(f"/api/v1/tokens/{issued['id']}")).status_code == 204


async def test_a_token_minted_by_a_short_lived_token_expires_and_dies_with_it(admin: Api) -> None:
    supplier = (await admin.create_org("supplier"))["id"]
    editor = await admin.create_user(supplier, "supplier_editor")
    tokens = f"/api/v1/users/{editor.user['id']}/tokens"
    day = ok(await admin.post(tokens, json={"name": "one day", "expires_in_days": 1}))
    one_day = Api(admin.client, day["token"])
    body = problem(await one_day.post(tokens, json={"name": "forever", "expires_in_days": None}), 422)
    assert body["errors"][0]["field"] == "expires_in_days"
    child = ok(await one_day.post(tokens, json={"name": "child"}))
    assert child["parent_id"] == day["id"] and expires_at(child) <= expires_at(day)
    grandchild = ok(await Api(admin.client, child["token"]).post(tokens, json={"name": "grandchild", "expires_in_days": 1}))
    assert expires_at(grandchild) <= expires_at(day)

    assert (await editor.delete(f"/api/v1/tokens/{day['id']}")).status_code == 204
    for secret in (child["token"], grandchild["token"]):
        problem(await Api(admin.client, secret).get("/api/v1/me"), 401)
    assert (await editor.get("/api/v1/me")).status_code == 200


async def test_an_admin_token_mints_nothing_outliving_it(admin: Api) -> None:
    me = ok(await admin.get("/api/v1/me"))
    tokens = f"/api/v1/users/{me['user_id']}/tokens"
    day = ok(await admin.post(tokens, json={"name": "one day", "expires_in_days": 1}))
    child = ok(await Api(admin.client, day["token"]).post(tokens, json={"name": "forever", "expires_in_days": None}))
    assert expires_at(child) == expires_at(day)


async def test_token_lifetime_has_a_configurable_maximum(settings: Settings) -> None:
    async with AsyncTestClient(create_app(msgspec.structs.replace(settings, max_token_days=30))) as client:
        admin = Api(client, ADMIN_TOKEN)
        editor = await admin.create_user((await admin.create_org("supplier"))["id"], "supplier_editor")
        tokens = f"/api/v1/users/{editor.user['id']}/tokens"
        default = ok(await editor.post(tokens, json={"name": "default"}))
        assert abs(expires_at(default) - datetime.now(UTC) - timedelta(days=30)) < timedelta(minutes=1)
        for too_long in (31, None):
            body = problem(await editor.post(tokens, json={"name": "long", "expires_in_days": too_long}), 422)
            assert body["errors"][0]["field"] == "expires_in_days" and "30" in body["detail"]
        assert expires_at(ok(await admin.post(tokens, json={"name": "long", "expires_in_days": 400}))) > datetime.now(UTC) + timedelta(days=399)
        assert ok(await admin.post(tokens, json={"name": "forever", "expires_in_days": None}))["expires_at"] is None


def test_max_token_days_setting() -> None:
    assert Settings.from_env({}).max_token_days == 365
    assert Settings.from_env({"REGISTRY_MAX_TOKEN_DAYS": "7"}).max_token_days == 7
    with pytest.raises(SettingsError, match="REGISTRY_MAX_TOKEN_DAYS"):
        Settings.from_env({"REGISTRY_MAX_TOKEN_DAYS": "0"})


async def test_deactivation_stops_all_of_a_users_tokens_until_reactivated(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    org_admin = await admin.create_user(municipality, "org_admin")
    officer = await org_admin.create_user(municipality, "procurement_officer")
    laptop = Api(admin.client, ok(await officer.post(f"/api/v1/users/{officer.user['id']}/tokens", json={"name": "laptop"}))["token"])
    unknown = problem(await Api(admin.client, "wtr_no-such-token-anywhere-in-the-registry-at-all").get("/api/v1/me"), 401)

    user = ok(await org_admin.post(f"/api/v1/users/{officer.user['id']}/deactivate"))
    assert user["active"] is False and user["deactivated_at"]
    for api in (officer, laptop):
        assert problem(await api.get("/api/v1/me"), 401)["detail"] == unknown["detail"]
    listed = ok(await org_admin.get(f"/api/v1/organizations/{municipality}/users"))["items"]
    assert next(u for u in listed if u["id"] == officer.user["id"])["active"] is False
    assert ok(await org_admin.post(f"/api/v1/users/{officer.user['id']}/deactivate"))["deactivated_at"] == user["deactivated_at"]

    user = ok(await org_admin.post(f"/api/v1/users/{officer.user['id']}/reactivate"))
    assert user["active"] is True and user["deactivated_at"] is None
    for api in (officer, laptop):
        assert (await api.get("/api/v1/me")).status_code == 200
    audit = ok(await org_admin.get("/api/v1/audit", params={"entity_id": officer.user["id"]}))
    assert {"user.deactivate", "user.reactivate"} <= {event["action"] for event in audit["items"]}


async def test_the_last_active_admin_stays(admin: Api) -> None:
    me = ok(await admin.get("/api/v1/me"))
    myself = f"/api/v1/users/{me['user_id']}"
    assert "last active admin" in problem(await admin.post(f"{myself}/deactivate"), 409)["detail"]
    problem(await admin.patch(myself, json={"roles": ["org_admin"]}), 409)

    second = await admin.create_user(me["organization_id"], "admin")
    ok(await second.post(f"{myself}/deactivate"))
    other = f"/api/v1/users/{second.user['id']}"
    problem(await second.post(f"{other}/deactivate"), 409)
    problem(await second.patch(other, json={"roles": []}), 409)
    ok(await second.post(f"{myself}/reactivate"))
    assert ok(await second.patch(other, json={"roles": ["org_admin"]}))["roles"] == ["org_admin"]
    assert ok(await admin.get("/api/v1/me"))["roles"] == ["admin"]


async def test_two_admins_deactivating_each_other_at_once_leave_one(admin: Api, database_url: str) -> None:
    me = ok(await admin.get("/api/v1/me"))
    second = await admin.create_user(me["organization_id"], "admin")
    first_id, second_id, authority = UUID(me["user_id"]), UUID(second.user["id"]), UUID(me["organization_id"])
    database = Database(database_url)

    async def deactivate(actor_id: UUID, target_id: UUID) -> None:
        async with database.writes.begin() as session:
            await set_user_active(session, Principal(actor_id, authority, "authority", frozenset({Role.admin})), target_id, active=False)
            await asyncio.sleep(0.2)  # hold the transaction open so that the other one overlaps it

    try:
        results = await asyncio.gather(deactivate(first_id, second_id), deactivate(second_id, first_id), return_exceptions=True)
    finally:
        await database.dispose()
    assert sorted(type(result).__name__ for result in results) == ["Conflict", "NoneType"]


async def _restart(settings: Settings, secret: str = ADMIN_TOKEN) -> dict[str, Any]:
    """Start the application again with ``secret`` as the bootstrap token; who that token is now."""
    async with AsyncTestClient(create_app(msgspec.structs.replace(settings, bootstrap_admin_token=secret))) as client:
        return ok(await Api(client, secret).get("/api/v1/me"))


BROKEN_ADMIN = {
    "demoted": [update(User).where(User.email == BOOTSTRAP_EMAIL).values(roles=["org_admin"])],
    "deactivated": [update(User).where(User.email == BOOTSTRAP_EMAIL).values(deactivated_at=datetime(2026, 1, 1, tzinfo=UTC))],
    "demoted with the token revoked": [
        update(User).where(User.email == BOOTSTRAP_EMAIL).values(roles=[]),
        update(ApiToken).values(revoked_at=datetime(2026, 1, 1, tzinfo=UTC), expires_at=datetime(2026, 1, 2, tzinfo=UTC)),
    ],
}


@pytest.mark.parametrize("state", sorted(BROKEN_ADMIN))
async def test_bootstrap_restores_the_admin_whatever_became_of_them(admin: Api, settings: Settings, database_url: str, state: str) -> None:
    before = ok(await admin.get("/api/v1/me"))
    await execute(database_url, *BROKEN_ADMIN[state])
    me = await _restart(settings)
    assert me["user_id"] == before["user_id"] and "admin" in me["roles"]


async def test_bootstrap_with_a_new_token_restores_the_admin_by_email(admin: Api, settings: Settings, database_url: str) -> None:
    before = ok(await admin.get("/api/v1/me"))
    await execute(database_url, update(User).where(User.email == BOOTSTRAP_EMAIL).values(roles=["org_admin"]))
    assert (await _restart(settings, "wtr_" + "n" * 40))["user_id"] == before["user_id"]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The command line on a fresh data directory; ``serve`` checks everything but does not listen."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    runner = CliRunner()
    env = {"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_DATABASE_URL": "", "REGISTRY_SEED_LIBRARY": "false"}

    def invoke(*args: str, **extra_env: str) -> Any:
        return runner.invoke(main, list(args), env=env | extra_env, catch_exceptions=False)

    return invoke


def _stored_expiry(data_dir: Path, token_prefix: str) -> datetime | None:
    with sqlite3.connect(data_dir / "registry.db") as connection:
        (value,) = connection.execute("SELECT expires_at FROM api_token WHERE prefix = ?", (token_prefix[:10],)).fetchone()
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def test_operator_tokens_from_the_command_line(run: Callable[..., Any], tmp_path: Path) -> None:
    assert run("migrate").exit_code == 0
    admin_token = run("admin", "create-admin").output.strip()
    assert _stored_expiry(tmp_path, admin_token) is None
    org = run("admin", "create-org", "--kind", "supplier", "--name", "Firm", "--country", "NO", "--org-number", valid_org_number("NO"))
    user = run("admin", "create-user", "--org", org.output.strip(), "--name", "Kari", "--email", "kari@firm.example").output.strip()
    token = run("admin", "create-token", "--user", user, REGISTRY_MAX_TOKEN_DAYS="10").output.strip()
    assert abs(_stored_expiry(tmp_path, token) - datetime.now(UTC) - timedelta(days=10)) < timedelta(minutes=1)
    token = run("admin", "create-token", "--user", user, "--expires-days", "400").output.strip()
    assert _stored_expiry(tmp_path, token) > datetime.now(UTC) + timedelta(days=399)


def test_create_admin_restores_a_demoted_admin(run: Callable[..., Any], tmp_path: Path) -> None:
    assert run("migrate").exit_code == 0
    assert run("admin", "create-admin").exit_code == 0
    with sqlite3.connect(tmp_path / "registry.db") as connection:
        connection.execute("UPDATE user_account SET roles = '[]', deactivated_at = '2026-01-01 00:00:00.000000'")
    result = run("admin", "create-admin")
    assert result.exit_code == 0 and result.output.strip().startswith("wtr_")
    with sqlite3.connect(tmp_path / "registry.db") as connection:
        assert connection.execute("SELECT roles, deactivated_at FROM user_account").fetchall() == [('["admin"]', None)]


def test_serve_says_what_to_do_when_the_bootstrap_email_is_taken(run: Callable[..., Any]) -> None:
    assert run("migrate").exit_code == 0
    org = run("admin", "create-org", "--kind", "municipality", "--name", "Oslo", "--country", "NO", "--org-number", valid_org_number("NO"))
    assert run("admin", "create-user", "--org", org.output.strip(), "--name", "Not admin", "--email", BOOTSTRAP_EMAIL).exit_code == 0
    result = run("serve", REGISTRY_BOOTSTRAP_ADMIN_TOKEN="wtr_" + "b" * 40)
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and BOOTSTRAP_EMAIL in result.output and "create-admin" in result.output
