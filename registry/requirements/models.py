from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db.base import Base, Entity
from registry.requirements.content import Kind, Level, VersionStatus


class VocabularyTerm(Base):
    """One entry of a library vocabulary (category, product category, study design, ...)."""

    __tablename__ = "vocabulary_term"

    vocabulary: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int]
    label: Mapped[dict[str, Any]]


class LibraryState(Base):
    """One row: the library's revision, moved in the same transaction as every write to modules,
    versions or vocabularies. Encoded module lists are kept by it, so a list is never older than
    the revision a request read before reading the list."""

    __tablename__ = "library_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    revision: Mapped[int]


class RequirementModule(Entity):
    __tablename__ = "requirement_module"
    __table_args__ = (Index("ix_requirement_module_listing", "id", "current_version", "category", "key"),)
    """Lists join each module to its current version and sort by category and key from this index alone."""

    key: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(64), index=True)
    family: Mapped[str | None] = mapped_column(String(64))
    jurisdictions: Mapped[list[str]]
    """Where the module applies: NO, SE, DK, FI, or EU for the EU and the EEA."""
    last_reviewed: Mapped[date | None]
    """When the module's text was last checked against the law and practice it cites."""
    product_categories: Mapped[list[str]]
    tags: Mapped[list[str]]
    references: Mapped[list[dict[str, Any]]]
    current_version: Mapped[int | None]
    """The newest published or deprecated version, the one lists and searches show."""
    draft_version: Mapped[int | None]
    versions: Mapped[list[ModuleVersion]] = relationship(
        back_populates="module", order_by="ModuleVersion.version", lazy="raise", cascade="all, delete-orphan"
    )
    terms: Mapped[list[ModuleTerm]] = relationship(lazy="raise", cascade="all, delete-orphan")


class ModuleTerm(Base):
    """Filterable values of a module (product categories, tags, standard identifiers), one row each."""

    __tablename__ = "module_term"
    __table_args__ = (Index("ix_module_term_lookup", "kind", "value"),)

    module_id: Mapped[UUID] = mapped_column(ForeignKey("requirement_module.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class ModuleVersion(Entity):
    __tablename__ = "module_version"
    __table_args__ = (
        UniqueConstraint("module_id", "version"),
        Index("ix_module_version_listing", "module_id", "version", "status", "kind", "level"),
    )
    """The listing index answers which version of a module is listed and its filters without reading the wide row."""

    module_id: Mapped[UUID] = mapped_column(ForeignKey("requirement_module.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(String(16))
    kind: Mapped[Kind] = mapped_column(String(32))
    level: Mapped[Level] = mapped_column(String(16))
    languages: Mapped[str] = mapped_column(String(64))
    """Space-separated languages the statement exists in, e.g. ``" en nb sv da "``."""
    content: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    search_text: Mapped[str] = mapped_column(Text)
    """Case- and diacritic-folded text of every language, for ``q`` searches."""
    revision: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped by every edit of a draft; part of the ETag."""
    published_at: Mapped[datetime | None]
    deprecated_at: Mapped[datetime | None]
    replaced_by: Mapped[str | None] = mapped_column(String(64))
    module: Mapped[RequirementModule] = relationship(back_populates="versions", lazy="raise")
