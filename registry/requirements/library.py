"""Import the library from template files into the database, and export it back.

Import is idempotent: the same content is the same version. Changing the text of a version that
is published in the database is refused; a new version needs a new ``[[versions]]`` entry.
The whole import is one transaction: any problem leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry.audit.service import record
from registry.db.base import utcnow
from registry.problems import RuleViolation
from registry.requirements import schemas, service
from registry.requirements.content import Jurisdiction, Reference, VersionContent
from registry.requirements.models import ModuleVersion, RequirementModule, VocabularyTerm
from registry.requirements.templates import CATALOGUE_FILE, Catalogue, ModuleTemplate, TemplateVersion, load_library, stated

Progress = Callable[[str], None]


async def import_library(session: AsyncSession, directory: Path, progress: Progress | None = None) -> schemas.ImportReport:
    catalogue, templates = load_library(directory)
    await _store_catalogue(session, catalogue)
    existing = {
        m.key: m
        for m in await session.scalars(
            select(RequirementModule).options(selectinload(RequirementModule.versions), selectinload(RequirementModule.terms))
        )
    }
    report = schemas.ImportReport()
    problems: list[tuple[str, str]] = []
    for template in templates:
        module = existing.get(template.key)
        if module is None:
            module = RequirementModule(key=template.key, current_version=None, draft_version=None, versions=[])
            session.add(module)
            report.modules_created += 1
        _apply_metadata(module, template)
        problems += _apply_versions(module, template, report)
        if progress:
            progress(template.key)
    if problems:
        raise RuleViolation("the library files conflict with the registry", errors=problems)
    await session.flush()
    await service.library_changed(session)
    record(session, None, "library.import", "library", directory.name, **msgspec.structs.asdict(report))
    return report


async def _store_catalogue(session: AsyncSession, catalogue: Catalogue) -> None:
    await session.execute(delete(VocabularyTerm))
    for vocabulary in service.VOCABULARIES:
        for position, term in enumerate(getattr(catalogue, vocabulary)):
            session.add(VocabularyTerm(vocabulary=vocabulary, key=term.key, position=position, label=term.label))


def _apply_metadata(module: RequirementModule, template: ModuleTemplate) -> None:
    module.category = template.category
    module.family = template.family
    module.jurisdictions = list(template.jurisdictions)
    module.last_reviewed = template.last_reviewed
    module.product_categories = list(template.product_categories)
    module.tags = list(template.tags)
    module.references = [msgspec.to_builtins(r) for r in template.references]
    service.set_terms(module)


def _content(template_version: TemplateVersion) -> VersionContent:
    fields = {f: getattr(template_version, f) for f in VersionContent.__struct_fields__}
    return VersionContent(**fields)


def _apply_versions(module: RequirementModule, template: ModuleTemplate, report: schemas.ImportReport) -> list[tuple[str, str]]:
    by_number = {v.version: v for v in module.versions}
    problems = []
    for entry in template.versions:
        content = _content(entry)
        row = by_number.get(entry.version)
        where = f"{template.key} v{entry.version}"
        if row is None:
            row = ModuleVersion(version=entry.version, status="draft")
            service.fill_version(row, module, content)
            module.versions.append(row)
            report.versions_created += 1
        elif row.content_hash != service.content_hash(content):
            if row.status != "draft":
                problems.append((where, f"the text of a {row.status} version cannot change; add version {len(module.versions) + 1} instead"))
                continue
            service.fill_version(row, module, content)
            row.revision += 1
            report.versions_updated += 1
        else:
            service.index_version(row, module, content)  # tags and references feed the search text
            report.versions_unchanged += 1
        problems += _apply_status(module, row, entry, where)
    return problems


def _apply_status(module: RequirementModule, row: ModuleVersion, entry: TemplateVersion, where: str) -> list[tuple[str, str]]:
    order = ("draft", "published", "deprecated")
    if order.index(entry.status) < order.index(row.status):
        return [(where, f"is {row.status} in the registry; a file cannot make it {entry.status} again")]
    now = utcnow()
    if entry.status != "draft" and row.status == "draft":
        row.status, row.published_at = "published", now
    if entry.status == "deprecated" and row.status == "published":
        row.status, row.deprecated_at, row.replaced_by = "deprecated", now, entry.replaced_by
    published = [v.version for v in module.versions if v.status != "draft"]
    drafts = [v.version for v in module.versions if v.status == "draft"]
    module.current_version = max(published, default=None)
    module.draft_version = max(drafts, default=None)
    return []


async def export_library(session: AsyncSession, directory: Path) -> int:
    """Write the catalogue and every module (all versions) as template files; returns the module count."""
    catalogue = await service.catalogue(session)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CATALOGUE_FILE).write_bytes(msgspec.toml.encode(catalogue))
    modules = await session.scalars(select(RequirementModule).options(selectinload(RequirementModule.versions)).order_by(RequirementModule.key))
    count = 0
    for module in modules:
        template = ModuleTemplate(
            key=module.key,
            category=module.category,
            family=module.family,
            jurisdictions=msgspec.convert(module.jurisdictions, list[Jurisdiction]),
            last_reviewed=module.last_reviewed,
            product_categories=module.product_categories,
            tags=module.tags,
            references=[msgspec.convert(r, Reference) for r in module.references],
            versions=[],
        )
        versions = [
            TemplateVersion(**msgspec.structs.asdict(service.decode_content(v)), version=v.version, status=v.status, replaced_by=v.replaced_by)
            for v in module.versions
        ]
        path = directory / module.category / f"{module.key}.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(msgspec.toml.encode(msgspec.to_builtins(template) | {"versions": stated(versions)}))
        count += 1
    return count
