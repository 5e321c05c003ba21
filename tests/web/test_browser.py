"""The library in a real browser (Playwright driving Debian's Chromium) against a served registry: a
visitor searches in Danish, opens a module and its differences between versions, with the keyboard
where it matters; axe-core finds no accessibility violation on any page visited. Screenshots of every
page go to ``screenshots/`` (git-ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.platform.test_docs_page import CHROMIUM, require_browser
from tests.served import served_registry

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def no_violations(page: Any, name: str) -> None:
    """axe-core's WCAG 2.1 A and AA rules on the page as it is now, and a screenshot of it."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_report()


def set_password(page: Any, base_url: str, link: str, password: str) -> None:
    """At an invitation link, set ``password``; the page then asks to sign in."""
    page.goto(f"{base_url}{link}")
    page.locator("#password").fill(password)
    page.locator("#repeated").fill(password)
    page.locator("#repeated").press("Enter")
    page.wait_for_url("**/sign-in?email=*")


def accept_invitation(page: Any, base_url: str, link: str, password: str) -> None:
    """Set ``password`` at an invitation link and sign in with it on the sign-in page that follows."""
    set_password(page, base_url, link, password)
    page.locator("#password").fill(password)
    page.locator("#password").press("Enter")
    page.wait_for_url("**/")


def test_a_visitor_searches_in_danish_and_compares_two_versions_of_a_module(tmp_path: Path, templates: tuple[str, str]) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    with served_registry(tmp_path / "data") as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(f"{served.base_url}/")
            expect(page.locator("html")).to_have_attribute("lang", "da")
            no_violations(page, "home-da")

            page.keyboard.press("Tab")
            expect(page.locator("a.skip")).to_be_focused()
            search = page.locator("#q")
            search.fill("aeldre")
            search.press("Enter")
            page.wait_for_url("**/library?q=aeldre")
            results = page.locator("ol.results > li")
            expect(results.first).to_be_visible()
            assert results.count() >= 5, "ældre is in many Danish texts"
            no_violations(page, "library-search-da")

            page.goto(f"{served.base_url}/library/SEC-ENCRYPTION")
            expect(page.locator("h1")).to_be_visible()
            no_violations(page, "module-da")
            page.locator("a[href*='/diff?from=1&to=2']").click()
            page.wait_for_url("**/library/SEC-ENCRYPTION/diff?from=1&to=2")
            expect(page.locator("table.diff tbody tr").first).to_be_visible()
            no_violations(page, "diff-da")

            assert errors == []
            page.goto(f"{served.base_url}/sign-in")
            no_violations(page, "sign-in-da")
            page.locator("#email").fill("nobody@example.org")
            page.locator("#password").fill("not a password at all")
            page.locator("#password").press("Enter")
            expect(page.locator(".error-summary")).to_be_visible()
            no_violations(page, "sign-in-refused-da")
            assert [e for e in errors if "400" not in e] == [], "the refused form answers 400, nothing else fails"
            errors.clear()

            narrow = browser.new_context(locale="sv-SE", viewport={"width": 320, "height": 640})
            small = narrow.new_page()
            small.goto(f"{served.base_url}/library/SEC-ENCRYPTION")
            width = small.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"no sideways scrolling at 320 px (page is {width} px wide)"
            no_violations(small, "module-sv-320")
            assert errors == []
        finally:
            browser.close()


def test_a_supplier_invited_by_link_registers_a_product_adds_a_study_and_sees_the_fit(tmp_path: Path, templates: tuple[str, str]) -> None:
    """From the invitation link to the fit, with a study of two outcomes, the keyboard for the forms; axe-core on every page on the way."""
    require_browser()
    import subprocess
    from urllib.parse import urlsplit

    import httpx
    from playwright.sync_api import expect, sync_playwright

    from tests.served import CLI, registry_env
    from tests.support import valid_org_number

    with served_registry(tmp_path / "data") as served, sync_playwright() as playwright:
        env = registry_env(served.data_dir)
        token = subprocess.run([*CLI, "admin", "create-admin"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {token}"}) as api:
            organization = {"kind": "supplier", "name": "Trygg AS", "country": "NO", "org_number": valid_org_number("NO")}
            supplier = api.post("/api/v1/organizations", json=organization).json()
            person = {"name": "Siri", "email": "siri@trygg.example", "roles": ["supplier_editor"]}
            user = api.post(f"/api/v1/organizations/{supplier['id']}/users", json=person).json()
            link = urlsplit(api.post(f"/api/v1/users/{user['id']}/invitations").json()["link"]).path
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{served.base_url}{link}")
            no_violations(page, "invitation-nb")
            page.locator("#password").fill("ti kurver med epler")
            page.locator("#repeated").fill("ti kurver med epler")
            page.locator("#repeated").press("Enter")
            page.wait_for_url("**/sign-in?email=*")
            no_violations(page, "sign-in-after-invitation-nb")
            page.locator("#password").fill("ti kurver med epler")
            page.locator("#password").press("Enter")
            page.wait_for_url("**/")
            page.goto(f"{served.base_url}/products/new")
            no_violations(page, "product-new-nb")
            page.locator("#name").fill("Trygg Hjemme")
            page.locator("#model").fill("TH-4 (fastvare 4.2)")
            page.locator("#category-digital_social_alarm").check()
            page.locator("#model").press("Enter")
            page.wait_for_url("**/products/*?saved=1")
            no_violations(page, "product-nb")
            product = page.url.split("/products/")[1].split("?")[0]
            page.goto(f"{served.base_url}/products/{product}/evidence/new")
            no_violations(page, "evidence-new-nb")
            page.locator("#title").fill("Fall i hjemmet i Askøy")
            page.locator("#study_design").select_option("controlled_study")
            page.locator("#outcome-0-domain").select_option("safety_incidents")
            page.locator("#outcome-0-measure").fill("Fall per 1000 dager")
            page.locator("#outcome-0-result").fill("tre")
            page.locator("#outcome-0-sample_size").fill("120")
            add_row = page.locator("button[value='add_outcome']")
            add_row.focus()
            page.keyboard.press("Enter")  # a second outcome row, from the server, without JavaScript
            expect(page.locator("#outcome-1-domain")).to_be_visible()
            expect(page.locator("#outcome-0-result")).to_have_value("tre")
            page.locator("#outcome-1-domain").select_option("hospital_admissions")
            page.locator("#outcome-1-measure").fill("Innleggelser per år")
            page.locator("#outcome-1-result").fill("0.4")
            page.locator("#outcome-1-sample_size").fill("118")
            page.locator("#outcome-1-sample_size").press("Enter")
            expect(page.locator(".error-summary")).to_be_visible()
            no_violations(page, "evidence-refused-nb")
            page.locator(".error-summary a").first.click()
            expect(page.locator("#outcome-0-result")).to_be_focused()
            page.keyboard.press("Control+A")
            page.keyboard.type("3.2")
            page.keyboard.press("Enter")
            page.wait_for_url(f"**/products/{product}")
            expect(page.get_by_text("Fall i hjemmet i Askøy")).to_be_visible()
            with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {token}"}) as api:
                stored = api.get("/api/v1/evidence", params={"product_id": product}).json()["items"]
            assert [(o["domain"], o["result"], o["sample_size"]) for o in stored[0]["outcomes"]] == [
                ("safety_incidents", 3.2, 120), ("hospital_admissions", 0.4, 118)]  # fmt: skip
            page.goto(f"{served.base_url}/products/{product}/fit?modules=EVID-FALLS-REDUCTION")
            expect(page.locator("section.fit")).to_be_visible()
            no_violations(page, "fit-nb")
        finally:
            browser.close()
