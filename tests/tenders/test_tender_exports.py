"""Exports of the joint tender through the API, in every document language."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest

from tests.exports.readback import ocds_errors, open_docx, open_xlsx, table_rows
from tests.support import Api, not_found, problem
from tests.tender_world import World, act, joint_tender_ready_to_publish, spec

pytestmark = pytest.mark.starter_library
TITLES = {"en": "Tender document", "nb": "Konkurransegrunnlag", "sv": "Upphandlingsdokument", "da": "Udbudsbetingelser"}


async def download(api: Api, tender_id: str, fmt: str, media_type: str) -> bytes:
    response = await api.get(f"/api/v1/tenders/{tender_id}/exports/{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"].startswith('attachment; filename="VTF-2027-01-v2.')
    return response.content


async def rendered_statements(api: Api, tender: dict, language: str) -> dict[str, str]:
    statements = {}
    for lot in tender["lots"]:
        for s in lot["selections"]:
            path = f"/api/v1/modules/{s['module_key']}/versions/{s['module_version']}/render"
            body = {"language": language, "parameters": s["parameters"]}
            statements[f"{lot['number']}.{s['position']}"] = (await api.post(path, json=body)).json()["statement"]
    return statements


@pytest.mark.parametrize("language", list(TITLES))
async def test_published_joint_tender_exports_in_every_language(world: World, language: str) -> None:
    tender = await joint_tender_ready_to_publish(world, spec() | {"language": language})
    published = await act(world.coordinator, tender, "POST", "/publish")
    amended = await act(
        world.coordinator, published, "POST", "/amendments",
        json={"summary": "Clarified the description", "reason": "Supplier question 4", "description": "Alarms for citizens at home."},
    )  # fmt: skip
    statements = await rendered_statements(world.supplier, amended, language)

    document = open_docx(await download(world.supplier, tender["id"], "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml"))
    paragraphs = [p.text for p in document.paragraphs]
    rows = ["\t".join(r) for r in table_rows(document)]
    assert TITLES[language] in paragraphs
    for rid, statement in statements.items():
        assert any(row.startswith(rid) and statement in row for row in rows), (rid, statement)
    assert "Supplier question 4" in "\n".join(paragraphs + rows)
    assert any("245" in row and "55" in row for row in rows), "volume totals per lot"
    assert not any("DRAFT" in p or "UTKAST" in p for p in paragraphs)

    workbook = open_xlsx(await download(world.supplier, tender["id"], "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml"))
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value is not None}
    assert set(statements) <= cells
    assert all(any(statement in cell for cell in cells) for statement in statements.values())

    package = await download(world.supplier, tender["id"], "ocds", "application/json")
    assert ocds_errors(package) == []
    release = json.loads(package)["releases"][0]
    assert {p["name"] for p in release["parties"] if "buyer" in p["roles"]} == {m["name"] for m in world.members}
    assert release["tender"]["status"] == "active" and len(release["tender"]["amendments"]) == 1


async def test_draft_exports_are_marked_and_private(world: World) -> None:
    tender = (await world.coordinator.post("/api/v1/tenders", json=spec() | {"language": "sv"})).json()
    response = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/docx")
    assert response.headers["content-disposition"].startswith('attachment; filename="VTF-2027-01-v1-draft.docx";')
    document = open_docx(response.content)
    header_text = " ".join(p.text for section in document.sections for p in section.header.paragraphs)
    assert "UTKAST" in header_text.upper()
    not_found(await world.outsider_officer.get(f"/api/v1/tenders/{tender['id']}/exports/docx"), f"no tender {tender['id']}")
    not_found(await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/ocds"), f"no tender {tender['id']}")
    problem(await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/pdf"), 400)
    incomplete = (await world.coordinator.post("/api/v1/tenders", json=spec("NO-DATES") | {"timeline": {}})).json()
    body = problem(await world.coordinator.get(f"/api/v1/tenders/{incomplete['id']}/exports/xlsx"), 422)
    assert {e["field"] for e in body["errors"]} == {"timeline.questions_deadline", "timeline.submission_deadline"}


async def test_file_names_from_any_reference_are_safe_headers(world: World) -> None:
    tender = (await world.coordinator.post("/api/v1/tenders", json=spec('Ålesund "2027" 東京')) ).json()
    response = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/ocds")
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Alesund--2027---v1-draft.ocds.json"; filename*=UTF-8\'\'')
    assert disposition.endswith("%C3%85lesund--2027--%E6%9D%B1%E4%BA%AC-v1-draft.ocds.json"), "the exact name, RFC 5987 encoded"


async def test_documents_name_the_tender_contact_point_and_no_officer(world: World) -> None:
    """Participants appear with name, organization number and mandate date; the one published
    contact is the tender's contact point."""
    no_contact = {k: v for k, v in spec("VTF-NO-CONTACT").items() if k != "contact_point"}
    tender = await joint_tender_ready_to_publish(world, no_contact)
    body = problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]}), 422)
    assert "contact_point" in [e["field"] for e in body["errors"]]
    contact = spec()["contact_point"]
    tender = await act(world.coordinator, tender, "PATCH", json={"contact_point": contact})
    tender = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")).json() | {"etag": tender["etag"]}
    published = await act(world.coordinator, tender, "POST", "/publish")
    for fmt in ("docx", "ocds"):
        content = (await world.supplier.get(f"/api/v1/tenders/{published['id']}/exports/{fmt}")).content
        text = "\n".join(p.text for p in open_docx(content).paragraphs) + "".join(
            c.text for t in open_docx(content).tables for r in t.rows for c in r.cells
        ) if fmt == "docx" else content.decode()
        assert "Kari Nordmann" not in text and "kari@kommune.example" not in text, fmt
        assert contact["email"] in text, fmt


async def test_published_documents_are_public_and_drafts_are_not(world: World, client: Any) -> None:
    draft = await joint_tender_ready_to_publish(world)
    for fmt in ("docx", "xlsx", "ocds"):
        not_found(await client.get(f"/api/v1/tenders/{draft['id']}/exports/{fmt}"), f"no tender {draft['id']}")
    published = await act(world.coordinator, draft, "POST", "/publish")
    for fmt in ("docx", "xlsx", "ocds"):
        anonymous = await client.get(f"/api/v1/tenders/{published['id']}/exports/{fmt}")
        assert anonymous.status_code == 200, anonymous.text
        assert anonymous.content == (await world.supplier.get(f"/api/v1/tenders/{published['id']}/exports/{fmt}")).content
    package = json.loads((await client.get(f"/api/v1/tenders/{published['id']}/exports/ocds")).content)
    for document in package["releases"][0]["tender"]["documents"]:
        assert document["url"].startswith("http://127.0.0.1:8000/api/v1/tenders/")
        path = document["url"].removeprefix("http://127.0.0.1:8000")
        assert (await client.get(path)).status_code == 200, "OCDS document links resolve without a token"
    problem(await Api(client, "wtr_not-a-real-token").get(f"/api/v1/tenders/{published['id']}/exports/docx"), 401)


async def test_the_open_data_feed_lists_every_published_version(world: World, client: Any) -> None:
    first = await act(world.coordinator, await joint_tender_ready_to_publish(world), "POST", "/publish")
    await act(world.coordinator, first, "POST", "/amendments", json={"summary": "New text", "reason": "Question 2", "description": "Clarified."})
    second_spec = spec("VTF-2027-02")
    second = await act(world.coordinator, await joint_tender_ready_to_publish(world, second_spec), "POST", "/publish")
    await joint_tender_ready_to_publish(world, spec("VTF-2027-03"))  # a draft stays out

    feed = await client.get("/api/v1/ocds/releases")
    assert feed.status_code == 200, feed.text
    package = json.loads(feed.content)
    assert ocds_errors(feed.content) == []
    ids = [release["id"] for release in package["releases"]]
    ocid = "ocds-000000"
    assert ids == [f"{ocid}-{second['id']}-v1", f"{ocid}-{first['id']}-v2", f"{ocid}-{first['id']}-v1"]
    assert "placeholder" in package["publisher"]["name"]
    page = json.loads((await client.get("/api/v1/ocds/releases", params={"limit": 1, "offset": 1})).content)
    assert [r["id"] for r in page["releases"]] == ids[1:2]
    since = second["published_at"]
    assert [r["id"] for r in json.loads((await client.get("/api/v1/ocds/releases", params={"since": since})).content)["releases"]] == ids[:1]
    problem(await client.get("/api/v1/ocds/releases", params={"since": "yesterday"}), 400)


async def test_the_package_holds_every_document_as_served_and_a_manifest_of_their_checksums(world: World) -> None:
    tender = await joint_tender_ready_to_publish(world)
    await act(world.coordinator, tender, "POST", "/publish")
    response = await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/package")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith('attachment; filename="VTF-2027-01-v1.zip"')
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
        manifest = json.loads(package.read("manifest.json"))
        files = {name: package.read(name) for name in names if name != "manifest.json"}
    assert names == ["VTF-2027-01-v1.docx", "VTF-2027-01-v1.contract-annex.docx", "VTF-2027-01-v1.xlsx", "VTF-2027-01-v1.ocds.json", "manifest.json"]
    assert (manifest["tender"], manifest["document_version"], manifest["draft"], manifest["language"]) == ("VTF-2027-01", 1, False, "nb")
    assert [(f["name"], f["bytes"], f["sha256"]) for f in manifest["files"]] == [
        (name, len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()
    ]
    for fmt, name in zip(("docx", "annex", "xlsx", "ocds"), names, strict=False):
        served = await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/{fmt}")
        assert served.content == files[name], f"the package's {name} is the {fmt} export, byte for byte"
    annex = "\n".join(p.text for p in open_docx(files["VTF-2027-01-v1.contract-annex.docx"]).paragraphs)
    assert "Kontraktsvilkår" in annex
    again = await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/package")
    assert again.content == response.content, "reproducible"
    problem(await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/tar"), 400)
