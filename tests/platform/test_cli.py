"""The `registry` command line on a fresh data directory."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest

from registry.cli import this_command
from registry.db.migrate import head_revision, upgrade

UUID = re.compile(r"^[0-9a-f-]{36}$")
SPINNER = re.compile("[\u2800-\u28ff]|\x1b\\[")
"""Braille spinner frames or terminal control sequences."""


def test_help_explains_every_command(run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("serve", "migrate", "admin"):
        assert command in result.output
    assert "create-token" in run("admin", "--help").output


def test_unmigrated_database_says_what_to_run(run) -> None:
    result = run("admin", "create-org", "--kind", "authority", "--name", "Agency", "--country", "NO")
    assert result.exit_code == 1
    assert "registry migrate" in result.output


def test_migrate_says_what_it_did(run, tmp_path: Path) -> None:
    created = run("migrate")
    assert created.exit_code == 0 and "created the database schema" in created.output
    assert "up to date" in run("migrate").output
    older = tmp_path / "older"
    older.mkdir()
    upgrade(f"sqlite+aiosqlite:///{older / 'registry.db'}", "0007")
    assert f"upgraded the database schema from revision 0007 to {head_revision()}" in run("migrate", REGISTRY_DATA_DIR=str(older)).output


def test_admin_flow_from_an_empty_directory(run, tmp_path: Path) -> None:
    assert run("migrate").exit_code == 0
    assert (tmp_path / "registry.db").exists()
    bad = run("admin", "create-org", "--kind", "municipality", "--name", "Oslo", "--country", "NO", "--org-number", "974760674")
    assert bad.exit_code == 1 and "check digit" in bad.output
    org = run("admin", "create-org", "--kind", "municipality", "--name", "Oslo", "--country", "NO", "--org-number", "974760673")
    assert org.exit_code == 0 and UUID.match(org.output.strip())
    admin_token = run("admin", "create-admin").output.strip()
    assert admin_token.startswith("wtr_")
    user = run("admin", "create-user", "--org", org.output.strip(), "--name", "Kari", "--email", "kari@oslo.example", "--role", "procurement_officer")
    assert user.exit_code == 0, user.output
    token = run("admin", "create-token", "--user", user.output.strip())
    assert token.exit_code == 0 and token.output.strip().startswith("wtr_")
    wrong_role = run("admin", "create-user", "--org", org.output.strip(), "--name", "X", "--email", "x@oslo.example", "--role", "supplier_editor")
    assert wrong_role.exit_code == 1 and "supplier_editor" in wrong_role.output


def test_newer_database_than_code_is_refused(run, tmp_path: Path) -> None:
    assert run("migrate").exit_code == 0
    with sqlite3.connect(tmp_path / "registry.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    result = run("admin", "create-admin")
    assert result.exit_code == 1 and "newer than this code" in result.output


def test_bad_setting_names_the_variable(run) -> None:
    result = run("migrate", REGISTRY_MAX_REQUEST_BYTES="lots")
    assert result.exit_code == 1 and "REGISTRY_MAX_REQUEST_BYTES" in result.output


def test_export_of_unknown_tender_fails_cleanly(run, tmp_path: Path) -> None:
    assert run("migrate").exit_code == 0
    result = run("export", "00000000-0000-4000-8000-000000000000", "--format", "docx", "--output", str(tmp_path / "x.docx"))
    assert result.exit_code == 1 and "no tender" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_demo_builds_a_published_joint_tender_and_its_exports(run, tmp_path: Path) -> None:
    from tests.exports.readback import ocds_errors, open_docx, open_xlsx

    result = run("demo", "--output", str(tmp_path / "demo"), REGISTRY_DATABASE_URL="sqlite+aiosqlite:///elsewhere.db")
    assert result.exit_code == 0, result.output
    assert not SPINNER.search(result.output), "no spinner residue when the output is not a terminal"
    assert_printed_token_command_works(run, result.output)
    files = {"".join(p.suffixes[-2:]) if p.name.endswith("contract-annex.docx") else p.suffix: p for p in (tmp_path / "demo").iterdir()}
    assert set(files) == {".db", ".docx", ".contract-annex.docx", ".xlsx", ".json", ".zip"}
    assert ocds_errors(files[".json"].read_bytes()) == []
    document = open_docx(files[".docx"].read_bytes())
    assert "Konkurransegrunnlag" in [p.text for p in document.paragraphs]
    assert open_xlsx(files[".xlsx"].read_bytes()).sheetnames
    again = run("demo", "--output", str(tmp_path / "demo"))
    assert again.exit_code == 1 and "already holds a demo" in again.output


def assert_printed_token_command_works(run, output: str) -> None:
    """The demo's `... admin create-admin` line, run as printed (settings and all), gives a token for the demo registry."""
    *assignments, command, group, action = next(line for line in output.splitlines() if line.endswith(" admin create-admin")).split(":", 1)[1].split()
    assert command == "registry" and (group, action) == ("admin", "create-admin")
    token = run(group, action, **dict(a.split("=", 1) for a in assignments))
    assert token.exit_code == 0 and token.output.startswith("wtr_"), token.output


def test_printed_commands_name_the_script_that_ran(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / ".venv" / "bin" / "registry"), "demo"])
    assert this_command() == ".venv/bin/registry"
    monkeypatch.setattr(sys, "argv", ["/usr/lib/python3/pytest"])
    assert this_command() == "registry"


@pytest.mark.starter_library
def test_serve_with_workers_runs_that_many_processes_on_one_port(tmp_path: Path, templates: tuple[str, str]) -> None:
    """The parent prepares the database once (admin, starter library); each worker serves the same API on the port."""
    import concurrent.futures

    import httpx

    from tests.served import served_registry
    from tests.support import ADMIN_TOKEN

    with served_registry(tmp_path / "data", bootstrap_admin_token=ADMIN_TOKEN, workers="2") as served:
        children = Path(f"/proc/{served.process.pid}/task/{served.process.pid}/children").read_text().split()
        workers = [pid for pid in children if "uvicorn" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                   or "multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]  # fmt: skip
        assert len(workers) >= 2, children

        def modules(_: int) -> int:
            response = httpx.get(f"{served.base_url}/api/v1/modules", params={"limit": 1}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
            assert response.status_code == 200, response.text
            return response.json()["total"]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            totals = set(pool.map(modules, range(32)))
        assert len(totals) == 1 and totals.pop() >= 40, "every worker sees the one starter library, imported once"
