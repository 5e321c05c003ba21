"""The tender's own fields and terms as the builder's form holds them (strings by field name) and back, and the
form field an error path names. Dates and times are in UTC, as the form says; a ticked box is ``yes``; the
discretionary exclusion grounds are their keys joined by commas, or ``all`` (the terms leave them out)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from registry.tenders import schemas

TEXTS = ("reference", "title", "description", "language", "procedure", "estimated_value", "currency", "contract_options")
DATES = ("contract_start", "contract_end")
INSTANTS = ("questions_deadline", "submission_deadline", "planned_award")
CONTACT = ("contact_name", "contact_email", "contact_phone")
FLAGS = ("variants", "reservations", "espd", "labour_clauses")
NUMBERS = ("framework_suppliers", "options_count", "options_months", "validity_days", "lots_per_bid", "max_lots_awarded")
TERMS = (
    "main_category", "agreement", "framework_suppliers", "framework_call_off", "options_count", "options_months", "duration_justification",
    "lots_per_bid", "max_lots_awarded", "submission_system", "submission_url", "questions_via", "validity_days", "discretionary_grounds", *FLAGS,
)  # fmt: skip
NAMES = (*TEXTS, "cpv_codes", *DATES, *INSTANTS, *CONTACT, *TERMS)
ALL = "all"
"""The discretionary grounds' value when every ground of the country applies (the terms leave them out)."""


def raw_of(tender: schemas.TenderFields | None) -> dict[str, str]:
    """The form's values for ``tender`` (None: a new tender's defaults)."""
    if tender is None:
        return {name: "" for name in NAMES} | {"language": "nb", "procedure": "open", "currency": "NOK"} | _terms_raw(schemas.Terms())
    period, timeline, contact = tender.contract_period, tender.timeline, tender.contact_point
    raw = {name: str(getattr(tender, name) or "") for name in TEXTS if name != "contract_options"}
    raw |= {
        "contract_options": period.options or "", "cpv_codes": ", ".join(tender.cpv_codes),
        "contract_start": period.start.isoformat() if period.start else "", "contract_end": period.end.isoformat() if period.end else "",
        "contact_name": contact.name if contact else "", "contact_email": contact.email if contact else "",
        "contact_phone": (contact.phone or "") if contact else "",
    }  # fmt: skip
    return raw | _terms_raw(tender.terms) | {name: _local(getattr(timeline, name)) for name in INSTANTS}


def _terms_raw(terms: schemas.Terms) -> dict[str, str]:
    framework, options, submission, grounds = terms.framework, terms.options, terms.submission, terms.discretionary_grounds
    return {
        "main_category": terms.main_category, "agreement": terms.agreement,
        "framework_suppliers": str(framework.suppliers) if framework else "", "framework_call_off": framework.call_off if framework else "ranking",
        "options_count": str(options.count) if options else "", "options_months": str(options.months) if options else "",
        "duration_justification": terms.duration_justification or "", "lots_per_bid": str(terms.lots_per_bid or ""),
        "max_lots_awarded": str(terms.max_lots_awarded or ""), "submission_system": submission.system if submission else "",
        "submission_url": submission.url if submission else "", "questions_via": terms.questions_via,
        "validity_days": str(terms.validity_days or ""), "discretionary_grounds": ALL if grounds is None else ",".join(grounds),
        **{flag: "yes" if getattr(terms, flag) else "" for flag in FLAGS},
    }  # fmt: skip


def read(form: Any) -> dict[str, str]:
    """The form's values; the grounds ticked are ``all`` when they are every ground the form offered."""
    raw = {name: str(form.get(name, "")).strip() for name in NAMES}
    offered = {key for key in str(form.get("grounds_offered", "")).split(",") if key}
    ticked = [str(key) for key in form.getall("discretionary_grounds")] if "discretionary_grounds" in form else []
    return raw | {"discretionary_grounds": ALL if offered <= set(ticked) else ",".join(ticked)}


def fields_of(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The tender's fields and terms as the API takes them, from the form's values, and the fields that could not be
    read as dates. Framework terms count only for a framework agreement; numbers not typed as such are passed on for
    the decoder to name."""
    unreadable = [name for name in INSTANTS if raw[name] and instant(raw[name]) is None]
    given: dict[str, Any] = {name: raw[name] for name in ("reference", "title", "description", "language", "procedure", "currency")}
    given |= {
        "cpv_codes": [code.strip() for code in raw["cpv_codes"].split(",") if code.strip()],
        "estimated_value": raw["estimated_value"].replace(" ", "").replace(",", ".") or None,
        "contract_period": {k: raw[f"contract_{k}"] for k in ("start", "end", "options") if raw[f"contract_{k}"]},
        "timeline": {name: instant(raw[name]) for name in INSTANTS if raw[name] and instant(raw[name])},
        "contact_point": {k: raw[f"contact_{k}"] for k in ("name", "email", "phone") if raw[f"contact_{k}"]} or None,
    }  # fmt: skip
    number = {name: int(raw[name]) if raw[name].isdigit() else raw[name] for name in NUMBERS}
    terms: dict[str, Any] = {name: raw[name] for name in ("main_category", "agreement", "questions_via")}
    terms |= {flag: raw[flag] == "yes" for flag in FLAGS}
    terms |= {name: number[name] for name in ("validity_days", "lots_per_bid", "max_lots_awarded") if raw[name]}
    if raw["agreement"] == "framework" and raw["framework_suppliers"]:
        terms["framework"] = {"suppliers": number["framework_suppliers"], "call_off": raw["framework_call_off"]}
    if raw["options_count"] or raw["options_months"]:
        terms["options"] = {"count": number["options_count"], "months": number["options_months"]}
    if raw["duration_justification"]:
        terms["duration_justification"] = raw["duration_justification"]
    if raw["submission_system"] or raw["submission_url"]:
        terms["submission"] = {"system": raw["submission_system"], "url": raw["submission_url"]}
    if raw["discretionary_grounds"] != ALL:
        terms["discretionary_grounds"] = [key for key in raw["discretionary_grounds"].split(",") if key]
    return given | {"terms": terms}, unreadable


def field_id(path: str) -> str:
    """The form field an error path names: ``timeline.submission_deadline`` is ``submission_deadline``,
    ``contact_point.email`` is ``contact_email``, ``terms.submission.url`` is ``submission_url``, ``terms.framework.call_off`` is
    ``framework_call_off``, ``cpv_codes[1]`` is ``cpv_codes``."""
    parts = path.removeprefix("$.").split("[")[0].split(".")
    head, last = parts[0], parts[-1]
    if head == "contact_point":
        return f"contact_{last}" if last in ("name", "email", "phone") else "contact_name"
    if head == "contract_period":
        return {"start": "contract_start", "end": "contract_end", "options": "contract_options"}.get(last, "contract_start")
    if head == "terms":
        part = parts[1] if len(parts) > 1 else ""
        nested = {"framework": "framework_suppliers", "options": "options_count", "submission": "submission_system"}
        if part in nested:
            return {"call_off": "framework_call_off", "months": "options_months", "url": "submission_url"}.get(last, nested[part])
        return part if part in TERMS else "submission_system"
    if head == "timeline":
        return last if last in INSTANTS else "submission_deadline"
    return head if head in NAMES else "title"


def _local(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if moment else ""


def instant(value: str) -> datetime | None:
    """A date and time from a form (``2027-03-01T12:00``), in UTC unless it names its offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
