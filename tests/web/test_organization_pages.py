"""An organization admin in the browser: the organization's users, an invitation link shown once, and a
deactivation that ends the colleague's session at once; another organization's users stay out of reach."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from litestar.testing import AsyncTestClient

from registry.web.i18n import translations
from tests.support import Api
from tests.web.test_library_pages import words
from tests.web.test_sign_in import PASSWORD, form_token, post_form, sign_in

en = translations("en").gettext
ENGLISH = {"Accept-Language": "en"}


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


async def submit(client: AsyncTestClient, path: str, fields: dict) -> Any:
    page = await client.get(path, headers=ENGLISH)
    assert page.status_code == 200, words(page.text)[-500:]
    return await client.post(path, data=fields | {"form_token": form_token(page.text)}, headers=ENGLISH, follow_redirects=False)


def offered_roles(html: str) -> set[str]:
    return set(re.findall(r'name="roles" value="([a-z_]+)"', html))


async def test_adding_a_colleague_grants_only_roles_fitting_the_organization_and_shows_their_link_once(client: AsyncTestClient, admin: Api) -> None:
    town = await admin.create_org("municipality", name="Bømlo kommune")
    manager = await admin.create_user(town["id"], "org_admin")
    await signed_in_browser(client, admin, manager.user)  # type: ignore[attr-defined]
    form = await client.get("/organization/users/new", headers=ENGLISH)
    assert offered_roles(form.text) == {"org_admin", "procurement_officer"}, "no supplier, federation, library or admin role"

    added = await submit(client, "/organization/users/new", {"name": "Ola Nordmann", "email": "Ola@Bomlo.example", "roles": ["procurement_officer"]})
    assert added.status_code == 200 and added.headers["cache-control"] == "no-store"
    assert "/invitation/" in added.text, "adding someone shows the link at which they set their password"
    users = (await manager.get(f"/api/v1/organizations/{town['id']}/users")).json()["items"]
    ola = next(u for u in users if u["email"] == "ola@bomlo.example")
    assert (ola["name"], ola["roles"]) == ("Ola Nordmann", ["procurement_officer"])
    assert "Procurement officer" in words((await client.get("/organization/users", headers=ENGLISH)).text)


async def test_a_role_outside_the_rights_or_an_address_taken_is_refused_beside_its_field_and_nothing_is_stored(
    client: AsyncTestClient, admin: Api
) -> None:
    town = await admin.create_org("municipality")
    manager = await admin.create_user(town["id"], "org_admin")
    await signed_in_browser(client, admin, manager.user)  # type: ignore[attr-defined]
    taken = manager.user["email"]  # type: ignore[attr-defined]
    for fields, field, message in (
        ({"name": "Eva", "email": "eva@town.example", "roles": ["library_editor"]}, "roles", "Choose among the roles offered here."),
        ({"name": "Eva", "email": "eva@town.example", "roles": ["supplier_editor"]}, "roles", "Choose among the roles offered here."),
        ({"name": "Eva", "email": "eva@town.example", "roles": ["emperor"]}, "roles", "Choose among the roles offered here."),
        ({"name": "Eva", "email": "not an address", "roles": []}, "email", "Enter an email address such as name@example.org."),
        ({"name": "", "email": "eva@town.example", "roles": []}, "name", "Enter the person's name, on one line."),
        ({"name": "Eva", "email": taken, "roles": []}, "email", "Someone already has an account with this email address."),
    ):
        refused = await submit(client, "/organization/users/new", fields)
        assert refused.status_code in (400, 409), (fields, words(refused.text)[-300:])
        assert f'<a href="#{field}">' in refused.text and words(refused.text).count(en(message)) == 2, fields
        assert fields["email"] in refused.text or field == "email", "what was typed is kept"
    users = (await manager.get(f"/api/v1/organizations/{town['id']}/users")).json()
    assert users["total"] == 1, "nothing was stored"


async def test_an_organization_admin_changes_a_colleagues_name_and_roles_within_their_rights(client: AsyncTestClient, admin: Api) -> None:
    town = await admin.create_org("municipality")
    manager = await admin.create_user(town["id"], "org_admin")
    colleague = await admin.create_user(town["id"], "procurement_officer")
    editor = await admin.create_user(town["id"], "procurement_officer", "library_editor")
    await signed_in_browser(client, admin, manager.user)  # type: ignore[attr-defined]
    path = f"/organization/users/{colleague.user['id']}"  # type: ignore[attr-defined]
    changed = await submit(client, path, {"name": "Kari Nordmann", "roles": ["procurement_officer", "org_admin"]})
    assert (changed.status_code, changed.headers["location"]) == (303, "/organization/users?saved=1")

    async def stored() -> tuple[str, list[str]]:
        users = (await manager.get(f"/api/v1/organizations/{town['id']}/users")).json()["items"]
        user = next(u for u in users if u["id"] == colleague.user["id"])  # type: ignore[attr-defined]
        return user["name"], sorted(user["roles"])

    assert await stored() == ("Kari Nordmann", ["org_admin", "procurement_officer"])

    refused = await submit(client, path, {"name": "Kari Nordmann", "roles": ["library_editor"]})
    assert refused.status_code == 400 and words(refused.text).count(en("Choose among the roles offered here.")) == 2
    assert await stored() == ("Kari Nordmann", ["org_admin", "procurement_officer"]), "unchanged"

    out_of_reach = await client.get(f"/organization/users/{editor.user['id']}", headers=ENGLISH)  # type: ignore[attr-defined]
    assert out_of_reach.status_code == 403 and "registry admin" in words(out_of_reach.text), "a library editor is the registry admin's to manage"
    elsewhere = await admin.create_user((await admin.create_org("municipality"))["id"], "procurement_officer")
    hidden = await client.get(f"/organization/users/{elsewhere.user['id']}", headers=ENGLISH)  # type: ignore[attr-defined]
    assert hidden.status_code == 404 and "Page not found" in words(hidden.text)


async def test_a_page_speaks_the_browsers_language_else_that_of_the_persons_organizations_country(client: AsyncTestClient, admin: Api) -> None:
    assert '<html lang="en">' in (await client.get("/")).text, "a visitor whose browser names no language of ours reads English"
    town = await admin.create_org("municipality", country="DK", name="Bornholms Regionskommune")
    officer = await admin.create_user(town["id"], "procurement_officer")
    await signed_in_browser(client, admin, officer.user)  # type: ignore[attr-defined]
    assert '<html lang="da">' in (await client.get("/me")).text, "Danish, the organization's country's language"
    assert '<html lang="sv">' in (await client.get("/me", headers={"Accept-Language": "sv-SE, en;q=0.5"})).text, "the browser's choice first"
    chosen = await client.get("/language/nb?next=/me", follow_redirects=True, headers={"Accept-Language": "sv"})
    assert '<html lang="nb">' in chosen.text, "and the language chosen on the page before either"
