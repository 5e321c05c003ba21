"""The organization directory and federation membership, rule by rule.

Every organization but an authority carries an organization number, valid by its country's rule and
unique within that country. Organizations are renamed by their own admins and registry admins alone.
Only municipalities join federations; a federation's coordinators and admins (and registry admins)
manage its members, nobody else. Each change leaves its audit event.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry.db.transactions import Database
from registry.organizations import schemas, service
from registry.organizations.models import Organization
from registry.problems import NotFound
from tests.support import Api, in_transaction, ok, problem, valid_org_number

ORGS = "/api/v1/organizations"


async def events(admin: Api, entity_id: str, action: str) -> list[dict[str, Any]]:
    return ok(await admin.get("/api/v1/audit", params={"entity_id": entity_id, "action": action}))["items"]


# Registration


@pytest.mark.parametrize("kind", ["municipality", "supplier", "federation"])
async def test_every_kind_but_an_authority_needs_an_organization_number(admin: Api, kind: str) -> None:
    body = problem(await admin.post(ORGS, json={"kind": kind, "name": "Numberless", "country": "NO"}), 422)
    assert body["detail"] == "an organization number is required"
    assert body["errors"] == [{"field": "org_number", "message": f"required for a {kind}"}]
    assert ok(await admin.get(ORGS, params={"q": "Numberless"}))["total"] == 0


async def test_authorities_need_no_number_and_several_may_go_without(admin: Api) -> None:
    first = ok(await admin.post(ORGS, json={"kind": "authority", "name": "Digdir", "country": "NO"}), 201)
    second = ok(await admin.post(ORGS, json={"kind": "authority", "name": "DIGG", "country": "NO"}), 201)
    assert first["org_number"] is None and second["org_number"] is None and first["id"] != second["id"]


async def test_an_authority_with_a_number_has_it_checked_and_normalized(admin: Api) -> None:
    number = valid_org_number("SE")
    created = ok(await admin.post(ORGS, json={"kind": "authority", "name": "Myndighet", "country": "SE", "org_number": number.replace("-", "")}), 201)
    assert created["org_number"] == number
    body = problem(await admin.post(ORGS, json={"kind": "authority", "name": "Bad", "country": "NO", "org_number": "12"}), 422)
    assert body["errors"] == [{"field": "org_number", "message": body["detail"]}]
    assert "9 digits" in body["detail"]


async def test_a_registered_organization_reads_back_as_given(admin: Api) -> None:
    number = valid_org_number("FI")
    created = ok(await admin.post(ORGS, json={"kind": "supplier", "name": "Oy Hoiva", "country": "FI", "org_number": number}), 201)
    assert {k: created[k] for k in ("kind", "name", "country", "org_number")} == {
        "kind": "supplier", "name": "Oy Hoiva", "country": "FI", "org_number": number,
    }  # fmt: skip
    assert ok(await admin.get(f"{ORGS}/{created['id']}")) == created
    [event] = await events(admin, created["id"], "organization.create")
    assert (event["entity_type"], event["entity_id"], event["organization_id"]) == ("organization", created["id"], created["id"])
    assert event["actor_user_id"] == ok(await admin.get("/api/v1/me"))["user_id"]


async def test_a_number_registered_twice_in_a_country_names_the_holder(admin: Api) -> None:
    number = valid_org_number("NO")
    first = ok(await admin.post(ORGS, json={"kind": "supplier", "name": "First AS", "country": "NO", "org_number": number}), 201)
    body = problem(await admin.post(ORGS, json={"kind": "municipality", "name": "Second", "country": "NO", "org_number": number}), 409)
    assert body["detail"] == f"organization number {number} (NO) is already registered as {first['id']}"
    assert body["errors"] == [{"field": "org_number", "message": "already registered"}]
    assert body["existing_id"] == first["id"]
    assert ok(await admin.get(ORGS, params={"q": number}))["total"] == 1


async def test_the_same_number_in_another_country_is_another_organization(admin: Api, database: Database) -> None:
    number = valid_org_number("NO")

    async def register_in_sweden(session: AsyncSession) -> None:  # no Swedish rule makes such a number; an import could
        session.add(Organization(kind="supplier", name="Svensk", country="SE", org_number=number))

    await in_transaction(database, register_in_sweden)
    created = ok(await admin.post(ORGS, json={"kind": "supplier", "name": "Norsk", "country": "NO", "org_number": number}), 201)
    assert created["org_number"] == number


async def test_an_unknown_organization_is_404_naming_it(admin: Api) -> None:
    missing = uuid4()
    assert problem(await admin.get(f"{ORGS}/{missing}"), 404)["detail"] == f"no organization {missing}"


# The directory


async def test_the_directory_filters_by_kind_country_and_name_or_number(admin: Api) -> None:
    oslo = await admin.create_org("municipality", "NO", name="Oslo kommune")
    await admin.create_org("municipality", "SE", name="Oslo-vägen kommun")
    await admin.create_org("supplier", "NO", name="Omsorg AS")

    def names(listed: dict[str, Any]) -> list[str]:
        return [o["name"] for o in listed["items"]]

    assert names(ok(await admin.get(ORGS, params={"kind": "supplier"}))) == ["Omsorg AS"]
    assert names(ok(await admin.get(ORGS, params={"country": "SE"}))) == ["Oslo-vägen kommun"]
    assert names(ok(await admin.get(ORGS, params={"q": "OSLO"}))) == ["Oslo kommune", "Oslo-vägen kommun"]
    assert names(ok(await admin.get(ORGS, params={"q": "oslo", "country": "NO", "kind": "municipality"}))) == ["Oslo kommune"]
    assert names(ok(await admin.get(ORGS, params={"q": oslo["org_number"][2:7]}))) == ["Oslo kommune"]
    everything = ok(await admin.get(ORGS))
    assert everything["total"] == 4 and names(everything)[:3] == ["Omsorg AS", "Oslo kommune", "Oslo-vägen kommun"]


async def test_a_name_search_ignores_case_in_nordic_letters_too(admin: Api) -> None:
    for name in ("Ålesund kommune", "Ørsta kommune", "Ærø Kommune", "Älvsbyn kommun"):
        await admin.create_org("municipality", name=name)
    for q, found in (("ÅLESUND", "Ålesund kommune"), ("ørsta", "Ørsta kommune"), ("ÆRØ", "Ærø Kommune"), ("älvsbyn", "Älvsbyn kommun")):
        assert [o["name"] for o in ok(await admin.get(ORGS, params={"q": q}))["items"]] == [found], q


async def test_a_search_takes_percent_and_underscore_literally(admin: Api) -> None:
    await admin.create_org("supplier", name="Hjelp_100% AS")
    await admin.create_org("supplier", name="Hjelp 1000 AS")
    for q in ("_", "100%", "p_1"):
        assert [o["name"] for o in ok(await admin.get(ORGS, params={"q": q}))["items"]] == ["Hjelp_100% AS"], q


async def test_the_directory_is_paged(admin: Api) -> None:
    for name in ("Alfa", "Bravo", "Charlie"):
        await admin.create_org("supplier", name=name)
    listed = ok(await admin.get(ORGS, params={"kind": "supplier", "limit": 1, "offset": 1}))
    assert (listed["total"], listed["limit"], listed["offset"], [o["name"] for o in listed["items"]]) == (3, 1, 1, ["Bravo"])


async def test_the_directory_orders_equal_names_by_id(admin: Api) -> None:
    twins = [await admin.create_org("supplier", name="Twin") for _ in range(6)]
    listed = ok(await admin.get(ORGS, params={"q": "twin"}))
    assert [o["id"] for o in listed["items"]] == sorted(t["id"] for t in twins)


async def test_organizations_by_id_are_those_that_exist(admin: Api, database: Database) -> None:
    first, second = await admin.create_org("municipality"), await admin.create_org("supplier")
    missing = uuid4()
    wanted = {UUID(first["id"]), UUID(second["id"]), missing}

    found = await in_transaction(database, lambda s: service.by_ids(s, wanted))
    assert set(found) == {UUID(first["id"]), UUID(second["id"])}
    shaped = found[UUID(second["id"])]
    assert isinstance(shaped, schemas.Organization)
    assert (shaped.id, shaped.kind, shaped.name, shaped.country, shaped.org_number) == (
        UUID(second["id"]),
        "supplier",
        second["name"],
        "NO",
        second["org_number"],
    )
    assert await in_transaction(database, lambda s: service.names(s, wanted)) == {
        UUID(first["id"]): first["name"], UUID(second["id"]): second["name"],
    }  # fmt: skip
    assert await in_transaction(database, lambda s: service.by_ids(s, set())) == {}
    assert await in_transaction(database, lambda s: service.names(s, set())) == {}
    assert await in_transaction(database, lambda s: service.by_ids(s, {missing})) == {}


# Renaming


async def test_an_organization_admin_renames_their_own_organization_only(admin: Api) -> None:
    own, other = await admin.create_org("municipality"), await admin.create_org("municipality")
    org_admin = await admin.create_user(own["id"], "org_admin")
    renamed = ok(await org_admin.patch(f"{ORGS}/{own['id']}", json={"name": "Ny kommune"}))
    assert renamed["name"] == "Ny kommune" and ok(await admin.get(f"{ORGS}/{own['id']}"))["name"] == "Ny kommune"
    [event] = await events(admin, own["id"], "organization.update")
    assert (event["entity_type"], event["organization_id"], event["actor_user_id"]) == ("organization", own["id"], org_admin.user["id"])

    body = problem(await org_admin.patch(f"{ORGS}/{other['id']}", json={"name": "Taken over"}), 403)
    assert body["detail"] == "only the registry admin or this organization's admin may change it"
    assert ok(await admin.get(f"{ORGS}/{other['id']}"))["name"] == other["name"]
    assert await events(admin, other["id"], "organization.update") == []


async def test_the_registry_admin_renames_any_organization(admin: Api) -> None:
    org = await admin.create_org("supplier")
    assert ok(await admin.patch(f"{ORGS}/{org['id']}", json={"name": "Omdøpt AS"}))["name"] == "Omdøpt AS"
    assert ok(await admin.get(f"{ORGS}/{org['id']}"))["name"] == "Omdøpt AS"
    [event] = await events(admin, org["id"], "organization.update")
    assert (event["entity_id"], event["organization_id"]) == (org["id"], org["id"])


async def test_a_rename_without_a_name_changes_nothing(admin: Api) -> None:
    org = await admin.create_org("supplier")
    assert ok(await admin.patch(f"{ORGS}/{org['id']}", json={}))["name"] == org["name"]
    missing = uuid4()
    assert problem(await admin.patch(f"{ORGS}/{missing}", json={"name": "X"}), 404)["detail"] == f"no organization {missing}"


# Federation membership


class Federation:
    """A federation with a coordinator and an admin, a second federation with its coordinator, and towns."""

    async def build(self, admin: Api) -> Federation:
        self.admin = admin
        self.org = await admin.create_org("federation", name="Vestland IKT")
        self.other = await admin.create_org("federation", name="Other IKT")
        self.coordinator = await admin.create_user(self.org["id"], "federation_coordinator")
        self.org_admin = await admin.create_user(self.org["id"], "org_admin")
        self.outsider = await admin.create_user(self.other["id"], "federation_coordinator", "org_admin")
        self.towns = [await admin.create_org("municipality", name=f"Town {n}") for n in range(3)]
        self.town_admin = await admin.create_user(self.towns[0]["id"], "org_admin")
        self.members = f"{ORGS}/{self.org['id']}/members"
        return self

    async def member_names(self) -> list[str]:
        return [m["name"] for m in ok(await self.admin.get(self.members))["items"]]


@pytest.fixture
async def federation(admin: Api) -> Federation:
    return await Federation().build(admin)


@pytest.mark.parametrize("who", ["coordinator", "org_admin", "admin"])
async def test_the_federations_coordinators_and_admins_add_and_remove_members(federation: Federation, who: str) -> None:
    actor: Api = getattr(federation, who)
    town = federation.towns[1]
    actor_id = ok(await actor.get("/api/v1/me"))["user_id"]
    added = ok(await actor.post(federation.members, json={"municipality_id": town["id"]}), 201)
    assert added == town
    assert await federation.member_names() == ["Town 1"]
    [event] = await events(federation.admin, federation.org["id"], "federation.member.add")
    assert event["details"] == {"municipality_id": town["id"]}
    assert (event["entity_type"], event["organization_id"], event["actor_user_id"]) == ("organization", federation.org["id"], actor_id)

    assert ok(await actor.delete(f"{federation.members}/{town['id']}"), 204) is None
    assert await federation.member_names() == []
    [event] = await events(federation.admin, federation.org["id"], "federation.member.remove")
    assert event["details"] == {"municipality_id": town["id"]}
    assert (event["entity_type"], event["organization_id"], event["actor_user_id"]) == ("organization", federation.org["id"], actor_id)


@pytest.mark.parametrize("who", ["outsider", "town_admin"])
async def test_nobody_else_manages_a_federations_members(federation: Federation, who: str) -> None:
    actor: Api = getattr(federation, who)
    ok(await federation.admin.post(federation.members, json={"municipality_id": federation.towns[0]["id"]}), 201)
    detail = "only the federation's coordinators and admins manage its members"
    body = problem(await actor.post(federation.members, json={"municipality_id": federation.towns[1]["id"]}), 403)
    assert (body["title"], body["detail"]) == ("Not allowed", detail)
    assert problem(await actor.delete(f"{federation.members}/{federation.towns[0]['id']}"), 403)["detail"] == detail
    assert await federation.member_names() == ["Town 0"]


async def test_a_federations_coordinator_cannot_manage_another_federation(federation: Federation) -> None:
    body = problem(
        await federation.coordinator.post(f"{ORGS}/{federation.other['id']}/members", json={"municipality_id": federation.towns[0]["id"]}), 403
    )
    assert body["detail"] == "only the federation's coordinators and admins manage its members"


@pytest.mark.parametrize("kind", ["municipality", "supplier", "authority"])
async def test_only_a_federation_has_members(admin: Api, federation: Federation, kind: str) -> None:
    host = await admin.create_org(kind, name=f"A {kind}")
    for attempt in (
        admin.post(f"{ORGS}/{host['id']}/members", json={"municipality_id": federation.towns[1]["id"]}),
        admin.delete(f"{ORGS}/{host['id']}/members/{federation.towns[1]['id']}"),
    ):
        body = problem(await attempt, 422)
        assert body["detail"] == f"A {kind} is a {kind}, not a federation"
    assert ok(await admin.get(f"{ORGS}/{host['id']}/members"))["total"] == 0


@pytest.mark.parametrize("kind", ["supplier", "federation", "authority"])
async def test_only_municipalities_become_members(admin: Api, federation: Federation, kind: str) -> None:
    candidate = await admin.create_org(kind, name=f"Not a town ({kind})")
    body = problem(await federation.coordinator.post(federation.members, json={"municipality_id": candidate["id"]}), 422)
    assert body["detail"] == "only municipalities can be members"
    assert body["errors"] == [{"field": "municipality_id", "message": f"Not a town ({kind}) is a {kind}"}]
    assert await federation.member_names() == []


async def test_an_unknown_member_is_refused_naming_it(federation: Federation) -> None:
    missing = uuid4()
    body = problem(await federation.coordinator.post(federation.members, json={"municipality_id": str(missing)}), 422)
    assert body["detail"] == "no such organization"
    assert body["errors"] == [{"field": "municipality_id", "message": f"no organization {missing}"}]
    body = problem(await federation.coordinator.delete(f"{federation.members}/{missing}"), 404)
    assert body["detail"] == f"organization {missing} is not a member of Vestland IKT"
    assert await events(federation.admin, federation.org["id"], "federation.member.remove") == []


async def test_a_member_joins_once(federation: Federation) -> None:
    town = federation.towns[2]
    ok(await federation.coordinator.post(federation.members, json={"municipality_id": town["id"]}), 201)
    body = problem(await federation.coordinator.post(federation.members, json={"municipality_id": town["id"]}), 409)
    assert body["detail"] == "Town 2 is already a member of Vestland IKT"
    assert body["errors"] == [{"field": "municipality_id", "message": "already a member"}]
    assert body["existing_id"] == town["id"]
    assert len(await events(federation.admin, federation.org["id"], "federation.member.add")) == 1


async def test_a_town_may_belong_to_several_federations(federation: Federation) -> None:
    town = federation.towns[0]
    ok(await federation.coordinator.post(federation.members, json={"municipality_id": town["id"]}), 201)
    ok(await federation.outsider.post(f"{ORGS}/{federation.other['id']}/members", json={"municipality_id": town["id"]}), 201)
    ok(await federation.outsider.post(f"{ORGS}/{federation.other['id']}/members", json={"municipality_id": federation.towns[1]["id"]}), 201)
    assert await federation.member_names() == ["Town 0"]
    problem(await federation.coordinator.delete(f"{federation.members}/{federation.towns[1]['id']}"), 404)


async def test_members_are_listed_by_name_then_id(admin: Api, federation: Federation, database: Database) -> None:
    twins = [await admin.create_org("municipality", name="Zeta") for _ in range(3)]
    for town in [*twins, *federation.towns]:
        ok(await admin.post(federation.members, json={"municipality_id": town["id"]}), 201)
    ok(await admin.post(f"{ORGS}/{federation.other['id']}/members", json={"municipality_id": federation.towns[0]["id"]}), 201)
    listed = ok(await admin.get(federation.members))
    assert listed["total"] == 6
    assert [m["id"] for m in listed["items"]] == [t["id"] for t in federation.towns] + sorted(t["id"] for t in twins)
    missing = uuid4()
    assert problem(await admin.get(f"{ORGS}/{missing}/members"), 404)["detail"] == f"no organization {missing}"
    assert await in_transaction(database, lambda s: service.member_ids(s, UUID(federation.other["id"]))) == {UUID(federation.towns[0]["id"])}


async def test_members_of_an_unknown_federation_are_not_found(database: Database) -> None:
    missing = uuid4()
    with pytest.raises(NotFound, match=f"no organization {missing}"):
        await in_transaction(database, lambda s: service.list_members(s, missing, limit=10, offset=0))
