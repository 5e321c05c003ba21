"""The supplier response form: an Excel workbook the supplier fills in and returns with its tender.

Sheets, in order: a cover with the tender's key facts and the supplier's details, instructions,
the lots (which ones the supplier bids for), then per lot its requirements (a row each) and its
price schedule. Every sheet is protected without a password (it guards against slips, not
against the buyer): only the shaded answer cells open, each with the validation its answer needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from exports.archive import restamp
from exports.labels import Locale
from exports.model import Requirement, RequirementKind, TenderDocument
from exports.text import scrub
from exports.xlsx_cells import (
    ANSWER,
    CLOSED,
    HEADER,
    TEXT,
    Value,
    add_styles,
    choice,
    column_ranges,
    percent,
    percent_format,
    protect,
    put,
    put_row,
    row_height,
    set_widths,
    sheet_name,
    sheet_reference,
)
from exports.xlsx_front import fill_cover, fill_instructions, fill_lots
from exports.xlsx_prices import fill_prices, price_lines

HEADER_FOOTER_LIMIT = 100  # Excel allows 255 characters for a whole print header

# (label key, column width in characters): what the buyer describes, then what the supplier answers.
_DESCRIPTIVE = (
    ("col.id", 8),
    ("col.category", 18),
    ("col.requirement", 60),
    ("col.kind", 18),
    ("col.weight", 7),
    ("col.verification", 34),
)
_WEIGHT_COLUMN = 5
_COMPLIANCE: frozenset[RequirementKind] = frozenset({"qualification", "mandatory"})
_CONDITION: frozenset[RequirementKind] = frozenset({"contract_condition"})
_AWARD: frozenset[RequirementKind] = frozenset({"award"})
# (label key, width, the kinds of requirement that answer in the column)
_ANSWERS = (
    ("col.compliance", 11, _COMPLIANCE),
    ("col.acceptance", 14, _CONDITION),
    ("col.answer", 48, _AWARD),
    ("col.evidence", 26, _COMPLIANCE | _AWARD),
)
_WIDTHS = [width for _, width in _DESCRIPTIVE] + [width for _, width, _ in _ANSWERS]
COMPLIANCE_COLUMN, ACCEPTANCE_COLUMN = len(_DESCRIPTIVE) + 1, len(_DESCRIPTIVE) + 2


def response_form_xlsx(doc: TenderDocument) -> bytes:
    """Render the response form; the same snapshot always gives the same bytes."""
    doc = scrub(doc)
    t = Locale(doc.language, doc.timezone)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet every new workbook starts with
    add_styles(workbook)
    used: set[str] = set()

    def new_sheet(title: str) -> Worksheet:
        return workbook.create_sheet(sheet_name(title, used))

    # All sheets first, in their order: the instructions and the lots sheet name later ones.
    cover, guide, lots = new_sheet(t["sheet.cover"]), new_sheet(t["sheet.instructions"]), new_sheet(t["sheet.lots"])
    lot_sheets = [
        (lot, new_sheet(f"{t['lot']} {lot.number} {lot.title}"), new_sheet(f"{t['sheet.prices']} {t['lot']} {lot.number}")) for lot in doc.lots
    ]
    currency = doc.tender.estimated_value.currency if doc.tender.estimated_value else None
    quantities = doc.total_quantities()
    totals = []
    for lot, requirements, prices in lot_sheets:
        _fill_requirements(requirements, lot.requirements, t)
        totals.append(sheet_reference(prices.title, fill_prices(prices, price_lines(lot, quantities, t), currency, t)))
        heading = f"{t['lot']} {lot.number}: {lot.title}"
        _print_setup(requirements, doc.tender.reference, heading, t)
        _print_setup(prices, doc.tender.reference, f"{t['sheet.prices']} – {heading}", t)
    fill_cover(cover, doc, t)
    fill_instructions(guide, doc, cover.title, lots.title, currency, t)
    fill_lots(lots, doc.lots, totals, doc.tender.terms.lots_per_bid, currency, t)
    for sheet, title in ((cover, t["response_form"]), (guide, t["fill_heading"]), (lots, t["sheet.lots"])):
        _print_setup(sheet, doc.tender.reference, title, t)
    _properties(workbook, doc, t)
    buffer = BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the wall clock into the properties.
    ExcelWriter(workbook, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return restamp(buffer.getvalue(), doc.generated_at)


def _fill_requirements(sheet: Worksheet, requirements: Sequence[Requirement], t: Locale) -> None:
    """A row per requirement: locked description, then open cells only in the columns its kind answers in."""
    header = [t[key] for key, _ in _DESCRIPTIVE] + [t[key] for key, _, _ in _ANSWERS]
    put_row(sheet, 1, header, HEADER)
    sheet.row_dimensions[1].height = row_height(header, _WIDTHS)
    for row, requirement in enumerate(requirements, 2):
        values = _describe(requirement, t)
        put_row(sheet, row, values, TEXT)
        if requirement.weight is not None and requirement.added_value is None:
            sheet.cell(row, _WEIGHT_COLUMN).number_format = percent_format(requirement.weight, t)
        for column, (_, _, kinds) in enumerate(_ANSWERS, len(_DESCRIPTIVE) + 1):
            put(sheet, row, column, None, ANSWER if requirement.kind in kinds else CLOSED)
        sheet.row_dimensions[row].height = row_height(values, _WIDTHS)
    for column, kinds, options in ((COMPLIANCE_COLUMN, _COMPLIANCE, ("yes", "no")), (ACCEPTANCE_COLUMN, _CONDITION, ("accepted", "not_accepted"))):
        rows = [row for row, requirement in enumerate(requirements, 2) if requirement.kind in kinds]
        if rows:
            choice(sheet, column_ranges(column, rows), (t[options[0]], t[options[1]]), t)
    set_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "B2"
    protect(sheet)


def _describe(r: Requirement, t: Locale) -> list[Value]:
    text = "\n".join(part for part in (r.title, r.statement, r.buyer_note and f"{t['note']}: {r.buyer_note}") if part)
    verification = "\n".join(part for part in (", ".join(r.verification_documents), r.verification) if part)
    if r.added_value is not None:
        weight: Value = t["added_value_per_point"].format(amount=t.money(r.added_value))
    else:
        weight = None if r.weight is None else percent(r.weight)
    return [r.id, r.category_label, text, t[f"kind.{r.kind}"], weight, verification]


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


def _header_text(text: str) -> str:
    """Text for a print header: short enough, and & (a code prefix there) doubled."""
    return text[:HEADER_FOOTER_LIMIT].replace("&", "&&")
