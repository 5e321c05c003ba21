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
from exports.package import tender_package
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
