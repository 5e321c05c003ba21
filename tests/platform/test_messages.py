"""Messages speak to people: what to do next, and what is expected, in words."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import msgspec
import pytest

from registry.app import create_app
from registry.requirements.templates import CATALOGUE_FILE, TemplateError, load_library
from registry.schemas import PATTERNS, in_words
from registry.settings import PROJECT_ROOT, Settings, SettingsError
from tests.evidence_world import STUDY
from tests.support import Api, problem
from tests.tender_world import World, act, build_world, create, spec

LIBRARY = PROJECT_ROOT / "requirement_templates"


@pytest.mark.starter_library
async def test_publishing_a_draft_with_invitations_says_to_open_it_first(admin: Api) -> None:
    world: World = await build_world(admin)
    tender = await create(world.coordinator)
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [world.members[0]["id"]]})
    refused = problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": tender["etag"]}), 422)
    message = next(e["message"] for e in refused["errors"] if e["field"] == "participants")
    assert "must first be opened for participants" in message and world.members[0]["name"] in message

    opened = await act(world.coordinator, tender, "POST", "/open-for-participants")
    refused = problem(await world.coordinator.post(f"/api/v1/tenders/{tender['id']}/publish", headers={"If-Match": opened["etag"]}), 422)
    assert f"waiting for answers from {world.members[0]['name']}" in [e["message"] for e in refused["errors"]]


UNKNOWN = "00000000-0000-4000-8000-000000000000"
BAD_INPUTS = [
    ("POST", f"/api/v1/products/{UNKNOWN}/evidence", {"json": STUDY | {"publication": "see our website"}},
     "publication", "a DOI such as 10.1234/abc"),
    ("POST", f"/api/v1/products/{UNKNOWN}/evidence", {"json": STUDY, "headers": {"Idempotency-Key": "two words"}},
     "header.idempotency_key", "printable ASCII"),
    ("POST", f"/api/v1/products/{UNKNOWN}/evidence-fit", {"json": {"modules": [{"key": "sec-x", "version": 1}]}},
     "modules[0].key", "a module key such as"),
    ("POST", "/api/v1/organizations", {"json": {"kind": "authority", "name": "Two\nlines", "country": "NO"}}, "name", "a single line of text"),
    ("POST", "/api/v1/organizations", {"json": {"kind": "authority", "name": "x" * 201, "country": "NO"}}, "name", "at most 200 characters"),
    ("POST", f"/api/v1/organizations/{UNKNOWN}/users", {"json": {"name": "Kari", "email": "kari at oslo", "roles": []}}, "email", "an email address"),
    ("POST", f"/api/v1/users/{UNKNOWN}/tokens", {"json": {"name": "tab\there"}}, "name", "a single line of text"),
    ("POST", "/api/v1/modules", {"json": {"key": "SEC-X", "category": "security", "tags": ["Two Words"]}},
     "tags[0]", "lower-case letters, digits and hyphens"),
    ("POST", "/api/v1/tenders", {"json": spec() | {"contact_point": {"name": "Team", "email": "t@x.example", "phone": "call us"}}},
     "contact_point.phone", "a phone number"),
    ("GET", "/api/v1/modules/sec-lower-case", {}, "path.key", "a module key such as"),
    ("GET", "/api/v1/modules?language=NORSK", {}, "query.language", "a language code"),
    ("GET", "/api/v1/modules?tag=a%00b", {}, "query.tag", "without control characters"),
    ("GET", "/api/v1/organizations?limit=0", {}, "query.limit", "a whole number of at least 1"),
    ("GET", "/api/v1/organizations?limit=1000", {}, "query.limit", "a whole number of at most 200"),
]


@pytest.mark.parametrize(("method", "path", "request_kwargs", "field", "expected"), BAD_INPUTS, ids=[f"{c[0]} {c[3]}" for c in BAD_INPUTS])
async def test_validation_says_what_is_expected_in_words(admin: Api, method: str, path: str, request_kwargs: dict, field: str, expected: str) -> None:
    body = problem(await admin.request(method, path, **request_kwargs), 400)
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert expected in messages.get(field, ""), messages
    for text in [body["detail"], *messages.values()]:
        assert "regex" not in text and "\\" not in text, text


def patterns_in(node: object) -> set[str]:
    """Every ``pattern`` in an OpenAPI document: of request bodies, parameters and responses."""
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    found = {p for child in children for p in patterns_in(child)}
    if isinstance(node, dict) and isinstance(node.get("pattern"), str):
        found.add(node["pattern"])
    return found


def test_every_pattern_of_the_api_has_a_meaning_in_words() -> None:
    documented = patterns_in(create_app(Settings(data_dir=Path("unused"), seed_library=False)).openapi_schema.to_schema())
    assert documented - PATTERNS.keys() == set(), "register these with registry.schemas.named_pattern"
    for pattern in documented | PATTERNS.keys():
        with pytest.raises(msgspec.ValidationError) as refused:
            msgspec.convert("\x00", Annotated[str, msgspec.Meta(pattern=pattern)])
        said = in_words(str(refused.value))
        assert said.startswith(f"expected {PATTERNS[pattern]}") and "regex" not in said and "\\" not in said


def test_settings_and_library_files_say_what_is_expected_in_words(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="REGISTRY_OCID_PREFIX: expected ocds- and six lower-case letters or digits"):
        Settings.from_env({"REGISTRY_OCID_PREFIX": "ocds-TOO-LONG"})
    shutil.copy(LIBRARY / CATALOGUE_FILE, tmp_path)
    (tmp_path / "security").mkdir()
    module = 'key = "SEC-X"\ncategory = "security"\nproduct_categories = []\ntags = ["Two Words"]\nversions = []\n'
    (tmp_path / "security" / "SEC-X.toml").write_text(module)
    with pytest.raises(TemplateError) as refused:
        load_library(tmp_path)
    assert "lower-case letters, digits and hyphens" in str(refused.value) and "regex" not in str(refused.value)
