from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from registry.requirements.content import (
    Jurisdiction,
    Kind,
    LangText,
    Language,
    Level,
    ModuleKey,
    Reference,
    VersionContent,
    VersionStatus,
    VocabularyKey,
)
from registry.requirements.templates import Tag


def version_etag(key: str, version: int, revision: int) -> str:
    """The ETag of a module version: it changes with every edit of a draft."""
    return f'"{key}.{version}.{revision}"'


class ModuleCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    key: ModuleKey
    category: VocabularyKey
    family: ModuleKey | None = None
    jurisdictions: Annotated[list[Jurisdiction], msgspec.Meta(min_length=1, max_length=5)] = msgspec.field(default_factory=lambda: ["EU"])
    last_reviewed: date | None = None
    product_categories: list[VocabularyKey] = []
    tags: list[Tag] = []
    references: list[Reference] = []
    content: VersionContent
    """Content of version 1, created as a draft."""


class VersionSummary(msgspec.Struct):
    version: int
    status: VersionStatus
    kind: Kind
    level: Level
    title: LangText
    published_at: datetime | None
    deprecated_at: datetime | None
    replaced_by: str | None


class ModuleSummary(msgspec.Struct):
    key: str
    category: str
    family: str | None
    jurisdictions: list[str]
    last_reviewed: date | None
    product_categories: list[str]
    tags: list[str]
    current: VersionSummary | None
    """The newest published (or deprecated) version; None while a module only has a draft."""
    draft_version: int | None


class Module(ModuleSummary):
    references: list[Reference]
    versions: list[VersionSummary]


class Version(msgspec.Struct):
    key: str
    version: int
    status: VersionStatus
    revision: int
    content: VersionContent
    published_at: datetime | None
    deprecated_at: datetime | None
    replaced_by: str | None

    @property
    def etag(self) -> str:
        return version_etag(self.key, self.version, self.revision)


class Deprecation(msgspec.Struct, forbid_unknown_fields=True):
    replaced_by: ModuleKey | None = None
    """Key of the module that replaces this one, if any."""


class RenderRequest(msgspec.Struct, forbid_unknown_fields=True):
    language: Language = "en"
    parameters: dict[str, Any] = {}


class Rendered(msgspec.Struct):
    key: str
    version: int
    language: str
    title: str
    statement: str
    values: dict[str, Any]
    fallbacks: list[str]


class FieldChange(msgspec.Struct):
    field: str
    """Field path, per language for texts: ``statement.sv``, ``parameters.delivery_seconds``."""
    before: Any
    after: Any


class Diff(msgspec.Struct):
    key: str
    from_version: int
    to_version: int
    changes: list[FieldChange]


class ImportReport(msgspec.Struct):
    modules_created: int = 0
    versions_created: int = 0
    versions_updated: int = 0
    versions_unchanged: int = 0


class PinnedVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A published (or deprecated) module version as a tender pins it, held under its ``(key, version)``: what other slices may know of it."""

    id: UUID
    status: VersionStatus
    replaced_by: str | None
    category: str
    jurisdictions: list[str]
    references: list[Reference]
    content: VersionContent
