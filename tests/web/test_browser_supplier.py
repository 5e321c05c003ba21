"""A supplier in a real browser (Playwright driving Debian's Chromium) against a served registry with a small upload
limit: adds a PDF to a study, is told beside the file field when a file is too large (over the file limit, and far
over the body limit), and sees the fit against a published tender's lot change when a parameter value changes.
axe-core finds no accessibility violation on any page visited; screenshots go to ``screenshots/``."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.evidence_world import PDF, PRODUCT, STUDY
from tests.platform.test_docs_page import CHROMIUM, require_browser
from tests.served import CLI, registry_env, served_registry
from tests.support import valid_org_number
from tests.tender_world import spec
from tests.web.test_browser import accept_invitation, no_violations

LIMIT = 20_000
GPS_PRODUCT = PRODUCT | {"name": "Trygg Ute", "categories": ["gps_alarm"]}
FALLS_STUDY = STUDY | {"outcomes": [{"domain": "safety_incidents", "measure": "Falls", "result": 2.9, "sample_size": 55}]}


def person(api: Any, organization: dict, email: str, role: str) -> dict:
    user = api.post(f"/api/v1/organizations/{organization['id']}/users", json={"name": email.split("@")[0], "email": email, "roles": [role]})
    assert user.status_code == 201, user.text
    token = api.post(f"/api/v1/users/{user.json()['id']}/tokens", json={"name": "browser test"})
    return user.json() | {"token": token.json()["token"]}


def published_tender(api: Any) -> dict:
    """A municipality's tender whose lot 2 (GPS alarms) asks for falls evidence from at least 60 participants, published."""
    import httpx

    town = api.post(
        "/api/v1/organizations", json={"kind": "municipality", "name": "Askøy kommune", "country": "NO", "org_number": valid_org_number("NO")}
    )
    officer = person(api, town.json(), "innkjop@askoy.example", "procurement_officer")
    body = spec("ASK-2027-60")
    body["lots"][1]["selections"][2] = {
        "module_key": "EVID-FALLS-REDUCTION",
        "module_version": 2,
        "kind": "mandatory",
        "parameters": {"min_sample_size": 60},
    }
    with httpx.Client(base_url=str(api.base_url), headers={"Authorization": f"Bearer {officer['token']}"}) as buyer:
        created = buyer.post("/api/v1/tenders", json=body)
        assert created.status_code == 201, created.text
        published = buyer.post(f"/api/v1/tenders/{created.json()['id']}/publish", headers={"If-Match": created.headers["etag"]})
        assert published.status_code == 200, published.text
    return created.json()


def test_a_supplier_adds_a_pdf_is_told_of_an_oversize_file_and_sees_the_fit_to_a_lot_change(tmp_path: Path, templates: tuple[str, str]) -> None:
    require_browser()
    import httpx
    from playwright.sync_api import expect, sync_playwright

    with served_registry(tmp_path / "data", max_upload_bytes=str(LIMIT)) as served, sync_playwright() as playwright:
        env = registry_env(served.data_dir)
        token = subprocess.run([*CLI, "admin", "create-admin"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {token}"}) as api:
            tender = published_tender(api)
            organization = {"kind": "supplier", "name": "Trygg AS", "country": "NO", "org_number": valid_org_number("NO")}
            supplier = api.post("/api/v1/organizations", json=organization).json()
            editor = person(api, supplier, "siri@trygg.example", "supplier_editor")
            link = urlsplit(api.post(f"/api/v1/users/{editor['id']}/invitations").json()["link"]).path
        with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {editor['token']}"}) as own:
            product = own.post("/api/v1/products", json=GPS_PRODUCT).json()
            study = own.post(f"/api/v1/products/{product['id']}/evidence", json=FALLS_STUDY).json()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
            accept_invitation(page, served.base_url, link, "ti kurver med epler")

            page.goto(f"{served.base_url}/products/{product['id']}")
            page.get_by_role("link", name="Add files").click()
            page.wait_for_url(f"**/evidence/{study['id']}/files")
            no_violations(page, "files-en")
            page.locator("#file").set_input_files(files=[{"name": "Bergen study.pdf", "mimeType": "application/pdf", "buffer": PDF}])
            page.get_by_role("button", name="Add the file").click()
            page.wait_for_url("**/files?added=1")
            expect(page.get_by_role("link", name="Bergen study.pdf")).to_be_visible()
            no_violations(page, "files-added-en")

            for name, size in (("over-the-file-limit", LIMIT + 1000), ("over-the-body-limit", 20 * LIMIT)):
                page.locator("#file").set_input_files(files=[{"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": PDF + b"%" * size}])
                page.get_by_role("button", name="Add the file").click()
                expect(page.locator("#file-error")).to_contain_text("The file is larger than 20 kB")
                expect(page.locator(".error-summary")).to_be_focused()
                no_violations(page, f"files-{name}-en")
            # Without script the form posts as it is, and a body far over the limit is read through to answer with the page.
            plain = browser.new_context(locale="en-GB", java_script_enabled=False, storage_state=page.context.storage_state()).new_page()
            plain.goto(page.url)
            plain.locator("#file").set_input_files(
                files=[{"name": "without-script.pdf", "mimeType": "application/pdf", "buffer": PDF + b"%" * 20 * LIMIT}]
            )
            plain.get_by_role("button", name="Add the file").click()
            expect(plain.locator("#file-error")).to_contain_text("The file is larger than 20 kB")
            with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {editor['token']}"}) as own:
                stored = own.get(f"/api/v1/evidence/{study['id']}").json()["attachments"]
            assert [a["filename"] for a in stored] == ["Bergen study.pdf"], "nothing of the refused files is stored"

            page.goto(f"{served.base_url}/products/{product['id']}/fit")
            page.locator("#lot").select_option(f"{tender['id']}:2")
            page.get_by_role("button", name="Check the fit").click()
            fits = page.locator("section.fit")
            expect(fits.first).to_contain_text("Not met: At least 60 participants.")
            no_violations(page, "fit-lot-en")
            field = page.locator("input[id$='-min_sample_size']")
            expect(field).to_have_value("60")
            field.fill("50")
            field.press("Enter")
            page.wait_for_url("**parameters_of=*")
            expect(fits.first).to_contain_text("Met: At least 50 participants.")
            no_violations(page, "fit-lot-changed-en")
        finally:
            browser.close()
