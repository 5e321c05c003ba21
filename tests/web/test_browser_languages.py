"""Every page in each of the four languages, in a real browser (Playwright driving Debian's Chromium) against
a served registry: axe-core finds no accessibility violation, the page says which language it is in, and
its screenshot goes to ``screenshots/``. And an organization admin deactivates a colleague in the browser,
whose open session then ends."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.evidence_world import PDF, PRODUCT, STUDY
from tests.platform.test_docs_page import CHROMIUM, require_browser
from tests.served import CLI, Served, registry_env, served_registry
from tests.support import valid_org_number
from tests.tender_world import spec
from tests.web.test_browser import no_violations, set_password

LOCALES = {"nb": "nb-NO", "sv": "sv-SE", "da": "da-DK", "en": "en-GB"}
PASSWORD = "ti kurver med epler"
VISITOR_PAGES = {
    "home": "/",
    "library": "/library",
    "search": "/library?q=alarm&product_category=digital_social_alarm",
    "module": "/library/EVID-FALLS-REDUCTION",
    "diff": "/library/SEC-ENCRYPTION/diff?from=1&to=2",
    "sign-in": "/sign-in",
    "not-found": "/library/NO-SUCH-MODULE",
}


class People:
    """A supplier's editor with a product, a study and its file; a municipality's admin with a colleague, a
    procurement officer with a published tender and a draft open for participants, to which another
    municipality, whose officer answers, is invited."""

    def __init__(self, served: Served) -> None:
        env = registry_env(served.data_dir)
        token = subprocess.run([*CLI, "admin", "create-admin"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        self.api = httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {token}"})
        supplier = self._organization("supplier", "Trygg AS")
        town = self._organization("municipality", "Askøy kommune")
        self.editor = self._user(supplier, "Siri", "siri@trygg.example", "supplier_editor")
        self.manager = self._user(town, "Mona", "mona@askoy.example", "org_admin")
        self.colleague = self._user(town, "Per", "per@askoy.example", "procurement_officer")
        editor_token = self.api.post(f"/api/v1/users/{self.editor['id']}/tokens", json={"name": "set-up"}).json()["token"]
        supplier_api = {"Authorization": f"Bearer {editor_token}"}
        self.product = self.api.post("/api/v1/products", json=PRODUCT, headers=supplier_api).json()["id"]
        self.study = self.api.post(f"/api/v1/products/{self.product}/evidence", json=STUDY, headers=supplier_api).json()["id"]
        files = {"file": ("report.pdf", PDF, "application/pdf")}
        assert self.api.post(f"/api/v1/evidence/{self.study}/attachments", files=files, headers=supplier_api).status_code == 201
        officer_token = self.api.post(f"/api/v1/users/{self.colleague['id']}/tokens", json={"name": "set-up"}).json()["token"]
        officer_api = {"Authorization": f"Bearer {officer_token}"}
        self.tender = self.api.post("/api/v1/tenders", json=spec("ASK-2027-01"), headers=officer_api).json()["id"]
        publish = officer_api | {"If-Match": self._etag(self.tender, officer_api)}
        published = self.api.post(f"/api/v1/tenders/{self.tender}/publish", headers=publish)
        assert published.status_code == 200, published.text
        voss = self._organization("municipality", "Voss herad")
        self.invited = self._user(voss, "Ola", "ola@voss.example", "procurement_officer")
        self.draft = self.api.post("/api/v1/tenders", json=spec("ASK-2027-02"), headers=officer_api).json()["id"]
        for action, body in (("/participants", {"organization_ids": [voss["id"]]}), ("/open-for-participants", None)):
            write = officer_api | {"If-Match": self._etag(self.draft, officer_api)}
            done = self.api.post(f"/api/v1/tenders/{self.draft}{action}", json=body, headers=write)
            assert done.status_code == 200, done.text

    def _etag(self, tender: str, headers: dict[str, str]) -> str:
        return self.api.get(f"/api/v1/tenders/{tender}", headers=headers).headers["etag"]

    def close(self) -> None:
        self.api.close()

    def _organization(self, kind: str, name: str) -> dict[str, Any]:
        body = {"kind": kind, "name": name, "country": "NO", "org_number": valid_org_number("NO")}
        return self.api.post("/api/v1/organizations", json=body).json()

    def _user(self, organization: dict[str, Any], name: str, email: str, role: str) -> dict[str, Any]:
        person = {"name": name, "email": email, "roles": [role]}
        return self.api.post(f"/api/v1/organizations/{organization['id']}/users", json=person).json()

    def invitation(self, user: dict[str, Any]) -> str:
        return urlsplit(self.api.post(f"/api/v1/users/{user['id']}/invitations").json()["link"]).path

    def visitor_pages(self) -> dict[str, str]:
        return VISITOR_PAGES | {"tenders": "/tenders", "tender": f"/tenders/{self.tender}"}

    def signed_in_pages(self) -> dict[str, dict[str, str]]:
        product, study = f"/products/{self.product}", f"/products/{self.product}/evidence/{self.study}"
        return {
            self.editor["email"]: {
                "me": "/me", "tokens": "/me/tokens", "products": "/products", "product-new": "/products/new", "product": product,
                "evidence-new": f"{product}/evidence/new", "evidence": study, "files": f"{study}/files",
                "fit": f"{product}/fit?modules=EVID-FALLS-REDUCTION",
            },
            self.manager["email"]: {
                "users": "/organization/users", "user-new": "/organization/users/new", "user": f"/organization/users/{self.colleague['id']}",
            },
            self.colleague["email"]: {
                "dashboard": "/dashboard", "tender-new": "/tenders/new", "draft": f"/tenders/{self.draft}", "fields": f"/tenders/{self.draft}/edit",
                "lot": f"/tenders/{self.draft}/lots/1", "lot-new": f"/tenders/{self.draft}/lots/new",
                "requirement": f"/tenders/{self.draft}/lots/1/selections/1", "participants": f"/tenders/{self.draft}/participants",
                "publication": f"/tenders/{self.draft}/publication", "amendment": f"/tenders/{self.tender}/publication",
                "market": f"/tenders/{self.draft}/lots/1/market", "shared": f"/tenders/{self.draft}/evidence",
            },
            self.invited["email"]: {"invited-dashboard": "/dashboard", "answer": f"/tenders/{self.draft}/answer"},
        }  # fmt: skip


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Any, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(f"{base_url}/")


def test_every_page_in_every_language_passes_axe_and_names_its_language(tmp_path: Path, templates: tuple[str, str]) -> None:
    require_browser()
    from playwright.sync_api import expect

    with served_registry(tmp_path / "data") as served, chromium() as browser, closing(People(served)) as people:
        first = browser.new_page()
        for user in (people.editor, people.manager, people.colleague, people.invited):
            set_password(first, served.base_url, people.invitation(user), PASSWORD)
        first.close()
        errors: list[str] = []
        for language, locale in LOCALES.items():
            context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            for name, path in people.visitor_pages().items():
                page.goto(f"{served.base_url}{path}")
                expect(page.locator("html")).to_have_attribute("lang", language)
                no_violations(page, f"{language}-{name}")
            for email, pages in people.signed_in_pages().items():
                sign_in(page, served.base_url, email)
                for name, path in pages.items():
                    page.goto(f"{served.base_url}{path}")
                    expect(page.locator("html")).to_have_attribute("lang", language)
                    expect(page.locator("h1")).to_be_visible()
                    no_violations(page, f"{language}-{name}")
                page.context.clear_cookies()
            context.close()
        assert [e for e in errors if "404" not in e] == [], "only the page asked for that does not exist answers an error"


def test_an_organization_admin_deactivates_a_colleague_in_the_browser_and_their_session_ends(tmp_path: Path, templates: tuple[str, str]) -> None:
    """The admin adds nobody by hand: the colleague exists; they set a password, sign in, and are then deactivated
    by the admin (with the keyboard, on a phone-sized screen); the colleague's next page asks them to sign in."""
    require_browser()
    from playwright.sync_api import expect

    with served_registry(tmp_path / "data") as served, chromium() as browser, closing(People(served)) as people:
        colleague = browser.new_context(locale="nb-NO").new_page()
        set_password(colleague, served.base_url, people.invitation(people.colleague), PASSWORD)
        sign_in(colleague, served.base_url, people.colleague["email"])
        colleague.goto(f"{served.base_url}/me")
        expect(colleague.locator("h1")).to_be_visible()

        admin = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 700}).new_page()
        set_password(admin, served.base_url, people.invitation(people.manager), PASSWORD)
        sign_in(admin, served.base_url, people.manager["email"])
        admin.goto(f"{served.base_url}/organization/users")
        no_violations(admin, "nb-users-320")
        button = admin.locator(f"form[action='/organization/users/{people.colleague['id']}/deactivate'] button")
        button.focus()
        admin.keyboard.press("Enter")
        admin.wait_for_url("**/organization/users")
        expect(admin.locator(f"form[action='/organization/users/{people.colleague['id']}/reactivate'] button")).to_be_visible()

        colleague.goto(f"{served.base_url}/me")
        colleague.wait_for_url("**/sign-in?next=/me")
        expect(colleague.locator("#email")).to_be_visible()
