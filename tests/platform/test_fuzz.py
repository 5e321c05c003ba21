"""Every operation of the OpenAPI document, fed generated valid and invalid input by schemathesis,
answers without a server error, as problem+json where it refuses.

The service runs as a real `registry serve` process with the starter library, on the test
database (SQLite in a fresh data directory, or the emptied PostgreSQL test database), called
with an admin token so that requests get past the guards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error

from registry.app import create_app
from registry.settings import Settings
from tests.served import served_registry

TOKEN = "wtr_fuzzing-admin-token-0123456789abcdefghij"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path | None) -> Iterator[str]:
    with served_registry(tmp_path_factory.mktemp("fuzzed"), bootstrap_admin_token=TOKEN) as served:
        yield served.base_url


openapi = create_app(Settings(data_dir=Path("unused"), seed_library=False)).openapi_schema.to_schema()
# Revoking tokens would revoke the one this test calls with.
schema = schemathesis.openapi.from_dict(openapi).exclude(path="/api/v1/tokens/{token_id}", method="DELETE")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case: schemathesis.Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers=HEADERS, checks=[not_a_server_error, content_type_conformance])
