"""Faults are answered honestly and recovered from without a restart: a commit that fails, a
database that goes away, a busy SQLite file, a full or read-only data folder, a bad database URL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sqlite3
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from registry.db.engine import WRITE
from tests.conftest import POSTGRES_URL
from tests.evidence_world import PDF, PRODUCT, STUDY
from tests.served import CLI, Served, registry_env, served_registry
from tests.support import ADMIN_TOKEN, Api, problem

pytestmark = pytest.mark.starter_library


def unavailable(response: httpx.Response, status: int = 503) -> dict[str, Any]:
    body = problem(response, status)
    assert int(response.headers["retry-after"]) > 0
    return body


async def test_a_failed_commit_is_a_503_and_stores_nothing(client: AsyncTestClient, admin: Api, caplog: pytest.LogCaptureFixture) -> None:
    town = await admin.create_org("municipality", name="Before")
    engine = client.app.state.database.engine.sync_engine

    def refuse_commit(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE):
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    event.listen(engine, "commit", refuse_commit)
    try:
        with caplog.at_level(logging.ERROR, logger="registry"):
            response = await admin.patch(f"/api/v1/organizations/{town['id']}", json={"name": "After"})
    finally:
        event.remove(engine, "commit", refuse_commit)
    body = unavailable(response)
    assert any(body["request_id"] in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)
    assert (await admin.get(f"/api/v1/organizations/{town['id']}")).json()["name"] == "Before"
    events = (await admin.get("/api/v1/audit", params={"entity_id": town["id"], "action": "organization.update"})).json()
    assert events["total"] == 0, "no audit event for a write that was not stored"
    assert (await admin.patch(f"/api/v1/organizations/{town['id']}", json={"name": "After"})).json()["name"] == "After"


@pytest.mark.parametrize("url", ["postgresql+asyncpg://registry:secret@127.0.0.1:1/none", "sqlite+aiosqlite:////nonexistent-folder/registry.db"])
@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_unreachable_database_url_is_one_line_naming_the_setting(tmp_path: Path, url: str, command: str) -> None:
    env = registry_env(tmp_path) | {"REGISTRY_DATABASE_URL": url}
    result = subprocess.run([*CLI, command, *(["--port", "1"] if command == "serve" else [])], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "REGISTRY_DATABASE_URL" in lines[0] and "Traceback" not in result.stderr, result.stderr
    assert "secret" not in result.stderr, "the password is not printed"


class Proxy:
    """A TCP relay to the database that the test can cut and restore, like a network outage."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            Proxy._drop(end)

    @staticmethod
    def _drop(end: socket.socket) -> None:
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def cut(self) -> None:
        self.open = False
        for connection in self.sockets:
            self._drop(connection)
        self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def proxied_database(tmp_path: Path, templates: tuple[str, str]) -> Iterator[tuple[Proxy, str]]:
    if not POSTGRES_URL:
        pytest.skip("a database server to cut off: PostgreSQL only (SQLite faults are the data-folder tests)")
    url = make_url(POSTGRES_URL)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    with served_registry(tmp_path, database_url=url.set(port=proxy.port).render_as_string(hide_password=False),
                         bootstrap_admin_token=ADMIN_TOKEN) as served:  # fmt: skip
        yield proxy, served.base_url
    proxy.close()


async def test_database_outage_is_503_everywhere_and_recovers_by_itself(proxied_database: tuple[Proxy, str]) -> None:
    proxy, base = proxied_database
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        api = Api(http, ADMIN_TOKEN)  # type: ignore[arg-type]
        assert (await api.get("/api/v1/me")).status_code == 200
        proxy.cut()
        for method, path in [("GET", "/api/v1/me"), ("GET", "/api/v1/modules"), ("POST", "/api/v1/organizations"), ("GET", "/health")]:
            unavailable(await api.request(method, path, json={"kind": "authority", "name": "Down", "country": "NO"}))
        proxy.restore()
        assert (await api.get("/api/v1/me")).status_code == 200
        assert (await api.get("/health")).status_code == 200


@pytest.fixture
async def served_sqlite(tmp_path: Path, templates: tuple[str, str]) -> AsyncIterator[tuple[Api, Path]]:
    if POSTGRES_URL:
        pytest.skip("SQLite's locking")
    with served_registry(tmp_path, bootstrap_admin_token=ADMIN_TOKEN) as served:
        async with httpx.AsyncClient(base_url=served.base_url, timeout=60) as http:
            yield Api(http, ADMIN_TOKEN), tmp_path / "registry.db"  # type: ignore[arg-type]


async def test_sqlite_reads_never_wait_for_the_write_lock(served_sqlite: tuple[Api, Path]) -> None:
    api, database = served_sqlite
    assert (await api.get("/api/v1/me")).status_code == 200  # the token's use is stamped now, not during the lock
    writer = sqlite3.connect(database, isolation_level=None, timeout=1)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = asyncio.get_running_loop().time()
        reads = await asyncio.gather(*(api.get(path) for path in ["/api/v1/modules", "/api/v1/organizations", "/api/v1/tenders"] * 8))
        assert [r.status_code for r in reads] == [200] * 24
        assert asyncio.get_running_loop().time() - started < 5, "reads did not queue behind the writer"
        unavailable(await api.post("/api/v1/organizations", json={"kind": "authority", "name": "Locked out", "country": "NO"}))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert (await api.post("/api/v1/organizations", json={"kind": "authority", "name": "After the lock", "country": "NO"})).status_code == 201


@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


async def _attach(api: Api, evidence_id: str) -> httpx.Response:
    return await api.post(f"/api/v1/evidence/{evidence_id}/attachments", files={"file": ("report.pdf", PDF + b"%" * 200_000, "application/pdf")})


async def _supplier_with_evidence(admin: Api) -> tuple[Api, str]:
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    evidence = (await editor.post(f"/api/v1/products/{product['id']}/evidence", json=STUDY)).json()
    return editor, evidence["id"]


@pytest.fixture
def on_small_disk(tmp_path: Path, templates: tuple[str, str]) -> Iterator[Served]:
    """A registry whose data folder (with the SQLite database, if that is the test database) is a 48 MB file system."""
    with small_disk(tmp_path / "disk", 48) as disk, served_registry(disk, bootstrap_admin_token=ADMIN_TOKEN) as served:
        yield served


@pytest.fixture
def files_on_small_disk(tmp_path: Path, templates: tuple[str, str]) -> Iterator[Served]:
    """The same with the database elsewhere: a file system cannot be remounted read-only while a
    SQLite database on it is open for writing."""
    database = {} if POSTGRES_URL else {"database_url": f"sqlite+aiosqlite:///{tmp_path / 'registry.db'}"}
    with small_disk(tmp_path / "disk", 48) as disk, served_registry(disk, bootstrap_admin_token=ADMIN_TOKEN, **database) as served:
        yield served


async def test_a_full_data_folder_is_507_and_writes_resume_when_space_is_freed(on_small_disk: Served) -> None:
    served, disk = on_small_disk, on_small_disk.data_dir
    async with httpx.AsyncClient(base_url=served.base_url, timeout=60) as http:
        admin = Api(http, ADMIN_TOKEN)  # type: ignore[arg-type]
        editor, evidence_id = await _supplier_with_evidence(admin)
        if not POSTGRES_URL:  # the write-ahead log keeps the size of the largest write until truncated
            with contextlib.closing(sqlite3.connect(disk / "registry.db")) as database:
                database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        filler = disk / "filler"
        with filler.open("wb") as out, contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 1_048_576)
                out.flush()
                os.fsync(out.fileno())
        unavailable(await _attach(editor, evidence_id), 507)
        assert not list((disk / "files").glob(".upload-*")), "a failed upload leaves nothing behind"
        if not POSTGRES_URL:
            # The database file may still have free pages (the search index frees some as it merges
            # segments): write large records until one needs space the disk no longer has.
            product = (await editor.get("/api/v1/products")).json()["items"][0]["id"]
            before = (await admin.get("/api/v1/audit", params={"limit": 1})).json()["total"]
            stored = 0
            for n in range(500):
                record = STUDY | {"title": f"No room {n}", "summary": "x" * 19_000}
                refused = await editor.post(f"/api/v1/products/{product}/evidence", json=record)
                if refused.status_code != 201:
                    break
                stored += 1
            assert refused.status_code in (503, 507), refused.text
            unavailable(refused, refused.status_code)
            again = await admin.post("/api/v1/organizations", json={"kind": "authority", "name": "No room again", "country": "NO"})
            unavailable(again, again.status_code)
            assert (await admin.get("/api/v1/audit", params={"limit": 1})).json()["total"] == before + stored, "a refused write leaves no record"
        health = await http.get("/health")
        assert "data_folder" in [e["field"] for e in unavailable(health)["errors"]]
        filler.unlink()
        assert (await _attach(editor, evidence_id)).status_code == 201
        assert (await admin.post("/api/v1/organizations", json={"kind": "authority", "name": "Room again", "country": "NO"})).status_code == 201
        assert (await http.get("/health")).status_code == 200


async def test_a_read_only_data_folder_is_503_and_uploads_resume_when_writable(files_on_small_disk: Served) -> None:
    served, disk = files_on_small_disk, files_on_small_disk.data_dir
    async with httpx.AsyncClient(base_url=served.base_url, timeout=60) as http:
        admin = Api(http, ADMIN_TOKEN)  # type: ignore[arg-type]
        editor, evidence_id = await _supplier_with_evidence(admin)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        try:
            unavailable(await _attach(editor, evidence_id))
            assert "data_folder" in [e["field"] for e in unavailable(await http.get("/health"))["errors"]]
            assert (await admin.post("/api/v1/organizations", json={"kind": "authority", "name": "Still", "country": "NO"})).status_code == 201
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        assert (await _attach(editor, evidence_id)).status_code == 201
        assert (await admin.post("/api/v1/organizations", json={"kind": "authority", "name": "Writable", "country": "NO"})).status_code == 201
