"""Attachment file types, told by content, and file names that are safe to send back."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import filetype

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: (".pdf",), DOCX: (".docx",), XLSX: (".xlsx",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}
"""Accepted media types and their file name extensions, the first one preferred."""
ACCEPTED = "PDF, DOCX, XLSX, PNG or JPEG"
HEAD_BYTES = 8192
"""How much of the start of a file the magic-byte check reads."""
_OFFICE_PARTS = (("word/", DOCX), ("xl/", XLSX))


def detect_media_type(path: Path, head: bytes) -> str | None:
    """The accepted media type of the file at ``path`` (starting with ``head``), or None.

    PDF, PNG and JPEG by their magic bytes; DOCX and XLSX are ZIP packages, told apart by their
    ``[Content_Types].xml`` and ``word/`` or ``xl/`` parts. Macro-enabled packages are refused.
    """
    if head.startswith(b"PK\x03\x04"):
        return _office_type(path)
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in (PDF, PNG, JPEG) else None


def _office_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    return next((media_type for prefix, media_type in _OFFICE_PARTS if any(n.startswith(prefix) for n in names)), None)


def safe_filename(name: str, media_type: str) -> str:
    """The last path segment of ``name`` without control or reserved characters, ending in the type's extension."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    base = "".join(c for c in base if c.isprintable() and c not in '"<>:*?|').strip(" .")[:150]
    extensions = EXTENSIONS[media_type]
    if not base.lower().endswith(extensions):
        base = (base or "attachment") + extensions[0]
    return base
