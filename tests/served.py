"""A real `registry serve` process on the test database, for tests that need true concurrency,
process signals or faults (the in-process test client runs one request at a time)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import POSTGRES_URL, reset_postgres

CLI = [sys.executable, "-m", "registry.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    base_url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def registry_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a registry on the test database with data under ``data_dir``."""
    env = os.environ | {"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_DATABASE_URL": POSTGRES_URL or ""}
    return env | {f"REGISTRY_{name.upper()}": value for name, value in settings.items()}


@contextmanager
def served_registry(data_dir: Path, *, fresh_database: bool = True, **settings: str) -> Iterator[Served]:
    """Migrate, serve on a free port until healthy, yield; then stop and assert no traceback was logged."""
    if POSTGRES_URL and fresh_database:
        asyncio.run(reset_postgres(POSTGRES_URL))
    env = registry_env(data_dir, **settings)
    subprocess.run([*CLI, "migrate"], env=env, check=True, capture_output=True)
    port, log = free_port(), data_dir.parent / f"{data_dir.name}-server.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env | {"REGISTRY_LOG_LEVEL": "WARNING"}, stderr=stderr)
    served = Served(f"http://127.0.0.1:{port}", data_dir, log, process)
    try:
        wait_until_healthy(served.base_url)
        yield served
    finally:
        children = process_tree(process.pid)[1:]
        process.terminate()
        process.wait(timeout=10)
        assert "Traceback" not in served.log_text(), served.log_text()
        assert outlived(children) == [], "the registry's own processes (workers, the export process) end with it"


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from ``/proc``."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children += [int(c) for c in task.read_text().split()]
    return [pid, *(p for c in children for p in process_tree(c))]


def outlived(pids: list[int], seconds: float = 5) -> list[int]:
    """Those of ``pids`` still running after ``seconds``."""
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def wait_until_healthy(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the registry did not answer at {base} within {seconds} s")
