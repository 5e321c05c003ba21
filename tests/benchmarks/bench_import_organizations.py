"""Benchmark: onboarding the Nordic countries' municipalities by file (`registry admin import-organizations`).

Every municipality of Norway (357), Sweden (290), Denmark (98) and Finland (308), 40 federations they join,
and 1,000 or 2,000 suppliers, imported into an empty SQLite registry, then the same file again (nothing to do).

Run: .venv/bin/python -m tests.benchmarks.bench_import_organizations   (or `make bench`)
Prints the time of each run per size and the 2,000/1,000 ratio of first imports.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from registry.db.migrate import upgrade
from registry.db.transactions import Database
from registry.organizations.importing import ImportReport, import_organizations
from registry.organizations.orgnumbers import random_org_number

MUNICIPALITIES = {"NO": 357, "SE": 290, "DK": 98, "FI": 308}
FEDERATIONS = 10  # per country


def national_file(suppliers: int) -> bytes:
    rng = random.Random(2027)
    numbers: set[str] = set()

    def number(country: str) -> str:
        while (drawn := random_org_number(country, rng)) in numbers:
            pass
        numbers.add(drawn)
        return drawn

    lines = ["country;kind;name;org_number;federation;contact_email"]
    for country, count in MUNICIPALITIES.items():
        federations = [(f"{country} samarbeid {i}", number(country)) for i in range(FEDERATIONS)]
        lines += [f"{country};federation;{name};{n};;post@samarbeid{i}.{country.lower()}.example" for i, (name, n) in enumerate(federations)]
        for i in range(count):
            name, n = federations[i % FEDERATIONS]
            lines.append(f"{country};municipality;{country} kommune {i};{number(country)};{n if i % 2 else name};")
    lines += [f"SE;supplier;Leverantör {i} AB;{number('SE')};;salj@leverantor{i}.example" for i in range(suppliers)]
    return ("\n".join(lines) + "\n").encode()


async def timed(url: str, content: bytes) -> tuple[float, ImportReport]:
    database = Database(url)
    try:
        start = time.perf_counter()
        async with database.writes.begin() as session:
            report = await import_organizations(session, content, source="national.csv")
        return time.perf_counter() - start, report
    finally:
        await database.dispose()


def main() -> None:
    firsts = {}
    for suppliers in (1_000, 2_000):
        content = national_file(suppliers)
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'registry.db'}"
            upgrade(url)
            first, report = asyncio.run(timed(url, content))
            again, second = asyncio.run(timed(url, content))
        assert not second.changed, second
        firsts[suppliers] = first
        rows = report.created
        print(f"{rows:>5} organizations: first import {first:6.2f} s ({rows / first:,.0f} rows/s; {report}), second {again:5.2f} s")
    print(f"2,000/1,000 suppliers ratio of first imports: {firsts[2_000] / firsts[1_000]:.2f}")


if __name__ == "__main__":
    main()
