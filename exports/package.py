"""The tender's document set as one ZIP, ready to upload to an e-tendering system.

The tender document, its contract annex, the response form and the OCDS data, each under the name
the registry serves it by, and `manifest.json` listing every file with its size and SHA-256, so the
buyer (and any supplier) can check that what was uploaded is what was published. Reproducible: the
same snapshot gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from exports.archive import write_zip
from exports.docx import contract_annex_docx, tender_docx
from exports.model import TenderDocument
from exports.ocds import tender_ocds
from exports.xlsx import response_form_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANIFEST = "manifest.json"

Builder = Callable[[TenderDocument], bytes]
DOCUMENTS: dict[str, tuple[Builder, str, str]] = {
    "docx": (tender_docx, DOCX, "docx"),
    "annex": (contract_annex_docx, DOCX, "contract-annex.docx"),
    "xlsx": (response_form_xlsx, XLSX, "xlsx"),
    "ocds": (tender_ocds, "application/json", "ocds.json"),
}
"""Each document of the set by its export format: builder, media type and file-name ending."""


def file_stem(doc: TenderDocument) -> str:
    """``<reference>-v<document version>`` (``-draft`` while unpublished), safe in any file system."""
    reference = "".join(c if c.isalnum() or c in "-_." else "-" for c in doc.tender.reference)
    return f"{reference}-v{doc.tender.document_version}{'-draft' if doc.draft else ''}"


def file_name(doc: TenderDocument, fmt: str) -> str:
    return f"{file_stem(doc)}.{DOCUMENTS[fmt][2] if fmt in DOCUMENTS else 'zip'}"


def tender_package(doc: TenderDocument) -> bytes:
    """The ZIP of the four documents and their manifest."""
    files = [(file_name(doc, fmt), media_type, builder(doc)) for fmt, (builder, media_type, _) in DOCUMENTS.items()]
    listed = [
        {"name": name, "media_type": media_type, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, media_type, data in files
    ]
    manifest = {
        "tender": doc.tender.reference,
        "title": doc.tender.title,
        "document_version": doc.tender.document_version,
        "draft": doc.draft,
        "language": doc.language,
        "generated_at": doc.generated_at.isoformat(),
        "files": listed,
    }
    encoded = json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n"
    return write_zip([*((name, data) for name, _, data in files), (MANIFEST, encoded)], doc.generated_at)
