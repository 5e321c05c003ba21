"""An organization admin in the browser: the organization's users, an invitation link shown once, and a
deactivation that ends the colleague's session at once; another organization's users stay out of reach."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.testing import AsyncTestClient

from tests.support import Api
from tests.web.test_library_pages import words
from tests.web.test_sign_in import PASSWORD, form_token, post_form, sign_in


async def signed_in_browser(client: AsyncTestClient, inviter: Api, user: dict) -> None:
    """``client`` signed in as ``user``, after setting a password through an invitation from ``inviter``."""
    link = urlsplit((await inviter.post(f"/api/v1/users/{user['id']}/invitations")).json()["link"]).path
    assert (await post_form(client, link, {"password": PASSWORD, "repeated": PASSWORD})).status_code == 303
    assert (await sign_in(client, user["email"])).status_code == 303


async def test_an_organization_admin_invites_and_deactivates_a_colleague_whose_session_ends(client: AsyncTestClient, admin: Api) -> None:
    town = await admin.create_org("municipality", name="Askøy kommune")
    manager = await admin.create_user(town["id"], "org_admin")
    colleague = await admin.create_user(town["id"], "procurement_officer")
    await signed_in_browser(client, admin, manager.user)  # type: ignore[attr-defined]
    page = await client.get("/organization/users", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Users of Askøy kommune" in words(page.text)
    assert colleague.user["email"] in page.text and manager.user["email"] in page.text  # type: ignore[attr-defined]

    invited = await client.post(f"/organization/users/{colleague.user['id']}/invitation", data={"form_token": form_token(page.text)})  # type: ignore[attr-defined]
    assert invited.status_code == 200 and "/invitation/" in invited.text and invited.headers["cache-control"] == "no-store"
    link = urlsplit(next(w for w in words(invited.text).split() if "/invitation/" in w)).path

    manager_session = client.cookies["session"]
    client.cookies.clear()  # the colleague's browser
    assert (await post_form(client, link, {"password": PASSWORD, "repeated": PASSWORD})).status_code == 303
    assert (await sign_in(client, colleague.user["email"])).status_code == 303  # type: ignore[attr-defined]
    colleague_session = client.cookies["session"]
    assert (await client.get("/me")).status_code == 200

    client.cookies.clear()  # the manager's browser again
    client.cookies.set("session", manager_session)
    page = await client.get("/organization/users")
    action = f"/organization/users/{colleague.user['id']}/deactivate"  # type: ignore[attr-defined]
    deactivated = await client.post(action, data={"form_token": form_token(page.text)}, follow_redirects=False)
    assert (deactivated.status_code, deactivated.headers["location"]) == (303, "/organization/users")
    client.cookies.set("session", colleague_session)
    assert (await client.get("/me", follow_redirects=False)).status_code == 303, "the colleague's session ended with the deactivation"
    client.cookies.set("session", manager_session)
    assert "Deactivated" in words((await client.get("/organization/users", headers={"Accept-Language": "en"})).text)


async def test_someone_who_administers_no_organization_gets_no_user_list(client: AsyncTestClient, admin: Api) -> None:
    town = await admin.create_org("municipality")
    officer = await admin.create_user(town["id"], "procurement_officer")
    assert (await client.get("/organization/users", follow_redirects=False)).status_code == 303, "anonymous: sign in first"
    await signed_in_browser(client, admin, officer.user)  # type: ignore[attr-defined]
    refused = await client.get("/organization/users")
    assert refused.status_code in (403, 404) and refused.headers["content-type"].startswith("text/html")
