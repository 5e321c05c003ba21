"""The tender document: an A4 Word file in the tender's language, built from a snapshot."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import NamedTuple

from docx.document import Document
from docx.oxml.ns import qn
from docx.section import _BaseHeaderFooter

from exports.archive import restamp
from exports.labels import Locale
from exports.model import Lot, Maximum, Party, Requirement, TenderDocument
from exports.template import CELL_MARGIN, TABLE_FONT_SIZE, TEXT_WIDTH, open_template, word_width
from exports.text import scrub
from exports.wordml import (
    BOLD,
    ITALIC,
    KEEP_NEXT,
    PAGE_BREAK,
    SMALL_GREY,
    Content,
    Xml,
    bookmark,
    field,
    hyperlink,
    paragraph,
    parse,
    run,
    table,
    words,
)

WATERMARK = '<w:b/><w:bCs/><w:color w:val="C8C8C8"/><w:spacing w:val="60"/><w:sz w:val="72"/><w:szCs w:val="72"/>'
RIGHT = '<w:jc w:val="right"/>'
HANGING = '<w:ind w:left="425" w:hanging="425"/>'
AFTER_TABLE = Xml('<w:p><w:pPr><w:spacing w:after="0" w:line="160" w:lineRule="exact"/></w:pPr></w:p>')
CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core-property texts
COVER_NAMES_LIMIT = 60  # more participants than this are counted on the cover, not named
TOC_LEVELS = 2
FIXED_COLUMN_LIMIT = TEXT_WIDTH // 3  # a word longer than this breaks rather than crowd out the other columns
FREE_COLUMN_MINIMUM = TEXT_WIDTH // 5
_TOC = Xml("")  # holds the place of the table of contents (found by identity) until every heading is known


class _Body:
    """The body's markup in reading order. Headings are numbered by the template's heading list;
    the numbers are counted here as well, in the same order, for the table of contents."""

    def __init__(self, styles: dict[str, str], locale: Locale) -> None:
        self.styles = styles
        self.t = locale
        self.parts: list[str] = []
        self._numbers = [0, 0, 0]
        self._toc: list[tuple[int, str, str]] = []  # level, numbered title, bookmark

    def add(self, *markup: str) -> None:
        self.parts.extend(markup)

    def heading(self, level: int, text: str) -> None:
        self._numbers[level - 1] += 1
        self._numbers[level:] = [0] * (len(self._numbers) - level)
        content = run(text)
        if level <= TOC_LEVELS:
            name = f"_Toc{len(self._toc) + 1}"
            self._toc.append((level, f"{'.'.join(str(n) for n in self._numbers[:level])}\t{text}", name))
            content = bookmark(len(self._toc), name, content)
        self.add(paragraph(content, self.styles[f"Heading {level}"]))

    def table(
        self,
        widths: Sequence[int | None],
        rows: Iterable[Sequence[Content]],
        header: Sequence[str] | None = None,
        total: Sequence[Content] | None = None,
    ) -> None:
        """A table whose columns are each at least as wide as the longest word they hold; `widths`
        are the preferred widths, None marking the one column that takes the rest of the line."""
        rows = list(rows)
        needed = _needed_widths([*([header] if header else []), *rows, *([total] if total else [])])
        fitted = _fit(widths, needed)
        self.add(table(self.styles["Tender Table"], fitted, rows, header=header, total=total), AFTER_TABLE)

    def contents(self) -> None:
        """Reserve the place of the table of contents."""
        self.parts.append(_TOC)

    def markup(self) -> str:
        return "".join(self._table_of_contents() if part is _TOC else part for part in self.parts)

    def _table_of_contents(self) -> str:
        """One paragraph per numbered heading: its number and title, a dotted tab and a PAGEREF field
        for the page of the heading's bookmark, all linking to the heading. Not a TOC field: LibreOffice
        never rebuilds one from a Word file, so it would print without page numbers. PAGEREF fields
        LibreOffice computes at layout and Word on opening (the template's settings ask it to update
        fields); until then they show the entry's place in the list."""
        return "".join(
            paragraph(hyperlink(name, run(f"{title}\t") + field(f"PAGEREF {name} \\h", str(order))), self.styles[f"toc {level}"])
            for order, (level, title, name) in enumerate(self._toc, 1)
        )


def _needed_widths(rows: Sequence[Sequence[Content]]) -> list[int]:
    """Per column, the width of its longest unbreakable word plus the cell's padding."""
    columns = zip(*rows, strict=True)
    return [
        min(FIXED_COLUMN_LIMIT, max((word_width(w, size) for c in cells for w, size in words(c, TABLE_FONT_SIZE)), default=0)) + 2 * CELL_MARGIN
        for cells in columns
    ]


def _fit(preferred: Sequence[int | None], needed: Sequence[int]) -> list[int]:
    """Widths that fill the text width: each column its preferred width or what its words need,
    whichever is more, and the free column (None) the rest. Where the free column's own words
    would not fit, the others give back what they hold beyond their words; where even the words
    of the others leave it less than `FREE_COLUMN_MINIMUM`, they all shrink alike."""
    free = preferred.index(None)
    widths = [max(width or 0, need) for width, need in zip(preferred, needed, strict=True)]
    widths[free] = needed[free]
    excess, surplus = sum(widths) - TEXT_WIDTH, sum(widths) - sum(needed)
    if excess > 0 and surplus > 0:
        share = min(1.0, excess / surplus)
        widths = [width - math.ceil((width - need) * share) for width, need in zip(widths, needed, strict=True)]
    others = sum(widths) - widths[free]
    if TEXT_WIDTH - others < FREE_COLUMN_MINIMUM:
        widths = [width * (TEXT_WIDTH - FREE_COLUMN_MINIMUM) // others for width in widths]
        others = sum(widths) - widths[free]
    widths[free] = TEXT_WIDTH - others
    return widths


class _Kind(NamedTuple):
    """What one Word document of the tender is: its name, and its chapters in order."""

    name: str
    chapters: tuple[Callable[[_Body, TenderDocument], None], ...]


def tender_docx(doc: TenderDocument) -> bytes:
    """Render the tender document; the same snapshot always gives the same bytes."""
    return _render(doc, _TENDER_DOCUMENT)


def contract_annex_docx(doc: TenderDocument) -> bytes:
    """Render the contract conditions as an annex of their own; the same snapshot always gives the same bytes."""
    return _render(doc, _CONTRACT_ANNEX)


def _render(doc: TenderDocument, kind: _Kind) -> bytes:
    doc = scrub(doc)
    t = Locale(doc.language, doc.timezone)
    document, styles = open_template()
    body = _Body(styles, t)
    for chapter in kind.chapters:
        chapter(body, doc)
    name = t[kind.name]
    _set_language(document, t["language_tag"])
    _page_furniture(document, doc, t, styles, name)
    _properties(document, doc, t, name)
    buffer = BytesIO()
    document.save(buffer)
    main = document.part
    filled = _with_body(main.blob, body.markup())
    return restamp(buffer.getvalue(), doc.generated_at, {main.partname.membername: filled})


# ---- chapters ---------------------------------------------------------------------------------


def _cover(body: _Body, doc: TenderDocument, subtitle: str) -> None:
    t, tender = body.t, doc.tender
    body.add(paragraph(tender.title, body.styles["Title"]), paragraph(subtitle, body.styles["Subtitle"]))
    facts = (
        (t["reference"], tender.reference),
        (t["document_version"], str(tender.document_version)),
        (t["procedure"], t[f"procedure.{tender.procedure}"]),
        (t["lead_buyer"], f"{doc.lead_buyer.name} ({_org_number(t, doc.lead_buyer)})"),
        (t["submission_deadline"], t.datetime(tender.timeline.submission_deadline)),
        (t["date"], t.date(doc.generated_at)),
    )
    body.table((3000, None), [(paragraph(run(key, BOLD)), value) for key, value in facts])


def _tender_cover(body: _Body, doc: TenderDocument) -> None:
    t = body.t
    _cover(body, doc, t["tender_document"])
    if doc.participants:
        names = ", ".join(p.party.name for p in doc.participants)
        if len(doc.participants) > COVER_NAMES_LIMIT:
            names = t["participants_listed"].format(count=len(doc.participants), chapter=t["participants_and_volumes"])
        body.add(
            paragraph(run(t["participating_municipalities"], BOLD), props='<w:spacing w:before="360"/>'),
            paragraph(names),
        )
    body.add(PAGE_BREAK)


def _annex_cover(body: _Body, doc: TenderDocument) -> None:
    t = body.t
    _cover(body, doc, t["doc.contract_annex"])
    body.add(paragraph(t["doc.annex_to"].format(reference=doc.tender.reference)))


def _contents(body: _Body, doc: TenderDocument) -> None:
    body.add(paragraph(body.t["table_of_contents"], body.styles["TOC Heading"]))
    body.contents()
    body.add(PAGE_BREAK)


def _introduction(body: _Body, doc: TenderDocument) -> None:
    t, tender = body.t, doc.tender
    body.heading(1, t["introduction"])
    body.add(_lines(tender.description))
    if doc.participants:
        body.add(paragraph(t["joint_procurement"].format(lead=doc.lead_buyer.name, count=len(doc.participants))))
    if doc.lots:
        body.add(paragraph(t["lots_intro"], props=KEEP_NEXT))
        body.table(
            (1300, None, 3000),
            (
                (
                    str(lot.number),
                    paragraph(run(lot.title, BOLD)) + _lines(lot.description),
                    ", ".join(lot.product_categories),
                )
                for lot in doc.lots
            ),
            header=(t["lot"], t["col.title"], t["product_categories"]),
        )
    facts = [(t["cpv_codes"], ", ".join(tender.cpv_codes))]
    if tender.estimated_value:
        facts.append((t["estimated_value"], t.money(tender.estimated_value)))
    body.add(*(paragraph(run(f"{key}: ", BOLD) + run(value)) for key, value in facts if value))


def _participants(body: _Body, doc: TenderDocument) -> None:
    t = body.t
    body.heading(1, t["participants_and_volumes"])
    body.heading(2, t["participating_municipalities"])
    countries = {p.party.country for p in doc.participants}
    (country,) = countries if len(countries) == 1 else (None,)
    body.table(
        (None, 2200, 2600),
        (
            (p.party.name, p.party.org_number if country else _org_number(t, p.party), t.date(p.mandate_date) if p.mandate_date else "–")
            for p in doc.participants
        ),
        header=(t["col.municipality"], t[f"org_number.{country}"] if country else t["col.org_number"], t["col.mandate"]),
    )
    if not doc.lots:
        return
    body.heading(2, t["estimated_volumes"])
    lot_width = (TEXT_WIDTH - 3000) // len(doc.lots)
    body.table(
        (None, *(lot_width for _ in doc.lots)),
        (_volume_row(t, p.party.name, p.quantities(), doc.lots) for p in doc.participants),
        header=(t["col.municipality"], *(f"{t['lot']} {lot.number}" for lot in doc.lots)),
        total=_volume_row(t, t["total"], doc.total_quantities(), doc.lots),
    )


def _procedure(body: _Body, doc: TenderDocument) -> None:
    t, tender = body.t, doc.tender
    timeline, contract = tender.timeline, tender.contract
    body.heading(1, t["procedure_and_timeline"])
    body.add(paragraph(run(f"{t['procedure']}: ", BOLD) + run(t[f"procedure.{tender.procedure}"]), props=KEEP_NEXT))
    if doc.law:
        body.add(paragraph(t["doc.governed_by"].format(act=doc.law.procurement_act), props=KEEP_NEXT))
    milestones = (
        (t["published_at"], t.datetime(timeline.published_at) if timeline.published_at else None),
        (t["questions_deadline"], t.datetime(timeline.questions_deadline)),
        (t["submission_deadline"], t.datetime(timeline.submission_deadline)),
        (t["planned_award"], t.date(timeline.planned_award) if timeline.planned_award else None),
        (t["contract_start"], t.date(contract.start)),
        (t["contract_end"], t.date(contract.end)),
    )
    dated = [(label, when) for label, when in milestones if when]
    body.table((None, 4838), dated, header=(t["col.milestone"], t["date"]))
    if tender.contact:
        reach = ", ".join(part for part in (tender.contact.name, tender.contact.email, tender.contact.phone) if part)
        body.add(paragraph(run(f"{t['contact_point']}: ", BOLD) + run(reach)))


def _instructions(body: _Body, doc: TenderDocument) -> None:
    t, tender = body.t, doc.tender
    terms, timeline = tender.terms, tender.timeline
    body.heading(1, t["doc.instructions"])
    body.heading(2, t["doc.submission"])
    deadline = t.datetime(timeline.submission_deadline)
    if terms.submission:
        body.add(paragraph(t["doc.submit_through"].format(system=terms.submission.system, url=terms.submission.url, deadline=deadline)))
    else:
        body.add(paragraph(t["doc.submit_by"].format(deadline=deadline)))
    if terms.validity_days:
        body.add(paragraph(t["validity"].format(days=terms.validity_days)))
    body.add(paragraph(t["doc.written_in"].format(language=t["language_name"])))
    questions = _questions(t, doc)
    if questions:
        body.heading(2, t["doc.questions"])
        body.add(paragraph(questions))
    body.heading(2, t["doc.lots_and_variants"])
    if len(doc.lots) > 1:
        lots_per_bid = terms.lots_per_bid
        bid = t["doc.bid_max_lots"].format(count=lots_per_bid) if lots_per_bid and lots_per_bid < len(doc.lots) else t["doc.bid_any_lots"]
        body.add(paragraph(bid))
        if terms.max_lots_awarded and terms.max_lots_awarded < len(doc.lots):
            body.add(paragraph(t["doc.award_max_lots"].format(count=terms.max_lots_awarded)))
    body.add(
        paragraph(t["doc.variants_allowed" if terms.variants else "doc.variants_refused"]),
        paragraph(t["doc.reservations_allowed" if terms.reservations else "doc.reservations_refused"]),
    )
    body.heading(2, t["response_instructions"])
    values = {"yes": t["yes"], "no": t["no"]}
    keys = ("respond_form", "respond_compliance", "respond_award", "respond_evidence")
    body.add(*(paragraph(f"{n}.\t{t[key].format(**values)}", props=HANGING) for n, key in enumerate(keys, 1)))


def _questions(t: Locale, doc: TenderDocument) -> str:
    """Where and by when suppliers ask questions: the e-tendering system, or email to the contact point."""
    terms, contact = doc.tender.terms, doc.tender.contact
    deadline = t.datetime(doc.tender.timeline.questions_deadline)
    if terms.submission and (terms.questions_via == "submission_system" or contact is None):
        return t["doc.questions_in_system"].format(system=terms.submission.system, deadline=deadline)
    if contact:
        return t["doc.questions_by_email"].format(contact=contact.name, email=contact.email, deadline=deadline)
    return ""


def _qualification(body: _Body, doc: TenderDocument) -> None:
    t, law = body.t, doc.law
    body.heading(1, t["qualification_requirements"])
    if law and doc.tender.terms.espd:
        body.heading(2, t["doc.espd"])
        body.add(_lines(law.espd))
    if law:
        body.heading(2, t["doc.exclusion"])
        body.add(_lines(law.mandatory_exclusion))
        if law.discretionary_exclusion:
            body.add(paragraph(t["doc.discretionary_intro"]))
            body.add(*(paragraph(f"–\t{ground.text}", props=HANGING) for ground in law.discretionary_exclusion))
    for lot in doc.lots:
        body.heading(2, _lot_name(t, lot))
        _requirement_table(body, _of_kind(lot, "qualification"), _BRIEF)


def _specification(body: _Body, doc: TenderDocument) -> None:
    t = body.t
    body.heading(1, t["requirement_specification"])
    for lot in doc.lots:
        body.heading(2, _lot_name(t, lot))
        if lot.product_categories:
            body.add(paragraph(run(f"{t['product_categories']}: ", BOLD) + run(", ".join(lot.product_categories))))
        specified = _of_kind(lot, "mandatory", "award")
        if not specified:
            body.add(_nothing(t))
        for label, requirements in _by_category(specified):
            body.heading(3, label)
            _requirement_table(body, requirements, _FULL)


def _evaluation(body: _Body, doc: TenderDocument) -> None:
    t = body.t
    body.heading(1, t["award_and_evaluation"])
    body.add(
        paragraph(t["evaluation_intro"]),
        paragraph(t["doc.evaluation_price_words"]),
        paragraph(t["evaluation_price"], props='<w:ind w:left="425"/>'),
        paragraph(t["evaluation_scale"].format(max=doc.tender.score_max)),
        paragraph(t["evaluation_winner"]),
    )
    for lot in doc.lots:
        body.heading(2, _lot_name(t, lot))
        split = t["lot_weights"].format(price=t.percent(lot.price_weight), quality=t.percent(lot.quality_weight))
        body.add(paragraph(split, props=KEEP_NEXT))
        criteria = _of_kind(lot, "award")
        total = lot.price_weight + sum((r.weight or Decimal(0) for r in criteria), Decimal(0))
        body.table(
            (3800, 1100, None),
            [
                (t["price"], paragraph(t.percent(lot.price_weight), props=RIGHT), ""),
                *((f"{r.id} {r.title}", _weight(t, r), r.scoring_guidance) for r in criteria),
            ],
            header=(t["col.criterion"], t["col.weight"], t["col.scoring"]),
            total=(t["total"], paragraph(t.percent(total), props=RIGHT), ""),
        )
        if any(r.added_value is not None for r in criteria):
            body.add(paragraph(t["evaluation_added_value"]))
        for r in criteria:
            if r.scale:
                body.add(paragraph(run(t["scale_of"].format(criterion=f"{r.id} {r.title}"), BOLD), props=KEEP_NEXT))
                rows = [(paragraph(str(step.points), props=RIGHT), step.descriptor) for step in r.scale]
                body.table((1100, None), rows, header=(t["col.points"], t["col.descriptor"]))


def _contract(body: _Body, doc: TenderDocument) -> None:
    t = body.t
    body.heading(1, t["contract_conditions"])
    _agreement(body, doc)
    _contract_term(body, doc)
    law, terms = doc.law, doc.tender.terms
    if law and terms.labour_clauses and law.labour_clauses:
        body.heading(2, t["doc.labour_clauses"])
        body.add(_lines(law.labour_clauses))
    body.heading(2, t["doc.special_conditions"])
    body.add(paragraph(t["contract_intro"]))
    for lot in doc.lots:
        body.heading(3, _lot_name(t, lot))
        _requirement_table(body, _of_kind(lot, "contract_condition"), _BRIEF)


def _agreement(body: _Body, doc: TenderDocument) -> None:
    """Contract or framework agreement: how many suppliers, how contracts are called off, the most per lot."""
    t, terms = body.t, doc.tender.terms
    body.heading(2, t["doc.agreement"])
    framework = terms.framework if terms.agreement == "framework" else None
    if framework is None:
        body.add(paragraph(t["doc.agreement_contract"]))
        return
    suppliers = framework.suppliers
    body.add(
        paragraph(t["doc.framework_one"] if suppliers == 1 else t["doc.framework_many"].format(count=suppliers)),
        paragraph(t[f"call_off.{framework.call_off}"]),
    )
    limited = [lot for lot in doc.lots if lot.maximum]
    if limited:
        body.add(paragraph(t["doc.maximum_intro"], props=KEEP_NEXT))
        body.table(
            (None, 3000, 3000),
            ((_lot_name(t, lot), *_maximum(t, lot.maximum)) for lot in limited if lot.maximum),
            header=(t["lot"], t["col.maximum_value"], t["col.maximum_quantity"]),
        )


def _maximum(t: Locale, maximum: Maximum) -> tuple[Content, Content]:
    value = t.money(maximum.value) if maximum.value else "–"
    quantity = f"{t.number(maximum.quantity)} {maximum.unit}".strip() if maximum.quantity is not None else "–"
    return paragraph(value, props=RIGHT), paragraph(quantity, props=RIGHT)


def _contract_term(body: _Body, doc: TenderDocument) -> None:
    t, contract, terms = body.t, doc.tender.contract, doc.tender.terms
    body.heading(2, t["doc.contract_term"])
    body.add(paragraph(t["contract_period"].format(start=t.date(contract.start), end=t.date(contract.end))))
    options = terms.options
    if options:
        extension = (
            t["doc.option_once"].format(months=options.months)
            if options.count == 1
            else t["doc.options_times"].format(count=options.count, months=options.months)
        )
        total = _months(contract.start, contract.end) + options.count * options.months
        body.add(paragraph(extension), paragraph(t["doc.total_term"].format(months=total)))
    elif contract.options:
        body.add(paragraph(run(f"{t['options']}: ", BOLD) + run(contract.options)))
    if terms.duration_justification:
        body.add(paragraph(run(f"{t['doc.duration_justification']}: ", BOLD) + run(terms.duration_justification)))


def _months(start: date, end: date) -> int:
    """Whole months from `start` to the end of `end`, a month begun counting as one."""
    after = end + timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month + (1 if after.day > start.day else 0)


def _review(body: _Body, doc: TenderDocument) -> None:
    law, t = doc.law, body.t
    if law is None:
        return
    body.heading(1, t["doc.review"])
    body.heading(2, t["doc.standstill"])
    body.add(_lines(law.standstill))
    body.heading(2, t["doc.review_body"])
    body.add(paragraph(t["doc.review_at"].format(body=law.review_body, url=law.review_body_url)))
    body.heading(2, t["doc.public_access"])
    body.add(_lines(law.public_access))


def _references(body: _Body, doc: TenderDocument) -> None:
    if not doc.references:
        return
    t = body.t
    body.heading(1, t["references"])
    body.add(paragraph(t["references_intro"], props=KEEP_NEXT))
    body.table(
        (1500, 2300, None, 700, 1200),
        ((t[f"reference.{r.kind}"], r.identifier, r.title, str(r.year or ""), r.clause) for r in doc.references),
        header=(t["col.kind"], t["col.identifier"], t["col.title"], t["col.year"], t["col.clause"]),
    )


def _amendments(body: _Body, doc: TenderDocument) -> None:
    if not doc.amendments:
        return
    t = body.t
    body.heading(1, t["amendments"])
    body.add(paragraph(t["amendments_intro"], props=KEEP_NEXT))
    body.table(
        (700, 1600, None, 3000),
        ((str(a.number), t.date(a.date), a.summary, a.reason) for a in doc.amendments),
        header=(t["col.number"], t["date"], t["col.change"], t["col.reason"]),
    )


def _annexes(body: _Body, doc: TenderDocument) -> None:
    t, links = body.t, doc.links
    body.heading(1, t["doc.annexes"])
    body.add(paragraph(t["doc.annexes_intro"]))
    documents = (
        (t["doc.annex_this"].format(name=t["tender_document"], version=doc.tender.document_version) + " (DOCX)", links.tender_docx),
        (f"{t['doc.contract_annex']} (DOCX)", links.contract_annex_docx),
        (f"{t['response_form']} (XLSX)", links.response_form_xlsx),
        (t["doc.annex_ocds"], links.package),
    )
    body.add(
        *(
            paragraph(run(f"{n}.\t{name}") + (run(f"\n{link}", SMALL_GREY) if link else Xml("")), props=HANGING)
            for n, (name, link) in enumerate(documents, 1)
        )
    )


_TENDER_DOCUMENT = _Kind(
    "tender_document",
    (
        _tender_cover,
        _contents,
        _introduction,
        _participants,
        _procedure,
        _instructions,
        _qualification,
        _specification,
        _evaluation,
        _contract,
        _review,
        _references,
        _amendments,
        _annexes,
    ),
)
_CONTRACT_ANNEX = _Kind("doc.contract_annex", (_annex_cover, _contract))


# ---- requirement tables -----------------------------------------------------------------------


def _id_cell(t: Locale, r: Requirement) -> Content:
    """The requirement's number, and where it comes from: module, version, level."""
    trace = f"{r.module_key} v{r.module_version}" + (f"\n{t['level']}: {t[f'level.{r.level}']}" if r.level else "")
    return paragraph(run(r.id, BOLD)) + paragraph(run(trace, SMALL_GREY))


def _text_cell(t: Locale, r: Requirement) -> Content:
    parts = [paragraph(run(r.title, BOLD)), _lines(r.statement)]
    if r.rationale:
        label = run(f"{t['rationale']}: ", BOLD + SMALL_GREY)
        parts.append(paragraph(label + run(r.rationale, ITALIC + SMALL_GREY)))
    if r.buyer_note:
        parts.append(paragraph(run(f"{t['note']}: ", BOLD) + run(r.buyer_note)))
    return Xml("".join(parts))


def _verification_cell(t: Locale, r: Requirement) -> Content:
    documents = paragraph(run(", ".join(r.verification_documents), BOLD)) if r.verification_documents else Xml("")
    return documents + paragraph(r.verification)


def _weight(t: Locale, r: Requirement) -> Content:
    if r.added_value is not None:
        return paragraph(t["added_value_per_point"].format(amount=t.money(r.added_value)), props=RIGHT)
    return paragraph(t.percent(r.weight), props=RIGHT) if r.weight is not None else ""


# Column: (header label key, preferred width or None for the rest of the line, cell renderer).
_Column = tuple[str, int | None, Callable[[Locale, Requirement], Content]]
_ID: _Column = ("col.id", 1150, _id_cell)
_TEXT: _Column = ("col.requirement", None, _text_cell)
_VERIFICATION: _Column = ("col.verification", 2050, _verification_cell)
_KIND: _Column = ("col.kind", 1650, lambda t, r: t[f"kind.{r.kind}"])
_WEIGHT: _Column = ("col.weight", 950, _weight)
_FULL: tuple[_Column, ...] = (_ID, _TEXT, _KIND, _WEIGHT, _VERIFICATION)
_BRIEF: tuple[_Column, ...] = (_ID, _TEXT, _VERIFICATION)


def _requirement_table(body: _Body, requirements: Sequence[Requirement], columns: Sequence[_Column]) -> None:
    t = body.t
    if not requirements:
        body.add(_nothing(t))
        return
    body.table(
        [width for _, width, _ in columns],
        ([render(t, r) for _, _, render in columns] for r in requirements),
        header=[t[key] for key, _, _ in columns],
    )


def _of_kind(lot: Lot, *kinds: str) -> list[Requirement]:
    """The lot's requirements of these kinds in the order of their IDs (1.2 before 1.10)."""
    return sorted((r for r in lot.requirements if r.kind in kinds), key=_id_order)


def _id_order(r: Requirement) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.\-]", r.id))


def _by_category(requirements: Iterable[Requirement]) -> list[tuple[str, list[Requirement]]]:
    """Group by category in order of first appearance, labelled with the first label seen."""
    groups: dict[str, tuple[str, list[Requirement]]] = {}
    for r in requirements:
        groups.setdefault(r.category_key, (r.category_label, []))[1].append(r)
    return list(groups.values())


# ---- small helpers ----------------------------------------------------------------------------


def _lines(text: str) -> Xml:
    """One paragraph per non-empty line of `text`."""
    return Xml("".join(paragraph(line) for line in text.split("\n") if line.strip()))


def _lot_name(t: Locale, lot: Lot) -> str:
    """ "Lot 2: title", unless the title already starts with "Lot 2"."""
    prefix = f"{t['lot']} {lot.number}"
    if lot.title.casefold().startswith(prefix.casefold()) and not lot.title[len(prefix) : len(prefix) + 1].isdigit():
        return lot.title
    return f"{prefix}: {lot.title}"


def _org_number(t: Locale, party: Party) -> str:
    """The organisation number as its country names it ("CVR-nr. 12345678")."""
    return f"{t[f'org_number.{party.country}']} {party.org_number}"


def _nothing(t: Locale) -> Xml:
    return paragraph(run(t["none"], ITALIC))


def _volume_row(t: Locale, label: str, quantities: dict[str, dict[str, int]], lots: Sequence[Lot]) -> list[Content]:
    """`label` and, per lot, its quantities in each unit (a dash for none)."""
    cells = ("; ".join(f"{t.number(n)} {unit}" for unit, n in quantities.get(lot.id, {}).items()) for lot in lots)
    return [label, *(paragraph(cell or "–", props=RIGHT) for cell in cells)]


def _with_body(document_xml: bytes, markup: str) -> bytes:
    """The template's main part with `markup` added at the end of its body, before the final section
    properties. Spliced as text: the body is most of the document, and handing it to lxml
    to parse and move into python-docx's tree costs more than everything else together (and
    grows faster than linearly)."""
    at = document_xml.rindex(b"<w:sectPr")
    return document_xml[:at] + markup.encode() + document_xml[at:]


def _set_language(document: Document, tag: str) -> None:
    """Proofing and hyphenation language of the whole document (the template's default run language)."""
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang"))
    lang = document.styles.element.find(path)
    if lang is not None:
        lang.set(qn("w:val"), tag)


def _replace(part: _BaseHeaderFooter, markup: str) -> None:
    element = part._element
    element.clear()
    element.extend(list(parse(markup)))


def _page_furniture(document: Document, doc: TenderDocument, t: Locale, styles: dict[str, str], name: str) -> None:
    """Header (tender title, a DRAFT mark on every page of a draft) and footer (reference, page
    numbers); the cover page carries only the draft mark."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    mark = paragraph(run(t["draft"], WATERMARK), styles["Header"], '<w:jc w:val="center"/>') if doc.draft else Xml("")
    _replace(section.header, paragraph(doc.tender.title, styles["Header"]) + mark)
    if doc.draft:
        _replace(section.first_page_header, mark)
    version = f"{doc.tender.reference} · {name}, {t['version']} {doc.tender.document_version}\t"
    pages = run(f"{t['page']} ") + field("PAGE", "1") + run(f" {t['page_of']} ") + field("NUMPAGES", "1")
    _replace(section.footer, paragraph(Xml(run(version) + pages), styles["Footer"]))


def _properties(document: Document, doc: TenderDocument, t: Locale, name: str) -> None:
    """Core properties from the snapshot, never from the clock or python-docx's defaults."""
    props = document.core_properties
    props.author = _clip(doc.lead_buyer.name)
    props.last_modified_by = _clip(doc.publisher)
    props.created = props.modified = doc.generated_at.astimezone(UTC)
    props.revision = doc.tender.document_version
    props.title = _clip(doc.tender.title)
    props.subject = name
    props.identifier = _clip(doc.tender.reference)
    props.language = t["language_tag"]
    props.keywords = _clip(", ".join(doc.tender.cpv_codes))
    props.content_status = t["draft"] if doc.draft else ""
    props.comments = _clip(t.fallback_note(doc.fallbacks))


def _clip(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"
