"""Personal API tokens in the browser: a signed-in person creates one for a program (its secret shown
once, and it works against the API as them), sees it listed, and revokes it, after which it stops."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from registry.web.i18n import translations
from tests.support import Api, problem
from tests.web.test_library_pages import words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

en = translations("en").gettext
ENGLISH = {"Accept-Language": "en"}
SECRET = re.compile(r"wtr_[A-Za-z0-9_-]{30,}")


async def test_a_person_creates_a_token_that_works_as_them_and_revokes_it(client: AsyncTestClient, admin: Api) -> None:
    town = await admin.create_org("municipality")
    officer = await admin.create_user(town["id"], "procurement_officer")
    await signed_in_browser(client, admin, officer.user)  # type: ignore[attr-defined]
    page = await client.get("/me/tokens", headers=ENGLISH)
    created = await client.post("/me/tokens", data={"name": "Case system", "days": "30", "form_token": form_token(page.text)}, headers=ENGLISH)
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    secret = SECRET.search(created.text).group(0)  # type: ignore[union-attr]
    assert "Case system" in words(created.text)
    me = await Api(client, secret).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["user_id"] == officer.user["id"]  # type: ignore[attr-defined]
    listed = await client.get("/me/tokens", headers=ENGLISH)
    assert secret not in listed.text, "the secret is shown once, never again"
    row = next(r for r in listed.text.split("<tr>") if "Case system" in r)
    token_id = re.search(r"/me/tokens/([0-9a-f-]{36})/revoke", row).group(1)  # type: ignore[union-attr]
    revoked = await client.post(f"/me/tokens/{token_id}/revoke", data={"form_token": form_token(listed.text)}, follow_redirects=False)
    assert revoked.status_code == 303
    problem(await Api(client, secret).get("/api/v1/me"), 401)
    assert en("Revoked") in words((await client.get("/me/tokens", headers=ENGLISH)).text)


async def test_a_token_without_a_name_or_beyond_the_longest_lifetime_is_refused_beside_its_field(client: AsyncTestClient, admin: Api) -> None:
    town = await admin.create_org("municipality")
    officer = await admin.create_user(town["id"], "procurement_officer")
    await signed_in_browser(client, admin, officer.user)  # type: ignore[attr-defined]
    page = await client.get("/me/tokens", headers=ENGLISH)
    for fields, field, message in (
        ({"name": " ", "days": ""}, "name", en("Give the token a name that says what uses it.")),
        ({"name": "Robot", "days": "366"}, "days", en("A token lasts at most %(days)s days.") % {"days": 365}),
        ({"name": "Robot", "days": "ten"}, "days", en("A token lasts at most %(days)s days.") % {"days": 365}),
    ):
        refused = await client.post("/me/tokens", data=fields | {"form_token": form_token(page.text)}, headers=ENGLISH)
        assert refused.status_code == 400 and f'<a href="#{field}">' in refused.text
        assert words(refused.text).count(message) == 2, "in the summary and beside the field"
        assert not SECRET.search(refused.text), "no token was made"


async def test_the_tokens_page_asks_a_visitor_to_sign_in(client: AsyncTestClient) -> None:
    response = await client.get("/me/tokens", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/sign-in?next=/me/tokens")
