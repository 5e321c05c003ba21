"""Health, OpenAPI, errors as problem+json, request ids, body limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.openapi import ACCESS, TOKEN_OPTIONAL, TOKEN_REQUIRED
from registry.settings import Settings
from tests.support import Api, problem

APP = create_app(Settings(data_dir=Path("unused"), seed_library=False))
OPERATIONS = [
    (path, method, operation)
    for path, item in APP.openapi_schema.to_schema()["paths"].items()
    for method, operation in item.items()
    if isinstance(operation, dict)
]
OPTS = {
    (route.path_format, method.lower()): handler.opt
    for route in APP.routes
    if isinstance(route, HTTPRoute)
    for method, (handler, _) in route.route_handler_map.items()
}
"""Handlers in a slice edited elsewhere that still need a docstring."""


async def test_health_reports_database(client: AsyncTestClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "data_folder": "ok"}
    assert response.headers["x-request-id"]


async def test_health_is_503_problem_when_database_is_gone(settings, tmp_path) -> None:
    broken = settings.__class__(
        data_dir=tmp_path, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none", seed_library=False
    )
    app = create_app(broken)
    app.on_startup.clear()  # the schema check would refuse to start; health must still answer
    async with AsyncTestClient(app) as client:
        response = await client.get("/health")
    body = problem(response, 503)
    assert "unreachable" in body["detail"] and [e["field"] for e in body["errors"]] == ["database"]
    assert response.headers["retry-after"]


async def test_openapi_lists_every_route_with_errors(client: AsyncTestClient) -> None:
    schema = (await client.get("/docs/openapi.json")).json()
    assert schema["openapi"].startswith("3.1")
    operations = [op for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(operations) >= 12
    for operation in operations:
        assert any(code.startswith(("4", "5")) for code in operation["responses"]), operation["operationId"]
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    [
        pytest.param(*op, id=op[2]["operationId"])
        for op in OPERATIONS
    ],
)
def test_every_operation_explains_itself_and_names_its_security(path: str, method: str, operation: dict) -> None:
    summary, description = operation.get("summary", ""), operation.get("description", "")
    assert " " in summary and summary[0].isupper(), f"a summary in words, not Litestar's default from the handler name: {summary!r}"
    assert description and not description.startswith(ACCESS), "a description from the handler's docstring"
    assert ACCESS in description, "the description says who may call"
    opt = OPTS[(path, method)]
    if opt.get("exclude_from_auth"):
        assert not operation.get("security"), "an open operation asks for no token"
    else:
        assert operation["security"] == (TOKEN_OPTIONAL if opt.get("token_optional") else TOKEN_REQUIRED)


def test_openapi_offers_bearer_tokens() -> None:
    schema = APP.openapi_schema.to_schema()
    assert schema["components"]["securitySchemes"]["BearerToken"] | {"description": ""} == {"type": "http", "scheme": "bearer", "description": ""}
    assert schema["paths"]["/health"]["get"].get("security") is None
    assert schema["paths"]["/api/v1/ocds/releases"]["get"]["security"] == [{}, {"BearerToken": []}]


def test_request_bodies_are_described() -> None:
    schemas = APP.openapi_schema.to_schema()["components"]["schemas"]
    publication = schemas["EvidenceCreate"]["properties"]["publication"]["description"]
    assert "a DOI such as 10.1234/abc" in publication, "a pattern-constrained field says what it expects in words"
    assert "Estimated total contract value" in schemas["TenderSpec"]["properties"]["estimated_value"]["description"], "a field's docstring"
    assert schemas["TenderSpec"]["description"], "a struct's docstring"
    for body in ("TenderSpec", "OrganizationCreate", "ProductCreate", "EvidenceCreate"):
        assert schemas[body]["examples"], f"{body} has an example"


async def test_docs_page_and_its_assets_come_from_the_registry(client: AsyncTestClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace('"/docs', ""), "no asset from another origin"
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/swagger-init.js"):
        response = await client.get(asset)
        assert response.status_code == 200 and len(response.content) > 100, asset
    assert (await client.get("/docs/openapi.json")).json()["components"]["securitySchemes"]


async def test_unknown_route_and_wrong_method_are_problems(admin: Api) -> None:
    no_route = await admin.get("/api/v1/nothing-here")
    assert no_route.status_code == 404 and no_route.headers["content-type"].startswith("application/problem+json")
    assert no_route.json()["detail"] == "no resource at /api/v1/nothing-here"
    wrong_method = await admin.put("/api/v1/organizations")
    problem(wrong_method, 405)
    assert set(wrong_method.headers["allow"].split(", ")) >= {"GET", "POST"}, "RFC 9110: a 405 lists the allowed methods"


async def test_malformed_json_and_wrong_types_name_the_field(admin: Api) -> None:
    body = problem(
        await admin.post("/api/v1/organizations", content=b"{not json", headers={"content-type": "application/json"}), 400
    )
    assert body["request_id"]
    body = problem(await admin.post("/api/v1/organizations", json={"kind": "municipality", "name": 5, "country": "NO"}), 400)
    assert body["errors"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/modules/SEC-%00-X", "path.key"),
        ("/api/v1/modules/SEC-X%00/versions/1", "path.key"),
        ("/api/v1/modules?tag=a%00b", "query.tag"),
        ("/api/v1/modules?q=alarm%00", "query.q"),
        ("/api/v1/products?product_category=%1b", "query.product_category"),
        ("/api/v1/audit?action=%00", "query.action"),
    ],
)
async def test_control_characters_in_paths_and_queries_are_refused(admin: Api, path: str, field: str) -> None:
    """PostgreSQL refuses NUL in text; such values must stop at validation, not fail in the database."""
    assert problem(await admin.get(path), 400)["errors"][0]["field"] == field
    body = problem(await admin.post("/api/v1/organizations", json={"kind": "castle", "name": "X", "country": "NO"}), 400)
    assert body["errors"][0]["field"] == "kind"


async def test_control_characters_in_text_are_refused(admin: Api) -> None:
    body = problem(
        await admin.post("/api/v1/organizations", json={"kind": "authority", "name": "Bad\x00name", "country": "NO"}), 400
    )
    assert body["errors"][0]["field"] == "name"


async def test_oversize_body_is_413(admin: Api) -> None:
    huge = {"kind": "authority", "name": "x", "country": "NO", "padding": "y" * 2_000_000}
    problem(await admin.post("/api/v1/organizations", json=huge), 413)


async def test_query_parameters_are_validated(admin: Api) -> None:
    body = problem(await admin.get("/api/v1/organizations", params={"limit": 100000}), 400)
    assert "limit" in body["errors"][0]["field"]


async def test_request_id_is_echoed(client: AsyncTestClient) -> None:
    response = await client.get("/health", headers={"x-request-id": "abc12345-trace"})
    assert response.headers["x-request-id"] == "abc12345-trace"


async def test_unexpected_failure_is_500_without_stack_trace(settings) -> None:
    from litestar import get

    from registry.auth.guards import PUBLIC

    @get("/boom", opt=PUBLIC)
    async def boom() -> None:
        raise RuntimeError("secret internals")

    app = create_app(settings)
    app.register(boom)
    async with AsyncTestClient(app) as client:
        body = problem(await client.get("/boom"), 500)
    assert "secret internals" not in str(body) and "Traceback" not in str(body)
    assert body["request_id"]
