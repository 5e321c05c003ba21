"""Benchmark: editing a 2,000-selection tender (4 lots of 500) through the API, in process.

A title change and a one-selection change, each made two ways: the whole-specification PUT and the
part's own PATCH. Prints the median time and the bytes sent and received per request, and the
PUT/PATCH ratio, all measured in one run.

Run: .venv/bin/python -m tests.benchmarks.bench_tender_edits   (or `make bench`)
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.db.migrate import upgrade
from registry.settings import Settings
from tests.benchmarks.scale_world import in_transaction, store_library
from tests.support import ADMIN_TOKEN, Api
from tests.tender_world import spec

SELECTIONS_PER_LOT = 500
GENERATED_MODULES = 1500
RUNS = 7


async def _tender(admin: Api) -> tuple[Api, dict[str, Any], dict[str, Any]]:
    town = await admin.create_org("municipality")
    officer = await admin.create_user(town["id"], "procurement_officer")
    usable: list[dict[str, Any]] = []
    for offset in range(0, GENERATED_MODULES, 200):  # a module appears once per lot, so the generated library provides them
        page = (await admin.get("/api/v1/modules", params={"limit": 200, "offset": offset, "kind": "mandatory"})).json()["items"]
        usable += [{"module_key": m["key"], "module_version": m["current"]["version"]} for m in page]
    body = spec("BENCH-EDITS")
    selections = usable[:SELECTIONS_PER_LOT]
    assert len(selections) == SELECTIONS_PER_LOT, len(selections)
    body["lots"] = [body["lots"][0] | {"title": f"Lot {n}", "selections": selections, "price_weight": 100, "quality_weight": 0} for n in range(1, 5)]
    created = await officer.post("/api/v1/tenders", json=body)
    assert created.status_code == 201, created.text
    return officer, body, created.json() | {"etag": created.headers["etag"]}


async def _measure(call: Any) -> tuple[float, int, int]:
    """Median seconds, bytes sent and bytes received of ``call()`` (which returns the response and the body sent)."""
    times, sent, received = [], 0, 0
    for run in range(RUNS):
        start = time.perf_counter()
        response, body = await call(run)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
        sent, received = len(body), len(response.content)
    return statistics.median(times), sent, received


async def main(settings: Settings) -> None:
    async with AsyncTestClient(create_app(settings), timeout=120) as client:
        admin = Api(client, ADMIN_TOKEN)
        officer, body, tender = await _tender(admin)
        path = f"/api/v1/tenders/{tender['id']}"
        state = {"etag": tender["etag"], "selection": tender["lots"][0]["selections"][0]["etag"]}

        async def put(changed: dict[str, Any]) -> tuple[Any, bytes]:
            encoded = msgspec.json.encode(changed)
            response = await officer.put(path, content=encoded, headers={"If-Match": state["etag"], "Content-Type": "application/json"})
            state["etag"] = response.headers.get("etag", state["etag"])
            return response, encoded

        async def put_title(run: int) -> tuple[Any, bytes]:
            return await put(body | {"title": f"Title {run}"})

        async def put_selection(run: int) -> tuple[Any, bytes]:
            lots = [dict(lot) for lot in body["lots"]]
            lots[0] = lots[0] | {"selections": [lots[0]["selections"][0] | {"note": f"Note {run}"}, *lots[0]["selections"][1:]]}
            return await put(body | {"lots": lots})

        async def patch_title(run: int) -> tuple[Any, bytes]:
            encoded = f'{{"title": "Patched {run}"}}'.encode()
            response = await officer.patch(path, content=encoded, headers={"If-Match": state["etag"], "Content-Type": "application/json"})
            state["etag"] = response.headers.get("etag", state["etag"])
            return response, encoded

        async def patch_selection(run: int) -> tuple[Any, bytes]:
            encoded = f'{{"note": "Patched {run}"}}'.encode()
            headers = {"If-Match": state["selection"], "Content-Type": "application/json"}
            response = await officer.patch(f"{path}/lots/1/selections/1", content=encoded, headers=headers)
            state["selection"] = response.headers.get("etag", state["selection"])
            return response, encoded

        results = {
            "title, whole PUT": await _measure(put_title),
            "title, PATCH": await _measure(patch_title),
            "one selection, whole PUT": await _measure(put_selection),
        }
        state["selection"] = (await officer.get(f"{path}/lots/1")).json()["selections"][0]["etag"]
        results["one selection, PATCH"] = await _measure(patch_selection)
    print(f"{'change (4 lots x 500 selections)':<34} {'median ms':>10} {'sent':>9} {'received':>10}")
    for name, (seconds, sent, received) in results.items():
        print(f"{name:<34} {seconds * 1000:>10.1f} {sent:>9,} {received:>10,}")
    for what in ("title", "one selection"):
        ratio = results[f"{what}, whole PUT"][0] / results[f"{what}, PATCH"][0]
        print(f"{what}: PATCH is {ratio:.0f}x faster than the whole PUT")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), bootstrap_admin_token=ADMIN_TOKEN)
        upgrade(settings.url)
        asyncio.run(in_transaction(settings.url, lambda session: store_library(session, GENERATED_MODULES)))
        asyncio.run(main(settings))
