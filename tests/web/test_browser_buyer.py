"""A joint tender in a real browser (Playwright driving Debian's Chromium) against a served registry: a federation
coordinator builds a two-lot tender from the library with parameter values and weights, fixing what the builder
refuses; invites three member municipalities, whose officers each sign in in a browser of their own and confirm
with volumes (one with the keyboard alone); publishes after the checklist, amends, and downloads the tender
document, which python-docx opens. Two browsers editing the same draft see each other's change and lose nothing.
axe-core finds no accessibility violation on any page visited; screenshots go to ``screenshots/``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.platform.test_docs_page import require_browser
from tests.served import CLI, Served, registry_env, served_registry
from tests.support import valid_org_number
from tests.web.test_browser import accept_invitation, no_violations
from tests.web.test_browser_languages import chromium

PASSWORD = "fire fjorder og en fjellrev"
TOWNS = ("Askøy kommune", "Bjørnafjorden kommune", "Voss herad")


class Federation:
    """A federation with a coordinator and three member municipalities, each with a procurement officer."""

    def __init__(self, served: Served) -> None:
        token = subprocess.run([*CLI, "admin", "create-admin"], env=registry_env(served.data_dir), check=True, capture_output=True, text=True)
        self.api = httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {token.stdout.strip()}"})
        federation = self._organization("federation", "Vestlandet velferdsteknologi")
        self.coordinator = self._user(federation, "kari@vestland.example", "federation_coordinator")
        self.towns, self.officers = [], []
        for n, name in enumerate(TOWNS):
            town = self._organization("municipality", name)
            assert self.api.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": town["id"]}).status_code == 201
            self.towns.append(town)
            self.officers.append(self._user(town, f"innkjop{n}@kommune.example", "procurement_officer"))

    def _organization(self, kind: str, name: str) -> dict[str, Any]:
        body = {"kind": kind, "name": name, "country": "NO", "org_number": valid_org_number("NO")}
        return self.api.post("/api/v1/organizations", json=body).json()

    def _user(self, organization: dict[str, Any], email: str, role: str) -> dict[str, Any]:
        person = {"name": email.split("@")[0], "email": email, "roles": [role]}
        return self.api.post(f"/api/v1/organizations/{organization['id']}/users", json=person).json()

    def invitation(self, user: dict[str, Any]) -> str:
        return urlsplit(self.api.post(f"/api/v1/users/{user['id']}/invitations").json()["link"]).path

    def tender(self, tender_id: str) -> dict[str, Any]:
        return self.api.get(f"/api/v1/tenders/{tender_id}").json()

    def close(self) -> None:
        self.api.close()


@contextmanager
def served_federation(tmp_path: Path) -> Iterator[tuple[Served, Any, Federation]]:
    """A served registry with the federation, and a browser."""
    with served_registry(tmp_path / "data") as served, chromium() as browser, closing(Federation(served)) as federation:
        yield served, browser, federation


def signed_in(browser: Any, served: Served, federation: Federation, user: dict[str, Any], locale: str = "en-GB") -> Any:
    """A page in a browser context of its own, ``user`` signed in through their invitation."""
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    accept_invitation(page, served.base_url, federation.invitation(user), PASSWORD)
    return page


def arrive(page: Any, ending: str) -> None:
    """Wait for the page whose address ends with ``ending`` (a query such as ``?saved=1``, or a path)."""
    page.wait_for_url(lambda url: url.endswith(ending))


def submit(page: Any, action: str, ending: str) -> None:
    """Send the form posting to ``action`` (its first button) and wait for the page whose address ends with ``ending``."""
    page.locator(f'form[action="{action}"] button[type="submit"]').first.click()
    arrive(page, ending)


def start_tender(page: Any, base: str) -> str:
    page.goto(f"{base}/dashboard")
    no_violations(page, "buyer-dashboard")
    page.locator('a[href="/tenders/new"]').click()
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    values = {
        "#reference": "VTF-2027-01", "#title": "Trygghetsalarmer og GPS-alarmer", "#description": "Felles anskaffelse for tre kommuner.",
        "#cpv_codes": "33196200-2, 85311100-3", "#estimated_value": "12500000",
        "#contract_start": (date.today() + timedelta(days=150)).isoformat(),
        "#contract_end": (date.today() + timedelta(days=150 + 4 * 365)).isoformat(),
        "#contract_options": "2 + 1 + 1 år", "#questions_deadline": (today + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
        "#submission_deadline": (today + timedelta(days=50)).strftime("%Y-%m-%dT%H:%M"),
        "#contact_name": "Innkjøpsteamet", "#contact_email": "innkjop@vestland.example",
        "#submission_system": "Mercell", "#submission_url": "https://permalink.mercell.com/200000000.aspx", "#validity_days": "90",
    }  # fmt: skip
    for field, value in values.items():
        page.fill(field, value)
    page.select_option("#currency", "NOK")
    no_violations(page, "buyer-tender-new")
    submit(page, "/tenders/new", "?created=1")
    return page.url.split("/tenders/")[1].split("?")[0]


def add_lot(page: Any, base: str, tender_id: str, title: str, category: str, price: str, quality: str) -> int:
    page.goto(f"{base}/tenders/{tender_id}")
    page.locator(f'a[href="/tenders/{tender_id}/lots/new"]').click()
    page.fill("#title", title)
    page.check(f"#category-{category}")
    page.fill("#price_weight", price)
    page.fill("#quality_weight", quality)
    page.locator(f'form[action="/tenders/{tender_id}/lots/new"] button[type="submit"]').click()
    page.wait_for_url(lambda url: url.rsplit("/", 1)[1].isdigit())
    return int(page.url.rsplit("/", 1)[1])


def add_requirement(page: Any, base: str, tender_id: str, lot: int, key: str, values: dict[str, str]) -> None:
    """Find ``key`` in the library from the lot's page, add it, and give it ``values`` (field id: value)."""
    page.goto(f"{base}/tenders/{tender_id}/lots/{lot}?q={key}")
    page.locator(f'form:has(input[name="module_key"][value="{key}"]) button').click()
    arrive(page, "?added=1")
    for field, value in values.items():
        page.fill(field, value)
    action = urlsplit(page.url).path
    submit(page, action, "?saved=1")


def test_a_coordinator_builds_a_joint_tender_the_municipalities_confirm_and_it_is_published_and_amended(
    tmp_path: Path, templates: tuple[str, str]
) -> None:
    require_browser()
    from docx import Document
    from playwright.sync_api import expect

    with served_federation(tmp_path) as (served, browser, federation):
        base = served.base_url
        page = signed_in(browser, served, federation, federation.coordinator)
        tender_id = start_tender(page, base)
        lot = add_lot(page, base, tender_id, "Digitale trygghetsalarmer", "digital_social_alarm", "40", "60")
        no_violations(page, "buyer-lot")
        page.goto(f"{base}/tenders/{tender_id}/lots/{lot}?q=INTEROP-ALARM-PROTOCOL")
        page.locator('form:has(input[name="module_key"][value="INTEROP-ALARM-PROTOCOL"]) button').click()
        arrive(page, "?added=1")
        page.fill("#param-delivery_time", "300")
        page.locator('form[action$="/selections/1"] button[type="submit"]').click()
        expect(page.locator("#param-delivery_time-error")).to_be_visible()
        expect(page.locator("#param-delivery_time")).to_have_attribute("aria-invalid", "true")
        no_violations(page, "buyer-requirement-refused")
        page.fill("#param-delivery_time", "20")
        page.locator('form[action$="/selections/1"] button[type="submit"]').click()
        arrive(page, "?saved=1")
        expect(page.locator("#preview + p")).to_contain_text("20")
        add_requirement(page, base, tender_id, lot, "EVID-STUDY-STRENGTH-AWARD", {"#weight": "50"})
        page.goto(f"{base}/tenders/{tender_id}/lots/{lot}")
        expect(page.locator("#weights")).to_contain_text("must add up")
        page.goto(f"{base}/tenders/{tender_id}/lots/{lot}/selections/2")
        page.fill("#weight", "60")
        page.locator('form[action$="/selections/2"] button[type="submit"]').click()
        arrive(page, "?saved=1")
        second = add_lot(page, base, tender_id, "GPS-alarmer", "gps_alarm", "50", "50")
        add_requirement(page, base, tender_id, second, "CONSENT-LOCATION-ON-REQUEST", {})
        add_requirement(page, base, tender_id, second, "EVID-STUDY-STRENGTH-AWARD", {"#weight": "50"})

        page.goto(f"{base}/tenders/{tender_id}/participants")
        for town in federation.towns:
            page.check(f"#member-{town['id']}")
        no_violations(page, "buyer-participants-choose")
        submit(page, f"/tenders/{tender_id}/participants/invite", "?invited=3")
        page.goto(f"{base}/tenders/{tender_id}/publication")
        expect(page.locator("#checklist + p")).to_contain_text("problem")
        submit(page, f"/tenders/{tender_id}/publication/open-for-participants", "?done=open-for-participants")

        for n, officer in enumerate(federation.officers):
            answer = signed_in(browser, served, federation, officer, "nb-NO")
            answer.goto(f"{base}/dashboard")
            answer.locator(f'a[href="/tenders/{tender_id}/answer"]').first.click()
            no_violations(answer, f"municipality-answer-{n}")
            if n == 0:
                answer_with_the_keyboard(answer)
            else:
                answer.check("#decision-confirmed")
                answer.fill("#contact_name", f"Kontakt {n}")
                answer.fill("#contact_email", f"kontakt{n}@kommune.example")
                answer.check("#mandate-yes")
                answer.fill("#mandate_decision_date", (date.today() - timedelta(days=20)).isoformat())
                answer.fill("#quantity-1-1", str(100 * (n + 1)))
                answer.fill("#unit-1-1", "alarmer")
                submit(answer, f"/tenders/{tender_id}/answer", "?answered=confirmed")
            answer.context.close()
        participants = federation.api.get(f"/api/v1/tenders/{tender_id}/participants").json()["items"]
        assert sorted((p["name"], p["status"]) for p in participants) == [(town, "confirmed") for town in TOWNS]

        page.goto(f"{base}/tenders/{tender_id}/publication")
        expect(page.locator("#checklist")).to_be_visible()
        no_violations(page, "buyer-checklist")
        page.check("#confirm-publish")
        submit(page, f"/tenders/{tender_id}/publication/publish", "?done=publish")
        assert federation.tender(tender_id)["status"] == "published"
        later = (datetime.now(UTC) + timedelta(days=60)).replace(hour=12, minute=0)
        page.fill("#summary", "Tilbudsfristen er flyttet")
        page.fill("#reason", "Leverandørene ba om mer tid")
        page.fill("#submission_deadline", later.strftime("%Y-%m-%dT%H:%M"))
        no_violations(page, "buyer-amendment")
        submit(page, f"/tenders/{tender_id}/publication/amendments", "?done=amend")
        assert federation.tender(tender_id)["document_version"] == 2

        page.goto(f"{base}/tenders/{tender_id}")
        with page.expect_download() as downloaded:
            page.locator(f'a[href="/api/v1/tenders/{tender_id}/exports/docx"]').click()
        document = Document(downloaded.value.path())
        assert any("Trygghetsalarmer og GPS-alarmer" in p.text for p in document.paragraphs)


def answer_with_the_keyboard(page: Any) -> None:
    """Confirm with the keyboard alone: Tab to each field, Space to choose, type, Enter to send."""
    decided = (date.today() - timedelta(days=30)).strftime("%d%m%Y")

    def tab_to(field: str) -> None:
        for _ in range(80):
            if page.evaluate("document.activeElement && document.activeElement.id") == field:
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached #{field}")

    tab_to("decision-confirmed")
    page.keyboard.press("Space")
    for field, typed in (("contact_name", "Kari Nordmann"), ("contact_email", "kari@askoy.example")):
        tab_to(field)
        page.keyboard.type(typed)
    tab_to("mandate-yes")
    page.keyboard.press("Space")
    tab_to("mandate_decision_date")
    page.keyboard.type(decided)
    tab_to("quantity-1-1")
    page.keyboard.type("120")
    tab_to("unit-1-1")
    page.keyboard.type("alarmer")
    page.keyboard.press("Enter")
    arrive(page, "?answered=confirmed")


def test_two_browsers_editing_the_same_draft_see_the_conflict_and_lose_nothing(tmp_path: Path, templates: tuple[str, str]) -> None:
    require_browser()
    from playwright.sync_api import expect

    with served_federation(tmp_path) as (served, browser, federation):
        base = served.base_url
        first = signed_in(browser, served, federation, federation.coordinator)
        tender_id = start_tender(first, base)
        second = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
        second.context.add_cookies(first.context.cookies())
        first.goto(f"{base}/tenders/{tender_id}/edit")
        second.goto(f"{base}/tenders/{tender_id}/edit")
        first.fill("#title", "Trygghetsalarmer, nytt navn")
        submit(first, f"/tenders/{tender_id}/edit", "?saved=1")
        second.fill("#description", "En ny beskrivelse.")
        second.locator(f'form[action="/tenders/{tender_id}/edit"] button[type="submit"]').click()
        expect(second.locator(".error-summary")).to_contain_text("Someone else saved this tender")
        expect(second.locator("#title")).to_have_value("Trygghetsalarmer, nytt navn")
        expect(second.locator("#description")).to_have_value("En ny beskrivelse.")
        no_violations(second, "buyer-conflict")
        submit(second, f"/tenders/{tender_id}/edit", "?saved=1")
        stored = federation.tender(tender_id)
        assert (stored["title"], stored["description"]) == ("Trygghetsalarmer, nytt navn", "En ny beskrivelse.")
