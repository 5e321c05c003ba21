"""Onboarding many organizations at once: a CSV file of organizations and federation memberships.

Every row is checked before anything is kept; one bad row refuses the whole file, and the caller's
transaction rolls back what was written. Organizations are created, renamed and given contacts by the
service's own functions (so by its rules, and audited like the API's writes); memberships are added
with ``service.add_member``, never removed. Running the same file twice changes nothing.

Columns (a header row names them, in any order): ``country``, ``kind``, ``name``, ``org_number``,
and optionally ``federation`` (a federation's organization number in the row's country, or its exact
name; in the file or already registered) and ``contact_email``. UTF-8 with or without a byte-order
mark; comma or semicolon between fields.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_args
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.service import record
from registry.auth.principal import OrgKind
from registry.organizations import schemas, service
from registry.organizations.models import Organization
from registry.organizations.orgnumbers import OrgNumberError, normalize_org_number
from registry.problems import DomainError
from registry.schemas import in_words

REQUIRED_COLUMNS = ("country", "kind", "name", "org_number")
OPTIONAL_COLUMNS = ("federation", "contact_email")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DELIMITERS = (",", ";")
_CHOICES = {"kind": get_args(OrgKind), "country": get_args(schemas.Country)}
_STAND_INS: dict[str, Any] = {"kind": "authority", "name": "-", "country": "NO", "org_number": None, "contact_email": None}
"""Valid values put in place of a bad field, so that one conversion after another finds every bad field of a row."""
_CHUNK = 500
"""Values per ``IN (...)`` when looking up registered organizations."""

Step = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """What is wrong with a line of the file (1 is the header), and in which column when one is to blame."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}" if self.field else f"line {self.line}: {self.message}"


class ImportRefused(Exception):
    """The file has bad rows; nothing of it may be kept (the caller's transaction rolls back)."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.line)  # within a line, in the order of the columns checked
        lines = len({e.line for e in self.errors})
        super().__init__(f"{lines} bad line{'' if lines == 1 else 's'}; nothing was imported")


@dataclass(frozen=True)
class Row:
    line: int
    data: schemas.OrganizationCreate
    org_number: str | None
    """Canonical form; None for an authority without one."""
    federation: str | None

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the organization: country and number, or country and name without a number."""
        if self.org_number is None:
            return (self.data.country, "name", self.data.name)
        return (self.data.country, "org_number", self.org_number)


@dataclass
class ParsedFile:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unusable: set[str] = field(default_factory=set)
    """Names and numbers written in bad rows: a federation referring to one is not reported as unknown too."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_added: int = 0

    def __str__(self) -> str:
        added = f"{self.memberships_added} membership{'' if self.memberships_added == 1 else 's'} added"
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged organizations; {added}"

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.memberships_added)


# Reading the file


def parse(content: bytes) -> ParsedFile:
    """The file's rows, checked one by one (fields, organization numbers, duplicates); a file that cannot be read as
    a table (encoding, header) raises ``ImportRefused`` at once."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportRefused([RowError(line, None, 'is not UTF-8 text; save the file as UTF-8 ("CSV UTF-8" in Excel)')]) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    parsed = ParsedFile()
    header: list[str] | None = None
    header_line = last_line = 0
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num  # where the record starts: a quoted field may span lines
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header, header_line = _header(cells, line), line
            continue
        if any(cell.strip() for cell in cells[len(header) :]) or len(cells) < len(header):  # trailing empty fields are harmless
            parsed.errors.append(RowError(line, None, f"has {len(cells)} fields, the header {len(header)}"))
            continue
        _read_row(parsed, line, {column: cell.strip() for column, cell in zip(header, cells[: len(header)], strict=True)})
    if header is None:
        layout = f"{','.join(REQUIRED_COLUMNS)}[,{','.join(OPTIONAL_COLUMNS)}]"
        raise ImportRefused([RowError(1, None, f"the file is empty; it needs a header row: {layout}")])
    if not parsed.rows and not parsed.errors:
        raise ImportRefused([RowError(header_line, None, "the file has a header but no rows")])
    _refuse_duplicates(parsed)
    return parsed


def _delimiter(text: str) -> str:
    """Comma or semicolon: whichever splits the first line into more known column names (comma when even)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    known = {d: sum(cell.strip().strip('"').lower() in COLUMNS for cell in first.split(d)) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: known[d])


def _header(record: list[str], line: int) -> list[str]:
    header = [cell.strip().lower() for cell in record]
    errors = []
    if missing := [c for c in REQUIRED_COLUMNS if c not in header]:
        errors.append(RowError(line, None, f"the header lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"))
    if unknown := [c for c in header if c not in COLUMNS]:
        named = ", ".join(map(repr, unknown))
        errors.append(RowError(line, None, f"unknown column{'s' if len(unknown) > 1 else ''} {named} (the columns are {', '.join(COLUMNS)})"))
    if repeated := sorted({c for c in header if header.count(c) > 1}):
        errors.append(RowError(line, None, f"{', '.join(repeated)}: {'each is' if len(repeated) > 1 else 'is'} a column twice"))
    if errors:
        raise ImportRefused(errors)
    return header


def _read_row(parsed: ParsedFile, line: int, values: dict[str, str]) -> None:
    """Check one row the way the API checks a new organization; every bad field is reported."""
    candidate: dict[str, Any] = {
        "kind": values["kind"].lower(),
        "name": values["name"],
        "country": values["country"].upper(),
        "org_number": values["org_number"] or None,
        "contact_email": values.get("contact_email") or None,
    }
    errors: list[RowError] = []
    data = None
    while data is None:
        try:
            data = msgspec.convert(candidate, schemas.OrganizationCreate)
        except msgspec.ValidationError as exc:
            column, message = _field_error(exc, values)
            if column not in _STAND_INS or any(e.field == column for e in errors):
                errors.append(RowError(line, column, message))
                break
            errors.append(RowError(line, column, message))
            candidate[column] = _STAND_INS[column]
    org_number = None
    if data is not None and not {"kind", "country", "org_number"} & {e.field for e in errors}:
        try:
            org_number = service.organization_number(data)
        except DomainError as exc:
            raw = values["org_number"]
            errors += [RowError(line, "org_number", f"{raw} is not valid: {m.message}" if raw else m.message) for m in exc.errors]
    if errors or data is None:
        parsed.errors += errors
        parsed.unusable |= {values["name"], values["org_number"]} - {""}
        return
    parsed.rows.append(Row(line, data, org_number, values.get("federation") or None))


def _field_error(exc: msgspec.ValidationError, values: dict[str, str]) -> tuple[str | None, str]:
    message, _, path = str(exc).partition(" - at `$.")
    column = path.rstrip("`") or None
    value = values.get(column or "", "")
    if column in _CHOICES:
        return column, f"{value!r} is not one of {', '.join(_CHOICES[column])}" if value else f"required: one of {', '.join(_CHOICES[column])}"
    if column == "name" and not value:
        return column, "required"
    return column, in_words(message)


def _refuse_duplicates(parsed: ParsedFile) -> None:
    """Two rows for one organization: the later one is refused, naming both lines."""
    first: dict[tuple[str, str, str], int] = {}
    kept = []
    for row in parsed.rows:
        if (seen := first.setdefault(row.key, row.line)) == row.line:
            kept.append(row)
            continue
        if row.org_number is None:
            message = f"{row.data.name!r} without an organization number is on line {seen} and line {row.line}"
            parsed.errors.append(RowError(row.line, "name", message))
        else:
            parsed.errors.append(RowError(row.line, "org_number", f"{row.org_number} ({row.data.country}) is on line {seen} and line {row.line}"))
    parsed.rows = kept


# Writing


async def import_organizations(session: AsyncSession, content: bytes, *, source: str = "", step: Step | None = None) -> ImportReport:
    """Create or update the file's organizations and add its memberships in ``session``'s transaction, by the
    operator (the audit trail's actor is the command line, as for every operator's write).

    Raises ``ImportRefused`` listing every bad row; the caller must then roll back (nothing of the file is to be kept).
    """
    step = step or (lambda _: None)
    parsed = parse(content)
    errors = list(parsed.errors)
    report = ImportReport()
    step("matching registered organizations")
    registered = await _registered(session, parsed.rows)
    ids: dict[int, UUID] = {}
    new: list[Row] = []
    for row in parsed.rows:
        if not (matches := registered.get(row.key)):
            new.append(row)
            continue
        try:
            outcome = await _update(session, row, matches)
        except DomainError as exc:
            errors += [RowError(row.line, f, m) for f, m in _messages(exc, default_field="name")]
            continue
        if isinstance(outcome, RowError):
            errors.append(outcome)
            continue
        ids[row.line] = matches[0].id
        setattr(report, outcome, getattr(report, outcome) + 1)
    if new:
        step(f"creating {len(new)} organizations")
        try:
            created = await service.create_organizations(session, [row.data for row in new])
        except DomainError as exc:
            errors += _indexed(exc, new)
        else:
            ids |= {row.line: organization.id for row, organization in zip(new, created, strict=True)}
            report.created = len(created)
    step("federation memberships")
    errors += await _add_memberships(session, parsed, ids, report)
    if errors:
        raise ImportRefused(errors)
    if report.changed:
        record(
            session, None, "organization.import", "file", hashlib.sha256(content).hexdigest(),
            file=source, created=report.created, updated=report.updated, unchanged=report.unchanged,
            memberships_added=report.memberships_added,
        )  # fmt: skip
    return report


async def _registered(session: AsyncSession, rows: list[Row]) -> dict[tuple[str, str, str], list[Organization]]:
    """The registered organizations the rows may be, by the rows' keys, in a query per country and a few hundred rows."""
    numbers: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for row in rows:
        (names if row.org_number is None else numbers).setdefault(row.data.country, []).append(row.org_number or row.data.name)
    found: dict[tuple[str, str, str], list[Organization]] = {}
    for country, values in numbers.items():
        for chunk in _chunks(values):
            query = select(Organization).where(Organization.country == country, Organization.org_number.in_(chunk))
            for organization in await session.scalars(query):
                found.setdefault((country, "org_number", organization.org_number or ""), []).append(organization)
    for country, values in names.items():
        for chunk in _chunks(values):
            query = select(Organization).where(Organization.country == country, Organization.org_number.is_(None), Organization.name.in_(chunk))
            for organization in await session.scalars(query.order_by(Organization.created_at)):
                found.setdefault((country, "name", organization.name), []).append(organization)
    return found


def _chunks(values: list[T]) -> Iterable[list[T]]:
    return (values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK))


async def _update(session: AsyncSession, row: Row, matches: list[Organization]) -> str | RowError:
    """Update the registered organization the row matches; which of the report's counts it adds to."""
    if len(matches) > 1:
        return RowError(row.line, "name", f"{len(matches)} registered organizations without a number are named {row.data.name!r}; give the number")
    organization = matches[0]
    if organization.kind != row.data.kind:
        what = row.org_number or repr(row.data.name)
        return RowError(row.line, "kind", f"{what} is registered as a {organization.kind}, not a {row.data.kind}")
    changes: dict[str, Any] = {}
    if organization.name != row.data.name:
        changes["name"] = row.data.name
    if row.data.contact_email is not None and organization.contact_email != row.data.contact_email:
        changes["contact_email"] = row.data.contact_email
    if not changes:
        return "unchanged"
    await service.update_organization(session, None, organization.id, schemas.OrganizationUpdate(**changes))
    return "updated"


def _indexed(exc: DomainError, rows: list[Row], *, column: str | None = None, whole: bool = False) -> list[RowError]:
    """A refusal of one of the service's functions for many items (errors named ``[3].field``) as the errors of the
    rows the items came from, in ``column`` or the field's; a refusal of the whole as one of every row, when ``whole``."""
    found = []
    for error in exc.errors:
        index, _, field = error.field.partition("].")
        if index.startswith("[") and index[1:].isdigit() and int(index[1:]) < len(rows):
            found.append(RowError(rows[int(index[1:])].line, column or field, error.message))
    return found or [RowError(row.line, column, exc.detail) for row in (rows if whole else rows[:1])]


async def _add_memberships(session: AsyncSession, parsed: ParsedFile, ids: dict[int, UUID], report: ImportReport) -> list[RowError]:
    errors: list[RowError] = []
    wanted: list[tuple[Row, UUID]] = []
    resolved: dict[tuple[str, str], list[UUID]] = {}
    for row in parsed.rows:
        if row.federation is None or row.line not in ids:
            continue
        key = (row.federation, row.data.country)
        if key not in resolved:
            resolved[key] = await _federations(session, *key)
        candidates = resolved[key]
        if len(candidates) == 1:
            wanted.append((row, candidates[0]))
        elif len(candidates) > 1:
            message = f"{len(candidates)} federations are named {row.federation!r}; give its organization number"
            errors.append(RowError(row.line, "federation", message))
        elif row.federation not in parsed.unusable:  # else it names a bad row, reported already
            message = f"no federation {row.federation!r} in the file or the registry (give its organization number or exact name)"
            errors.append(RowError(row.line, "federation", message))
    by_federation: dict[UUID, list[Row]] = {}
    for row, federation_id in wanted:
        by_federation.setdefault(federation_id, []).append(row)
    for federation_id, rows in by_federation.items():
        try:
            report.memberships_added += await service.add_members(session, federation_id, [ids[row.line] for row in rows])
        except DomainError as exc:
            errors += _indexed(exc, rows, column="federation", whole=True)
    return errors


async def _federations(session: AsyncSession, reference: str, country: str) -> list[UUID]:
    """The organizations ``reference`` may mean: the one with that number in ``country`` (whatever its kind, so that
    adding a member to it says what it is instead), else the federations of that exact name."""
    try:
        number = normalize_org_number(country, reference)
    except OrgNumberError:
        number = None
    if number is not None:
        query = select(Organization.id).where(Organization.country == country, Organization.org_number == number)
        if found := list(await session.scalars(query)):
            return found
    return list(await session.scalars(select(Organization.id).where(Organization.kind == "federation", Organization.name == reference)))


def _messages(exc: DomainError, *, default_field: str) -> list[tuple[str, str]]:
    """A service's refusal as (column, message) pairs for a row."""
    if not exc.errors:
        return [(default_field, exc.detail)]
    return [(e.field if e.field in COLUMNS else default_field, e.message) for e in exc.errors]
