"""a trigram index over module versions' folded text, so ``q`` searches stop reading every version

PostgreSQL: a GIN index with ``pg_trgm`` operators, which serves ``LIKE '%term%'`` as it is.
SQLite: a contentless FTS5 table with the trigram tokenizer, keyed by the version's rowid (which
VACUUM keeps) and kept by triggers. A later migration that rebuilds ``module_version`` (a batch
migration copies the table) drops these triggers and renumbers rowids: it must run this upgrade's
SQLite statements again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_DELETE = "INSERT INTO module_version_search(module_version_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);"
_INSERT = "INSERT INTO module_version_search(rowid, search_text) VALUES (new.rowid, new.search_text);"
SQLITE = [
    "CREATE VIRTUAL TABLE module_version_search USING fts5(search_text, content='', tokenize='trigram')",
    f"CREATE TRIGGER module_version_search_insert AFTER INSERT ON module_version BEGIN {_INSERT} END",
    f"CREATE TRIGGER module_version_search_delete AFTER DELETE ON module_version BEGIN {_DELETE} END",
    f"CREATE TRIGGER module_version_search_update AFTER UPDATE OF search_text ON module_version BEGIN {_DELETE} {_INSERT} END",
    "INSERT INTO module_version_search(rowid, search_text) SELECT rowid, search_text FROM module_version",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_module_version_search ON module_version USING gin (search_text gin_trgm_ops)",
]


def upgrade() -> None:
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER module_version_search_{trigger}")
        op.execute("DROP TABLE module_version_search")
    else:
        op.execute("DROP INDEX ix_module_version_search")
