"""tenders as rows: the tender's own fields as columns, lots and selections as tables, frozen document versions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Each tender's specification JSON is moved into columns and rows, losing nothing; the downgrade
writes it back.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
OWN_COLUMNS: dict[str, sa.types.TypeEngine[Any]] = {
    "description": sa.Text(),
    "procedure": sa.String(length=32),
    "cpv_codes": JSON,
    "estimated_value": sa.Numeric(precision=16, scale=2),
    "currency": sa.String(length=3),
    "contract_start": sa.Date(),
    "contract_end": sa.Date(),
    "contract_options": sa.String(length=200),
    "questions_deadline": UTC_TIME,
    "planned_award": UTC_TIME,
    "participation_revision": sa.Integer(),
}
"""The tender's own fields that lived in its specification JSON (added nullable, filled, then required)."""
REQUIRED = ("description", "procedure", "cpv_codes", "currency", "participation_revision")


def _audit_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    ]


def _tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    """Lightweight table descriptions for moving the data (the models may change later)."""
    meta = sa.MetaData()
    tender = sa.Table('tender', meta, sa.Column('id', sa.Uuid()), sa.Column('spec', JSON), sa.Column('submission_deadline', UTC_TIME),
                      sa.Column('reference', sa.String()), sa.Column('title', sa.String()), sa.Column('language', sa.String()),
                      *(sa.Column(name, type_) for name, type_ in OWN_COLUMNS.items()))  # fmt: skip
    lot = sa.Table('tender_lot', meta, *_audit_columns(), sa.Column('tender_id', sa.Uuid()), sa.Column('position', sa.Integer()),
                   sa.Column('title', sa.String()), sa.Column('product_categories', JSON), sa.Column('price_weight', sa.Float()),
                   sa.Column('quality_weight', sa.Float()), sa.Column('revision', sa.Integer()))  # fmt: skip
    selection = sa.Table('tender_selection', meta, *_audit_columns(), sa.Column('lot_id', sa.Uuid()), sa.Column('position', sa.Integer()),
                         sa.Column('module_version_id', sa.Uuid()), sa.Column('module_key', sa.String()), sa.Column('module_version', sa.Integer()),
                         sa.Column('parameters', JSON), sa.Column('kind', sa.String()), sa.Column('weight', sa.Float()), sa.Column('note', sa.Text()),
                         sa.Column('revision', sa.Integer()))  # fmt: skip
    return tender, lot, selection


def upgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        for name, type_ in OWN_COLUMNS.items():
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.create_table(
        "tender_lot",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("product_categories", JSON, nullable=False),
        sa.Column("price_weight", sa.Double(), nullable=False),
        sa.Column("quality_weight", sa.Double(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"], name=op.f("fk_tender_lot_tender_id_tender"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_lot")),
    )
    with op.batch_alter_table("tender_lot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tender_lot_tender_id"), ["tender_id"], unique=False)
    op.create_table(
        "tender_selection",
        sa.Column("lot_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("module_version_id", sa.Uuid(), nullable=False),
        sa.Column("module_key", sa.String(length=64), nullable=False),
        sa.Column("module_version", sa.Integer(), nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("weight", sa.Double(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(["lot_id"], ["tender_lot.id"], name=op.f("fk_tender_selection_lot_id_tender_lot"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["module_version_id"], ["module_version.id"], name=op.f("fk_tender_selection_module_version_id_module_version"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_selection")),
    )
    with op.batch_alter_table("tender_selection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tender_selection_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tender_selection_module_version_id"), ["module_version_id"], unique=False)
    op.create_table(
        "tender_document",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("document_version", sa.Integer(), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"], name=op.f("fk_tender_document_tender_id_tender"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tender_id", "document_version", name=op.f("pk_tender_document")),
    )
    _spread_specifications()
    with op.batch_alter_table("tender", schema=None) as batch_op:
        for name in REQUIRED:
            batch_op.alter_column(name, nullable=False)
        batch_op.drop_column("spec")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _spread_specifications() -> None:
    bind = op.get_bind()
    tender, lot, selection = _tables()
    statement = sa.text(
        "SELECT module_version.id, requirement_module.key, module_version.version FROM module_version "
        "JOIN requirement_module ON requirement_module.id = module_version.module_id"
    )
    versions = {(key, number): UUID(str(version_id).replace("-", "")) for version_id, key, number in bind.execute(statement)}
    now = datetime.now(UTC)
    for tender_id, spec in bind.execute(sa.select(tender.c.id, tender.c.spec)).all():
        period, timeline = spec.get("contract_period") or {}, spec.get("timeline") or {}
        value = spec.get("estimated_value")
        bind.execute(tender.update().where(tender.c.id == tender_id).values(
            description=spec.get('description') or '', procedure=spec.get('procedure') or 'open', cpv_codes=spec.get('cpv_codes') or [],
            estimated_value=Decimal(str(value)) if value is not None else None, currency=spec.get('currency') or 'EUR',
            contract_start=_day(period.get('start')), contract_end=_day(period.get('end')), contract_options=period.get('options'),
            questions_deadline=_time(timeline.get('questions_deadline')), planned_award=_time(timeline.get('planned_award')),
            participation_revision=1,
        ))  # fmt: skip
        for position, lot_spec in enumerate(spec.get("lots") or [], 1):
            lot_id = uuid4()
            bind.execute(lot.insert().values(
                id=lot_id, created_at=now, updated_at=now, tender_id=tender_id, position=position, title=lot_spec['title'],
                product_categories=lot_spec.get('product_categories') or [], price_weight=lot_spec.get('price_weight', 40),
                quality_weight=lot_spec.get('quality_weight', 60), revision=1,
            ))  # fmt: skip
            rows: list[dict[str, Any]] = [
                {
                    'id': uuid4(), 'created_at': now, 'updated_at': now, 'lot_id': lot_id, 'position': number,
                    'module_version_id': versions[(s['module_key'], s['module_version'])], 'module_key': s['module_key'],
                    'module_version': s['module_version'], 'parameters': s.get('parameters') or {}, 'kind': s.get('kind'),
                    'weight': s.get('weight'), 'note': s.get('note'), 'revision': 1,
                }
                for number, s in enumerate(lot_spec.get('selections') or [], 1)
            ]  # fmt: skip
            if rows:
                bind.execute(selection.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spec", JSON, nullable=True))
    _gather_specifications()
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.alter_column("spec", nullable=False)
        for name in OWN_COLUMNS:
            batch_op.drop_column(name)
    op.drop_table("tender_document")
    with op.batch_alter_table("tender_selection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_selection_module_version_id"))
        batch_op.drop_index(batch_op.f("ix_tender_selection_lot_id"))
    op.drop_table("tender_selection")
    with op.batch_alter_table("tender_lot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_lot_tender_id"))
    op.drop_table("tender_lot")


def _gather_specifications() -> None:
    bind = op.get_bind()
    tender, lot, selection = _tables()
    for row in bind.execute(sa.select(tender)).mappings().all():
        lots = []
        for lot_row in bind.execute(sa.select(lot).where(lot.c.tender_id == row["id"]).order_by(lot.c.position)).mappings():
            selections = [
                {k: v for k, v in {'module_key': s['module_key'], 'module_version': s['module_version'], 'parameters': s['parameters'],
                                   'kind': s['kind'], 'weight': s['weight'], 'note': s['note']}.items() if v not in (None, {})}
                for s in bind.execute(sa.select(selection).where(selection.c.lot_id == lot_row['id']).order_by(selection.c.position)).mappings()
            ]  # fmt: skip
            lots.append({'title': lot_row['title'], 'product_categories': lot_row['product_categories'], 'price_weight': lot_row['price_weight'],
                         'quality_weight': lot_row['quality_weight'], 'selections': selections})  # fmt: skip
        period = {"start": row["contract_start"], "end": row["contract_end"], "options": row["contract_options"]}
        timeline = {
            'questions_deadline': row['questions_deadline'], 'submission_deadline': row['submission_deadline'],
            'planned_award': row['planned_award'],
        }  # fmt: skip
        spec = {
            'reference': row['reference'], 'title': row['title'], 'description': row['description'], 'language': row['language'],
            'procedure': row['procedure'], 'cpv_codes': row['cpv_codes'], 'currency': row['currency'],
            'contract_period': {k: v.isoformat() if isinstance(v, date) else v for k, v in period.items() if v is not None},
            'timeline': {k: v.isoformat() for k, v in timeline.items() if v is not None},
            'lots': lots,
        }  # fmt: skip
        if row["estimated_value"] is not None:
            spec["estimated_value"] = str(row["estimated_value"])
        bind.execute(tender.update().where(tender.c.id == row["id"]).values(spec=spec))
