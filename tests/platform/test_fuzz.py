"""Every operation of the OpenAPI document, fed generated valid and invalid input by schemathesis,
answers without a server error, as problem+json where it refuses.

The service runs as a real `registry serve` process with the starter library, on the test
database (SQLite in a fresh data directory, or the emptied PostgreSQL test database), called
with an admin token so that requests get past the guards, and again with the token of each
other role (each in an organization of the kind it belongs to), so that the guards and the
organization checks meet generated input too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error

from registry.app import create_app
from registry.settings import Settings
from tests.served import served_registry
from tests.support import valid_org_number

TOKEN = "wtr_fuzzing-admin-token-0123456789abcdefghij"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


# role -> the kind of organization its holder belongs to
ROLES = {
    "org_admin": "municipality",
    "procurement_officer": "municipality",
    "federation_coordinator": "federation",
    "supplier_editor": "supplier",
    "library_editor": "authority",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, templates: tuple[str, str]) -> Iterator[str]:
    with served_registry(tmp_path_factory.mktemp("fuzzed"), bootstrap_admin_token=TOKEN) as served:
        yield served.base_url


@pytest.fixture(scope="module")
def role_headers(base_url: str) -> dict[str, dict[str, str]]:
    """A user of each role in an organization of its own, and the headers that speak with their token."""
    rng, headers = random.Random(7), {}
    with httpx.Client(base_url=base_url, headers=HEADERS) as admin:
        for n, (role, kind) in enumerate(ROLES.items()):
            body = {"kind": kind, "name": f"Fuzzed {role}", "country": "NO"} | (
                {} if kind == "authority" else {"org_number": valid_org_number("NO", rng)}
            )
            organization = admin.post("/api/v1/organizations", json=body).raise_for_status().json()
            user = (
                admin.post(f"/api/v1/organizations/{organization['id']}/users", json={"name": role, "email": f"fuzz{n}@example.org", "roles": [role]})
                .raise_for_status()
                .json()
            )
            token = admin.post(f"/api/v1/users/{user['id']}/tokens", json={"name": "fuzzing"}).raise_for_status().json()["token"]
            headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


openapi = create_app(Settings(data_dir=Path("unused"), seed_library=False)).openapi_schema.to_schema()
# Revoking tokens would revoke the one this test calls with.
schema = schemathesis.openapi.from_dict(openapi).exclude(path="/api/v1/tokens/{token_id}", method="DELETE")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case: schemathesis.Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers=HEADERS, checks=[not_a_server_error, content_type_conformance])


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_another_role_with_a_server_error(case: schemathesis.Case, base_url: str, role_headers: dict, role: str) -> None:
    case.call_and_validate(base_url=base_url, headers=role_headers[role], checks=[not_a_server_error, content_type_conformance])
