"""Building blocks shared by every slice's request and response structs."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

MAX_PAGE_SIZE = 200

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000, description="Items to skip.")]
# Query strings never carry control characters: they would reach the database (which refuses NUL).
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Search = Annotated[str | None, QueryParameter(min_length=1, max_length=200, pattern=_PRINTABLE, description="Search text.")]
Filter = Annotated[str | None, QueryParameter(max_length=64, pattern=_PRINTABLE, description="Exact value to filter by.")]
# Single-line text: no control characters at all (tabs and newlines included), not blank.
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$"
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=LINE_PATTERN)]
# Multi-line text: tabs and newlines allowed, other control characters refused.
Text = Annotated[str, msgspec.Meta(max_length=20_000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")]


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
