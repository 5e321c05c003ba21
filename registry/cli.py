"""The ``registry`` command: run the service, migrate, and administer from the shell."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import click
import msgspec
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import OrgKind, Role
from registry.db.engine import is_sqlite
from registry.db.migrate import SchemaMismatch, check_schema, database_revision, head_revision, newer_than_code, upgrade
from registry.db.transactions import Database
from registry.problems import DomainError
from registry.settings import MAX_TOKEN_DAYS_LIMIT, Settings, SettingsError

if TYPE_CHECKING:
    from registry.organizations.schemas import Country

T = TypeVar("T")
console = Console(stderr=True)


def fail(message: str) -> None:
    console.print("[red]error:[/red]", escape(message), soft_wrap=True)
    raise SystemExit(1)


def spinner() -> Progress:
    """A spinner with a changing description, shown only on a terminal: piped or logged output keeps no residue of it."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True, disable=not console.is_terminal)


def this_command() -> str:
    """How to call this command again: the script's path when a script named ``registry`` runs (``.venv/bin/registry``),
    relative to the working folder when inside it; else ``registry``."""
    script = os.path.abspath(sys.argv[0])
    if os.path.basename(script) != "registry":
        return "registry"
    relative = os.path.relpath(script)
    return shlex.quote(script if relative.startswith("..") else relative)


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        fail(str(exc))
        raise  # unreachable


async def _ready_to_serve(session: AsyncSession, settings: Settings) -> None:
    """Run in ``in_transaction`` before serving, so an unmigrated database or an admin that cannot be bootstrapped
    stops the start with one line saying what to do (the application's own start-up then finds the admin in place)."""
    from registry.auth.service import bootstrap_admin

    if settings.bootstrap_admin_token:
        await bootstrap_admin(session, settings.bootstrap_admin_token)


def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction on a migrated database; domain errors end the command."""

    async def run() -> T:
        database = Database(settings.url)
        try:
            await check_schema(database.engine)
            async with database.writes.begin() as session:
                return await work(session)
        finally:
            await database.dispose()

    try:
        return reaching_database(settings, lambda: asyncio.run(run()))
    except (SchemaMismatch, DomainError) as exc:
        detail = str(exc)
        if isinstance(exc, DomainError) and exc.errors:
            detail += ": " + "; ".join(f"{e.field} {e.message}" for e in exc.errors)
        fail(detail)
        raise  # unreachable


def reaching_database(settings: Settings, call: Callable[[], T]) -> T:
    """``call()``; a database that cannot be reached ends the command with one line naming the setting."""
    url = make_url(settings.url)
    where = url.render_as_string(hide_password=True)
    if is_sqlite(settings.url) and url.database and not Path(url.database).parent.is_dir():
        fail(f"the folder of the database {where} does not exist; check REGISTRY_DATABASE_URL")
    try:
        return call()
    except (OSError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(f"cannot reach the database {where} ({reason}); check REGISTRY_DATABASE_URL")
        raise  # unreachable


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Procurement requirements and supplier-evidence registry for Nordic welfare technology.

    Settings come from REGISTRY_* environment variables (see the README); the default is a
    SQLite database under ./data.
    """


@main.command()
@click.option("--host", default="127.0.0.1", envvar="REGISTRY_HOST", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, type=click.IntRange(1, 65535), envvar="REGISTRY_PORT", show_default=True)
@click.option(
    "--workers", default=1, type=click.IntRange(1, 64), envvar="REGISTRY_WORKERS", show_default=True,
    help="Processes serving on the one port (about one per core; with PostgreSQL, as SQLite takes one write at a time).",
)  # fmt: skip
def serve(host: str, port: int, workers: int) -> None:
    """Start the web API (the database must be migrated: `registry migrate`)."""
    import uvicorn

    from registry.app import OPENAPI_PATH, create_app, prepare, served

    settings = load_settings()
    if not os.environ.get("REGISTRY_PUBLIC_URL"):
        settings = msgspec.structs.replace(settings, public_url=f"http://{host}:{port}")
        os.environ["REGISTRY_PUBLIC_URL"] = settings.public_url  # the workers read their settings from the environment
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    in_transaction(settings, lambda session: _ready_to_serve(session, settings))
    base = f"http://{host}:{port}"
    console.print(f"API:  {base}/api/v1   docs: {base}{OPENAPI_PATH}   health: {base}/health", soft_wrap=True)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": settings.log_level.lower(), "server_header": False}
    if workers == 1:
        uvicorn.run(served(create_app(settings)), **options)
        return

    async def prepared() -> None:  # once, here, rather than racing in every worker
        database = Database(settings.url)
        try:
            await prepare(settings, database)
        finally:
            await database.dispose()

    reaching_database(settings, lambda: asyncio.run(prepared()))
    # a worker answers the supervisor's health checks only once it has imported everything: give a busy machine time
    uvicorn.run("registry.app:worker_app", factory=True, workers=workers, timeout_worker_healthcheck=60, **options)


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema to this version of the code."""
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    before, head = reaching_database(settings, lambda: database_revision(settings.url)), head_revision()
    if before is not None and (refusal := newer_than_code(before)):
        fail(str(refusal))
    if before != head:
        reaching_database(settings, lambda: upgrade(settings.url))
    console.print(migration_report(before, head))


def migration_report(before: str | None, head: str) -> str:
    if before == head:
        return f"the database schema is up to date (revision {head})"
    if before is None:
        return f"created the database schema (revision {head})"
    return f"upgraded the database schema from revision {before} to {head}"


@main.group()
def admin() -> None:
    """Organizations, users and tokens, for the operator."""


@admin.command("create-org")
@click.option("--kind", type=click.Choice(["municipality", "supplier", "federation", "authority"]), required=True)
@click.option("--name", required=True)
@click.option("--country", type=click.Choice(["NO", "SE", "DK", "FI"]), required=True)
@click.option("--org-number", help="The organization number, checked by the country's rule.")
def create_org(kind: OrgKind, name: str, country: Country, org_number: str | None) -> None:
    """Register an organization and print its id."""
    from registry.organizations import schemas, service

    data = schemas.OrganizationCreate(kind=kind, name=name, country=country, org_number=org_number)
    organization = in_transaction(load_settings(), lambda s: service.create_organization(s, None, data))
    click.echo(organization.id)


@admin.command("create-user")
@click.option("--org", "organization_id", type=click.UUID, required=True, help="Organization id.")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
def create_user(organization_id: UUID, name: str, email: str, roles: tuple[str, ...]) -> None:
    """Add a user to an organization and print the user's id."""
    from registry.organizations import schemas, service

    data = schemas.UserCreate(name=name, email=email, roles=[Role(r) for r in roles])
    user = in_transaction(load_settings(), lambda s: service.create_user(s, None, organization_id, data))
    click.echo(user.id)


@admin.command("create-admin")
@click.option("--email", default="admin@registry.invalid", show_default=True)
def create_admin(email: str) -> None:
    """Print a new admin token that never expires, once (revoke it through the API when done).

    The token is for the first active admin. When there is none, the user with EMAIL is made an
    active admin again, or a new admin is created with it.
    """
    from registry.auth import service

    async def work(session: AsyncSession) -> str:
        return (await service.create_admin_token(session, email)).token

    click.echo(in_transaction(load_settings(), work))


@admin.command("create-token")
@click.option("--user", "user_id", type=click.UUID, required=True, help="User id.")
@click.option("--name", default="cli", show_default=True)
@click.option(
    "--expires-days",
    type=click.IntRange(1, MAX_TOKEN_DAYS_LIMIT),
    help="Days until the token expires [default: REGISTRY_MAX_TOKEN_DAYS]; the operator may go beyond that maximum.",
)
def create_token(user_id: UUID, name: str, expires_days: int | None) -> None:
    """Issue an API token for a user and print the secret (shown only this once)."""
    import msgspec

    from registry.auth import service

    settings = load_settings()

    async def work(session: AsyncSession) -> str:
        days = msgspec.UNSET if expires_days is None else expires_days
        return (await service.issue_token(session, None, user_id, name, days, max_days=settings.max_token_days)).token

    click.echo(in_transaction(settings, work))


@admin.command("invite-user")
@click.option("--user", "user_id", type=click.UUID, required=True, help="User id.")
@click.option("--days", type=click.IntRange(1, 60), default=7, show_default=True, help="Days the link stays valid.")
def invite_user(user_id: UUID, days: int) -> None:
    """Print a one-time link at which the user sets their password for the web interface (shown only this once)."""
    from registry.auth import people

    settings = load_settings()

    async def work(session: AsyncSession) -> str:
        secret, _ = await people.invite(session, None, user_id, days=days)
        return people.invitation_link(settings.public_url, secret)

    click.echo(in_transaction(settings, work))


@admin.command("import-organizations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_organizations(file: Path) -> None:
    """Create or update organizations and federation memberships from a CSV file, in one transaction.

    \b
    Columns, named in a header row (UTF-8, with or without BOM; comma or semicolon):
      country        NO, SE, DK or FI
      kind           municipality, supplier, federation or authority
      name
      org_number     checked by the country's rule; authorities may leave it empty
      federation     optional: organization number or exact name of a federation, in
                     the file or registered, that the municipality becomes a member of
      contact_email  optional: the organization's general contact address

    Every row is checked first: bad rows are listed with their line numbers and nothing is
    stored. Organizations are matched by country and organization number (authorities
    without one by exact name): new ones are created, changed names and contacts updated;
    an empty contact_email keeps the stored one. Memberships are only added, never removed.
    Running the same file again changes nothing. Audited as the operator's writes.
    """
    from registry.organizations.importing import ImportRefused
    from registry.organizations.importing import import_organizations as run_import

    content = file.read_bytes()
    try:
        with spinner() as bar:
            task = bar.add_task("importing", total=None)
            report = in_transaction(
                load_settings(), lambda s: run_import(s, content, source=file.name, step=lambda what: bar.update(task, description=what))
            )
    except ImportRefused as exc:
        for error in exc.errors:
            console.print(str(error), soft_wrap=True, markup=False, highlight=False)
        fail(f"{file}: {exc}")
    console.print(str(report), soft_wrap=True, markup=False, highlight=False)


@main.group()
def library() -> None:
    """The requirement module library: import and export template files."""


@library.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_library(directory: Path) -> None:
    """Load a folder of module files (idempotent; published texts cannot change)."""
    from registry.requirements.library import import_library as run_import
    from registry.requirements.templates import TemplateError

    with spinner() as bar:
        task = bar.add_task("importing", total=None)
        try:
            report = in_transaction(load_settings(), lambda s: run_import(s, directory, lambda key: bar.update(task, description=key)))
        except TemplateError as exc:
            fail(f"the library files are invalid:\n{exc}")
    console.print(
        f"{report.modules_created} modules created, {report.versions_created} versions created, "
        f"{report.versions_updated} drafts updated, {report.versions_unchanged} unchanged"
    )


@library.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_library(directory: Path) -> None:
    """Write every module and version as template files into DIRECTORY."""
    from registry.requirements.library import export_library as run_export

    count = in_transaction(load_settings(), lambda s: run_export(s, directory))
    console.print(f"{count} modules written to {directory}")


@main.command("export")
@click.argument("tender_id", type=click.UUID)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "annex", "xlsx", "ocds", "package"]), required=True,
    help="Which document: the tender document, its contract annex, the response form, OCDS, or a ZIP of them all.",
)  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def export_tender(tender_id: UUID, fmt: str, output: Path) -> None:
    """Export a tender as the DOCX tender document or contract annex, the XLSX response form, OCDS JSON, or the package of them all."""
    from registry.tenders import snapshot, storage

    settings = load_settings()

    async def work(session: AsyncSession) -> snapshot.Export:
        tender, owner = await storage.load(session, tender_id)
        return await snapshot.export(session, tender, owner, fmt, publisher=snapshot.Publisher.of(settings))

    with spinner() as bar:
        bar.add_task(f"exporting {fmt}", total=None)
        result = in_transaction(settings, work)
    output.write_bytes(result.content)
    console.print(f"wrote {output} ({len(result.content):,} bytes)")


@main.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"), show_default=True)
def demo(output: Path) -> None:
    """Build a demonstration registry in OUTPUT (its own SQLite database) and write the tender's exports there.

    Browse it afterwards with `REGISTRY_DATA_DIR=OUTPUT registry serve`.
    """
    from registry.demo import build_demo
    from registry.requirements.library import import_library as run_import
    from registry.tenders import snapshot, storage

    if (output / "registry.db").exists():
        fail(f"{output} already holds a demo database; choose another --output or delete it")
    output.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env({}, data_dir=output, library_dir=load_settings().library_dir)
    files: list[Path] = []
    with spinner() as bar:
        task = bar.add_task("database", total=None)
        upgrade(settings.url)

        async def work(session: AsyncSession) -> None:
            bar.update(task, description="starter library")
            await run_import(session, settings.library_dir)
            tender_id = await build_demo(session, lambda step: bar.update(task, description=step), snapshot.Publisher.of(settings))
            tender, owner = await storage.load(session, tender_id)
            for fmt in snapshot.FORMATS:
                bar.update(task, description=f"export {fmt}")
                result = await snapshot.export(session, tender, owner, fmt, publisher=snapshot.Publisher.of(settings))
                (output / result.filename).write_bytes(result.content)
                files.append(output / result.filename)

        in_transaction(settings, work)
    console.print(f"demo registry in {output / 'registry.db'}; exports:", soft_wrap=True, markup=False)
    for path in files:
        console.print(f"  {path}", soft_wrap=True, markup=False)
    on_demo = f"REGISTRY_DATA_DIR={shlex.quote(str(output))}" + (" REGISTRY_DATABASE_URL=" if os.environ.get("REGISTRY_DATABASE_URL") else "")
    console.print(f"browse it:       {on_demo} {this_command()} serve", soft_wrap=True, markup=False)
    console.print(f"an admin token:  {on_demo} {this_command()} admin create-admin", soft_wrap=True, markup=False)


if __name__ == "__main__":
    sys.exit(main())
