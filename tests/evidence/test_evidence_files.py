"""Attachments: streamed upload, type by content, size cap, content-addressed storage, safe downloads."""

from __future__ import annotations

import hashlib

import msgspec
import pytest

from registry.evidence import service
from registry.evidence.files import DOCX, XLSX, safe_filename
from registry.evidence.storage import LocalFileStore
from registry.http import content_disposition
from registry.settings import Settings
from tests.evidence_world import (
    CERTIFICATE,
    JPEG,
    PDF,
    PNG,
    STUDY,
    World,
    add_evidence,
    stored_files,
    upload,
    word_document,
    workbook,
    zip_of,
)
from tests.support import days_from_today, not_found, problem

pytestmark = pytest.mark.starter_library
MAX_UPLOAD = 100_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, max_upload_bytes=MAX_UPLOAD)


@pytest.fixture
async def item(world: World) -> dict:
    return await add_evidence(world.editor, world.product["id"], STUDY)


async def test_pdf_upload_and_safe_download(world: World, item: dict, settings: Settings) -> None:
    response = await upload(world.editor, item["id"], "Studie Bergen.pdf", PDF, "application/pdf")
    assert response.status_code == 201, response.text
    attachment = response.json()
    digest = hashlib.sha256(PDF).hexdigest()
    expected = {"filename": "Studie Bergen.pdf", "media_type": "application/pdf", "size": len(PDF), "sha256": digest}
    assert {field: attachment[field] for field in expected} == expected
    assert stored_files(settings) == [settings.files_dir / digest[:2] / digest], "content-addressed, no temporary left"

    shown = (await world.officer.get(f"/api/v1/evidence/{item['id']}")).json()
    assert shown["attachments"] == [attachment]
    download = await world.officer.get(f"/api/v1/evidence/{item['id']}/attachments/{attachment['id']}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == "attachment; filename=\"Studie Bergen.pdf\"; filename*=UTF-8''Studie%20Bergen.pdf"
    assert download.headers["x-content-type-options"] == "nosniff"

    again = await upload(world.editor, item["id"], "copy.pdf", PDF)
    assert again.status_code == 201 and again.json()["sha256"] == digest and again.json()["id"] != attachment["id"]
    assert len(stored_files(settings)) == 1, "the same content is stored once"


async def test_office_and_image_types_are_told_by_content(world: World, item: dict) -> None:
    cases = [
        ("report.docx", word_document(), DOCX, "report.docx"),
        ("figures", workbook(), XLSX, "figures.xlsx"),
        ("chart.png", PNG, "image/png", "chart.png"),
        ("photo.JPEG", JPEG, "image/jpeg", "photo.JPEG"),
        ("declared-wrongly.xlsx", word_document(), DOCX, "declared-wrongly.xlsx.docx"),
    ]
    for filename, content, media_type, stored_name in cases:
        response = await upload(world.editor, item["id"], filename, content, "text/plain")
        assert response.status_code == 201, (filename, response.text)
        assert (response.json()["media_type"], response.json()["filename"]) == (media_type, stored_name)
        download = await world.editor.get(f"/api/v1/evidence/{item['id']}/attachments/{response.json()['id']}")
        assert download.headers["content-type"] == media_type and download.content == content


@pytest.mark.parametrize(
    "filename, content",
    [
        ("study.pdf", b"MZ\x90\x00 this is a Windows executable"),
        ("notes.pdf", b"Just some text, no PDF at all."),
        ("archive.docx", zip_of("readme.txt")),
        ("macros.docx", zip_of("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")),
        ("slides.docx", zip_of("[Content_Types].xml", "ppt/presentation.xml")),
        ("truncated.xlsx", b"PK\x03\x04 not really a zip"),
        ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("empty.pdf", b""),
    ],
)
async def test_wrong_types_are_415_and_leave_nothing(world: World, item: dict, settings: Settings, filename: str, content: bytes) -> None:
    body = problem(await upload(world.editor, item["id"], filename, content, "application/pdf"), 415)
    assert filename in body["detail"] and "PDF, DOCX, XLSX, PNG or JPEG" in body["detail"]
    assert (await world.editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"] == []
    assert stored_files(settings) == []


async def test_a_form_without_the_file_part_is_400(world: World, item: dict, settings: Settings) -> None:
    path = f"/api/v1/evidence/{item['id']}/attachments"
    for parts in ({"note": (None, "a text part only")}, {"document": ("study.pdf", PDF, "application/pdf")}):
        body = problem(await world.editor.post(path, files=parts), 400)
        assert body["errors"] == [{"field": "data", "message": "Object missing required field `file`"}], body
    problem(await world.editor.post(path, json={"file": "study.pdf"}), 400)
    assert stored_files(settings) == [] and (await world.editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"] == []


async def test_oversize_uploads_are_413_and_leave_nothing(world: World, item: dict, settings: Settings) -> None:
    just_too_big = PDF + b"0" * (MAX_UPLOAD - len(PDF) + 1)
    body = problem(await upload(world.editor, item["id"], "big.pdf", just_too_big), 413)
    assert body["detail"] == f"the file is larger than the upload limit of {MAX_UPLOAD} bytes"
    huge = PDF + b"0" * (MAX_UPLOAD * 3)
    problem(await upload(world.editor, item["id"], "huge.pdf", huge), 413)
    exactly = PDF + b"0" * (MAX_UPLOAD - len(PDF))
    assert (await upload(world.editor, item["id"], "exact.pdf", exactly)).status_code == 201
    assert len((await world.editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"]) == 1
    assert len(stored_files(settings)) == 1


async def test_a_failure_after_staging_leaves_no_row_and_no_file(
    world: World, item: dict, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_keep(self: LocalFileStore, staged: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(LocalFileStore, "keep", broken_keep)
    problem(await upload(world.editor, item["id"], "study.pdf", PDF), 500)
    assert (await world.editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"] == []
    assert stored_files(settings) == []


async def test_attachment_access(world: World, item: dict) -> None:
    public = await add_evidence(world.editor, world.product["id"], CERTIFICATE)
    stored = (await upload(world.editor, item["id"], "study.pdf", PDF)).json()
    not_found(await upload(world.rival_editor, item["id"], "x.pdf", PDF), f"no evidence item {item['id']}")
    problem(await upload(world.rival_editor, public["id"], "x.pdf", PDF), 403)
    problem(await upload(world.officer, item["id"], "x.pdf", PDF), 403)
    not_found(await world.rival_editor.get(f"/api/v1/evidence/{item['id']}/attachments/{stored['id']}"), f"no evidence item {item['id']}")
    elsewhere = f"/api/v1/evidence/{public['id']}/attachments/{stored['id']}"
    not_found(await world.officer.get(elsewhere), f"no attachment {stored['id']} on evidence item {public['id']}")
    assert (await world.coordinator.get(f"/api/v1/evidence/{item['id']}/attachments/{stored['id']}")).status_code == 200


async def test_attachments_per_item_are_bounded(world: World, item: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_ATTACHMENTS", 2)
    for name in ("one.pdf", "two.pdf"):
        assert (await upload(world.editor, item["id"], name, PDF)).status_code == 201
    body = problem(await upload(world.editor, item["id"], "three.pdf", PDF), 422)
    assert body["detail"] == "an evidence item has at most 2 attachments"


async def test_adding_a_file_to_reviewed_evidence_resets_the_review(world: World, item: dict) -> None:
    await world.officer.post(f"/api/v1/evidence/{item['id']}/reviews", json={"outcome": "accepted"})
    assert (await upload(world.editor, item["id"], "appendix.pdf", PDF)).status_code == 201
    shown = (await world.editor.get(f"/api/v1/evidence/{item['id']}")).json()
    assert shown["review_state"] == "unreviewed" and shown["reviews"][-1]["kind"] == "reset"


async def test_done_when_flow(world: World) -> None:
    """A supplier registers a product, uploads a PDF study with outcomes, a buyer reviews it, evidence fit reports per clause."""
    product = (await world.editor.post("/api/v1/products", json={"name": "DoseWise", "model": "DW-3", "categories": ["medicine_dispenser"]})).json()
    study = await add_evidence(world.editor, product["id"], STUDY | {"module_keys": ["EVID-MEDICATION-ADHERENCE"]})
    assert (await upload(world.editor, study["id"], "adherence-study.pdf", PDF, "application/pdf")).status_code == 201
    review = await world.officer.post(f"/api/v1/evidence/{study['id']}/reviews", json={"outcome": "accepted", "comment": "Solid design."})
    assert review.status_code == 201
    fit = await world.officer.post(
        f"/api/v1/products/{product['id']}/evidence-fit",
        json={"modules": [{"key": "EVID-MEDICATION-ADHERENCE", "version": 1}], "submission_deadline": days_from_today(90)},
    )
    module = fit.json()["modules"][0]
    assert fit.status_code == 200 and module["met"] is True
    assert {c["clause"]: c["met"] for c in module["clauses"]} == {
        "evidence_types": True, "min_study_design": True, "outcome_domains": True, "min_sample_size": True, "max_age_years": True,
    }  # fmt: skip
    assert module["qualifying"] == [
        {"id": study["id"], "title": STUDY["title"], "type": "study", "review_state": "accepted", "unreviewed": False, "claimed": True}
    ]


def test_file_names_are_sanitized() -> None:
    assert safe_filename("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert safe_filename('C:\\Users\\x\\"évaluation"\r\n.pdf', "application/pdf") == "évaluation.pdf"
    assert safe_filename("...", "image/png") == "attachment.png"
    assert safe_filename("photo.jpeg", "image/jpeg") == "photo.jpeg"
    header = content_disposition('Årsrapport "final".pdf')
    assert header == "attachment; filename=\"Arsrapport _final_.pdf\"; filename*=UTF-8''%C3%85rsrapport%20%22final%22.pdf"
    assert "\n" not in content_disposition("a\nb.pdf")
