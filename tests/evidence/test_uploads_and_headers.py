"""Upload inspection of ZIP packages, response headers, token failures and their throttle, the audit
trail as both organizations see it, request ids, and leftover upload staging files."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta
from pathlib import Path

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.pool import NullPool

from registry.app import create_app
from registry.auth.models import ApiToken
from registry.auth.throttle import FailureThrottle
from registry.db.base import utcnow
from registry.db.engine import create_engine
from registry.http import security_headers
from registry.settings import Settings, SettingsError
from tests.evidence_world import PDF, PNG, STUDY, World, add_evidence, stored_files, upload, word_document, workbook
from tests.support import Api, problem
from tests.tender_world import act, build_world, create, spec

# ZIP packages


def with_members(package: bytes, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``package`` (a DOCX or XLSX) with ``members`` added."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_with_zeros(name: str, size: int) -> bytes:
    """A DOCX with a member of ``size`` zero bytes, written in chunks and deflated."""
    buffer = io.BytesIO(word_document())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w", force_zip64=True) as member:
        chunk = bytes(1 << 20)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def zip_with_pdf_header() -> bytes:
    """A DOCX whose first member, stored uncompressed, puts a PDF header within the first kilobyte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a", PDF)
        with zipfile.ZipFile(io.BytesIO(word_document())) as document:
            for member in document.infolist():
                archive.writestr(member, document.read(member))
    return buffer.getvalue()


@pytest.fixture
async def item(world: World) -> dict:
    return await add_evidence(world.editor, world.product["id"], STUDY)


async def refused(world: World, item: dict, settings: Settings, filename: str, content: bytes, status: int) -> str:
    """Upload, expect a ``status`` problem, check nothing was stored; the problem's detail."""
    body = problem(await upload(world.editor, item["id"], filename, content), status)
    assert filename in body["detail"]
    assert (await world.editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"] == []
    assert stored_files(settings) == []
    return body["detail"]


@pytest.mark.starter_library
async def test_a_zip_bomb_is_refused_without_extracting_and_ordinary_packages_pass(world: World, item: dict, settings: Settings) -> None:
    bomb = docx_with_zeros("word/media/zeros.bin", 1 << 30)
    assert len(bomb) < 2 << 20, "a gibibyte deflates to about a megabyte"
    assert "expands to" in await refused(world, item, settings, "bomb.docx", bomb, 422)
    chart = with_members(word_document(), {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook(), "word/media/image1.png": PNG})
    for filename, content in (("chart.docx", chart), ("figures.xlsx", workbook()), ("scan.pdf", PDF)):
        response = await upload(world.editor, item["id"], filename, content)
        assert response.status_code == 201, (filename, response.text)


@pytest.mark.starter_library
async def test_a_member_that_expands_too_far_is_refused(world: World, item: dict, settings: Settings) -> None:
    detail = await refused(world, item, settings, "ratio.docx", docx_with_zeros("word/media/zeros.bin", 8 << 20), 422)
    assert "'word/media/zeros.bin'" in detail and "times" in detail


@pytest.mark.starter_library
@pytest.mark.parametrize(
    "member",
    [
        "word/embeddings/inner.zip", "word/embeddings/app.JAR", "word/x.7z", "word/x.rar", "word/x.gz",
        "word/setup.exe", "word/lib.dll", "word/run.js", "word/run.vbs", "word/Main.class", "word/run.sh",
        "word/run.bat", "word/run.cmd", "word/run.ps1", "word/setup.msi", "word/saver.scr",
    ],
)  # fmt: skip
async def test_nested_archives_and_executables_are_refused(world: World, item: dict, settings: Settings, member: str) -> None:
    detail = await refused(world, item, settings, "report.docx", with_members(word_document(), {member: b"payload"}), 422)
    assert repr(member) in detail and ("archive" in detail or "executable" in detail)


@pytest.mark.starter_library
@pytest.mark.parametrize(
    "filename, content, formats",
    [
        ("jar.docx", with_members(word_document(), {"META-INF/MANIFEST.MF": b"Main-Class: Main\n", "Main.class": b"\xca\xfe\xba\xbe"}),
         "a DOCX and a Java archive"),
        ("both.docx", with_members(word_document(), {"xl/workbook.xml": b"<workbook/>"}), "a DOCX and an XLSX"),
        ("appended.pdf", PDF + word_document(), "a PDF and a ZIP archive"),
        ("header.docx", zip_with_pdf_header(), "a DOCX and a PDF"),
        ("appended.png", PNG + workbook(), "a PNG and a ZIP archive"),
    ],
)  # fmt: skip
async def test_a_file_valid_as_two_formats_is_refused(
    world: World, item: dict, settings: Settings, filename: str, content: bytes, formats: str
) -> None:
    assert formats in await refused(world, item, settings, filename, content, 415)


# Headers


async def test_authenticated_responses_are_not_stored_and_every_response_is_hardened(admin: Api, client: AsyncTestClient) -> None:
    me = (await admin.get("/api/v1/me")).json()
    issued = await admin.post(f"/api/v1/users/{me['user_id']}/tokens", json={"name": "one-time secret"})
    assert issued.status_code == 201 and issued.json()["token"]
    responses = [
        issued,
        await admin.get("/api/v1/audit"),
        await admin.get("/api/v1/nowhere"),
        await Api(client, "wrong-token").get("/api/v1/me"),
    ]
    for response in responses:
        assert response.headers["cache-control"] == "no-store", response.request.url
    for response in [*responses, await client.get("/health"), await client.get("/api/v1/me"), await client.get("/docs/openapi.json")]:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "server" not in response.headers


async def hooked(headers: list[tuple[bytes, bytes]], request_headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    message = {"type": "http.response.start", "status": 200, "headers": list(headers)}
    await security_headers(message, {"type": "http", "headers": request_headers})  # type: ignore[arg-type]
    return {k.decode(): v.decode() for k, v in message["headers"]}


async def test_a_public_cache_control_is_kept_unless_the_request_was_authenticated() -> None:
    public = [(b"cache-control", b"public, max-age=300")]
    assert (await hooked(public, []))["cache-control"] == "public, max-age=300"
    assert (await hooked(public, [(b"authorization", b"Bearer x")]))["cache-control"] == "no-store"


def test_serve_sends_no_server_header(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn
    from click.testing import CliRunner

    from registry import cli

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    monkeypatch.setattr(cli, "in_transaction", lambda *args: None)
    result = CliRunner().invoke(cli.main, ["serve"], env={"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_SEED_LIBRARY": "false"})
    assert result.exit_code == 0, result.output
    assert seen["server_header"] is False


# Token failures


async def test_unknown_revoked_and_expired_tokens_get_the_same_answer(admin: Api, settings: Settings) -> None:
    me = (await admin.get("/api/v1/me")).json()
    tokens = [(await admin.post(f"/api/v1/users/{me['user_id']}/tokens", json={"name": name})).json() for name in ("revoked", "expired")]
    assert (await admin.delete(f"/api/v1/tokens/{tokens[0]['id']}")).status_code in (200, 204)
    engine = create_engine(settings.url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.execute(update(ApiToken).where(ApiToken.name == "expired").values(expires_at=utcnow() - timedelta(days=1)))
    await engine.dispose()
    answers = [problem(await Api(admin.client, secret).get("/api/v1/me"), 401) for secret in ("wtr_unknown", tokens[0]["token"], tokens[1]["token"])]
    assert len({a["detail"] for a in answers}) == 1 and len({a["type"] for a in answers}) == 1, answers


class TestThrottle:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return msgspec.structs.replace(settings, auth_failure_limit=3, auth_failure_window_seconds=1)

    async def test_failed_authentications_are_throttled_per_address(self, admin: Api, client: AsyncTestClient) -> None:
        import anyio

        for _ in range(5):
            assert (await admin.get("/api/v1/me")).status_code == 200, "successes never count"
        for _ in range(3):
            problem(await Api(client, "wtr_guess").get("/api/v1/me"), 401)
        for api in (admin, Api(client, "wtr_guess")):
            response = await api.get("/api/v1/me")
            problem(response, 429)
            assert response.headers["retry-after"] == "1"
        problem(await client.get("/api/v1/me"), 401)
        await anyio.sleep(1.05)
        assert (await admin.get("/api/v1/me")).status_code == 200


def test_the_throttle_forgets_old_windows_and_bounds_its_memory() -> None:
    now = [0.0]
    throttle = FailureThrottle(limit=2, window_seconds=60, max_addresses=3, clock=lambda: now[0])
    throttle.fail("a")
    throttle.fail("a")
    assert throttle.retry_after("a") == 60 and throttle.retry_after("b") == 0
    now[0] = 59.5
    assert throttle.retry_after("a") == 1
    now[0] = 60
    assert throttle.retry_after("a") == 0
    for address in ("b", "c", "d", "e"):
        throttle.fail(address)
        throttle.fail(address)
    assert throttle.tracked == 3 and throttle.retry_after("b") == 0 and throttle.retry_after("e") == 60


def test_throttle_settings_are_validated() -> None:
    settings = Settings.from_env({"REGISTRY_AUTH_FAILURE_LIMIT": "5", "REGISTRY_AUTH_FAILURE_WINDOW_SECONDS": "30"})
    assert (settings.auth_failure_limit, settings.auth_failure_window_seconds) == (5, 30)
    assert (Settings().auth_failure_limit, Settings().auth_failure_window_seconds) == (20, 60)
    with pytest.raises(SettingsError, match="REGISTRY_AUTH_FAILURE_LIMIT"):
        Settings.from_env({"REGISTRY_AUTH_FAILURE_LIMIT": "0"})


# Audit


@pytest.mark.starter_library
async def test_events_are_visible_to_the_actors_and_the_objects_organizations(admin: Api) -> None:
    world = await build_world(admin)
    town, federation = world.members[0], world.federation
    town_admin = await admin.create_user(town["id"], "org_admin")
    federation_admin = await admin.create_user(federation["id"], "org_admin")
    tender = await create(world.coordinator, spec())
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [town["id"]]})
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    answer = await world.officers[0].put(f"/api/v1/tenders/{tender['id']}/participants/{town['id']}", json={"decision": "declined"})
    assert answer.status_code == 200, answer.text
    assert (await admin.patch(f"/api/v1/organizations/{town['id']}", json={"name": "Askøy kommune (renamed)"})).status_code == 200

    async def actions(api: Api) -> set[str]:
        events = (await api.get("/api/v1/audit", params={"entity_id": tender["id"], "limit": 200})).json()["items"]
        return {e["action"] for e in events}

    assert {"tender.invite", "tender.participant.declined"} <= await actions(town_admin)
    assert {"tender.create", "tender.invite", "tender.participant.declined"} <= await actions(federation_admin)
    town_events = (await town_admin.get("/api/v1/audit", params={"entity_id": town["id"]})).json()["items"]
    assert "organization.update" in {e["action"] for e in town_events}
    everything = (await town_admin.get("/api/v1/audit", params={"limit": 200})).json()["items"]
    assert all(town["id"] in (e["organization_id"], e["actor_organization_id"]) for e in everything)
    assert "tender.create" not in {e["action"] for e in everything}


# Request ids


UNSAFE_REQUEST_IDS = ["has spaces in it", "abc%0d%0aSet-Cookie:x", "abc\\r\\nInjected: 1", "<script>alert(1)</script>", "a" * 200, "short"]


async def test_only_short_safe_request_ids_are_kept_and_audited(admin: Api, client: AsyncTestClient) -> None:
    for sent in UNSAFE_REQUEST_IDS:
        echoed = (await client.get("/health", headers={"x-request-id": sent})).headers["x-request-id"]
        assert echoed != sent and len(echoed) == 36, sent
    request_id = "trace_2026.05-ab12"
    response = await admin.post(
        "/api/v1/organizations", json={"kind": "authority", "name": "Tilsynet", "country": "NO"}, headers={"x-request-id": request_id}
    )
    assert response.status_code == 201 and response.headers["x-request-id"] == request_id
    events = (await admin.get("/api/v1/audit", params={"entity_id": response.json()["id"]})).json()["items"]
    assert [e["request_id"] for e in events] == [request_id]


# Staging files


async def test_leftover_upload_staging_files_are_removed_at_start(settings: Settings) -> None:
    settings.files_dir.mkdir(parents=True)
    killed = settings.files_dir / ".upload-4194305-abcd1234"
    legacy = settings.files_dir / ".upload-k2j3h4"
    sibling = settings.files_dir / f".upload-{os.getppid()}-live"
    stored = settings.files_dir / "ab" / ("ab" + "0" * 62)
    stored.parent.mkdir()
    for path in (killed, legacy, sibling, stored):
        path.write_bytes(b"partial upload")
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await client.get("/health")).status_code == 200
    assert not killed.exists() and not legacy.exists()
    assert sibling.exists(), "a live worker's upload in progress is left alone"
    assert stored.exists()
