"""narrow reads for searching and listing a large library: a listing index, and PostgreSQL's words per version

Both databases: ``ix_module_version_listing`` (module, version, status, kind, level) and
``ix_requirement_module_listing`` (id, current version, category, key), so which version of a module
is listed, its filters and the list's order are read from indexes instead of the wide rows.

PostgreSQL: the trigram index of 0010 finds candidate versions, but every candidate's whole folded
text (about 10 kB) must then be read again to confirm ``LIKE '%term%'``, which took a second for
10,000 matches. Now each word of the folded texts has a number in ``module_version_search_vocabulary``
(trigram-indexed), and a trigger keeps each version's sorted word numbers in ``search_words``
(``intarray``, GIN-indexed; the trigram index over the whole text goes). A term is looked up among
the short words of the vocabulary, and the versions holding any word found come from the array
index, exactly. The folded text separates words by single spaces and terms hold none, so a term is
in the text exactly when it is in one of its words. Integer arrays, because ``&&`` over text arrays
compares every pair of elements, which a small library's sequential scan pays in full.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS intarray",
    "CREATE TABLE module_version_search_vocabulary (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, word text NOT NULL UNIQUE)",
    "ALTER TABLE module_version ADD COLUMN search_words integer[] NOT NULL DEFAULT '{}'",
    """
    CREATE FUNCTION module_version_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        words text[] := ARRAY(SELECT DISTINCT word FROM unnest(string_to_array(NEW.search_text, ' ')) AS word WHERE word <> '' ORDER BY word);
    BEGIN
        -- in a fixed order, so two transactions adding the same new words wait for each other instead of deadlocking
        INSERT INTO module_version_search_vocabulary (word) SELECT unnest(words) ON CONFLICT DO NOTHING;
        NEW.search_words := ARRAY(SELECT id FROM module_version_search_vocabulary WHERE word = ANY(words) ORDER BY id);
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER module_version_search_words BEFORE INSERT OR UPDATE OF search_text ON module_version "
    "FOR EACH ROW EXECUTE FUNCTION module_version_search_words()",
    "UPDATE module_version SET search_text = search_text",
    "DROP INDEX ix_module_version_search",
    "CREATE INDEX ix_module_version_search_words ON module_version USING gin (search_words gin__int_ops)",
    "CREATE INDEX ix_module_version_search_vocabulary ON module_version_search_vocabulary USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
]


def upgrade() -> None:
    op.create_index("ix_module_version_listing", "module_version", ["module_id", "version", "status", "kind", "level"])
    op.create_index("ix_requirement_module_listing", "requirement_module", ["id", "current_version", "category", "key"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_module_version_search ON module_version USING gin (search_text gin_trgm_ops)")
        op.execute("DROP TRIGGER module_version_search_words ON module_version")
        op.execute("DROP FUNCTION module_version_search_words()")
        op.execute("DROP TABLE module_version_search_vocabulary")
        op.execute("ALTER TABLE module_version DROP COLUMN search_words")
    op.drop_index("ix_requirement_module_listing", "requirement_module")
    op.drop_index("ix_module_version_listing", "module_version")
