from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.auth.principal import OrgKind
from registry.db.base import Base, Entity, utcnow


class Organization(Entity):
    __tablename__ = "organization"
    __table_args__ = (UniqueConstraint("country", "org_number"),)

    kind: Mapped[OrgKind] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    org_number: Mapped[str | None] = mapped_column(String(16))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    """The organization's general contact address (a functional mailbox, not a person's)."""


class FederationMembership(Base):
    __tablename__ = "federation_membership"

    federation_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True)
    municipality_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Entity):
    __tablename__ = "user_account"

    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    roles: Mapped[list[str]]
    deactivated_at: Mapped[datetime | None]
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """Argon2id of the password the user set through an invitation; None until then (tokens only)."""
    """Set while the user is deactivated: none of their tokens authenticates."""

    @property
    def active(self) -> bool:
        return self.deactivated_at is None
