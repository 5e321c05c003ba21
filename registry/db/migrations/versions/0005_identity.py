"""identity: deactivated users, tokens issued by tokens

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deactivated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_token_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_api_token_parent_id_api_token"), "api_token", ["parent_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_token_parent_id_api_token"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_token_parent_id"))
        batch_op.drop_column("parent_id")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("deactivated_at")
