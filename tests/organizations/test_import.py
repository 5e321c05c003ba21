"""Onboarding from a CSV file: `registry admin import-organizations` (registry/organizations/importing.py).

Each test runs the command against the test's own migrated database (PostgreSQL when
REGISTRY_TEST_DATABASE_URL is set) and reads back what was stored.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.pool import NullPool

from registry.audit.models import AuditEvent
from registry.auth.principal import OrgKind
from registry.db.engine import create_engine
from registry.organizations.models import FederationMembership, Organization
from registry.organizations.orgnumbers import random_org_number
from tests.support import Api, problem, valid_org_number

HEADER = "country,kind,name,org_number,federation,contact_email"
FEDERATION = "Skaraborgs Kommunalförbund"
SKARABORG = ["Essunga", "Falköping", "Grästorp", "Gullspång", "Götene", "Hjo", "Karlsborg", "Lidköping", "Mariestad", "Skara", "Skövde", "Tibro"]


class Skaraborg:
    """A Swedish federation (kommunalförbund, 222000-…) and twelve member municipalities (212000-…), a supplier and an
    authority without a number, with valid numbers of the kinds Swedish organizations have."""

    def __init__(self, seed: int = 7) -> None:
        rng = random.Random(seed)
        self.federation = random_org_number("SE", rng, "2220")
        self.municipalities = {f"{name} kommun": random_org_number("SE", rng, "2120") for name in SKARABORG}
        self.supplier = valid_org_number("SE", rng)

    def rows(self) -> list[list[str]]:
        rows = [["SE", "federation", FEDERATION, self.federation, "", "info@skaraborg.example"]]
        for index, (name, number) in enumerate(self.municipalities.items()):
            # members name the federation by its number (hyphenated or not) or by its name, as spreadsheets do
            reference = [self.federation, self.federation.replace("-", ""), FEDERATION][index % 3]
            written = number.replace("-", "") if index % 2 else number
            rows.append(["SE", "municipality", name, written, reference, f"kommun@{name.split()[0].lower()}.example"])
        rows.append(["SE", "supplier", "Trygghetslarm Norden AB", self.supplier, "", ""])
        rows.append(["SE", "authority", "Socialstyrelsen", "", "", "registrator@socialstyrelsen.example"])
        return rows


def write(path: Path, rows: list[list[str]], *, header: str = HEADER, delimiter: str = ",", bom: bool = False, newline: str = "\n") -> Path:
    lines = [header.replace(",", delimiter), *(delimiter.join(row) for row in rows)]
    path.write_bytes(("\ufeff" if bom else "").encode() + newline.join(lines).encode() + newline.encode())
    return path


def state(url: str) -> dict[str, Any]:
    """What the database holds: organizations, memberships by name, and the audit trail's actions and actors."""

    async def read() -> dict[str, Any]:
        engine = create_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                organizations = {
                    (row.country, row.org_number or row.name): (row.kind, row.name, row.contact_email, row.updated_at)
                    for row in await connection.execute(select(Organization))
                }
                federation, member = aliased(Organization), aliased(Organization)
                memberships = await connection.execute(
                    select(federation.name, member.name)
                    .join(FederationMembership, FederationMembership.federation_id == federation.id)
                    .join(member, FederationMembership.municipality_id == member.id)
                )
                events = list(await connection.execute(select(AuditEvent.action, AuditEvent.actor_user_id, AuditEvent.details)))
        finally:
            await engine.dispose()
        return {
            "organizations": organizations,
            "memberships": {(federation_name, member_name) for federation_name, member_name in memberships},
            "actions": Counter(action for action, _, _ in events),
            "actors": {actor for _, actor, _ in events},
            "imports": [details for action, _, details in events if action == "organization.import"],
        }

    return asyncio.run(read())


def test_a_federation_and_its_municipalities_onboard_once(run, database_url: str, tmp_path: Path) -> None:
    world = Skaraborg()
    path = write(tmp_path / "skaraborg.csv", world.rows())
    first = run("admin", "import-organizations", str(path), REGISTRY_DATABASE_URL=database_url)
    assert first.exit_code == 0, first.output
    assert "15 created, 0 updated, 0 unchanged organizations; 12 memberships added" in first.output
    stored = state(database_url)
    assert stored["memberships"] == {(FEDERATION, name) for name in world.municipalities}
    assert {key: value[:3] for key, value in stored["organizations"].items()} == {
        ("SE", world.federation): ("federation", FEDERATION, "info@skaraborg.example"),
        **{("SE", n): ("municipality", name, f"kommun@{name.split()[0].lower()}.example") for name, n in world.municipalities.items()},
        ("SE", world.supplier): ("supplier", "Trygghetslarm Norden AB", None),
        ("SE", "Socialstyrelsen"): ("authority", "Socialstyrelsen", "registrator@socialstyrelsen.example"),
    }, "numbers stored in canonical form whether written with the hyphen or without"
    # audited as the API's writes, by the operator (no user), plus one event for the file
    assert stored["actions"] == {"organization.create": 15, "federation.member.add": 12, "organization.import": 1}
    assert stored["actors"] == {None}
    assert stored["imports"][0] | {"file": "skaraborg.csv"} == {
        "file": "skaraborg.csv",
        "created": 15,
        "updated": 0,
        "unchanged": 0,
        "memberships_added": 12,
    }

    again = run("admin", "import-organizations", str(path), REGISTRY_DATABASE_URL=database_url)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 15 unchanged organizations; 0 memberships added" in again.output
    assert state(database_url) == stored, "the second run changes nothing, audit trail included"


def test_changed_names_and_contacts_update_and_memberships_are_only_added(run, database_url: str, tmp_path: Path) -> None:
    world = Skaraborg()
    assert run("admin", "import-organizations", str(write(tmp_path / "first.csv", world.rows())), REGISTRY_DATABASE_URL=database_url).exit_code == 0
    rows = world.rows()
    rows[0][5] = "kansli@skaraborg.example"  # the federation's new contact
    rows[1][2] = "Essunga Kommun"  # renamed
    rows[2][4] = ""  # no federation given: the membership stays
    rows[3][5] = ""  # no contact given: the stored one stays
    new_member = random_org_number("SE", random.Random(99), "2120")
    rows.append(["SE", "municipality", "Vara kommun", new_member, world.federation, ""])
    result = run("admin", "import-organizations", str(write(tmp_path / "second.csv", rows)), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 0, result.output
    assert "1 created, 2 updated, 13 unchanged organizations; 1 membership added" in result.output
    stored = state(database_url)
    organizations = stored["organizations"]
    assert organizations["SE", world.federation][2] == "kansli@skaraborg.example"
    assert organizations["SE", world.municipalities["Essunga kommun"]][1] == "Essunga Kommun"
    assert organizations["SE", world.municipalities["Grästorp kommun"]][2] == "kommun@grästorp.example"
    assert (FEDERATION, "Falköping kommun") in stored["memberships"] and (FEDERATION, "Vara kommun") in stored["memberships"]
    assert len(stored["memberships"]) == 13
    assert stored["actions"]["organization.update"] == 2


def test_every_bad_row_is_reported_and_nothing_is_stored(run, database_url: str, tmp_path: Path) -> None:
    world = Skaraborg()
    good, member = world.municipalities["Hjo kommun"], world.municipalities["Tibro kommun"]
    broken_check_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    rows = [
        ["SE", "federation", FEDERATION, world.federation, "", ""],  # line 2: good
        ["NO", "municipality", "Oslo kommune", "123", "", ""],  # line 3
        ["SE", "kommun", "Hjo kommun", good, FEDERATION, ""],  # line 4
        ["SE", "municipality", "Skara kommun", "", FEDERATION, ""],  # line 5
        ["SE", "municipality", "Skövde kommun", world.municipalities["Skövde kommun"], FEDERATION, "kommun at skovde"],  # line 6
        ["XX", "supplier", "", "1", "", ""],  # line 7: two bad fields
        ["SE", "municipality", "Tidaholm kommun", broken_check_digit, FEDERATION, ""],  # line 8
        ["SE", "municipality", "Tibro kommun", member, FEDERATION, ""],  # line 9: good
        ["SE", "supplier", "Trygghetslarm Norden AB", world.supplier, FEDERATION, ""],  # line 10: a supplier cannot be a member
        ["SE", "municipality", "Mariestad kommun", world.municipalities["Mariestad kommun"], member, ""],  # line 11: not a federation
    ]
    result = run("admin", "import-organizations", str(write(tmp_path / "bad.csv", rows)), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 1
    reported = [line for line in result.output.splitlines() if line.startswith("line ")]
    assert reported == [
        "line 3, org_number: 123 is not valid: Norwegian organization numbers have 9 digits",
        "line 4, kind: 'kommun' is not one of municipality, supplier, federation, authority",
        "line 5, org_number: required for a municipality",
        "line 6, contact_email: expected an email address such as name@example.org",
        "line 7, name: required",
        "line 7, country: 'XX' is not one of NO, SE, DK, FI",
        f"line 8, org_number: {broken_check_digit} is not valid: check digit does not match (Luhn)",
        "line 10, federation: only municipalities can be members: Trygghetslarm Norden AB is a supplier",
        "line 11, federation: Tibro kommun is a municipality, not a federation",
    ], result.output
    assert "bad.csv: 8 bad lines; nothing was imported" in result.output
    stored = state(database_url)
    assert stored["organizations"] == {} and stored["memberships"] == set() and not stored["actions"]


def test_a_spreadsheets_semicolons_and_byte_order_mark(run, database_url: str, tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" in Nordic locales: a BOM, semicolons, CRLF line ends, and empty trailing fields."""
    world = Skaraborg()
    rows = [[*row, ""] for row in world.rows()]
    path = write(tmp_path / "excel.csv", rows, header=HEADER + ",", delimiter=";", bom=True, newline="\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfcountry;kind;")
    result = run("admin", "import-organizations", str(path), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 1 and "line 1: unknown column ''" in result.output, "an empty header cell is a column nobody named"
    path = write(tmp_path / "excel.csv", world.rows(), delimiter=";", bom=True, newline="\r\n")
    result = run("admin", "import-organizations", str(path), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 0, result.output
    stored = state(database_url)
    assert ("SE", world.municipalities["Grästorp kommun"]) in stored["organizations"]
    assert stored["organizations"]["SE", world.federation][1] == FEDERATION
    assert len(stored["memberships"]) == 12


def test_a_federation_unknown_to_file_and_registry(run, database_url: str, tmp_path: Path) -> None:
    world = Skaraborg()
    number = world.municipalities["Hjo kommun"]
    rows = [["SE", "municipality", "Hjo kommun", number, "Västra Götalands kommunalförbund", ""]]
    result = run("admin", "import-organizations", str(write(tmp_path / "hjo.csv", rows)), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 1
    assert (
        "line 2, federation: no federation 'Västra Götalands kommunalförbund' in the file or the registry "
        "(give its organization number or exact name)"
    ) in result.output
    assert state(database_url)["organizations"] == {}

    # a federation registered before is found by its name or its number
    registered = run(
        "admin", "create-org", "--kind", "federation", "--name", "Västra Götalands kommunalförbund", "--country", "SE",
        "--org-number", world.federation, REGISTRY_DATABASE_URL=database_url,
    )  # fmt: skip
    assert registered.exit_code == 0, registered.output
    rows.append(["SE", "municipality", "Tibro kommun", world.municipalities["Tibro kommun"], world.federation.replace("-", ""), ""])
    result = run("admin", "import-organizations", str(write(tmp_path / "hjo.csv", rows)), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged organizations; 2 memberships added" in result.output
    assert state(database_url)["memberships"] == {
        ("Västra Götalands kommunalförbund", "Hjo kommun"),
        ("Västra Götalands kommunalförbund", "Tibro kommun"),
    }


def test_duplicates_in_the_file_name_both_lines(run, database_url: str, tmp_path: Path) -> None:
    world = Skaraborg()
    number = world.municipalities["Hjo kommun"]
    rows = [
        ["SE", "municipality", "Hjo kommun", number, "", ""],
        ["SE", "authority", "Socialstyrelsen", "", "", ""],
        ["SE", "municipality", "Hjo kommun (again)", number.replace("-", ""), "", ""],
        ["SE", "authority", "Socialstyrelsen", "", "", ""],
        ["NO", "authority", "Socialstyrelsen", "", "", ""],  # another country: another authority
    ]
    result = run("admin", "import-organizations", str(write(tmp_path / "twice.csv", rows)), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 1
    assert f"line 4, org_number: {number} (SE) is on line 2 and line 4" in result.output
    assert "line 5, name: 'Socialstyrelsen' without an organization number is on line 3 and line 5" in result.output
    assert "line 6" not in result.output
    assert state(database_url)["organizations"] == {}


def test_a_registered_organization_keeps_its_kind(run, database_url: str, tmp_path: Path) -> None:
    number = valid_org_number("NO")
    created = run("admin", "create-org", "--kind", "supplier", "--name", "Alarmleverandøren AS", "--country", "NO", "--org-number", number,
                  REGISTRY_DATABASE_URL=database_url)  # fmt: skip
    assert created.exit_code == 0, created.output
    rows = [["NO", "municipality", "Alarmleverandøren AS", number, "", ""]]
    result = run("admin", "import-organizations", str(write(tmp_path / "kind.csv", rows)), REGISTRY_DATABASE_URL=database_url)
    assert result.exit_code == 1 and f"line 2, kind: {number} is registered as a supplier, not a municipality" in result.output


def test_a_file_that_is_not_the_expected_table(run, database_url: str, tmp_path: Path) -> None:
    def refused(content: bytes) -> str:
        path = tmp_path / "file.csv"
        path.write_bytes(content)
        result = run("admin", "import-organizations", str(path), REGISTRY_DATABASE_URL=database_url)
        assert result.exit_code == 1, result.output
        return result.output

    assert "line 1: the file is empty; it needs a header row: country,kind,name,org_number[,federation,contact_email]" in refused(b"\n\n")
    assert "line 1: the file has a header but no rows" in refused(HEADER.encode())
    missing = refused(b"country;kind;name;contact_mail\nSE;supplier;X;\n")
    assert "line 1: the header lacks the column org_number" in missing
    assert "line 1: unknown column 'contact_mail' (the columns are country, kind, name, org_number, federation, contact_email)" in missing
    assert "line 3: is not UTF-8 text" in refused(
        f"{HEADER}\nSE,supplier,Acme,{valid_org_number('SE')},,\nSE,supplier,Gr\xe4s AB,,,\n".encode("latin-1")
    )
    assert "line 2: has 7 fields, the header 6" in refused(f"{HEADER}\nSE,supplier,Acme,{valid_org_number('SE')},,,x\n".encode())
    assert state(database_url)["organizations"] == {}


def test_help_says_what_the_import_does_and_does_not(run) -> None:
    assert "import-organizations" in run("admin", "--help").output
    text = " ".join(run("admin", "import-organizations", "--help").output.split())
    for promise in ("one transaction", "nothing is stored", "Memberships are only added, never removed", "changes nothing"):
        assert promise in text, promise


async def test_the_contact_address_through_the_api(admin: Api) -> None:
    body = {
        "kind": "municipality",
        "name": "Hjo kommun",
        "country": "SE",
        "org_number": valid_org_number("SE"),
        "contact_email": "kommun@hjo.example",
    }
    created = await admin.post("/api/v1/organizations", json=body)
    assert created.status_code == 201 and created.json()["contact_email"] == "kommun@hjo.example"
    path = f"/api/v1/organizations/{created.json()['id']}"
    renamed = await admin.patch(path, json={"name": "Hjo Kommun"})
    assert renamed.json()["contact_email"] == "kommun@hjo.example", "a change of name keeps the contact"
    assert (await admin.patch(path, json={"contact_email": "info@hjo.example"})).json()["contact_email"] == "info@hjo.example"
    assert (await admin.patch(path, json={"contact_email": None})).json()["contact_email"] is None
    refused = problem(await admin.patch(path, json={"contact_email": "hjo"}), 400)
    assert "contact_email" in str(refused)


async def test_the_service_registers_and_adds_many_by_the_rules_of_one(database_url: str) -> None:
    """``create_organizations`` and ``add_members``, which the import uses: errors name the item, and nothing is added then."""
    from registry.db.transactions import Database
    from registry.organizations import schemas, service
    from registry.problems import Conflict, RuleViolation

    def organization(kind: OrgKind, name: str, number: str | None) -> schemas.OrganizationCreate:
        return schemas.OrganizationCreate(kind=kind, name=name, country="SE", org_number=number)

    world = Skaraborg()
    hjo, tibro = world.municipalities["Hjo kommun"], world.municipalities["Tibro kommun"]
    database = Database(database_url)
    try:
        async with database.writes.begin() as session:
            federation, first = await service.create_organizations(
                session, [organization("federation", FEDERATION, world.federation), organization("municipality", "Hjo kommun", hjo)]
            )
            for items, expected in [
                ([organization("municipality", "Tibro kommun", tibro), organization("supplier", "Acme AB", None)], RuleViolation),
                ([organization("municipality", "Tibro kommun", tibro), organization("municipality", "Tibro igen", tibro.replace("-", ""))], Conflict),
                ([organization("municipality", "Tibro kommun", tibro), organization("municipality", "Hjo igen", hjo)], Conflict),
            ]:
                try:
                    await service.create_organizations(session, items)
                except expected as exc:
                    assert [e.field for e in exc.errors] == ["[1].org_number"], exc.errors
                else:
                    raise AssertionError(f"{items} were registered")
            assert await service.get_organization(session, federation.id)
            (tibro_organization,) = await service.create_organizations(session, [organization("municipality", "Tibro kommun", tibro)])
            try:
                await service.add_members(session, federation.id, [first.id, federation.id])
            except RuleViolation as exc:
                assert [(e.field, e.message) for e in exc.errors] == [
                    ("[1].municipality_id", f"only municipalities can be members: {FEDERATION} is a federation")
                ]
            else:
                raise AssertionError("a federation became a member")
            assert await service.member_ids(session, federation.id) == set()
            assert await service.add_members(session, federation.id, [first.id, tibro_organization.id, first.id]) == 2
            assert await service.add_members(session, federation.id, [first.id, tibro_organization.id]) == 0
            assert await service.member_ids(session, federation.id) == {first.id, tibro_organization.id}
    finally:
        await database.dispose()


async def test_bulk_registration_names_every_bad_item_checks_every_number_and_records_each_change(database_url: str) -> None:
    """The import's service functions: every bad item is named (not only the first), a number already registered is found
    wherever it stands in a long list (the check runs in chunks of 500), and each organization and membership added leaves
    an audit event naming it."""
    from registry.db.transactions import Database
    from registry.organizations import schemas, service
    from registry.problems import Conflict, RuleViolation

    rng = random.Random(11)

    def municipality(name: str, number: str | None = None) -> schemas.OrganizationCreate:
        return schemas.OrganizationCreate(kind="municipality", name=name, country="SE", org_number=number or random_org_number("SE", rng, "2120"))

    database = Database(database_url)
    try:
        async with database.writes.begin() as session:
            skaraborg = schemas.OrganizationCreate(kind="federation", name=FEDERATION, country="SE", org_number=random_org_number("SE", rng, "2220"))
            federation, hjo = await service.create_organizations(session, [skaraborg, municipality("Hjo kommun")])
            bad = [municipality("Tibro kommun", "12345"), municipality("Skara kommun"), municipality("Mariestad kommun", "212000-0000")]
            try:
                await service.create_organizations(session, bad)
            except RuleViolation as exc:
                assert exc.detail == "organizations break the rules"
                assert [e.field for e in exc.errors] == ["[0].org_number", "[2].org_number"], "both bad numbers, around a good one"
            else:
                raise AssertionError("bad numbers were registered")

            numbers = {hjo.org_number, federation.org_number}
            while len(numbers) < 501:
                numbers.add(random_org_number("SE", rng, "2120"))
            fresh = [municipality(f"Kommun {n}", number) for n, number in enumerate(sorted(numbers - {hjo.org_number, federation.org_number}))]
            long_list = [municipality("Skaraborg igen", federation.org_number), *fresh, municipality("Hjo igen", hjo.org_number)]
            taken = {0: federation.org_number, 500: hjo.org_number}  # one in each chunk of 500
            first = [municipality("Hjo på nytt", hjo.org_number), municipality("Töreboda kommun")]
            for items, found in ((long_list, taken), (first, {0: hjo.org_number})):
                try:
                    await service.create_organizations(session, items)
                except Conflict as exc:
                    assert exc.detail == "organization numbers are taken"
                    expected = [(f"[{i}].org_number", f"{number} is already registered") for i, number in found.items()]
                    assert [(e.field, e.message) for e in exc.errors] == expected
                else:
                    raise AssertionError(f"{found} were registered twice")

            unknown = uuid4()
            try:
                await service.add_members(session, federation.id, [unknown, hjo.id])
            except RuleViolation as exc:
                assert exc.detail == "only municipalities can be members"
                assert [(e.field, e.message) for e in exc.errors] == [("[0].municipality_id", f"no organization {unknown}")]
            else:
                raise AssertionError("an unknown organization became a member")
            assert await service.add_members(session, federation.id, [hjo.id]) == 1

            events = {
                (event.action, event.entity_type, event.entity_id, event.organization_id, tuple(sorted(event.details.items())))
                for event in await session.scalars(select(AuditEvent).where(AuditEvent.actor_user_id.is_(None)))
            }
            assert events == {
                ("organization.create", "organization", str(federation.id), federation.id, ()),
                ("organization.create", "organization", str(hjo.id), hjo.id, ()),
                ("federation.member.add", "organization", str(federation.id), federation.id, (("municipality_id", str(hjo.id)),)),
            }
    finally:
        await database.dispose()


async def test_a_registration_or_membership_made_meanwhile_is_a_conflict_to_retry_and_nothing_is_added(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports at once: each checks, finds the number (or the membership) free, and inserts; the later insert
    collides with the earlier one and is refused as a conflict to try again, with nothing of it added."""
    from registry.db.transactions import Database
    from registry.organizations import schemas, service
    from registry.problems import Conflict

    rng = random.Random(5)
    database = Database(database_url)
    try:
        async with database.writes.begin() as session:
            skaraborg = schemas.OrganizationCreate(kind="federation", name=FEDERATION, country="SE", org_number=random_org_number("SE", rng, "2220"))
            hjo = schemas.OrganizationCreate(kind="municipality", name="Hjo kommun", country="SE", org_number=random_org_number("SE", rng, "2120"))
            federation, municipality = await service.create_organizations(session, [skaraborg, hjo])
            assert await service.add_members(session, federation.id, [municipality.id]) == 1

            async def nothing_registered(*_: object) -> list[tuple[str, str]]:
                return []

            async def no_members(*_: object) -> set[UUID]:
                return set()

            monkeypatch.setattr(service, "_registered_numbers", nothing_registered)  # the other import's rows came after the check
            monkeypatch.setattr(service, "member_ids", no_members)
            tibro = schemas.OrganizationCreate(kind="municipality", name="Tibro kommun", country="SE", org_number=random_org_number("SE", rng))
            again = "at the same time; try again"
            for attempt, message in (
                (service.create_organizations(session, [tibro, hjo]), f"organizations with the same numbers were registered {again}"),
                (service.add_members(session, federation.id, [municipality.id]), f"members were added to {FEDERATION} {again}"),
            ):
                try:
                    await attempt
                except Conflict as exc:
                    assert exc.detail == message
                else:
                    raise AssertionError(message)
            names = set(await session.scalars(select(Organization.name)))
            assert names == {FEDERATION, "Hjo kommun"}, "Tibro, registered beside the colliding number, is not added either"
    finally:
        await database.dispose()
