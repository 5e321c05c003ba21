"""Token secrets: high-entropy, recognisable by prefix, stored only as a SHA-256 hash.

A fast hash is right here: the secrets are 256-bit random, so there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "wtr_"


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    """The first characters, kept in clear so owners can tell their tokens apart."""
    return secret[:10]
