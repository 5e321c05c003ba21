"""`registry library import/export`: idempotent loading, refused edits of published text, round trip."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from registry.requirements.templates import TemplateError, load_library
from tests.library_world import STARTER, library_of

MODULE = "interoperability/INTEROP-ALARM-PROTOCOL.toml"


@pytest.fixture
def small_library(tmp_path: Path) -> Path:
    return library_of(tmp_path, MODULE)


def test_import_is_idempotent_and_refuses_changed_published_text(run, small_library: Path) -> None:  # noqa: F811
    assert run("migrate").exit_code == 0
    first = run("library", "import", str(small_library))
    assert first.exit_code == 0 and "1 modules created, 1 versions created" in first.output
    again = run("library", "import", str(small_library))
    assert again.exit_code == 0 and "0 modules created, 0 versions created, 0 drafts updated, 1 unchanged" in again.output

    path = small_library / MODULE
    text = path.read_text()
    path.write_text(text.replace("within {delivery_seconds} seconds", "within {delivery_seconds} s"))
    changed = run("library", "import", str(small_library))
    assert changed.exit_code == 1
    assert "INTEROP-ALARM-PROTOCOL v1" in changed.output and "cannot change" in changed.output

    bumped = (
        text
        + "\n"
        + text[text.index("[[versions]]") :]
        .replace("version = 1", "version = 2")
        .replace("within {delivery_seconds} seconds", "within {delivery_seconds} s")
    )
    path.write_text(bumped)
    new_version = run("library", "import", str(small_library))
    assert new_version.exit_code == 0 and "1 versions created" in new_version.output


def test_bad_file_names_the_file_and_field(small_library: Path) -> None:
    path = small_library / MODULE
    path.write_text(path.read_text().replace('kind = "mandatory"', 'kind = "optional"'))
    with pytest.raises(TemplateError, match=r"INTEROP-ALARM-PROTOCOL.toml: .*versions\[0\]\.kind"):
        load_library(small_library)


def test_export_round_trips(run, tmp_path: Path) -> None:  # noqa: F811
    assert run("migrate").exit_code == 0
    assert run("library", "import", str(STARTER)).exit_code == 0
    first, second = tmp_path / "first", tmp_path / "second"
    assert run("library", "export", str(first)).exit_code == 0
    _, original = load_library(STARTER)
    _, exported = load_library(first)
    assert {m.key: m for m in original} == {m.key: m for m in exported}
    reimport = run("library", "import", str(first))
    assert reimport.exit_code == 0 and f"0 drafts updated, {sum(len(m.versions) for m in original)} unchanged" in reimport.output
    assert run("library", "export", str(second)).exit_code == 0
    comparison = filecmp.dircmp(first, second)
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only


def test_a_later_version_states_only_what_it_changes(small_library: Path) -> None:
    path = small_library / MODULE
    path.write_text(
        path.read_text()
        + '\n[[versions]]\nversion = 2\nchange_note = { en = "A shorter title." }\n'
        + 'title = { en = "Alarm protocol", nb = "Alarmprotokoll", sv = "Larmprotokoll", da = "Alarmprotokol" }\n'
        + '\n[[versions]]\nversion = 3\nbuyer_guidance = {}\nevidence_rule = {}\n'
    )
    _, [module] = load_library(small_library)
    first, second, third = module.versions
    assert second.title["sv"] == "Larmprotokoll" and second.change_note == {"en": "A shorter title."}
    assert (second.statement, second.parameters, second.evidence_rule) == (first.statement, first.parameters, first.evidence_rule)
    assert first.evidence_rule is not None and first.buyer_guidance
    assert third.title == second.title and third.change_note == {}, "a change note is the version's own"
    assert third.buyer_guidance == {} and third.evidence_rule is None, "an empty value removes the field"


def test_a_library_file_says_where_the_module_applies(small_library: Path) -> None:
    path = small_library / MODULE
    text = path.read_text()
    path.write_text(text.replace('jurisdictions = ["EU"]', 'jurisdictions = ["EU", "UK"]'))
    with pytest.raises(TemplateError, match=r"INTEROP-ALARM-PROTOCOL.toml: .*jurisdictions\[1\]"):
        load_library(small_library)
    path.write_text(text.replace('jurisdictions = ["EU"]\n', ""))
    with pytest.raises(TemplateError, match=r"INTEROP-ALARM-PROTOCOL.toml: .*jurisdictions"):
        load_library(small_library)
