"""Build our A4 template, `templates/tender.docx`: ``python -m exports.make_template``.

Styles live here as WordprocessingML, so a change is reviewable as text; after changing one,
regenerate the file (a test checks that the shipped file is what this builds).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from exports.archive import write_zip
from exports.template import CELL_MARGIN, FONT, PAGE_HEIGHT, PAGE_WIDTH, SIDE_MARGIN, TABLE_FONT_SIZE, TEMPLATE, TEXT_WIDTH

DARK, ACCENT, GREY = "1F3864", "2E74B5", "595959"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _style(kind: str, style_id: str, name: str, body: str, *, default: bool = False, custom: bool = False) -> str:
    flags = (' w:default="1"' if default else "") + (' w:customStyle="1"' if custom else "")
    return f'<w:style w:type="{kind}"{flags} w:styleId="{style_id}"><w:name w:val="{name}"/>{body}</w:style>'


def _paragraph_style(style_id: str, name: str, ppr: str, rpr: str, *, based_on: str = "Normal") -> str:
    body = f'<w:basedOn w:val="{based_on}"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr>'
    return _style("paragraph", style_id, name, body)


HEADING_NUMBERING = 1
"""The numbering instance (numId) that numbers the Heading 1-3 styles: 1, 1.1, 1.1.1."""
_NUMBER_INDENTS = (567, 709, 851)  # the hanging indent each heading level gives its number


def _heading(level: int, points: int, color: str, before: int, after: int) -> str:
    """A heading style that keeps with the next paragraph and takes its number from the heading list."""
    spacing = f'<w:spacing w:before="{before}" w:after="{after}"/>'
    numbering = f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{HEADING_NUMBERING}"/></w:numPr>'
    indent = _NUMBER_INDENTS[level - 1]
    ppr = f'<w:keepNext/><w:keepLines/>{numbering}{spacing}<w:ind w:left="{indent}" w:hanging="{indent}"/><w:outlineLvl w:val="{level - 1}"/>'
    rpr = f'<w:b/><w:bCs/><w:color w:val="{color}"/><w:sz w:val="{2 * points}"/><w:szCs w:val="{2 * points}"/>'
    return _paragraph_style(f"Heading{level}", f"heading {level}", ppr, rpr)


def _numbering_level(level: int) -> str:
    """Level `level` (0-based) of the heading list: decimal numbers joined by dots, then a tab."""
    text = ".".join(f"%{n}" for n in range(1, level + 2))
    indent = _NUMBER_INDENTS[level]
    return (
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading{level + 1}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
    )


_NUMBERING = (
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
    f"{''.join(_numbering_level(level) for level in range(len(_NUMBER_INDENTS)))}</w:abstractNum>"
    f'<w:num w:numId="{HEADING_NUMBERING}"><w:abstractNumId w:val="0"/></w:num>'
)


def _border(side: str, color: str, kind: str = "single") -> str:
    return f'<w:{side} w:val="{kind}" w:sz="4" w:space="0" w:color="{color}"/>'


_RIGHT_TAB = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
_DOTTED_RIGHT_TAB = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
_SMALL_GREY = f'<w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/>'
_TABLE_BORDERS = "".join(_border(side, "8EAADB") for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_CELL_MARGINS = "".join(
    f'<w:{side} w:w="{width}" w:type="dxa"/>' for side, width in (("top", 57), ("left", CELL_MARGIN), ("bottom", 57), ("right", CELL_MARGIN))
)

_STYLES = "".join(
    (
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        '<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>',
        _style("paragraph", "Normal", "Normal", "<w:qFormat/>", default=True),
        _style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            '<w:uiPriority w:val="1"/><w:semiHidden/>',
            default=True,
        ),
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            '<w:uiPriority w:val="99"/><w:semiHidden/>'
            f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>{_CELL_MARGINS}</w:tblCellMar></w:tblPr>',
            default=True,
        ),
        _paragraph_style(
            "Title",
            "Title",
            '<w:spacing w:before="2400" w:after="240"/>',
            f'<w:b/><w:bCs/><w:color w:val="{DARK}"/><w:sz w:val="52"/><w:szCs w:val="52"/>',
        ),
        _paragraph_style(
            "Subtitle",
            "Subtitle",
            '<w:spacing w:after="720"/>',
            f'<w:color w:val="{ACCENT}"/><w:sz w:val="32"/><w:szCs w:val="32"/>',
        ),
        _heading(1, 16, DARK, 480, 160),
        _heading(2, 13, ACCENT, 320, 100),
        _heading(3, 11, DARK, 240, 80),
        _paragraph_style("Header", "header", f'{_RIGHT_TAB}<w:spacing w:after="0"/>', _SMALL_GREY),
        _paragraph_style("Footer", "footer", f'{_RIGHT_TAB}<w:spacing w:after="0"/>', _SMALL_GREY),
        _paragraph_style(
            "TOCHeading",
            "TOC Heading",
            '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr><w:ind w:left="0" w:firstLine="0"/><w:outlineLvl w:val="9"/>',
            "",
            based_on="Heading1",
        ),
        _paragraph_style(
            "TOC1",
            "toc 1",
            f'{_DOTTED_RIGHT_TAB}<w:spacing w:before="120" w:after="60"/><w:ind w:left="567" w:hanging="567"/>',
            "<w:b/><w:bCs/>",
        ),
        _paragraph_style("TOC2", "toc 2", f'{_DOTTED_RIGHT_TAB}<w:spacing w:after="40"/><w:ind w:left="1276" w:hanging="709"/>', ""),
        _style(
            "table",
            "TenderTable",
            "Tender Table",
            '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
            '<w:pPr><w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
            f'<w:rPr><w:sz w:val="{TABLE_FONT_SIZE}"/><w:szCs w:val="{TABLE_FONT_SIZE}"/></w:rPr>'
            f"<w:tblPr><w:tblBorders>{_TABLE_BORDERS}</w:tblBorders><w:tblCellMar>{_CELL_MARGINS}</w:tblCellMar></w:tblPr>"
            f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{DARK}"/></w:tcPr></w:tblStylePr>'
            f'<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
            f"<w:tcPr><w:tcBorders>{_border('top', DARK, 'double')}</w:tcBorders>"
            '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr></w:tblStylePr>',
            custom=True,
        ),
    )
)

_WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_PACKAGE_TYPE = "application/vnd.openxmlformats-package"

_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_PACKAGE_TYPE}.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WORD_TYPE}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_WORD_TYPE}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_WORD_TYPE}.settings+xml"/>'
    f'<Override PartName="/word/numbering.xml" ContentType="{_WORD_TYPE}.numbering+xml"/>'
    f'<Override PartName="/docProps/core.xml" ContentType="{_PACKAGE_TYPE}.core-properties+xml"/>'
    "</Types>",
    "_rels/.rels": f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>",
    "docProps/core.xml": '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
    "word/_rels/document.xml.rels": f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/numbering" Target="numbering.xml"/>'
    "</Relationships>",
    "word/document.xml": f'<w:document xmlns:w="{_W}" xmlns:r="{_REL}"><w:body><w:sectPr>'
    f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    f'<w:pgMar w:top="1418" w:right="{SIDE_MARGIN}" w:bottom="1418" w:left="{SIDE_MARGIN}" '
    'w:header="567" w:footer="567" w:gutter="0"/>'
    "</w:sectPr></w:body></w:document>",
    "word/styles.xml": f'<w:styles xmlns:w="{_W}">{_STYLES}</w:styles>',
    "word/numbering.xml": f'<w:numbering xmlns:w="{_W}">{_NUMBERING}</w:numbering>',
    # updateFields: Word offers to refresh the table of contents and page counts on opening.
    "word/settings.xml": f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="709"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:updateFields w:val="true"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat>'
    "</w:settings>",
}


def build_template() -> bytes:
    """The template's bytes: fixed content, fixed timestamps."""
    entries = ((name, (_DECLARATION + xml).encode()) for name, xml in _PARTS.items())
    return write_zip(entries, datetime(1980, 1, 1, tzinfo=UTC))


if __name__ == "__main__":
    target = Path(str(TEMPLATE))
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(build_template())
    print(f"wrote {target}")
