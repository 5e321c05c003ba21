"""Mutation testing of the rules that matter, one module at a time: ``make mutation`` (or
``python -m tests.mutation [module ...]``, module as its path or its short name).

Each module is mutated by mutmut 3 in a copy of the repository under ``.mutation/<name>/`` (mutmut
writes its mutants in ``mutants/`` inside that copy), never in ``registry/`` or ``exports/``, and is
checked only against the tests that exercise it. The table gives killed / total per module; a mutant
is killed when a test fails (or the run times out, or the type checker refuses it), and "no tests"
mutants (code no selected test reaches) count as survivors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"

# module -> the tests that exercise it (the whole run fits in about 30 minutes on 2 cores)
MODULES: dict[str, list[str]] = {
    "registry/tenders/validation.py": [
        "tests/tenders/test_publication_rules.py",
        "tests/tenders/test_selection_uniqueness.py",
        "tests/tenders/test_tenders.py",
        "tests/tenders/test_tender_parts.py",
        "tests/tenders/test_terms.py",
    ],
    "registry/tenders/law.py": ["tests/tenders/test_terms.py"],
    "registry/tenders/service.py": [
        "tests/tenders/test_tenders.py",
        "tests/tenders/test_publication_rules.py",
        "tests/tenders/test_tender_parts.py",
        "tests/tenders/test_tender_exports.py",
        "tests/tenders/test_lifecycle_rules.py",
        "tests/tenders/test_tender_listing.py",
        "tests/tenders/test_terms.py",
        "tests/tenders/test_participants.py",
        "tests/tenders/test_jurisdiction.py",  # the publication check's warnings
        "tests/web/test_tender_pages.py",  # the outline of a large tender
        "tests/web/test_desk_pages.py",  # the lead buyer's own tenders, the publication check
        "tests/web/test_builder_pages.py",  # the tender as its forms show it
        "tests/web/test_lot_pages.py",  # lots by number, upgrades
        "tests/web/test_market_pages.py",  # the buyers of a tender
        "tests/web/test_product_pages.py",  # published lots a product is judged against
    ],
    "registry/evidence/fit.py": [
        "tests/evidence/test_fit_boundaries.py",
        "tests/evidence/test_evidence_fit.py",
        "tests/evidence/test_fit_explanations.py",
        "tests/tenders/test_evidence_parameters.py",
    ],
    "registry/requirements/rendering.py": ["tests/requirements/test_parameter_rules.py", "tests/requirements/test_rendering.py"],
    "registry/requirements/rules.py": [
        "tests/requirements/test_evidence_rule_parameters.py",
        "tests/requirements/test_library.py",
        "tests/tenders/test_evidence_parameters.py",
    ],
    "registry/requirements/service.py": [
        "tests/requirements/test_library_versions.py",
        "tests/requirements/test_library.py",
        "tests/web/test_tender_pages.py",
        "tests/tenders/test_tenders.py",  # the pinned versions' kinds and the newest versions, as tenders read them
    ],
    "registry/auth/guards.py": ["tests/platform/test_guards.py", "tests/organizations/test_privileges.py", "tests/platform/test_access.py"],
    "registry/auth/principal.py": ["tests/platform/test_guards.py", "tests/organizations/test_privileges.py", "tests/platform/test_access.py"],
    "registry/organizations/service.py": [
        "tests/organizations/test_role_grants.py",
        "tests/organizations/test_membership_rules.py",
        "tests/organizations/test_organizations.py",
        "tests/organizations/test_privileges.py",
        "tests/organizations/test_import.py",
        "tests/tenders/test_participants.py",
        "tests/web/test_organization_pages.py",
        "tests/web/test_participant_pages.py",
        "tests/web/test_sign_in.py",
    ],
    **{
        module: ["tests/exports/test_ocds.py", "tests/exports/test_ocds_extensions.py", "tests/exports/test_joint_participants.py"]
        for module in ("exports/ocds.py", "exports/ocds_criteria.py", "exports/ocds_terms.py")
    },
    "exports/package.py": ["tests/exports/test_document_set.py"],
    "exports/model.py": ["tests/exports/test_model.py", "tests/exports/test_joint_participants.py"],
    "registry/tenders/snapshot.py": [
        "tests/tenders/test_snapshot_parts.py",
        "tests/tenders/test_snapshot.py",
        "tests/tenders/test_jurisdiction.py",
        "tests/tenders/test_award_models.py",
        "tests/tenders/test_tender_exports.py",
        "tests/tenders/test_terms.py",
    ],
}

# Mutants left out of the score, by mutmut's name, with why: equivalent ones (no test can tell them
# from the original), and ones mutmut cannot switch on (code run once at import).
# The names number mutants within a function; re-check them when the function changes.
_ZIP = "kinds is built from lot.selections one for one, so zip's strictness never shows"
_FRESH = "the session holds no other user's row before the locking read (only the target's, excluded), so refreshing changes nothing"
_JOIN = "without an ON clause the join follows the one foreign key user -> organization, the same"
_PARTICIPANT_JOIN = "by_name's one caller lists participants: without an ON clause the join follows their one foreign key to organization, the same"
_SQLITE_NAMESAKES = "SQLite, where mutants run, reads namesakes through the organization's key, in id order anyway; PostgreSQL needs the tie-breaker"
_EMAIL_INDEX = "the email check is a fast path: without it the unique index refuses the same address with the same conflict"
_MEMBER_ORDER = "members of one federation are read through the membership key, in municipality id order, so namesakes come by id anyway"
_DEPTH = 'storage.load special-cases only "selections" and "lots": any other depth loads the tender\'s own row, as "tender" does'
_OWNER_ROLE = "only municipalities and federations own tenders (create_tender refuses the others), so the default role never applies"
_LIB_LOCK = "the module row lock only queues concurrent writers on PostgreSQL; SQLite, where mutants run, serializes writes and renders no FOR UPDATE"
_SQLITE_LIKE = "mutants run on SQLite, whose LIKE ignores ASCII case; on PostgreSQL the same filter test needs lower() on both sides"
_ETAG_ONLY_KEYS = "a wrong ETag read ahead only misses the cache: the answer, and its 304, take the ETag of the version read"
_AT_IMPORT = (
    "with_account builds the token query auth.service keeps from import (_CHAIN), before mutmut switches a mutant on; "
    "a wrong join fails every authenticated test"
)
_SNAPSHOT_ASSERT = "an assert for the type checker: build_snapshot refuses a tender without these dates before (_missing_for_export)"
_CAST = "typing.cast only tells the type checker what a value is: at run time it returns the value, whatever type it names"
_LEAD_VIEW = (
    "only the lead buyer writes here, and it is never a participant of its own tender (an invitation of it is refused): "
    "the view's own participation is none for it as for nobody"
)
_LOT_JOIN = "without an ON clause the join follows the one foreign key lot -> tender, the same"
_PARTIAL = "complete=None is false, as False is: a draft's partial check"
_MODULE_JOIN = "without an ON clause the join follows the one foreign key version -> module, the same"
_MORE_READ = "the default depth loads every lot and selection: more reading, the same fields"
_NO_LOTS = "the specification made of the tender's fields alone has no lots: the pinned versions and product categories are never read"
_NO_ADMIN_ROLE = (
    "the default is a role no member of an organization holds (an admin acts for everyone before roles are looked at): "
    "None, held by no one either, gives the same answer"
)
_ALL_LOADED = "every action loads lots and selections, not only publish: more reading, same result"
_TENDER_LOCK = "the row lock only queues concurrent writers on PostgreSQL; SQLite, where mutants run, serializes writes and renders no FOR UPDATE"
_SHOWN_GIVEN = "the default depth loads every selection too, which the view then leaves for the ones given: more reading, the same page"
_OWN_UNREAD = "the pages that call it (participants, answer, publication, evidence) never read the viewer's own participation from it"
_COUNT_STAR = "func.count(None) renders count(*), the same count as of the rows' non-null ids"
_ORDERED_SET = "the fallbacks are a dict kept as an ordered set: its values are never read"
_AMENDED_AT = "bump_revision flushes the amendment before its date is read, so the column default stamps it at the same moment"
EQUIVALENT: dict[str, str] = {
    "registry.tenders.validation.x_total_months__mutmut_11": "the first guess of months only has to be low: the loop counts up to the term",
    "registry.tenders.law.x_load__mutmut_7": "encoding=None reads with the locale's encoding, UTF-8 wherever the tests run",
    "registry.tenders.law.x_load__mutmut_9": "Python's codec names are case-insensitive: UTF-8 is utf-8",
    "registry.tenders.service.x_visible_tender__mutmut_1": "a read taking the row lock: SQLite, where mutants run, renders no FOR UPDATE",
    **{f"registry.tenders.service.x_visible_tender__mutmut_{n}": _TENDER_LOCK for n in (7, 12)},
    "registry.tenders.service.x_visible_tender__mutmut_11": _MORE_READ,
    "registry.tenders.service.x_lead_tender__mutmut_14": _TENDER_LOCK,
    **{f"registry.tenders.service.x_change_status__mutmut_{n}": _ALL_LOADED for n in (11, 13)},
    "registry.tenders.service.x_change_status__mutmut_19": _DEPTH,
    "registry.tenders.service.x_change_status__mutmut_20": _DEPTH,
    "registry.tenders.service.x_update_fields__mutmut_12": _DEPTH,
    "registry.tenders.service.x_update_fields__mutmut_13": _DEPTH,
    "registry.tenders.service.x_is_lead_buyer__mutmut_8": _OWNER_ROLE,
    "registry.tenders.service.x_is_lead_buyer__mutmut_10": _OWNER_ROLE,
    "registry.tenders.service.x_list_tenders__mutmut_4": _COUNT_STAR,
    **{f"registry.tenders.service.x_update_fields__mutmut_{n}": _MORE_READ for n in (6, 11)},
    **{f"registry.tenders.service.x_update_fields__mutmut_{n}": _NO_LOTS for n in (24, 25)},
    **{f"registry.tenders.service.x_leads_own_tenders__mutmut_{n}": _NO_ADMIN_ROLE for n in (8, 10)},
    **{f"registry.tenders.service.x_lead_tender__mutmut_{n}": _TENDER_LOCK for n in (7, 12)},
    **{f"registry.tenders.service.x_lead_tender__mutmut_{n}": "both callers pass their depth; the default is never used" for n in (1, 2)},
    "registry.tenders.service.x_lead_tender__mutmut_13": _MORE_READ,
    "registry.tenders.service.x_owned_tender__mutmut_12": _MORE_READ,
    "registry.tenders.service.x_replace_spec__mutmut_53": _LEAD_VIEW,
    "registry.tenders.service.x_editable_tender__mutmut_16": _LEAD_VIEW,
    "registry.tenders.service.x_tender_without_requirements__mutmut_9": _SHOWN_GIVEN,
    "registry.tenders.service.x_tender_outline__mutmut_9": _SHOWN_GIVEN,
    "registry.tenders.service.x_tender_without_requirements__mutmut_13": _OWN_UNREAD,
    "registry.tenders.service.x_amend__mutmut_76": _COUNT_STAR,
    "registry.tenders.service.x_upgrade_selections__mutmut_102": _LEAD_VIEW,
    **{f"registry.tenders.service.x_published_lots__mutmut_{n}": _LOT_JOIN for n in (12, 14)},
    **{f"registry.tenders.service.x_amend__mutmut_{n}": _AMENDED_AT for n in (105, 113)},
    "registry.tenders.service.x_amend__mutmut_148": _LEAD_VIEW,
    "registry.tenders.validation.x_publication_errors__mutmut_30": _ZIP,  # strict=None
    "registry.tenders.validation.x_publication_errors__mutmut_33": _ZIP,  # strict dropped
    "registry.tenders.validation.x_publication_errors__mutmut_34": _ZIP,  # strict=False
    "registry.evidence.fit.x__standard_key__mutmut_2": "the rule's and the item's standard are keyed alike, whatever joins the words",
    "registry.evidence.fit.x__validity_clause__mutmut_52": _CAST,  # the latest certificate's problem, never None there
    "registry.evidence.fit.xǁSpeechǁsay__mutmut_13": _CAST,  # the count of a plural message
    "exports.ocds.x__day_start__mutmut_9": "time(0) is time(0, 0): the minute defaults to 0",
    "exports.ocds.x__day_start__mutmut_10": "time(0, ) is time(0, 0): the minute defaults to 0",
    "exports.ocds.x_release_package__mutmut_22": "msgspec.json.format indents by 2 when not told",
    "exports.package.x_file_stem__mutmut_8": "adding X to the kept punctuation changes nothing: X is a letter, kept anyway",
    "exports.package.x_tender_package__mutmut_35": "ensure_ascii=None is false, as False is: letters are written as themselves",
    "exports.ocds_criteria.x_award_criteria__mutmut_8": "fields() leaves out a description of None as it does an empty one",
    "exports.ocds_criteria.x_award_criteria__mutmut_29": "fields() leaves out a description of None as it does an empty one",
    **{f"registry.tenders.snapshot.x__tender__mutmut_{n}": _SNAPSHOT_ASSERT for n in range(3, 8)},
    "registry.tenders.snapshot.xǁ_Textsǁrequirement__mutmut_103": "validation refuses an added value on any selection but an award criterion",
    **{f"registry.tenders.snapshot.xǁ_Textsǁ{name}": _ORDERED_SET for name in ("requirement__mutmut_17", "text__mutmut_7")},
    "registry.tenders.snapshot.x_build_snapshot__mutmut_146": (
        "amendments are inserted in the order of their numbers, and SQLite, where mutants run, reads them back in that order unasked"
    ),
    "registry.organizations.service.x__check_roles__mutmut_9": "every role that fits only some kinds fits exactly one, so the separator never shows",
    "registry.organizations.service.x__accounts__mutmut_2": _JOIN,
    "registry.organizations.service.x__accounts__mutmut_4": _JOIN,
    "registry.organizations.service.x_by_name__mutmut_2": _SQLITE_NAMESAKES,
    "registry.organizations.service.x_by_name__mutmut_4": _SQLITE_NAMESAKES,
    "registry.organizations.service.x_find_municipalities__mutmut_26": _SQLITE_LIKE,
    "registry.organizations.service.x__registered_numbers__mutmut_20": (
        "each country writes its numbers its own way (NO nine digits, DK eight, SE six and four, FI seven and one, with hyphens): "
        "one country's number never equals another's"
    ),
    **{f"registry.organizations.service.x_create_user__mutmut_{n}": _EMAIL_INDEX for n in (27, 28)},
    "registry.organizations.service.x_by_name__mutmut_6": _PARTICIPANT_JOIN,
    "registry.organizations.service.x_by_name__mutmut_8": _PARTICIPANT_JOIN,
    "registry.organizations.service.x__create_admin__mutmut_8": "org_number left out is None, as given",
    "registry.organizations.service.x__keep_an_active_admin__mutmut_6": _FRESH,  # populate_existing=None
    "registry.organizations.service.x__keep_an_active_admin__mutmut_7": "the order of the locks only keeps two PostgreSQL demotions from deadlocking",
    "registry.organizations.service.x__keep_an_active_admin__mutmut_10": _FRESH,  # populate_existing=False
    "registry.organizations.service.x_list_members__mutmut_7": _MEMBER_ORDER,  # order_by(name, None)
    "registry.organizations.service.x_list_members__mutmut_9": _MEMBER_ORDER,  # order_by(name)
    **{f"registry.organizations.service.x_with_account__mutmut_{n}": _AT_IMPORT for n in range(1, 15)},
    "registry.requirements.service.x__module__mutmut_8": _LIB_LOCK,
    "registry.requirements.service.x__module__mutmut_9": _LIB_LOCK,
    "registry.requirements.service.x__module__mutmut_10": _LIB_LOCK,
    "registry.requirements.service.x__module__mutmut_1": "a module's versions loaded when not asked for: more reading, the same answers",
    "registry.requirements.service.x__module__mutmut_2": _LIB_LOCK,
    "registry.requirements.service.x__version__mutmut_11": _LIB_LOCK,  # populate_existing=None: the version read under the lock not refreshed
    **{
        f"registry.requirements.service.x_library_changed__mutmut_{n}": "the library's ETags go stale when its revision takes any value it never held"
        for n in (4, 5)  # revision - 1, revision + 2
    },
    "registry.requirements.service.x__version__mutmut_1": _LIB_LOCK,
    "registry.requirements.service.x__version__mutmut_5": _LIB_LOCK,
    "registry.requirements.service.x__version__mutmut_8": _LIB_LOCK,
    **{f"registry.requirements.service.x_update_draft__mutmut_{n}": _LIB_LOCK for n in (6, 11, 13)},
    **{f"registry.requirements.service.x_deprecate__mutmut_{n}": _LIB_LOCK for n in (6, 11, 13)},
    **{f"registry.requirements.service.x_new_draft__mutmut_{n}": _LIB_LOCK for n in (5, 9, 11)},
    "registry.requirements.service.x_update_draft__mutmut_27": _PARTIAL,
    "registry.requirements.service.x_create_module__mutmut_14": _PARTIAL,
    "registry.requirements.service.x_publish__mutmut_31": "complete=True is check_content's default",
    "registry.requirements.service.x_publish__mutmut_49": "version numbers start at 1: max(1, number) is number, as max(0, number) is",
    **{f"registry.requirements.service.x_publish__mutmut_{n}": _LIB_LOCK for n in (6, 11, 13)},
    **{f"registry.requirements.service.x__among__mutmut_{n}": _MODULE_JOIN for n in (3, 5)},
    **{f"registry.requirements.service.x_newest_published__mutmut_{n}": _MODULE_JOIN for n in (10, 12)},
    "registry.requirements.service.x_newest_published__mutmut_7": "callers look up only the keys they asked for: more rows, the same answers",
    "registry.requirements.service.x_list_modules__mutmut_1": "the route always passes limit; the default is never used",
    "registry.requirements.service.x_list_modules__mutmut_2": "the route always passes offset; the default is never used",
    "registry.requirements.service.x_list_modules__mutmut_58": "the dialect only picks PostgreSQL's search; None takes SQLite's, where mutants run",
    "registry.requirements.service.x_list_modules__mutmut_80": "asking for the summaries of no ids finds none: one query more, the same rows",
    "registry.requirements.service.x__listing__mutmut_13": "WHERE NULL selects no row, as WHERE false does",
    "registry.requirements.service.x_list_etag__mutmut_5": "a digest one character longer names the query as surely: ETags are compared whole",
    "registry.requirements.service.x__remember__mutmut_7": "popitem(last=None) is popitem(last=False): None is false",
    **{f"registry.requirements.service.x_list_modules__mutmut_{n}": _SQLITE_LIKE for n in (44, 45)},
    **{f"registry.requirements.service.x_version_etag__mutmut_{n}": _ETAG_ONLY_KEYS for n in (22, 23, 24)},
}

TIMED_OUT = {-24, 24, 152}  # SIGXCPU: over the CPU or the wall-clock limit
KILLED = {1, 3, 36, 37, 255} | TIMED_OUT  # test failure, pytest error, refused by the type checker, timeouts
COPIED = ["registry", "exports", "tests", "requirement_templates", "pyproject.toml"]


def short(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def prepare(module: str) -> Path:
    work = WORK / short(module)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree(source, work / name, ignore=ignore) if source.is_dir() else shutil.copy2(source, work / name))
    tests = [t for t in MODULES[module] if (ROOT / t).exists()]
    lines = [
        "[mutmut]",
        "source_paths = registry\n    exports",
        f"only_mutate = {module}",
        "also_copy = requirement_templates",
        "pytest_add_cli_args_test_selection = " + "\n    ".join(tests),
        "pytest_add_cli_args = -x\n    -q\n    -p\n    no:randomly\n    --assert=plain\n    --tb=no",
        # mutmut times each mutant's run by its tests' call phase alone; here their set-up (a database and an app per
        # test) takes up to twenty times as long, so a tighter limit cuts off mutants that survive and counts them killed
        "timeout_multiplier = 10.0",
        "timeout_constant = 30.0",
    ]
    (work / "setup.cfg").write_text("\n".join(lines) + "\n")
    return work


def results(work: Path, module: str) -> tuple[int, int, list[str], int]:
    """Killed and counted mutants, the survivors by name, and how many of the killed were cut off by the time limit."""
    meta = work / "mutants" / (module + ".meta")
    if not meta.exists():
        return 0, 0, [], 0
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    killed = timed_out = counted = 0
    survivors = []
    for name, code in sorted(codes.items()):
        if name in EQUIVALENT:
            continue
        counted += 1
        if code in KILLED:
            killed += 1
            timed_out += code in TIMED_OUT
        else:  # survived (0), or never run by a selected test (33: no test reaches it; None: code run at import, such as route guards)
            survivors.append(name if code == 0 else f"{name} (not reached)")
    return killed, counted, survivors, timed_out


def run(module: str, cores: int) -> tuple[int, int, list[str], int, float]:
    work = prepare(module)
    started = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    schemas = ROOT.parent / "shared" / "reference" / "ocds-1.1.5"  # where tests/exports/readback.py looks, seen from the copy
    if "OCDS_SCHEMA_DIR" not in env and schemas.is_dir():
        env["OCDS_SCHEMA_DIR"] = str(schemas)
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    subprocess.run([mutmut, "run", "--max-children", str(cores)], cwd=work, env=env, check=False, stdout=subprocess.DEVNULL)
    return *results(work, module), time.monotonic() - started


def main(argv: list[str]) -> int:
    wanted = [a for a in argv if not a.startswith("-")]
    # the modules named, in the order asked; every module when none is named
    chosen = list(dict.fromkeys(m for w in wanted for m in MODULES if m == w or short(m).endswith(w))) if wanted else list(MODULES)
    cores = int(os.environ.get("MUTATION_CORES", os.cpu_count() or 2))
    rows = []
    for module in chosen:
        print(f"== {module}: mutating against {' '.join(MODULES[module])}", flush=True)
        killed, total, survivors, timed_out, seconds = run(module, cores)
        for name in survivors:
            print(f"   survived: {name}")
        unreached = sum(name.endswith(" (not reached)") for name in survivors)
        score = f"{100 * killed / total if total else 0:.1f}%"
        print(f"   {killed} of {total} killed ({score}; {timed_out} by timeout), {unreached} not reached by its tests, in {seconds:.0f}s", flush=True)
        rows.append((module, killed, total, seconds))
    print()
    print(f"{'module':<40} {'killed':>7} {'total':>6} {'score':>7} {'time':>7}")
    for module, killed, total, seconds in rows:
        score = f"{100 * killed / total:.1f}%" if total else "-"
        print(f"{module:<40} {killed:>7} {total:>6} {score:>7} {seconds:>6.0f}s")
    print(f"equivalent mutants left out: {len(EQUIVALENT)}; details: .venv/bin/mutmut show <name> in .mutation/<module>/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
