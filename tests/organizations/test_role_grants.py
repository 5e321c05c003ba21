"""Users and the roles they are granted, rule by rule.

A role fits organizations of certain kinds (admin: the registry's authority; procurement_officer:
municipalities; federation_coordinator: federations; supplier_editor: suppliers; org_admin and
library_editor: any). Registry admins grant every role; an organization admin grants the rest to
their own organization's users, and manages those of them who hold no role only registry admins
grant. Another organization's users are hidden (404). The last active admin stays one; the operator
(no actor) may do anything, and can always get an admin back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.models import AuditEvent
from registry.auth.principal import ROLE_ORG_KINDS, Principal, Role
from registry.auth.service import BOOTSTRAP_EMAIL
from registry.db.transactions import Database
from registry.organizations import schemas, service
from registry.organizations.models import Organization, User
from registry.problems import Conflict, NotFound
from tests.support import Api, in_transaction, ok, problem

KINDS = ["authority", "municipality", "federation", "supplier"]
ADMIN_ONLY = "only a registry admin manages users holding admin or library_editor"
_emails = iter(range(1, 10_000))


def fits(role: Role, kind: str) -> bool:
    return role not in ROLE_ORG_KINDS or kind in ROLE_ORG_KINDS[role]


def misfit(index: int, role: Role, kind: str) -> dict[str, str]:
    kinds = ", ".join(sorted(ROLE_ORG_KINDS[role]))
    return {"field": f"roles[{index}]", "message": f"{role} is for organizations of kind {kinds}, not {kind}"}


def registry_admin_only(index: int, role: Role) -> dict[str, str]:
    return {"field": f"roles[{index}]", "message": f"only the registry admin grants {role}"}


def new_user(*roles: str, name: str | None = None) -> dict[str, Any]:
    n = next(_emails)
    return {"name": name or f"Grantee {n}", "email": f"grantee{n}@example.org", "roles": list(roles)}


async def organization_of(admin: Api, kind: str) -> str:
    if kind == "authority":
        return ok(await admin.get("/api/v1/me"))["organization_id"]
    return (await admin.create_org(kind))["id"]


async def users_of(admin: Api, organization_id: str) -> list[dict[str, Any]]:
    return ok(await admin.get(f"/api/v1/organizations/{organization_id}/users", params={"limit": 200}))["items"]


async def events(admin: Api, entity_id: str, action: str) -> list[dict[str, Any]]:
    return ok(await admin.get("/api/v1/audit", params={"entity_id": entity_id, "action": action}))["items"]


async def change(database: Database, *statements: Any) -> None:
    """Change the database behind the application's back, as an operator could have."""

    async def run(session: AsyncSession) -> None:
        for statement in statements:
            await session.execute(statement)

    await in_transaction(database, run)


def principal(user: dict[str, Any], kind: str) -> Principal:
    return Principal(UUID(user["id"]), UUID(user["organization_id"]), kind, frozenset(user["roles"]))  # type: ignore[arg-type]


# Which role fits which organization, and who grants it


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", list(Role))
async def test_the_registry_admin_grants_a_role_where_it_fits(admin: Api, role: Role, kind: str) -> None:
    organization = await organization_of(admin, kind)
    response = await admin.post(f"/api/v1/organizations/{organization}/users", json=new_user(role))
    if fits(role, kind):
        assert ok(response, 201)["roles"] == [role]
    else:
        body = problem(response, 422)
        assert (body["title"], body["detail"], body["errors"]) == ("Rule violated", "roles do not fit", [misfit(0, role, kind)])
    assert [u["roles"] for u in await users_of(admin, organization)][-1:] == (
        [[role]] if fits(role, kind) else [[Role.admin]] if kind == "authority" else []
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", list(Role))
async def test_an_organization_admin_grants_what_fits_but_admin_and_library_editor(admin: Api, role: Role, kind: str) -> None:
    organization = await organization_of(admin, kind)
    org_admin = await admin.create_user(organization, Role.org_admin)
    colleague = await org_admin.create_user(organization)
    created = await org_admin.post(f"/api/v1/organizations/{organization}/users", json=new_user(role))
    updated = await org_admin.patch(f"/api/v1/users/{colleague.user['id']}", json={"roles": [role]})
    if not fits(role, kind):
        expected = misfit(0, role, kind)
    elif role in (Role.admin, Role.library_editor):
        expected = registry_admin_only(0, role)
    else:
        assert ok(created, 201)["roles"] == [role] and ok(updated)["roles"] == [role]
        return
    for response in (created, updated):
        assert problem(response, 422)["errors"] == [expected]
    assert [u["roles"] for u in await users_of(admin, organization) if u["id"] == colleague.user["id"]] == [[]]


async def test_every_role_that_does_not_fit_is_named_by_its_place(admin: Api) -> None:
    supplier = (await admin.create_org("supplier"))["id"]
    roles = [Role.org_admin, Role.procurement_officer, Role.supplier_editor, Role.admin, Role.federation_coordinator]
    body = problem(await admin.post(f"/api/v1/organizations/{supplier}/users", json=new_user(*roles)), 422)
    assert body["errors"] == [
        misfit(1, Role.procurement_officer, "supplier"),
        misfit(3, Role.admin, "supplier"),
        misfit(4, Role.federation_coordinator, "supplier"),
    ]
    assert await users_of(admin, supplier) == []


async def test_an_organization_admin_hears_of_every_role_beyond_them(admin: Api) -> None:
    authority = await organization_of(admin, "authority")
    org_admin = await admin.create_user(authority, Role.org_admin)
    body = problem(
        await org_admin.post(f"/api/v1/organizations/{authority}/users", json=new_user(Role.org_admin, Role.library_editor, Role.admin)), 422
    )
    assert body["errors"] == [registry_admin_only(1, Role.library_editor), registry_admin_only(2, Role.admin)]


async def test_a_role_given_twice_is_held_once_and_errors_point_at_what_was_sent(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    created = ok(await admin.post(f"/api/v1/organizations/{municipality}/users", json=new_user("org_admin", "procurement_officer", "org_admin")), 201)
    assert created["roles"] == ["org_admin", "procurement_officer"]
    updated = ok(await admin.patch(f"/api/v1/users/{created['id']}", json={"roles": ["procurement_officer", "procurement_officer", "org_admin"]}))
    assert updated["roles"] == ["procurement_officer", "org_admin"]
    body = problem(await admin.post(f"/api/v1/organizations/{municipality}/users", json=new_user("org_admin", "org_admin", "supplier_editor")), 422)
    assert body["errors"] == [misfit(2, Role.supplier_editor, "municipality")]


async def test_the_operator_grants_any_fitting_role(admin: Api, database: Database) -> None:
    municipality = UUID((await admin.create_org("municipality"))["id"])
    data = schemas.UserCreate(name="Bibliotekar", email="Bib@Example.org", roles=[Role.library_editor, Role.org_admin, Role.library_editor])
    user = await in_transaction(database, lambda s: service.create_user(s, None, municipality, data))
    assert (user.organization_id, user.name, user.email, user.roles) == (
        municipality,
        "Bibliotekar",
        "bib@example.org",
        [Role.library_editor, Role.org_admin],
    )
    assert user.active is True and user.deactivated_at is None
    [event] = await events(admin, str(user.id), "user.create")
    assert event["actor_user_id"] is None and event["details"] == {"roles": ["library_editor", "org_admin"]}

    unfit = schemas.UserCreate(name="X", email="x@example.org", roles=[Role.admin])
    with pytest.raises(Exception, match="roles do not fit") as refused:
        await in_transaction(database, lambda s: service.create_user(s, None, municipality, unfit))
    assert [(e.field, e.message) for e in refused.value.errors] == [("roles[0]", "admin is for organizations of kind authority, not municipality")]  # type: ignore[attr-defined]
    missing = uuid4()
    with pytest.raises(NotFound, match=f"no organization {missing}"):
        await in_transaction(database, lambda s: service.create_user(s, None, missing, unfit))


# Creating and listing users


async def test_a_new_user_reads_back_with_a_lowercased_email_and_an_audit_event(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    created = ok(
        await admin.post(
            f"/api/v1/organizations/{municipality}/users",
            json={"name": "Kari Nordmann", "email": "Kari@Kommune.NO", "roles": ["procurement_officer"]},
        ),
        201,
    )
    expected = {
        "organization_id": municipality,
        "name": "Kari Nordmann",
        "email": "kari@kommune.no",
        "roles": ["procurement_officer"],
        "active": True,
        "deactivated_at": None,
    }
    assert {k: created[k] for k in expected} == expected
    assert await users_of(admin, municipality) == [created]
    [event] = await events(admin, created["id"], "user.create")
    assert (event["entity_type"], event["organization_id"], event["details"]) == ("user", municipality, {"roles": ["procurement_officer"]})
    assert event["actor_user_id"] == ok(await admin.get("/api/v1/me"))["user_id"]


async def test_an_email_belongs_to_one_user_whatever_its_case(admin: Api) -> None:
    first, second = (await admin.create_org("supplier"))["id"], (await admin.create_org("municipality"))["id"]
    ok(await admin.post(f"/api/v1/organizations/{first}/users", json={"name": "A", "email": "Per@Example.org"}), 201)
    body = problem(await admin.post(f"/api/v1/organizations/{second}/users", json={"name": "B", "email": "PER@example.ORG"}), 409)
    assert (body["title"], body["detail"]) == ("Conflict", "a user with email per@example.org already exists")
    assert await users_of(admin, second) == []


async def test_an_email_taken_at_the_same_time_is_a_conflict_not_a_crash(admin: Api, database: Database) -> None:
    supplier = UUID((await admin.create_org("supplier"))["id"])

    async def race(session: AsyncSession) -> None:
        session.add(User(organization_id=supplier, name="Winner", email="race@example.org", roles=[]))  # not yet flushed: unseen
        with session.no_autoflush:
            await service.create_user(session, None, supplier, schemas.UserCreate(name="Loser", email="Race@example.org"))

    with pytest.raises(Conflict, match="^a user with email race@example.org already exists$"):
        await in_transaction(database, race)


async def test_users_are_listed_by_name_then_id_within_their_organization(admin: Api) -> None:
    supplier, other = (await admin.create_org("supplier"))["id"], (await admin.create_org("supplier"))["id"]
    twins = [ok(await admin.post(f"/api/v1/organizations/{supplier}/users", json=new_user(name="Twin")), 201) for _ in range(6)]
    first = ok(await admin.post(f"/api/v1/organizations/{supplier}/users", json=new_user(name="Anna")), 201)
    ok(await admin.post(f"/api/v1/organizations/{other}/users", json=new_user(name="Elsewhere")), 201)
    listed = ok(await admin.get(f"/api/v1/organizations/{supplier}/users"))
    assert listed["total"] == 7
    assert [u["id"] for u in listed["items"]] == [first["id"], *sorted(t["id"] for t in twins)]


async def test_another_organizations_users_are_hidden_from_an_organization_admin(admin: Api) -> None:
    own, other = (await admin.create_org("municipality"))["id"], (await admin.create_org("municipality"))["id"]
    org_admin = await admin.create_user(own, Role.org_admin)
    stranger = await admin.create_user(other, Role.procurement_officer)
    for response in (
        await org_admin.get(f"/api/v1/organizations/{other}/users"),
        await org_admin.post(f"/api/v1/organizations/{other}/users", json=new_user(Role.procurement_officer)),
    ):
        body = problem(response, 404)
        assert (body["title"], body["detail"]) == ("Not found", f"no users visible for organization {other}")
    path = f"/api/v1/users/{stranger.user['id']}"
    for response in (
        await org_admin.patch(path, json={"name": "Renamed"}),
        await org_admin.post(f"{path}/deactivate"),
        await org_admin.post(f"{path}/reactivate"),
        await org_admin.get(f"{path}/tokens"),
    ):
        assert problem(response, 404)["detail"] == f"no user {stranger.user['id']}"
    assert [u["name"] for u in await users_of(admin, other)] == [stranger.user["name"]]
    missing = uuid4()
    assert problem(await admin.get(f"/api/v1/organizations/{missing}/users"), 404)["detail"] == f"no organization {missing}"
    assert problem(await admin.patch(f"/api/v1/users/{missing}", json={"name": "X"}), 404)["detail"] == f"no user {missing}"


# Changing users


async def test_an_organization_admin_cannot_touch_a_colleague_holding_a_role_only_registry_admins_grant(admin: Api) -> None:
    authority = await organization_of(admin, "authority")
    org_admin = await admin.create_user(authority, Role.org_admin)
    for held in ([Role.library_editor], [Role.admin], [Role.org_admin, Role.library_editor]):
        colleague = await admin.create_user(authority, *held)
        path = f"/api/v1/users/{colleague.user['id']}"
        for response in (await org_admin.patch(path, json={"name": "Renamed"}), await org_admin.post(f"{path}/deactivate")):
            body = problem(response, 403)
            assert (body["title"], body["detail"]) == ("Not allowed", ADMIN_ONLY)
        [user] = [u for u in await users_of(admin, authority) if u["id"] == colleague.user["id"]]
        assert (user["name"], user["roles"], user["active"]) == (colleague.user["name"], held, True)


async def test_an_organization_admin_holding_library_editor_cannot_change_themselves(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    librarian = await admin.create_user(municipality, Role.org_admin, Role.library_editor)
    path = f"/api/v1/users/{librarian.user['id']}"
    for response in (await librarian.patch(path, json={"roles": ["org_admin"]}), await librarian.post(f"{path}/deactivate")):
        assert problem(response, 403)["detail"] == ADMIN_ONLY
    [user] = await users_of(admin, municipality)
    assert (user["roles"], user["active"]) == (["org_admin", "library_editor"], True)


async def test_a_partial_update_changes_only_what_it_names(admin: Api) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    org_admin = await admin.create_user(municipality, Role.org_admin)
    officer = await org_admin.create_user(municipality, Role.procurement_officer)
    path = f"/api/v1/users/{officer.user['id']}"
    renamed = ok(await org_admin.patch(path, json={"name": "Ola"}))
    assert (renamed["name"], renamed["roles"]) == ("Ola", ["procurement_officer"])
    regranted = ok(await org_admin.patch(path, json={"roles": ["org_admin"]}))
    assert (regranted["name"], regranted["roles"]) == ("Ola", ["org_admin"])
    assert ok(await org_admin.patch(path, json={}))["roles"] == ["org_admin"]
    [user] = [u for u in await users_of(admin, municipality) if u["id"] == officer.user["id"]]
    assert (user["name"], user["roles"]) == ("Ola", ["org_admin"])
    updates = await events(admin, officer.user["id"], "user.update")
    assert [e["details"] for e in updates] == [{"roles": ["org_admin"]}] * 2 + [{"roles": ["procurement_officer"]}]
    assert {(e["entity_type"], e["organization_id"], e["actor_user_id"]) for e in updates} == {("user", municipality, org_admin.user["id"])}


async def test_a_role_change_must_fit_the_users_organization(admin: Api) -> None:
    supplier = (await admin.create_org("supplier"))["id"]
    editor = await admin.create_user(supplier, Role.supplier_editor)
    body = problem(await admin.patch(f"/api/v1/users/{editor.user['id']}", json={"roles": ["supplier_editor", "procurement_officer"]}), 422)
    assert body["errors"] == [misfit(1, Role.procurement_officer, "supplier")]
    assert [u["roles"] for u in await users_of(admin, supplier)] == [["supplier_editor"]]
    assert await events(admin, editor.user["id"], "user.update") == []
    assert ok(await admin.patch(f"/api/v1/users/{editor.user['id']}", json={"roles": ["org_admin", "supplier_editor"]}))["roles"] == [
        "org_admin",
        "supplier_editor",
    ]
    [event] = await events(admin, editor.user["id"], "user.update")
    assert (event["organization_id"], event["details"]) == (supplier, {"roles": ["org_admin", "supplier_editor"]})


# The last active admin


async def test_the_last_active_admin_keeps_the_role_but_may_gain_others(admin: Api) -> None:
    me = ok(await admin.get("/api/v1/me"))
    path = f"/api/v1/users/{me['user_id']}"
    detail = f"{BOOTSTRAP_EMAIL} is the last active admin; make another user admin first"
    for response in (await admin.patch(path, json={"roles": ["org_admin"]}), await admin.post(f"{path}/deactivate")):
        body = problem(response, 409)
        assert (body["title"], body["detail"]) == ("Conflict", detail)
    assert ok(await admin.patch(path, json={"roles": ["admin", "library_editor"]}))["roles"] == ["admin", "library_editor"]
    assert ok(await admin.patch(path, json={"name": "Still admin"}))["roles"] == ["admin", "library_editor"]


async def test_a_deactivated_admin_does_not_count_as_another_admin(admin: Api) -> None:
    me = ok(await admin.get("/api/v1/me"))
    dormant = await admin.create_user(me["organization_id"], Role.admin)
    ok(await admin.post(f"/api/v1/users/{dormant.user['id']}/deactivate"))
    problem(await admin.patch(f"/api/v1/users/{me['user_id']}", json={"roles": []}), 409)
    assert ok(await admin.patch(f"/api/v1/users/{dormant.user['id']}", json={"roles": ["org_admin"]}))["roles"] == ["org_admin"]
    assert ok(await admin.post(f"/api/v1/users/{dormant.user['id']}/reactivate"))["active"] is True


async def test_users_who_are_not_admins_come_and_go_even_with_no_active_admin(admin: Api, database: Database) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    org_admin = await admin.create_user(municipality, Role.org_admin)
    officer = await org_admin.create_user(municipality, Role.procurement_officer)
    await change(database, update(User).where(User.email == BOOTSTRAP_EMAIL).values(deactivated_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert ok(await org_admin.post(f"/api/v1/users/{officer.user['id']}/deactivate"))["active"] is False
    assert ok(await org_admin.patch(f"/api/v1/users/{officer.user['id']}", json={"roles": []}))["roles"] == []


async def test_a_deactivated_admin_may_lose_the_role_with_no_active_admin_left(admin: Api, database: Database) -> None:
    me = ok(await admin.get("/api/v1/me"))
    dormant = await admin.create_user(me["organization_id"], Role.admin)
    ok(await admin.post(f"/api/v1/users/{dormant.user['id']}/deactivate"))
    await change(database, update(User).where(User.email == BOOTSTRAP_EMAIL).values(deactivated_at=datetime(2026, 1, 1, tzinfo=UTC)))
    actor = Principal(UUID(me["user_id"]), UUID(me["organization_id"]), "authority", frozenset({Role.admin}))
    demoted = await in_transaction(database, lambda s: service.update_user(s, actor, UUID(dormant.user["id"]), schemas.UserUpdate(roles=[])))
    assert demoted.roles == [] and demoted.active is False


# Deactivation


async def test_deactivating_or_reactivating_twice_is_harmless_and_recorded_once(admin: Api) -> None:
    supplier = (await admin.create_org("supplier"))["id"]
    editor = await admin.create_user(supplier, Role.supplier_editor)
    path = f"/api/v1/users/{editor.user['id']}"
    assert ok(await admin.post(f"{path}/reactivate")) == {**editor.user, "active": True, "deactivated_at": None}
    assert await events(admin, editor.user["id"], "user.reactivate") == []
    first = ok(await admin.post(f"{path}/deactivate"))
    assert first["active"] is False and first["deactivated_at"] is not None
    assert ok(await admin.post(f"{path}/deactivate")) == first
    [event] = await events(admin, editor.user["id"], "user.deactivate")
    me = ok(await admin.get("/api/v1/me"))["user_id"]
    assert (event["entity_type"], event["organization_id"], event["actor_user_id"]) == ("user", supplier, me)
    assert ok(await admin.post(f"{path}/reactivate"))["deactivated_at"] is None
    assert ok(await admin.post(f"{path}/reactivate"))["active"] is True
    [event] = await events(admin, editor.user["id"], "user.reactivate")
    assert (event["entity_type"], event["organization_id"], event["actor_user_id"]) == ("user", supplier, me)


# Accounts, as authentication and tokens see users


async def test_an_account_is_the_user_with_their_organizations_kind(admin: Api, database: Database) -> None:
    federation = (await admin.create_org("federation"))["id"]
    coordinator = await admin.create_user(federation, Role.federation_coordinator, Role.org_admin)
    user_id = UUID(coordinator.user["id"])
    account = await in_transaction(database, lambda s: service.account(s, user_id))
    assert account == schemas.Account(
        user_id, coordinator.user["email"], frozenset({"federation_coordinator", "org_admin"}), None, UUID(federation), "federation"
    )
    assert await in_transaction(database, lambda s: service.managed_account(s, None, user_id)) == account
    assert await in_transaction(database, lambda s: service.account(s, uuid4())) is None
    missing = uuid4()
    with pytest.raises(NotFound, match=f"no user {missing}"):
        await in_transaction(database, lambda s: service.managed_account(s, None, missing))


async def test_users_manage_their_own_account_only_when_asked_for_themselves(admin: Api, database: Database) -> None:
    municipality = (await admin.create_org("municipality"))["id"]
    officer = await admin.create_user(municipality, Role.procurement_officer)
    librarian = await admin.create_user(municipality, Role.library_editor, Role.org_admin)
    for user in (officer, librarian):
        mine = await in_transaction(
            database, lambda s, user=user: service.managed_account(s, principal(user.user, "municipality"), UUID(user.user["id"]), or_self=True)
        )
        assert mine.user_id == UUID(user.user["id"]) and mine.organization_kind == "municipality"
    with pytest.raises(NotFound, match=f"no user {officer.user['id']}"):
        await in_transaction(database, lambda s: service.managed_account(s, principal(officer.user, "municipality"), UUID(officer.user["id"])))
    with pytest.raises(Exception, match=ADMIN_ONLY):
        await in_transaction(database, lambda s: service.managed_account(s, principal(librarian.user, "municipality"), UUID(librarian.user["id"])))
    other = await admin.create_user(municipality, Role.procurement_officer)
    with pytest.raises(NotFound, match=f"no user {other.user['id']}"):
        await in_transaction(
            database, lambda s: service.managed_account(s, principal(officer.user, "municipality"), UUID(other.user["id"]), or_self=True)
        )
    assert ok(await officer.get(f"/api/v1/users/{officer.user['id']}/tokens"))["total"] == 1


async def test_the_active_admin_is_the_earliest_created_one_still_active(admin: Api, database: Database) -> None:
    me = ok(await admin.get("/api/v1/me"))
    first = await in_transaction(database, service.active_admin)
    assert first is not None and (first.user_id, first.email, first.organization_kind) == (UUID(me["user_id"]), BOOTSTRAP_EMAIL, "authority")
    colleague = await admin.create_user(me["organization_id"], Role.org_admin)
    second = await admin.create_user(me["organization_id"], Role.admin)
    assert (await in_transaction(database, service.active_admin)) == first
    await change(
        database,
        update(User).where(User.id == UUID(colleague.user["id"])).values(created_at=datetime(2019, 1, 1, tzinfo=UTC)),
        update(User).where(User.id == UUID(second.user["id"])).values(created_at=datetime(2020, 1, 1, tzinfo=UTC)),
    )
    earlier = await in_transaction(database, service.active_admin)
    assert earlier is not None and earlier.user_id == UUID(second.user["id"]) and Role.admin in earlier.roles
    await change(database, update(User).where(User.id == UUID(second.user["id"])).values(deactivated_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert (await in_transaction(database, service.active_admin)) == first
    await change(database, update(User).values(deactivated_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert await in_transaction(database, service.active_admin) is None


async def test_with_no_admin_at_all_the_operator_gets_a_new_one(database: Database) -> None:
    account = await in_transaction(database, lambda s: service.restore_or_create_admin(s, "ops@example.org"))
    assert (account.email, account.roles, account.deactivated_at, account.organization_kind) == (
        "ops@example.org",
        frozenset({"admin"}),
        None,
        "authority",
    )

    async def stored(session: AsyncSession) -> tuple[Any, ...]:
        user = await session.get(User, account.user_id)
        organization = await session.get(Organization, account.organization_id)
        event = await session.scalar(select(AuditEvent).where(AuditEvent.entity_id == str(account.user_id)))
        assert user is not None and organization is not None and event is not None
        return (
            (user.name, user.email, user.roles, user.organization_id),
            (organization.kind, organization.name, organization.country, organization.org_number),
            (event.action, event.entity_type, event.organization_id, event.actor_user_id),
        )

    assert await in_transaction(database, stored) == (
        ("Administrator", "ops@example.org", ["admin"], account.organization_id),
        ("authority", "Registry administration", "NO", None),
        ("admin.create", "user", account.organization_id, None),
    )
    assert await in_transaction(database, service.active_admin) == account


async def test_the_operator_restores_a_demoted_admin_by_id_before_email(admin: Api, database: Database) -> None:
    me = ok(await admin.get("/api/v1/me"))
    other = await admin.create_user(me["organization_id"], Role.org_admin)
    await change(
        database,
        update(User).values(deactivated_at=datetime(2026, 1, 1, tzinfo=UTC)),
        update(User).where(User.email == BOOTSTRAP_EMAIL).values(roles=["org_admin"]),
    )
    restored = await in_transaction(database, lambda s: service.restore_or_create_admin(s, BOOTSTRAP_EMAIL, UUID(other.user["id"])))
    assert (restored.user_id, restored.roles, restored.deactivated_at) == (UUID(other.user["id"]), frozenset({"org_admin", "admin"}), None)
    # the restored admin's token works again, and they see themselves as they are stored
    [user] = [u for u in await users_of(other, me["organization_id"]) if u["id"] == other.user["id"]]
    assert (user["roles"], user["active"]) == (["org_admin", "admin"], True)
    [event] = await events(other, other.user["id"], "admin.restore")
    assert (event["entity_type"], event["organization_id"], event["actor_user_id"]) == ("user", me["organization_id"], None)

    by_email = await in_transaction(database, lambda s: service.restore_or_create_admin(s, BOOTSTRAP_EMAIL))
    assert (by_email.user_id, by_email.roles) == (UUID(me["user_id"]), frozenset({"org_admin", "admin"}))
    again = await in_transaction(database, lambda s: service.restore_or_create_admin(s, BOOTSTRAP_EMAIL))
    assert again.roles == frozenset({"org_admin", "admin"})
    [user] = [u for u in await users_of(other, me["organization_id"]) if u["id"] == me["user_id"]]
    assert user["roles"] == ["org_admin", "admin"]


async def test_a_user_outside_the_authority_is_never_made_admin(admin: Api, database: Database) -> None:
    supplier = await admin.create_org("supplier", name="Leverandør AS")
    editor = await admin.create_user(supplier["id"], Role.supplier_editor)
    email = editor.user["email"]
    with pytest.raises(Conflict) as refused:
        await in_transaction(database, lambda s: service.restore_or_create_admin(s, email))
    assert refused.value.detail == (
        f"the admin cannot be restored: {email} belongs to a user of Leverandør AS, a supplier; "
        "create an admin with `registry admin create-admin --email <another address>`"
    )
    assert [u["roles"] for u in await users_of(admin, supplier["id"])] == [["supplier_editor"]]
