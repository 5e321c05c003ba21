from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from registry.organizations.schemas import OrgKind
from registry.schemas import LINE_PATTERN
from registry.settings import MAX_TOKEN_DAYS_LIMIT

TokenName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=LINE_PATTERN)]


class TokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: TokenName
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=MAX_TOKEN_DAYS_LIMIT)] | None | msgspec.UnsetType = msgspec.UNSET
    """Days until the token expires; omitted, the registry's maximum (``REGISTRY_MAX_TOKEN_DAYS``); null, never.
    Only registry admins ask for more than the maximum or for null. A token never outlives the token that issued it."""


class Token(msgspec.Struct):
    id: UUID
    user_id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    parent_id: UUID | None
    """The token that issued this one: this one stops when it is revoked or expires."""


class IssuedToken(Token):
    token: str
    """The secret. Shown once; the registry keeps only its hash."""


class Me(msgspec.Struct):
    user_id: UUID
    organization_id: UUID
    organization_kind: OrgKind
    roles: list[str]


class InvitationLink(msgspec.Struct):
    link: str
    """Give it to the person, and to them alone: whoever opens it sets the password."""
    expires_at: datetime
