"""Schema migrations: the models match the head revision, and moving tenders' specifications from one
JSON column into rows (revision 0007) loses nothing, forwards and back, on both databases."""

from __future__ import annotations

import asyncio
import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.pool import NullPool

from registry.app import create_app
from registry.db.base import JsonDocument
from registry.db.engine import create_engine
from registry.db.migrate import alembic_config, declared
from registry.db.models import Base
from registry.requirements.library import import_library
from registry.settings import Settings
from tests.evidence_world import PRODUCT, STUDY, add_evidence
from tests.support import ADMIN_TOKEN, Api, valid_org_number
from tests.tender_world import build_world, spec

BEFORE_ROWS = "0006"
UTC_TIME = Base.type_annotation_map[datetime]
TENDER = sa.table(
    "tender", sa.column("id", sa.Uuid()), sa.column("owner_id", sa.Uuid()), sa.column("reference", sa.String()), sa.column("title", sa.String()),
    sa.column("status", sa.String()), sa.column("language", sa.String()), sa.column("submission_deadline", UTC_TIME),
    sa.column("document_version", sa.Integer()), sa.column("revision", sa.Integer()), sa.column("spec", JsonDocument),
    sa.column("published_at", UTC_TIME), sa.column("created_at", UTC_TIME), sa.column("updated_at", UTC_TIME),
)  # fmt: skip
ORGANIZATION = sa.table(
    "organization", sa.column("id", sa.Uuid()), sa.column("kind", sa.String()), sa.column("name", sa.String()), sa.column("country", sa.String()),
    sa.column("org_number", sa.String()), sa.column("created_at", UTC_TIME), sa.column("updated_at", UTC_TIME),
)  # fmt: skip


async def _run(url: str, work: Any) -> Any:
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def _before_contact_points(reference: str) -> dict[str, Any]:
    return {k: v for k, v in spec(reference).items() if k not in ("contact_point", "terms")}


def _old_specs() -> dict[str, dict[str, Any]]:
    """A draft, a published and an amended tender as the JSON column held them (before contact points)."""
    draft = _before_contact_points("MIG-DRAFT")
    draft["lots"][1]["selections"][0]["parameters"] = {}
    published = _before_contact_points("MIG-PUBLISHED") | {"estimated_value": "9876543.21", "contract_period": {"start": "2027-01-01"}}
    amended = copy.deepcopy(_before_contact_points("MIG-AMENDED"))
    amended["lots"] = amended["lots"][:1]
    amended["lots"][0]["selections"][2]["note"] = "Corrected in amendment 1"
    return {"draft": draft, "published": published, "amended": amended}


def _insert(connection: sa.Connection, owner: UUID, specs: dict[str, dict[str, Any]]) -> dict[str, UUID]:
    now = datetime.now(UTC)
    connection.execute(ORGANIZATION.insert().values(id=owner, kind="federation", name="Migrerte kommuner", country="NO",
                                                    org_number=valid_org_number("NO"), created_at=now, updated_at=now))  # fmt: skip
    ids = {}
    for state, body in specs.items():
        ids[state] = uuid4()
        deadline = datetime.fromisoformat(body["timeline"]["submission_deadline"])
        connection.execute(TENDER.insert().values(
            id=ids[state], owner_id=owner, reference=body["reference"], title=body["title"], language=body["language"],
            status="draft" if state == "draft" else "published", submission_deadline=deadline, spec=body,
            document_version=2 if state == "amended" else 1, revision=3, created_at=now, updated_at=now,
            published_at=None if state == "draft" else now - timedelta(days=1),
        ))  # fmt: skip
    return ids


def _stored_specs(connection: sa.Connection) -> dict[UUID, dict[str, Any]]:
    return {row.id: row.spec for row in connection.execute(sa.select(TENDER.c.id, TENDER.c.spec))}


def _as_written(body: dict[str, Any]) -> dict[str, Any]:
    """The API's view of a stored specification: times normalized, defaults filled in."""
    timeline = {k: datetime.fromisoformat(v).astimezone(UTC).isoformat().replace("+00:00", "Z") for k, v in body["timeline"].items()}
    lots = [
        lot | {"selections": [{"parameters": {}, "kind": None, "weight": None, "note": None} | s for s in lot["selections"]]} for lot in body["lots"]
    ]
    value = {"estimated_value": Decimal(body["estimated_value"])} if "estimated_value" in body else {}
    return body | {"timeline": timeline, "lots": lots} | value


def _as_seen(tender: dict[str, Any]) -> dict[str, Any]:
    keep = ("module_key", "module_version", "parameters", "kind", "weight", "note")
    lots = [
        {"title": lot["title"], "product_categories": lot["product_categories"], "price_weight": lot["price_weight"],
         "quality_weight": lot["quality_weight"], "selections": [{k: s[k] for k in keep} for s in lot["selections"]]}
        for lot in tender["lots"]
    ]  # fmt: skip
    fields = ("reference", "title", "description", "language", "procedure", "cpv_codes", "estimated_value", "currency", "contract_period", "timeline")
    value = {"estimated_value": Decimal(tender["estimated_value"])} if tender["estimated_value"] is not None else {}
    return {f: tender[f] for f in fields if tender[f] is not None} | {"lots": lots} | value


async def test_models_match_the_head_revision(database_url: str) -> None:
    context = {"include_object": declared}
    differences = await _run(database_url, lambda c: compare_metadata(MigrationContext.configure(c, opts=context), Base.metadata))
    assert differences == []


async def test_tender_specifications_move_into_rows_and_back_losing_nothing(database_url: str, settings: Settings) -> None:
    config = alembic_config(database_url)
    engine = create_engine(database_url, poolclass=NullPool)
    async with async_sessionmaker(engine).begin() as session:
        await import_library(session, settings.library_dir)  # by this code, so at the head revision; the library's tables stay
    await engine.dispose()
    await asyncio.to_thread(command.downgrade, config, BEFORE_ROWS)
    specs = _old_specs()
    ids = await _run(database_url, lambda c: _insert(c, uuid4(), specs))
    before = await _run(database_url, _stored_specs)

    await asyncio.to_thread(command.upgrade, config, "head")
    async with AsyncTestClient(create_app(settings)) as client:
        admin = Api(client, ADMIN_TOKEN)
        for state, tender_id in ids.items():
            response = await admin.get(f"/api/v1/tenders/{tender_id}")
            assert response.status_code == 200, response.text
            assert _as_seen(response.json()) == _as_written(specs[state]), state
        exported = await admin.get(f"/api/v1/tenders/{ids['amended']}/exports/ocds")
        assert exported.status_code == 200, exported.text

    await asyncio.to_thread(command.downgrade, config, BEFORE_ROWS)
    after = await _run(database_url, _stored_specs)
    await asyncio.to_thread(command.upgrade, config, "head")
    for tender_id, body in before.items():
        assert _as_written(after[tender_id]) == _as_written(body)


def _row_counts(connection: sa.Connection) -> dict[str, int]:
    tables = [t for t in sa.inspect(connection).get_table_names() if t != "alembic_version"]
    return {t: connection.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


@pytest.mark.starter_library
async def test_a_round_trip_through_every_migration_keeps_every_row(client: AsyncTestClient, admin: Api, database_url: str) -> None:
    """SQLite batch migrations recreate tables; none may take child rows (tokens, reviews, lots) with it."""
    world = await build_world(admin)
    tender = (await world.coordinator.post("/api/v1/tenders", json=spec("ROUND-TRIP"))).json()
    await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/participants", json={"organization_ids": [world.members[0]["id"]]},
                                 headers={"If-Match": f'"{tender["id"]}.{tender["revision"]}.{tender["participation_revision"]}"'})  # fmt: skip
    product = (await world.supplier.post("/api/v1/products", json=PRODUCT)).json()
    item = await add_evidence(world.supplier, product["id"], STUDY)
    assert (await world.coordinator.post(f"/api/v1/evidence/{item['id']}/reviews", json={"outcome": "accepted"})).status_code == 201
    before = await _run(database_url, _row_counts)
    assert before["api_token"] and before["evidence_review"] and before["tender_selection"] and before["tender_participant"]
    found = {q: await _search(admin, q) for q in SEARCHES}
    assert all(found.values()), found

    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0004")
    await asyncio.to_thread(command.upgrade, config, "head")
    after = await _run(database_url, _row_counts)
    assert after == before
    assert {q: await _search(admin, q) for q in SEARCHES} == found, "the search index is rebuilt from the rows"


SEARCHES = ("trygghetslarm", "aeldre", "en 50134", "scaip alarm")


async def _search(api: Api, q: str) -> list[str]:
    return [m["key"] for m in (await api.get("/api/v1/modules", params={"q": q, "limit": 200})).json()["items"]]


@pytest.mark.starter_library
async def test_evidence_stated_as_before_after_keeps_the_weaker_reading(client: AsyncTestClient, admin: Api, database_url: str) -> None:
    """Before-after studies were split into controlled (above observational) and uncontrolled (below):
    stored evidence said no more than before-after, so it becomes an uncontrolled one."""
    world = await build_world(admin)
    product = (await world.supplier.post("/api/v1/products", json=PRODUCT)).json()
    item = await add_evidence(world.supplier, product["id"], STUDY)
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0012")
    await _run(database_url, lambda c: c.execute(sa.text("UPDATE evidence_item SET study_design = 'before_after'")))
    await asyncio.to_thread(command.upgrade, config, "head")
    assert (await world.supplier.get(f"/api/v1/evidence/{item['id']}")).json()["study_design"] == "uncontrolled_before_after"
