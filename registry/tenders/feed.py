"""The open-data feed: every published document version as an OCDS release, newest first.

Each release is rendered from the version's frozen document, so the feed says exactly what the
published OCDS export of that version says. Anyone may read it, without a token.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from exports import model
from exports.ocds import release_package
from registry.db.base import utcnow
from registry.tenders.models import TenderDocument
from registry.tenders.snapshot import Publisher

FEED_PATH = "/api/v1/ocds/releases"


async def releases(session: AsyncSession, publisher: Publisher, *, since: datetime | None, limit: int, offset: int) -> bytes:
    """One page of the feed as a release package; ``since`` keeps versions frozen at or after it."""
    query = select(TenderDocument).order_by(TenderDocument.created_at.desc(), TenderDocument.tender_id, TenderDocument.document_version.desc())
    if since is not None:
        query = query.where(TenderDocument.created_at >= since)
    rows = list(await session.scalars(query.limit(limit).offset(offset)))
    documents = [msgspec.convert(row.content, model.TenderDocument) for row in rows]
    parameters = {"limit": limit, "offset": offset} | ({"since": since.isoformat()} if since else {})
    uri = f"{publisher.base_url.rstrip('/')}{FEED_PATH}?{urlencode(parameters)}"
    published = rows[0].created_at if rows else utcnow()
    return release_package(documents, uri=uri, published=published, publisher=publisher.name)
