"""The API documentation page works offline: a served registry's /docs in headless Chromium, every
request to another host refused, lists the operations; the page admits nothing from elsewhere."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from tests.outside import unavailable
from tests.served import served_registry

CHROMIUM = Path("/usr/bin/chromium")
SHOWN = [
    "Create a draft tender owned by your municipality or federation",
    "Register a product of the caller's supplier organization",
    "Attach an evidence item to an own product",
    "Every published document version of every tender as an OCDS 1.1.5 release package, newest first (no token needed)",
]
"""Summaries of operations from several areas, as the page shows them."""


def require_browser() -> None:
    needs = [("the Python package playwright", find_spec("playwright") is not None), (f"Chromium at {CHROMIUM}", CHROMIUM.exists())]
    missing = [what for what, present in needs if not present]
    if missing:
        unavailable(f"the docs page test needs {' and '.join(missing)} (pip install -e '.[test]'; apt-get install chromium)")


def test_docs_page_lists_the_operations_without_internet(tmp_path: Path, templates: tuple[str, str]) -> None:
    require_browser()
    from playwright.sync_api import Route, sync_playwright

    refused: list[str] = []
    problems: list[str] = []

    def only_this_host(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with served_registry(tmp_path / "data") as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.route("**/*", only_this_host)
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            response = page.goto(f"{served.base_url}/docs")
            assert response is not None and response.ok
            policy = response.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "http" not in policy and "unsafe" not in policy
            for summary in SHOWN:
                page.get_by_text(summary, exact=True).wait_for(state="visible", timeout=15_000)
            assert page.get_by_role("button", name="Authorize").is_visible()
            page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)
            page.get_by_text(SHOWN[0], exact=True).click()
            page.get_by_text('"IVS-2027-01"').first.wait_for(state="visible", timeout=15_000)  # the tender example
            page.screenshot(path=str(tmp_path / "tender.png"), full_page=False)
        finally:
            browser.close()
    assert refused == [], "the page reached for other hosts"
    assert problems == [], "the page logged errors (a blocked asset or script, a CSP violation)"
    assert (tmp_path / "docs.png").stat().st_size > 10_000

