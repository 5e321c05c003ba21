"""Organizations, federations, users and the audit trail through the API."""

from __future__ import annotations

import asyncio

from tests.support import Api, not_found, problem, valid_org_number


async def test_register_organizations_of_every_country(admin: Api) -> None:
    for country in ("NO", "SE", "DK", "FI"):
        org = await admin.create_org("municipality", country)
        assert org["country"] == country and org["org_number"]
    listed = (await admin.get("/api/v1/organizations", params={"country": "SE"})).json()
    assert listed["total"] == 1 and listed["items"][0]["country"] == "SE"


async def test_a_users_token_speaks_for_them_their_organization_and_its_kind(admin: Api) -> None:
    for kind, role in (("municipality", "procurement_officer"), ("supplier", "supplier_editor"), ("federation", "org_admin")):
        organization = await admin.create_org(kind)
        user = await admin.create_user(organization["id"], role)
        me = (await user.get("/api/v1/me")).json()
        assert me == {"user_id": user.user["id"], "organization_id": organization["id"], "organization_kind": kind, "roles": [role]}


async def test_wrong_org_number_is_422_naming_the_rule(admin: Api) -> None:
    body = problem(
        await admin.post("/api/v1/organizations", json={"kind": "supplier", "name": "X", "country": "NO", "org_number": "974760674"}),
        422,
    )
    assert body["errors"][0]["field"] == "org_number"
    assert "check digit" in body["detail"] or "mod 11" in body["detail"]
    body = problem(await admin.post("/api/v1/organizations", json={"kind": "supplier", "name": "X", "country": "DK", "org_number": "1234"}), 422)
    assert "8" in body["detail"]
    problem(await admin.post("/api/v1/organizations", json={"kind": "supplier", "name": "X", "country": "SE"}), 422)


async def test_swedish_number_with_century_is_normalized_and_duplicates_conflict(admin: Api) -> None:
    ten = valid_org_number("SE")
    digits = ten.replace("-", "")
    created = await admin.post("/api/v1/organizations", json={"kind": "supplier", "name": "AB", "country": "SE", "org_number": "16" + digits})
    assert created.status_code == 201 and created.json()["org_number"] == ten
    again = await admin.post("/api/v1/organizations", json={"kind": "supplier", "name": "AB 2", "country": "SE", "org_number": ten})
    problem(again, 409)


async def test_federation_members(admin: Api) -> None:
    federation = await admin.create_org("federation")
    coordinator = await admin.create_user(federation["id"], "federation_coordinator")
    towns = [await admin.create_org("municipality") for _ in range(3)]
    supplier = await admin.create_org("supplier")
    for town in towns:
        response = await coordinator.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": town["id"]})
        assert response.status_code == 201
    members = (await coordinator.get(f"/api/v1/organizations/{federation['id']}/members")).json()["items"]
    assert sorted(m["id"] for m in members) == sorted(t["id"] for t in towns)
    problem(await coordinator.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": towns[0]["id"]}), 409)
    body = problem(await coordinator.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": supplier["id"]}), 422)
    assert body["errors"][0]["field"] == "municipality_id"
    problem(await admin.post(f"/api/v1/organizations/{towns[0]['id']}/members", json={"municipality_id": towns[1]["id"]}), 422)
    assert (await coordinator.delete(f"/api/v1/organizations/{federation['id']}/members/{towns[0]['id']}")).status_code == 204
    not_found(
        await coordinator.delete(f"/api/v1/organizations/{federation['id']}/members/{towns[0]['id']}"),
        f"organization {towns[0]['id']} is not a member of {federation['name']}",
    )
    assert (await coordinator.get(f"/api/v1/organizations/{federation['id']}/members")).json()["total"] == 2


async def test_members_users_and_tokens_are_paged(admin: Api) -> None:
    federation = await admin.create_org("federation")
    towns = [await admin.create_org("municipality", name=f"Town {n}") for n in range(3)]
    for town in towns:
        await admin.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": town["id"]})
    users = sorted([(await admin.create_user(federation["id"], "federation_coordinator")).user for _ in range(3)], key=lambda u: u["name"])
    tokens = f"/api/v1/users/{users[0]['id']}/tokens"
    for name in ("second", "third"):
        await admin.post(tokens, json={"name": name})
    ordered = {
        f"/api/v1/organizations/{federation['id']}/members": ("id", [t["id"] for t in towns]),
        f"/api/v1/organizations/{federation['id']}/users": ("id", [u["id"] for u in users]),
        tokens: ("name", ["test", "second", "third"]),
    }
    for path, (field, values) in ordered.items():
        listed = (await admin.get(path, params={"limit": 1, "offset": 1})).json()
        assert (listed["total"], listed["limit"], listed["offset"]) == (3, 1, 1)
        assert [item[field] for item in listed["items"]] == values[1:2]
        problem(await admin.get(path, params={"limit": 201}), 400)


async def test_another_federation_cannot_change_members(admin: Api) -> None:
    first, second = await admin.create_org("federation"), await admin.create_org("federation")
    outsider = await admin.create_user(second["id"], "federation_coordinator")
    town = await admin.create_org("municipality")
    problem(await outsider.post(f"/api/v1/organizations/{first['id']}/members", json={"municipality_id": town["id"]}), 403)


async def test_roles_must_fit_the_organization(admin: Api) -> None:
    supplier = await admin.create_org("supplier")
    body = problem(
        await admin.post(
            f"/api/v1/organizations/{supplier['id']}/users",
            json={"name": "A", "email": "a@example.org", "roles": ["supplier_editor", "procurement_officer"]},
        ),
        422,
    )
    assert body["errors"] == [{"field": "roles[1]", "message": "procurement_officer is for organizations of kind municipality, not supplier"}]
    org_admin = await admin.create_user(supplier["id"], "org_admin")
    body = problem(
        await org_admin.post(
            f"/api/v1/organizations/{supplier['id']}/users", json={"name": "B", "email": "b@example.org", "roles": ["library_editor"]}
        ),
        422,
    )
    assert "registry admin" in body["errors"][0]["message"]
    problem(await admin.post(f"/api/v1/organizations/{supplier['id']}/users", json={"name": "C", "email": "not-an-email"}), 400)


async def test_audit_trail_records_changes_per_organization(admin: Api) -> None:
    federation = await admin.create_org("federation")
    fed_admin = await admin.create_user(federation["id"], "org_admin", "federation_coordinator")
    town = await admin.create_org("municipality")
    await fed_admin.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": town["id"]})
    own = (await fed_admin.get("/api/v1/audit")).json()
    actions = [e["action"] for e in own["items"]]
    assert "federation.member.add" in actions and "organization.create" in actions
    assert all(e["organization_id"] == federation["id"] for e in own["items"])
    assert all(e["request_id"] for e in own["items"] if e["action"] == "federation.member.add")
    problem(await fed_admin.get("/api/v1/audit", params={"organization_id": town["id"]}), 403)
    everything = (await admin.get("/api/v1/audit", params={"limit": 200})).json()
    assert everything["total"] > own["total"]


async def test_failed_write_leaves_no_record(admin: Api) -> None:
    before = (await admin.get("/api/v1/audit")).json()["total"]
    supplier = await admin.create_org("supplier")
    await admin.post(f"/api/v1/organizations/{supplier['id']}/users", json={"name": "A", "email": "dup@example.org"})
    problem(await admin.post(f"/api/v1/organizations/{supplier['id']}/users", json={"name": "B", "email": "DUP@example.org"}), 409)
    users = (await admin.get(f"/api/v1/organizations/{supplier['id']}/users")).json()["items"]
    assert [u["name"] for u in users] == ["A"]
    assert (await admin.get("/api/v1/audit")).json()["total"] == before + 2


async def test_fifty_concurrent_writes_all_succeed(admin: Api) -> None:
    results = await asyncio.gather(
        *(
            admin.post("/api/v1/organizations", json={"kind": "supplier", "name": f"Firm {i}", "country": "DK", "org_number": valid_org_number("DK")})
            for i in range(50)
        )
    )
    assert [r.status_code for r in results] == [201] * 50
    assert (await admin.get("/api/v1/organizations", params={"kind": "supplier"})).json()["total"] == 50
