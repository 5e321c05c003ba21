from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec


class AuditEvent(msgspec.Struct):
    id: UUID
    at: datetime
    actor_user_id: UUID | None
    actor_organization_id: UUID | None
    organization_id: UUID | None
    action: str
    entity_type: str
    entity_id: str
    request_id: str | None
    details: dict[str, Any]
