"""Hostile request bodies are 4xx problems that store nothing, and whatever the API accepts exports."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from registry.bodies import MAX_JSON_DEPTH, json_depth
from tests.evidence_world import PRODUCT, STUDY
from tests.exports.readback import ocds_errors, open_docx, open_xlsx
from tests.library_world import NEW_MODULE
from tests.support import Api, not_found, problem
from tests.tender_world import World, spec

pytestmark = pytest.mark.starter_library
BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
_references = itertools.count(1)


def nested(shape: str, depth: int) -> bytes:
    if shape == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


async def audit_total(admin: Api) -> int:
    return (await admin.get("/api/v1/audit", params={"limit": 1})).json()["total"]


async def tender_total(api: Api) -> int:
    return (await api.get("/api/v1/tenders", params={"limit": 1})).json()["total"]


# Nesting depth


def true_depth(value: Any) -> int:
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
    return 0 if children is None else 1 + max(map(true_depth, children), default=0)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=40,
)


@given(JSON_VALUES, st.booleans())
def test_depth_scan_counts_structure_not_strings(value: Any, ascii_only: bool) -> None:
    """Brackets, quotes and backslashes inside strings never count; escapes are honoured."""
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert json_depth(body, limit=100) == true_depth(value)


def test_depth_scan_stops_past_the_limit_and_survives_unterminated_strings() -> None:
    assert json_depth(nested("array", 500_000), limit=MAX_JSON_DEPTH) == MAX_JSON_DEPTH + 1
    assert json_depth(b'["\\"[[[[', limit=2) == 1, "an unterminated string runs to the end"
    assert json_depth(b'"' + b'\\"' * 100_000, limit=2) == 0


@pytest.mark.parametrize("shape", ["array", "object"])
async def test_deeply_nested_bodies_are_400_and_store_nothing(world: World, shape: str) -> None:
    """msgspec decodes recursively: thousands of levels exhausted the recursion limit (a 500)."""
    admin, before = world.admin, await audit_total(world.admin)
    for api, path in [(admin, "/api/v1/organizations"), (world.coordinator, "/api/v1/tenders"), (world.supplier, "/api/v1/products")]:
        body = problem(await api.post(path, content=nested(shape, 5000), headers={"content-type": "application/json"}), 400)
        assert f"deeper than {MAX_JSON_DEPTH}" in body["detail"]
    assert await audit_total(admin) == before and await tender_total(world.coordinator) == 0


def tender_with_parameter_nested(depth: int) -> dict[str, Any]:
    """A tender body nesting ``depth`` levels: the body, lots, a lot, selections, a selection, parameters, then arrays."""
    selection = {"module_key": "SEC-ISO27001-CERTIFICATE", "module_version": 1, "parameters": {"extra": json.loads(nested("array", depth - 6))}}
    return spec() | {"lots": [{"title": "Alarms", "selections": [selection]}]}


async def test_nesting_up_to_the_limit_is_decoded(world: World) -> None:
    """A parameter value nested to the limit reaches validation; one level more is refused before decoding."""
    body = problem(await world.coordinator.post("/api/v1/tenders", json=tender_with_parameter_nested(MAX_JSON_DEPTH)), 422)
    field = "lots[0].selections[0].parameters.extra"
    assert body["errors"] == [{"field": field, "message": "is not a parameter of this version", "where": "lot 1, selection 1"}]
    body = problem(await world.coordinator.post("/api/v1/tenders", json=tender_with_parameter_nested(MAX_JSON_DEPTH + 1)), 400)
    assert f"deeper than {MAX_JSON_DEPTH}" in body["detail"]


async def test_brackets_and_escapes_inside_strings_are_text(admin: Api) -> None:
    name = "[" * 200 + '\\"{' * 100 + "\\"
    response = await admin.post("/api/v1/organizations", json={"kind": "authority", "name": name[:200], "country": "NO"})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name[:200]


async def test_a_deep_body_over_the_size_limit_is_413(admin: Api) -> None:
    problem(await admin.post("/api/v1/organizations", content=nested("array", 600_000), headers={"content-type": "application/json"}), 413)


# Media types

ORGANIZATION = {"kind": "authority", "name": "Direktoratet for e-helse", "country": "NO"}


async def test_json_bodies_need_a_json_media_type(admin: Api) -> None:
    """Litestar decoded any body as JSON whatever its Content-Type, or without one."""
    before = await audit_total(admin)
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", None]:
        headers = {"content-type": content_type} if content_type else {}
        body = problem(await admin.post("/api/v1/organizations", content=json.dumps(ORGANIZATION).encode(), headers=headers), 415)
        assert "application/json" in body["detail"]
    assert await audit_total(admin) == before


async def test_json_media_types_are_accepted(admin: Api) -> None:
    for content_type in ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"]:
        response = await admin.post("/api/v1/organizations", content=json.dumps(ORGANIZATION).encode(), headers={"content-type": content_type})
        assert response.status_code == 201, (content_type, response.text)


# Numbers

BAD_AMOUNTS = ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "1E+1000000", "1E-1000000", "-1", "10000000000000.01", "12.345", 1e300]


async def test_estimated_value_is_a_finite_bounded_amount(world: World) -> None:
    """NaN was a 500; Infinity was stored and broke the OCDS export, 1E+1000000 the DOCX export."""
    tender = await world.coordinator.post("/api/v1/tenders", json=spec("KEPT"))
    for amount in BAD_AMOUNTS:
        body = problem(await world.coordinator.post("/api/v1/tenders", json=spec() | {"estimated_value": amount}), 422)
        assert [e["field"] for e in body["errors"]] == ["estimated_value"], amount
        replaced = await world.coordinator.put(
            f"/api/v1/tenders/{tender.json()['id']}", json=spec("KEPT") | {"estimated_value": amount}, headers={"If-Match": tender.headers["etag"]}
        )
        assert [e["field"] for e in problem(replaced, 422)["errors"]] == ["estimated_value"], amount
    assert await tender_total(world.coordinator) == 1
    assert (await world.coordinator.get(f"/api/v1/tenders/{tender.json()['id']}")).headers["etag"] == tender.headers["etag"]


async def test_estimated_value_within_bounds_exports(world: World) -> None:
    for amount in ["0", "10000000000000", "12500000.50", "1.1", 12500000, 99.99, "1E+3"]:
        response = await world.coordinator.post("/api/v1/tenders", json=spec(f"VALUE-{amount}") | {"estimated_value": amount})
        assert response.status_code == 201, response.text
        for fmt in ("docx", "xlsx", "ocds"):
            assert (await world.coordinator.get(f"/api/v1/tenders/{response.json()['id']}/exports/{fmt}")).status_code == 200, (amount, fmt)


async def test_evidence_outcomes_are_finite_bounded_figures(world: World) -> None:
    """``"NaN"`` was accepted as a float and stored; PostgreSQL refuses NaN inside JSON."""
    product = (await world.supplier.post("/api/v1/products", json=PRODUCT)).json()
    for field in ["result", "baseline"]:
        for figure in ["NaN", "Infinity", "-Infinity", 1e300]:
            study = copy.deepcopy(STUDY)
            study["outcomes"][0][field] = figure
            body = problem(await world.supplier.post(f"/api/v1/products/{product['id']}/evidence", json=study), 400)
            assert body["errors"][0]["field"] == f"outcomes[0].{field}", figure
    assert (await world.supplier.get("/api/v1/evidence", params={"product_id": product["id"]})).json()["total"] == 0


@pytest.fixture
async def editor(admin: Api) -> Api:
    authority = await admin.create_org("authority")
    return await admin.create_user(authority["id"], "library_editor")


async def test_parameter_bounds_are_finite_bounded_figures(editor: Api) -> None:
    for bound in ["min", "max"]:
        for figure in ["NaN", "Infinity", 1e300]:
            module = copy.deepcopy(NEW_MODULE)
            module["content"]["parameters"][0][bound] = figure
            body = problem(await editor.post("/api/v1/modules", json=module), 400)
            assert body["errors"][0]["field"] == f"content.parameters[0].{bound}", figure
    not_found(await editor.get(f"/api/v1/modules/{NEW_MODULE['key']}"), f"no requirement module {NEW_MODULE['key']}")


async def test_numeric_parameter_values_are_bounded(editor: Api) -> None:
    """An unbounded decimal parameter took a 400-digit integer, which rendering could not format (a 500)."""
    module = copy.deepcopy(NEW_MODULE)
    module["content"]["statement"]["en"] = "At most {share} per cent and {days} days."
    module["content"]["parameters"].append({"name": "share", "type": "decimal", "label": {"en": "Share"}, "default": 10})
    assert (await editor.post("/api/v1/modules", json=module)).status_code == 201
    render = f"/api/v1/modules/{module['key']}/versions/1/render"
    for value in [10**400, -(10**400), 1e300]:
        body = problem(await editor.post(render, json={"parameters": {"share": value}}), 422)
        assert body["errors"][0]["field"] == "parameters.share"
    assert (await editor.post(render, json={"parameters": {"share": 12.5}})).status_code == 200


# Names


def named(world: World, name: str) -> list[tuple[Api, str, dict[str, Any], str]]:
    """(caller, path, body, field) creating an organization, user, product, tender and token called ``name``."""
    return [
        (world.admin, "/api/v1/organizations", {"kind": "authority", "name": name, "country": "NO"}, "name"),
        (world.admin, f"/api/v1/organizations/{world.members[0]['id']}/users", {"name": name, "email": "x@example.org", "roles": []}, "name"),
        (world.supplier, "/api/v1/products", PRODUCT | {"name": name}, "name"),
        (world.coordinator, "/api/v1/tenders", spec() | {"title": name}, "title"),
        (world.coordinator, "/api/v1/tenders", spec(name) | {"title": "Alarms"}, "reference"),
        (world.coordinator, f"/api/v1/users/{world.coordinator.user['id']}/tokens", {"name": name}, "name"),  # type: ignore[attr-defined]
    ]


async def test_names_refuse_bidi_controls(world: World) -> None:
    """Bidirectional overrides and isolates make a name display as another (``Acme\u202egnp.exe``)."""
    before = await audit_total(world.admin)
    for control in BIDI_CONTROLS:
        for api, path, body, field in named(world, f"Acme{control}gnp.exe"):
            assert problem(await api.post(path, json=body), 400)["errors"][0]["field"] == field, (path, hex(ord(control)))
    assert await audit_total(world.admin) == before


async def test_right_to_left_names_are_welcome(world: World) -> None:
    for api, path, body, _ in named(world, "שלום مرحبا Oslo"):
        response = await api.post(path, json=body)
        assert response.status_code == 201, (path, response.text)


# Whatever the API accepts exports


def mostly(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``valid`` seven times out of eight, so that most tenders are accepted and exported, else ``hostile``."""
    return st.integers(0, 7).flatmap(lambda n: hostile if n == 7 else valid)


LINE = st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=120).filter(str.strip)
ODD_TEXT = st.sampled_from(["]]>", "=1+1", "\\", '"', "{days}", "&amp;<b>", "שלום مرحبا", "😀👩‍⚕️", "a\r\nb\tc", "x" * 200])
TEXT = mostly(LINE | ODD_TEXT, st.text(max_size=60) | st.sampled_from(["", " ", "\u202e", "\x00", "\ud800", "x" * 30_000]))
NUMBERS = st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.decimals(allow_nan=False, allow_infinity=False).map(str)
AMOUNTS = mostly(
    st.decimals(min_value=0, max_value=10**13, places=2).map(str) | st.integers(0, 10**13) | st.sampled_from([None, "-0", "1E+3", "0.10"]),
    NUMBERS | st.sampled_from(["NaN", "sNaN", "Infinity", "-Infinity", "1E+1000000", "1E-1000000", "0.001"]),
)
SHARES = mostly(st.decimals(min_value=0, max_value=100, places=2).map(float), NUMBERS)


@st.composite
def tender_specs(draw: st.DrawFn) -> dict[str, Any]:
    """The joint tender of ``spec`` with its free texts and numbers drawn."""
    body = spec(f"P{next(_references)} {draw(LINE)}"[:64]) | {
        "title": draw(TEXT),
        "description": draw(TEXT),
        "language": draw(st.sampled_from(["en", "nb", "sv", "da"])),
        "estimated_value": draw(AMOUNTS),
        "currency": draw(st.sampled_from(["NOK", "SEK", "DKK", "EUR"])),
    }
    body["contract_period"]["options"] = draw(TEXT)
    lot = body["lots"][0]
    lot["title"] = draw(TEXT)
    lot["price_weight"] = draw(SHARES)
    lot["quality_weight"] = draw(mostly(st.just(100 - lot["price_weight"]) if isinstance(lot["price_weight"], float) else SHARES, SHARES))
    lot["selections"][0]["parameters"] = {"delivery_seconds": draw(mostly(st.integers(5, 120), NUMBERS))}
    lot["selections"][2]["weight"] = draw(SHARES)
    lot["selections"][3]["note"] = draw(TEXT)
    return body


def valid_ocds(package: bytes) -> None:
    assert ocds_errors(package) == []


EXPORTS = {"docx": open_docx, "xlsx": open_xlsx, "ocds": valid_ocds}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=tender_specs())
async def test_any_tender_the_api_accepts_exports_in_every_format(world: World, body: dict[str, Any]) -> None:
    encoded = json.dumps(body).encode()  # ASCII with escapes: a lone surrogate is sent as \\ud800
    response = await world.coordinator.post("/api/v1/tenders", content=encoded, headers={"content-type": "application/json"})
    event(f"answered {response.status_code}")
    if response.status_code != 201:
        assert problem(response, response.status_code)["status"] < 500
        return
    for fmt, read_back in EXPORTS.items():
        export = await world.coordinator.get(f"/api/v1/tenders/{response.json()['id']}/exports/{fmt}")
        assert export.status_code == 200, (fmt, export.text)
        read_back(export.content)
