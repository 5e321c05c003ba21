"""The response form's first sheets: the cover with the supplier's details, how to fill in the form,
and the lots the supplier bids for."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet.worksheet import Worksheet

from exports.labels import Locale
from exports.model import Lot, TenderDocument
from exports.xlsx_cells import (
    ANSWER,
    HEADER,
    MONEY_FORMAT,
    TEXT,
    choice,
    date_format,
    percent,
    percent_format,
    protect,
    put,
    put_formula,
    put_row,
    row_height,
    set_widths,
    validate,
)
from exports.xlsx_prices import priced

_COVER_WIDTHS = (34, 60)
_SUPPLIER_FIELDS = ("supplier_name", "col.org_number", "contact_person", "email", "phone", "date", "signatory")
_INSTRUCTIONS_WIDTH = 110
_LOT_COLUMNS = (("col.number", 8), ("col.title", 50), ("col.price_weight", 12), ("col.quality_weight", 12), ("col.bid", 16), ("evaluated_total", 24))
BID_COLUMN = 5


def fill_cover(sheet: Worksheet, doc: TenderDocument, t: Locale) -> None:
    """The tender's key facts, then the supplier's details to fill in."""
    tender = doc.tender
    facts = (
        (t["reference"], tender.reference),
        (t["col.title"], tender.title),
        (t["lead_buyer"], doc.lead_buyer.name),
        (t["submission_deadline"], t.datetime(tender.timeline.submission_deadline)),
    )
    put_row(sheet, 1, [t["response_form"], None], HEADER)
    for row, (label, value) in enumerate(facts, 2):
        put_row(sheet, row, [label, value], TEXT)
        sheet.row_dimensions[row].height = row_height((label, value), _COVER_WIDTHS)
    heading = len(facts) + 3
    put_row(sheet, heading, [t["supplier"], None], HEADER)
    rows = {key: row for row, key in enumerate(_SUPPLIER_FIELDS, heading + 1)}
    for key, row in rows.items():
        put(sheet, row, 1, t[key], TEXT)
        put(sheet, row, 2, None, ANSWER)
    date_cell, email_cell = f"B{rows['date']}", f"B{rows['email']}"
    sheet[date_cell].number_format = date_format(t)
    validate(sheet, date_cell, "date", "1", t["enter_date"], t, operator="greaterThanOrEqual")
    validate(sheet, email_cell, "custom", f'ISNUMBER(FIND("@",{email_cell}))', t["enter_email"], t)
    set_widths(sheet, _COVER_WIDTHS)
    protect(sheet)


def fill_instructions(sheet: Worksheet, doc: TenderDocument, cover: str, lots: str, currency: str | None, t: Locale) -> None:
    """How to fill in the form, a paragraph a row."""
    put(sheet, 1, 1, t["fill_heading"], HEADER)
    for row, text in enumerate(instructions(doc, cover, lots, currency, t), 2):
        put(sheet, row, 1, text, TEXT)
        sheet.row_dimensions[row].height = row_height((text,), (_INSTRUCTIONS_WIDTH,))
    set_widths(sheet, (_INSTRUCTIONS_WIDTH,))
    protect(sheet)


def instructions(doc: TenderDocument, cover: str, lots: str, currency: str | None, t: Locale) -> list[str]:
    """The paragraphs of the instructions sheet; those about terms the tender does not set are left out."""
    terms, deadline = doc.tender.terms, t.datetime(doc.tender.timeline.submission_deadline)
    yes, no, evidence = t["yes"], t["no"], t["col.evidence"]
    submit = (
        t["submit_via"].format(system=terms.submission.system, url=terms.submission.url, deadline=deadline)
        if terms.submission
        else t["submit_by"].format(deadline=deadline)
    )
    paragraphs = (
        t["fill_cover"].format(sheet=cover),
        t["fill_lots"].format(sheet=lots, yes=yes, no=no),
        terms.lots_per_bid and t["lots_per_bid"].format(count=terms.lots_per_bid),
        t["fill_requirements"],
        "• " + t["fill_compliance"].format(kinds=_kinds(t, "mandatory", "qualification"), met=t["col.compliance"], yes=yes, no=no, evidence=evidence),
        "• " + t["fill_award"].format(kinds=_kinds(t, "award"), answer=t["col.answer"], evidence=evidence),
        "• "
        + t["fill_conditions"].format(
            kinds=_kinds(t, "contract_condition"), acceptance=t["col.acceptance"], accepted=t["accepted"], not_accepted=t["not_accepted"]
        ),
        t["fill_locked"],
        t["fill_prices"].format(sheet=t["sheet.prices"]),
        t["evaluation_price"],
        currency and t["prices_in"].format(currency=currency),
        submit,
        terms.validity_days and t["validity"].format(days=terms.validity_days),
    )
    return [paragraph for paragraph in paragraphs if paragraph]


def fill_lots(sheet: Worksheet, lots: Sequence[Lot], totals: Sequence[str], lots_per_bid: int | None, currency: str | None, t: Locale) -> None:
    """A row per lot with its weights, whether the supplier bids for it, and its evaluated total price
    (`totals`: a reference to each lot's total on its price schedule)."""
    header = [t[key] for key, _ in _LOT_COLUMNS]
    header[-1] = priced(header[-1], currency)
    put_row(sheet, 1, header, HEADER)
    for row, (lot, total) in enumerate(zip(lots, totals, strict=True), 2):
        put_row(sheet, row, [lot.number, lot.title], TEXT)
        put(sheet, row, 3, percent(lot.price_weight), TEXT, percent_format(lot.price_weight, t))
        put(sheet, row, 4, percent(lot.quality_weight), TEXT, percent_format(lot.quality_weight, t))
        put(sheet, row, BID_COLUMN, None, ANSWER)
        put_formula(sheet, row, 6, total, MONEY_FORMAT)
        sheet.row_dimensions[row].height = row_height([lot.title], [_LOT_COLUMNS[1][1]])
    last = len(lots) + 1
    if lots:
        choice(sheet, f"E2:E{last}", (t["yes"], t["no"]), t)
    if lots_per_bid:
        note = last + 2
        put(sheet, note, 1, t["lots_per_bid"].format(count=lots_per_bid), TEXT)
        sheet.merge_cells(start_row=note, start_column=1, end_row=note, end_column=len(_LOT_COLUMNS))
    set_widths(sheet, [width for _, width in _LOT_COLUMNS])
    sheet.freeze_panes = "A2"
    protect(sheet)


def _kinds(t: Locale, *kinds: str) -> str:
    return ", ".join(t[f"kind.{kind}"] for kind in kinds)
