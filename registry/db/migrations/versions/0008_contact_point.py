"""the tender's published contact point; participants' personal details leave the frozen documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=32), nullable=True))
    documents = sa.table(
        "tender_document", sa.column("tender_id", sa.Uuid()), sa.column("document_version", sa.Integer()), sa.column("content", JSON)
    )
    bind = op.get_bind()
    for tender_id, version, content in bind.execute(sa.select(documents)).all():
        participants = [{k: v for k, v in p.items() if k not in ("contact_name", "contact_email")} for p in content.get("participants", [])]
        bind.execute(documents.update().where(documents.c.tender_id == tender_id, documents.c.document_version == version)
                     .values(content=content | {'participants': participants}))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("contact_name")
