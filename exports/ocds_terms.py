"""The tender's terms as OCDS structures: options (options extension), the framework agreement
(techniques extension), submission terms (submissionTerms extension) and lot limits (lots extension)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from exports.labels import Locale
from exports.model import CallOff, Lot, Options, TenderDocument, Terms
from exports.ocds_fields import add_months, day_end, day_start, fields, period

# How a framework's contracts are called off -> frameworkAgreementMethod codelist.
CALL_OFF_METHOD: dict[CallOff, str] = {
    "ranking": "withoutReopeningCompetition",
    "mini_competition": "withReopeningCompetition",
    "ranking_or_mini_competition": "withAndWithoutReopeningCompetition",
}


def options(doc: TenderDocument, t: Locale) -> dict[str, Any]:
    """``hasOptions`` and, when there are options, the extensions they offer and the period they cover: from the day
    after the contract ends to the end of the last one."""
    offered = doc.tender.terms.options
    if offered is None:
        return {"hasOptions": False}
    end = doc.tender.contract.end
    first, last = end + timedelta(days=1), _extended(end, offered)
    return {
        "hasOptions": True,
        "options": fields(
            description=t["ocds.options"].format(count=offered.count, months=offered.months),
            period=period(day_start(first, t.zone), day_end(last, t.zone)),
        ),
    }


def last_option_day(doc: TenderDocument) -> date | None:
    """The last day the contract can run, every option used (None without options)."""
    offered = doc.tender.terms.options
    return _extended(doc.tender.contract.end, offered) if offered else None


def _extended(end: date, offered: Options) -> date:
    return add_months(end, offered.count * offered.months)


def techniques(terms: Terms) -> dict[str, Any]:
    """Whether the tender concludes a framework agreement; the agreement's details are in each lot."""
    return {"hasFrameworkAgreement": terms.agreement == "framework"}


def lot_techniques(lot: Lot, terms: Terms, t: Locale) -> dict[str, Any]:
    """A framework lot's agreement: at most so many suppliers, how contracts are called off, why it runs longer than
    usual, and the most it may call off (a value is the lot's value; a quantity is told here)."""
    framework = terms.framework
    if terms.agreement != "framework" or framework is None:
        return {}
    return {
        "hasFrameworkAgreement": True,
        "frameworkAgreement": fields(
            maximumParticipants=framework.suppliers,
            method=CALL_OFF_METHOD[framework.call_off],
            periodRationale=terms.duration_justification,
            description=_most_called_off(lot, t),
        ),
    }


def _most_called_off(lot: Lot, t: Locale) -> str:
    maximum = lot.maximum
    if maximum is None or maximum.quantity is None:
        return ""
    return t["ocds.lot_maximum"].format(quantity=t.number(maximum.quantity), unit=maximum.unit)


def submission_terms(doc: TenderDocument) -> dict[str, Any]:
    """Bids go in electronically, in the document's language, and stay binding ``validity_days`` from the deadline."""
    terms, deadline = doc.tender.terms, doc.tender.timeline.submission_deadline
    days = terms.validity_days
    return fields(
        electronicSubmissionPolicy="required",
        variantPolicy="allowed" if terms.variants else "notAllowed",
        languages=[doc.language],
        bidValidityPeriod=period(deadline, deadline + timedelta(days=days), durationInDays=days) if days is not None else None,
    )


def submission_details(terms: Terms, t: Locale) -> str:
    """Where bids are submitted, for `tender.submissionMethodDetails` (submissionTerms has no field for the address)."""
    submission = terms.submission
    return t["ocds.submission"].format(system=submission.system, url=submission.url) if submission else ""


def lot_details(terms: Terms) -> dict[str, Any]:
    return fields(maximumLotsBidPerSupplier=terms.lots_per_bid, maximumLotsAwardedPerSupplier=terms.max_lots_awarded)
