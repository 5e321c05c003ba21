"""Who is calling: the authenticated user, their organization and roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

import msgspec

OrgKind = Literal["municipality", "supplier", "federation", "authority"]


class Role(StrEnum):
    admin = "admin"
    """Runs the whole registry."""
    org_admin = "org_admin"
    """Manages their own organization's users and tokens."""
    procurement_officer = "procurement_officer"
    federation_coordinator = "federation_coordinator"
    supplier_editor = "supplier_editor"
    library_editor = "library_editor"


ROLE_ORG_KINDS: dict[Role, frozenset[str]] = {
    Role.admin: frozenset({"authority"}),
    Role.procurement_officer: frozenset({"municipality"}),
    Role.federation_coordinator: frozenset({"federation"}),
    Role.supplier_editor: frozenset({"supplier"}),
}
"""Roles that only make sense in organizations of certain kinds; others fit any kind."""


class Principal(msgspec.Struct, frozen=True):
    user_id: UUID
    organization_id: UUID
    organization_kind: OrgKind
    roles: frozenset[str]
    request_id: str | None = None
    token_id: UUID | None = None
    """The token this request authenticated with."""
    token_expires_at: datetime | None = None
    """When that token expires (None: never); tokens it issues expire no later."""

    @property
    def is_admin(self) -> bool:
        return Role.admin in self.roles

    def has(self, *roles: str) -> bool:
        """True when the principal holds one of ``roles``; admins hold every role."""
        return self.is_admin or not self.roles.isdisjoint(roles)

    def manages(self, organization_id: UUID) -> bool:
        """May administer users and tokens of ``organization_id``."""
        return self.is_admin or (Role.org_admin in self.roles and organization_id == self.organization_id)

    def acts_for(self, organization_id: UUID, *roles: str) -> bool:
        """Holds one of ``roles`` within ``organization_id`` (admins act for everyone)."""
        return self.is_admin or (organization_id == self.organization_id and self.has(*roles))
