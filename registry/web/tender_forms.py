"""The tender's own fields as the builder's form holds them (strings by field name) and back, and the form
field an error path names. Dates and times are in UTC, as the form says."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from registry.tenders import schemas

TEXTS = ("reference", "title", "description", "language", "procedure", "estimated_value", "currency", "contract_options")
DATES = ("contract_start", "contract_end")
INSTANTS = ("questions_deadline", "submission_deadline", "planned_award")
CONTACT = ("contact_name", "contact_email", "contact_phone")
TERMS = ("submission_system", "submission_url", "validity_days")
NAMES = (*TEXTS, "cpv_codes", *DATES, *INSTANTS, *CONTACT, *TERMS)


def raw_of(tender: schemas.TenderFields | None) -> dict[str, str]:
    """The form's values for ``tender`` (None: a new tender's defaults)."""
    if tender is None:
        return {name: "" for name in NAMES} | {"language": "nb", "procedure": "open", "currency": "NOK"}
    period, timeline, contact, terms = tender.contract_period, tender.timeline, tender.contact_point, tender.terms
    raw = {name: str(getattr(tender, name) or "") for name in TEXTS if name != "contract_options"}
    raw |= {
        "contract_options": period.options or "", "cpv_codes": ", ".join(tender.cpv_codes),
        "contract_start": period.start.isoformat() if period.start else "", "contract_end": period.end.isoformat() if period.end else "",
        "contact_name": contact.name if contact else "", "contact_email": contact.email if contact else "",
        "contact_phone": (contact.phone or "") if contact else "",
        "submission_system": terms.submission.system if terms.submission else "", "submission_url": terms.submission.url if terms.submission else "",
        "validity_days": str(terms.validity_days or ""),
    }  # fmt: skip
    return raw | {name: _local(getattr(timeline, name)) for name in INSTANTS}


def read(form: Any) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip() for name in NAMES}


def fields_of(raw: dict[str, str], terms: schemas.Terms) -> tuple[dict[str, Any], list[str]]:
    """The tender's fields as the API takes them, from the form's values (``terms`` the rest of the tender's terms), and
    the fields that could not be read as dates."""
    unreadable = [name for name in INSTANTS if raw[name] and instant(raw[name]) is None]
    given: dict[str, Any] = {name: raw[name] for name in ("reference", "title", "description", "language", "procedure", "currency")}
    given |= {
        "cpv_codes": [code.strip() for code in raw["cpv_codes"].split(",") if code.strip()],
        "estimated_value": raw["estimated_value"].replace(" ", "").replace(",", ".") or None,
        "contract_period": {k: raw[f"contract_{k}"] for k in ("start", "end", "options") if raw[f"contract_{k}"]},
        "timeline": {name: instant(raw[name]) for name in INSTANTS if raw[name] and instant(raw[name])},
        "contact_point": {k: raw[f"contact_{k}"] for k in ("name", "email", "phone") if raw[f"contact_{k}"]} or None,
    }  # fmt: skip
    rest = msgspec.to_builtins(terms)
    rest.pop("submission", None)
    rest.pop("validity_days", None)
    if raw["submission_system"] or raw["submission_url"]:
        rest["submission"] = {"system": raw["submission_system"], "url": raw["submission_url"]}
    if raw["validity_days"]:
        rest["validity_days"] = int(raw["validity_days"]) if raw["validity_days"].isdigit() else raw["validity_days"]
    return given | {"terms": rest}, unreadable


def field_id(path: str) -> str:
    """The form field an error path names: ``timeline.submission_deadline`` is ``submission_deadline``,
    ``contact_point.email`` is ``contact_email``, ``terms.submission.url`` is ``submission_url``, ``cpv_codes[1]`` is ``cpv_codes``."""
    parts = path.removeprefix("$.").split("[")[0].split(".")
    head, last = parts[0], parts[-1]
    if head == "contact_point":
        return f"contact_{last}" if last in ("name", "email", "phone") else "contact_name"
    if head == "contract_period":
        return {"start": "contract_start", "end": "contract_end", "options": "contract_options"}.get(last, "contract_start")
    if head == "terms":
        return {"system": "submission_system", "url": "submission_url", "validity_days": "validity_days"}.get(last, "submission_system")
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
