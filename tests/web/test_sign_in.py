"""People, not tokens: an organization's administrator invites a user (a one-time link, shown once), the
person sets a password (Argon2id) and signs in; the session lives in the database behind an HttpOnly,
SameSite=Lax cookie and ends on signing out (here or everywhere), on deactivation, when idle too long
or at its absolute limit; every form carries a form token; a wrong password and an unknown address get
the same answer; failed sign-ins are throttled per account and per address."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from registry.auth import people
from registry.auth.models import WebSession
from registry.db.base import utcnow
from registry.db.transactions import Database
from registry.organizations.models import User
from registry.web.i18n import translations
from tests.support import Api, in_transaction, problem
from tests.web.test_library_pages import words

PASSWORD = "correct horse battery staple"
en = translations("en").gettext


class Person:
    """A user of a municipality with an invitation link, and the browser (test client) they use."""

    def __init__(self, client: AsyncTestClient, user: dict[str, Any], link: str, manager: Api) -> None:
        self.client, self.user, self.link, self.manager = client, user, link, manager

    @property
    def path(self) -> str:
        return urlsplit(self.link).path


@pytest.fixture
async def person(client: AsyncTestClient, admin: Api) -> Person:
    town = await admin.create_org("municipality")
    manager = await admin.create_user(town["id"], "org_admin")
    body = {"name": "Kari", "email": "kari@town.example", "roles": ["procurement_officer"]}
    user = (await manager.post(f"/api/v1/organizations/{town['id']}/users", json=body)).json()
    invitation = await manager.post(f"/api/v1/users/{user['id']}/invitations")
    assert invitation.status_code == 201, invitation.text
    body = invitation.json()
    assert body["link"].startswith("http://") and "/invitation/" in body["link"] and body["expires_at"]
    return Person(client, user | {"organization": town}, body["link"], manager)


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


async def post_form(client: AsyncTestClient, path: str, fields: dict[str, str]) -> Any:
    page = await client.get(path)
    return await client.post(path, data=fields | {"form_token": form_token(page.text)}, follow_redirects=False)


async def set_password(person: Person, password: str = PASSWORD, repeated: str | None = None) -> Any:
    return await post_form(person.client, person.path, {"password": password, "repeated": password if repeated is None else repeated})


async def sign_in(client: AsyncTestClient, email: str, password: str = PASSWORD) -> Any:
    return await post_form(client, "/sign-in", {"email": email, "password": password, "next": "/me"})


async def test_an_invited_person_sets_a_password_once_and_signs_in(person: Person) -> None:
    page = await person.client.get(person.path, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "kari@town.example" in words(page.text)
    done = await set_password(person)
    assert (done.status_code, done.headers["location"]) == (303, "/sign-in?email=kari%40town.example")
    again = await person.client.get(person.path)
    assert again.status_code == 401 and "not valid" in words(again.text), "the link is used up"

    signed = await sign_in(person.client, "  kari@town.EXAMPLE ")
    assert (signed.status_code, signed.headers["location"]) == (303, "/me")
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    me = await person.client.get("/me", headers={"Accept-Language": "en"})
    assert me.status_code == 200 and me.headers["cache-control"] == "no-store"
    assert "kari@town.example" in words(me.text) and person.user["organization"]["name"] in words(me.text)
    assert "procurement_officer" in words(me.text)


async def test_the_password_is_stored_only_as_an_argon2id_hash(person: Person, database: Database) -> None:
    await set_password(person)
    stored = await in_transaction(database, lambda s: s.scalar(select(User.password_hash).where(User.id == UUID(person.user["id"]))))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("password", "repeated", "message"),
    [
        ("short pass", "short pass", "Choose a password of at least 12 characters, without spaces at either end."),
        (PASSWORD, PASSWORD + "!", "The two passwords are not the same."),
        (" " + PASSWORD, " " + PASSWORD, "Choose a password of at least 12 characters, without spaces at either end."),
    ],
)
async def test_a_password_that_cannot_be_used_is_refused_beside_its_field_and_the_link_still_works(
    person: Person, password: str, repeated: str, message: str
) -> None:
    refused = await set_password(person, password, repeated)
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text and '<a href="#password">' in refused.text
    assert 'aria-describedby="password-hint password-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert words(refused.text).count(en(message)) == 2, "in the summary and beside the field"
    assert (await set_password(person)).status_code == 303


async def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(person: Person) -> None:
    await set_password(person)
    wrong, unknown = await sign_in(person.client, "kari@town.example", "not the password"), await sign_in(person.client, "nobody@x.example")
    assert wrong.status_code == unknown.status_code == 400
    expected = en("The email address or the password is not right.")
    assert expected in words(wrong.text) and expected in words(unknown.text)
    assert "set-cookie" not in wrong.headers or "session=" not in wrong.headers["set-cookie"]


async def test_a_form_without_its_token_is_refused(person: Person) -> None:
    response = await person.client.post(person.path, data={"password": PASSWORD, "repeated": PASSWORD}, follow_redirects=False)
    forged = await person.client.post("/sign-in", data={"email": "kari@town.example", "password": PASSWORD, "form_token": "guess"})
    expired = en("the form had expired or came from elsewhere; reload the page and send it again")
    for refused in (response, forged):
        assert refused.status_code == 403 and expired in words(refused.text)


async def test_failed_sign_ins_are_throttled_per_account(person: Person) -> None:
    await set_password(person)
    for _ in range(10):
        assert (await sign_in(person.client, "kari@town.example", "wrong password!")).status_code == 400
    blocked = await sign_in(person.client, "kari@town.example")
    assert blocked.status_code == 429, "even the right password waits until the window ends"


async def test_signing_out_ends_the_session_and_everywhere_ends_every_one(person: Person, client: AsyncTestClient) -> None:
    await set_password(person)
    first = (await sign_in(client, "kari@town.example")).cookies["session"]
    second = (await sign_in(client, "kari@town.example")).cookies["session"]
    client.cookies.set("session", first)
    page = await client.get("/me")
    ended = await client.post("/sign-out", data={"form_token": form_token(page.text)}, follow_redirects=False)
    assert ended.status_code == 303 and 'session=""' in ended.headers["set-cookie"]
    client.cookies.set("session", first)
    assert (await client.get("/me", follow_redirects=False)).status_code == 303, "the old cookie no longer signs in"
    client.cookies.set("session", second)
    page = await client.get("/me")
    assert page.status_code == 200
    await client.post("/sign-out-everywhere", data={"form_token": form_token(page.text)})
    client.cookies.set("session", second)
    assert (await client.get("/me", follow_redirects=False)).status_code == 303


async def test_deactivation_ends_a_session_at_once(person: Person, admin: Api) -> None:
    await set_password(person)
    await sign_in(person.client, "kari@town.example")
    assert (await person.client.get("/me")).status_code == 200
    assert (await person.manager.post(f"/api/v1/users/{person.user['id']}/deactivate")).status_code == 200
    assert (await person.client.get("/me", follow_redirects=False)).headers["location"] == "/sign-in?next=/me"
    refused = await sign_in(person.client, "kari@town.example")
    assert refused.status_code == 400 and en("The email address or the password is not right.") in words(refused.text)


async def test_a_session_idle_too_long_or_past_its_lifetime_ends(person: Person, database: Database) -> None:
    await set_password(person)
    await sign_in(person.client, "kari@town.example")

    async def set_all(column: Any, ago: timedelta) -> None:
        await in_transaction(database, lambda s: s.execute(update(WebSession).values({column: utcnow() - ago})))

    await set_all(WebSession.last_seen_at, people.IDLE - timedelta(seconds=30))
    assert (await person.client.get("/me")).status_code == 200, "still within the idle time"
    await set_all(WebSession.last_seen_at, people.IDLE)
    assert (await person.client.get("/me", follow_redirects=False)).status_code == 303, "idle too long"
    await sign_in(person.client, "kari@town.example")
    await set_all(WebSession.expires_at, timedelta(seconds=1))
    assert (await person.client.get("/me", follow_redirects=False)).status_code == 303, "past its lifetime, however active"


async def test_only_the_users_organization_admin_invites_them(person: Person, admin: Api) -> None:
    other = await admin.create_org("municipality")
    outsider = await admin.create_user(other["id"], "org_admin")
    problem(await outsider.post(f"/api/v1/users/{person.user['id']}/invitations"), 404)
    officer = await person.manager.create_user(person.user["organization"]["id"], "procurement_officer")
    assert (await officer.post(f"/api/v1/users/{person.user['id']}/invitations")).status_code in (403, 404)
    newer = await person.manager.post(f"/api/v1/users/{person.user['id']}/invitations")
    older = await person.client.get(person.path)
    assert older.status_code == 401 and "it was used, replaced or has expired" in words(older.text), "a newer invitation replaces the older link"
    assert (await person.client.get(urlsplit(newer.json()["link"]).path)).status_code == 200


async def test_every_page_of_a_signed_in_person_offers_sign_out_in_its_header(person: Person, client: AsyncTestClient) -> None:
    await set_password(person)
    await sign_in(client, "kari@town.example")
    for path in ("/", "/library", "/tenders", "/me", "/organization/users"):
        header = (await client.get(path)).text.split("</header>")[0]
        assert '<form class="inline" action="/sign-out" method="post">' in header and 'name="form_token"' in header, path
    page = await client.get("/library")
    ended = await client.post("/sign-out", data={"form_token": form_token(page.text)}, follow_redirects=False)
    assert ended.status_code == 303 and 'action="/sign-out"' not in (await client.get("/library")).text, "signed out, the header offers sign in"
