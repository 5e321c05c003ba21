"""A lot's price schedule: a line per unit of the participants' estimated volumes, the supplier's unit
price on each, and the evaluated total price the price formula uses."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.worksheet.worksheet import Worksheet

from exports.labels import Locale
from exports.model import Lot
from exports.xlsx_cells import (
    ANSWER,
    HEADER,
    MONEY_FORMAT,
    QUANTITY_FORMAT,
    TEXT,
    protect,
    put,
    put_formula,
    put_row,
    set_widths,
    validate,
)

_WIDTHS = (40, 18, 18, 22)
PriceLine = tuple[str, int]
"""A unit and its quantity."""


def price_lines(lot: Lot, quantities: Mapping[str, Mapping[str, int]], t: Locale) -> list[PriceLine]:
    """The lot's summed quantities by unit; without any, the whole lot once."""
    return list(quantities.get(lot.id, {}).items()) or [(t["whole_lot"], 1)]


def fill_prices(sheet: Worksheet, lines: list[PriceLine], currency: str | None, t: Locale) -> str:
    """Write the schedule and return the cell of its evaluated total price."""
    put_row(sheet, 1, [t["col.unit"], t["col.quantity"], priced(t["col.unit_price"], currency), priced(t["col.line_total"], currency)], HEADER)
    for row, (unit, quantity) in enumerate(lines, 2):
        put(sheet, row, 1, unit, TEXT)
        put(sheet, row, 2, quantity, TEXT, QUANTITY_FORMAT)
        put(sheet, row, 3, None, ANSWER, MONEY_FORMAT)
        put_formula(sheet, row, 4, f"B{row}*C{row}", MONEY_FORMAT)
    last, total = len(lines) + 1, len(lines) + 2
    put_row(sheet, total, [priced(t["evaluated_total"], currency), None, None], HEADER)
    put_formula(sheet, total, 4, f"SUM(D2:D{last})", MONEY_FORMAT, HEADER)
    validate(sheet, f"C2:C{last}", "decimal", "0", t["enter_price"], t, operator="greaterThanOrEqual")
    set_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "A2"
    protect(sheet)
    return f"D{total}"


def priced(label: str, currency: str | None) -> str:
    """A column label with the currency its amounts are in, when the tender states one."""
    return f"{label} ({currency})" if currency else label
