"""The table of contents: each numbered heading of the first two levels, with its number, a link to it and its page."""

from __future__ import annotations

from typing import NamedTuple

from docx.document import Document

from exports.docx import tender_docx
from exports.model import TenderDocument
from tests.exports.readback import open_docx


class Heading(NamedTuple):
    level: int
    number: str
    text: str
    bookmarks: list[str]


def numbered_headings(document: Document) -> list[Heading]:
    """Every heading with the number Word's heading list gives it (a level counts on, the levels below start again)."""
    counts = [0, 0, 0]
    headings = []
    for p in document.paragraphs:
        if p.style is not None and p.style.name.startswith("Heading "):
            level = int(p.style.name.removeprefix("Heading "))
            counts[level - 1] += 1
            counts[level:] = [0] * (len(counts) - level)
            number = ".".join(str(n) for n in counts[:level])
            headings.append(Heading(level, number, p.text, p._p.xpath("./w:bookmarkStart/@w:name")))
    return headings


def test_contents_list_each_heading_of_two_levels_with_its_number_and_a_page_reference(sample: TenderDocument) -> None:
    document = open_docx(tender_docx(sample))
    listed = [h for h in numbered_headings(document) if h.level <= 2]
    entries = [p for p in document.paragraphs if p.style is not None and p.style.name.startswith("toc ")]
    # Before a reader computes the page references, each shows the entry's place in the list.
    assert [(p.style.name, p.text) for p in entries if p.style is not None] == [
        (f"toc {h.level}", f"{h.number}\t{h.text}\t{order}") for order, h in enumerate(listed, 1)
    ]
    assert ("toc 2", "5.4\tDelkontrakt 2: Lokaliseringsteknologi (GPS)\t15") in [(p.style.name, p.text) for p in entries if p.style is not None]
    for entry, heading in zip(entries, listed, strict=True):
        (bookmark,) = heading.bookmarks
        assert entry._p.xpath("./w:hyperlink/@w:anchor") == [bookmark]
        assert [text.strip() for text in entry._p.xpath(".//w:instrText/text()")] == [f"PAGEREF {bookmark} \\h"]


def test_contents_are_not_a_toc_field_and_word_computes_their_pages_on_opening(sample: TenderDocument) -> None:
    """A TOC field would print without page numbers from LibreOffice, and Word rebuilding it would list every heading twice."""
    document = open_docx(tender_docx(sample))
    assert {text.split()[0] for text in document.element.body.xpath(".//w:instrText/text()")} == {"PAGEREF"}
    assert document.settings.element.xpath("./w:updateFields/@w:val") == ["true"]
