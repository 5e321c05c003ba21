"""The package of the document set: the four documents under the names the registry serves, and a manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import msgspec

from exports.docx import contract_annex_docx, tender_docx
from exports.model import TenderDocument
from exports.ocds import tender_ocds
from exports.package import file_name, file_stem, tender_package
from exports.xlsx import response_form_xlsx


def _open(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_holds_each_document_byte_for_byte_and_the_manifest_checks_them(sample: TenderDocument) -> None:
    files = _open(tender_package(sample))
    builders = (tender_docx, contract_annex_docx, response_form_xlsx, tender_ocds)
    names = ["GHO-2026-004-v2.docx", "GHO-2026-004-v2.contract-annex.docx", "GHO-2026-004-v2.xlsx", "GHO-2026-004-v2.ocds.json"]
    assert list(files) == [*names, "manifest.json"]
    assert [files[name] for name in names] == [build(sample) for build in builders]
    manifest = json.loads(files["manifest.json"])
    assert manifest["files"] == [
        {"name": name, "media_type": media_type, "bytes": len(files[name]), "sha256": hashlib.sha256(files[name]).hexdigest()}
        for name, media_type in zip(names, ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] * 2
                                    + ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/json"], strict=True)
    ]  # fmt: skip
    assert (manifest["generated_at"], manifest["draft"]) == ("2026-03-02T09:30:00+00:00", False)


def test_the_package_is_reproducible_and_a_draft_says_so_in_every_name(sample: TenderDocument) -> None:
    assert tender_package(sample) == tender_package(sample)
    draft = msgspec.structs.replace(sample, draft=True, tender=msgspec.structs.replace(sample.tender, reference="GHO/2026 004"))
    assert list(_open(tender_package(draft)))[0] == "GHO-2026-004-v2-draft.docx", "a slash or a space never reaches a file name"


def test_the_manifest_names_the_tender_version_and_language_in_readable_json(sample: TenderDocument) -> None:
    titled = msgspec.structs.replace(sample, tender=msgspec.structs.replace(sample.tender, title="Trygghetsalarmer for Bømlo og Førde"))
    files = _open(tender_package(titled))
    manifest = json.loads(files["manifest.json"])
    assert {key: manifest[key] for key in manifest if key != "files"} == {
        "tender": "GHO-2026-004", "title": "Trygghetsalarmer for Bømlo og Førde", "document_version": 2, "draft": False,
        "language": sample.language, "generated_at": "2026-03-02T09:30:00+00:00",
    }  # fmt: skip
    assert files["manifest.json"] == json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n", (
        "indented by two, letters such as ø written as themselves, one newline at the end"
    )
    assert "Bømlo" in files["manifest.json"].decode()


def test_each_format_has_its_file_name_and_the_package_is_a_zip(sample: TenderDocument) -> None:
    names = {fmt: file_name(sample, fmt) for fmt in ("docx", "annex", "xlsx", "ocds", "package")}
    assert names == {
        "docx": "GHO-2026-004-v2.docx", "annex": "GHO-2026-004-v2.contract-annex.docx", "xlsx": "GHO-2026-004-v2.xlsx",
        "ocds": "GHO-2026-004-v2.ocds.json", "package": "GHO-2026-004-v2.zip",
    }  # fmt: skip
    kept = msgspec.structs.replace(sample, tender=msgspec.structs.replace(sample.tender, reference="GHO_2026.004-b"))
    assert file_stem(kept) == "GHO_2026.004-b-v2", "letters, digits, hyphens, underscores and dots are kept as they are"
