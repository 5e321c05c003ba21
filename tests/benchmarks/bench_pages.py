"""Benchmark: the web interface's library pages rendered by the server, on SQLite and PostgreSQL.

Run: .venv/bin/python -m tests.benchmarks.bench_pages [--quick] [--database sqlite|postgresql|both]
(or `make bench`). ``--quick`` uses 1,000 generated modules instead of 10,000.

Over the starter library alone and over 10,000 generated published modules beside it, each page is
asked for in-process (the application called through its ASGI interface, no network), one at a time:

1. the library search page (``/library?q=``) for words in Danish, Swedish, Norwegian and English,
   each at several result pages, so no two requests are alike: median and p95 (targets: p95 < 30 ms
   over the starter library, < 60 ms over 10,000 modules);
2. browsing by category and by product category without a search word;
3. every starter module's page: the largest HTML (target < 100 KB) and the p95 of rendering it.

PostgreSQL: ``REGISTRY_BENCH_DATABASE_URL`` as in ``bench_scale`` (emptied on every run).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.db.migrate import upgrade
from registry.requirements.templates import load_library
from registry.settings import Settings
from tests.benchmarks.bench_scale import postgres_url, prepare_postgres, vacuum
from tests.benchmarks.scale_world import STARTER, in_transaction, store_library

SEARCHES = {"da": ("aeldre", "borger", "alarm"), "sv": ("trygghetslarm", "samtycke"), "nb": ("tilgjengelighet", "personvern"), "en": ("encryption",)}
"""Words with many hits in each interface language (``aeldre`` finds ``ældre``)."""
BROWSING = ("/library?category=consent", "/library?product_category=gps_alarm", "/library?product_category=digital_social_alarm&page=2")
PAGES = 5
"""Result pages of each search asked for, one after another."""
ROUNDS = 4


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Timings:
    def __init__(self) -> None:
        self.milliseconds: list[float] = []
        self.paths: list[str] = []
        self.largest = 0

    def slowest(self) -> str:
        """The paths of the slowest answers, to say which requests the p95 is made of."""
        ranked = sorted(zip(self.milliseconds, self.paths, strict=True), reverse=True)[:4]
        return "    slowest: " + ", ".join(f"{path} {ms:.0f} ms" for ms, path in ranked)

    def line(self, name: str, target: str = "", met: bool | None = None) -> str:
        verdict = "" if met is None else ("  met" if met else "  NOT MET")
        ms = self.milliseconds
        return f"  {name:<44} n={len(ms):>4}  median {statistics.median(ms):6.1f} ms  p95 {percentile(ms, 0.95):6.1f} ms  {target}{verdict}"


async def timed(client: AsyncTestClient, paths: Iterable[tuple[str, str]], into: Timings) -> None:
    """Ask for each (path, language); every answer must be a page (200) or the run stops."""
    for path, language in paths:
        start = time.perf_counter()
        response = await client.get(path, headers={"Accept-Language": language})
        into.milliseconds.append((time.perf_counter() - start) * 1000)
        into.paths.append(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")
        into.largest = max(into.largest, len(response.content))


async def measure(url: str, data_dir: Path, label: str, search_target: float) -> None:
    settings = Settings(data_dir=data_dir, database_url=url, seed_library=False)
    async with AsyncTestClient(create_app(settings)) as client:
        await timed(client, [("/library", "en"), ("/library?q=alarm", "da")], Timings())  # warm the catalogue and the connections
        searches, browsing, modules = Timings(), Timings(), Timings()
        queries = [(f"/library?q={q}&page={n}", lang) for lang, words in SEARCHES.items() for q in words for n in range(1, PAGES + 1)]
        for _ in range(ROUNDS):
            await timed(client, queries, searches)
            await timed(client, ((path, "sv") for path in BROWSING), browsing)
        starter = [module.key for module in load_library(STARTER)[1]]
        await timed(client, ((f"/library/{key}", lang) for key in starter for lang in ("da", "en")), modules)
    print(f"{label}:")
    met = percentile(searches.milliseconds, 0.95) < search_target
    print(searches.line("library search page (/library?q=)", f"p95 < {search_target:.0f} ms", met))
    print(searches.slowest())
    print(browsing.line("library browsed by category (/library?category=)"))
    print(modules.line(f"module page (/library/KEY), {len(starter)} modules"))
    print(f"  {'largest module page':<44} {modules.largest / 1024:.1f} KB  target < 100 KB{'  met' if modules.largest < 100 * 1024 else '  NOT MET'}")


async def run(database: str, url: str, tmp: Path, generated: int) -> None:
    for count, target in ((0, 30.0), (generated, 60.0)):
        if database == "PostgreSQL":
            if reason := await prepare_postgres(url):
                print(f"PostgreSQL left out: {reason}")
                return
        else:
            url = f"sqlite+aiosqlite:///{tmp}/pages-{count}.db"
        await asyncio.to_thread(upgrade, url)
        await in_transaction(url, lambda session, count=count: store_library(session, count))  # type: ignore[misc]
        if database == "PostgreSQL":
            await vacuum(url)
        await measure(url, tmp, f"{database}, starter library" + (f" and {count:,} generated modules" if count else ""), target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 generated modules instead of 10,000")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    generated = 1_000 if args.quick else 10_000
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        if args.database in ("sqlite", "both"):
            asyncio.run(run("SQLite", "", Path(tmp), generated))
        if args.database in ("postgresql", "both"):
            asyncio.run(run("PostgreSQL", postgres_url(), Path(tmp), generated))


if __name__ == "__main__":
    main()
