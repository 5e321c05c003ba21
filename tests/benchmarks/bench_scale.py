"""Benchmark: the registry at national scale, served as in production (`registry serve`), on SQLite and PostgreSQL.

Run: .venv/bin/python -m tests.benchmarks.bench_scale [--quick] [--database sqlite|postgresql|both] [--workers N]
(or `make bench`). ``--quick`` runs a tenth of the library and the tender, to check the harness.

On each database, over a generated library of 10,000 published modules (four languages, a third
also in Finnish; categories, product categories and parameters of the starter library's modules):

1. the module list, 50 per page with a product-category filter, under load (32 connections), and
   the same bytes from a bare Litestar endpoint served the same way: the ratio of their requests/s;
2. a conditional GET of one module version answered 304, against the bare endpoint's 304;
3. full-text searches (``q``) in Swedish, Danish, Finnish and English, one connection: p95;
4. a national joint tender through the API at 1x (one federation, 290 municipalities, 4 lots,
   1,000 selections) and 2x (580 municipalities, 2,000 selections), each on a freshly started
   server: every phase's time and its 2x/1x ratio; and the server's peak resident memory (VmHWM);
5. 200 concurrent evidence submissions from 20 supplier tokens: what is stored afterwards.

Load comes from `wrk` when it is on PATH (`make bench` installs it where it can), else (or with
``BENCH_LOAD_GENERATOR=httpx``) from an asyncio generator on httpx; the registry and the bare
endpoint always share one. The machine's
load moves absolute figures; ratios measured within one run are what the targets are about.
Missed targets are reported, not raised; a wrong answer (an error status, a lost or duplicated
evidence item, a traceback in the server's log) stops the run with an error after printing what
was measured.

PostgreSQL: ``REGISTRY_BENCH_DATABASE_URL``, by default
``postgresql+asyncpg://postgres@127.0.0.1:5432/registry_bench`` (created when missing). The
benchmark empties that database on every run, so its name must contain ``bench``. Without a
reachable server the PostgreSQL rows are left out, saying why.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
import msgspec
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from registry.db.engine import create_engine
from registry.db.migrate import upgrade
from registry.requirements.templates import ModuleTemplate
from tests.benchmarks.load import GENERATOR, Load, LoadError, run_load, write_responses
from tests.benchmarks.scale_world import Member, World, build_world, in_transaction, store_library
from tests.library_world import buyer_values
from tests.served import CLI, free_port, process_tree, wait_until_healthy
from tests.tender_world import confirmation, spec

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/registry_bench"
CONNECTIONS = 32
CONCURRENCY = 8
"""Municipalities answering, and reading, at the same time."""
LOTS = 4
INVITATION_BATCH = 290
"""Municipalities per invitation request (the API takes at most 400)."""
LIST_QUERY = {"product_category": "digital_social_alarm", "limit": 50}
SEARCHES = ("trygghetslarm", "ældre", "hälytys", "alarm", "scaip", "tilgjengelighet")
"""Four words most generated modules hold (thousands of hits) and two that few hold (hundreds)."""
DISTINCT = 1_000
"""Pages asked for by each measurement of searches and cold lists, every one a query not asked before (lists are kept in memory)."""
PRODUCT_CATEGORIES = ("digital_social_alarm", "gps_alarm", "medicine_dispenser", "sensors_fall_detection")
PHASES = ("create", "invite", "open", "answers", "reads", "publish", "export docx", "export xlsx", "export ocds")
HEALTH = "health during the XLSX export"


@dataclass(frozen=True)
class Size:
    modules: int
    municipalities: int
    """Of the tender at 1x; 2x has twice as many, and twice the selections."""
    selections: int
    suppliers: int
    submissions: int
    seconds: float
    """Of each measurement under load (after a one-second warm-up)."""
    search_seconds: float


FULL = Size(modules=10_000, municipalities=290, selections=1_000, suppliers=20, submissions=200, seconds=10, search_seconds=10)
QUICK = Size(modules=1_000, municipalities=29, selections=100, suppliers=4, submissions=40, seconds=2, search_seconds=1)


class BenchmarkError(Exception):
    """A wrong answer: the run stops, after printing what was measured."""


@dataclass
class Row:
    section: int
    """The benchmark's numbered part; the table lists rows by database, then part."""
    request: str
    database: str
    load: Load | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class Table:
    heading: str
    """When, on what machine, with which generator."""
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {_cells(row)[0]}: {', '.join(f'{h} {c}' for h, c in zip(HEADINGS[1:], _cells(row)[1:], strict=True) if c)}", flush=True)
        return row


HEADINGS = ("request", "database", "n", "s", "req/s", "p50 ms", "p95 ms", "p99 ms", "ratio", "target", "met?")


def _cells(row: Row) -> list[str]:
    load = row.load
    figures = [""] * 6
    if load:
        figures = [f"{load.requests:,}", f"{load.seconds:.2f}", f"{load.rate:,.1f}", f"{load.p50:.1f}", f"{load.p95:.1f}", f"{load.p99:.1f}"]
    met = "" if row.met is None else ("yes" if row.met else "NO")
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}" if row.ratio >= 0.1 else f"{row.ratio:.4f}"
    return [row.request, row.database, *figures, ratio, row.target, met]


def print_table(table: Table) -> None:
    databases = list(dict.fromkeys(r.database for r in table.rows))
    rows = sorted(table.rows, key=lambda r: (databases.index(r.database), r.section))
    lines = [list(HEADINGS), *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADINGS))]
    print()
    for n, line in enumerate(lines):
        print("  ".join(c.ljust(w) if i < 2 or i > 8 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nMarkdown:\n\n{table.heading}\n")
    print("| " + " | ".join(HEADINGS) + " |")
    print("|" + "|".join("---" if i < 2 or i > 8 else "---:" for i in range(len(HEADINGS))) + "|")
    for line in lines[1:]:
        print("| " + " | ".join(c.replace("|", "\\|") for c in line) + " |")
    for note in table.notes:
        print(f"\n{note}")


# ---------------------------------------------------------------- servers


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path
    idle: float = 0.0
    """Seconds /health takes when the server has nothing else to do."""

    def health_seconds(self) -> float:
        start = time.perf_counter()
        if httpx.get(f"{self.base}/health", timeout=600).status_code != 200:
            raise BenchmarkError(f"{self.base}/health is not 200")
        return time.perf_counter() - start

    def settle(self, seconds: float = 900) -> None:
        """Wait until the requests a load generator left behind are done (it stops sending; the server still
        works through what it was sent): until /health answers twice in a row about as fast as when idle."""
        deadline, prompt = time.monotonic() + seconds, 0
        while prompt < 2:
            if time.monotonic() > deadline:
                raise BenchmarkError(f"the server at {self.base} was still busy {seconds} s after the load stopped")
            prompt = prompt + 1 if self.health_seconds() < 3 * self.idle + 0.02 else 0

    def peak_memory_mb(self) -> float:
        """VmHWM of the server process and its children (workers), in MiB."""
        return sum(_vm_hwm_kb(pid) for pid in process_tree(self.process.pid)) / 1024


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@contextmanager
def serving(command: list[str], env: dict[str, str], log: Path) -> Iterator[Server]:
    """Start ``command`` with ``--port``, wait for /health, yield; stop it and fail on a traceback in its log."""
    port = free_port()
    with log.open("wb") as stderr:
        process = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        try:
            wait_until_healthy(server.base, seconds=120)
        except AssertionError as exc:
            raise BenchmarkError(str(exc)) from None
        server.idle = sorted(server.health_seconds() for _ in range(5))[2]
        yield server
    except BenchmarkError as exc:
        raise BenchmarkError(f"{exc}\nthe end of the server's log:\n{log.read_text(errors='replace')[-3000:]}") from None
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still finishing requests a load generator left behind
            process.kill()
            process.wait()
    if "Traceback" in log.read_text(errors="replace"):
        raise BenchmarkError(f"the server logged a traceback; see {log}:\n{log.read_text(errors='replace')[-3000:]}")


@dataclass
class Registry:
    """How to serve the registry on one database."""

    url: str
    data_dir: Path
    workers: int

    @contextmanager
    def serve(self, name: str) -> Iterator[Server]:
        env = os.environ | {
            "REGISTRY_DATA_DIR": str(self.data_dir), "REGISTRY_DATABASE_URL": self.url, "REGISTRY_SEED_LIBRARY": "false",
            "REGISTRY_LOG_LEVEL": "WARNING",
        }  # fmt: skip
        workers = ["--workers", str(self.workers)] if self.workers > 1 else []
        with serving([*CLI, "serve", *workers], env, self.data_dir / f"{name}.log") as server:
            yield server


@contextmanager
def bare_endpoint(responses: Path, workers: int) -> Iterator[Server]:
    command = [sys.executable, "-m", "tests.benchmarks.bare", "--responses", str(responses), "--workers", str(workers)]
    with serving(command, dict(os.environ), responses.with_suffix(".log")) as server:
        yield server


# ---------------------------------------------------------------- requests


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Busy:
    """Answers of 503 (database busy, with ``Retry-After``) that were retried, as a client following the protocol does."""

    count: int = 0
    tries: int = 10

    def note(self) -> str:
        return f" ({self.count} busy 503s, retried)" if self.count else ""


async def call(
    client: httpx.AsyncClient, method: str, path: str, token: str, expect: Sequence[int] = (200,), busy: Busy | None = None, **kwargs: Any
) -> httpx.Response:
    """One request; a status other than ``expect`` is a wrong answer, except a 503 retried after its ``Retry-After`` when ``busy`` counts them."""
    headers = bearer(token) | kwargs.pop("headers", {})
    for attempt in range(busy.tries if busy else 1):
        try:
            response = await client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise BenchmarkError(f"{method} {path}: {exc!r}") from exc
        if busy is None or response.status_code != 503 or attempt == busy.tries - 1:
            break
        busy.count += 1
        await asyncio.sleep(float(response.headers.get("retry-after", 1)))
    if response.status_code not in expect:
        raise BenchmarkError(f"{method} {path}: {response.status_code}, expected {'/'.join(map(str, expect))}: {response.text[:500]}")
    return response


async def phase(work: Sequence[Callable[[], Awaitable[Any]]], concurrency: int = 1) -> Load:
    """Run ``work`` (each item one request), ``concurrency`` at a time; the latency of each and the total time."""
    gate, latencies = asyncio.Semaphore(concurrency), list[float]()

    async def timed(item: Callable[[], Awaitable[Any]]) -> None:
        async with gate:
            start = time.perf_counter()
            await item()
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(timed(item) for item in work))
    return Load.of(latencies, time.perf_counter() - start)


def client(server: Server, connections: int = CONNECTIONS) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=server.base, limits=limits, timeout=600)


def measure(server: Server, paths: Sequence[str], headers: dict[str, str], connections: int, seconds: float) -> Load:
    """A warm-up second, then the measurement, each followed by the server settling; a failed request is a wrong answer."""
    try:
        run_load(server.base, paths, headers, connections=connections, seconds=1)
        server.settle()
        load = run_load(server.base, paths, headers, connections=connections, seconds=seconds)
        server.settle()
    except LoadError as exc:
        raise BenchmarkError(str(exc)) from exc
    return load


# ---------------------------------------------------------------- 1-3: library reads


@dataclass
class LibraryPaths:
    listing: str
    version: str
    etag: str
    listed: int


async def library_paths(server: Server, token: str, key: str) -> tuple[LibraryPaths, dict[str, httpx.Response]]:
    """The paths loaded, checked once, and the registry's answers the bare endpoint will repeat."""
    async with client(server) as http:
        listing = f"/api/v1/modules?{urlencode(LIST_QUERY)}"
        listed = await call(http, "GET", listing, token)
        version = f"/api/v1/modules/{key}/versions/1"
        full = await call(http, "GET", version, token)
        etag = full.headers["etag"]
        await call(http, "GET", version, token, expect=(304,), headers={"If-None-Match": etag})
        health = await http.get("/health")
    paths = LibraryPaths(listing, version, etag, listed.json()["total"])
    return paths, {listing: listed, version: full, "/health": health}


def library_reads(table: Table, database: str, registry: Server, token: str, paths: LibraryPaths, size: Size) -> dict[str, Load]:
    """Sections 1 to 3 on the registry; returns the loads of 1 and 2 for the bare comparison."""
    auth = bearer(token)
    conditional = {"If-None-Match": paths.etag}
    loads = {
        "list": measure(registry, [paths.listing], auth, CONNECTIONS, size.seconds),
        "304": measure(registry, [paths.version], auth | conditional, CONNECTIONS, size.seconds),
        "list, no token": measure(registry, [paths.listing], {}, CONNECTIONS, size.seconds),
        "304, no token": measure(registry, [paths.version], conditional, CONNECTIONS, size.seconds),
    }
    cold = measure(registry, _pages(LIST_QUERY, paths.listed), auth, 1, size.search_seconds)
    table.add(Row(1, "  every page a new query (none from memory), 1 connection", database, cold))
    for q in SEARCHES:
        hits = asyncio.run(_total(registry, f"/api/v1/modules?{urlencode({'q': q, 'limit': 50})}", token))
        if not hits:
            raise BenchmarkError(f"q={q} found nothing in the generated library")
        load = measure(registry, _pages({"q": q, "limit": 50}, hits), auth, 1, size.search_seconds)
        table.add(Row(3, f"search q={q} ({hits:,} hits), 1 connection", database, load, None, "p95 < 25 ms", load.p95 < 25))
    return loads


def _pages(query: dict[str, Any], total: int) -> list[str]:
    """Paths of ``query`` at distinct offsets and page sizes, so that no request is answered from memory."""
    offsets = range(min(total, DISTINCT))
    return [f"/api/v1/modules?{urlencode(query | {'limit': limit, 'offset': offset})}" for limit in (50, 49) for offset in offsets]


async def _total(server: Server, path: str, token: str) -> int:
    async with client(server) as http:
        return (await call(http, "GET", path, token)).json()["total"]


def compare_with_bare(table: Table, database: str, registry: dict[str, Load], bare: dict[str, Load], listed: int) -> None:
    for section, name, label, target in (
        (1, "list", f"module list, 50 of {listed:,} (product_category)", 0.30),
        (2, "304", "module version, If-None-Match → 304", 0.60),
    ):
        ratio = registry[name].rate / bare[name].rate
        table.add(Row(section, label, database, registry[name], ratio, f"ratio ≥ {target:.2f}", ratio >= target))
        public = registry[f"{name}, no token"]
        table.add(Row(section, "  the same without a token (the public library)", database, public, public.rate / bare[name].rate))
        table.add(Row(section, "  the same from a bare Litestar endpoint", database, bare[name]))


# ---------------------------------------------------------------- 4: the national joint tender


def _selection(module: ModuleTemplate) -> dict[str, Any]:
    """The module's newest version, with values for the parameters a buyer must set."""
    parameters = buyer_values(msgspec.to_builtins(module.versions[-1].parameters))
    return {"module_key": module.key, "module_version": len(module.versions)} | ({"parameters": parameters} if parameters else {})


def tender_body(reference: str, library: list[ModuleTemplate], selections: int) -> dict[str, Any]:
    """A Swedish joint tender of 4 lots; each lot has two award criteria (30 points each) and distinct other modules."""
    awards = [_selection(m) | {"weight": 30} for m in library if m.versions[-1].kind == "award"]
    others = [_selection(m) for m in library if m.versions[-1].kind != "award"]
    per_lot = selections // LOTS
    if len(others) < per_lot - 2 or len(awards) < 2 * LOTS:
        raise BenchmarkError(f"the generated library is too small for lots of {per_lot} distinct modules")
    lots = []
    for n in range(LOTS):
        chosen = awards[2 * n : 2 * n + 2]
        start = n * (per_lot - 2) % len(others)
        chosen += (others * 2)[start : start + per_lot - 2]
        lots.append({
            "title": f"Delområde {n + 1}", "product_categories": [PRODUCT_CATEGORIES[n]], "price_weight": 40, "quality_weight": 60,
            "selections": chosen,
        })  # fmt: skip
    return spec(reference) | {"title": "Trygghetslarm och välfärdsteknik för Sveriges kommuner", "language": "sv", "currency": "SEK", "lots": lots}


async def current_etag(http: httpx.AsyncClient, path: str, token: str) -> str:
    """The tender's ETag, read before a write that needs it (not part of the phase measured)."""
    return (await call(http, "GET", path, token)).headers["etag"]


async def national_tender(server: Server, coordinator: Member, towns: list[Member], body: dict[str, Any]) -> tuple[dict[str, Load], dict[str, str]]:
    """Every phase of the joint tender through the API; each phase's requests and time, and notes on retries."""
    loads: dict[str, Load] = {}
    busy = Busy()
    lead = coordinator.token

    async def step(name: str, work: Sequence[Callable[[], Awaitable[Any]]], concurrency: int = 1) -> None:
        loads[name] = await phase(work, concurrency)
        print(f"    {name}: {loads[name].seconds:.2f} s", flush=True)

    async with client(server) as http:
        created: dict[str, Any] = {}

        async def create() -> None:
            created["id"] = (await call(http, "POST", "/api/v1/tenders", lead, expect=(201,), json=body)).json()["id"]

        await step("create", [create])
        path = f"/api/v1/tenders/{created['id']}"
        etag = await current_etag(http, path, lead)
        invitations = [{"organization_ids": [str(t.id) for t in towns[n : n + INVITATION_BATCH]]} for n in range(0, len(towns), INVITATION_BATCH)]
        invited: list[float] = []
        for invitation in invitations:  # each needs the ETag the previous one left
            load = await phase([lambda i=invitation, e=etag: call(http, "POST", f"{path}/participants", lead, json=i, headers={"If-Match": e})])
            invited.append(load.seconds)
            etag = await current_etag(http, path, lead)
        loads["invite"] = Load.of(invited, sum(invited))
        await step("open", [lambda: call(http, "POST", f"{path}/open-for-participants", lead, headers={"If-Match": etag})])
        answer = confirmation([(lot, 100 + 10 * lot) for lot in range(1, LOTS + 1)])
        answers = [lambda t=t: call(http, "PUT", f"{path}/participants/{t.id}", t.token, json=answer, busy=busy) for t in towns]
        await step("answers", answers, CONCURRENCY)
        await step("reads", [lambda t=t: call(http, "GET", path, t.token) for t in towns], CONCURRENCY)
        etag = await current_etag(http, path, lead)
        await step("publish", [lambda: call(http, "POST", f"{path}/publish", lead, headers={"If-Match": etag})])
        for fmt in ("docx", "xlsx", "ocds"):
            await step(f"export {fmt}", [lambda fmt=fmt: _export(http, f"{path}/exports/{fmt}", lead)])
        loads[HEALTH] = await _health_during(http, lambda: _export(http, f"{path}/exports/xlsx", lead))
        tender = (await call(http, "GET", path, lead)).json()
    if tender["status"] != "published":
        raise BenchmarkError(f"the tender is {tender['status']} after publishing")
    return loads, {"answers": busy.note()}


async def _health_during(http: httpx.AsyncClient, work: Callable[[], Awaitable[Any]]) -> Load:
    """How fast /health answers, asked again and again, while ``work`` runs (an export builds in a worker thread)."""
    latencies: list[float] = []
    done = asyncio.Event()

    async def poll() -> None:
        while not done.is_set():
            start = time.perf_counter()
            if (await http.get("/health")).status_code != 200:
                raise BenchmarkError("/health failed while an export was building")
            latencies.append(time.perf_counter() - start)
            await asyncio.sleep(0.005)

    started = time.perf_counter()
    poller = asyncio.create_task(poll())
    try:
        await work()
    finally:
        done.set()
        await poller
    return Load.of(latencies or [0.0], time.perf_counter() - started)


async def _export(http: httpx.AsyncClient, path: str, token: str) -> None:
    if not (await call(http, "GET", path, token)).content:
        raise BenchmarkError(f"{path} is empty")


def tender_rows(
    table: Table, database: str, scale: int, results: dict[int, dict[str, Load]], notes: dict[str, str], memory: dict[int, float], size: Size
) -> None:
    """The rows of the tender at ``scale``, each phase with its ratio to 1x."""
    towns, selections = size.municipalities * scale, size.selections * scale
    for name in PHASES:
        ratio = results[scale][name].seconds / results[1][name].seconds if scale > 1 else None
        label = f"tender {scale}x ({towns} municipalities, {selections:,} selections): {name}{notes.get(name, '')}"
        met = None if ratio is None else ratio <= 2.2
        table.add(Row(4, label, database, results[scale][name], ratio, "2x/1x ≤ 2.2" if scale > 1 else "", met))
    health = results[scale][HEALTH]
    table.add(Row(4, f"tender {scale}x: /health while the XLSX builds (p99)", database, health, None, "p99 < 50 ms", health.p99 < 50))
    ratio = memory[scale] / memory[1] if scale > 1 else None
    table.add(Row(6, f"tender {scale}x: server peak memory (VmHWM) {memory[scale]:,.0f} MiB", database, None, ratio))


# ---------------------------------------------------------------- 5: concurrent evidence submissions


def evidence_body(n: int) -> dict[str, Any]:
    return {
        "type": "study", "title": f"Utvärdering {n:04d}", "study_design": "uncontrolled_before_after", "independent": n % 3 == 0,
        "visibility": "buyers",
        "period_start": "2024-01-01", "period_end": "2024-12-31",
        "outcomes": [{"domain": "staff_time", "measure": "Minutes per visit", "baseline": 22, "result": 15, "sample_size": 40 + n}],
    }  # fmt: skip


async def evidence_submissions(server: Server, suppliers: list[Member], submissions: int) -> tuple[Load, str, Busy]:
    """All submissions at once, spread over the suppliers' tokens; then one retry each; then count what is stored."""
    async with client(server, connections=submissions) as http:
        products = []
        for s in suppliers:
            product = {"name": "Trygghetslarm", "model": "TL-1", "categories": ["digital_social_alarm"]}
            products.append((await call(http, "POST", "/api/v1/products", s.token, expect=(201,), json=product)).json()["id"])
        plan = [(n, suppliers[n % len(suppliers)], products[n % len(suppliers)]) for n in range(submissions)]
        stored: dict[int, str] = {}
        busy = Busy()

        async def submit(n: int, supplier: Member, product: str) -> str:
            response = await call(
                http, "POST", f"/api/v1/products/{product}/evidence", supplier.token, expect=(200, 201),
                json=evidence_body(n), headers={"Idempotency-Key": f"bench-evidence-{n}"}, busy=busy,
            )  # fmt: skip
            return response.json()["id"]

        async def first(n: int, supplier: Member, product: str) -> None:
            stored[n] = await submit(n, supplier, product)

        load = await phase([lambda p=p: first(*p) for p in plan], submissions)
        for n, supplier, product in plan[: len(suppliers)]:
            if (again := await submit(n, supplier, product)) != stored[n]:
                raise BenchmarkError(f"a retry of submission {n} with its Idempotency-Key made {again}, not {stored[n]}")
        for index, (supplier, product) in enumerate(zip(suppliers, products, strict=True)):
            listed = (await call(http, "GET", "/api/v1/evidence", supplier.token, params={"product_id": product, "limit": 200})).json()
            titles = sorted(item["title"] for item in listed["items"])
            expected = sorted(evidence_body(n)["title"] for n, s, _ in plan if s is supplier)
            if listed["total"] != len(expected) or titles != expected:
                raise BenchmarkError(f"supplier {index + 1}: stored {listed['total']} items {titles}, expected {expected}")
    return load, f"{submissions} stored, 0 lost, 0 duplicated, {len(suppliers)} repeats answered as first{busy.note()}", busy


# ---------------------------------------------------------------- databases


def postgres_url() -> str:
    return os.environ.get("REGISTRY_BENCH_DATABASE_URL") or DEFAULT_POSTGRES


async def prepare_postgres(url: str) -> str | None:
    """Create the database when missing and empty it; None when ready, else why PostgreSQL is left out."""
    parsed = make_url(url)
    if "bench" not in (parsed.database or ""):
        return f"{parsed.database!r} is not a benchmark database (its name must contain 'bench'): the benchmark empties it"
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(plain, timeout=5)
    except asyncpg.InvalidCatalogNameError:
        try:
            admin = await asyncpg.connect(parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False))
            await admin.execute(f'CREATE DATABASE "{parsed.database}"')
            await admin.close()
            print(f"created the database {parsed.database}")
        except (OSError, asyncpg.PostgresError) as exc:
            return f"cannot create {parsed.database}: {exc}"
        connection = await asyncpg.connect(plain, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{parsed.render_as_string()} unreachable: {exc}"
    await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    await connection.close()
    return None


async def build(url: str, size: Size) -> tuple[list[ModuleTemplate], World]:
    """The library and the organizations, each in one transaction; prints how long they took."""
    start = time.perf_counter()
    library = await in_transaction(url, lambda session: store_library(session, size.modules))
    print(f"  library: {size.modules:,} generated modules and the starter library in {time.perf_counter() - start:.1f} s", flush=True)
    start = time.perf_counter()
    sizes = [size.municipalities, 2 * size.municipalities]

    async def organizations(session: AsyncSession) -> World:
        return await build_world(session, sizes, size.suppliers)

    world = await in_transaction(url, organizations)
    print(f"  organizations: {sum(sizes)} municipalities in 2 federations, {size.suppliers} suppliers, "
          f"in {time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip
    return library, world


async def vacuum(url: str) -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would give them (PostgreSQL only)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text("VACUUM ANALYZE"))
    await engine.dispose()


def run_database(table: Table, database: str, url: str, data_dir: Path, size: Size, workers: int, tender: bool = True) -> None:
    print(f"\n== {database}: {url}", flush=True)
    upgrade(url)
    library, world = asyncio.run(build(url, size))
    if database == "PostgreSQL":
        asyncio.run(vacuum(url))
    registry = Registry(url, data_dir, workers)
    reader = world.federations[0][1][0].token
    with registry.serve("registry") as server:
        paths, answers = asyncio.run(library_paths(server, reader, library[-1].key))
        loads = library_reads(table, database, server, reader, paths, size)
        load, stored, busy = asyncio.run(evidence_submissions(server, world.suppliers, size.submissions))
        label = f"evidence: {size.submissions} at once from {size.suppliers} tokens; {stored}"
        table.add(Row(5, label, database, load, None, "no error, loss or duplicate", busy.count == 0))
    if workers == 1:
        with Registry(url, data_dir, 2).serve("registry-2-workers") as server:
            two = measure(server, [paths.listing], bearer(reader), CONNECTIONS, size.seconds)
        ratio = two.rate / loads["list"].rate
        table.add(Row(1, "  the same with 2 workers (ratio: to 1 worker)", database, two, ratio, "ratio ≥ 1.60", ratio >= 1.6))
    write_responses(data_dir / "bare.json", answers)
    with bare_endpoint(data_dir / "bare.json", workers) as bare:
        bare_loads = {
            "list": measure(bare, [paths.listing], bearer(reader), CONNECTIONS, size.seconds),
            "304": measure(bare, [paths.version], bearer(reader) | {"If-None-Match": paths.etag}, CONNECTIONS, size.seconds),
        }
    compare_with_bare(table, database, loads, bare_loads, paths.listed)
    if not tender:
        return
    results: dict[int, dict[str, Load]] = {}
    memory: dict[int, float] = {}
    for scale in (1, 2):
        coordinator, towns = world.federations[scale - 1]
        body = tender_body(f"NAT-{scale}X-{datetime.now(UTC):%H%M%S}", library, size.selections * scale)
        with registry.serve(f"tender-{scale}x") as server:
            results[scale], notes = asyncio.run(national_tender(server, coordinator, towns, body))
            memory[scale] = server.peak_memory_mb()
        tender_rows(table, database, scale, results, notes, memory, size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the library, the tender and the load time, to check the harness")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=1, help="server processes (passed to `registry serve --workers` above 1)")
    parser.add_argument("--no-tender", dest="tender", action="store_false", help="the library and evidence parts only, without the national tender")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    table = Table(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the start), "
        f"load generator {GENERATOR}, {args.workers} server worker(s){', --quick' if args.quick else ''}"
    )
    print(table.heading)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            if args.database in ("sqlite", "both"):
                folder = Path(tmp, "sqlite")
                run_database(table, "SQLite", f"sqlite+aiosqlite:///{folder}/registry.db", _mkdir(folder), size, args.workers, args.tender)
            if args.database in ("postgresql", "both"):
                url = postgres_url()
                if reason := asyncio.run(prepare_postgres(url)):
                    if args.database == "postgresql":
                        raise BenchmarkError(f"PostgreSQL: {reason}")
                    table.notes.append(f"PostgreSQL left out: {reason}")
                    print(f"\n== {table.notes[-1]}")
                else:
                    run_database(table, "PostgreSQL", url, _mkdir(Path(tmp, "postgresql")), size, args.workers, args.tender)
    except BenchmarkError as exc:
        print_table(table)
        sys.exit(f"\nerror: {exc}")
    print_table(table)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


if __name__ == "__main__":
    main()
