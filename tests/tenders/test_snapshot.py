"""The export snapshot the registry builds from a real joint tender after an untidy round of
invitations: two municipalities confirmed with volumes for both lots, one with none for lot 2, one
declined (its answer still carrying volumes) and one never answered."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.pool import NullPool

from exports import model
from registry.db.engine import create_engine
from registry.tenders import snapshot, storage
from registry.tenders.models import TenderDocument
from tests.exports.readback import ocds_errors, open_docx, open_xlsx, table_rows
from tests.support import Api, problem
from tests.tender_world import Untidy, World, act, confirmation, create, spec, untidy_joint_tender

pytestmark = pytest.mark.starter_library
NOW = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
PUBLISHER = snapshot.Publisher("https://registry.example.org/", "ocds-abc123")


async def build(database_url: str, tender_id: str, publisher: snapshot.Publisher = PUBLISHER) -> model.TenderDocument:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with async_sessionmaker(engine)() as session:
            tender, owner = await storage.load(session, UUID(tender_id))
            return await snapshot.build_snapshot(session, tender, owner, now=NOW, publisher=publisher)
    finally:
        await engine.dispose()


def _party(organization: dict) -> model.Party:
    return model.Party(
        id=organization["id"], name=organization["name"], country="NO", org_number=organization["org_number"], kind=organization["kind"]
    )


async def test_only_confirmed_municipalities_are_participants_with_their_own_volumes(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    doc = await build(database_url, untidy.tender["id"])
    askoy, bjornafjorden, voss = untidy.confirmed
    mandate = datetime.fromisoformat(untidy.participants[0]["mandate_decision_date"]).date()
    assert doc.participants == (
        model.Participant(party=_party(askoy), mandate_date=mandate, volumes=(model.Volume(lot_id="1", quantity=120, unit="units"),
                                                                              model.Volume(lot_id="2", quantity=40, unit="units"))),
        model.Participant(party=_party(bjornafjorden), mandate_date=mandate, volumes=(model.Volume(lot_id="1", quantity=80, unit="units"),
                                                                                     model.Volume(lot_id="2", quantity=15, unit="units"))),
        model.Participant(party=_party(voss), mandate_date=mandate, volumes=(model.Volume(lot_id="1", quantity=45, unit="units"),)),
    )  # fmt: skip
    assert doc.total_quantities() == {"1": {"units": 245}, "2": {"units": 55}}, "the declined municipality's volumes never count"
    assert doc.lead_buyer == _party(world.federation)


async def test_participants_are_ordered_by_name_whatever_the_order_of_answers(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    doc = await build(database_url, untidy.tender["id"])
    names = [p.party.name for p in doc.participants]
    assert names == sorted(names) == ["Askøy kommune", "Bjørnafjorden kommune", "Voss herad"]


async def test_namesake_municipalities_are_listed_by_their_id_whatever_the_order_of_answers(world: World, database_url: str) -> None:
    """Norway has two Herøy kommune: every version of the documents lists namesakes in the same order."""
    heroy = []
    for _ in range(2):
        town = await world.admin.create_org("municipality", name="Herøy kommune")
        await world.coordinator.post(f"/api/v1/organizations/{world.federation['id']}/members", json={"municipality_id": town["id"]})
        heroy.append((town, await world.admin.create_user(town["id"], "procurement_officer")))
    invited = {"organization_ids": sorted((town["id"] for town, _ in heroy), reverse=True)}  # the later id invited first too
    tender = await act(world.coordinator, await create(world.coordinator), "POST", "/participants", json=invited)
    await act(world.coordinator, tender, "POST", "/open-for-participants")
    for town, officer in sorted(heroy, key=lambda pair: pair[0]["id"], reverse=True):  # the later id answers first
        response = await officer.put(f"/api/v1/tenders/{tender['id']}/participants/{town['id']}", json=confirmation([(1, 10)]))
        assert response.status_code == 200, response.text
    doc = await build(database_url, tender["id"])
    assert [p.party.id for p in doc.participants] == sorted(town["id"] for town, _ in heroy)


async def test_the_snapshot_of_a_draft_in_full(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    tender_id = untidy.tender["id"]
    doc = await build(database_url, tender_id)
    body = untidy.tender
    base = f"https://registry.example.org/api/v1/tenders/{tender_id}/exports"
    assert (doc.language, doc.generated_at, doc.timezone, doc.draft) == ("nb", NOW, "Europe/Oslo", True)
    assert (doc.ocid, doc.publisher) == (f"ocds-abc123-{tender_id}", "Welfare technology procurement registry")
    assert doc.links == model.Links(
        package=f"{base}/ocds", tender_docx=f"{base}/docx", response_form_xlsx=f"{base}/xlsx",
        contract_annex_docx=f"{base}/annex", document_set_zip=f"{base}/package",
    )  # fmt: skip
    timeline = body["timeline"]
    assert spec()["timeline"].keys() == timeline.keys()
    assert doc.tender == model.Tender(
        id=tender_id, reference="VTF-2027-01", title=body["title"], description=body["description"], document_version=1,
        status="open_for_participants", procedure="open", cpv_codes=("33196200-2", "85311100-3"),
        estimated_value=model.Money(amount=Decimal("12500000"), currency="NOK"),
        contract=model.ContractPeriod(
            start=datetime.fromisoformat(body["contract_period"]["start"]).date(),
            end=datetime.fromisoformat(body["contract_period"]["end"]).date(), options="2 + 1 + 1 years",
        ),
        timeline=model.Timeline(
            published_at=None, questions_deadline=datetime.fromisoformat(timeline["questions_deadline"]),
            submission_deadline=datetime.fromisoformat(timeline["submission_deadline"]),
            planned_award=datetime.fromisoformat(timeline["planned_award"]).date(),
        ),
        contact=model.ContactPoint(name="Innkjøpsteamet", email="innkjop@vestlandet.example", phone="+47 55 00 00 00"),
        terms=model.Terms(submission=model.Submission(system="Mercell", url="https://permalink.mercell.com/200000000.aspx"), validity_days=90),
    )  # fmt: skip
    assert doc.law is not None and (doc.law.country, doc.law.standstill_days, doc.law.labour_clauses) == ("NO", 10, "")
    assert doc.law.review_body_url == "https://www.kofa.no" and len(doc.law.discretionary_exclusion) == 8
    assert doc.amendments == () and doc.fallbacks == (), "every text of the starter library exists in Norwegian"
    assert list(doc.references) == sorted(doc.references, key=lambda r: (r.kind, r.identifier)) and len(doc.references) > 10
    assert ("law", "LOV-1999-07-02-63", "§ 4-6 a") in {(r.kind, r.identifier, r.clause) for r in doc.references}


EFFECTIVE_KINDS = {
    "1.1": "mandatory", "1.2": "qualification", "1.3": "award", "1.4": "award", "1.5": "contract_condition",
    "2.1": "mandatory", "2.2": "award", "2.3": "mandatory", "2.4": "award",
}  # fmt: skip  # 2.3 is an award module switched to mandatory by its selection


async def test_each_requirement_is_its_pinned_module_rendered_in_the_tender_language(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    doc = await build(database_url, untidy.tender["id"])
    catalogue = (await world.supplier.get("/api/v1/catalogue")).json()
    labels = {vocabulary: {t["key"]: t["label"]["nb"] for t in terms} for vocabulary, terms in catalogue.items() if isinstance(terms, list)}
    expected_lots = []
    for lot in untidy.tender["lots"]:
        requirements = []
        for s in lot["selections"]:
            rid = f"{lot['number']}.{s['position']}"
            version = (await world.supplier.get(f"/api/v1/modules/{s['module_key']}/versions/{s['module_version']}")).json()
            module = (await world.supplier.get(f"/api/v1/modules/{s['module_key']}")).json()
            body = {"language": "nb", "parameters": s["parameters"]}
            rendered = (await world.supplier.post(f"/api/v1/modules/{s['module_key']}/versions/1/render", json=body)).json()
            content, kind = version["content"], EFFECTIVE_KINDS[rid]
            requirements.append(
                model.Requirement(
                    id=rid, module_key=s["module_key"], module_version=1, category_key=module["category"],
                    category_label=labels["categories"][module["category"]], kind=kind, level=content.get("level", "basic"),
                    title=rendered["title"], statement=rendered["statement"], rationale=content["rationale"]["nb"],
                    verification_documents=tuple(labels["document_types"][d] for d in content.get("verification", [])),
                    verification=content.get("verification_text", {}).get("nb", ""),
                    weight=Decimal(s["weight"]) if kind == "award" else None,
                    scoring_guidance=content["scoring_guidance"]["nb"] if kind == "award" else "", buyer_note=s["note"] or "",
                )
            )  # fmt: skip
        expected_lots.append(
            model.Lot(
                id=str(lot["number"]), number=lot["number"], title=lot["title"],
                product_categories=tuple(labels["product_categories"][c] for c in lot["product_categories"]),
                price_weight=Decimal(lot["price_weight"]), quality_weight=Decimal(lot["quality_weight"]), requirements=tuple(requirements),
            )
        )  # fmt: skip
    assert [lot.id for lot in doc.lots] == ["1", "2"]
    for got, want in zip(doc.lots, expected_lots, strict=True):
        assert got.requirements == want.requirements
        assert got == want
    assert doc.lots[1].requirements[2].scoring_guidance == "" and doc.lots[1].requirements[2].weight is None
    assert doc.lots[0].requirements[3].buyer_note == "Staff phones"


async def test_without_a_registered_prefix_the_ocid_and_publisher_say_it_is_a_placeholder(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    doc = await build(database_url, untidy.tender["id"], snapshot.Publisher("http://127.0.0.1:8000"))
    assert doc.ocid == f"ocds-000000-{untidy.tender['id']}"
    assert doc.publisher == "Welfare technology procurement registry (ocid prefix ocds-000000 is a local placeholder, not a registered prefix)"
    assert doc.links.package == f"http://127.0.0.1:8000/api/v1/tenders/{untidy.tender['id']}/exports/ocds"
    draft = (await world.coordinator.post("/api/v1/tenders", json=spec("VTF-DRAFT"))).json()
    doc = await build(database_url, draft["id"])
    assert (doc.tender.status, doc.draft, doc.participants) == ("draft", True, ())


async def test_a_tender_without_a_contract_period_is_refused_naming_what_is_missing(world: World) -> None:
    body = spec("VTF-NO-PERIOD")
    body["contract_period"] = {}
    tender = (await world.coordinator.post("/api/v1/tenders", json=body)).json()
    problem_body = problem(await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/ocds"), 422)
    assert problem_body["detail"] == "the tender is not complete enough to export"
    assert problem_body["errors"] == [
        {"field": "contract_period.start", "message": "is needed for the tender documents"},
        {"field": "contract_period.end", "message": "is needed for the tender documents"},
    ]


async def _documents(api: Api, tender_id: str, stem: str, version: int | None = None) -> tuple[dict, str, list[list[str]], str]:
    """The OCDS release, the DOCX text, its table rows and the XLSX text of a tender's export, each
    downloaded as ``<stem>.<extension>``."""
    prefix = f"/api/v1/tenders/{tender_id}" + (f"/versions/{version}" if version else "")
    responses = {fmt: await api.get(f"{prefix}/exports/{fmt}") for fmt in ("ocds", "docx", "xlsx")}
    assert all(r.status_code == 200 for r in responses.values()), {f: r.text for f, r in responses.items() if r.status_code != 200}
    for fmt, extension in (("ocds", "ocds.json"), ("docx", "docx"), ("xlsx", "xlsx")):
        assert responses[fmt].headers["content-disposition"].startswith(f'attachment; filename="{stem}.{extension}"'), fmt
    assert ocds_errors(responses["ocds"].content) == []
    (release,) = json.loads(responses["ocds"].content)["releases"]
    document = open_docx(responses["docx"].content)
    rows = list(table_rows(document))
    docx_text = "\n".join([p.text for p in document.paragraphs] + ["\t".join(row) for row in rows])
    workbook = open_xlsx(responses["xlsx"].content)
    xlsx_text = "\n".join(str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value is not None)
    return release, docx_text, rows, xlsx_text


def _assert_only_confirmed(untidy: Untidy, release: dict, docx_text: str, rows: list[list[str]], xlsx_text: str) -> None:
    confirmed = [m["name"] for m in untidy.confirmed]
    assert [p["name"] for p in release["parties"] if "buyer" in p["roles"]] == confirmed
    assert [p["name"] for p in release["parties"]] == ["Vestlandet velferdsteknologi", *confirmed]
    mandate = untidy.participants[0]["mandate_decision_date"]
    shown_mandate = ".".join(reversed(mandate.split("-")))
    start = rows.index(["Kommune", "Org.nr.", "Fullmakt vedtatt"])
    assert rows[start + 1 : start + 4] == [[m["name"], m["org_number"], shown_mandate] for m in untidy.confirmed]
    start = rows.index(["Kommune", "Delkontrakt 1", "Delkontrakt 2"])
    assert rows[start + 1 : start + 5] == [
        ["Askøy kommune", "120 units", "40 units"],
        ["Bjørnafjorden kommune", "80 units", "15 units"],
        ["Voss herad", "45 units", "–"],
        ["Sum", "245 units", "55 units"],
    ]
    for outsider in (untidy.declined, untidy.unanswered):
        for where, text in (("ocds", json.dumps(release, ensure_ascii=False)), ("docx", docx_text), ("xlsx", xlsx_text)):
            assert outsider["name"] not in text and outsider["org_number"] not in text, (where, outsider["name"])


async def test_draft_documents_show_only_confirmed_municipalities_while_one_has_not_answered(world: World) -> None:
    untidy = await untidy_joint_tender(world)
    _assert_only_confirmed(untidy, *await _documents(world.coordinator, untidy.tender["id"], "VTF-2027-01-v1-draft"))


async def test_published_documents_and_their_frozen_versions_show_only_confirmed_municipalities(world: World) -> None:
    untidy = await untidy_joint_tender(world)
    tender = untidy.tender
    tender = await act(world.coordinator, tender, "DELETE", f"/participants/{untidy.unanswered['id']}")
    published = await act(world.coordinator, tender, "POST", "/publish")
    amendment = {"summary": "Clarified", "reason": "Question 1", "description": "Alarms."}
    await act(world.coordinator, published, "POST", "/amendments", json=amendment)
    release, *documents = await _documents(world.supplier, tender["id"], "VTF-2027-01-v2")
    lot_2 = [item["quantity"] for item in release["tender"]["items"] if item["relatedLot"] == "2"]
    assert release["tag"] == ["tenderAmendment"] and sum(lot_2) == 55 and len(lot_2) == 2, "one item per confirmed municipality of lot 2"
    _assert_only_confirmed(untidy, release, *documents)
    _assert_only_confirmed(untidy, *await _documents(world.supplier, tender["id"], "VTF-2027-01-v1", version=1))


async def test_a_tender_never_published_has_no_document_versions(world: World) -> None:
    untidy = await untidy_joint_tender(world)
    body = problem(await world.coordinator.get(f"/api/v1/tenders/{untidy.tender['id']}/versions/1/exports/ocds"), 404)
    assert body["detail"] == "a tender that was never published has no document versions"


async def test_current_documents_show_the_current_status_and_each_version_its_published_one(world: World) -> None:
    untidy = await untidy_joint_tender(world)
    tender = await act(world.coordinator, untidy.tender, "DELETE", f"/participants/{untidy.unanswered['id']}")
    published = await act(world.coordinator, tender, "POST", "/publish")
    await act(world.coordinator, published, "POST", "/cancel")
    response = await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/ocds")
    assert response.headers["content-disposition"].startswith('attachment; filename="VTF-2027-01-v1.ocds.json"')
    current = json.loads(response.content)["releases"][0]
    first = json.loads((await world.supplier.get(f"/api/v1/tenders/{tender['id']}/versions/1/exports/ocds")).content)["releases"][0]
    assert (current["tag"], current["tender"]["status"]) == (["tenderCancellation"], "cancelled")
    assert (first["tag"], first["tender"]["status"]) == (["tender"], "active")
    assert current["id"] == first["id"] == f"ocds-000000-{tender['id']}-v1"


async def test_a_version_published_before_versions_were_kept_is_frozen_on_first_use(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    tender = await act(world.coordinator, untidy.tender, "DELETE", f"/participants/{untidy.unanswered['id']}")
    published = await act(world.coordinator, tender, "POST", "/publish")
    amendment = {"summary": "Clarified", "reason": "Question 1", "description": "Alarms."}
    amended = await act(world.coordinator, published, "POST", "/amendments", json=amendment)
    engine = create_engine(database_url, poolclass=NullPool)
    async with engine.begin() as connection:  # as a tender published by a registry that did not keep versions
        await connection.execute(delete(TenderDocument).where(TenderDocument.tender_id == UUID(tender["id"])))
    await engine.dispose()
    path = f"/api/v1/tenders/{tender['id']}"
    body = problem(await world.supplier.get(f"{path}/versions/1/exports/ocds"), 404)
    assert body["detail"] == "document version 1 of this tender is not kept"
    data = (await world.supplier.get(f"{path}/exports/ocds")).content
    assert (await world.supplier.get(f"{path}/versions/2/exports/ocds")).content == data, "frozen on first use, then kept"
    package = json.loads(data)
    (release,) = package["releases"]
    amended_at = datetime.fromisoformat(amended["amendments"][0]["created_at"]).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (package["publishedDate"], release["date"], release["id"]) == (amended_at, amended_at, f"ocds-000000-{tender['id']}-v2")
    assert [p["name"] for p in release["parties"] if "buyer" in p["roles"]] == [m["name"] for m in untidy.confirmed]
    assert release["tender"]["documents"][0]["url"] == f"http://127.0.0.1:8000{path}/exports/docx"
    engine = create_engine(database_url, poolclass=NullPool)
    async with async_sessionmaker(engine)() as session:
        (row,) = (await session.scalars(select(TenderDocument).where(TenderDocument.tender_id == UUID(tender["id"])))).all()
    await engine.dispose()
    assert row.document_version == 2
    frozen_at = datetime.fromisoformat(row.content["generated_at"])
    assert frozen_at == datetime.fromisoformat(amended["amendments"][0]["created_at"]), "dated by its latest amendment, to the microsecond"
    assert frozen_at != datetime.fromisoformat(published["published_at"])


def _volumes(doc: model.TenderDocument) -> dict[str, list[tuple[str, int]]]:
    return {p.party.name: [(v.lot_id, v.quantity) for v in p.volumes] for p in doc.participants}


async def test_confirmed_volumes_follow_their_lot_when_lots_are_moved_added_or_removed(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    path = f"/api/v1/tenders/{untidy.tender['id']}"

    async def lot_etag(number: int) -> str:
        return (await world.coordinator.get(f"{path}/lots/{number}")).headers["etag"]

    moved = await world.coordinator.patch(f"{path}/lots/2", json={"position": 1}, headers={"If-Match": await lot_etag(2)})
    assert moved.status_code == 200, moved.text
    doc = await build(database_url, untidy.tender["id"])
    assert [lot.title for lot in doc.lots] == ["GPS alarms", "Digital social alarms"]
    assert _volumes(doc) == {"Askøy kommune": [("2", 120), ("1", 40)], "Bjørnafjorden kommune": [("2", 80), ("1", 15)], "Voss herad": [("2", 45)]}

    tender = (await world.coordinator.get(path)).headers["etag"]
    lot = {"title": "Medicine dispensers", "product_categories": ["medicine_dispenser"], "price_weight": 100, "quality_weight": 0, "selections": []}
    added = await world.coordinator.post(f"{path}/lots", json=lot | {"position": 1}, headers={"If-Match": tender})
    assert added.status_code == 201, added.text
    doc = await build(database_url, untidy.tender["id"])
    assert [lot.title for lot in doc.lots] == ["Medicine dispensers", "GPS alarms", "Digital social alarms"]
    assert _volumes(doc) == {"Askøy kommune": [("3", 120), ("2", 40)], "Bjørnafjorden kommune": [("3", 80), ("2", 15)], "Voss herad": [("3", 45)]}

    removed = await world.coordinator.delete(f"{path}/lots/3", headers={"If-Match": await lot_etag(3)})
    assert removed.status_code == 204, removed.text
    doc = await build(database_url, untidy.tender["id"])
    assert [lot.title for lot in doc.lots] == ["Medicine dispensers", "GPS alarms"]
    assert _volumes(doc) == {"Askøy kommune": [("2", 40)], "Bjørnafjorden kommune": [("2", 15)], "Voss herad": []}
    assert doc.total_quantities() == {"2": {"units": 55}}, "the alarms of the removed lot are never counted for another lot"
    shown = (await world.coordinator.get(path)).json()
    assert shown["volumes"] == [{"lot": 2, "unit": "units", "quantity": 55, "participants": 2}]


async def test_texts_missing_in_the_tender_language_are_shown_in_english_and_listed(world: World, database_url: str) -> None:
    editor = world.admin
    texts = {field: {lang: f"{field} {lang}" for lang in ("en", "nb", "sv", "da")} for field in ("title", "rationale", "statement")}
    module = {
        "key": "CONSENT-ENGLISH-ONLY-GUIDANCE", "category": "consent",
        "content": {"kind": "award", **texts, "verification_text": {"en": "A description."}, "scoring_guidance": {"en": "High: all of it."}},
    }  # fmt: skip
    created = await editor.post("/api/v1/modules", json=module)
    assert created.status_code == 201, created.text
    published = await editor.post("/api/v1/modules/CONSENT-ENGLISH-ONLY-GUIDANCE/versions/1/publish", headers={"If-Match": created.headers["etag"]})
    assert published.status_code == 200, published.text
    body = spec("VTF-FALLBACK")
    body["lots"][0]["selections"].append({"module_key": "CONSENT-ENGLISH-ONLY-GUIDANCE", "module_version": 1, "weight": 5})
    body["lots"][0]["selections"][2]["weight"] = 30
    tender = (await world.coordinator.post("/api/v1/tenders", json=body)).json()
    doc = await build(database_url, tender["id"])
    requirement = doc.lots[0].requirements[-1]
    assert (requirement.id, requirement.title, requirement.verification, requirement.scoring_guidance) == (
        "1.6", "title nb", "A description.", "High: all of it.",
    )  # fmt: skip
    assert doc.fallbacks == ("CONSENT-ENGLISH-ONLY-GUIDANCE v1 verification", "CONSENT-ENGLISH-ONLY-GUIDANCE v1 scoring guidance")


async def test_a_version_frozen_on_first_use_without_amendments_is_dated_by_its_publication(world: World, database_url: str) -> None:
    untidy = await untidy_joint_tender(world)
    tender = await act(world.coordinator, untidy.tender, "DELETE", f"/participants/{untidy.unanswered['id']}")
    published = await act(world.coordinator, tender, "POST", "/publish")
    await act(world.coordinator, published, "POST", "/cancel")  # the tender changes after its publication
    engine = create_engine(database_url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.execute(delete(TenderDocument).where(TenderDocument.tender_id == UUID(tender["id"])))
    async with async_sessionmaker(engine)() as session:
        assert (await world.supplier.get(f"/api/v1/tenders/{tender['id']}/exports/ocds")).status_code == 200
        (row,) = (await session.scalars(select(TenderDocument).where(TenderDocument.tender_id == UUID(tender["id"])))).all()
    await engine.dispose()
    assert datetime.fromisoformat(row.content["generated_at"]) == datetime.fromisoformat(published["published_at"])


async def test_a_draft_without_a_contact_point_yet_names_none(world: World, database_url: str) -> None:
    body = spec("VTF-2027-02")
    del body["contact_point"]
    tender = await create(world.coordinator, body)
    assert (await build(database_url, tender["id"])).tender.contact is None
