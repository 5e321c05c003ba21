"""a tender states its terms (agreement, options, bids, submission, ESPD, exclusion grounds, labour clauses); a framework lot its maximum

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terms", JSON, nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.alter_column("terms", server_default=None)
    with op.batch_alter_table("tender_lot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("maximum", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tender_lot", schema=None) as batch_op:
        batch_op.drop_column("maximum")
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_column("terms")
