from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from registry.db.base import Base, Entity, utcnow


class Product(Entity):
    __tablename__ = "product"

    supplier_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    ce_marked: Mapped[bool]
    mdr_class: Mapped[str] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    """Folded name, model and description, for ``q`` searches."""
    category_rows: Mapped[list[ProductCategory]] = relationship(lazy="raise", cascade="all, delete-orphan")

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.category_rows]


class ProductCategory(Base):
    """One product category of a product, a row each so the catalogue filters by category."""

    __tablename__ = "product_category"

    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class EvidenceItem(Entity):
    __tablename__ = "evidence_item"

    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    """The product's supplier, kept on the item so visibility is decided without a join."""
    type: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    study_design: Mapped[str | None] = mapped_column(String(64))
    outcomes: Mapped[list[dict[str, Any]]]
    setting: Mapped[dict[str, Any] | None]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    funding: Mapped[str | None] = mapped_column(String(200))
    independent: Mapped[bool]
    publication: Mapped[str | None] = mapped_column(String(500))
    issuer: Mapped[str | None] = mapped_column(String(200))
    standard: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    module_keys: Mapped[list[str]]
    visibility: Mapped[str] = mapped_column(String(16))
    tender_rows: Mapped[list[EvidenceTender]] = relationship(lazy="raise", cascade="all, delete-orphan")
    reviews: Mapped[list[EvidenceReview]] = relationship(
        lazy="raise", order_by="[EvidenceReview.at, EvidenceReview.id]", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        lazy="raise", order_by="[Attachment.created_at, Attachment.id]", cascade="all, delete-orphan"
    )

    @property
    def tender_ids(self) -> list[UUID]:
        return [row.tender_id for row in self.tender_rows]


class EvidenceTender(Base):
    """A tender a confidential item may be shown in. No foreign key: tenders are another slice's rows."""

    __tablename__ = "evidence_tender"

    evidence_id: Mapped[UUID] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"), primary_key=True)
    tender_id: Mapped[UUID] = mapped_column(primary_key=True, index=True)


class EvidenceReview(Base):
    """One entry of an item's review history: a review, or the reset an edit causes. Append-only.

    A review belongs to the reviewer's organization; where it counts is ``registry.evidence.reviews``.
    """

    __tablename__ = "evidence_review"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    evidence_id: Mapped[UUID] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[UUID | None]
    organization_id: Mapped[UUID | None]
    registry_level: Mapped[bool] = mapped_column(default=False)
    """Written by a library editor (or an admin) for the whole registry: it counts everywhere."""


class Attachment(Entity):
    __tablename__ = "evidence_attachment"

    evidence_id: Mapped[UUID] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)


class IdempotencyKey(Base):
    """An ``Idempotency-Key`` a supplier organization used to create evidence, and what it created."""

    __tablename__ = "idempotency_key"

    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the product id and the canonical request body."""
    evidence_id: Mapped[UUID] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Session, "before_flush")
def _refuse_review_changes(session: Session, _context: Any, _instances: Any) -> None:
    """History entries are never rewritten; they go only together with their item."""
    if any(isinstance(obj, EvidenceReview) for obj in session.dirty):
        raise RuntimeError("review history is append-only")
