"""Requirement modules and their versions: create, edit drafts, publish, deprecate, find, render."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

import msgspec
from sqlalchemy import Select, and_, bindparam, exists, false, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry.audit.service import record
from registry.auth.principal import Principal, Role
from registry.db.base import utcnow
from registry.db.paging import page_of_keys
from registry.db.revisions import bump_revision
from registry.problems import Conflict, NotFound, PreconditionFailed, PreconditionRequired, RuleViolation
from registry.requirements import schemas
from registry.requirements.content import Kind, Reference, VersionContent
from registry.requirements.models import LibraryState, ModuleTerm, ModuleVersion, RequirementModule, VocabularyTerm
from registry.requirements.rendering import render as render_content
from registry.requirements.search import search_text, version_matches
from registry.requirements.templates import Catalogue, Term, check_content

VOCABULARIES = ("categories", "product_categories", "study_designs", "outcome_domains", "document_types")


def is_editor(actor: Principal | None) -> bool:
    """Whether ``actor`` sees drafts: library editors do; anonymous readers (``None``) see the published library."""
    return actor is not None and actor.has(Role.library_editor)


async def catalogue(session: AsyncSession) -> Catalogue:
    rows = await session.scalars(select(VocabularyTerm).order_by(VocabularyTerm.position))
    terms: dict[str, list[Term]] = {v: [] for v in VOCABULARIES}
    for row in rows:
        terms[row.vocabulary].append(Term(row.key, row.label))
    return Catalogue(**{v: terms[v] for v in VOCABULARIES})


def content_hash(content: VersionContent) -> str:
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


DECODED_KEPT = 4096
"""Decoded contents kept in the process, the least recently used going first."""
_decoded: OrderedDict[str, VersionContent] = OrderedDict()


def decode_content(version: ModuleVersion) -> VersionContent:
    """The version's content as a struct, decoded once per process for each distinct content (kept by its hash, so a
    draft's new text is decoded anew): a large tender's check reads the same thousand pinned versions each time.
    Callers never change the struct they get."""
    return _recalled(version.content_hash) or _remember(version.content_hash, version.content)


def _recalled(content_hash: str) -> VersionContent | None:
    found = _decoded.get(content_hash)
    if found is not None:
        _decoded.move_to_end(content_hash)
    return found


def _remember(content_hash: str, content: Any) -> VersionContent:
    decoded = _decoded[content_hash] = msgspec.convert(content, VersionContent)
    if len(_decoded) > DECODED_KEPT:
        _decoded.popitem(last=False)
    return decoded


def module_errors(catalogue_: Catalogue, category: str, product_categories: list[str]) -> list[tuple[str, str]]:
    errors = []
    if category not in catalogue_.keys("categories"):
        errors.append(("category", f"unknown category {category!r}; see GET /api/v1/catalogue"))
    errors += [
        (f"product_categories[{i}]", f"unknown product category {pc!r}")
        for i, pc in enumerate(product_categories)
        if pc not in catalogue_.keys("product_categories")
    ]
    return errors


async def library_changed(session: AsyncSession) -> None:
    """Move the library's revision: every write to modules, versions or vocabularies calls this, last."""
    await session.execute(update(LibraryState).values(revision=LibraryState.revision + 1))


_LIBRARY_REVISION = select(LibraryState.revision)


async def list_etag(session: AsyncSession, actor: Principal | None, query: str) -> str:
    """The ETag of a module list: the library's revision, whether the reader sees drafts, and the query string.

    Read before the list itself, so a list kept under this ETag is never older than the revision it names.
    """
    revision = await session.scalar(_LIBRARY_REVISION)
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    return f'"modules.{revision}.{int(is_editor(actor))}.{digest}"'


def set_terms(module: RequirementModule) -> None:
    values = {("product_category", pc) for pc in module.product_categories}
    values |= {("tag", t) for t in module.tags}
    values |= {("standard", r["identifier"]) for r in module.references}
    module.terms = [ModuleTerm(kind=k, value=v) for k, v in sorted(values)]


def fill_version(version: ModuleVersion, module: RequirementModule, content: VersionContent) -> None:
    """Write ``content`` and everything derived from it into the version row."""
    version.content = msgspec.to_builtins(content)
    version.content_hash = content_hash(content)
    version.kind = content.kind
    version.level = content.level
    version.languages = " " + " ".join(sorted(lang for lang, text in content.statement.items() if text)) + " "
    index_version(version, module, content)


def index_version(version: ModuleVersion, module: RequirementModule, content: VersionContent) -> None:
    version.search_text = search_text(module.key, content, module.tags, module.references)


async def _module(session: AsyncSession, key: str, *, with_versions: bool = False, lock: bool = False) -> RequirementModule:
    """The module by key; ``lock`` takes its row lock for the transaction and reads its latest state.

    Every write to a module or its versions takes that lock first, so checks (If-Match, status)
    and the write are one atomic step and concurrent editors queue.
    """
    query = select(RequirementModule).where(RequirementModule.key == key)
    if lock:
        query = query.with_for_update(of=RequirementModule).execution_options(populate_existing=True)
    if with_versions:
        query = query.options(selectinload(RequirementModule.versions))
    module = await session.scalar(query)
    if module is None:
        raise NotFound(f"no requirement module {key}")
    return module


async def _version(session: AsyncSession, key: str, number: int, *, drafts: bool, lock: bool = False) -> tuple[RequirementModule, ModuleVersion]:
    """Version ``number`` of module ``key``; a draft only when ``drafts`` (a library editor, or a write that edits it)."""
    module = await _module(session, key, lock=lock)
    version = await session.scalar(
        select(ModuleVersion).where(ModuleVersion.module_id == module.id, ModuleVersion.version == number).execution_options(populate_existing=lock)
    )
    if version is None or (version.status == "draft" and not drafts):
        raise NotFound(f"no version {number} of {key}")
    return module, version


def _check_if_match(version: ModuleVersion, key: str, if_match: str | None) -> None:
    if if_match is None:
        raise PreconditionRequired("send If-Match with the ETag of the version you edited")
    current = schemas.version_etag(key, version.version, version.revision)
    if if_match.strip() not in (current, "*"):
        raise PreconditionFailed(f"the version changed since you read it; current ETag is {current}", current_etag=current)


def _editable(version: ModuleVersion, key: str) -> None:
    if version.status != "draft":
        raise Conflict(f"{key} version {version.version} is {version.status} and can never change; start a new version")


async def create_module(session: AsyncSession, actor: Principal | None, data: schemas.ModuleCreate) -> schemas.Version:
    catalogue_ = await catalogue(session)
    errors = module_errors(catalogue_, data.category, data.product_categories)
    errors += [(f"content.{f}", m) for f, m in check_content(data.content, catalogue_, complete=False)]
    if errors:
        raise RuleViolation("the module is not valid", errors=errors)
    if await session.scalar(select(RequirementModule.id).where(RequirementModule.key == data.key)):
        raise Conflict(f"a module with key {data.key} already exists")
    module = RequirementModule(
        key=data.key,
        category=data.category,
        family=data.family,
        jurisdictions=list(data.jurisdictions),
        last_reviewed=data.last_reviewed,
        product_categories=list(data.product_categories),
        tags=list(data.tags),
        references=[msgspec.to_builtins(r) for r in data.references],
        draft_version=1,
    )  # no current version until one is published
    set_terms(module)
    version = ModuleVersion(version=1, status="draft")
    fill_version(version, module, data.content)
    module.versions = [version]
    session.add(module)
    await session.flush()
    await library_changed(session)
    record(session, actor, "module.create", "requirement_module", module.key)
    return _shape_version(module, version)


_SUMMARY_COLUMNS = (
    RequirementModule.key, RequirementModule.category, RequirementModule.family, RequirementModule.jurisdictions,
    RequirementModule.last_reviewed, RequirementModule.product_categories,
    RequirementModule.tags, RequirementModule.draft_version, ModuleVersion.version, ModuleVersion.status, ModuleVersion.kind,
    ModuleVersion.level, ModuleVersion.content["title"], ModuleVersion.published_at, ModuleVersion.deprecated_at, ModuleVersion.replaced_by,
)  # fmt: skip
"""What a list shows of a module and its listed version: never the content (a list of 50 read ~1 MB of it)."""


def _with_listed_version(query: Select, status: str | None) -> Select:
    """``query`` joined to each module's listed version: the draft when ``status`` asks for drafts, else the current one."""
    number = RequirementModule.draft_version if status == "draft" else RequirementModule.current_version
    return query.join(ModuleVersion, and_(ModuleVersion.module_id == RequirementModule.id, ModuleVersion.version == number))


def _listing(actor: Principal | None, status: str | None) -> Select:
    """The ids of the modules listed with ``status``; filters narrow it, and only a page of them is then read whole."""
    query = _with_listed_version(select(RequirementModule.id), status)
    if status == "draft" and not is_editor(actor):
        return query.where(false())  # drafts are for library editors
    return query.where(ModuleVersion.status == (status or "published"))


def _has_term(kind: str, value: str):  # noqa: ANN202 - an SQL expression
    return exists().where(ModuleTerm.module_id == RequirementModule.id, ModuleTerm.kind == kind, ModuleTerm.value == value)


async def list_modules(
    session: AsyncSession,
    actor: Principal | None,
    *,
    category: str | None = None,
    product_category: str | None = None,
    kind: str | None = None,
    level: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    standard: str | None = None,
    language: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[schemas.ModuleSummary], int]:
    query = _listing(actor, status)
    if category:
        query = query.where(RequirementModule.category == category)
    if product_category:
        query = query.where(_has_term("product_category", product_category))
    if tag:
        query = query.where(_has_term("tag", tag))
    if standard:
        query = query.where(
            exists().where(
                ModuleTerm.module_id == RequirementModule.id,
                ModuleTerm.kind == "standard",
                func.lower(ModuleTerm.value).contains(standard.lower(), autoescape=True),
            )
        )
    if kind:
        query = query.where(ModuleVersion.kind == kind)
    if level:
        query = query.where(ModuleVersion.level == level)
    if language:
        query = query.where(ModuleVersion.languages.contains(f" {language} "))
    if q:
        query = query.where(*version_matches(q, session.get_bind().dialect.name))
    order = (RequirementModule.category, RequirementModule.key)
    ids, total = await page_of_keys(session, query.order_by(*order), limit, offset)
    # The page's rows are read apart from the filtering and sorting, which then touch no titles (JSON) nor wide rows.
    summaries = _with_listed_version(select(*_SUMMARY_COLUMNS), status).where(RequirementModule.id.in_(ids)).order_by(*order)
    rows = (await session.execute(summaries)).all() if ids else []
    if total == 0:  # an unknown filter value finds nothing; only then is the vocabulary read, to say so
        await _check_filters(session, category, product_category)
    editor = is_editor(actor)
    return [
        schemas.ModuleSummary(
            key=key,
            category=category_,
            family=family,
            jurisdictions=jurisdictions,
            last_reviewed=last_reviewed,
            product_categories=product_categories,
            tags=tags,
            current=schemas.VersionSummary(number, status_, kind_, level_, title, published, deprecated, replaced_by),
            draft_version=draft if editor else None,
        )  # fmt: skip
        for (
            key,
            category_,
            family,
            jurisdictions,
            last_reviewed,
            product_categories,
            tags,
            draft,
            number,
            status_,
            kind_,
            level_,
            title,
            published,
            deprecated,
            replaced_by,
        ) in rows  # fmt: skip
    ], total


async def _check_filters(session: AsyncSession, category: str | None, product_category: str | None) -> None:
    catalogue_ = await catalogue(session)
    errors = []
    if category and category not in catalogue_.keys("categories"):
        errors.append(("category", f"unknown category {category!r}"))
    if product_category and product_category not in catalogue_.keys("product_categories"):
        errors.append(("product_category", f"unknown product category {product_category!r}"))
    if errors:
        raise RuleViolation("unknown filter value", errors=errors)


async def get_module(session: AsyncSession, actor: Principal | None, key: str) -> schemas.Module:
    """A module with the version history ``actor`` may see; one with only a draft is for library editors."""
    module = await _module(session, key, with_versions=True)
    if module.current_version is None and not is_editor(actor):
        raise NotFound(f"no requirement module {key}")
    return _shape_module(module, actor)


async def visible_keys(session: AsyncSession, actor: Principal | None, keys: set[str]) -> set[str]:
    """Those of ``keys`` that name a module ``actor`` finds with ``get_module``."""
    if not keys:
        return set()
    query = select(RequirementModule.key).where(RequirementModule.key.in_(keys))
    if not is_editor(actor):
        query = query.where(RequirementModule.current_version.is_not(None))
    return set(await session.scalars(query))


async def get_version(session: AsyncSession, actor: Principal | None, key: str, number: int) -> schemas.Version:
    return _shape_version(*await _version(session, key, number, drafts=is_editor(actor)))


_VERSION_STATE = (
    select(ModuleVersion.status, ModuleVersion.revision)
    .select_from(RequirementModule)
    .outerjoin(ModuleVersion, and_(ModuleVersion.module_id == RequirementModule.id, ModuleVersion.version == bindparam("number")))
    .where(RequirementModule.key == bindparam("key"))
)
"""Built once, like every statement on the path of a conditional GET: composing it took longer than running it."""


async def version_etag(session: AsyncSession, actor: Principal | None, key: str, number: int) -> str:
    """The ETag ``get_version`` would give, from two small columns: enough to answer a conditional GET."""
    row = (await session.execute(_VERSION_STATE, {"key": key, "number": number})).first()
    if row is None:
        raise NotFound(f"no requirement module {key}")
    status, revision = row
    if status is None or (status == "draft" and not is_editor(actor)):
        raise NotFound(f"no version {number} of {key}")
    return schemas.version_etag(key, number, revision)


async def update_draft(
    session: AsyncSession, actor: Principal, key: str, number: int, content: VersionContent, if_match: str | None
) -> schemas.Version:
    module, version = await _version(session, key, number, drafts=True, lock=True)
    _editable(version, key)
    _check_if_match(version, key, if_match)
    errors = check_content(content, await catalogue(session), complete=False)
    if errors:
        raise RuleViolation("the content is not valid", errors=[(f"content.{f}", m) for f, m in errors])
    fill_version(version, module, content)
    await bump_revision(session, version)
    await library_changed(session)
    record(session, actor, "module.version.update", "requirement_module", key, version=number, revision=version.revision)
    return _shape_version(module, version)


async def publish(session: AsyncSession, actor: Principal | None, key: str, number: int, if_match: str | None = None) -> schemas.Version:
    """Publish a draft after the full checks (every language, scoring guidance for award criteria)."""
    module, version = await _version(session, key, number, drafts=True, lock=True)
    _editable(version, key)
    if if_match is not None:
        _check_if_match(version, key, if_match)
    errors = check_content(decode_content(version), await catalogue(session), complete=True)
    if errors:
        raise RuleViolation(f"{key} version {number} is not ready to publish", errors=[(f"content.{f}", m) for f, m in errors])
    version.status = "published"
    version.published_at = utcnow()
    module.current_version = max(module.current_version or 0, number)
    module.draft_version = None
    await bump_revision(session, version)
    await library_changed(session)
    record(session, actor, "module.version.publish", "requirement_module", key, version=number)
    return _shape_version(module, version)


async def deprecate(session: AsyncSession, actor: Principal | None, key: str, number: int, replaced_by: str | None) -> schemas.Version:
    module, version = await _version(session, key, number, drafts=True, lock=True)
    if version.status != "published":
        raise Conflict(f"only a published version can be deprecated; version {number} is {version.status}")
    if replaced_by is not None:
        if replaced_by == key or not await session.scalar(select(RequirementModule.id).where(RequirementModule.key == replaced_by)):
            raise RuleViolation("unknown replacement", errors=[("replaced_by", f"no other module {replaced_by}")])
    version.status = "deprecated"
    version.deprecated_at = utcnow()
    version.replaced_by = replaced_by
    await bump_revision(session, version)
    await library_changed(session)
    record(session, actor, "module.version.deprecate", "requirement_module", key, version=number, replaced_by=replaced_by)
    return _shape_version(module, version)


async def new_draft(session: AsyncSession, actor: Principal, key: str) -> schemas.Version:
    """Start the next version as a draft copy of the latest one."""
    module = await _module(session, key, with_versions=True, lock=True)
    if module.draft_version is not None:
        raise Conflict(f"{key} already has a draft (version {module.draft_version}); edit that one")
    latest = module.versions[-1]
    version = ModuleVersion(version=latest.version + 1, status="draft")
    fill_version(version, module, decode_content(latest))
    module.versions.append(version)
    module.draft_version = version.version
    await session.flush()
    await library_changed(session)
    record(session, actor, "module.version.create", "requirement_module", key, version=version.version)
    return _shape_version(module, version)


def _flatten(content: VersionContent) -> dict[str, Any]:
    """Content as ``field.path -> value``: texts per language, parameters by name."""
    flat: dict[str, Any] = {}
    for field, value in msgspec.structs.asdict(content).items():
        if field == "parameters":
            for parameter in value:
                flat[f"parameters.{parameter.name}"] = msgspec.to_builtins(parameter)
        elif isinstance(value, dict):
            for lang, text in value.items():
                flat[f"{field}.{lang}"] = text
        else:
            flat[field] = msgspec.to_builtins(value)
    return flat


async def diff(session: AsyncSession, actor: Principal | None, key: str, before: int, after: int) -> schemas.Diff:
    _, old = await _version(session, key, before, drafts=is_editor(actor))
    _, new = await _version(session, key, after, drafts=is_editor(actor))
    a, b = _flatten(decode_content(old)), _flatten(decode_content(new))
    changes = [schemas.FieldChange(f, a.get(f), b.get(f)) for f in sorted(a.keys() | b.keys()) if a.get(f) != b.get(f)]
    return schemas.Diff(key, before, after, changes)


async def render(session: AsyncSession, actor: Principal | None, key: str, number: int, request: schemas.RenderRequest) -> schemas.Rendered:
    _, version = await _version(session, key, number, drafts=is_editor(actor))
    rendered, errors = render_content(decode_content(version), request.language, request.parameters)
    if rendered is None:
        raise RuleViolation(f"cannot render {key} version {number}", errors=errors)
    return schemas.Rendered(key, number, rendered.language, rendered.title, rendered.statement, rendered.values, rendered.fallbacks)


# Shapes of the API


def _shape_version(module: RequirementModule, version: ModuleVersion) -> schemas.Version:
    return schemas.Version(
        key=module.key,
        version=version.version,
        status=version.status,
        revision=version.revision,
        content=decode_content(version),
        published_at=version.published_at,
        deprecated_at=version.deprecated_at,
        replaced_by=version.replaced_by,
    )


def _shape_summary(module: RequirementModule, current: ModuleVersion | None, actor: Principal | None) -> schemas.ModuleSummary:
    return schemas.ModuleSummary(
        key=module.key,
        category=module.category,
        family=module.family,
        jurisdictions=module.jurisdictions,
        last_reviewed=module.last_reviewed,
        product_categories=module.product_categories,
        tags=module.tags,
        current=_version_summary(current) if current else None,
        draft_version=module.draft_version if is_editor(actor) else None,
    )


def _shape_module(module: RequirementModule, actor: Principal | None) -> schemas.Module:
    versions = [v for v in module.versions if v.status != "draft" or is_editor(actor)]
    current = next((v for v in versions if v.version == module.current_version), None)
    return schemas.Module(
        **msgspec.structs.asdict(_shape_summary(module, current, actor)),
        references=msgspec.convert(module.references, list[Reference]),
        versions=[_version_summary(v) for v in versions],
    )


def _version_summary(version: ModuleVersion) -> schemas.VersionSummary:
    return schemas.VersionSummary(
        version=version.version,
        status=version.status,
        kind=version.kind,
        level=version.level,
        title=version.content["title"],
        published_at=version.published_at,
        deprecated_at=version.deprecated_at,
        replaced_by=version.replaced_by,
    )


# For other slices


def _among(query: Select, pairs: set[tuple[str, int]]) -> Select:
    """``query`` of modules joined with their non-draft versions among ``(key, version)`` pairs."""
    joined = query.join(ModuleVersion, ModuleVersion.module_id == RequirementModule.id)
    return joined.where(tuple_(RequirementModule.key, ModuleVersion.version).in_(sorted(pairs)), ModuleVersion.status != "draft")


_PINNED = (
    RequirementModule.key, ModuleVersion.version, ModuleVersion.id, ModuleVersion.status, ModuleVersion.replaced_by, RequirementModule.category,
    RequirementModule.jurisdictions, RequirementModule.references, ModuleVersion.content_hash,
)  # fmt: skip


async def _contents(session: AsyncSession, hashes: dict[tuple[str, int], str]) -> dict[tuple[str, int], VersionContent]:
    """The decoded content of each pinned ``(key, version)`` given with its content's hash: the process's decoded ones,
    and the others read (one query) and decoded."""
    found = {pair: content for pair, digest in hashes.items() if (content := _recalled(digest)) is not None}
    missing = set(hashes) - found.keys()
    if missing:
        rows = await session.execute(
            _among(select(RequirementModule.key, ModuleVersion.version, ModuleVersion.content_hash, ModuleVersion.content), missing)
        )
        found |= {(key, version): _remember(digest, content) for key, version, digest, content in rows}
    return found


async def pinned_kinds(session: AsyncSession, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], Kind]:
    """The kind of each non-draft version among ``(key, version)`` pairs, from one column: what a tender's view needs of them."""
    if not pairs:
        return {}
    rows = await session.execute(_among(select(RequirementModule.key, ModuleVersion.version, ModuleVersion.kind), pairs))
    return {(key, version): kind for key, version, kind in rows}


async def pinned_titles(session: AsyncSession, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], dict[str, str]]:
    """The title of each non-draft version among ``(key, version)`` pairs in every language, from one column: what a
    tender's pages name its requirements by."""
    if not pairs:
        return {}
    rows = await session.execute(_among(select(RequirementModule.key, ModuleVersion.version, ModuleVersion.content["title"]), pairs))
    return {(key, version): title for key, version, title in rows}


async def pinned(session: AsyncSession, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], schemas.PinnedVersion]:
    """The non-draft versions among ``(key, version)`` pairs as frozen structs, read in one query (two when some content
    was not decoded in this process before)."""
    if not pairs:
        return {}
    rows = (await session.execute(_among(select(*_PINNED), pairs))).all()
    contents = await _contents(session, {(row.key, row.version): row.content_hash for row in rows})
    return {
        (row.key, row.version): schemas.PinnedVersion(
            id=row.id, status=row.status, replaced_by=row.replaced_by, category=row.category,
            jurisdictions=row.jurisdictions, references=msgspec.convert(row.references, list[Reference]), content=contents[(row.key, row.version)],
        )  # fmt: skip
        for row in rows
    }


async def pinned_contents(session: AsyncSession, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], VersionContent]:
    """The content of the non-draft versions among ``(key, version)`` pairs."""
    if not pairs:
        return {}
    rows = await session.execute(_among(select(RequirementModule.key, ModuleVersion.version, ModuleVersion.content_hash), pairs))
    return await _contents(session, {(key, version): digest for key, version, digest in rows})


async def newest_published(session: AsyncSession, keys: set[str]) -> dict[str, int]:
    """The newest published version number of each module key."""
    if not keys:
        return {}
    rows = await session.execute(
        select(RequirementModule.key, func.max(ModuleVersion.version))
        .join(ModuleVersion, ModuleVersion.module_id == RequirementModule.id)
        .where(RequirementModule.key.in_(keys), ModuleVersion.status == "published")
        .group_by(RequirementModule.key)
    )
    return {key: version for key, version in rows}
