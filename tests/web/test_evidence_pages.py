"""An evidence item's files in the browser, by the API's rules: the supplier's editor adds a PDF and downloads it;
a file of another type or larger than the limit is refused beside the file field with nothing stored (a body far
over the limit is never kept); another supplier never reaches the files. Confidential evidence is shared with
published tenders chosen by their titles."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest
from litestar import Litestar, Request, post
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.settings import Settings
from registry.web.attachments import TooLarge, bounded_form
from registry.web.i18n import translations
from tests.evidence_world import PDF, PRODUCT, STUDY, add_evidence, stored_files
from tests.support import Api
from tests.tender_world import act, create, spec
from tests.web.test_library_pages import not_found, words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

pytestmark = pytest.mark.starter_library
en = translations("en").gettext
ENGLISH = {"Accept-Language": "en"}


async def supplier_with_study(admin: Api, client: AsyncTestClient) -> tuple[Api, dict[str, Any], dict[str, Any]]:
    """A supplier's editor signed in to the browser, with a product and a study of it."""
    supplier = await admin.create_org("supplier")
    editor = await admin.create_user(supplier["id"], "supplier_editor")
    product = (await editor.post("/api/v1/products", json=PRODUCT)).json()
    item = await add_evidence(editor, product["id"], STUDY)
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    return editor, product, item


async def send_file(
    client: AsyncTestClient, path: str, filename: str, content: bytes, declared: str = "application/pdf", *, token_from: str | None = None
) -> Any:
    """The upload form sent as a browser sends it, with the form token of the files page (or of ``token_from``)."""
    token = form_token((await client.get(token_from or path, headers=ENGLISH)).text)
    files = {"file": (filename, content, declared)}
    return await client.post(path, data={"form_token": token}, files=files, headers=ENGLISH, follow_redirects=False)


def refused_beside_the_file(page: Any, message: str) -> None:
    assert page.status_code == 400, page.text[:500]
    assert '<a href="#file">' in page.text and 'id="file-error"' in page.text and 'aria-invalid="true"' in page.text
    assert words(page.text).count(message) == 2, "the message is in the summary and beside the field"


async def test_an_editor_adds_a_pdf_to_a_study_sees_it_listed_and_downloads_it(client: AsyncTestClient, admin: Api) -> None:
    editor, product, item = await supplier_with_study(admin, client)
    files = f"/products/{product['id']}/evidence/{item['id']}/files"
    assert f'href="{files}"' in (await client.get(f"/products/{product['id']}", headers=ENGLISH)).text, "the product page links the files"
    added = await send_file(client, files, "Bergen study.pdf", PDF, declared="application/octet-stream")
    assert (added.status_code, added.headers["location"]) == (303, f"{files}?added=1")
    (stored,) = (await editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"]
    assert (stored["filename"], stored["media_type"], stored["size"]) == ("Bergen study.pdf", "application/pdf", len(PDF))
    listing = await client.get(added.headers["location"], headers=ENGLISH)
    text = words(listing.text)
    assert en("The file was added.") in text and "Bergen study.pdf PDF" in text and "1 kB" in text
    download = await client.get(f"{files}/{stored['id']}")
    assert (download.status_code, download.content, download.headers["content-type"]) == (200, PDF, "application/pdf")
    assert "attachment" in download.headers["content-disposition"] and download.headers["cache-control"] == "no-store"
    form = await client.get(f"/products/{product['id']}/evidence/{item['id']}", headers=ENGLISH)
    assert f'href="{files}/{stored["id"]}"' in form.text, "the item's form lists its files"


async def test_a_file_of_another_type_is_refused_beside_the_field_and_nothing_is_stored(
    client: AsyncTestClient, admin: Api, settings: Settings
) -> None:
    editor, product, item = await supplier_with_study(admin, client)
    files = f"/products/{product['id']}/evidence/{item['id']}/files"
    refused = await send_file(client, files, "study.pdf", b"Just some text pretending to be a PDF.\n" * 20)
    refused_beside_the_file(refused, en("Choose a PDF, DOCX, XLSX, PNG or JPEG file; the type is told by the file's content, not its name."))
    nothing = await send_file(client, files, "", b"")
    refused_beside_the_file(nothing, en("Choose a file to add."))
    assert (await editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"] == []
    assert stored_files(settings) == []


@pytest.mark.parametrize("size", [3 * 1024, 400 * 1024], ids=["over-the-file-limit", "over-the-body-limit"])
async def test_an_oversize_file_is_refused_beside_the_field_and_nothing_is_kept(settings: Settings, size: int) -> None:
    small = msgspec.structs.replace(settings, max_upload_bytes=2048)
    async with AsyncTestClient(create_app(small)) as client:
        admin = Api(client, settings.bootstrap_admin_token)
        editor, product, item = await supplier_with_study(admin, client)
        files = f"/products/{product['id']}/evidence/{item['id']}/files"
        refused = await send_file(client, files, "big.pdf", PDF + b"%" * size)
        refused_beside_the_file(refused, en("The file is larger than %(size)s, the most a file may be.") % {"size": "2 kB"})
        assert (await editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"] == []
        assert stored_files(small) == [], "nothing staged is left behind"
        assert (await send_file(client, files, "small.pdf", PDF)).status_code == 303, "a file within the limit is taken"


async def test_another_supplier_never_reaches_the_files(client: AsyncTestClient, admin: Api) -> None:
    editor, product, item = await supplier_with_study(admin, client)
    files = f"/products/{product['id']}/evidence/{item['id']}/files"
    assert (await send_file(client, files, "study.pdf", PDF)).status_code == 303
    (stored,) = (await editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"]
    rival = await admin.create_user((await admin.create_org("supplier"))["id"], "supplier_editor")
    await signed_in_browser(client, admin, rival.user)  # type: ignore[attr-defined]
    for path, named in ((files, "no product"), (f"{files}/{stored['id']}", "no evidence item")):
        not_found(await client.get(path), named)
    not_found(await send_file(client, files, "mine.pdf", PDF, token_from="/products/new"), "no evidence item")
    assert len((await editor.get(f"/api/v1/evidence/{item['id']}")).json()["attachments"]) == 1


async def published(admin: Api, reference: str) -> dict[str, Any]:
    """A municipality's tender (spec of ``tests.tender_world``), published."""
    town = await admin.create_org("municipality")
    officer = await admin.create_user(town["id"], "procurement_officer")
    tender = await create(officer, spec(reference))
    return await act(officer, tender, "POST", "/publish")


async def test_confidential_evidence_is_shared_with_published_tenders_chosen_by_title(client: AsyncTestClient, admin: Api) -> None:
    first, second = await published(admin, "ASK-2027-01"), await published(admin, "BRG-2027-02")
    editor, product, item = await supplier_with_study(admin, client)
    path = f"/products/{product['id']}/evidence/{item['id']}"
    page = await client.get(path, headers=ENGLISH)
    assert f"{first['title']} (ASK-2027-01, {first['owner_name']})" in words(page.text)
    assert f'name="tender_ids" value="{second["id"]}"' in page.text, "each published tender is offered by its title"
    fields = dict(re.findall(r'<input id="([^"]+)" name="[^"]+" type="(?:text|date)" value="([^"]*)"', page.text))
    selected = dict(re.findall(r'<select id="([^"]+)"[^>]*>(?:(?!</select>).)*?<option value="([^"]+)" selected', page.text, re.S))
    shared = fields | selected | {"visibility": "confidential", "outcome_rows": "1", "form_token": form_token(page.text), "action": "save"}
    saved = await client.post(path, data=shared | {"tender_ids": [second["id"]]}, follow_redirects=False)
    assert saved.status_code == 303, words(saved.text)[-500:]
    stored = (await editor.get(f"/api/v1/evidence/{item['id']}")).json()
    assert (stored["visibility"], stored["tender_ids"]) == ("confidential", [second["id"]])
    again = await client.get(path, headers=ENGLISH)
    assert f'value="{second["id"]}" checked' in again.text and f'value="{first["id"]}">' in again.text, "the form shows what is shared"
    refused = await client.post(path, data=shared | {"visibility": "buyers", "tender_ids": [first["id"]]}, headers=ENGLISH)
    assert refused.status_code == 400 and '<a href="#tender_ids">' in refused.text and 'id="tender_ids-error"' in refused.text
    assert f'value="{first["id"]}" checked' in refused.text, "what was chosen stays"
    assert (await editor.get(f"/api/v1/evidence/{item['id']}")).json()["tender_ids"] == [second["id"]]


async def _unbounded() -> None:
    """A route without a body limit of its own, as the upload page's."""


async def test_a_body_without_a_stated_length_is_read_no_further_than_the_limit() -> None:
    """Sent in chunks without a Content-Length: reading stops at the first chunk past the limit."""
    head = b'--edge\r\nContent-Disposition: form-data; name="file"; filename="endless.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    chunks = [head + PDF, *(b"%" * 65536 for _ in range(1000))]
    taken = 0

    async def receive() -> dict[str, Any]:
        nonlocal taken
        taken += 1
        return {"type": "http.request", "body": chunks[taken - 1], "more_body": taken < len(chunks)}

    app = Litestar([post("/", request_max_body_size=None)(_unbounded)])
    scope = {
        "type": "http", "method": "POST", "path": "/", "raw_path": b"/", "query_string": b"", "state": {}, "litestar_app": app,
        "route_handler": app.route_handler_method_map["/"]["POST"], "headers": [(b"content-type", b"multipart/form-data; boundary=edge")],
    }  # fmt: skip
    with pytest.raises(TooLarge):
        await bounded_form(Request(scope, receive), 200_000)  # type: ignore[arg-type]
    assert taken == 5, "the fifth chunk passes 200 000 bytes; nothing after it is read"
