"""Small builders of OCDS values shared by the release package's modules: objects without empty
fields, UTC instants, periods and whole days in the tender's time zone."""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any


def fields(**values: Any) -> dict[str, Any]:
    """An OCDS object of the given fields in the given order, leaving out empty ones (``False`` stays)."""
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def period(start: datetime | None, end: datetime | None, **more: Any) -> dict[str, Any]:
    return fields(startDate=start and instant(start), endDate=end and instant(end), **more)


def day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def day_end(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
