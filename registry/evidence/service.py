"""Products, evidence items, attachments, reviews and evidence fit.

Who sees what: buyers (procurement officers, federation coordinators) see every product. Reviewers
(buyers, and library editors who review for the whole registry) see the ``public`` and ``buyers``
evidence of all suppliers, with its review history. A supplier sees its own products and evidence
with every review of it, and of other suppliers only ``public`` evidence, without reviews.
``confidential`` evidence is shown to buyers only through the tenders it names: the tender slice
lists it with ``visible_confidential_for_tender`` and counts it in ``evidence_fit(..., tender_id=)``.
Registry admins see everything. Whose reviews count where is ``registry.evidence.reviews``.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

import anyio
import msgspec
from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry.audit.service import record
from registry.auth.principal import Principal, Role
from registry.db.paging import page
from registry.evidence import fit, reviews, schemas
from registry.evidence.files import media_type_of, safe_filename
from registry.evidence.models import Attachment, EvidenceItem, EvidenceReview, EvidenceTender, IdempotencyKey, Product, ProductCategory
from registry.evidence.storage import FileStore, Source
from registry.organizations import service as organizations
from registry.problems import Conflict, Forbidden, NotFound, RuleViolation
from registry.requirements import service as library
from registry.requirements.search import fold, query_terms
from registry.schemas import given_fields

BUYER_ROLES = (Role.procurement_officer, Role.federation_coordinator)
REVIEWER_ROLES = (*BUYER_ROLES, Role.library_editor)
"""Who reviews evidence: buyers for their organization, library editors for the whole registry."""
MAX_ATTACHMENTS = 20
"""Attachments per evidence item."""
_ITEM_OPTIONS = (selectinload(EvidenceItem.tender_rows), selectinload(EvidenceItem.reviews), selectinload(EvidenceItem.attachments))


S = TypeVar("S", bound=msgspec.Struct)


def is_buyer(actor: Principal) -> bool:
    return actor.has(*BUYER_ROLES)


def is_reviewer(actor: Principal) -> bool:
    return actor.has(*REVIEWER_ROLES)


def _shape(row: object, struct: type[S], **given: Any) -> S:
    """``row``'s attributes as ``struct``, with the ``given`` fields instead of attributes."""
    fields = {field: given[field] if field in given else getattr(row, field) for field in struct.__struct_fields__}
    return msgspec.convert(fields, struct, from_attributes=True)


# Products


def _fill_product(product: Product, data: schemas.ProductCreate) -> None:
    existing = {row.category: row for row in product.category_rows}
    product.category_rows = [existing.get(c) or ProductCategory(category=c) for c in dict.fromkeys(data.categories)]
    for field in ("name", "model", "ce_marked", "mdr_class", "description"):
        setattr(product, field, getattr(data, field))
    product.search_text = fold(" ".join(filter(None, (data.name, data.model, data.description))))


async def _check_product(session: AsyncSession, data: schemas.ProductCreate) -> None:
    known = (await library.catalogue(session)).keys("product_categories")
    errors = [(f"categories[{i}]", f"unknown product category {c!r}") for i, c in enumerate(data.categories) if c not in known]
    if data.mdr_class != "none" and not data.ce_marked:
        errors.append(("ce_marked", f"a medical device of class {data.mdr_class} must be CE marked"))
    if errors:
        raise RuleViolation("the product is not valid", errors=errors)


async def create_product(session: AsyncSession, actor: Principal, data: schemas.ProductCreate) -> schemas.Product:
    if actor.organization_kind != "supplier":
        raise Forbidden("products are registered by suppliers' editors")
    await _check_product(session, data)
    product = Product(supplier_id=actor.organization_id, category_rows=[])
    _fill_product(product, data)
    session.add(product)
    await session.flush()
    record(session, actor, "product.create", "product", product.id, name=product.name)
    return _shape(product, schemas.Product)


async def get_product(session: AsyncSession, actor: Principal, product_id: UUID) -> schemas.Product:
    return _shape(await _product(session, actor, product_id), schemas.Product)


async def _product(session: AsyncSession, actor: Principal, product_id: UUID) -> Product:
    """A product the actor may see: buyers see all, suppliers their own (others: 404)."""
    product = await session.scalar(select(Product).where(Product.id == product_id).options(selectinload(Product.category_rows)))
    if product is None or not (is_buyer(actor) or product.supplier_id == actor.organization_id):
        raise NotFound(f"no product {product_id}")
    return product


async def _own_product(session: AsyncSession, actor: Principal, product_id: UUID) -> Product:
    product = await _product(session, actor, product_id)
    if not actor.acts_for(product.supplier_id, Role.supplier_editor):
        raise Forbidden("only the supplier's editors change its products and evidence")
    return product


async def list_products(
    session: AsyncSession,
    actor: Principal,
    *,
    category: str | None,
    supplier_id: UUID | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[schemas.Product], int]:
    if category and category not in (await library.catalogue(session)).keys("product_categories"):
        raise RuleViolation("unknown filter value", errors=[("product_category", f"unknown product category {category!r}")])
    query = select(Product)
    if not is_buyer(actor):
        query = query.where(Product.supplier_id == actor.organization_id)
    if category:
        query = query.where(exists().where(ProductCategory.product_id == Product.id, ProductCategory.category == category))
    if supplier_id:
        query = query.where(Product.supplier_id == supplier_id)
    for term in query_terms(q or ""):
        query = query.where(Product.search_text.contains(term, autoescape=True))
    rows, total = await page(session, query.options(selectinload(Product.category_rows)).order_by(Product.name, Product.id), limit, offset)
    return [_shape(row, schemas.Product) for row in rows], total


async def update_product(session: AsyncSession, actor: Principal, product_id: UUID, data: schemas.ProductUpdate) -> schemas.Product:
    """Change a product: fields not given keep their value."""
    product = await _own_product(session, actor, product_id)
    given = given_fields(data)
    merged = msgspec.structs.replace(msgspec.convert(product, schemas.ProductCreate, from_attributes=True), **given)
    await _check_product(session, merged)
    _fill_product(product, merged)
    await session.flush()
    record(session, actor, "product.update", "product", product.id, fields=sorted(given))
    return _shape(product, schemas.Product)


# Evidence items


def _review(entry: EvidenceReview, names: Mapping[UUID, str], applies: bool) -> schemas.Review:
    name = names.get(entry.organization_id) if entry.organization_id is not None else None
    return _shape(entry, schemas.Review, organization_name=name, applies=applies)


def _view(item: EvidenceItem, reviewers: frozenset[UUID] | None, names: Mapping[UUID, str]) -> schemas.EvidenceItem:
    """The API shape of an item (loaded with ``_ITEM_OPTIONS``), its reviews as they count for
    ``reviewers`` (organizations, see ``registry.evidence.reviews``); ``None`` hides the reviews."""
    if reviewers is None:
        return _shape(item, schemas.EvidenceItem, review_state=None, reviews=[])
    applying = reviews.current(item.reviews, reviewers)
    history = [_review(entry, names, entry in applying) for entry in item.reviews]
    return _shape(item, schemas.EvidenceItem, review_state=reviews.state(item.reviews, reviewers), reviews=history)


async def _reviewer_names(session: AsyncSession, items: Sequence[EvidenceItem]) -> dict[UUID, str]:
    return await organizations.names(session, {entry.organization_id for item in items for entry in item.reviews if entry.organization_id})


def _sees_reviews(actor: Principal, item: EvidenceItem) -> bool:
    return is_reviewer(actor) or item.supplier_id == actor.organization_id


async def _views_for(session: AsyncSession, actor: Principal, items: Sequence[EvidenceItem]) -> list[schemas.EvidenceItem]:
    """Items as ``actor`` sees them: reviews as they count for the actor's organization, none on other suppliers' items."""
    names = await _reviewer_names(session, items)
    own = frozenset({actor.organization_id})
    return [_view(item, own if _sees_reviews(actor, item) else None, names) for item in items]


async def _view_for(session: AsyncSession, actor: Principal, item: EvidenceItem) -> schemas.EvidenceItem:
    return (await _views_for(session, actor, [item]))[0]


def _confidential_for(tender_id: UUID) -> ColumnElement[bool]:
    named = select(EvidenceTender.evidence_id).where(EvidenceTender.tender_id == tender_id)
    return and_(EvidenceItem.visibility == "confidential", EvidenceItem.id.in_(named))


def _visible(actor: Principal, tender_id: UUID | None = None) -> ColumnElement[bool]:
    """Items ``actor`` may see; confidential ones only by their own supplier, or through ``tender_id`` when given."""
    if actor.is_admin:
        return true()
    shared = ("public", "buyers") if is_reviewer(actor) else ("public",)
    visible = or_(EvidenceItem.supplier_id == actor.organization_id, EvidenceItem.visibility.in_(shared))
    return or_(visible, _confidential_for(tender_id)) if tender_id else visible


async def _item(session: AsyncSession, actor: Principal, evidence_id: UUID, tender_id: UUID | None = None) -> EvidenceItem:
    visible = _visible(actor, tender_id)
    item = await session.scalar(select(EvidenceItem).where(EvidenceItem.id == evidence_id, visible).options(*_ITEM_OPTIONS))
    if item is None:
        raise NotFound(f"no evidence item {evidence_id}")
    return item


async def _own_item(session: AsyncSession, actor: Principal, evidence_id: UUID) -> EvidenceItem:
    item = await _item(session, actor, evidence_id)
    if not actor.acts_for(item.supplier_id, Role.supplier_editor):
        raise Forbidden("only the supplier's editors change its evidence")
    return item


async def _check_evidence(session: AsyncSession, actor: Principal, data: schemas.EvidenceCreate) -> None:
    catalogue = await library.catalogue(session)
    errors = []
    if data.study_design and data.study_design not in catalogue.keys("study_designs"):
        errors.append(("study_design", f"unknown study design {data.study_design!r}; see GET /api/v1/catalogue"))
    domains = catalogue.keys("outcome_domains")
    errors += [(f"outcomes[{i}].domain", f"unknown outcome domain {o.domain!r}") for i, o in enumerate(data.outcomes) if o.domain not in domains]
    for start, end in (("period_start", "period_end"), ("valid_from", "valid_until")):
        first, last = getattr(data, start), getattr(data, end)
        if first and last and last < first:
            errors.append((end, f"{end} {last} is before {start} {first}"))
    known = await library.visible_keys(session, actor, set(data.module_keys))
    errors += [(f"module_keys[{i}]", f"no requirement module {key} in the library") for i, key in enumerate(data.module_keys) if key not in known]
    if data.tender_ids and data.visibility != "confidential":
        errors.append(("tender_ids", "only confidential evidence names tenders"))
    if errors:
        raise RuleViolation("the evidence item is not valid", errors=errors)


def _fill_evidence(item: EvidenceItem, data: schemas.EvidenceCreate) -> None:
    existing = {row.tender_id: row for row in item.tender_rows}
    item.tender_rows = [existing.get(t) or EvidenceTender(tender_id=t) for t in dict.fromkeys(data.tender_ids)]
    item.outcomes = [msgspec.to_builtins(o) for o in data.outcomes]
    item.setting = msgspec.to_builtins(data.setting)
    item.module_keys = list(dict.fromkeys(data.module_keys))
    for field, value in msgspec.structs.asdict(data).items():
        if field not in ("tender_ids", "outcomes", "setting", "module_keys"):
            setattr(item, field, value)


def _fingerprint(product_id: UUID, data: schemas.EvidenceCreate) -> str:
    return hashlib.sha256(product_id.bytes + msgspec.json.encode(data, order="sorted")).hexdigest()


async def create_evidence(
    session: AsyncSession, actor: Principal, product_id: UUID, data: schemas.EvidenceCreate, idempotency_key: str | None
) -> tuple[schemas.EvidenceItem, bool]:
    """Attach an item to an own product; returns it and whether this was a replay of an earlier request.

    With an ``Idempotency-Key`` (per supplier organization) a retry of the same request answers with
    the item the first one created, as it is now; the same key with another request is refused.
    """
    product = await _own_product(session, actor, product_id)
    fingerprint = _fingerprint(product.id, data)
    if idempotency_key:
        used = await session.get(IdempotencyKey, (actor.organization_id, idempotency_key))
        if used and used.fingerprint != fingerprint:
            raise RuleViolation(
                f"Idempotency-Key {idempotency_key!r} was already used for a different request; send a new key for new evidence",
                errors=[("Idempotency-Key", "already used with another body or product")],
            )
        if used:
            return await _view_for(session, actor, await _item(session, actor, used.evidence_id)), True
    await _check_evidence(session, actor, data)
    item = EvidenceItem(product_id=product.id, supplier_id=product.supplier_id, tender_rows=[], reviews=[], attachments=[])
    _fill_evidence(item, data)
    session.add(item)
    await session.flush()
    if idempotency_key:
        session.add(IdempotencyKey(organization_id=actor.organization_id, key=idempotency_key, fingerprint=fingerprint, evidence_id=item.id))
        try:
            await session.flush()
        except IntegrityError:
            raise Conflict(f"another request with Idempotency-Key {idempotency_key!r} is being processed; retry shortly") from None
    record(session, actor, "evidence.create", "evidence_item", item.id, product_id=str(product.id), type=item.type)
    return await _view_for(session, actor, item), False


async def get_evidence(session: AsyncSession, actor: Principal, evidence_id: UUID) -> schemas.EvidenceItem:
    return await _view_for(session, actor, await _item(session, actor, evidence_id))


async def list_evidence(
    session: AsyncSession,
    actor: Principal,
    *,
    product_id: UUID | None,
    supplier_id: UUID | None,
    evidence_type: str | None,
    review_state: str | None,
    limit: int,
    offset: int,
) -> tuple[list[schemas.EvidenceItem], int]:
    """Visible items, oldest first. ``review_state`` filters by the state items show the actor (the
    latest review by the actor's organization or the registry, see ``registry.evidence.reviews``),
    among the items whose reviews the actor may see."""
    query = select(EvidenceItem).where(_visible(actor))
    for column, value in ((EvidenceItem.product_id, product_id), (EvidenceItem.supplier_id, supplier_id), (EvidenceItem.type, evidence_type)):
        if value:
            query = query.where(column == value)
    if review_state:
        query = query.where(reviews.state_column(frozenset({actor.organization_id})) == review_state)
        if not is_reviewer(actor):
            query = query.where(EvidenceItem.supplier_id == actor.organization_id)
    rows, total = await page(session, query.options(*_ITEM_OPTIONS).order_by(EvidenceItem.created_at, EvidenceItem.id), limit, offset)
    return await _views_for(session, actor, rows), total


def _reset_reviews(item: EvidenceItem, actor: Principal) -> bool:
    """An edit makes every earlier review stop applying, and the history says so; True when there were any."""
    if not item.reviews or item.reviews[-1].kind == "reset":
        return False
    item.reviews.append(
        EvidenceReview(
            kind="reset", outcome=reviews.UNREVIEWED, comment="changed by the supplier", user_id=actor.user_id,
            organization_id=actor.organization_id, registry_level=False,
        )
    )  # fmt: skip
    return True


async def update_evidence(session: AsyncSession, actor: Principal, evidence_id: UUID, data: schemas.EvidenceUpdate) -> schemas.EvidenceItem:
    """Change an item: fields not given keep their value. A change to reviewed evidence resets its reviews.

    Making an item non-confidential without naming ``tender_ids`` drops the tenders it named.
    """
    item = await _own_item(session, actor, evidence_id)
    current = msgspec.convert(item, schemas.EvidenceCreate, from_attributes=True)
    given = given_fields(data)
    merged = msgspec.structs.replace(current, **given)
    if merged.visibility != "confidential" and "tender_ids" not in given:
        merged = msgspec.structs.replace(merged, tender_ids=[])
    if merged == current:
        return await _view_for(session, actor, item)
    await _check_evidence(session, actor, merged)
    _fill_evidence(item, merged)
    reset = _reset_reviews(item, actor)
    await session.flush()
    record(session, actor, "evidence.update", "evidence_item", item.id, fields=sorted(given), review_reset=reset)
    return await _view_for(session, actor, item)


async def review_evidence(
    session: AsyncSession, actor: Principal, evidence_id: UUID, data: schemas.ReviewCreate, *, tender_id: UUID | None = None
) -> schemas.Review:
    """Append a review for the reviewer's organization; a library editor's (or an admin's) is registry-level.

    Where it counts is ``registry.evidence.reviews``. A supplier never reviews its own evidence.
    ``tender_id`` (its buyers checked by the tender slice) also opens confidential items naming that tender.
    """
    item = await _item(session, actor, evidence_id, tender_id)
    if item.supplier_id == actor.organization_id:
        raise Forbidden("a supplier does not review its own evidence")
    if data.outcome != "accepted" and not (data.comment or "").strip():
        raise RuleViolation(f"a review with outcome {data.outcome} needs a comment", errors=[("comment", "say what is wrong or missing")])
    entry = EvidenceReview(
        kind="review", outcome=data.outcome, comment=data.comment, user_id=actor.user_id, organization_id=actor.organization_id,
        registry_level=actor.has(Role.library_editor),
    )  # fmt: skip
    item.reviews.append(entry)
    await session.flush()
    record(session, actor, "evidence.review", "evidence_item", item.id, outcome=data.outcome, registry_level=entry.registry_level)
    return _review(entry, await organizations.names(session, {actor.organization_id}), applies=True)


async def visible_confidential_for_tender(
    session: AsyncSession, tender_id: UUID, buyers: frozenset[UUID], *, limit: int, offset: int
) -> tuple[list[schemas.EvidenceItem], int]:
    """One page of the confidential evidence that names ``tender_id``, with its reviews as they count in that tender.

    Confidential items are hidden from every buyer except through the tenders they name. The
    tender slice decides who the buyers of ``tender_id`` are (``buyers``: their organizations) and
    shows these items only to them.
    """
    query = select(EvidenceItem).where(_confidential_for(tender_id)).options(*_ITEM_OPTIONS)
    rows, total = await page(session, query.order_by(EvidenceItem.created_at, EvidenceItem.id), limit, offset)
    names = await _reviewer_names(session, rows)
    return [_view(item, buyers, names) for item in rows], total


async def unreviewed_for_tender(session: AsyncSession, tender_id: UUID, buyers: frozenset[UUID]) -> int:
    """How many confidential items naming ``tender_id`` no review of ``buyers`` (or of the registry) judges since their
    latest change: what waits for the tender's buyers to review."""
    unreviewed = and_(_confidential_for(tender_id), reviews.state_column(buyers) == reviews.UNREVIEWED)
    return await session.scalar(select(func.count()).select_from(EvidenceItem).where(unreviewed)) or 0


# Attachments


async def add_attachment(
    session: AsyncSession, actor: Principal, store: FileStore, evidence_id: UUID, upload: Source, filename: str, max_bytes: int
) -> schemas.Attachment:
    """Stage the upload, check its type and content (see ``files.media_type_of``), record it, then keep the file.

    Any failure discards the staged file, and the transaction (rolled back on errors) leaves no row.
    Adding a file to reviewed evidence is an edit: it resets the review.
    """
    item = await _own_item(session, actor, evidence_id)
    if len(item.attachments) >= MAX_ATTACHMENTS:
        raise RuleViolation(f"an evidence item has at most {MAX_ATTACHMENTS} attachments")
    staged = await store.stage(upload, max_bytes)
    try:
        media_type = await anyio.to_thread.run_sync(media_type_of, staged.path, staged.head, filename)
        attachment = Attachment(filename=safe_filename(filename, media_type), media_type=media_type, size=staged.size, sha256=staged.sha256)
        item.attachments.append(attachment)
        _reset_reviews(item, actor)
        await session.flush()
        record(session, actor, "evidence.attachment.add", "evidence_item", item.id, attachment_id=str(attachment.id), sha256=staged.sha256)
        await store.keep(staged)
    except BaseException:
        await store.discard(staged)
        raise
    return msgspec.convert(attachment, schemas.Attachment, from_attributes=True)


async def open_attachment(
    session: AsyncSession, actor: Principal, store: FileStore, evidence_id: UUID, attachment_id: UUID, *, tender_id: UUID | None = None
) -> tuple[schemas.Attachment, AsyncIterator[bytes]]:
    """A visible item's file; ``tender_id`` (checked by the tender slice) also opens confidential items naming that tender."""
    item = await _item(session, actor, evidence_id, tender_id)
    attachment = next((a for a in item.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(f"no attachment {attachment_id} on evidence item {evidence_id}")
    return msgspec.convert(attachment, schemas.Attachment, from_attributes=True), store.read(attachment.sha256)


# Evidence fit


async def _subjects(session: AsyncSession, modules: list[schemas.ModuleRef]) -> list[fit.Subject]:
    """The rules of published (or deprecated) module versions, loaded in one query and bound to each
    reference's parameter values (checked as rendering checks them); anything else is named."""
    contents = await library.pinned_contents(session, {(ref.key, ref.version) for ref in modules})
    subjects, errors = [], []
    for index, ref in enumerate(modules):
        content = contents.get((ref.key, ref.version))
        if content is None:
            errors.append((f"modules[{index}]", f"no version {ref.version} of requirement module {ref.key}"))
        elif content.evidence_rule is None:
            errors.append((f"modules[{index}]", f"{ref.key} version {ref.version} has no evidence rule to check"))
        else:
            subject, problems = fit.bound_subject(ref.key, ref.version, content, ref.parameters, prefix=f"modules[{index}].parameters")
            errors += [(field, f"{ref.key} version {ref.version}: {field.rsplit('.', 1)[-1]} {message}") for field, message in problems]
            if subject is not None:
                subjects.append(subject)
    if errors:
        raise RuleViolation("; ".join(message for _, message in errors), errors=errors)
    return subjects


async def evidence_fit(
    session: AsyncSession,
    actor: Principal,
    product_id: UUID,
    request: schemas.FitRequest,
    *,
    tender_id: UUID | None = None,
    reviewers: frozenset[UUID] | None = None,
) -> schemas.FitReport:
    """Evaluate modules' evidence rules against the product's evidence the actor may see (see ``registry.evidence.fit``).

    The reviews applied are registry-level ones and those of ``reviewers`` (organizations), by
    default the actor's own organization's (see ``registry.evidence.reviews``). ``tender_id`` also
    counts the confidential items that name that tender; the tender slice passes it, and the
    tender's buyers as ``reviewers``, after checking that ``actor`` is one of them.
    """
    product = await _product(session, actor, product_id)
    return (await products_fit(session, actor, [product.id], request, tender_id=tender_id, reviewers=reviewers))[0]


async def products_fit(
    session: AsyncSession,
    actor: Principal,
    product_ids: list[UUID],
    request: schemas.FitRequest,
    *,
    tender_id: UUID | None = None,
    reviewers: frozenset[UUID] | None = None,
) -> list[schemas.FitReport]:
    """``evidence_fit`` for products the actor may see, in their order; rules, catalogue and items are loaded once."""
    subjects = await _subjects(session, request.modules)
    state = reviews.state_column(frozenset({actor.organization_id}) if reviewers is None else reviewers)
    rows = await session.execute(
        select(EvidenceItem, state)
        .where(EvidenceItem.product_id.in_(product_ids), _visible(actor, tender_id))
        .order_by(EvidenceItem.created_at, EvidenceItem.id)
    )
    items: dict[UUID, list[fit.Facts]] = {product_id: [] for product_id in product_ids}
    for row, review_state in rows:
        items[row.product_id].append(_shape(row, fit.Facts, review_state=review_state))
    context = fit.Context(
        study_designs=(await library.catalogue(session)).keys("study_designs"),
        reference_date=request.submission_deadline or datetime.now(UTC).date(),
        deadline_given=request.submission_deadline is not None,
    )
    reports = []
    for product_id, facts in items.items():
        modules = [fit.evaluate(subject, facts, context) for subject in subjects]
        reports.append(schemas.FitReport(product_id, context.reference_date, all(m.met for m in modules), modules))
    return reports
