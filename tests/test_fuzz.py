"""Every operation of the OpenAPI document, fed generated valid and invalid input by schemathesis,
answers without a server error, as problem+json where it refuses.

The service runs as a real `registry serve` process with the starter library, on the test
database (SQLite in a fresh data directory, or the emptied PostgreSQL test database), called
with an admin token so that requests get past the guards.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error

from registry.app import create_app
from registry.settings import Settings
from tests.conftest import POSTGRES_URL, reset_postgres

TOKEN = "wtr_fuzzing-admin-token-0123456789abcdefghij"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path | None) -> Iterator[str]:
    if POSTGRES_URL:
        asyncio.run(reset_postgres(POSTGRES_URL, drop=False))
    data_dir = tmp_path_factory.mktemp("fuzzed")
    env = os.environ | {"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_DATABASE_URL": POSTGRES_URL or "", "REGISTRY_BOOTSTRAP_ADMIN_TOKEN": TOKEN}
    cli = [sys.executable, "-m", "registry.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    port, log = _free_port(), data_dir / "server.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env | {"REGISTRY_LOG_LEVEL": "WARNING"}, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")


def _wait_until_healthy(base: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the registry did not answer at {base} within {seconds} s")

openapi = create_app(Settings(data_dir=Path("unused"), seed_library=False)).openapi_schema.to_schema()
# Revoking tokens would revoke the one this test calls with.
schema = schemathesis.openapi.from_dict(openapi).exclude(path="/api/v1/tokens/{token_id}", method="DELETE")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case: schemathesis.Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers=HEADERS, checks=[not_a_server_error, content_type_conformance])
