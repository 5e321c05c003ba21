"""The library editor in a real browser against a served registry: invited by link, a new draft of a starter
module, a Swedish text changed, previewed and published with the keyboard where it matters; a visitor then
reads the new version and its differences. axe-core finds no accessibility violation on any editor page."""

from __future__ import annotations

from pathlib import Path

from tests.platform.test_docs_page import CHROMIUM, require_browser
from tests.served import served_registry
from tests.web.test_browser import accept_invitation, no_violations

KEY = "SEC-ENCRYPTION"
NEW_TITLE = "Kryptering av personuppgifter, omarbetad rubrik"


def test_an_editor_drafts_a_new_version_changes_its_swedish_title_previews_and_publishes_it(tmp_path: Path, templates: tuple[str, str]) -> None:
    require_browser()
    import subprocess
    from urllib.parse import urlsplit

    import httpx
    from playwright.sync_api import expect, sync_playwright

    from tests.served import CLI, registry_env

    with served_registry(tmp_path / "data") as served, sync_playwright() as playwright:
        env = registry_env(served.data_dir)
        token = subprocess.run([*CLI, "admin", "create-admin"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {token}"}) as api:
            authority = api.post("/api/v1/organizations", json={"kind": "authority", "name": "Nordic library board", "country": "SE"}).json()
            person = {"name": "Sara", "email": "sara@library.example", "roles": ["library_editor"]}
            user = api.post(f"/api/v1/organizations/{authority['id']}/users", json=person).json()
            link = urlsplit(api.post(f"/api/v1/users/{user['id']}/invitations").json()["link"]).path
            newest = api.get(f"/api/v1/modules/{KEY}").json()["current"]["version"]
        draft = newest + 1
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}).new_page()
            accept_invitation(page, served.base_url, link, "tio korgar med äpplen")

            page.goto(f"{served.base_url}/library")
            page.locator("a[href='/library/new']").click()
            page.wait_for_url("**/library/new")
            no_violations(page, "editor-new-module-sv")

            page.goto(f"{served.base_url}/library/{KEY}")
            page.locator(f"a[href='/library/{KEY}/versions']").click()
            page.wait_for_url(f"**/library/{KEY}/versions")
            no_violations(page, "editor-versions-sv")
            page.locator("form[action$='/versions'] button").click()
            page.wait_for_url(f"**/library/{KEY}/versions/{draft}/edit")
            expect(page.locator("#title-sv")).to_have_attribute("lang", "sv")
            no_violations(page, "editor-draft-sv")

            page.locator("#title-sv").fill(NEW_TITLE)
            page.locator("#title-sv").press("Enter")
            page.wait_for_url(f"**/library/{KEY}/versions/{draft}/edit?saved=1")
            expect(page.locator("#title-sv")).to_have_value(NEW_TITLE)
            expect(page.locator(".notice")).to_be_visible()
            page.set_viewport_size({"width": 320, "height": 640})
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"the four language columns stack at 320 px (page is {width} px wide)"
            no_violations(page, "editor-draft-sv-320")
            page.set_viewport_size({"width": 1280, "height": 900})

            page.locator(f"a[href='/library/{KEY}/versions/{draft}/preview']").first.click()
            page.wait_for_url(f"**/versions/{draft}/preview")
            expect(page.locator("#preview-sv")).to_contain_text(NEW_TITLE)
            no_violations(page, "editor-preview-sv")

            page.goto(f"{served.base_url}/library/{KEY}/versions/{draft}/publish")
            no_violations(page, "editor-publish-sv")
            page.locator(f"form[action$='/versions/{draft}/publish'] button").press("Enter")
            page.wait_for_url(f"**/library/{KEY}?version={draft}")
            expect(page.locator("h1")).to_have_text(NEW_TITLE)

            page.goto(f"{served.base_url}/library/{KEY}/versions/{newest}/deprecate")
            no_violations(page, "editor-deprecate-sv")
            page.goto(f"{served.base_url}/library/drafts")
            no_violations(page, "editor-drafts-sv")

            narrow = browser.new_context(locale="sv-SE", viewport={"width": 320, "height": 640}).new_page()
            narrow.goto(f"{served.base_url}/library/{KEY}")
            expect(narrow.locator("h1")).to_have_text(NEW_TITLE)
            narrow.locator(f"a[href*='/diff?from={newest}&to={draft}']").click()
            narrow.wait_for_url(f"**/library/{KEY}/diff?from={newest}&to={draft}")
            expect(narrow.locator("table.diff tbody tr", has_text="title.sv")).to_contain_text(NEW_TITLE)
            no_violations(narrow, "diff-after-publishing-sv-320")
        finally:
            browser.close()
