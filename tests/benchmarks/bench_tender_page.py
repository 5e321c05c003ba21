"""Benchmark: a large joint tender's pages rendered by the server for its lead buyer, on SQLite and PostgreSQL.

Run: .venv/bin/python -m tests.benchmarks.bench_tender_page [--database sqlite|postgresql|both] (or `make bench`).

A federation of 290 municipalities runs a tender of 4 lots × 250 requirements (generated library modules, each
pinned in its published version); every member is invited and confirms with a volume for each lot. Signed in as
the federation's coordinator, each page is asked for in-process (the application through its ASGI interface),
one at a time: the tender's page (targets: p95 < 300 ms, HTML < 1 MB) and a later page of one lot's requirements on
it, a lot's builder page, the participants page and the dashboard, with their p95 and largest HTML.

PostgreSQL: ``REGISTRY_BENCH_DATABASE_URL`` as in ``bench_scale`` (emptied on every run).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from registry.app import create_app
from registry.auth import people
from registry.db.migrate import upgrade
from registry.settings import Settings
from tests.benchmarks.bench_pages import Timings, percentile, timed
from tests.benchmarks.bench_scale import postgres_url, prepare_postgres, vacuum
from tests.benchmarks.scale_world import build_world, in_transaction, store_library
from tests.support import days_from_today
from tests.tender_world import TERMS, spec

MEMBERS, LOTS, PER_LOT, ROUNDS = 290, 4, 250, 10
PASSWORD = "benchmark password of the coordinator"


async def library_and_federation(session: AsyncSession) -> tuple[list[tuple[str, int, str]], Any]:
    """The generated modules (key, published version, kind) and the federation."""
    modules = await store_library(session, LOTS * PER_LOT + 200)
    chosen = []
    for module in modules:
        version = max((v for v in module.versions if v.status == "published"), key=lambda v: v.version)
        if not any(p.default is None and p.required for p in version.parameters):
            chosen.append((module.key, version.version, version.kind))
    return chosen[: LOTS * PER_LOT], await build_world(session, [MEMBERS], suppliers=0)


def tender_body(modules: list[tuple[str, int, str]]) -> dict[str, Any]:
    body = spec("BENCH-2027-01") | {"terms": TERMS}
    body["lots"] = [
        {
            "title": f"Lot {n + 1}", "product_categories": ["digital_social_alarm"], "price_weight": 40, "quality_weight": 60,
            "selections": [
                {"module_key": key, "module_version": version, **({"weight": 0.2} if kind == "award" else {})}
                for key, version, kind in modules[n * PER_LOT : (n + 1) * PER_LOT]
            ],
        }
        for n in range(LOTS)
    ]  # fmt: skip
    return body


async def build(url: str, data_dir: Path) -> tuple[str, str]:
    """The tender, every member invited and confirmed; its id and the coordinator's session secret."""
    modules, world = await in_transaction(url, library_and_federation)
    coordinator, towns = world.federations[0]
    settings = Settings(data_dir=data_dir, database_url=url, seed_library=False)
    async with AsyncTestClient(create_app(settings)) as client:
        lead = {"Authorization": f"Bearer {coordinator.token}"}
        created = await client.post("/api/v1/tenders", json=tender_body(modules), headers=lead)
        assert created.status_code == 201, created.text[:500]
        tender = created.json()["id"]
        etag = created.headers["etag"]
        everyone = {"organization_ids": [str(t.id) for t in towns]}
        invited = await client.post(f"/api/v1/tenders/{tender}/participants", json=everyone, headers=lead | {"If-Match": etag})
        assert invited.status_code == 200, invited.text[:500]
        opened = await client.post(f"/api/v1/tenders/{tender}/open-for-participants", headers=lead | {"If-Match": invited.headers["etag"]})
        assert opened.status_code == 200, opened.text[:500]
        for n, town in enumerate(towns):
            answer = {
                "decision": "confirmed", "contact_name": f"Kontakt {n}", "contact_email": f"kontakt{n}@kommun.example", "mandate": True,
                "mandate_decision_date": days_from_today(-30),
                "volumes": [{"lot": lot + 1, "quantity": 10 + n, "unit": "larm"} for lot in range(LOTS)],
            }  # fmt: skip
            town_api = {"Authorization": f"Bearer {town.token}"}
            confirmed = await client.put(f"/api/v1/tenders/{tender}/participants/{town.id}", json=answer, headers=town_api)
            assert confirmed.status_code == 200, confirmed.text[:500]
        user = UUID((await client.get("/api/v1/me", headers=lead)).json()["user_id"])

    async def session_of_the_coordinator(session: AsyncSession) -> str:
        secret, _ = await people.invite(session, None, user)
        email = await people.invitation_email(session, secret)
        await people.accept(session, secret, PASSWORD, PASSWORD)
        return (await people.sign_in(session, email, PASSWORD))[0]

    return tender, await in_transaction(url, session_of_the_coordinator)


async def measure(url: str, data_dir: Path, label: str) -> None:
    tender, secret = await build(url, data_dir)
    settings = Settings(data_dir=data_dir, database_url=url, seed_library=False)
    pages = {
        "tender page (/tenders/ID)": f"/tenders/{tender}", "its lot 3, page 5 (?lot=3&page=5)": f"/tenders/{tender}?lot=3&page=5",
        "a lot's builder page": f"/tenders/{tender}/lots/2",
        "participants page": f"/tenders/{tender}/participants", "dashboard": "/dashboard",
    }  # fmt: skip
    async with AsyncTestClient(create_app(settings)) as client:
        client.cookies.set("session", secret)
        await timed(client, [(path, "sv") for path in pages.values()], Timings())  # warm up
        found = {name: Timings() for name in pages}
        for _ in range(ROUNDS):
            for name, path in pages.items():
                await timed(client, [(path, "sv")], found[name])
    print(f"{label}:")
    for name, timings in found.items():
        target = name.startswith("tender page")
        met = percentile(timings.milliseconds, 0.95) < 300 and timings.largest < 1024 * 1024 if target else None
        print(timings.line(name, "p95 < 300 ms, < 1 MB" if target else "", met) + f"  {timings.largest / 1024:.0f} KB")


async def run(database: str, url: str, tmp: Path) -> None:
    if database == "PostgreSQL":
        if reason := await prepare_postgres(url):
            print(f"PostgreSQL left out: {reason}")
            return
    else:
        url = f"sqlite+aiosqlite:///{tmp}/tender-page.db"
    await asyncio.to_thread(upgrade, url)
    if database == "PostgreSQL":
        await vacuum(url)
    await measure(url, tmp, f"{database}, {LOTS} lots × {PER_LOT} requirements, {MEMBERS} confirmed participants")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-tender-page-") as tmp:
        if args.database in ("sqlite", "both"):
            asyncio.run(run("SQLite", "", Path(tmp)))
        if args.database in ("postgresql", "both"):
            asyncio.run(run("PostgreSQL", postgres_url(), Path(tmp)))


if __name__ == "__main__":
    main()
