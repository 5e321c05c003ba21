"""Products, evidence items, visibility, idempotent creation, reviews and evidence fit through the API."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.pool import NullPool

from registry.auth.principal import Principal
from registry.db.engine import create_engine
from registry.evidence import service
from registry.evidence.schemas import EvidenceType, FitRequest, ModuleRef
from tests.evidence_world import CERTIFICATE, PRODUCT, STUDY, World, add_evidence
from tests.support import Api, days_from_today, not_found, problem

pytestmark = pytest.mark.starter_library


async def test_evidence_types_share_the_catalogue_vocabulary(world: World) -> None:
    catalogue = (await world.officer.get("/api/v1/catalogue")).json()
    labels = {t["key"]: t["label"] for t in catalogue["document_types"]}
    assert set(EvidenceType.__args__) <= labels.keys()
    assert labels["user_survey"]["sv"] == "Brukarundersökning"
    assert all({"en", "nb", "sv", "da"} <= labels[k].keys() for k in ("benefit_realisation_report", "user_survey"))


async def test_product_catalogue(world: World) -> None:
    product = world.product
    assert product["supplier_id"] == world.supplier["id"] and product["categories"] == ["digital_social_alarm"]
    rival_product = await world.rival_editor.post(
        "/api/v1/products", json=PRODUCT | {"name": "Läkemedelsrobot", "model": "LR 2", "categories": ["medicine_dispenser"], "mdr_class": "IIa",
                           "description": "Dispenses medicine on time."}
    )
    assert rival_product.status_code == 201

    async def names(api: Api, **params: str) -> list[str]:
        page = (await api.get("/api/v1/products", params=params)).json()
        return sorted(p["name"] for p in page["items"])

    assert await names(world.officer) == ["Läkemedelsrobot", "Trygg Hjemme"]
    assert await names(world.coordinator, product_category="medicine_dispenser") == ["Läkemedelsrobot"]
    assert await names(world.officer, supplier_id=world.supplier["id"]) == ["Trygg Hjemme"]
    assert await names(world.officer, q="lakemedel") == ["Läkemedelsrobot"], "q folds case and diacritics"
    assert await names(world.officer, q="fall detection") == ["Trygg Hjemme"], "q searches the description"
    assert await names(world.editor) == ["Trygg Hjemme"], "suppliers see only their own products"
    not_found(await world.rival_editor.get(f"/api/v1/products/{product['id']}"), f"no product {product['id']}")
    body = problem(await world.officer.get("/api/v1/products", params={"product_category": "teleporter"}), 422)
    assert body["errors"][0]["field"] == "product_category"

    first = await world.officer.get(f"/api/v1/products/{product['id']}")
    assert first.json()["name"] == "Trygg Hjemme"
    again = await world.officer.get(f"/api/v1/products/{product['id']}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


async def test_product_rules(world: World) -> None:
    body = problem(await world.editor.post("/api/v1/products", json=PRODUCT | {"categories": ["rocket", "gps_alarm"]}), 422)
    assert body["errors"] == [{"field": "categories[0]", "message": "unknown product category 'rocket'"}]
    body = problem(await world.editor.post("/api/v1/products", json=PRODUCT | {"ce_marked": False, "mdr_class": "IIb"}), 422)
    assert body["errors"][0]["field"] == "ce_marked" and "IIb" in body["errors"][0]["message"]
    problem(await world.editor.post("/api/v1/products", json=PRODUCT | {"mdr_class": "IV"}), 400)
    problem(await world.editor.post("/api/v1/products", json=PRODUCT | {"name": "Bad\x07name"}), 400)
    problem(await world.editor.post("/api/v1/products", json=PRODUCT | {"categories": []}), 400)
    problem(await world.officer.post("/api/v1/products", json=PRODUCT), 403)
    body = problem(await world.admin.post("/api/v1/products", json=PRODUCT), 403)
    assert "suppliers" in body["detail"]

    path = f"/api/v1/products/{world.product['id']}"
    updated = (await world.editor.patch(path, json={"model": "TH-5", "categories": ["digital_social_alarm", "gps_alarm"]})).json()
    assert updated["model"] == "TH-5" and updated["name"] == "Trygg Hjemme" and updated["categories"] == ["digital_social_alarm", "gps_alarm"]
    assert (await world.editor.patch(path, json={"description": None})).json()["description"] is None
    problem(await world.editor.patch(path, json={"name": None}), 400)
    problem(await world.editor.patch(path, json={"ce_marked": False}), 422)
    not_found(await world.rival_editor.patch(path, json={"model": "stolen"}), f"no product {world.product['id']}")


async def test_evidence_is_structured_and_validated(world: World) -> None:
    path = f"/api/v1/products/{world.product['id']}/evidence"
    item = await add_evidence(world.editor, world.product["id"], STUDY)
    assert item["product_id"] == world.product["id"] and item["supplier_id"] == world.supplier["id"]
    assert item["review_state"] == "unreviewed" and item["reviews"] == [] and item["attachments"] == []
    assert item["outcomes"][0] == STUDY["outcomes"][0] and item["setting"]["municipalities"] == ["Bergen"]

    bad_outcome = STUDY | {"outcomes": [STUDY["outcomes"][0] | {"sample_size": -5}]}
    body = problem(await world.editor.post(path, json=bad_outcome), 400)
    assert body["errors"][0]["field"] == "outcomes[0].sample_size"

    body = problem(await world.editor.post(path, json=CERTIFICATE | {"valid_from": "2026-01-01", "valid_until": "2025-12-31"}), 422)
    assert body["errors"] == [{"field": "valid_until", "message": "valid_until 2025-12-31 is before valid_from 2026-01-01"}]

    body = problem(await world.editor.post(path, json=STUDY | {"module_keys": ["EVID-STAFF-TIME", "EVID-NO-SUCH-MODULE"]}), 422)
    assert body["errors"] == [{"field": "module_keys[1]", "message": "no requirement module EVID-NO-SUCH-MODULE in the library"}]

    wrong = STUDY | {"study_design": "horoscope", "period_end": days_from_today(-4000), "outcomes": [STUDY["outcomes"][0] | {"domain": "happiness"}]}
    body = problem(await world.editor.post(path, json=wrong), 422)
    assert [e["field"] for e in body["errors"]] == ["study_design", "outcomes[0].domain", "period_end"]

    body = problem(await world.editor.post(path, json=STUDY | {"tender_ids": ["00000000-0000-4000-8000-000000000001"]}), 422)
    assert body["errors"][0]["field"] == "tender_ids"
    problem(await world.editor.post(path, json=STUDY | {"type": "brochure"}), 400)
    problem(await world.editor.post(path, json=STUDY | {"publication": "javascript:alert(1)"}), 400)
    problem(await world.editor.post(path, json=STUDY | {"outcomes": [STUDY["outcomes"][0]] * 51}), 400)

    not_found(await world.rival_editor.post(path, json=STUDY), f"no product {world.product['id']}")
    problem(await world.officer.post(path, json=STUDY), 403)
    listing = (await world.editor.get("/api/v1/evidence", params={"product_id": world.product["id"]})).json()
    assert listing["total"] == 1, "refused requests left nothing behind"


async def test_visibility(world: World) -> None:
    public = await add_evidence(world.editor, world.product["id"], CERTIFICATE)
    buyers = await add_evidence(world.editor, world.product["id"], STUDY)
    confidential = await add_evidence(
        world.editor, world.product["id"], STUDY | {"visibility": "confidential", "tender_ids": ["00000000-0000-4000-8000-000000000001"]}
    )
    rejection = {"outcome": "rejected", "comment": "Scope excludes the alarm platform."}
    await world.officer.post(f"/api/v1/evidence/{public['id']}/reviews", json=rejection)

    async def visible(api: Api) -> set[str]:
        page = (await api.get("/api/v1/evidence", params={"product_id": world.product["id"]})).json()
        return {i["id"] for i in page["items"]}

    assert await visible(world.editor) == {public["id"], buyers["id"], confidential["id"]}
    assert await visible(world.officer) == await visible(world.coordinator) == {public["id"], buyers["id"]}
    assert await visible(world.rival_editor) == {public["id"]}
    librarian = await world.admin.create_user((await world.admin.create_org("authority"))["id"], "library_editor")
    assert await visible(librarian) == {public["id"], buyers["id"]}, "library editors review evidence for the registry"
    problem(await librarian.get("/api/v1/products"), 403)
    assert await visible(world.admin) == {public["id"], buyers["id"], confidential["id"]}
    certificates = (await world.officer.get("/api/v1/evidence", params={"type": "certificate", "supplier_id": world.supplier["id"]})).json()
    assert [i["id"] for i in certificates["items"]] == [public["id"]]
    assert (await world.officer.get("/api/v1/evidence", params={"supplier_id": world.rival["id"]})).json()["total"] == 0

    for api in (world.officer, world.coordinator, world.rival_editor):
        not_found(await api.get(f"/api/v1/evidence/{confidential['id']}"), f"no evidence item {confidential['id']}")
    not_found(await world.rival_editor.get(f"/api/v1/evidence/{buyers['id']}"), f"no evidence item {buyers['id']}")

    seen_by_rival = (await world.rival_editor.get(f"/api/v1/evidence/{public['id']}")).json()
    assert seen_by_rival["review_state"] is None and seen_by_rival["reviews"] == [], "no review comments on others' items"
    rival_queue = (await world.rival_editor.get("/api/v1/evidence", params={"review_state": "rejected"})).json()
    assert rival_queue["items"] == [], "filtering by review state does not reveal others' reviews"
    own = (await world.editor.get(f"/api/v1/evidence/{public['id']}")).json()
    assert own["review_state"] == "unreviewed", "for its supplier, the registry-level state"
    assert own["reviews"][0]["comment"] == "Scope excludes the alarm platform." and own["reviews"][0]["applies"] is False
    assert (await world.officer.get(f"/api/v1/evidence/{public['id']}")).json()["review_state"] == "rejected"
    assert (await world.coordinator.get(f"/api/v1/evidence/{public['id']}")).json()["review_state"] == "unreviewed", "another organization's"

    body = problem(await world.rival_editor.patch(f"/api/v1/evidence/{public['id']}", json={"title": "Mine now"}), 403)
    assert "supplier's editors" in body["detail"]
    not_found(await world.rival_editor.patch(f"/api/v1/evidence/{buyers['id']}", json={"title": "Mine now"}), f"no evidence item {buyers['id']}")


async def test_confidential_evidence_is_found_through_the_tenders_it_names(world: World, database_url: str) -> None:
    tender, other = UUID(int=1), UUID(int=2)
    named = await add_evidence(world.editor, world.product["id"], STUDY | {"visibility": "confidential", "tender_ids": [str(tender), str(other)]})
    await add_evidence(world.editor, world.product["id"], STUDY | {"visibility": "confidential", "tender_ids": [str(other)]})
    await add_evidence(world.editor, world.product["id"], STUDY)
    user = world.officer.user
    officer = Principal(UUID(user["id"]), UUID(user["organization_id"]), "municipality", frozenset({"procurement_officer"}))
    request = FitRequest([ModuleRef("EVID-DOSSIER-CONTROLLED", 1)])
    engine = create_engine(database_url, poolclass=NullPool)
    async with async_sessionmaker(engine)() as session:
        items, total = await service.visible_confidential_for_tender(session, tender, frozenset({officer.organization_id}), limit=50, offset=0)
        assert [str(i.id) for i in items] == [named["id"]] and total == 1
        assert items[0].tender_ids == [tender, other] and items[0].review_state == "unreviewed"
        product_id = UUID(world.product["id"])
        plain = await service.evidence_fit(session, officer, product_id, request)
        through_tender = await service.evidence_fit(session, officer, product_id, request, tender_id=tender)
    await engine.dispose()
    assert len(plain.modules[0].qualifying) == 1 and len(through_tender.modules[0].qualifying) == 2
    assert named["id"] in {str(ref.id) for ref in through_tender.modules[0].qualifying}


async def test_idempotent_creation(world: World) -> None:
    key = {"Idempotency-Key": "evidence-2026-11-23-0001"}
    path = f"/api/v1/products/{world.product['id']}/evidence"
    first = await world.editor.post(path, json=STUDY, headers=key)
    retry = await world.editor.post(path, json=dict(reversed(STUDY.items())), headers=key)
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"] and retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers

    body = problem(await world.editor.post(path, json=STUDY | {"title": "Another study"}, headers=key), 422)
    assert "different request" in body["detail"] and body["errors"][0]["field"] == "Idempotency-Key"
    second_product = (await world.editor.post("/api/v1/products", json=PRODUCT | {"name": "Other"})).json()
    problem(await world.editor.post(f"/api/v1/products/{second_product['id']}/evidence", json=STUDY, headers=key), 422)

    colleague = await world.admin.create_user(world.supplier["id"], "supplier_editor")
    assert (await colleague.post(path, json=STUDY, headers=key)).json()["id"] == first.json()["id"], "keys are per organization"
    rival_product = (await world.rival_editor.post("/api/v1/products", json=PRODUCT)).json()
    rival_item = await add_evidence(world.rival_editor, rival_product["id"], STUDY, **key)
    assert rival_item["id"] != first.json()["id"]

    problem(await world.editor.post(path, json=STUDY, headers={"Idempotency-Key": "x" * 129}), 400)
    listing = (await world.editor.get("/api/v1/evidence", params={"product_id": world.product["id"]})).json()
    assert listing["total"] == 1, "never a duplicate"


async def test_reviews_keep_their_history_and_edits_reset_them(world: World) -> None:
    item = await add_evidence(world.editor, world.product["id"], STUDY)
    reviews = f"/api/v1/evidence/{item['id']}/reviews"
    body = problem(await world.officer.post(reviews, json={"outcome": "clarification_needed"}), 422)
    assert body["errors"][0]["field"] == "comment"
    asked = await world.officer.post(reviews, json={"outcome": "clarification_needed", "comment": "Report drop-outs."})
    assert asked.status_code == 201 and asked.json()["kind"] == "review" and asked.json()["user_id"] == world.officer.user["id"]
    accepted = await world.coordinator.post(reviews, json={"outcome": "accepted"})
    assert accepted.status_code == 201
    problem(await world.editor.post(reviews, json={"outcome": "accepted"}), 403)
    problem(await world.officer.post(reviews, json={"outcome": "maybe", "comment": "?"}), 400)

    path = f"/api/v1/evidence/{item['id']}"
    unchanged = (await world.editor.patch(path, json={"title": STUDY["title"]})).json()
    assert [r["kind"] for r in unchanged["reviews"]] == ["review", "review"], "a PATCH that changes nothing is not an edit"
    assert (await world.coordinator.get(path)).json()["review_state"] == "accepted"
    edited = (await world.editor.patch(path, json={"outcomes": [STUDY["outcomes"][0] | {"sample_size": 140}]})).json()
    assert edited["outcomes"][0]["sample_size"] == 140 and edited["title"] == STUDY["title"]
    assert (await world.coordinator.get(path)).json()["review_state"] == "unreviewed"
    assert [(r["kind"], r["outcome"]) for r in edited["reviews"]] == [
        ("review", "clarification_needed"), ("review", "accepted"), ("reset", "unreviewed")
    ]
    assert edited["reviews"][0]["comment"] == "Report drop-outs."
    queue = (await world.officer.get("/api/v1/evidence", params={"review_state": "unreviewed"})).json()
    assert [i["id"] for i in queue["items"]] == [item["id"]]

    body = problem(await world.editor.patch(path, json={"period_start": days_from_today(-10)}), 422)
    assert body["errors"][0]["field"] == "period_end"
    confidential = (await world.editor.patch(path, json={"visibility": "confidential", "tender_ids": [str(UUID(int=7))]})).json()
    assert confidential["tender_ids"] == [str(UUID(int=7))]
    not_found(await world.officer.post(reviews, json={"outcome": "accepted"}), f"no evidence item {item['id']}")
    assert (await world.editor.patch(path, json={"visibility": "public"})).json()["tender_ids"] == []

    audit = (await world.admin.get("/api/v1/audit", params={"entity_id": item["id"], "limit": 200})).json()
    assert {"evidence.create", "evidence.review", "evidence.update"} <= {e["action"] for e in audit["items"]}


async def test_evidence_fit_reports_per_clause(world: World) -> None:
    study = await add_evidence(world.editor, world.product["id"], STUDY | {"study_design": "uncontrolled_before_after"})
    deadline, expired = days_from_today(90), days_from_today(-200)
    certificate = await add_evidence(world.editor, world.product["id"], CERTIFICATE | {"valid_until": expired})
    path = f"/api/v1/products/{world.product['id']}/evidence-fit"
    request = {
        "modules": [{"key": "EVID-DOSSIER-CONTROLLED", "version": 1}, {"key": "SEC-ISO27001-CERTIFICATE", "version": 1}],
        "submission_deadline": deadline,
    }
    report = (await world.officer.post(path, json=request)).json()
    assert report["met"] is False and report["reference_date"] == deadline
    dossier, iso = report["modules"]
    clauses = {c["clause"]: c for c in dossier["clauses"]}
    assert list(clauses) == ["evidence_types", "min_study_design", "min_sample_size", "max_age_years"]
    assert clauses["min_study_design"]["reason"] == "best study design is uncontrolled_before_after; rule needs controlled_study"
    assert clauses["min_study_design"]["explanation"] == {
        "kind": "explanation",
        "message": "best study design is %(design)s; rule needs %(minimum)s",
        "plural": None,
        "values": {
            "design": {"kind": "terms", "vocabulary": "study_designs", "keys": ["uncontrolled_before_after"], "any": True},
            "minimum": {"kind": "terms", "vocabulary": "study_designs", "keys": ["controlled_study"], "any": True},
        },
    }, "the reason as a message to translate, its vocabulary keys marked"
    assert clauses["min_sample_size"] == {
        "clause": "min_sample_size", "requirement": 30, "met": True, "reason": None, "parameter": "min_sample_size", "explanation": None,
        "items": [{"id": study["id"], "title": STUDY["title"], "type": "study", "review_state": "unreviewed", "unreviewed": True, "claimed": True}],
    }  # fmt: skip
    assert dossier["met"] is False and dossier["reason"] == "not met: min_study_design"
    validity = next(c for c in iso["clauses"] if c["clause"] == "certificate_valid_at_deadline")
    assert validity["reason"] == f"certificate expires {expired}, before the submission deadline {deadline}"
    assert validity["explanation"]["values"]["date"] == {"kind": "date", "date": expired}
    assert validity["explanation"]["values"]["when"]["values"] == {"date": {"kind": "date", "date": deadline}}
    assert iso["explanation"] == {
        "kind": "explanation", "message": "not met: %(clauses)s", "values": {"clauses": "certificate_valid_at_deadline"}, "plural": None,
    }  # fmt: skip

    await world.editor.patch(f"/api/v1/evidence/{study['id']}", json={"study_design": "randomized_controlled_trial"})
    await world.editor.patch(f"/api/v1/evidence/{certificate['id']}", json={"valid_until": days_from_today(500)})
    await world.officer.post(f"/api/v1/evidence/{study['id']}/reviews", json={"outcome": "accepted"})
    report = (await world.officer.post(path, json=request)).json()
    assert report["met"] is True
    accepted_study = report["modules"][0]["qualifying"][0]
    assert (accepted_study["id"], accepted_study["review_state"], accepted_study["unreviewed"]) == (study["id"], "accepted", False)
    assert report["modules"][1]["qualifying"][0]["unreviewed"] is True

    await world.officer.post(f"/api/v1/evidence/{study['id']}/reviews", json={"outcome": "rejected", "comment": "Not the offered product."})
    dossier = (await world.officer.post(path, json=request)).json()["modules"][0]
    assert dossier["met"] is False, "the officer's organization's latest review decides"
    assert dossier["clauses"][0]["reason"] == "no evidence of type study; 1 rejected item does not count"
    elsewhere = (await world.coordinator.post(path, json=request)).json()["modules"][0]
    assert elsewhere["met"] is True and elsewhere["qualifying"][0]["unreviewed"] is True, "another organization's review does not apply"
    own_view = (await world.editor.post(path, json=request)).json()
    assert own_view["modules"][0]["met"] is True, "the supplier's fit applies registry-level reviews only"


async def test_evidence_fit_counts_only_what_the_caller_may_see(world: World) -> None:
    await add_evidence(world.editor, world.product["id"], STUDY | {"visibility": "confidential"})
    request = {"modules": [{"key": "EVID-DOSSIER-CONTROLLED", "version": 1}]}
    path = f"/api/v1/products/{world.product['id']}/evidence-fit"
    assert (await world.editor.post(path, json=request)).json()["met"] is True
    buyer_view = (await world.officer.post(path, json=request)).json()
    assert buyer_view["met"] is False and buyer_view["modules"][0]["clauses"][0]["reason"] == "no evidence of type study"


async def test_evidence_fit_refuses_bad_requests(world: World) -> None:
    path = f"/api/v1/products/{world.product['id']}/evidence-fit"
    modules = [
        {"key": "EVID-DOSSIER-CONTROLLED", "version": 1},
        {"key": "EVID-NO-SUCH-MODULE", "version": 1},
        {"key": "EVID-STAFF-TIME", "version": 9},
    ]
    body = problem(await world.officer.post(path, json={"modules": modules}), 422)
    assert [e["field"] for e in body["errors"]] == ["modules[1]", "modules[2]"]
    assert "EVID-NO-SUCH-MODULE" in body["detail"] and "version 9 of requirement module EVID-STAFF-TIME" in body["detail"]
    body = problem(await world.officer.post(path, json={"modules": [{"key": "SEC-MDR-CLASSIFICATION", "version": 1}]}), 422)
    assert body["errors"] == [{"field": "modules[0]", "message": "SEC-MDR-CLASSIFICATION version 1 has no evidence rule to check"}]
    problem(await world.officer.post(path, json={"modules": []}), 400)
    problem(await world.officer.post(path, json={"modules": [{"key": "bad key", "version": 1}]}), 400)
    not_found(await world.rival_editor.post(path, json={"modules": modules[:1]}), f"no product {world.product['id']}")
    not_found(await world.officer.post(f"/api/v1/products/{UUID(int=5)}/evidence-fit", json={"modules": modules[:1]}), f"no product {UUID(int=5)}")
