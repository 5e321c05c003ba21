"""where each requirement module applies (NO, SE, DK, FI, EU/EEA) and when it was last reviewed

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requirement_module", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jurisdictions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))
        batch_op.add_column(sa.Column("last_reviewed", sa.Date(), nullable=True))
    op.execute("""UPDATE requirement_module SET jurisdictions = '["EU"]'""")  # the next import of the library says where each applies
    with op.batch_alter_table("requirement_module", schema=None) as batch_op:
        batch_op.alter_column("jurisdictions", nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("requirement_module", schema=None) as batch_op:
        batch_op.drop_column("last_reviewed")
        batch_op.drop_column("jurisdictions")
