"""The published library in the browser's language, without signing in: search as the API searches
(``aeldre`` finds ``ældre``), a module's page in full, the differences between two versions; drafts
never shown; errors as pages; every page under a strict Content-Security-Policy."""

from __future__ import annotations

import copy
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.settings import Settings
from registry.web.i18n import translations
from tests.library_world import NEW_MODULE, library_of
from tests.support import ADMIN_TOKEN, Api

FALLS = "EVID-FALLS-REDUCTION"
DANISH = {"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"}
da = translations("da").gettext


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The starter catalogue and one module with two published versions."""
    library = library_of(tmp_path, f"evidence_of_effect/{FALLS}.toml")
    return Settings(data_dir=tmp_path, database_url=database_url, bootstrap_admin_token=ADMIN_TOKEN, library_dir=library, seed_library=True)


def words(html: str) -> str:
    """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def not_found(response: Any, named: str) -> None:
    """A page's 404 saying, in whatever language the page speaks, what was not found: ``named`` is the service's words
    for it (a missing route would name nothing of it)."""
    text = words(response.text)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html"), response.status_code
    assert named in text, text[-400:]


async def get_page(client: AsyncTestClient, path: str, status: int = 200, headers: dict[str, str] | None = None) -> str:
    response = await client.get(path, headers=headers or DANISH)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
    return response.text


async def test_a_search_without_accents_finds_the_danish_text_and_the_page_speaks_danish(client: AsyncTestClient) -> None:
    html = await get_page(client, "/library?q=aeldrebolig")
    assert '<html lang="da">' in html
    text = words(html)
    found = translations("da").ngettext("%(num)s module found", "%(num)s modules found", 1) % {"num": 1}
    assert found in text and found != "1 module found", text[:400]
    assert "Dokumenteret effekt på fald og følgerne af fald" in text and FALLS in text
    none = translations("da").ngettext("%(num)s module found", "%(num)s modules found", 0) % {"num": 0}
    assert none in words(await get_page(client, "/library?q=nothing-like-this"))


async def test_the_language_follows_the_browser_then_the_switcher_which_only_goes_back_to_this_site(client: AsyncTestClient) -> None:
    assert '<html lang="sv">' in await get_page(client, "/library", headers={"Accept-Language": "sv;q=0.8, fr"})
    assert '<html lang="nb">' in await get_page(client, "/library", headers={"Accept-Language": "no"})
    assert '<html lang="en">' in await get_page(client, "/library", headers={"Accept-Language": "fr"})
    switched = await client.get("/language/nb?next=/library?q=fall", follow_redirects=False)
    assert (switched.status_code, switched.headers["location"]) == (303, "/library?q=fall")
    assert "language=nb" in switched.headers["set-cookie"] and "HttpOnly" in switched.headers["set-cookie"]
    assert '<html lang="nb">' in await get_page(client, "/library", headers=DANISH), "the choice wins over the browser's"
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert (await client.get(f"/language/da?next={elsewhere}", follow_redirects=False)).headers["location"] == "/"


async def test_a_modules_page_shows_what_a_buyer_needs_to_use_it(client: AsyncTestClient) -> None:
    text = words(await get_page(client, f"/library/{FALLS}"))
    for shown in (
        "Dokumenteret effekt på fald og følgerne af fald", da("Award criterion"), f"{da('Version')} 2",
        "mindst 50 deltagere",  # the statement with the parameter's default filled in
        da("Points"), da("Parameters"), da("Evidence the registry checks"), da("Versions"), da("Compare with version %(n)s") % {"n": 1},
        da("A study designed at least as strongly as: %(design)s.") % {"design": "Kontrolleret studie uden randomisering"},
        da("At least %(size)s participants.") % {"size": da("%(default)s, or the value the buyer sets for “%(label)s”") % {
            "default": 50, "label": "Mindste antal deltagere i studiet"}},
    ):  # fmt: skip
        assert shown in text, shown
    assert da("Award criterion") != "Award criterion", "the page speaks Danish"
    assert "{min_sample_size}" not in text


async def test_a_modules_earlier_version_and_the_differences_side_by_side(client: AsyncTestClient) -> None:
    first = words(await get_page(client, f"/library/{FALLS}?version=1"))
    assert "Version 1" in first
    html = await get_page(client, f"/library/{FALLS}/diff?from=1&to=2")
    assert 'class="before" lang="da"' in html or "class=\"before\"" in html
    assert da("Changes from version %(old)s to %(new)s") % {"old": 1, "new": 2} in words(html)


async def test_drafts_unknown_modules_and_bad_addresses_are_pages_not_json(client: AsyncTestClient, admin: Api) -> None:
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], "library_editor")
    draft: dict[str, Any] = copy.deepcopy(NEW_MODULE)
    assert (await editor.post("/api/v1/modules", json=draft)).status_code == 201
    assert f"no requirement module {NEW_MODULE['key']}" in words(await get_page(client, f"/library/{NEW_MODULE['key']}", 404))
    assert NEW_MODULE["key"] not in await get_page(client, "/library")
    assert da("Page not found") in words(await get_page(client, "/library/NO-SUCH-MODULE", 404))
    await get_page(client, "/library?page=0", 400)
    await get_page(client, f"/library/{FALLS}/diff?from=1", 400)


async def test_every_page_has_a_skip_link_breadcrumbs_and_a_language_switcher(client: AsyncTestClient) -> None:
    for path in ("/", "/library", f"/library/{FALLS}", f"/library/{FALLS}/diff?from=1&to=2"):
        html = await get_page(client, path)
        assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
        assert all(f'hreflang="{code}"' in html for code in ("nb", "sv", "en")), "the other three languages, each marked with its own lang"
        if path != "/":
            assert '<nav class="crumbs"' in html and 'aria-current="page"' in html
    css = await client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ":focus-visible" in css.text
