"""an award criterion may be scored by the added-value model: an amount per point off the tendered price

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tender_selection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_value", sa.Numeric(precision=16, scale=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tender_selection", schema=None) as batch_op:
        batch_op.drop_column("added_value")
