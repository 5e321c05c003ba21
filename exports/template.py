"""The Word template the tender document starts from, and the check that it has our styles.

The shipped `templates/tender.docx` is made by `exports.make_template`. Another template (say with
a federation's branding) works as long as it defines `REQUIRED_STYLES`.
"""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files
from io import BytesIO

import docx
from docx.document import Document

TEMPLATE = files("exports") / "templates" / "tender.docx"

REQUIRED_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Header",
    "Footer",
    "TOC Heading",
    "toc 1",
    "toc 2",
    "Tender Table",
)

# Geometry shared with the exporter (twentieths of a point): A4 with 2 cm side margins.
PAGE_WIDTH, PAGE_HEIGHT, SIDE_MARGIN = 11906, 16838, 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN
CELL_MARGIN = 85
"""A table cell's left and right padding."""

FONT = "Arial"
TABLE_FONT_SIZE = 18
"""Half-points: tables are set in 9 pt."""

# Advance widths in em, each at least Arial Bold's widest of its class (Liberation Sans has the
# same metrics), so a measured width never falls short of the printed word in either weight.
_NARROW = frozenset(" .,:;'!|()[]/-ilIjftr")
_WIDE = frozenset("mwMWæÆœŒ@%&")
_ORDINARY_EM, _NARROW_EM, _CAPITAL_EM, _WIDE_EM = 0.62, 0.4, 0.78, 1.0


def _em(character: str) -> float:
    if character in _NARROW:
        return _NARROW_EM
    if character in _WIDE:
        return _WIDE_EM
    return _CAPITAL_EM if character.isupper() else _ORDINARY_EM


def word_width(word: str, half_points: int = TABLE_FONT_SIZE) -> int:
    """How wide `word` prints at `half_points` (in twentieths of a point, rounded up), conservatively."""
    return math.ceil(sum(_em(c) for c in word) * half_points * 10)


class TemplateError(Exception):
    """The Word template cannot render a tender document."""


@cache
def _template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def open_template() -> tuple[Document, dict[str, str]]:
    """Open a fresh copy of the template and map each required style name to its style id."""
    document = docx.Document(BytesIO(_template_bytes()))
    ids = {style.name: style.style_id for style in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in ids]
    if missing:
        raise TemplateError(f"{TEMPLATE.name} lacks the styles {', '.join(missing)}")
    return document, {name: ids[name] for name in REQUIRED_STYLES}
