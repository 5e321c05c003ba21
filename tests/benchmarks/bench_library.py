"""Benchmark: listing and searching the starter library through the API (SQLite, one process).

Run: .venv/bin/python -m tests.benchmarks.bench_library   (or `make bench`)
Prints median and p95 per request over repeated calls; compare figures within one run.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.db.migrate import upgrade
from registry.settings import Settings

TOKEN = "wtr_benchmark-admin-token-0123456789abcdef"
ROUNDS = 50
QUERIES = {
    "list 50 modules": {"limit": 50},
    "list consent modules": {"category": "consent"},
    "search 'trygghetslarm'": {"q": "trygghetslarm", "limit": 50},
    "search 'ældre'": {"q": "ældre", "limit": 50},
    "search two words": {"q": "alarm data", "limit": 50},
    "filter + search": {"product_category": "gps_alarm", "q": "position", "limit": 50},
}


async def measure(settings: Settings) -> None:
    async with AsyncTestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        print(f"{'request':<24} {'median ms':>10} {'p95 ms':>8} {'items':>6}")
        for name, params in QUERIES.items():
            timings, total = [], 0
            for _ in range(ROUNDS):
                start = time.perf_counter()
                response = await client.get("/api/v1/modules", params=params, headers=headers)
                timings.append((time.perf_counter() - start) * 1000)
                total = response.json()["total"]
            timings.sort()
            print(f"{name:<24} {statistics.median(timings):>10.2f} {timings[int(ROUNDS * 0.95) - 1]:>8.2f} {total:>6}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), bootstrap_admin_token=TOKEN)
        upgrade(settings.url)
        asyncio.run(measure(settings))
