"""Cells, styles and names the response form's sheets share.

Every value from the snapshot goes in through `put`, which keeps text text: a requirement whose
title starts with "=" must never become a formula. Formulas go in only through `put_formula`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from math import ceil
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.labels import Locale

CELL_LIMIT = 32_767  # UTF-16 code units Excel keeps in one cell
SHEET_NAME_LIMIT = 31
LINE_HEIGHT = 15  # points per line of Excel's default 11-point text
ROW_HEIGHT_LIMIT = 409  # points, Excel's maximum
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")
_RESERVED_SHEET_NAMES = frozenset({"history"})  # Excel keeps it for change tracking
_LOOSE_ENDS = " '-–—,;.("

HEADER, TEXT, ANSWER, CLOSED = "Form header", "Form text", "Form answer", "Form closed"
"""Named styles: header rows, locked text, the supplier's open (shaded) cells, locked cells with nothing to answer."""
TEXT_FORMAT = "@"
MONEY_FORMAT = "#,##0.00"
QUANTITY_FORMAT = "#,##0"

Value = str | int | Decimal | None
Check = Literal["date", "decimal", "custom"]
Operator = Literal["greaterThanOrEqual"]


def add_styles(workbook: Workbook) -> None:
    """Named cell styles (fresh objects: openpyxl binds a style to one workbook)."""
    top_wrap = Alignment(vertical="top", wrap_text=True)
    rule = Border(bottom=Side(style="thin", color="BFBFBF"))
    header = NamedStyle(HEADER, font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="1F3864"), alignment=top_wrap)
    answer = NamedStyle(
        ANSWER,
        fill=PatternFill("solid", fgColor="FFF8DC"),
        alignment=top_wrap,
        border=rule,
        protection=Protection(locked=False),
        number_format=TEXT_FORMAT,  # what a supplier types stays text, even "=1+1" or a leading zero
    )
    closed = NamedStyle(CLOSED, fill=PatternFill("solid", fgColor="F2F2F2"), alignment=top_wrap, border=rule)
    for style in (header, NamedStyle(TEXT, alignment=top_wrap, border=rule), answer, closed):
        workbook.add_named_style(style)


def put(sheet: Worksheet, row: int, column: int, value: Value, style: str, number_format: str | None = None) -> None:
    """Write a value (never a formula) in a named style, with its number format if it needs one."""
    cell = sheet.cell(row, column)
    cell.value = _fit(value, CELL_LIMIT) if isinstance(value, str) else value
    if cell.data_type == "f":  # text that merely starts with "=" stays text
        cell.data_type = "s"
    cell.style = style
    if number_format is not None:
        cell.number_format = number_format


def put_formula(sheet: Worksheet, row: int, column: int, formula: str, number_format: str, style: str = TEXT) -> None:
    """A calculated cell, in a locked style."""
    cell = sheet.cell(row, column)
    cell.value = f"={formula}"
    cell.style = style
    cell.number_format = number_format


def put_row(sheet: Worksheet, row: int, values: Sequence[Value], style: str) -> None:
    for column, value in enumerate(values, 1):
        put(sheet, row, column, value, style)


def set_widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def protect(sheet: Worksheet) -> None:
    """Lock the sheet without a password (it guards against slips, not against the buyer); resizing stays allowed."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False


def choice(sheet: Worksheet, cells: str, options: tuple[str, str], t: Locale) -> None:
    """Let `cells` (a range list) take only one of two answers, such as yes or no."""
    first, second = options
    validation = DataValidation(
        type="list",
        formula1=f'"{first},{second}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t["invalid_answer"],
        error=t["choose_yes_no"].format(yes=first, no=second),
        sqref=cells,
    )
    sheet.add_data_validation(validation)


def validate(sheet: Worksheet, cells: str, kind: Check, formula: str, error: str, t: Locale, operator: Operator | None = None) -> None:
    """Let `cells` take only what `kind` (date, decimal, custom) with `formula` allows, or nothing."""
    validation = DataValidation(
        type=kind,
        operator=operator,
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t["invalid_answer"],
        error=error,
        sqref=cells,
    )
    sheet.add_data_validation(validation)


def column_ranges(column: int, rows: Iterable[int]) -> str:
    """The cells of `column` in ascending `rows` as a range list, runs merged ("G2:G4 G7")."""
    letter, runs = get_column_letter(column), list[list[int]]()
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return " ".join(f"{letter}{first}" if first == last else f"{letter}{first}:{letter}{last}" for first, last in runs)


def sheet_reference(name: str, cell: str) -> str:
    """A reference to `cell` on the sheet `name`, quoted as a formula needs it."""
    return "'{}'!{}".format(name.replace("'", "''"), cell)


def percent(value: Decimal) -> Decimal:
    """Percentage points as the fraction a percent format shows (25 -> 0.25, shown as 25 %)."""
    return value / 100


def percent_format(value: Decimal, t: Locale) -> str:
    """The document language's percent format, with as many decimals as the value has."""
    decimals = max(0, -int(value.normalize().as_tuple().exponent))
    return t["format.percent"].format("0." + "0" * decimals if decimals else "0")


def date_format(t: Locale) -> str:
    """The document language's date format in Excel's notation."""
    return t["format.date"].replace("%Y", "yyyy").replace("%m", "mm").replace("%d", "dd")


def row_height(values: Sequence[object], widths: Sequence[int]) -> int:
    """Neither Excel nor LibreOffice grows a row for wrapped text in a file it opens, so estimate:
    the most lines any cell wraps into at its column width (about a character per width unit)."""
    lines = max(
        (
            sum(ceil(len(line) / width) or 1 for line in str(value).split("\n"))
            for value, width in zip(values, widths, strict=False)
            if value is not None
        ),
        default=1,
    )
    return min(lines * LINE_HEIGHT, ROW_HEIGHT_LIMIT)


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name: none of []:*?/\\ or line breaks, no quote at either end, at most
    31 characters cut at a word boundary, and a number added when it would repeat one in `used`."""
    base = _shorten(_SHEET_NAME_FORBIDDEN.sub(" ", title), SHEET_NAME_LIMIT) or "Sheet"
    name, n = base, 1
    while name.casefold() in used or name.casefold() in _RESERVED_SHEET_NAMES:
        n += 1
        suffix = f" ({n})"
        name = _shorten(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
    used.add(name.casefold())
    return name


def _shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` UTF-16 code units, cut after the last whole word that fits (mid-word
    only when the first word alone is too long), with no dangling punctuation or quote."""
    text = text.strip(" '").rstrip(_LOOSE_ENDS)
    cut = _fit(text, limit)
    if len(cut) < len(text) and not text[len(cut)].isspace() and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(_LOOSE_ENDS)


def _fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, which is what Excel counts (an emoji is two)."""
    encoded = text.encode("utf-16-le")
    return text if len(encoded) <= 2 * limit else encoded[: 2 * limit].decode("utf-16-le", "ignore")
