"""A supplier with a product, a buyer, sample evidence and files, for the evidence tests."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import openpyxl

from registry.settings import Settings
from tests.support import Api, days_from_today

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

PRODUCT = {
    "name": "Trygg Hjemme",
    "model": "TH-4 (firmware 4.2)",
    "categories": ["digital_social_alarm"],
    "ce_marked": True,
    "mdr_class": "I",
    "description": "Digital social alarm with fall detection.",
}

STUDY = {
    "type": "study",
    "title": "Controlled study of digital social alarms in Bergen",
    "study_design": "controlled_study",
    "outcomes": [
        {"domain": "safety_incidents", "measure": "Falls per 1000 days", "baseline": 4.1, "result": 2.9, "unit": "falls",
         "period": "12 months", "sample_size": 120, "comparator": "usual care"},
    ],
    "setting": {"country": "NO", "municipalities": ["Bergen"], "care_setting": "home care"},
    "period_start": days_from_today(-1800),
    "period_end": days_from_today(-1250),  # about three and a half years old
    "funding": "Regional research fund",
    "independent": True,
    "publication": "10.1234/alarm.2023.17",
    "module_keys": ["EVID-DOSSIER-CONTROLLED"],
    "visibility": "buyers",
}  # fmt: skip

CERTIFICATE = {
    "type": "certificate",
    "title": "ISO/IEC 27001 certificate",
    "issuer": "DNV",
    "standard": "ISO/IEC 27001:2022",
    "valid_from": days_from_today(-940),
    "valid_until": days_from_today(400),
    "module_keys": ["SEC-ISO27001-CERTIFICATE"],
    "visibility": "public",
}


@dataclass
class World:
    admin: Api
    supplier: dict[str, Any]
    editor: Api
    rival: dict[str, Any]
    rival_editor: Api
    officer: Api
    coordinator: Api
    product: dict[str, Any]


async def make_world(admin: Api) -> World:
    """Two suppliers with an editor each, a procurement officer, a federation coordinator, and one product."""
    supplier, rival = await admin.create_org("supplier"), await admin.create_org("supplier", "SE")
    town, federation = await admin.create_org("municipality"), await admin.create_org("federation", "DK")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    response = await editor.post("/api/v1/products", json=PRODUCT)
    assert response.status_code == 201, response.text
    return World(
        admin=admin,
        supplier=supplier,
        editor=editor,
        rival=rival,
        rival_editor=await admin.create_user(rival["id"], "supplier_editor"),
        officer=await admin.create_user(town["id"], "procurement_officer"),
        coordinator=await admin.create_user(federation["id"], "federation_coordinator"),
        product=response.json(),
    )


async def add_evidence(editor: Api, product_id: str, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = await editor.post(f"/api/v1/products/{product_id}/evidence", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def stored_files(settings: Settings) -> list[Path]:
    """Every file under the files directory, temporary ones included."""
    return sorted(p for p in settings.files_dir.rglob("*") if p.is_file()) if settings.files_dir.exists() else []


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Benefit realisation report")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["measure", "baseline", "result"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


async def upload(api: Api, item_id: str, filename: str, content: bytes, declared: str = "application/octet-stream"):
    return await api.post(f"/api/v1/evidence/{item_id}/attachments", files={"file": (filename, content, declared)})
