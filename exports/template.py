"""The Word template the tender document starts from, and the check that it has our styles.

The shipped `templates/tender.docx` is made by `exports.make_template`. Another template (say with
a federation's branding) works as long as it defines `REQUIRED_STYLES`.
"""

from __future__ import annotations

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
