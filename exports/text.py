"""Make a snapshot safe for the writers before any of them sees it.

python-docx, lxml and openpyxl raise on characters XML 1.0 forbids, and a lone surrogate cannot
even be encoded as UTF-8. Every exporter passes its snapshot through `scrub` first, which also
reads a datetime without a time zone as UTC (the registry's convention) rather than as the
local time of whatever machine runs the export.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TypeVar

import msgspec

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except tab and newline, DEL, C1 controls, and the two noncharacters XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_ANY_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

T = TypeVar("T")


def clean(text: str) -> str:
    """Return `text` with line breaks normalised to \\n, lone surrogates replaced by U+FFFD and
    every other character XML cannot carry removed."""
    if _ANY_BAD.search(text) is None:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _SURROGATE.sub("\ufffd", text))


def scrub(value: T) -> T:
    """Return a copy of a snapshot (struct, tuple, list or str) with every string cleaned and every
    naive datetime in UTC."""
    if isinstance(value, str):
        return clean(value)  # type: ignore[return-value]
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if isinstance(value, msgspec.Struct):
        fields = {name: scrub(getattr(value, name)) for name in value.__struct_fields__}
        return msgspec.structs.replace(value, **fields)
    if isinstance(value, (tuple, list)):
        return type(value)(scrub(item) for item in value)
    return value
