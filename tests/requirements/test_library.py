"""The requirement module library through the API, on the seeded starter library."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from registry.requirements.content import LANGUAGES
from tests.library_world import NEW_MODULE, buyer_values
from tests.support import Api, not_found, problem

pytestmark = pytest.mark.starter_library
STARTER_CATEGORIES = ("evidence_of_effect", "interoperability", "information_security", "consent")


async def all_modules(api: Api, **params: str) -> list[dict]:
    items, offset = [], 0
    while True:
        page = (await api.get("/api/v1/modules", params={**params, "limit": 200, "offset": offset})).json()
        items += page["items"]
        offset += page["limit"]
        if offset >= page["total"]:
            return items


async def test_starter_library_is_published_and_renders_in_every_language(reader: Api) -> None:
    modules = await all_modules(reader)
    assert len(modules) >= 48
    for category in STARTER_CATEGORIES:
        assert sum(m["category"] == category for m in modules) >= 12, category
    for module in modules:
        version = module["current"]["version"]
        parameters = (await reader.get(f"/api/v1/modules/{module['key']}/versions/{version}")).json()["content"].get("parameters", [])
        for language in LANGUAGES:
            render = {"language": language, "parameters": buyer_values(parameters)}
            response = await reader.post(f"/api/v1/modules/{module['key']}/versions/{version}/render", json=render)
            assert response.status_code == 200, (module["key"], language, response.text)
            rendered = response.json()
            assert rendered["fallbacks"] == [] and "{" not in rendered["statement"], (module["key"], language)


async def test_pages_of_a_search_add_up_to_its_total_and_a_page_past_the_end_still_counts(reader: Api) -> None:
    everything = await all_modules(reader, q="alarm")
    first = (await reader.get("/api/v1/modules", params={"q": "alarm", "limit": 7})).json()
    assert first["total"] == len(everything) > 7 and [m["key"] for m in first["items"]] == [m["key"] for m in everything[:7]]
    beyond = (await reader.get("/api/v1/modules", params={"q": "alarm", "limit": 7, "offset": len(everything) + 5})).json()
    assert (beyond["items"], beyond["total"]) == ([], len(everything)), "the total is counted apart when no row carries it"
    assert (await reader.get("/api/v1/modules", params={"q": "zzzz-nothing"})).json() | {"limit": 0} == {
        "items": [], "total": 0, "limit": 0, "offset": 0}  # fmt: skip


async def test_catalogue_lists_vocabularies(reader: Api) -> None:
    catalogue = (await reader.get("/api/v1/catalogue")).json()
    assert {"evidence_of_effect", "interoperability", "information_security", "consent"} <= {c["key"] for c in catalogue["categories"]}
    assert catalogue["study_designs"][0]["key"] == "systematic_review"
    assert all(set(LANGUAGES) <= t["label"].keys() for t in catalogue["product_categories"])


async def test_search_is_case_and_diacritic_insensitive_across_languages(reader: Api) -> None:
    alarm = await all_modules(reader, q="trygghetslarm")
    assert alarm, "a Swedish word finds modules"
    assert await all_modules(reader, q="TRYGGHETSALARM"), "Norwegian spelling, upper case"
    plain, danish = await all_modules(reader, q="aeldre"), await all_modules(reader, q="ældre")
    assert plain and [m["key"] for m in plain] == [m["key"] for m in danish]
    assert await all_modules(reader, q="scaip alarm")
    assert await all_modules(reader, q="zzzz-nothing") == []


async def test_search_index_follows_every_edit_and_publication(editor: Api, reader: Api) -> None:
    async def keys(api: Api, **params: str) -> list[str]:
        return [m["key"] for m in await all_modules(api, **params)]

    module = copy.deepcopy(NEW_MODULE)
    module["content"]["rationale"]["en"] = "Myrtuvig princip."
    created = await editor.post("/api/v1/modules", json=module)
    assert await keys(editor, q="myrtuvig", status="draft") == ["CONSENT-TEST-MODULE"]
    assert await keys(reader, q="myrtuvig") == [], "a draft is no search hit for readers"
    edited = complete(NEW_MODULE["content"], "Positionen ska vara avstängd i högst {days} vardagar.")
    edited["rationale"]["en"] = "Kvistlösa föreskrifter."  # the old word gone, a new one with a diacritic
    etag = created.headers["etag"]
    assert (await editor.put("/api/v1/modules/CONSENT-TEST-MODULE/versions/1", json=edited, headers={"If-Match": etag})).status_code == 200
    assert await keys(editor, q="myrtuvig", status="draft") == []
    assert await keys(editor, q="KVISTLOSA vardagar", status="draft") == ["CONSENT-TEST-MODULE"]
    assert (await editor.post("/api/v1/modules/CONSENT-TEST-MODULE/versions/1/publish")).status_code == 200
    assert await keys(reader, q="kvistlösa") == ["CONSENT-TEST-MODULE"]
    assert await keys(reader, q="lösa") == await keys(reader, q="losa"), "a part of a word is found, however short"
    assert "CONSENT-TEST-MODULE" in await keys(reader, q="st kvist"), "a term of two letters narrows with the others"
    for syntax in ('"kvistlosa"', "kvist*", "kvistlosa)", "NEAR(kvistlosa"):
        assert await keys(reader, q=syntax) == [], f"{syntax}: quotes and operators are searched for as themselves"


async def test_filters(reader: Api) -> None:
    consent = await all_modules(reader, category="consent")
    assert consent and all(m["category"] == "consent" for m in consent)
    gps = await all_modules(reader, product_category="gps_alarm")
    assert gps and all("gps_alarm" in m["product_categories"] for m in gps)
    award = await all_modules(reader, kind="award")
    assert award and all(m["current"]["kind"] == "award" for m in award)
    advanced = await all_modules(reader, level="advanced")
    assert advanced and all(m["current"]["level"] == "advanced" for m in advanced)
    scaip = await all_modules(reader, standard="ss 91100")
    assert "INTEROP-ALARM-PROTOCOL" in [m["key"] for m in scaip]
    tagged = await all_modules(reader, tag="scaip")
    assert "INTEROP-ALARM-PROTOCOL" in [m["key"] for m in tagged]
    assert len(await all_modules(reader, language="da")) >= 48
    assert await all_modules(reader, language="fi") == []


async def test_bad_filters_are_clear_errors(reader: Api) -> None:
    body = problem(await reader.get("/api/v1/modules", params={"category": "teleportation"}), 422)
    assert body["errors"][0]["field"] == "category"
    problem(await reader.get("/api/v1/modules", params={"kind": "optional"}), 400)
    problem(await reader.get("/api/v1/modules", params={"q": "x" * 201}), 400)
    problem(await reader.get("/api/v1/modules", params={"limit": 0}), 400)
    version_beyond_any_database_integer = 10**24
    problem(await reader.get("/api/v1/modules/INTEROP-ALARM-PROTOCOL/diff", params={"from": version_beyond_any_database_integer, "to": 1}), 400)
    problem(await reader.get(f"/api/v1/modules/INTEROP-ALARM-PROTOCOL/versions/{version_beyond_any_database_integer}"), 400)


async def test_conditional_get_answers_304(reader: Api) -> None:
    first = await reader.get("/api/v1/modules/INTEROP-ALARM-PROTOCOL")
    assert first.status_code == 200 and first.json()["versions"]
    tag = first.headers["etag"]
    again = await reader.get("/api/v1/modules/INTEROP-ALARM-PROTOCOL", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    listing = await reader.get("/api/v1/modules", params={"category": "consent"})
    cached = await reader.get("/api/v1/modules", params={"category": "consent"}, headers={"If-None-Match": listing.headers["etag"]})
    assert cached.status_code == 304
    version = await reader.get("/api/v1/modules/INTEROP-ALARM-PROTOCOL/versions/1")
    cached = await reader.get("/api/v1/modules/INTEROP-ALARM-PROTOCOL/versions/1", headers={"If-None-Match": version.headers["etag"]})
    assert cached.status_code == 304


async def test_render_checks_parameters(reader: Api) -> None:
    path = "/api/v1/modules/INTEROP-ALARM-PROTOCOL/versions/1/render"
    rendered = (await reader.post(path, json={"language": "sv", "parameters": {"delivery_seconds": 20}})).json()
    assert "inom 20 sekunder" in rendered["statement"]
    body = problem(await reader.post(path, json={"parameters": {"delivery_seconds": 1000}}), 422)
    assert body["errors"] == [{"field": "parameters.delivery_seconds", "message": "must be at most 120"}]
    body = problem(await reader.post(path, json={"parameters": {"colour": "red", "delivery_seconds": "fast"}}), 422)
    assert {e["field"] for e in body["errors"]} == {"parameters.colour", "parameters.delivery_seconds"}
    fallback = (await reader.post(path, json={"language": "fi"})).json()
    assert fallback["fallbacks"] == ["title", "statement"] and "SCAIP" in fallback["statement"]


def complete(content: dict, statement_sv: str = "Positionen ska vara avstängd i högst {days} dagar.") -> dict:
    content = copy.deepcopy(content)
    for field in ("title", "rationale", "statement"):
        content[field] |= {lang: f"{field} {lang} {{days}}" if field == "statement" else f"{field} {lang}" for lang in ("nb", "sv", "da")}
    content["statement"]["sv"] = statement_sv
    return content


async def test_module_lifecycle(admin: Api, editor: Api, reader: Api) -> None:
    created = await editor.post("/api/v1/modules", json=NEW_MODULE)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    base = "/api/v1/modules/CONSENT-TEST-MODULE"
    not_found(await reader.get(f"{base}/versions/1"), "no version 1 of CONSENT-TEST-MODULE")
    not_found(await reader.get(base), "no requirement module CONSENT-TEST-MODULE")
    problem(await editor.post("/api/v1/modules", json=NEW_MODULE), 409)

    body = problem(await editor.post(f"{base}/versions/1/publish"), 422)
    assert {"content.title", "content.rationale", "content.statement"} <= {e["field"] for e in body["errors"]}

    problem(await editor.put(f"{base}/versions/1", json=complete(NEW_MODULE["content"])), 428)
    stale = problem(await editor.put(f"{base}/versions/1", json=complete(NEW_MODULE["content"]), headers={"If-Match": '"old"'}), 412)
    assert stale["current_etag"] == created.headers["etag"]
    updated = await editor.put(f"{base}/versions/1", json=complete(NEW_MODULE["content"]), headers={"If-Match": created.headers["etag"]})
    assert updated.status_code == 200 and updated.json()["revision"] == 2
    problem(await editor.put(f"{base}/versions/1", json=complete(NEW_MODULE["content"]), headers={"If-Match": created.headers["etag"]}), 412)

    published = await editor.post(f"{base}/versions/1/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert (await reader.get(f"{base}/versions/1")).status_code == 200
    problem(await editor.put(f"{base}/versions/1", json=complete(NEW_MODULE["content"]), headers={"If-Match": published.headers["etag"]}), 409)
    problem(await editor.post(f"{base}/versions/1/publish"), 409)

    draft = await editor.post(f"{base}/versions")
    assert draft.status_code == 201 and draft.json()["version"] == 2
    problem(await editor.post(f"{base}/versions"), 409)
    changed = complete(NEW_MODULE["content"], "Positionen ska vara avstängd i högst {days} kalenderdagar.")
    assert (await editor.put(f"{base}/versions/2", json=changed, headers={"If-Match": draft.headers["etag"]})).status_code == 200
    diff = (await editor.get(f"{base}/diff", params={"from": 1, "to": 2})).json()
    assert [c["field"] for c in diff["changes"]] == ["statement.sv"]
    assert diff["changes"][0]["after"].endswith("kalenderdagar.")
    not_found(await reader.get(f"{base}/diff", params={"from": 1, "to": 2}), "no version 2 of CONSENT-TEST-MODULE")

    body = problem(await editor.post(f"{base}/versions/1/deprecate", json={"replaced_by": "NO-SUCH-MODULE"}), 422)
    assert body["errors"][0]["field"] == "replaced_by"
    deprecated = await editor.post(f"{base}/versions/1/deprecate", json={"replaced_by": "INTEROP-ALARM-PROTOCOL"})
    assert deprecated.json()["status"] == "deprecated" and deprecated.json()["replaced_by"] == "INTEROP-ALARM-PROTOCOL"
    history = (await editor.get(base)).json()["versions"]
    assert [(v["version"], v["status"]) for v in history] == [(1, "deprecated"), (2, "draft")]
    audit = (await admin.get("/api/v1/audit", params={"entity_id": "CONSENT-TEST-MODULE"})).json()["items"]
    assert [e["action"] for e in reversed(audit)] == [
        "module.create", "module.version.update", "module.version.publish", "module.version.create",
        "module.version.update", "module.version.deprecate",
    ]  # fmt: skip


async def test_only_editors_write_and_bad_content_is_refused(editor: Api, reader: Api) -> None:
    problem(await reader.post("/api/v1/modules", json=NEW_MODULE), 403)
    problem(await reader.post("/api/v1/modules/INTEROP-ALARM-PROTOCOL/versions"), 403)
    bad = copy.deepcopy(NEW_MODULE) | {"key": "CONSENT-BAD-MODULE", "category": "astrology"}
    bad["content"]["statement"]["en"] = "Uses {undeclared} and {days}."
    bad["content"]["parameters"][0]["default"] = 999
    body = problem(await editor.post("/api/v1/modules", json=bad), 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"category", "content.statement.en", "content.parameters.days"} <= fields
    problem(await editor.post("/api/v1/modules", json=NEW_MODULE | {"key": "lower-case"}), 400)
    ancient = copy.deepcopy(NEW_MODULE) | {"key": "CONSENT-ANCIENT-STUDIES"}
    ancient["content"]["evidence_rule"] = {"evidence_types": ["study"], "max_age_years": 5000}
    body = problem(await editor.post("/api/v1/modules", json=ancient), 400)
    assert body["errors"][0]["field"] == "content.evidence_rule.max_age_years"
    not_found(await editor.get("/api/v1/modules/NO-SUCH-MODULE"), "no requirement module NO-SUCH-MODULE")


@pytest.mark.parametrize(
    ("place", "field"),
    [
        (("content", "statement", "en"), "content.statement"),
        (("references", 0, "clause"), "references[0].clause"),
        (("content", "parameters", 0, "unit"), "content.parameters[0].unit"),
        (("content", "title", "e\x00"), "content.title"),
    ],
)
async def test_control_characters_anywhere_in_content_are_refused(editor: Api, place: tuple, field: str) -> None:
    """PostgreSQL refuses NUL inside JSON; every text of a module stops it at validation."""
    module = copy.deepcopy(NEW_MODULE)
    *parents, last = place
    target = module
    for step in parents:
        target = target[step]
    target[last] = "text\x00with a NUL"
    body = problem(await editor.post("/api/v1/modules", json=module), 400)
    assert body["errors"][0]["field"].startswith(field)
    not_found(await editor.get(f"/api/v1/modules/{module['key']}"), f"no requirement module {module['key']}")


async def test_text_parameter_values_refuse_control_characters(editor: Api) -> None:
    module = copy.deepcopy(NEW_MODULE)
    module["content"]["parameters"].append({"name": "note", "type": "text", "label": {"en": "Note"}, "default": "line\nbreak", "required": False})
    body = problem(await editor.post("/api/v1/modules", json=module), 422)
    assert body["errors"] == [{"field": "content.parameters.note", "message": "default must be one line without control characters"}]


async def test_texts_in_at_most_twelve_languages(editor: Api) -> None:
    languages = ["en", "nb", "nn", "sv", "da", "fi", "is", "fo", "kl", "sme", "smj", "sma", "de"]
    module = copy.deepcopy(NEW_MODULE)
    module["content"]["statement"] = {lang: "Location shall be off for {days} days." for lang in languages}
    assert problem(await editor.post("/api/v1/modules", json=module), 400)["errors"][0]["field"] == "content.statement"
    module["content"]["statement"] = {lang: "Location shall be off for {days} days." for lang in languages[:12]}
    created = await editor.post("/api/v1/modules", json=module)
    assert created.status_code == 201, created.text
    found = (await editor.get("/api/v1/modules", params={"language": "sma", "status": "draft"})).json()["items"]
    assert [m["key"] for m in found] == [module["key"]]


async def test_a_new_module_keeps_the_jurisdictions_and_review_date_it_was_created_with(editor: Api) -> None:
    reviewed = (date.today() - timedelta(days=10)).isoformat()
    created = await editor.post("/api/v1/modules", json=NEW_MODULE | {"jurisdictions": ["NO", "SE"], "last_reviewed": reviewed})
    assert created.status_code == 201, created.text
    module = (await editor.get("/api/v1/modules/CONSENT-TEST-MODULE")).json()
    assert (module["jurisdictions"], module["last_reviewed"], module["current"], module["draft_version"]) == (["NO", "SE"], reviewed, None, 1)
