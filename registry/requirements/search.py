"""Folding text for case- and diacritic-insensitive search across the Nordic languages."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, column, func, literal_column, select, table

from registry.db.migrate import SEARCH_INDEX, SEARCH_WORDS
from registry.requirements.content import VersionContent
from registry.requirements.models import ModuleVersion

VOCABULARY = f"{SEARCH_INDEX}_vocabulary"

# Letters Unicode does not decompose into a base letter plus a mark.
_LIGATURES = str.maketrans({"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l"})


def fold(text: str) -> str:
    """Lower-case, ``æ`` → ``ae``, ``ø`` → ``o``, accents dropped (``ä`` → ``a``), spaces collapsed.

    Compatibility forms are decomposed before case folding, so styled letters (``𝓐``) fold too.
    """
    compatible = unicodedata.normalize("NFKD", text)
    decomposed = unicodedata.normalize("NFKD", compatible.casefold().translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def search_text(key: str, content: VersionContent, tags: list[str], references: list[dict]) -> str:
    """Everything a ``q`` search should find a version by, folded."""
    parts = [key, *tags, *(r["identifier"] for r in references), *(r["title"] for r in references)]
    for field in (content.title, content.statement, content.rationale, content.buyer_guidance, content.verification_text):
        parts.extend(field.values())
    return fold(" ".join(parts))


def query_terms(q: str) -> list[str]:
    return fold(q).split()


def version_matches(q: str, dialect: str) -> list[ColumnElement[bool]]:
    """Conditions on ``ModuleVersion`` finding every term of ``q`` in its folded text, as a substring.

    PostgreSQL looks each term up in the vocabulary of words (trigram-indexed) and takes the versions
    holding any word found (the index of their word numbers; see migration 0017). On SQLite, terms of three
    letters or more are looked up in the trigram FTS5 table, all in one ``MATCH`` (each term a quoted
    phrase); shorter terms, which have no trigram, are matched by ``LIKE``.
    """
    terms = query_terms(q)
    if dialect == "postgresql":
        vocabulary = table(VOCABULARY, column("id"), column("word"))
        words = literal_column(f"{ModuleVersion.__tablename__}.{SEARCH_WORDS}", ARRAY(Integer))
        lookups = [select(func.array_agg(vocabulary.c.id)).where(vocabulary.c.word.contains(t, autoescape=True)) for t in terms]
        return [words.op("&&")(words_found.scalar_subquery()) for words_found in lookups]
    indexed = [t for t in terms if len(t) >= 3] if dialect == "sqlite" else []
    conditions = [ModuleVersion.search_text.contains(t, autoescape=True) for t in terms if t not in indexed]
    if indexed:
        phrases = " ".join('"' + t.replace('"', '""') + '"' for t in indexed)
        index = table(SEARCH_INDEX)
        found: Select[tuple[int]] = select(literal_column("rowid")).select_from(index).where(literal_column(SEARCH_INDEX).op("MATCH")(phrases))
        # ``+`` keeps SQLite from fetching each found row by its rowid (a wide row of texts): it reads the narrow
        # listing index, which holds the rowid too, and checks it against the found set instead.
        conditions.append(literal_column(f"+{ModuleVersion.__tablename__}.rowid").in_(found))
    return conditions
