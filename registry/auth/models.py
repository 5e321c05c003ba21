from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db.base import Entity


class ApiToken(Entity):
    """A bearer token; only the SHA-256 of the secret is stored."""

    __tablename__ = "api_token"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    parent_id: Mapped[UUID | None] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"), index=True)
    """The token that issued this one, if a token did: it expires no later and dies with it."""
