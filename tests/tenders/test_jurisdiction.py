"""Where requirements apply: a Norwegian tender's documents list the references of Norway and of the
EU/EEA only, by their official Norwegian titles where they have one; a module resting on another
country's law may be selected, and publication warns of it without stopping."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.library_world import NEW_MODULE
from tests.support import Api, problem
from tests.tender_world import World, joint_tender_ready_to_publish, spec
from tests.tenders.test_snapshot import build

pytestmark = pytest.mark.starter_library
DANISH = "CONSENT-DK-ONLY-TEST"
LANGS = ("en", "nb", "sv", "da")
REFERENCES = [
    {"kind": "law", "identifier": "Lov om social service", "title": "Social Services Act", "jurisdiction": "DK",
     "titles": {"da": "Lov om social service"}},
    {"kind": "law", "identifier": "LOV-1999-07-02-63", "title": "Patients' and Users' Rights Act", "jurisdiction": "NO",
     "titles": {"nb": "Lov om pasient- og brukerrettigheter"}},
    {"kind": "law", "identifier": "Regulation (EU) 2016/679", "title": "General Data Protection Regulation", "jurisdiction": "EU",
     "titles": {"nb": "Personvernforordningen", "sv": "Dataskyddsförordningen"}},
    {"kind": "standard", "identifier": "ETSI EN 303 645", "title": "Cyber security for consumer IoT", "jurisdiction": "EU", "edition": "V3.1.3"},
    {"kind": "law", "identifier": "SFS 2025:400", "title": "Social Services Act", "jurisdiction": "SE"},
]  # fmt: skip


async def published_danish_module(admin: Api) -> None:
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    content = copy.deepcopy(NEW_MODULE["content"])
    for field in ("title", "rationale", "statement"):
        content[field] = {lang: f"{field} {lang} {{days}}" if field == "statement" else f"{field} {lang}" for lang in LANGS}
    body: dict[str, Any] = NEW_MODULE | {"key": DANISH, "jurisdictions": ["DK"], "references": REFERENCES, "content": content}
    assert (await editor.post("/api/v1/modules", json=body)).status_code == 201
    assert (await editor.post(f"/api/v1/modules/{DANISH}/versions/1/publish")).status_code == 200


def with_danish_module(body: dict[str, Any]) -> dict[str, Any]:
    body["lots"][1]["selections"].append({"module_key": DANISH, "module_version": 1})
    return body


async def test_a_module_of_another_countrys_law_is_a_publication_warning_not_an_error(world: World, admin: Api) -> None:
    await published_danish_module(admin)
    plain = await joint_tender_ready_to_publish(world, spec("JUR-PLAIN"))
    check = (await world.coordinator.get(f"/api/v1/tenders/{plain['id']}/publication-check")).json()
    assert check == {"publishable": True, "errors": [], "warnings": []}

    tender = await joint_tender_ready_to_publish(world, with_danish_module(spec("JUR-DK")))
    warning = {"field": "lots[1].selections[4]", "message": f"{DANISH} applies in DK, not in NO", "where": "lot 2, selection 5"}
    check = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/publication-check")).json()
    assert check == {"publishable": True, "errors": [], "warnings": [warning]}
    problem(await world.officers[0].get(f"/api/v1/tenders/{tender['id']}/publication-check"), 403)

    published = await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]})
    assert published.status_code == 200, published.text
    assert published.json()["warnings"] == [warning] and published.json()["to_status"] == "published"
    audit = (await admin.get("/api/v1/audit", params={"entity_id": tender["id"], "action": "tender.publish"})).json()["items"]
    assert [e["details"]["warnings"] for e in audit] == [[warning["message"]]]
    check = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/publication-check")).json()
    assert check["publishable"] is False and check["errors"][0] == {"field": "status", "message": "a published tender cannot be published"}


async def test_a_tenders_documents_list_the_references_of_its_country_and_the_eu_in_its_language(
    world: World, admin: Api, database_url: str
) -> None:
    await published_danish_module(admin)
    tender = await joint_tender_ready_to_publish(world, with_danish_module(spec("JUR-DOCS")))
    listed = {(r.identifier, r.title) for r in (await build(database_url, tender["id"])).references}
    assert {
        ("LOV-1999-07-02-63", "Lov om pasient- og brukerrettigheter"),
        ("Regulation (EU) 2016/679", "Personvernforordningen"),
        ("ETSI EN 303 645 V3.1.3", "Cyber security for consumer IoT"),
    } <= listed, "Norway's and the EU's, official Norwegian titles where there are, the edition meant"
    assert not {identifier for identifier, _ in listed} & {"Lov om social service", "SFS 2025:400"}, "never Denmark's or Sweden's law"
