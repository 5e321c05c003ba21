from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db.base import Base, Entity, utcnow
from registry.requirements.content import Kind
from registry.tenders.schemas import Currency, Language, ParticipantStatus, Procedure, Status


class Tender(Entity):
    """A tender: its own fields here, its lots and their requirement selections as rows of their own.

    ``revision`` is the specification's ETag: every change to the tender's fields, its lots or its
    selections, and every lifecycle step, increments it. Invitations and answers increment
    ``participation_revision`` instead, so a municipality's answer does not make an editor's ETag stale.
    """

    __tablename__ = "tender"
    __table_args__ = (UniqueConstraint("owner_id", "reference"),)

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(String(32), index=True)
    language: Mapped[Language] = mapped_column(String(8))
    procedure: Mapped[Procedure] = mapped_column(String(32), default="open")
    cpv_codes: Mapped[list[str]] = mapped_column(default=list)
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[Currency] = mapped_column(String(3), default="EUR")
    contract_start: Mapped[date | None]
    contract_end: Mapped[date | None]
    contract_options: Mapped[str | None] = mapped_column(String(200))
    questions_deadline: Mapped[datetime | None]
    submission_deadline: Mapped[datetime | None]
    planned_award: Mapped[datetime | None]
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    """The published contact point for questions."""
    terms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """``schemas.Terms`` as the API writes it, defaults left out: a renamed field needs its stored JSON migrated."""
    document_version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)
    participation_revision: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None]
    lots: Mapped[list[TenderLot]] = relationship(order_by="TenderLot.position", lazy="raise", cascade="all, delete-orphan", passive_deletes=True)


class TenderLot(Entity):
    __tablename__ = "tender_lot"

    tender_id: Mapped[UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    """1-based; the lot's number in the documents."""
    title: Mapped[str] = mapped_column(String(200))
    product_categories: Mapped[list[str]] = mapped_column(default=list)
    price_weight: Mapped[float]
    quality_weight: Mapped[float]
    maximum: Mapped[dict[str, Any] | None]
    """``schemas.Maximum`` of a framework lot, as the API writes it."""
    revision: Mapped[int] = mapped_column(default=1)
    selections: Mapped[list[TenderSelection]] = relationship(
        order_by="TenderSelection.position", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class TenderSelection(Entity):
    """A requirement module pinned to one published version, with the tender's parameter values."""

    __tablename__ = "tender_selection"

    lot_id: Mapped[UUID] = mapped_column(ForeignKey("tender_lot.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    module_version_id: Mapped[UUID] = mapped_column(ForeignKey("module_version.id", ondelete="RESTRICT"), index=True)
    module_key: Mapped[str] = mapped_column(String(64))
    module_version: Mapped[int]
    """The pinned version's key and number, kept beside the foreign key (a pinned version never changes)."""
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kind: Mapped[Kind | None] = mapped_column(String(32))
    weight: Mapped[float | None]
    added_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    """Per point scored, deducted from the tendered price (the added-value model), instead of a weight."""
    note: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)


class TenderDocument(Base):
    """The frozen content of one published document version: exactly what the exporters read."""

    __tablename__ = "tender_document"

    tender_id: Mapped[UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True)
    document_version: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenderParticipant(Entity):
    __tablename__ = "tender_participant"
    __table_args__ = (UniqueConstraint("tender_id", "organization_id"),)

    tender_id: Mapped[UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ParticipantStatus] = mapped_column(String(16), default="invited")
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    mandate: Mapped[bool] = mapped_column(default=False)
    mandate_decision_date: Mapped[date | None]
    volumes: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    responded_at: Mapped[datetime | None]


class TenderAmendment(Entity):
    __tablename__ = "tender_amendment"
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    tender_id: Mapped[UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    document_version: Mapped[int]
    summary: Mapped[str] = mapped_column(String(2000))
    reason: Mapped[str] = mapped_column(String(2000))
    changed: Mapped[list[str]]
    actor_user_id: Mapped[UUID | None]


class TenderTransition(Base):
    """One lifecycle step, with who took it and when."""

    __tablename__ = "tender_transition"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    tender_id: Mapped[UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor_user_id: Mapped[UUID | None]
