"""Building blocks shared by every slice's request and response structs."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

MAX_PAGE_SIZE = 200

PATTERNS: dict[str, str] = {}
"""What each pattern a value is checked against asks for, in words: validation messages and the API
documentation say this instead of the regular expression."""


def named_pattern(pattern: str, meaning: str) -> str:
    """``pattern``, registered in ``PATTERNS`` with its ``meaning`` (e.g. "a DOI such as 10.1234/abc")."""
    PATTERNS[pattern] = meaning
    return pattern


Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000, description="Items to skip.")]
# Query strings never carry control characters: they would reach the database (which refuses NUL).
_PRINTABLE = named_pattern(r"^[^\x00-\x1f\x7f]*$", "text without control characters")
Search = Annotated[str | None, QueryParameter(min_length=1, max_length=200, pattern=_PRINTABLE, description="Search text.")]
Filter = Annotated[str | None, QueryParameter(max_length=64, pattern=_PRINTABLE, description="Exact value to filter by.")]
# Single-line text (names, titles, references): not blank, no control characters at all (tabs and
# newlines included), and no bidirectional embeddings, overrides or isolates, which make a name
# display as another ("Acme\u202egnp.exe" shows as "Acmeexe.png").
_NOT_IN_LINE = r"\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069"
LINE_PATTERN = named_pattern(
    rf"^[^{_NOT_IN_LINE}]*[^{_NOT_IN_LINE}\s][^{_NOT_IN_LINE}]*$",
    "a single line of text, not blank, without control characters (tabs and line breaks included) or bidirectional overrides",
)
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=LINE_PATTERN)]
# Multi-line text: tabs and newlines allowed, other control characters refused.
TEXT_PATTERN = named_pattern(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", "text without control characters other than tabs and line breaks")
FILLED_TEXT_PATTERN = named_pattern(
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$", "text, not empty, without control characters other than tabs and line breaks"
)
Text = Annotated[str, msgspec.Meta(max_length=20_000, pattern=TEXT_PATTERN)]
EMAIL_PATTERN = named_pattern(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$", "an email address such as name@example.org")
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=EMAIL_PATTERN)]
# Tenders' contact phones, amendment summaries and reasons, and selection labels (``1.3``).
PHONE_PATTERN = named_pattern(
    r"^\+?[0-9][0-9 ()-]{4,30}$", "a phone number such as +47 55 00 00 00: digits, spaces, brackets and hyphens, after an optional +"
)
URL_PATTERN = named_pattern(r"^https?://[^\s/?#]+\.[^\s/?#]+(/\S*)?$", "a web address starting with https:// or http://")
Url = Annotated[str, msgspec.Meta(max_length=500, pattern=URL_PATTERN)]
SELECTION_LABEL_PATTERN = named_pattern(r"^\d+\.\d+$", "a lot and a selection position joined by a full stop, such as 1.3")

_EXPECTED = re.compile(r"^Expected `(?P<type>[^`]+)` (?P<constraint>.+?)(?P<at> - at `\$[^`]*`)?$", re.S)
_REGEX = re.compile(r"^matching regex (?P<pattern>'.*'|\".*\")$", re.S)
_LENGTH = re.compile(r"^of length (?P<op><=|>=) (?P<bound>\d+)$")
_RANGE = re.compile(r"^(?P<op><=|>=|<|>) (?P<bound>\S+)$")
_MULTIPLE = re.compile(r"^that's a multiple of (?P<bound>\S+)$")
_UNITS = {"str": "character", "array": "item", "object": "entry", "bytes": "byte"}
_COMPARISONS = {">=": "of at least", "<=": "of at most", ">": "greater than", "<": "less than"}


def in_words(message: str) -> str:
    """msgspec's "Expected `str` matching regex '...'", "Expected `str` of length <= N", "Expected `int` >= N" and the
    like, as what is expected in words (a pattern's meaning from ``PATTERNS``), keeping a trailing " - at `$.path`";
    other messages as they are."""
    expected = _EXPECTED.match(message)
    words = _expected(expected.group("type"), expected.group("constraint")) if expected else None
    return words + (expected.group("at") or "") if expected and words else message


def _expected(kind: str, constraint: str) -> str | None:
    if regex := _REGEX.match(constraint):
        return "expected " + PATTERNS.get(ast.literal_eval(regex.group("pattern")), "text in the documented format")
    if length := _LENGTH.match(constraint):
        bound = int(length.group("bound"))
        unit = _UNITS.get(kind, "element")
        plural = "entries" if unit == "entry" else f"{unit}s"
        return f"expected {'at most' if length.group('op') == '<=' else 'at least'} {bound:,} {unit if bound == 1 else plural}"
    if bounded := _RANGE.match(constraint):
        number = "a whole number" if kind == "int" else "a number"
        return f"expected {number} {_COMPARISONS[bounded.group('op')]} {_figure(bounded.group('bound'))}"
    if multiple := _MULTIPLE.match(constraint):
        return f"expected a multiple of {_figure(multiple.group('bound'))}"
    return None


def _figure(text: str) -> str:
    """A bound as people write it: ``1000000000000000.0`` as ``1,000,000,000,000,000``."""
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{int(value):,}" if value.is_integer() else f"{value:,}"


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


def given_fields(update: msgspec.Struct) -> dict[str, Any]:
    """The fields a partial update (PATCH) sets: those not left ``msgspec.UNSET``."""
    return {f: v for f, v in msgspec.structs.asdict(update).items() if v is not msgspec.UNSET}


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
