"""A module's versions through the API, on a small library (the starter catalogue and one published
module): a new module is a draft only library editors see; a draft changes only with the ETag it was
read with; publication is final (the version never changes again, a new draft copies it); only a
published version is deprecated, naming another module as its replacement; tenders and evidence fit
pin published and deprecated versions only, and a tender is told of a newer published version."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from registry.app import create_app
from registry.requirements.models import ModuleVersion, RequirementModule
from registry.settings import Settings
from tests.evidence_world import PRODUCT, STUDY
from tests.exports.readback import open_docx, table_rows
from tests.library_world import NEW_MODULE, STARTER, library_of
from tests.support import ADMIN_TOKEN, Api, problem
from tests.tender_world import spec

KEY = NEW_MODULE["key"]
BASE = f"/api/v1/modules/{KEY}"
ALARM = "INTEROP-ALARM-PROTOCOL"
LANGS = ("en", "nb", "sv", "da")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The starter catalogue and the alarm protocol module (version 1, published) seeded at start."""
    library = library_of(tmp_path, f"interoperability/{ALARM}.toml")
    return Settings(data_dir=tmp_path, database_url=database_url, bootstrap_admin_token=ADMIN_TOKEN, library_dir=library, seed_library=True)


def complete(statement: str = "Location shall be off for at most {days} days.", **changes: Any) -> dict[str, Any]:
    """NEW_MODULE's content in every language, ready to publish."""
    content = copy.deepcopy(NEW_MODULE["content"]) | changes
    for field in ("title", "rationale", "statement"):
        content[field] = {lang: f"{field} {lang}" for lang in LANGS}
        content["statement"] = {lang: statement for lang in LANGS}
    return content


async def created(editor: Api, content: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await editor.post("/api/v1/modules", json=NEW_MODULE | {"content": content or complete()})
    assert response.status_code == 201, response.text
    return response.json() | {"etag": response.headers["etag"]}


async def published(editor: Api, number: int = 1) -> dict[str, Any]:
    response = await editor.post(f"{BASE}/versions/{number}/publish")
    assert response.status_code == 200, response.text
    return response.json() | {"etag": response.headers["etag"]}


async def keys(api: Api, **params: str) -> list[str]:
    return [m["key"] for m in (await api.get("/api/v1/modules", params=params)).json()["items"]]


async def listed_as_shown(api: Api, **params: str) -> list[dict[str, Any]]:
    """The list's items, each checked to be what the module's own page shows of it."""
    items = (await api.get("/api/v1/modules", params=params)).json()["items"]
    for item in items:
        module = (await api.get(f"/api/v1/modules/{item['key']}")).json()
        assert item == {field: module[field] for field in item} | ({"current": item["current"]} if params.get("status") == "draft" else {})
    return items


async def audit(admin: Api, by: Api | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The module's audit trail, oldest first; every event names the module and, when ``by`` is given, that user."""
    events = (await admin.get("/api/v1/audit", params={"entity_id": KEY})).json()["items"]
    assert all(e["entity_type"] == "requirement_module" for e in events)
    if by is not None:
        assert [e["actor_user_id"] for e in events] == [by.user["id"]] * len(events)  # type: ignore[attr-defined]
    return [(e["action"], e["details"]) for e in reversed(events)]


# --- the library files: the same text is the same version ------------------------------------------


async def test_a_library_file_with_its_languages_in_another_order_is_the_same_published_version(settings: Settings, admin: Api) -> None:
    path = settings.library_dir / f"interoperability/{ALARM}.toml"
    text = path.read_text()
    english = 'en = "Open alarm protocol between alarm unit and receiving centre"\n'
    assert english in text
    path.write_text(text.replace(english, "", 1).replace("[versions.rationale]", english + "\n[versions.rationale]", 1))
    async with AsyncTestClient(create_app(settings)) as again:
        imports = (await Api(again, ADMIN_TOKEN).get("/api/v1/audit", params={"entity_id": "library"})).json()["items"]
    assert [e["details"] for e in imports if e["action"] == "library.import"][0] == {
        "modules_created": 0, "versions_created": 0, "versions_updated": 0, "versions_unchanged": 1,
    }  # fmt: skip
    assert (await admin.get(f"/api/v1/modules/{ALARM}/versions/1")).json()["content"]["title"]["en"] == english[6:-2]


async def test_a_module_list_is_never_older_than_the_last_library_write(editor: Api, reader: Api, settings: Settings) -> None:
    """Lists are kept in memory by the library's revision: every kind of write moves it, in every process."""

    async def listed(api: Api, **params: str) -> tuple[dict[tuple[str, str], Any], str]:
        response = await api.get("/api/v1/modules", params=params)
        assert response.status_code == 200, response.text
        items = {(m["key"], field): m["current"][field] if field in m["current"] else m[field]
                 for m in response.json()["items"] for field in ("version", "status", "title", "draft_version")}  # fmt: skip
        return items, response.headers["etag"]

    before, etag = await listed(reader)
    assert (await reader.get("/api/v1/modules", headers={"If-None-Match": etag})).status_code == 304
    assert (await listed(reader))[1] == etag, "no write, the same list"

    draft = await created(editor)
    assert (await listed(editor, status="draft"))[0][(KEY, "title")] == complete()["title"]
    renamed = complete() | {"title": {lang: f"renamed {lang}" for lang in LANGS}}
    assert (await editor.put(f"{BASE}/versions/1", json=renamed, headers={"If-Match": draft["etag"]})).status_code == 200
    assert (await listed(editor, status="draft"))[0][(KEY, "title")] == renamed["title"]
    assert (await listed(reader))[0] == before, "a draft is not listed for readers"

    await published(editor)
    after, moved = await listed(reader)
    assert after[(KEY, "version")] == 1 and moved != etag
    assert (await reader.get("/api/v1/modules", headers={"If-None-Match": etag})).status_code == 200

    assert (await editor.post(f"{BASE}/versions")).status_code == 201
    assert (await listed(editor))[0][(KEY, "draft_version")] == 2
    assert (await editor.post(f"{BASE}/versions/1/deprecate", json={"replaced_by": ALARM})).status_code == 200
    assert (await listed(reader))[0] == before, "a deprecated version leaves the list of published ones"

    (settings.library_dir / "consent").mkdir()
    shutil.copy(STARTER / "consent/CONSENT-DECISION-RECORD.toml", settings.library_dir / "consent")
    async with AsyncTestClient(create_app(settings)):  # another process starts and imports the library
        pass
    assert ("CONSENT-DECISION-RECORD", "version") in (await listed(reader))[0], "this process sees the other's import"


# --- a new module: a draft for library editors only ----------------------------------------------------


async def test_a_new_module_is_a_draft_version_one_that_only_library_editors_see(editor: Api, reader: Api, admin: Api) -> None:
    version = await created(editor)
    assert (version["key"], version["version"], version["status"], version["revision"]) == (KEY, 1, "draft", 1)
    assert (version["published_at"], version["deprecated_at"], version["replaced_by"]) == (None, None, None)
    assert version["content"] == complete() and version["etag"] == f'"{KEY}.1.1"'

    assert problem(await reader.get(BASE), 404)["detail"] == f"no requirement module {KEY}"
    assert problem(await reader.get(f"{BASE}/versions/1"), 404)["detail"] == f"no version 1 of {KEY}"
    assert await keys(reader, status="draft") == [] and await keys(reader) == [ALARM]
    assert (await reader.get("/api/v1/modules", params={"status": "draft"})).json()["total"] == 0

    module = (await editor.get(BASE)).json()
    assert (module["category"], module["product_categories"], module["tags"], module["family"]) == ("consent", ["gps_alarm"], ["test"], None)
    assert module["references"] == NEW_MODULE["references"]
    assert (module["current"], module["draft_version"]) == (None, 1)
    assert [(v["version"], v["status"], v["kind"], v["level"], v["title"]) for v in module["versions"]] == [
        (1, "draft", "mandatory", "basic", complete()["title"])
    ]
    assert (await editor.get(f"{BASE}/versions/1")).json()["status"] == "draft"
    drafts = (await editor.get("/api/v1/modules", params={"status": "draft"})).json()["items"]
    assert [(m["key"], m["draft_version"], m["current"]["version"], m["current"]["status"]) for m in drafts] == [(KEY, 1, 1, "draft")]
    assert await keys(editor) == [ALARM], "lists show published versions unless asked for drafts"
    assert await audit(admin, editor) == [("module.create", {})]


async def test_the_published_library_is_open_without_a_token_and_its_drafts_are_not(editor: Api, client: AsyncTestClient) -> None:
    await created(editor)
    anonymous = Api(client, None)
    assert await keys(anonymous) == [ALARM] and await keys(anonymous, status="draft") == []
    assert problem(await anonymous.get(BASE), 404)["detail"] == f"no requirement module {KEY}"
    assert problem(await anonymous.get(f"{BASE}/versions/1"), 404)["detail"] == f"no version 1 of {KEY}"
    assert problem(await anonymous.get(f"{BASE}/diff", params={"from": 1, "to": 1}), 404)["detail"] == f"no version 1 of {KEY}"
    alarm = (await anonymous.get(f"/api/v1/modules/{ALARM}")).json()
    assert (alarm["current"]["version"], alarm["current"]["status"], alarm["draft_version"]) == (1, "published", None)
    version = await anonymous.get(f"/api/v1/modules/{ALARM}/versions/1")
    assert version.json()["status"] == "published"
    again = await anonymous.get(f"/api/v1/modules/{ALARM}/versions/1", headers={"If-None-Match": version.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    assert "consent" in [c["key"] for c in (await anonymous.get("/api/v1/catalogue")).json()["categories"]]
    assert problem(await anonymous.post(f"/api/v1/modules/{ALARM}/versions/1/render", json={"language": "en"}), 401)
    assert problem(await anonymous.post("/api/v1/modules", json=NEW_MODULE), 401)


async def test_a_new_module_may_start_in_english_alone_and_the_catalogue_keeps_the_order_of_its_file(editor: Api, reader: Api) -> None:
    english = await editor.post("/api/v1/modules", json=NEW_MODULE)
    assert english.status_code == 201 and english.json()["content"] == NEW_MODULE["content"]
    catalogue = (await reader.get("/api/v1/catalogue")).json()
    assert [d["key"] for d in catalogue["study_designs"]][:3] == ["systematic_review", "randomized_controlled_trial", "controlled_study"]
    assert "consent" in [c["key"] for c in catalogue["categories"]] and "gps_alarm" in [c["key"] for c in catalogue["product_categories"]]
    assert {"outcome_domains", "document_types"} <= catalogue.keys() and "study" in [d["key"] for d in catalogue["document_types"]]


async def test_a_module_with_unknown_categories_is_refused_naming_each_field(editor: Api) -> None:
    body = NEW_MODULE | {"category": "astrology", "product_categories": ["gps_alarm", "jetpack"]}
    body["content"] = complete(statement="For {weeks} weeks.")
    refused = problem(await editor.post("/api/v1/modules", json=body), 422)
    assert refused["detail"] == "the module is not valid"
    assert refused["errors"] == [
        {"field": "category", "message": "unknown category 'astrology'; see GET /api/v1/catalogue"},
        {"field": "product_categories[1]", "message": "unknown product category 'jetpack'"},
        {"field": "content.statement.da", "message": "uses undeclared parameter {weeks}"},
        {"field": "content.statement.en", "message": "uses undeclared parameter {weeks}"},
        {"field": "content.statement.nb", "message": "uses undeclared parameter {weeks}"},
        {"field": "content.statement.sv", "message": "uses undeclared parameter {weeks}"},
    ]
    problem(await editor.get(f"/api/v1/modules/{KEY}"), 404)


async def test_a_module_keeps_its_family_and_a_language_whose_statement_is_empty_is_not_one_it_speaks(editor: Api) -> None:
    content = complete()
    content["statement"]["da"] = ""
    body = NEW_MODULE | {"family": "CONSENT-LOCATION", "content": content}
    assert (await editor.post("/api/v1/modules", json=body)).status_code == 201
    assert (await editor.get(BASE)).json()["family"] == "CONSENT-LOCATION"
    [listed] = await listed_as_shown(editor, status="draft")
    assert (listed["family"], listed["current"]["title"], listed["current"]["published_at"]) == ("CONSENT-LOCATION", content["title"], None)
    assert await keys(editor, status="draft", language="sv") == [KEY]
    assert await keys(editor, status="draft", language="da") == []


async def test_a_version_is_read_with_its_revisions_etag_and_unknown_ones_are_not_found(editor: Api, reader: Api) -> None:
    await created(editor)
    draft = await editor.get(f"{BASE}/versions/1")
    assert draft.status_code == 200 and draft.headers["etag"] == f'"{KEY}.1.1"' and draft.json()["revision"] == 1
    assert (await editor.get(f"{BASE}/versions/1", headers={"If-None-Match": f'"{KEY}.1.1"'})).status_code == 304
    assert problem(await reader.get(f"{BASE}/versions/1"), 404)["detail"] == f"no version 1 of {KEY}"
    assert problem(await editor.get(f"{BASE}/versions/9"), 404)["detail"] == f"no version 9 of {KEY}"
    assert problem(await editor.get("/api/v1/modules/NO-SUCH-MODULE/versions/1"), 404)["detail"] == "no requirement module NO-SUCH-MODULE"
    await published(editor)
    shown = await reader.get(f"{BASE}/versions/1")
    assert shown.headers["etag"] == f'"{KEY}.1.2"' and (shown.json()["status"], shown.json()["revision"]) == ("published", 2)
    assert (await reader.get(f"{BASE}/versions/1", headers={"If-None-Match": f'"{KEY}.1.1"'})).status_code == 200, "an older ETag is stale"


async def test_a_taken_key_is_a_conflict_and_the_first_module_stays(editor: Api) -> None:
    await created(editor)
    other = NEW_MODULE | {"category": "interoperability", "content": complete(title={"en": "Another"})}
    assert problem(await editor.post("/api/v1/modules", json=other), 409)["detail"] == f"a module with key {KEY} already exists"
    assert (await editor.get(BASE)).json()["category"] == "consent"


# --- a draft changes only with the ETag it was read with ----------------------------------------------


async def test_a_draft_changes_with_its_etag_or_a_star_and_each_change_is_a_new_revision(editor: Api, admin: Api) -> None:
    version = await created(editor)
    longer = complete("Location shall be off for at most {days} calendar days.")
    missing = problem(await editor.put(f"{BASE}/versions/1", json=longer), 428)
    assert missing["detail"] == "send If-Match with the ETag of the version you edited"
    stale = problem(await editor.put(f"{BASE}/versions/1", json=longer, headers={"If-Match": f'"{KEY}.1.0"'}), 412)
    assert stale["current_etag"] == version["etag"] and stale["detail"].endswith(f"current ETag is {version['etag']}")

    changed = await editor.put(f"{BASE}/versions/1", json=longer, headers={"If-Match": version["etag"]})
    assert changed.status_code == 200 and changed.json()["revision"] == 2 and changed.headers["etag"] == f'"{KEY}.1.2"'
    assert (await editor.get(f"{BASE}/versions/1")).json()["content"]["statement"]["en"].endswith("calendar days.")
    problem(await editor.put(f"{BASE}/versions/1", json=complete(), headers={"If-Match": version["etag"]}), 412)

    padded = await editor.put(f"{BASE}/versions/1", json=longer, headers={"If-Match": f"  {changed.headers['etag']} "})
    assert padded.status_code == 200 and padded.json()["revision"] == 3, "spaces around the ETag are no change"
    anyway = await editor.put(f"{BASE}/versions/1", json=complete(level="advanced"), headers={"If-Match": "*"})
    assert anyway.status_code == 200 and anyway.json()["revision"] == 4
    assert (await editor.get(BASE)).json()["versions"][0]["level"] == "advanced"
    assert await keys(editor, status="draft", level="advanced") == [KEY]
    assert await audit(admin, editor) == [
        ("module.create", {}),
        ("module.version.update", {"version": 1, "revision": 2}),
        ("module.version.update", {"version": 1, "revision": 3}),
        ("module.version.update", {"version": 1, "revision": 4}),
    ]


async def test_bad_draft_content_is_refused_on_its_content_field_and_the_draft_stays(editor: Api) -> None:
    version = await created(editor)
    bad = complete("For {weeks} weeks.")
    body = problem(await editor.put(f"{BASE}/versions/1", json=bad, headers={"If-Match": version["etag"]}), 422)
    assert body["detail"] == "the content is not valid"
    assert body["errors"][0] == {"field": "content.statement.da", "message": "uses undeclared parameter {weeks}"}
    current = await editor.get(f"{BASE}/versions/1")
    assert current.json()["revision"] == 1 and current.json()["content"] == complete()


async def test_a_draft_is_saved_in_english_alone_and_its_evidence_rule_is_checked_against_the_catalogue(editor: Api) -> None:
    version = await created(editor)
    english = copy.deepcopy(NEW_MODULE["content"]) | {"evidence_rule": {"evidence_types": ["study"], "min_study_design": "anecdote"}}
    body = problem(await editor.put(f"{BASE}/versions/1", json=english, headers={"If-Match": version["etag"]}), 422)
    assert body["errors"] == [{"field": "content.evidence_rule.min_study_design", "message": "unknown study design 'anecdote'"}]
    english["evidence_rule"]["min_study_design"] = "controlled_study"
    saved = await editor.put(f"{BASE}/versions/1", json=english, headers={"If-Match": version["etag"]})
    assert saved.status_code == 200, "every language is needed for publication, not for a draft"
    assert (await editor.get(f"{BASE}/versions/1")).json()["content"] == english


async def test_editing_or_publishing_a_version_that_does_not_exist_is_not_found(editor: Api) -> None:
    await created(editor)
    assert problem(await editor.put(f"{BASE}/versions/2", json=complete(), headers={"If-Match": "*"}), 404)["detail"] == f"no version 2 of {KEY}"
    problem(await editor.post(f"{BASE}/versions/2/publish"), 404)
    problem(await editor.post("/api/v1/modules/NO-SUCH-MODULE/versions"), 404)


# --- publication is final -----------------------------------------------------------------------------


async def test_a_draft_missing_a_language_is_not_ready_to_publish(editor: Api) -> None:
    content = complete()
    del content["rationale"]["da"]
    await created(editor, content)
    body = problem(await editor.post(f"{BASE}/versions/1/publish"), 422)
    assert body["detail"] == f"{KEY} version 1 is not ready to publish"
    assert body["errors"] == [{"field": "content.rationale", "message": "missing languages da"}]
    assert (await editor.get(f"{BASE}/versions/1")).json()["status"] == "draft"


async def test_publication_checks_the_etag_when_one_is_sent(editor: Api) -> None:
    version = await created(editor)
    stale = problem(await editor.post(f"{BASE}/versions/1/publish", headers={"If-Match": f'"{KEY}.1.9"'}), 412)
    assert stale["current_etag"] == version["etag"]
    done = await editor.post(f"{BASE}/versions/1/publish", headers={"If-Match": version["etag"]})
    assert done.status_code == 200 and done.json()["status"] == "published"


async def test_a_published_version_is_shown_to_everyone_and_never_changes_again(editor: Api, reader: Api, admin: Api) -> None:
    version = await created(editor)
    done = await published(editor)
    assert (done["status"], done["revision"], done["etag"]) == ("published", 2, f'"{KEY}.1.2"')
    assert done["published_at"] is not None and done["deprecated_at"] is None

    module = (await reader.get(BASE)).json()
    assert (module["current"]["version"], module["current"]["status"], module["draft_version"]) == (1, "published", None)
    assert module["current"]["published_at"] == done["published_at"]
    assert (await editor.get(BASE)).json()["draft_version"] is None
    assert await keys(reader) == [KEY, ALARM] and await keys(editor, status="draft") == []

    final = f"{KEY} version 1 is published and can never change; start a new version"
    assert problem(await editor.put(f"{BASE}/versions/1", json=complete(), headers={"If-Match": done["etag"]}), 409)["detail"] == final
    assert problem(await editor.put(f"{BASE}/versions/1", json=complete()), 409)["detail"] == final, "final before any ETag is asked for"
    assert problem(await editor.post(f"{BASE}/versions/1/publish"), 409)["detail"] == final
    assert problem(await editor.post(f"{BASE}/versions/1/publish", headers={"If-Match": version["etag"]}), 409)["detail"] == final
    assert (await reader.get(f"{BASE}/versions/1")).json() == {k: v for k, v in done.items() if k != "etag"}
    assert [a for a, _ in await audit(admin, editor)] == ["module.create", "module.version.publish"]
    assert (await audit(admin))[1][1] == {"version": 1}


async def test_a_new_draft_copies_the_latest_version_and_its_publication_becomes_current(editor: Api, reader: Api, admin: Api) -> None:
    await created(editor)
    await published(editor)
    draft = await editor.post(f"{BASE}/versions")
    assert draft.status_code == 201
    assert (draft.json()["version"], draft.json()["status"], draft.json()["revision"]) == (2, "draft", 1)
    assert draft.json()["content"] == complete() and draft.headers["etag"] == f'"{KEY}.2.1"'
    again = problem(await editor.post(f"{BASE}/versions"), 409)
    assert again["detail"] == f"{KEY} already has a draft (version 2); edit that one"
    assert problem(await reader.get(f"{BASE}/versions/2"), 404)["detail"] == f"no version 2 of {KEY}"
    assert [v["version"] for v in (await reader.get(BASE)).json()["versions"]] == [1]
    assert (await reader.get(BASE)).json()["draft_version"] is None and (await editor.get(BASE)).json()["draft_version"] == 2
    assert [m["draft_version"] for m in await listed_as_shown(reader) if m["key"] == KEY] == [None]
    assert [m["draft_version"] for m in await listed_as_shown(editor) if m["key"] == KEY] == [2]

    award = complete(kind="award", scoring_guidance={lang: "Points" for lang in LANGS})
    await editor.put(f"{BASE}/versions/2", json=award, headers={"If-Match": draft.headers["etag"]})
    second = await published(editor, 2)
    module = (await reader.get(BASE)).json()
    assert (module["current"]["version"], module["current"]["kind"]) == (2, "award")
    assert [(v["version"], v["status"]) for v in module["versions"]] == [(1, "published"), (2, "published")]
    assert await keys(reader, kind="award") == [KEY] and await keys(reader) == [KEY, ALARM], "a module is listed once, by its current version"

    third = (await editor.post(f"{BASE}/versions")).json()
    assert third["version"] == 3 and third["content"] == second["content"], "the copy is of the newest version"
    assert ("module.version.create", {"version": 3}) in await audit(admin, editor)


async def test_the_difference_between_versions_is_named_per_field_language_and_parameter(editor: Api, reader: Api) -> None:
    await created(editor)
    await published(editor)
    draft = await editor.post(f"{BASE}/versions")
    content = complete(kind="award", scoring_guidance={"en": "Points"})
    content["statement"]["sv"] = "Högst {days} kalenderdagar."
    content["parameters"][0]["max"] = 90
    await editor.put(f"{BASE}/versions/2", json=content, headers={"If-Match": draft.headers["etag"]})
    diff = (await editor.get(f"{BASE}/diff", params={"from": 1, "to": 2})).json()
    assert (diff["key"], diff["from_version"], diff["to_version"]) == (KEY, 1, 2)
    days = NEW_MODULE["content"]["parameters"][0]
    assert diff["changes"] == [
        {"field": "kind", "before": "mandatory", "after": "award"},
        {"field": "parameters.days", "before": days, "after": days | {"max": 90}},
        {"field": "scoring_guidance.en", "before": None, "after": "Points"},
        {"field": "statement.sv", "before": complete()["statement"]["sv"], "after": "Högst {days} kalenderdagar."},
    ]
    assert problem(await reader.get(f"{BASE}/diff", params={"from": 1, "to": 2}), 404)["detail"] == f"no version 2 of {KEY}"
    assert problem(await reader.get(f"{BASE}/diff", params={"from": 2, "to": 1}), 404)["detail"] == f"no version 2 of {KEY}"
    assert [c["field"] for c in (await editor.get(f"{BASE}/diff", params={"from": 2, "to": 1})).json()["changes"]][:1] == ["kind"]


async def test_rendering_a_version_fills_its_values_or_names_what_is_wrong(editor: Api, reader: Api) -> None:
    await created(editor)
    assert problem(await reader.post(f"{BASE}/versions/1/render", json={}), 404)["detail"] == f"no version 1 of {KEY}", (
        "a draft renders for editors only"
    )
    assert (await editor.post(f"{BASE}/versions/1/render", json={})).json()["statement"] == "Location shall be off for at most 30 days."
    await published(editor)
    rendered = (await reader.post(f"{BASE}/versions/1/render", json={"language": "sv", "parameters": {"days": 14}})).json()
    assert rendered == {
        "key": KEY, "version": 1, "language": "sv", "title": "title sv",
        "statement": "Location shall be off for at most 14 days.", "values": {"days": 14}, "fallbacks": [],
    }  # fmt: skip
    body = problem(await reader.post(f"{BASE}/versions/1/render", json={"parameters": {"days": 366}}), 422)
    assert body["detail"] == f"cannot render {KEY} version 1"
    assert body["errors"] == [{"field": "parameters.days", "message": "must be at most 365"}]


# --- deprecation --------------------------------------------------------------------------------------


async def test_only_a_published_version_is_deprecated_and_its_replacement_must_be_another_module(editor: Api, reader: Api, admin: Api) -> None:
    await created(editor)
    body = problem(await editor.post(f"{BASE}/versions/1/deprecate", json={}), 409)
    assert body["detail"] == "only a published version can be deprecated; version 1 is draft"
    await published(editor)
    for replacement in (KEY, "NO-SUCH-MODULE"):
        body = problem(await editor.post(f"{BASE}/versions/1/deprecate", json={"replaced_by": replacement}), 422)
        assert body["detail"] == "unknown replacement"
        assert body["errors"] == [{"field": "replaced_by", "message": f"no other module {replacement}"}]
    assert (await reader.get(f"{BASE}/versions/1")).json()["status"] == "published"

    deprecated = await editor.post(f"{BASE}/versions/1/deprecate", json={"replaced_by": ALARM})
    assert deprecated.status_code == 200
    version = (await reader.get(f"{BASE}/versions/1")).json()
    assert (version["status"], version["replaced_by"], version["revision"]) == ("deprecated", ALARM, 3)
    assert version["deprecated_at"] is not None and version["published_at"] is not None
    module = (await reader.get(BASE)).json()
    assert (module["current"]["status"], module["current"]["replaced_by"]) == ("deprecated", ALARM)
    assert (module["current"]["deprecated_at"], module["current"]["published_at"]) == (version["deprecated_at"], version["published_at"])
    assert await keys(reader) == [ALARM] and await keys(reader, status="deprecated") == [KEY]
    [listed] = await listed_as_shown(reader, status="deprecated")
    assert (listed["current"]["replaced_by"], listed["current"]["deprecated_at"]) == (ALARM, version["deprecated_at"])
    again = problem(await editor.post(f"{BASE}/versions/1/deprecate", json={}), 409)
    assert again["detail"] == "only a published version can be deprecated; version 1 is deprecated"
    assert (await audit(admin, editor))[-1] == ("module.version.deprecate", {"version": 1, "replaced_by": ALARM})


async def test_a_version_is_deprecated_without_naming_a_replacement(editor: Api, reader: Api) -> None:
    await created(editor)
    await published(editor)
    deprecated = (await editor.post(f"{BASE}/versions/1/deprecate", json={})).json()
    assert (deprecated["status"], deprecated["replaced_by"]) == ("deprecated", None) and deprecated["deprecated_at"]


# --- filters ------------------------------------------------------------------------------------------


async def test_unknown_category_and_product_category_filters_are_named_together(reader: Api) -> None:
    body = problem(await reader.get("/api/v1/modules", params={"category": "astrology", "product_category": "jetpack"}), 422)
    assert body["detail"] == "unknown filter value"
    assert body["errors"] == [
        {"field": "category", "message": "unknown category 'astrology'"},
        {"field": "product_category", "message": "unknown product category 'jetpack'"},
    ]
    body = problem(await reader.get("/api/v1/modules", params={"product_category": "jetpack"}), 422)
    assert [e["field"] for e in body["errors"]] == ["product_category"]


async def test_filters_find_a_published_module_by_each_of_its_terms(editor: Api, reader: Api) -> None:
    body = NEW_MODULE | {
        "content": complete(),
        "references": [{"kind": "standard", "identifier": "EN 50134-7", "title": "Social alarm systems - Part 7: Application guidelines"}],
    }
    assert (await editor.post("/api/v1/modules", json=body)).status_code == 201
    await published(editor)
    assert await keys(reader, category="consent") == [KEY] and await keys(reader, category="interoperability") == [ALARM]
    assert await keys(reader, product_category="gps_alarm") == [KEY, ALARM] and await keys(reader, product_category="digital_social_alarm") == [ALARM]
    assert await keys(reader, tag="test") == [KEY] and await keys(reader, tag="tes") == []
    assert await keys(reader, tag="gps_alarm") == [] and await keys(reader, standard="gps_alarm") == [], "a product category is no tag or standard"
    assert await keys(reader, standard="en 50134") == [KEY] and await keys(reader, standard="50134%") == []
    assert await keys(reader, kind="mandatory") == [KEY, ALARM] and await keys(reader, kind="award") == []
    assert await keys(reader, level="basic") == [KEY, ALARM] and await keys(reader, level="advanced") == []
    assert await keys(reader, language="da") == [KEY, ALARM] and await keys(reader, language="fi") == []
    assert await keys(reader, q="rationale nb") == [KEY] and await keys(reader, q="rationale_nb") == []
    assert await keys(reader, q="application guidelines") == [KEY] and await keys(reader, q="consent-test") == [KEY], "by reference and by key"
    logging = NEW_MODULE | {"key": "SEC-TEST-LOGGING", "category": "information_security", "content": complete()}
    assert (await editor.post("/api/v1/modules", json=logging)).status_code == 201
    assert (await editor.post("/api/v1/modules/SEC-TEST-LOGGING/versions/1/publish")).status_code == 200
    assert await keys(reader) == [KEY, "SEC-TEST-LOGGING", ALARM], "by category, then by key"


# --- what tenders and evidence may pin ----------------------------------------------------------------


def one_lot(version: int = 1, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    body = spec()
    body["lots"] = [
        {
            "title": "GPS alarms",
            "product_categories": ["gps_alarm"],
            "price_weight": 100,
            "quality_weight": 0,
            "selections": [{"module_key": KEY, "module_version": version, "parameters": parameters or {}}],
        }
    ]
    return body


async def test_a_tender_pins_published_versions_never_drafts_and_names_the_replacement_of_a_deprecated_one(editor: Api, reader: Api) -> None:
    await created(editor)
    body = problem(await reader.post("/api/v1/tenders", json=one_lot()), 422)
    assert body["errors"] == [
        {"field": "lots[0].selections[0].module_version", "message": f"{KEY} has no published version 1", "where": "lot 1, selection 1"}
    ]
    await published(editor)
    tender = await reader.post("/api/v1/tenders", json=one_lot(parameters={"days": 10}))
    assert tender.status_code == 201, tender.text
    assert tender.json()["lots"][0]["selections"][0]["module_version"] == 1

    draft = await editor.post(f"{BASE}/versions")
    body = problem(await reader.post("/api/v1/tenders", json=one_lot(2) | {"reference": "VTF-2027-02"}), 422)
    assert body["errors"][0]["message"] == f"{KEY} has no published version 2"

    await editor.put(f"{BASE}/versions/2", json=complete(), headers={"If-Match": draft.headers["etag"]})
    await editor.post(f"{BASE}/versions/1/deprecate", json={"replaced_by": ALARM})
    body = problem(await reader.post("/api/v1/tenders", json=one_lot() | {"reference": "VTF-2027-03"}), 422)
    assert body["errors"] == [
        {"field": "lots[0].selections[0].module_version", "message": f"{KEY} version 1 is deprecated; use {ALARM}", "where": "lot 1, selection 1"}
    ]


async def test_a_tender_is_told_of_a_newer_published_version_but_not_of_a_draft_or_a_deprecated_one(editor: Api, reader: Api) -> None:
    await created(editor)
    await published(editor)
    body = one_lot(parameters={"days": 10})
    body["lots"][0]["selections"].append({"module_key": ALARM, "module_version": 1, "parameters": {"delivery_seconds": 20}})
    tender = (await reader.post("/api/v1/tenders", json=body)).json()
    path = f"/api/v1/tenders/{tender['id']}"

    async def newer() -> list[int | None]:
        return [s["newer_version"] for s in (await reader.get(path)).json()["lots"][0]["selections"]]

    draft = await editor.post(f"{BASE}/versions")
    assert await newer() == [None, None], "a draft is no newer version"
    await editor.put(f"{BASE}/versions/2", json=complete(), headers={"If-Match": draft.headers["etag"]})
    await published(editor, 2)
    assert await newer() == [2, None]
    alarm = await editor.post(f"/api/v1/modules/{ALARM}/versions")
    assert (await editor.post(f"/api/v1/modules/{ALARM}/versions/2/publish", headers={"If-Match": alarm.headers["etag"]})).status_code == 200
    assert await newer() == [2, 2], "each module's newest version"
    await editor.post(f"{BASE}/versions/2/deprecate", json={})
    assert await newer() == [None, 2], "a deprecated version is no newer version"


async def test_a_tenders_documents_take_the_pinned_versions_category_and_references(editor: Api, reader: Api) -> None:
    await created(editor)
    await published(editor)
    tender = (await reader.post("/api/v1/tenders", json=one_lot(parameters={"days": 10}))).json()
    response = await reader.get(f"/api/v1/tenders/{tender['id']}/exports/docx")
    assert response.status_code == 200, response.text
    document = open_docx(response.content)
    text = "\n".join([p.text for p in document.paragraphs] + ["\t".join(row) for row in table_rows(document)])
    assert "Samtykke og rettslig grunnlag" in text, "the requirements are grouped under the module's category"
    assert "GDPR Art. 25" in text and "Data protection by design and by default" in text, "the module's references are listed"


async def test_evidence_fit_judges_published_versions_only(editor: Api, admin: Api) -> None:
    supplier_org = await admin.create_org("supplier")
    supplier = await admin.create_user(supplier_org["id"], "supplier_editor")
    product = (await supplier.post("/api/v1/products", json=PRODUCT | {"categories": ["gps_alarm"]})).json()
    await created(editor, complete(evidence_rule={"evidence_types": ["study"]}))
    path = f"/api/v1/products/{product['id']}/evidence-fit"
    body = problem(await supplier.post(path, json={"modules": [{"key": KEY, "version": 1}]}), 422)
    assert body["errors"] == [{"field": "modules[0]", "message": f"no version 1 of requirement module {KEY}"}]
    await published(editor)
    fit = await supplier.post(path, json={"modules": [{"key": KEY, "version": 1}]})
    assert fit.status_code == 200, fit.text
    assert [(m["key"], m["version"], m["met"]) for m in fit.json()["modules"]] == [(KEY, 1, False)]


async def test_evidence_claims_modules_its_supplier_can_find_in_the_library(editor: Api, admin: Api) -> None:
    supplier_org = await admin.create_org("supplier")
    supplier = await admin.create_user(supplier_org["id"], "supplier_editor")
    product = (await supplier.post("/api/v1/products", json=PRODUCT)).json()
    await created(editor)
    claim = STUDY | {"module_keys": [ALARM, KEY]}
    body = problem(await supplier.post(f"/api/v1/products/{product['id']}/evidence", json=claim), 422)
    assert body["errors"] == [{"field": "module_keys[1]", "message": f"no requirement module {KEY} in the library"}]
    on_behalf = await admin.post(f"/api/v1/products/{product['id']}/evidence", json=claim)
    assert on_behalf.status_code == 201, "an admin, who sees drafts as library editors do, may name the draft module"
    await published(editor)
    accepted = await supplier.post(f"/api/v1/products/{product['id']}/evidence", json=claim)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["module_keys"] == [ALARM, KEY]


async def test_the_decoded_contents_kept_are_the_most_recently_used(database_url: str, editor: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.db.transactions import Database
    from registry.requirements import service

    await created(editor)
    await published(editor)
    draft = await editor.post(f"{BASE}/versions")
    award = complete(kind="award", scoring_guidance=dict.fromkeys(LANGS, "Points"))
    await editor.put(f"{BASE}/versions/2", json=award, headers={"If-Match": draft.headers["etag"]})
    await published(editor, 2)
    monkeypatch.setattr(service, "DECODED_KEPT", 2)
    database = Database(database_url)
    try:
        async with database.reads() as session:
            service._decoded.clear()
            decoded = {}
            for pair in ((ALARM, 1), (KEY, 1), (ALARM, 1), (KEY, 2)):  # the alarm protocol used again before version 2 comes
                decoded[pair] = (await service.pinned_contents(session, {pair}))[pair]
            assert list(service._decoded.values()) == [decoded[ALARM, 1], decoded[KEY, 2]], "two kept: the least recently used went"
    finally:
        await database.dispose()


async def test_a_pinned_versions_content_is_decoded_once_per_process_and_read_again_once_forgotten(database_url: str, editor: Api) -> None:
    from registry.db.transactions import Database
    from registry.requirements import service

    database = Database(database_url)
    try:
        async with database.reads() as session:
            service._decoded.clear()
            first = (await service.pinned_contents(session, {(ALARM, 1)}))[(ALARM, 1)]
            assert first.title["en"] and (await service.pinned(session, {(ALARM, 1)}))[(ALARM, 1)].content is first, "decoded once"
            service._decoded.clear()
            again = (await service.pinned(session, {(ALARM, 1)}))[(ALARM, 1)].content
            assert again == first and again is not first, "forgotten, it is read and decoded again"
            assert (await service.pinned_contents(session, {(ALARM, 1), ("NO-SUCH-MODULE", 1)})) == {(ALARM, 1): again}
            service._decoded.clear()
            row = await session.scalar(
                select(ModuleVersion).join(RequirementModule).where(RequirementModule.key == ALARM, ModuleVersion.version == 1)
            )
            read = service.decode_content(row)
            pinned = (await service.pinned_contents(session, {(ALARM, 1)}))[(ALARM, 1)]
            assert service.decode_content(row) is read and pinned is read, "a version read as a row is decoded once, and kept for its pins"
    finally:
        await database.dispose()
