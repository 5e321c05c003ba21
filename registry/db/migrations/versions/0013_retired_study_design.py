"""evidence stated as a before-after study becomes an uncontrolled before-after study

The catalogue splits before-after studies into controlled ones (with interrupted time series,
ranked above observational studies) and uncontrolled ones (ranked below). Stored evidence said
no more than "before-after", so it keeps the weaker reading; its supplier may restate it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE evidence_item SET study_design = 'uncontrolled_before_after' WHERE study_design = 'before_after'")


def downgrade() -> None:
    op.execute("UPDATE evidence_item SET study_design = 'before_after' WHERE study_design = 'uncontrolled_before_after'")
