"""Building blocks shared by every slice's request and response structs."""

from __future__ import annotations

from decimal import Decimal
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
# Single-line text (names, titles, references): not blank, no control characters at all (tabs and
# newlines included), and no bidirectional embeddings, overrides or isolates, which make a name
# display as another ("Acme\u202egnp.exe" shows as "Acmeexe.png").
_NOT_IN_LINE = r"\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069"
LINE_PATTERN = rf"^[^{_NOT_IN_LINE}]*[^{_NOT_IN_LINE}\s][^{_NOT_IN_LINE}]*$"
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=LINE_PATTERN)]
# Multi-line text: tabs and newlines allowed, other control characters refused.
Text = Annotated[str, msgspec.Meta(max_length=20_000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")]

MAX_FIGURE = 1e15
Figure = Annotated[float, msgspec.Meta(ge=-MAX_FIGURE, le=MAX_FIGURE)]
"""A measured or declared number: finite (a ``"NaN"`` or ``"Infinity"`` string would otherwise pass as a
float, and neither PostgreSQL's JSON nor the exports take it) and bounded."""

MAX_AMOUNT = Decimal(10) ** 13
CENT = Decimal("0.01")
Money = Annotated[Decimal, msgspec.Meta(description=f"An amount from 0 to {MAX_AMOUNT:,} with at most two decimals.", examples=["12500000.00"])]
"""An amount of money; msgspec cannot bound a Decimal, so services check it with ``money_problem``."""


def money_problem(amount: Decimal) -> str | None:
    """Why ``amount`` is not a ``Money`` amount (NaN, infinite, out of bounds, fractions of a cent), or None."""
    if not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT:
        return f"must be an amount from 0 to {MAX_AMOUNT:,}"
    if amount != amount.quantize(CENT):
        return "must have at most two decimals"
    return None


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
