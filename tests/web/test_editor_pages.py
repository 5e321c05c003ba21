"""Library editors curate the requirement library in the browser with the API's rules: a new module, a draft's
every field in the four languages side by side, a preview in each language, publishing and deprecating. A
save over someone else's newer one is refused with the typed text kept; every refusal stands beside its field
with nothing stored; suppliers, buyers and visitors never reach the forms."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.datastructures import FormMultiDict
from litestar.testing import AsyncTestClient

from registry.requirements.content import VersionContent
from registry.requirements.templates import load_library
from registry.settings import Settings
from registry.web import editor_forms as forms
from registry.web.i18n import translations
from tests.library_world import NEW_MODULE, STARTER, library_of
from tests.support import ADMIN_TOKEN, Api, problem
from tests.web.test_library_pages import not_found, words
from tests.web.test_organization_pages import signed_in_browser
from tests.web.test_sign_in import form_token

FALLS = "EVID-FALLS-REDUCTION"
ENGLISH = {"Accept-Language": "en"}
en = translations("en").gettext


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The starter catalogue and one award criterion with two published versions, a parameter and an evidence rule."""
    library = library_of(tmp_path, f"evidence_of_effect/{FALLS}.toml")
    return Settings(data_dir=tmp_path, database_url=database_url, bootstrap_admin_token=ADMIN_TOKEN, library_dir=library, seed_library=True)


class Form(HTMLParser):
    """The fields a browser would send from the page's form with ``action``: inputs, checked boxes, text areas, chosen options."""

    def __init__(self, html: str, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, []  # type: ignore[var-annotated]
        self.textarea: str | None = None
        self.select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value") or ""))
        elif not self.inside or not a.get("name"):
            return
        elif tag == "input" and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.fields.append((a["name"], a.get("value") or ("yes" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self.select = a["name"]

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            if self.fields and self.fields[-1][1].startswith("\n"):  # a browser drops a text area's first line break
                self.fields[-1] = (self.fields[-1][0], self.fields[-1][1][1:])
            self.textarea = None
        elif tag == "select":
            self.select = None

    def data(self, **changes: str) -> dict[str, Any]:
        """The form's fields with ``changes`` (``title__sv`` for ``title-sv``), several values of a name as a list."""
        sent: dict[str, Any] = {}
        for name, value in self.fields:
            sent[name] = [*sent[name], value] if isinstance(sent.get(name), list) else [sent[name], value] if name in sent else value
        return sent | {name.replace("__", "-"): value for name, value in changes.items()}


async def open_form(client: AsyncTestClient, path: str) -> Form:
    page = await client.get(path, headers=ENGLISH)
    assert page.status_code == 200, words(page.text)[-500:]
    return Form(page.text, path)


async def library_editor(client: AsyncTestClient, admin: Api, *roles: str) -> Api:
    authority = await admin.create_org("authority")
    editor = await admin.create_user(authority["id"], *(roles or ("library_editor",)))
    await signed_in_browser(client, admin, editor.user)  # type: ignore[attr-defined]
    return editor


async def new_draft(client: AsyncTestClient, key: str = FALLS) -> str:
    versions = await client.get(f"/library/{key}/versions", headers=ENGLISH)
    started = await client.post(f"/library/{key}/versions", data={"form_token": form_token(versions.text)}, follow_redirects=False)
    assert started.status_code == 303, words(started.text)[-500:]
    return started.headers["location"]


async def test_an_editor_changes_a_swedish_text_of_a_new_draft_and_every_other_field_stays_as_it_was(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    path = await new_draft(client)
    assert path == f"/library/{FALLS}/versions/3/edit"
    before = (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json()
    form = await open_form(client, path)
    changed = "Dokumenterad effekt på fall och deras följder, i hemmet"
    saved = await client.post(path, data=form.data(title__sv=changed, action="save"), follow_redirects=False)
    assert saved.status_code == 303, words(saved.text)[:1500]
    assert saved.headers["location"] == f"{path}?saved=1"
    after = (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json()
    assert after["content"]["title"]["sv"] == changed and after["revision"] == before["revision"] + 1
    before["content"]["title"]["sv"] = changed
    assert after["content"] == before["content"], "the parameter, the evidence rule and every other text round-trip through the form"
    assert en("The draft is saved.") in words((await client.get(f"{path}?saved=1", headers=ENGLISH)).text)


async def test_each_language_has_its_column_with_its_lang_and_a_missing_translation_is_said_in_words(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    assert (await editor.post("/api/v1/modules", json=NEW_MODULE)).status_code == 201
    html = (await client.get(f"/library/{NEW_MODULE['key']}/versions/1/edit", headers=ENGLISH)).text
    for lang in ("en", "nb", "sv", "da"):
        assert f'id="title-{lang}" name="title-{lang}" lang="{lang}"' in html
    assert 'aria-describedby="title-sv-missing"' in html and 'aria-describedby="title-en-missing"' not in html
    assert words(html).count(en("Translation missing")) == 3 * 4, "title, requirement, rationale and the parameter's label in nb, sv and da"


async def test_a_save_over_someone_elses_newer_save_is_refused_keeping_the_typed_text_and_showing_what_they_changed(
    client: AsyncTestClient, admin: Api
) -> None:
    editor = await library_editor(client, admin)
    path = await new_draft(client)
    form = await open_form(client, path)
    draft = await editor.get(f"/api/v1/modules/{FALLS}/versions/3")
    theirs = copy.deepcopy(draft.json()["content"])
    theirs["title"]["nb"] = "Dokumentert effekt på fall, endret av en kollega"
    assert (await editor.put(f"/api/v1/modules/{FALLS}/versions/3", json=theirs, headers={"If-Match": draft.headers["etag"]})).status_code == 200
    mine = "Min svenska titel"
    more = await client.post(path, data=form.data(title__sv=mine, action="add_parameter"), headers=ENGLISH)
    assert more.status_code == 200 and f'value="{draft.headers["etag"]}"' in more.text.replace("&#34;", '"'), (
        "a row added keeps the tag it began with"
    )
    refused = await client.post(path, data=Form(more.text, path).data(action="save"), headers=ENGLISH)
    assert refused.status_code == 409
    assert 'value="Min svenska titel"' in refused.text, "the typed text is kept"
    text = words(refused.text)
    assert f"{en('Saved meanwhile by someone else:')} Dokumentert effekt på fall, endret av en kollega" in text
    assert f'<a href="#title-nb">{en("Title")} (Norsk bokmål)</a>' in refused.text and 'href="#title-sv"' not in refused.text
    assert (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json()["content"] == theirs, "nothing of the stale save is stored"
    again = await client.post(path, data=Form(refused.text, path).data(action="save"), follow_redirects=False)
    assert again.status_code == 303, "saving again, knowing, replaces their version"
    assert (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json()["content"]["title"]["sv"] == mine


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"param-0-name": "Min Sample"}, "param-0-name", "expected a name of lower-case letters"),
        ({"param-0-default": "5000"}, "param-0-default", "default must be at most 2000"),
        ({"param-0-default": "many"}, "param-0-default", "default must be a whole number"),
        ({"statement-sv": "Minst {participants} deltagare"}, "statement-sv", "uses undeclared parameter {participants}"),
        ({"title-en": ""}, "title", "an English text is required"),
        ({"rule-max_age_years": "500"}, "rule-max_age_years", "expected a whole number of at most 100"),
        ({"rule-min_sample_size-parameter": "nothing_like_it"}, "rule-min_sample_size", "references unknown parameter 'nothing_like_it'"),
    ],
)
async def test_a_refusal_of_the_rules_stands_beside_its_field_with_the_typed_text_and_nothing_is_stored(
    client: AsyncTestClient, admin: Api, changes: dict[str, str], field: str, problem: str
) -> None:
    editor = await library_editor(client, admin)
    path = await new_draft(client)
    before = (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json()
    form = await open_form(client, path)
    refused = await client.post(path, data=form.data(action="save") | changes, headers=ENGLISH)
    assert refused.status_code == 400, words(refused.text)[-500:]
    assert f'<a href="#{field}">' in refused.text and f'id="{field}-error"' in refused.text
    assert problem in words(refused.text)
    typed = next(iter(changes.values()))
    assert not typed or typed in refused.text, "what was typed is shown again"
    assert (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json() == before


async def test_a_parameter_row_is_added_without_javascript_and_saved_with_its_labels(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    path = await new_draft(client)
    form = await open_form(client, path)
    more = await client.post(path, data=form.data(action="add_parameter", title__sv="Kept"), headers=ENGLISH)
    assert more.status_code == 200 and 'name="param-1-name"' in more.text and 'value="Kept"' in more.text
    row = {
        "param-1-name": "review_interval", "param-1-type": "enum", "param-1-label-en": "Review", "param-1-label-sv": "Uppföljning",
        "param-1-default": "yearly", "param-1-required": "yes", "param-1-choices": "yearly | Yearly | Årlig | Årligen | Årligt\nmonthly | Monthly",
    }  # fmt: skip
    saved = await client.post(path, data=Form(more.text, path).data(action="save") | row, follow_redirects=False)
    assert saved.status_code == 303, words(saved.text)[-800:]
    added = (await editor.get(f"/api/v1/modules/{FALLS}/versions/3")).json()["content"]["parameters"][1]
    assert added == {
        "name": "review_interval", "type": "enum", "label": {"en": "Review", "sv": "Uppföljning"}, "default": "yearly",
        "choices": [{"value": "yearly", "label": {"en": "Yearly", "nb": "Årlig", "sv": "Årligen", "da": "Årligt"}},
                    {"value": "monthly", "label": {"en": "Monthly"}}],
    }  # fmt: skip


async def test_an_editor_creates_a_module_and_each_refusal_stands_beside_its_field(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    good = {
        "key": "CONSENT-WEB-MODULE", "category": "consent", "product_categories": ["gps_alarm"], "kind": "mandatory", "level": "basic",
        "jurisdictions": ["NO", "SE"], "title-en": "Location off by default", "statement-en": "Location shall be off.",
        "rationale-en": "Least intrusive first.", "title-sv": "Plats avstängd från början",
    }  # fmt: skip
    form = await open_form(client, "/library/new")
    token = form.data()["form_token"]
    for changes, field in (
        ({"key": "lower case"}, "key"),
        ({"key": FALLS}, "key"),
        ({"category": "toasters"}, "category"),
        ({"product_categories": ["toasters"]}, "product_categories"),
        ({"title-en": ""}, "title"),
    ):
        refused = await client.post("/library/new", data=good | changes | {"form_token": token}, headers=ENGLISH)
        assert refused.status_code == 400, (changes, words(refused.text)[-400:])
        assert f'<a href="#{field}">' in refused.text and f'id="{field}-error"' in refused.text, changes
        assert 'value="Plats avstängd från början"' in refused.text
    assert (await editor.get("/api/v1/modules", params={"status": "draft"})).json()["total"] == 0
    created = await client.post("/library/new", data=good | {"form_token": token}, follow_redirects=False)
    assert (created.status_code, created.headers["location"]) == (303, "/library/CONSENT-WEB-MODULE/versions/1/edit?saved=1")
    module = (await editor.get("/api/v1/modules/CONSENT-WEB-MODULE")).json()
    assert (module["category"], module["product_categories"], module["jurisdictions"], module["draft_version"]) == (
        "consent", ["gps_alarm"], ["NO", "SE"], 1)  # fmt: skip
    drafts = words((await client.get("/library/drafts", headers=ENGLISH)).text)
    assert "Location off by default" in drafts and "CONSENT-WEB-MODULE" in drafts


async def test_the_preview_renders_each_language_with_the_values_chosen_and_refuses_one_out_of_bounds(client: AsyncTestClient, admin: Api) -> None:
    await library_editor(client, admin)
    path = await new_draft(client)
    preview = path.replace("/edit", "/preview")
    html = (await client.get(f"{preview}?p-min_sample_size=120", headers=ENGLISH)).text
    for lang in ("en", "nb", "sv", "da"):
        assert f'lang="{lang}"' in html
    assert words(html).count("120") >= 4 and 'value="120"' in html
    refused = await client.get(f"{preview}?p-min_sample_size=5", headers=ENGLISH)
    assert refused.status_code == 400 and 'id="p-min_sample_size-error"' in refused.text and '<a href="#p-min_sample_size">' in refused.text
    assert "must be at least 20" in words(refused.text) and 'value="5"' in refused.text


async def test_publishing_asks_first_names_what_is_missing_and_then_publishes(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    key = NEW_MODULE["key"]
    assert (await editor.post("/api/v1/modules", json=NEW_MODULE)).status_code == 201
    path = f"/library/{key}/versions/1/publish"
    confirm = await open_form(client, path)
    refused = await client.post(path, data=confirm.data(), headers=ENGLISH)
    assert refused.status_code == 400 and f'href="/library/{key}/versions/1/edit#title"' in refused.text
    assert "missing languages nb, sv, da" in words(refused.text)
    assert (await editor.get(f"/api/v1/modules/{key}/versions/1")).json()["status"] == "draft"
    draft = await editor.get(f"/api/v1/modules/{key}/versions/1")
    content = draft.json()["content"]
    for field in ("title", "rationale", "statement"):
        content[field] |= {lang: f"{content[field]['en']} ({lang})" for lang in ("nb", "sv", "da")}
    assert (await editor.put(f"/api/v1/modules/{key}/versions/1", json=content, headers={"If-Match": draft.headers["etag"]})).status_code == 200
    stale = await client.post(path, data=Form(refused.text, path).data() | {"etag": draft.headers["etag"]}, headers=ENGLISH)
    assert stale.status_code == 409 and en("The draft changed since you opened this page") in words(stale.text)
    published = await client.post(path, data=Form(stale.text, path).data(), follow_redirects=False)
    assert (published.status_code, published.headers["location"]) == (303, f"/library/{key}?version=1")
    assert (await editor.get(f"/api/v1/modules/{key}/versions/1")).json()["status"] == "published"
    client.cookies.clear()
    assert "Location off by default" in words((await client.get(f"/library/{key}", headers=ENGLISH)).text)


async def test_deprecating_names_a_replacement_that_exists_or_none(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    path = f"/library/{FALLS}/versions/2/deprecate"
    form = await open_form(client, path)
    for replacement in ("NO-SUCH-MODULE", "not a key"):
        refused = await client.post(path, data=form.data(replaced_by=replacement), headers=ENGLISH)
        assert refused.status_code == 400 and 'id="replaced_by-error"' in refused.text, words(refused.text)[-300:]
    assert (await editor.get(f"/api/v1/modules/{FALLS}/versions/2")).json()["status"] == "published"
    done = await client.post(path, data=form.data(replaced_by=""), follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"/library/{FALLS}?version=2")
    assert (await editor.get(f"/api/v1/modules/{FALLS}/versions/2")).json()["status"] == "deprecated"


async def test_the_library_shows_an_editor_the_editing_links_and_nobody_else(client: AsyncTestClient, admin: Api) -> None:
    assert 'href="/library/new"' not in (await client.get("/library")).text
    assert f'href="/library/{FALLS}/versions"' not in (await client.get(f"/library/{FALLS}")).text
    await library_editor(client, admin, "admin")
    assert 'href="/library/new"' in (await client.get("/library")).text and 'href="/library/drafts"' in (await client.get("/library")).text
    module = (await client.get(f"/library/{FALLS}")).text
    assert f'href="/library/{FALLS}/versions"' in module and f'href="/library/{FALLS}/versions/2/deprecate"' in module
    versions = words((await client.get(f"/library/{FALLS}/versions", headers=ENGLISH)).text)
    assert en("New draft version") in versions and en("Compare with version %(n)s") % {"n": 1} in versions


EDITOR_PAGES = ("/library/drafts", "/library/new", f"/library/{FALLS}/versions", f"/library/{FALLS}/versions/2/deprecate",
                f"/library/{FALLS}/versions/2/preview", f"/library/{FALLS}/versions/2/publish")  # fmt: skip


async def test_a_visitor_is_asked_to_sign_in_and_a_supplier_or_buyer_is_refused_every_editor_page(client: AsyncTestClient, admin: Api) -> None:
    for path in EDITOR_PAGES:
        answer = await client.get(path, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, f"/sign-in?next={path.split('?')[0]}")
    for kind, role in (("supplier", "supplier_editor"), ("municipality", "procurement_officer")):
        client.cookies.clear()
        organization = await admin.create_org(kind)
        person = await admin.create_user(organization["id"], role)
        await signed_in_browser(client, admin, person.user)  # type: ignore[attr-defined]
        for path in EDITOR_PAGES:
            answer = await client.get(path, headers=ENGLISH)
            assert answer.status_code == 403 and en("Only the library's editors change the requirement library.") in words(answer.text), path
        token = form_token((await client.get("/me")).text)
        for path, fields in (
            ("/library/new", {"key": "SUPPLIER-OWN-MODULE", "category": "consent", "kind": "mandatory", "title-en": "x", "statement-en": "y"}),
            (f"/library/{FALLS}/versions", {}),
            (f"/library/{FALLS}/versions/2/deprecate", {}),
        ):
            answer = await client.post(path, data=fields | {"form_token": token}, headers=ENGLISH)
            assert answer.status_code == 403 and en("Only the library's editors change the requirement library.") in words(answer.text), path
    module = (await admin.get(f"/api/v1/modules/{FALLS}")).json()
    assert (module["draft_version"], [v["status"] for v in module["versions"]]) == (None, ["published", "published"])
    assert problem(await admin.get("/api/v1/modules/SUPPLIER-OWN-MODULE"), 404)["detail"] == "no requirement module SUPPLIER-OWN-MODULE"


def test_every_version_of_the_starter_library_round_trips_through_the_draft_form_unchanged() -> None:
    """Filling the form from a version and reading it back gives the same content: parameters, choices, rules, scales, texts."""
    _, modules = load_library(STARTER)
    checked = 0
    for module in modules:
        for version in module.versions:
            content = VersionContent(**{field: getattr(version, field) for field in VersionContent.__struct_fields__})
            raw, rows = forms.raw_of(content)
            form = FormMultiDict([(name, v) for name, value in raw.items() for v in (value if isinstance(value, list) else [value])])
            assert msgspec.convert(forms.read_content(form, rows), VersionContent) == content, (module.key, version.version)
            checked += 1
    assert checked > 100


async def test_a_new_draft_asked_for_from_the_modules_page_when_one_exists_opens_that_draft(client: AsyncTestClient, admin: Api) -> None:
    editor = await library_editor(client, admin)
    module = await client.get(f"/library/{FALLS}", headers=ENGLISH)
    assert f'action="/library/{FALLS}/versions"' in module.text
    first = await client.post(f"/library/{FALLS}/versions", data=Form(module.text, f"/library/{FALLS}/versions").data(), follow_redirects=False)
    assert first.headers["location"] == f"/library/{FALLS}/versions/3/edit"
    again = await client.post(f"/library/{FALLS}/versions", data=Form(module.text, f"/library/{FALLS}/versions").data(), headers=ENGLISH)
    assert str(again.url).endswith(f"/library/{FALLS}/versions/3/edit?existing=1")
    assert en("The module has a draft already: this one. Change it here.") in words(again.text)
    assert [v["version"] for v in (await editor.get(f"/api/v1/modules/{FALLS}")).json()["versions"]] == [1, 2, 3]


async def test_an_editor_reads_a_draft_and_its_changes_on_the_library_pages_and_a_visitor_never_does(client: AsyncTestClient, admin: Api) -> None:
    await library_editor(client, admin)
    path = await new_draft(client)
    form = await open_form(client, path)
    changed = "Dokumenterad effekt på fall, i hemmet"
    assert (await client.post(path, data=form.data(title__sv=changed, action="save"), follow_redirects=False)).status_code == 303
    draft = await client.get(f"/library/{FALLS}?version=3", headers={"Accept-Language": "sv"})
    assert draft.status_code == 200 and changed in words(draft.text)
    diff = await client.get(f"/library/{FALLS}/diff?from=2&to=3", headers=ENGLISH)
    assert diff.status_code == 200 and changed in words(diff.text), "the draft's changes against the published version"
    client.cookies.clear()  # a visitor
    not_found(await client.get(f"/library/{FALLS}?version=3", headers=ENGLISH), f"no version 3 of {FALLS}")
    not_found(await client.get(f"/library/{FALLS}/diff?from=2&to=3", headers=ENGLISH), f"no version 3 of {FALLS}")
    published = await client.get(f"/library/{FALLS}", headers={"Accept-Language": "sv"})
    assert published.status_code == 200 and changed not in words(published.text)
