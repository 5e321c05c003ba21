"""The supplier response form: an Excel workbook with one sheet per lot and one row per requirement.

Descriptive columns are locked by sheet protection (without a password: it guards against slips,
not against the buyer), the supplier's answer columns are open, and "requirement met" only
accepts the document language's yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC
from io import BytesIO
from math import ceil
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import (
    Alignment,
    Border,
    Font,
    NamedStyle,
    PatternFill,
    Protection,
    Side,
)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from exports.archive import restamp
from exports.labels import Locale
from exports.model import Requirement, TenderDocument
from exports.text import scrub

CELL_LIMIT = 32_767  # UTF-16 code units Excel keeps in one cell
SHEET_NAME_LIMIT = 31
HEADER_FOOTER_LIMIT = 100  # Excel allows 255 characters for a whole print header
LINE_HEIGHT = 15  # points per line of Excel's default 11-point text
ROW_HEIGHT_LIMIT = 409  # points, Excel's maximum
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")

HEADER, TEXT, ANSWER = "Form header", "Form text", "Form answer"
# (label key, column width in characters): the descriptive columns, then the supplier's.
_DESCRIPTIVE = (
    ("col.id", 8),
    ("col.category", 18),
    ("col.requirement", 60),
    ("col.kind", 18),
    ("col.weight", 7),
    ("col.verification", 34),
)
_ANSWERS = (("col.compliance", 11), ("col.answer", 48), ("col.evidence", 26))
_COMPLIANCE_COLUMN = get_column_letter(len(_DESCRIPTIVE) + 1)


def response_form_xlsx(doc: TenderDocument) -> bytes:
    """Render the response form; the same snapshot always gives the same bytes."""
    doc = scrub(doc)
    t = Locale(doc.language, doc.timezone)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet every new workbook starts with
    _add_styles(workbook)
    sheets = [(f"{t['lot']} {lot.number}", lot.title, lot.requirements) for lot in doc.lots]
    used: set[str] = set()
    for lot, title, requirements in sheets or [(t["response_form"], "", ())]:
        sheet = workbook.create_sheet(_sheet_name(f"{lot} {title}", used))
        _fill(sheet, requirements, t)
        _print_setup(sheet, doc.tender.reference, f"{lot}: {title}" if title else lot, t)
    _properties(workbook, doc, t)
    buffer = BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the wall clock into the properties.
    ExcelWriter(workbook, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return restamp(buffer.getvalue(), doc.generated_at)


def _add_styles(workbook: Workbook) -> None:
    """Named cell styles (fresh objects: openpyxl binds a style to one workbook)."""
    top_wrap = Alignment(vertical="top", wrap_text=True)
    rule = Border(bottom=Side(style="thin", color="BFBFBF"))
    workbook.add_named_style(
        NamedStyle(
            HEADER,
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor="1F3864"),
            alignment=top_wrap,
        )
    )
    workbook.add_named_style(NamedStyle(TEXT, alignment=top_wrap, border=rule))
    open_cell = Protection(locked=False)
    workbook.add_named_style(
        NamedStyle(
            ANSWER, fill=PatternFill("solid", fgColor="FFF8DC"), alignment=top_wrap, border=rule, protection=open_cell
        )
    )


def _fill(sheet: Worksheet, requirements: Sequence[Requirement], t: Locale) -> None:
    columns = (*_DESCRIPTIVE, *_ANSWERS)
    widths = [width for _, width in columns]
    header: list[object] = [t[key] for key, _ in columns]
    rows = (header, *(_describe(r, t) + [None] * len(_ANSWERS) for r in requirements))
    for number, values in enumerate(rows, 1):
        sheet.append(values)
        sheet.row_dimensions[number].height = _row_height(values, widths)
    for row in sheet.iter_rows():
        for column, cell in enumerate(row, 1):
            if cell.data_type == "f":  # text that merely starts with "=" must never become a formula
                cell.data_type = "s"
            cell.style = HEADER if cell.row == 1 else ANSWER if column > len(_DESCRIPTIVE) else TEXT
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # resizing stays allowed
    if requirements:
        yes, no = t["yes"], t["no"]
        validation = DataValidation(
            type="list",
            formula1=f'"{yes},{no}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t["invalid_answer"],
            error=t["choose_yes_no"].format(yes=yes, no=no),
        )
        validation.add(f"{_COMPLIANCE_COLUMN}2:{_COMPLIANCE_COLUMN}{len(requirements) + 1}")
        sheet.add_data_validation(validation)


def _describe(r: Requirement, t: Locale) -> list[object]:
    text = "\n".join(part for part in (r.title, r.statement, r.buyer_note and f"{t['note']}: {r.buyer_note}") if part)
    verification = "\n".join(part for part in (", ".join(r.verification_documents), r.verification) if part)
    return [
        r.id,
        r.category_label,
        _fit(text, CELL_LIMIT),
        t[f"kind.{r.kind}"],
        r.weight if r.added_value is None else t["added_value_per_point"].format(amount=t.money(r.added_value)),
        _fit(verification, CELL_LIMIT),
    ]


def _row_height(values: Sequence[object], widths: Sequence[int]) -> int:
    """Neither Excel nor LibreOffice grows a row for wrapped text in a file it opens, so estimate:
    the most lines any cell wraps into at its column width (about a character per width unit)."""
    lines = max(
        (
            sum(ceil(len(line) / width) or 1 for line in str(value).split("\n"))
            for value, width in zip(values, widths, strict=True)
            if value is not None
        ),
        default=1,
    )
    return min(lines * LINE_HEIGHT, ROW_HEIGHT_LIMIT)


def _print_setup(sheet: Worksheet, reference: str, title: str, t: Locale) -> None:
    """A4 landscape, all columns on one page width, the header row on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None  # openpyxl gives every worksheet both
    header.left.text = _header_text(reference)
    header.center.text = _header_text(title)
    footer.right.text = f"{_header_text(t['page'])} &P {_header_text(t['page_of'])} &N"


def _properties(workbook: Workbook, doc: TenderDocument, t: Locale) -> None:
    props = workbook.properties
    props.creator = doc.lead_buyer.name
    props.lastModifiedBy = doc.publisher
    props.created = props.modified = doc.generated_at.astimezone(UTC).replace(tzinfo=None)  # openpyxl writes naive UTC
    props.title = f"{t['response_form']}: {doc.tender.title}"
    props.subject = t["response_form"]
    props.identifier = doc.tender.reference
    props.language = t["language_tag"]
    props.keywords = ", ".join(doc.tender.cpv_codes)
    props.description = t.fallback_note(doc.fallbacks) or None


def _sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ or line breaks, not quoted, at most 31 characters."""
    base = _fit(_SHEET_NAME_FORBIDDEN.sub(" ", title).strip("' "), SHEET_NAME_LIMIT).strip("' ") or "Sheet"
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = _fit(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
    used.add(name.casefold())
    return name


def _header_text(text: str) -> str:
    """Text for a print header: short enough, and & (a code prefix there) doubled."""
    return text[:HEADER_FOOTER_LIMIT].replace("&", "&&")


def _fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, which is what Excel counts (an emoji is two)."""
    encoded = text.encode("utf-16-le")
    return text if len(encoded) <= 2 * limit else encoded[: 2 * limit].decode("utf-16-le", "ignore")
