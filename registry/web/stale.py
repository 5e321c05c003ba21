"""Saving over someone else's newer save: a form carries a fingerprint of each field as it was filled, so a
form refused as stale can show which fields the other person changed, with what they saved, and take in
their changes where this person left the field as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def _digest(value: str | list[str]) -> str:
    shown = "\n".join(value) if isinstance(value, list) else value
    return hashlib.sha256(shown.encode()).hexdigest()[:12]


def seen(raw: Mapping[str, str | list[str]]) -> str:
    """A fingerprint of each field of the draft as the form was filled from it, carried in the form to tell later
    which fields someone else changed meanwhile."""
    return ";".join(f"{name}={_digest(value)}" for name, value in sorted(raw.items()) if value)


def _fingerprints(fingerprint: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in fingerprint.split(";") if "=" in part)


def changed_since(fingerprint: str, now: Mapping[str, str | list[str]]) -> dict[str, str | list[str]]:
    """The fields whose stored value is no longer what ``fingerprint`` saw, with their value now."""
    before = _fingerprints(fingerprint)
    names = (before.keys() | {name for name, value in now.items() if value}) - {"form_token"}
    return {name: now.get(name, "") for name in sorted(names) if before.get(name, _digest("")) != _digest(now.get(name, ""))}


def merged(fingerprint: str, typed: Mapping[str, str], now: Mapping[str, str]) -> tuple[dict[str, str], set[str]]:
    """The form again after a stale save: the typed value where this person changed the field, the stored one
    where only the other person did; and the fields both changed (the typed value kept, theirs to be shown)."""
    before = _fingerprints(fingerprint)
    mine = {name for name, value in typed.items() if before.get(name, _digest("")) != _digest(value)}
    theirs = set(changed_since(fingerprint, now))
    return {name: typed[name] if name in mine or name not in theirs else now.get(name, "") for name in typed}, mine & theirs
