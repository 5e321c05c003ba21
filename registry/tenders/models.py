from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db.base import Base, Entity, utcnow


class Tender(Entity):
    """A tender. Its specification (texts, timeline, lots and selections) is one JSON document,
    replaced as a whole while a draft and frozen once published; amendments change it explicitly.
    """

    __tablename__ = "tender"
    __table_args__ = (UniqueConstraint("owner_id", "reference"),)

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(8))
    submission_deadline: Mapped[datetime | None]
    document_version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)
    """Bumped by every change, participants' answers included; the ETag."""
    spec: Mapped[dict[str, Any]]
    published_at: Mapped[datetime | None]


class TenderParticipant(Entity):
    __tablename__ = "tender_participant"
    __table_args__ = (UniqueConstraint("tender_id", "organization_id"),)

    tender_id: Mapped[UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="invited")
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
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor_user_id: Mapped[UUID | None]
