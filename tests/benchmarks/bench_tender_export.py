"""Benchmark: a national framework tender exported through the registry (snapshot built from the
database, then the DOCX/XLSX/OCDS builders), at 1,000 and 2,000 requirement selections over 4 lots
with 290 confirmed municipalities (every Swedish municipality).

Run: .venv/bin/python -m tests.benchmarks.bench_tender_export   (or `make bench`)
Prints the best of several runs per size and the 2,000/1,000 ratio, measured in one run.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry.auth.principal import Principal, Role
from registry.db.base import utcnow
from registry.db.engine import create_engine
from registry.db.migrate import upgrade
from registry.organizations import schemas as org_schemas
from registry.organizations import service as organizations
from registry.organizations.orgnumbers import random_org_number
from registry.requirements import service as library
from registry.settings import Settings
from registry.tenders import schemas, service, snapshot, storage
from registry.tenders.models import TenderParticipant
from tests.benchmarks.scale_world import store_library

MUNICIPALITIES = 290
GENERATED_MODULES = 1500
RUNS = 3


async def setup(session: AsyncSession, settings: Settings) -> tuple[Principal, list]:
    rng = random.Random(7)
    numbers: set[str] = set()
    while len(numbers) < MUNICIPALITIES + 1:  # municipalities' numbers begin 212; draws can repeat
        numbers.add(random_org_number("SE", rng, "2120"))
    unique = iter(sorted(numbers))
    await store_library(session, GENERATED_MODULES)  # a module appears once per lot: 500 distinct ones for 2,000 selections
    federation = await organizations.create_organization(
        session, None, org_schemas.OrganizationCreate(kind="federation", name="Nationellt ramavtal", country="SE", org_number=next(unique))
    )
    coordinator = Principal(federation.id, federation.id, "federation", frozenset({Role.federation_coordinator}))
    towns = []
    for n in range(MUNICIPALITIES):
        town = await organizations.create_organization(
            session, None, org_schemas.OrganizationCreate(kind="municipality", name=f"Kommun {n:03d}", country="SE", org_number=next(unique))
        )
        await organizations.add_member(session, coordinator, federation.id, town.id)
        towns.append(town)
    return coordinator, towns


async def tender_with(session: AsyncSession, coordinator: Principal, towns: list, selections: int, reference: str):
    modules, _ = await library.list_modules(session, coordinator, kind="mandatory", limit=GENERATED_MODULES)
    usable = [(m.key, m.current.version) for m in modules if m.current]
    now = utcnow()
    per_lot = selections // 4
    assert len(usable) >= per_lot, len(usable)
    lots = [
        schemas.LotIn(
            title=f"Delområde {n}",
            product_categories=["digital_social_alarm"],
            selections=[schemas.SelectionIn(module_key=k, module_version=v) for k, v in usable[:per_lot]],
        )
        for n in range(1, 5)
    ]
    spec = schemas.TenderSpec(
        reference=reference, title="Trygghetslarm för alla kommuner", language="sv",
        timeline=schemas.Timeline(questions_deadline=now, submission_deadline=now),
        contract_period=schemas.ContractPeriod(start=now.date(), end=now.date()), lots=lots,
    )  # fmt: skip
    tender = await service.create_tender(session, coordinator, spec)
    for town in towns:
        session.add(
            TenderParticipant(
                tender_id=tender.id, organization_id=town.id, status="confirmed", contact_name="Upphandlare",
                contact_email="upphandling@kommun.example", mandate=True, mandate_decision_date=now.date(),
                volumes=[{"lot": n, "quantity": 100 + n, "unit": "st"} for n in range(1, 5)],
            )
        )  # fmt: skip
    await session.flush()
    return await storage.load(session, tender.id)


async def main(settings: Settings) -> None:
    engine = create_engine(settings.url)
    async with async_sessionmaker(engine, expire_on_commit=False).begin() as session:
        coordinator, towns = await setup(session, settings)
        results: dict[int, dict[str, float]] = {}
        for size in (1000, 2000):
            tender, owner = await tender_with(session, coordinator, towns, size, f"BENCH-{size}")
            results[size] = {}
            for fmt in snapshot.FORMATS:
                best = float("inf")
                for _ in range(RUNS):
                    start = time.perf_counter()
                    await snapshot.export(session, tender, owner, fmt, publisher=snapshot.Publisher.of(settings))
                    best = min(best, time.perf_counter() - start)
                results[size][fmt] = best
    await engine.dispose()
    print(f"{'format':<8} {'1,000 s':>9} {'2,000 s':>9} {'ratio':>6}   (snapshot from the database + builder; best of {RUNS})")
    for fmt in snapshot.FORMATS:
        print(f"{fmt:<8} {results[1000][fmt]:>9.3f} {results[2000][fmt]:>9.3f} {results[2000][fmt] / results[1000][fmt]:>6.2f}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        upgrade(settings.url)
        asyncio.run(main(settings))
