"""Attachment file types, told by content, and file names that are safe to send back.

ZIP packages (DOCX, XLSX) are judged from their central directory alone, never extracted: a
package that would expand too far, holds another archive or an executable, or is also valid as a
second format (a Java archive, a PDF) is refused before anything is stored.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import filetype

from registry.problems import RuleViolation, UnsupportedMediaType

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: (".pdf",), DOCX: (".docx",), XLSX: (".xlsx",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}
"""Accepted media types and their file name extensions, the first one preferred."""
NAMES = {PDF: "a PDF", DOCX: "a DOCX", XLSX: "an XLSX", PNG: "a PNG", JPEG: "a JPEG"}
ACCEPTED = "PDF, DOCX, XLSX, PNG or JPEG"
HEAD_BYTES = 8192
"""How much of the start of a file the magic-byte check reads."""
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024
"""PDF readers look for their header anywhere in the first kilobyte."""
_OFFICE_PARTS = (("word/", DOCX), ("xl/", XLSX))
MAX_MEMBERS = 10_000
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
"""The most a package may expand to, all members together."""
MAX_RATIO = 100
"""The most a member may expand relative to its compressed size (Apache POI's default too)."""
RATIO_GRACE_BYTES = 100 * 1024
"""Members smaller than this expand as they like: a tiny, highly repetitive XML part is harmless."""
ARCHIVE_SUFFIXES = (".zip", ".jar", ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".cab")
EXECUTABLE_SUFFIXES = (".exe", ".dll", ".com", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".hta", ".class", ".sh", ".bat", ".cmd", ".ps1", ".msi", ".scr")


def media_type_of(path: Path, head: bytes, filename: str) -> str:
    """The accepted media type of the upload ``filename`` at ``path`` (starting with ``head``).

    PDF, PNG and JPEG by their magic bytes; DOCX and XLSX are ZIP packages, told apart by their
    ``[Content_Types].xml`` and ``word/`` or ``xl/`` parts. Raises UnsupportedMediaType for any
    other type and for a file that is valid as two formats, RuleViolation for dangerous content.
    """
    if head.startswith(ZIP_MAGIC):
        return _package_type(path, head, filename)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in (PDF, PNG, JPEG):
        raise _not_accepted(filename)
    if zipfile.is_zipfile(path):
        raise _ambiguous(filename, [NAMES[kind.mime], "a ZIP archive"])
    return kind.mime


def _package_type(path: Path, head: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_accepted(filename) from None
    names = [m.filename for m in members]
    if "[Content_Types].xml" not in names:
        raise _not_accepted(filename)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _not_accepted(filename, "it contains macros")
    types = [media_type for prefix, media_type in _OFFICE_PARTS if any(n.startswith(prefix) for n in names)]
    if not types:
        raise _not_accepted(filename)
    formats = [NAMES[t] for t in types] + _other_formats(names, head)
    if len(formats) > 1:
        raise _ambiguous(filename, formats)
    _check_members(members, filename)
    return types[0]


def _other_formats(names: list[str], head: bytes) -> list[str]:
    """Formats besides Office that a ZIP package is also valid as: a Java archive, a PDF."""
    formats = []
    if any(n.upper() == "META-INF/MANIFEST.MF" for n in names):
        formats.append("a Java archive")
    if PDF_MAGIC in head[:PDF_HEADER_WINDOW]:
        formats.append("a PDF")
    return formats


def _check_members(members: list[zipfile.ZipInfo], filename: str) -> None:
    """Refuse a package by what its central directory says, without extracting anything."""
    if len(members) > MAX_MEMBERS:
        raise _dangerous(filename, f"it holds more than {MAX_MEMBERS} files")
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise _dangerous(filename, f"it expands to {expanded} bytes, more than {MAX_EXPANDED_BYTES}")
    for member in members:
        reason = _member_danger(member)
        if reason:
            raise _dangerous(filename, reason)


def _member_danger(member: zipfile.ZipInfo) -> str | None:
    name = member.filename.lower()
    if name.endswith(ARCHIVE_SUFFIXES):
        return f"it contains another archive, {member.filename!r}"
    if name.endswith(EXECUTABLE_SUFFIXES):
        return f"it contains an executable file, {member.filename!r}"
    if member.file_size > RATIO_GRACE_BYTES and member.file_size > MAX_RATIO * member.compress_size:
        ratio = member.file_size // max(member.compress_size, 1)
        return f"{member.filename!r} expands {ratio} times its compressed size (at most {MAX_RATIO})"
    return None


def _not_accepted(filename: str, reason: str | None = None) -> UnsupportedMediaType:
    return UnsupportedMediaType(f"{filename!r} is not a {ACCEPTED} file by its content" + (f": {reason}" if reason else ""))


def _ambiguous(filename: str, formats: list[str]) -> UnsupportedMediaType:
    return UnsupportedMediaType(f"{filename!r} is ambiguous: it is valid as {' and '.join(formats)}; upload a file of one type")


def _dangerous(filename: str, reason: str) -> RuleViolation:
    return RuleViolation(f"{filename!r} was refused: {reason}")


def safe_filename(name: str, media_type: str) -> str:
    """The last path segment of ``name`` without control or reserved characters, ending in the type's extension."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    base = "".join(c for c in base if c.isprintable() and c not in '"<>:*?|').strip(" .")[:150]
    extensions = EXTENSIONS[media_type]
    if not base.lower().endswith(extensions):
        base = (base or "attachment") + extensions[0]
    return base
