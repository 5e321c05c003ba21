"""reviews belong to the reviewer: registry-level reviews; evidence items lose their shared review state

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Reviews recorded before this revision count as their organization's (none is registry-level).
Downgrading gives every item the outcome of its latest history entry again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

LATEST_OUTCOME = """
UPDATE evidence_item SET review_state = COALESCE(
    (SELECT r.outcome FROM evidence_review r WHERE r.evidence_id = evidence_item.id ORDER BY r.at DESC, r.id DESC LIMIT 1),
    'unreviewed')
"""


def upgrade() -> None:
    with op.batch_alter_table("evidence_review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registry_level", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("evidence_review", schema=None) as batch_op:
        batch_op.alter_column("registry_level", server_default=None)
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_item_review_state"))
        batch_op.drop_column("review_state")


def downgrade() -> None:
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_state", sa.String(length=24), nullable=False, server_default="unreviewed"))
    op.execute(LATEST_OUTCOME)
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.alter_column("review_state", server_default=None)
        batch_op.create_index(batch_op.f("ix_evidence_item_review_state"), ["review_state"], unique=False)
    with op.batch_alter_table("evidence_review", schema=None) as batch_op:
        batch_op.drop_column("registry_level")
