from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from registry.auth.principal import OrgKind, Role
from registry.schemas import Email, Line

Country = Literal["NO", "SE", "DK", "FI"]


class OrganizationCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A municipality, supplier, federation (of municipalities buying together) or authority to register."""

    kind: OrgKind
    name: Line
    country: Country
    org_number: Line | None = None
    """Required except for authorities; validated by the country's rule and stored normalized: Norway 9 digits,
    Sweden ``NNNNNN-NNNN``, Denmark's CVR 8 digits, Finland's business id ``NNNNNNN-C``."""
    contact_email: Email | None = None
    """The organization's general contact address, shown in the directory: a functional mailbox, not a person's."""


class OrganizationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Line | msgspec.UnsetType = msgspec.UNSET
    contact_email: Email | None | msgspec.UnsetType = msgspec.UNSET
    """The general contact address; null removes it."""


class Organization(msgspec.Struct):
    id: UUID
    kind: OrgKind
    name: str
    country: Country
    org_number: str | None
    contact_email: str | None
    created_at: datetime


class MembershipCreate(msgspec.Struct, forbid_unknown_fields=True):
    municipality_id: UUID
    """The municipality joining the federation."""


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Line
    email: Email
    roles: list[Role] = []
    """Roles fitting the organization's kind: ``procurement_officer`` in municipalities, ``federation_coordinator``
    in federations, ``supplier_editor`` in suppliers, ``admin`` in the registry's authority; ``org_admin`` and
    ``library_editor`` anywhere. Only registry admins grant ``admin`` and ``library_editor``."""


class UserUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Line | msgspec.UnsetType = msgspec.UNSET
    roles: list[Role] | msgspec.UnsetType = msgspec.UNSET


class User(msgspec.Struct):
    id: UUID
    organization_id: UUID
    name: str
    email: str
    roles: list[Role]
    created_at: datetime
    active: bool
    """False while the user is deactivated: none of their tokens authenticates."""
    deactivated_at: datetime | None


class Account(msgspec.Struct, frozen=True):
    """A user as other slices need them: to authenticate a token and to manage a user's tokens."""

    user_id: UUID
    email: str
    roles: frozenset[str]
    deactivated_at: datetime | None
    organization_id: UUID
    organization_kind: OrgKind
