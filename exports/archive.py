"""ZIP packages (DOCX, XLSX) with reproducible bytes.

python-docx and openpyxl stamp every ZIP entry with the wall clock, so two exports of the same
snapshot would differ. We rewrite the package with one given timestamp instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a ZIP entry can carry


def write_zip(entries: Iterable[tuple[str, bytes]], when: datetime) -> bytes:
    """Deflate `entries` (name, data) in the given order, all stamped with `when` (UTC)."""
    stamp = max(when.astimezone(UTC), _ZIP_EPOCH).timetuple()[:6]
    buffer = BytesIO()
    with ZipFile(buffer, "w") as package:
        for name, data in entries:
            info = ZipInfo(name, date_time=stamp)
            info.compress_type = ZIP_DEFLATED
            info.create_system = 3  # Unix, on every platform
            info.external_attr = 0o644 << 16
            package.writestr(info, data)
    return buffer.getvalue()


def restamp(package: bytes, when: datetime, replace: Mapping[str, bytes] | None = None) -> bytes:
    """Return `package` with every entry stamped with `when`, entry order kept, and the entries
    named in `replace` given their new content."""
    replace = replace or {}
    with ZipFile(BytesIO(package)) as source:
        entries = (
            (info.filename, replace[info.filename] if info.filename in replace else source.read(info))
            for info in source.infolist()
        )
        return write_zip(entries, when)
