"""Benchmark: evidence fit for a product with 50 evidence items against 12 evidence rules, and
the market-dialogue overview of a lot for 40 products.

Run: .venv/bin/python -m tests.benchmarks.bench_evidence_fit   (or `make bench`)

Three figures: the pure evaluation (``registry.evidence.fit``, no database); the whole
``POST /api/v1/products/{id}/evidence-fit`` request through the app on SQLite (loading the
modules, the catalogue and the items, evaluating, encoding); and
``GET /api/v1/tenders/{id}/lots/1/evidence-fit`` for a lot with four evidence rules and 40
products of 10 items each. Prints median and p95.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.db.migrate import upgrade_async
from registry.evidence.fit import Context, Facts, OutcomeFacts, Subject, bound_subject, evaluate
from registry.requirements.templates import load_catalogue, load_library
from registry.settings import PROJECT_ROOT, Settings
from tests.tender_world import spec

TOKEN = "wtr_benchmark-admin-token-0123456789abcdef"
ITEMS = 50
PURE_ROUNDS, API_ROUNDS = 2_000, 50
MARKET_PRODUCTS, MARKET_ITEMS = 40, 10
DEADLINE = date(2027, 3, 1)
TYPES = ["study"] * 6 + ["certificate", "test_report", "declaration", "user_survey"]
STANDARDS = ["ISO/IEC 27001:2022", "SS 91100", "EN 50134-5", "ISO 9001"]


MODULES = (
    "EVID-DOSSIER-CONTROLLED", "EVID-DOSSIER-PER-CLAIM", "EVID-DEFERRED-CARE-LEVEL", "EVID-FALLS-REDUCTION",
    "EVID-INDEPENDENT-STUDY", "EVID-MEDICATION-ADHERENCE", "EVID-STAFF-TIME", "EVID-INTENDED-PURPOSE",
    "SEC-ISO27001-CERTIFICATE", "SEC-IOT-INDEPENDENT-TEST", "INTEROP-ALARM-PROTOCOL", "INTEROP-ALARM-TRANSMISSION",
)
"""Twelve starter modules whose rules use every kind of clause."""


def starter_rules() -> list[Subject]:
    """The newest version of each module, its rule bound to the parameters' defaults."""
    _, modules = load_library(PROJECT_ROOT / "requirement_templates")
    newest = {m.key: m.versions[-1] for m in modules}
    return [bound_subject(key, newest[key].version, newest[key], {})[0] for key in MODULES]


def evidence_bodies(rng: random.Random, designs: list[str], domains: list[str]) -> list[dict[str, Any]]:
    """50 varied items as API request bodies."""
    bodies = []
    for n in range(ITEMS):
        kind = rng.choice(TYPES)
        start = date(2012, 1, 1) + timedelta(days=rng.randrange(4_000))
        body: dict[str, Any] = {"type": kind, "title": f"Item {n}", "independent": rng.random() < 0.4, "visibility": "buyers"}
        if kind in ("study", "user_survey"):
            body |= {
                "study_design": rng.choice(designs),
                "period_start": str(start),
                "period_end": str(start + timedelta(days=rng.randrange(90, 900))),
                "outcomes": [
                    {"domain": rng.choice(domains), "measure": "m", "result": 1.0, "sample_size": rng.randrange(5, 400)}
                    for _ in range(rng.randrange(1, 4))
                ],
            }
        else:
            until = start + timedelta(days=rng.randrange(365, 2_500))
            body |= {"standard": rng.choice(STANDARDS), "valid_from": str(start), "valid_until": str(until)}
        bodies.append(body)
    return bodies


def as_facts(body: dict[str, Any], review_state: str) -> Facts:
    return Facts(
        id=uuid4(),
        title=body["title"],
        type=body["type"],
        review_state=review_state,
        study_design=body.get("study_design"),
        outcomes=tuple(OutcomeFacts(o["domain"], o["sample_size"]) for o in body.get("outcomes", [])),
        period_end=date.fromisoformat(body["period_end"]) if "period_end" in body else None,
        independent=body["independent"],
        standard=body.get("standard"),
        valid_from=date.fromisoformat(body["valid_from"]) if "valid_from" in body else None,
        valid_until=date.fromisoformat(body["valid_until"]) if "valid_until" in body else None,
    )


def report(name: str, timings: list[float], met: int, of: int = len(MODULES)) -> None:
    timings.sort()
    print(f"{name:<36} {statistics.median(timings):>10.3f} {timings[int(len(timings) * 0.95) - 1]:>8.3f} {met:>4}/{of}")


async def main() -> None:
    subjects = starter_rules()
    catalogue = load_catalogue(PROJECT_ROOT / "requirement_templates")
    designs = catalogue.keys("study_designs")
    bodies = evidence_bodies(random.Random(2026), designs, catalogue.keys("outcome_domains"))
    print(f"{ITEMS} evidence items x {len(subjects)} rules: {', '.join(s.key for s in subjects)}")
    print(f"{'evaluation':<36} {'median ms':>10} {'p95 ms':>8} {'met':>7}")

    rng = random.Random(7)
    facts = [as_facts(b, rng.choice(["unreviewed", "accepted", "accepted", "rejected"])) for b in bodies]
    context = Context(designs, DEADLINE)
    timings = []
    for _ in range(PURE_ROUNDS):
        start = time.perf_counter()
        results = [evaluate(subject, facts, context) for subject in subjects]
        timings.append((time.perf_counter() - start) * 1000)
    report("pure fit.evaluate, 12 rules", timings, sum(r.met for r in results))

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), bootstrap_admin_token=TOKEN)
        await upgrade_async(settings.url)
        async with AsyncTestClient(create_app(settings)) as client:
            editor, officer, product_id = await _setup(client)
            for body in bodies:
                response = await client.post(f"/api/v1/products/{product_id}/evidence", json=body, headers=editor)
                assert response.status_code == 201, response.text
            request = {"modules": [{"key": s.key, "version": s.version} for s in subjects], "submission_deadline": str(DEADLINE)}
            timings = []
            for _ in range(API_ROUNDS):
                start = time.perf_counter()
                response = await client.post(f"/api/v1/products/{product_id}/evidence-fit", json=request, headers=officer)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
            report("POST evidence-fit (SQLite), 12 rules", timings, sum(m["met"] for m in response.json()["modules"]))
            await _market(client, editor, officer, bodies)


async def _market(client: AsyncTestClient, editor: dict[str, str], officer: dict[str, str], bodies: list[dict[str, Any]]) -> None:
    """The lot overview: 40 more products with 10 of the items each, one draft tender."""
    for n in range(MARKET_PRODUCTS):
        product = {"name": f"Market alarm {n:02d}", "model": "M", "categories": ["digital_social_alarm"]}
        product_id = (await client.post("/api/v1/products", json=product, headers=editor)).json()["id"]
        for body in bodies[n % 5 * MARKET_ITEMS : (n % 5 + 1) * MARKET_ITEMS]:
            assert (await client.post(f"/api/v1/products/{product_id}/evidence", json=body, headers=editor)).status_code == 201
    tender = await client.post("/api/v1/tenders", json=spec(), headers=officer)
    assert tender.status_code == 201, tender.text
    path = f"/api/v1/tenders/{tender.json()['id']}/lots/1/evidence-fit"
    timings = []
    for _ in range(API_ROUNDS // 5):
        start = time.perf_counter()
        response = await client.get(path, headers=officer)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    overview = response.json()
    met = sum(m["met"] for p in overview["products"] for m in p["report"]["modules"])
    report(f"GET lot evidence-fit, {len(overview['products'])} products", timings, met, len(overview["products"]) * len(overview["modules"]))


async def _setup(client: AsyncTestClient) -> tuple[dict[str, str], dict[str, str], str]:
    """A supplier editor and a procurement officer (as headers), and a product."""
    admin = {"Authorization": f"Bearer {TOKEN}"}
    headers = []
    for kind, number, role in (("supplier", "974760673", "supplier_editor"), ("municipality", "964338531", "procurement_officer")):
        organization = {"kind": kind, "name": kind, "country": "NO", "org_number": number}
        org = (await client.post("/api/v1/organizations", json=organization, headers=admin)).json()
        account = {"name": role, "email": f"{role}@example.org", "roles": [role]}
        user = (await client.post(f"/api/v1/organizations/{org['id']}/users", json=account, headers=admin)).json()
        token = (await client.post(f"/api/v1/users/{user['id']}/tokens", json={"name": "bench"}, headers=admin)).json()["token"]
        headers.append({"Authorization": f"Bearer {token}"})
    product = {"name": "Bench alarm", "model": "B-1", "categories": ["digital_social_alarm"]}
    product_id = (await client.post("/api/v1/products", json=product, headers=headers[0])).json()["id"]
    return headers[0], headers[1], product_id


if __name__ == "__main__":
    asyncio.run(main())
