"""Folding text for case- and diacritic-insensitive search across the Nordic languages."""

from __future__ import annotations

import unicodedata

from registry.requirements.content import VersionContent

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
