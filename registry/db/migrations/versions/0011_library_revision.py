"""the library's revision, one row moved by every library write; module lists are kept by it

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    state = op.create_table(
        "library_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_state")),
    )
    op.bulk_insert(state, [{"id": 1, "revision": 1}])


def downgrade() -> None:
    op.drop_table("library_state")
