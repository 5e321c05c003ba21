"""WordprocessingML fragments built as strings.

A tender has thousands of table rows; python-docx's object API builds them one element at a time
(and `table.cell(r, c)` is quadratic), while building the markup as text is an order of magnitude
faster. Plain `str` arguments are always escaped; only `Xml` (markup made here) passes through as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape, unescape

from docx.oxml import parse_xml
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BOLD = "<w:b/><w:bCs/>"
ITALIC = "<w:i/><w:iCs/>"
SMALL_GREY = '<w:color w:val="7F7F7F"/><w:sz w:val="14"/><w:szCs w:val="14"/>'
KEEP_NEXT = "<w:keepNext/>"

_T = '<w:t xml:space="preserve">'


class Xml(str):
    """Markup that is already WordprocessingML, as opposed to text that needs escaping."""

    __slots__ = ()

    def __add__(self, other: str) -> Xml:
        if not isinstance(other, Xml):
            raise TypeError("only markup joins markup; wrap text in run() or paragraph()")
        return Xml(str.__add__(self, other))


Content = str | Xml


def run(text: str, props: str = "") -> Xml:
    """A run of `text`; tabs and line breaks become Word's own tab and break elements."""
    body = escape(text).replace("\t", f"</w:t><w:tab/>{_T}").replace("\n", f"</w:t><w:br/>{_T}")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return Xml(f"<w:r>{rpr}{_T}{body}</w:t></w:r>")


def paragraph(content: Content = "", style: str | None = None, props: str = "") -> Xml:
    """A paragraph; `props` are paragraph properties after the style (in schema order)."""
    if not isinstance(content, Xml):
        content = run(content) if content else Xml("")
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + props
    return Xml(f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>" if ppr else f"<w:p>{content}</w:p>")


def field(instruction: str, placeholder: str) -> Xml:
    """A complex field (PAGE, PAGEREF...) within one paragraph, showing `placeholder` until the reader computes it."""
    return Xml(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{run(placeholder)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def bookmark(number: int, name: str, content: Xml) -> Xml:
    return Xml(f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{content}<w:bookmarkEnd w:id="{number}"/>')


def hyperlink(anchor: str, content: Xml) -> Xml:
    """A link to a bookmark in this document."""
    return Xml(f'<w:hyperlink w:anchor="{anchor}" w:history="1">{content}</w:hyperlink>')


PAGE_BREAK = Xml('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


_RUN = re.compile(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?(.*?)</w:r>")
_TEXT = re.compile(r'<w:t xml:space="preserve">(.*?)</w:t>')
_SIZE = re.compile(r'<w:sz w:val="(\d+)"/>')
_SPACE = re.compile(r"[ \t\n]+")  # where a line may break (never at a no-break space)
_AFTER_HYPHEN = re.compile(r"(?<=-)(?=[^\W\d_])")  # a hyphen before a letter is a break opportunity too


def words(content: Content, size: int) -> Iterator[tuple[str, int]]:
    """The words of `content` no line may break, each with its font size (half-points; `size`
    unless its run sets one)."""
    pieces = ((content, size),) if not isinstance(content, Xml) else _texts(content, size)
    for text, text_size in pieces:
        for word in _SPACE.split(text):
            yield from ((part, text_size) for part in _AFTER_HYPHEN.split(word) if part)


def _texts(markup: Xml, size: int) -> Iterator[tuple[str, int]]:
    for props, body in _RUN.findall(markup):
        sized = _SIZE.search(props)
        text_size = int(sized.group(1)) if sized else size
        yield from ((unescape(text), text_size) for text in _TEXT.findall(body))


def _cell(content: Content, width: int, props: str = "") -> str:
    if not isinstance(content, Xml):
        content = paragraph(content, props=props)
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content or "<w:p/>"}</w:tc>'


def _row(cells: Sequence[Content], widths: Sequence[int], props: str = "", paragraph_props: str = "") -> str:
    trpr = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{''.join(_cell(c, w, paragraph_props) for c, w in zip(cells, widths, strict=True))}</w:tr>"


def table(
    style: str,
    widths: Sequence[int],
    rows: Iterable[Sequence[Content]],
    *,
    header: Sequence[str] | None = None,
    total: Sequence[Content] | None = None,
) -> Xml:
    """A fixed-layout table in `style`. The header row repeats on every page and keeps with the
    first row below it; `total` is the last row, formatted by the style's last-row rule."""
    # tblLook: first/last row formatting on, banding off (the legacy w:val carries the same bits).
    look = 0x0600 | (0x0020 if header else 0) | (0x0040 if total else 0)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    parts = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="{look:04X}" w:firstRow="{int(bool(header))}" '
        f'w:lastRow="{int(bool(total))}" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    if header:
        parts.append(_row(header, widths, "<w:cantSplit/><w:tblHeader/>", KEEP_NEXT))
    parts.extend(_row(cells, widths) for cells in rows)
    if total:
        parts.append(_row(total, widths, "<w:cantSplit/>"))
    parts.append("</w:tbl>")
    return Xml("".join(parts))


def parse(fragment: str) -> etree._Element:
    """Parse body-level markup (paragraphs, tables) into a `w:body` of python-docx's element classes."""
    return parse_xml(f'<w:body xmlns:w="{W_NS}">{fragment}</w:body>')
