from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from registry.organizations.schemas import OrgKind
from registry.schemas import LINE_PATTERN

TokenName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=LINE_PATTERN)]


class TokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: TokenName
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=730)] | None = 90
    """Days until the token expires; null for a token that never expires."""


class Token(msgspec.Struct):
    id: UUID
    user_id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class IssuedToken(Token):
    token: str
    """The secret. Shown once; the registry keeps only its hash."""


class Me(msgspec.Struct):
    user_id: UUID
    organization_id: UUID
    organization_kind: OrgKind
    roles: list[str]
