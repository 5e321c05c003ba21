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


def test_a_visitor_searches_in_danish_and_compares_two_versions_of_a_module(tmp_path: Path, migrated_template: Path | None) -> None:
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
