from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth import people, schemas, service
from registry.auth.guards import AUTHENTICATED
from registry.auth.people import invitation_link
from registry.auth.principal import Principal
from registry.problems import problem_responses
from registry.schemas import Limit, Offset, Page

Req = Request[Principal, Any, Any]


class TokenController(Controller):
    path = "/api/v1"
    tags = ["Access"]

    @get("/me", operation_id="WhoAmI", guards=[AUTHENTICATED], responses=problem_responses())
    async def me(self, request: Req) -> schemas.Me:
        """The caller's user, organization and roles."""
        p = request.user
        return schemas.Me(p.user_id, p.organization_id, p.organization_kind, sorted(p.roles))

    @post("/users/{user_id:uuid}/tokens", operation_id="IssueToken", guards=[AUTHENTICATED], responses=problem_responses(404, 409, 422))
    async def issue_token(
        self, request: Req, db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID], data: JSONBody[schemas.TokenCreate]
    ) -> schemas.IssuedToken:
        """Issue a token for yourself, or for a user you manage. The secret is shown once.

        It expires no later than the token you call with, and stops when that one is revoked.
        """
        max_days = request.app.state.settings.max_token_days
        return await service.issue_token(db_session, request.user, user_id, data.name, data.expires_in_days, max_days=max_days)

    @get("/users/{user_id:uuid}/tokens", operation_id="ListTokens", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def list_tokens(
        self, request: Req, db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID], limit: Limit = 50, offset: Offset = 0
    ) -> Page[schemas.Token]:
        """A user's tokens, oldest first, without their secrets."""
        items, total = await service.list_tokens(db_session, request.user, user_id, limit=limit, offset=offset)
        return Page(items, total, limit, offset)

    @delete("/tokens/{token_id:uuid}", operation_id="RevokeToken", guards=[AUTHENTICATED], responses=problem_responses(404))
    async def revoke_token(self, request: Req, db_session: NamedDependency[AsyncSession], token_id: FromPath[UUID]) -> None:
        """Revoke a token at once; revoking twice is harmless."""
        await service.revoke_token(db_session, request.user, token_id)

    @post(
        "/users/{user_id:uuid}/invitations",
        operation_id="InviteUser",
        guards=[AUTHENTICATED],
        responses=problem_responses(404, 409),
        status_code=201,
    )
    async def invite(self, request: Req, db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]) -> schemas.InvitationLink:
        """A one-time link at which a user of an organization you administer sets their password for the web
        interface, shown once; valid for 7 days, and any earlier unused link of theirs stops working."""
        secret, expires_at = await people.invite(db_session, request.user, user_id)
        return schemas.InvitationLink(link=invitation_link(request.app.state.settings.public_url, secret), expires_at=expires_at)
