"""The pieces of the export snapshot that need no database: parties, labels, links, references,
the publisher and the texts that fell back to English."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import msgspec
import pytest

from exports import model
from registry.organizations.schemas import Organization
from registry.problems import RuleViolation
from registry.requirements.content import Parameter, Reference, ScoringScale, ScoringStep, VersionContent
from registry.requirements.schemas import PinnedVersion
from registry.requirements.templates import Catalogue, Term
from registry.settings import Settings
from registry.tenders import snapshot
from registry.tenders.schemas import Maximum, SelectionIn

TENDER_ID = UUID("12345678-1234-5678-1234-567812345678")
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def _organization(kind: str, org_number: str | None = "964338531") -> Organization:
    fields = {"id": TENDER_ID, "kind": kind, "name": "Askøy kommune", "country": "NO", "org_number": org_number, "contact_email": None}
    return msgspec.convert(fields | {"created_at": CREATED}, Organization)


@pytest.mark.parametrize("kind", ["municipality", "federation"])
def test_municipalities_and_federations_are_parties_with_their_organization_number(kind: str) -> None:
    assert snapshot._party(_organization(kind)) == model.Party(
        id=str(TENDER_ID), name="Askøy kommune", country="NO", org_number="964338531", kind=kind  # type: ignore[arg-type]
    )
    assert snapshot._party(_organization(kind, None)).org_number == ""


@pytest.mark.parametrize("kind", ["supplier", "authority"])
def test_a_supplier_or_authority_is_never_a_buyer_party(kind: str) -> None:
    with pytest.raises(ValueError, match=f"organization {TENDER_ID} is a {kind}, not a buyer"):
        snapshot._party(_organization(kind))


CATALOGUE = Catalogue(
    categories=[Term("consent", {"en": "Consent", "nb": "Samtykke"}), Term("interoperability", {"en": "Interoperability"})],
    product_categories=[Term("gps_alarm", {"en": "GPS alarm", "sv": "GPS-larm"})],
    study_designs=[],
    outcome_domains=[],
    document_types=[Term("certificate", {"en": "Certificate", "da": "Certifikat"})],
)


def test_labels_come_from_the_catalogue_in_the_language_else_english_else_the_key() -> None:
    assert snapshot._label(CATALOGUE, "categories", "consent", "nb") == "Samtykke"
    assert snapshot._label(CATALOGUE, "categories", "interoperability", "nb") == "Interoperability"
    assert snapshot._label(CATALOGUE, "product_categories", "gps_alarm", "sv") == "GPS-larm"
    assert snapshot._label(CATALOGUE, "document_types", "certificate", "da") == "Certifikat"
    assert snapshot._label(CATALOGUE, "categories", "unknown_key", "nb") == "unknown_key"


def test_links_point_to_the_public_exports_of_the_tender() -> None:
    base = f"https://registry.example.org/api/v1/tenders/{TENDER_ID}/exports"
    expected = model.Links(
        package=f"{base}/ocds", tender_docx=f"{base}/docx", response_form_xlsx=f"{base}/xlsx",
        contract_annex_docx=f"{base}/annex", document_set_zip=f"{base}/package",
    )  # fmt: skip
    assert snapshot._links("https://registry.example.org/", TENDER_ID) == expected
    assert snapshot._links("https://registry.example.org", TENDER_ID) == expected
    under_a_path = snapshot._links("https://kommune.example/apps/WTX/", TENDER_ID)
    assert under_a_path.package == f"https://kommune.example/apps/WTX/api/v1/tenders/{TENDER_ID}/exports/ocds", "only the last slash goes"


def test_references_keep_kind_identifier_title_year_and_clause_in_the_documents_language() -> None:
    gdpr = Reference(kind="law", identifier="Regulation (EU) 2016/679", title="GDPR", year=2016, clause="Art. 25", url="https://eur-lex.example",
                     titles={"sv": "Dataskyddsförordningen"})  # fmt: skip
    listed = model.Reference(kind="law", identifier="Regulation (EU) 2016/679", title="GDPR", year=2016, clause="Art. 25")
    assert snapshot._reference(gdpr, "nb") == listed, "the working title where the language has no official one"
    assert snapshot._reference(gdpr, "sv") == msgspec.structs.replace(listed, title="Dataskyddsförordningen")
    normen = Reference(kind="guidance", identifier="Normen", title="Norm for informasjonssikkerhet")
    expected = model.Reference(kind="guidance", identifier="Normen", title="Norm for informasjonssikkerhet", year=None, clause="")
    assert snapshot._reference(normen, "nb") == expected
    etsi = Reference(kind="standard", identifier="ETSI EN 303 645", title="Consumer IoT", edition="V3.1.3")
    assert snapshot._reference(etsi, "en").identifier == "ETSI EN 303 645 V3.1.3"
    named = Reference(kind="standard", identifier="ISO/IEC 27001:2022", title="ISMS", edition="2022")
    assert snapshot._reference(named, "en").identifier == "ISO/IEC 27001:2022", "an edition the identifier names is not repeated"


def _citing(*references: Reference) -> PinnedVersion:
    both = {"en": "T", "nb": "T"}
    content = VersionContent(kind="mandatory", title=both, rationale=both, statement=both)
    return PinnedVersion(id=TENDER_ID, status="published", replaced_by=None, category="consent", jurisdictions=["EU"],
                         references=list(references), content=content)  # fmt: skip


def test_references_are_listed_once_those_of_the_country_and_the_eu_with_an_official_title_where_a_module_has_one() -> None:
    working = Reference(kind="law", identifier="LOV-2018-06-15-38", title="Personal Data Act", jurisdiction="NO")
    official = Reference(kind="law", identifier="LOV-2018-06-15-38", title="PDA", jurisdiction="NO", titles={"nb": "Personopplysningsloven"})
    normen = Reference(kind="guidance", identifier="Normen", title="Norm for information security", titles={"nb": "Normen"})
    other_normen = Reference(kind="guidance", identifier="Normen", title="The Norm", titles={"nb": "Norm for informasjonssikkerhet"})
    swedish = Reference(kind="law", identifier="SFS 2018:218", title="Swedish data protection act", jurisdiction="SE")
    mdr = Reference(kind="law", identifier="Regulation (EU) 2017/745", title="MDR")
    mdr_again = Reference(kind="law", identifier="Regulation (EU) 2017/745", title="Medical Device Regulation")
    pinned = {
        ("A-A", 1): _citing(working, normen, swedish, mdr),
        ("A-B", 1): _citing(official, other_normen, mdr_again),
    }
    listed = snapshot._references(pinned, "NO", "nb")
    assert [(r.kind, r.identifier, r.title) for r in listed] == [
        ("guidance", "Normen", "Normen"),  # the first module's: both have an official title
        ("law", "LOV-2018-06-15-38", "Personopplysningsloven"),  # the later module's: only it has the official title
        ("law", "Regulation (EU) 2017/745", "MDR"),  # the first module's: neither has one
    ], "by kind and identifier, another country's law left out"
    assert [r.identifier for r in snapshot._references(pinned, "SE", "sv")] == ["Normen", "Regulation (EU) 2017/745", "SFS 2018:218"]


def test_the_publisher_names_its_ocid_prefix_or_says_it_is_a_placeholder() -> None:
    registered = snapshot.Publisher.of(Settings(public_url="https://registry.example.org", ocid_prefix="ocds-abc123"))
    assert registered == snapshot.Publisher("https://registry.example.org", "ocds-abc123")
    assert (registered.ocid(TENDER_ID), registered.name) == (f"ocds-abc123-{TENDER_ID}", "Welfare technology procurement registry")
    local = snapshot.Publisher("http://127.0.0.1:8000")
    assert local.ocid(TENDER_ID) == f"ocds-000000-{TENDER_ID}"
    assert local.name == "Welfare technology procurement registry (ocid prefix ocds-000000 is a local placeholder, not a registered prefix)"


def test_a_lot_maximum_states_a_value_in_the_tenders_currency_a_quantity_of_a_unit_or_both() -> None:
    money = model.Money(amount=Decimal("9000000"), currency="SEK")
    assert snapshot._maximum(Maximum(value=Decimal("9000000"), quantity=2500, unit="alarms"), "SEK") == model.Maximum(
        value=money, quantity=2500, unit="alarms"
    )
    assert snapshot._maximum(Maximum(value=Decimal("9000000")), "SEK") == model.Maximum(value=money, quantity=None, unit="")
    assert snapshot._maximum(Maximum(quantity=300, unit="alarms"), "SEK") == model.Maximum(value=None, quantity=300, unit="alarms")
    assert snapshot._maximum(None, "SEK") is None, "a contract's lots have none"


def test_a_text_falls_back_to_english_and_is_listed_once_only_when_missing() -> None:
    texts = snapshot._Texts("nb", "NOK", CATALOGUE, {})
    assert texts.text({"en": "Rationale", "nb": "Begrunnelse"}, "A v1 rationale") == "Begrunnelse"
    assert texts.text({"en": "Verification"}, "A v1 verification") == "Verification"
    assert texts.text({"en": "Verification"}, "A v1 verification") == "Verification"
    assert texts.text({}, "A v1 scoring guidance") == "", "nothing in any language is not a fallback"
    assert texts.text({"en": "Guidance", "nb": ""}, "B v2 scoring guidance") == "Guidance"
    assert list(texts.fallbacks) == ["A v1 verification", "B v2 scoring guidance"]
    assert (texts.language, texts.catalogue, texts.pinned) == ("nb", CATALOGUE, {})


def test_a_scale_step_in_english_alone_is_listed_as_a_fallback_by_its_module() -> None:
    texts = snapshot._Texts("nb", "NOK", CATALOGUE, {})
    steps = [ScoringStep(points=0, descriptor={"en": "None", "nb": "Ingen"}), ScoringStep(points=1, descriptor={"en": "Some"})]
    content = VersionContent(kind="award", title={"en": "T"}, rationale={"en": "R"}, statement={"en": "S"},
                             scoring_scale=ScoringScale(max_points=1, steps=steps, weight=[5, 10]))  # fmt: skip
    assert texts.scale(content, "A v2") == (model.ScaleStep(points=0, descriptor="Ingen"), model.ScaleStep(points=1, descriptor="Some"))
    assert list(texts.fallbacks) == ["A v2 scoring scale"]


def test_a_selection_that_cannot_be_rendered_names_its_module_and_each_problem() -> None:
    must_set = Parameter(name="profiles", type="text", label={"en": "Profiles"})
    content = VersionContent(kind="mandatory", title={"en": "T"}, rationale={"en": "R"}, statement={"en": "Use {profiles}."}, parameters=[must_set])
    pinned = {("A-B", 1): PinnedVersion(id=TENDER_ID, status="published", replaced_by=None, category="consent",
                                        jurisdictions=["EU"], references=[], content=content)}  # fmt: skip
    with pytest.raises(RuleViolation) as refused:
        snapshot._Texts("nb", "NOK", CATALOGUE, pinned).requirement("1.1", SelectionIn(module_key="A-B", module_version=1))
    assert str(refused.value) == "A-B v1 cannot be rendered"
    assert [(e.field, e.message) for e in refused.value.errors] == [("parameters.profiles", "is required and has no default")]


def test_a_rationale_in_english_alone_is_listed_as_a_fallback_by_its_module() -> None:
    content = VersionContent(kind="mandatory", title={"en": "T", "nb": "T"}, rationale={"en": "Why"}, statement={"en": "S", "nb": "S"})
    pinned = {("A-B", 1): PinnedVersion(id=TENDER_ID, status="published", replaced_by=None, category="consent",
                                        jurisdictions=["EU"], references=[], content=content)}  # fmt: skip
    texts = snapshot._Texts("nb", "NOK", CATALOGUE, pinned)
    assert texts.requirement("1.1", SelectionIn(module_key="A-B", module_version=1)).rationale == "Why"
    assert list(texts.fallbacks) == ["A-B v1 rationale"]


def test_a_scale_is_shown_for_a_selection_scored_as_award_and_never_for_one_made_mandatory() -> None:
    steps = [ScoringStep(points=0, descriptor={"en": "None"}), ScoringStep(points=1, descriptor={"en": "Some", "nb": "Noe"})]
    both = {"en": "T", "nb": "T"}
    scale = ScoringScale(max_points=1, steps=steps, weight=[5, 10])
    content = VersionContent(kind="award", title=both, rationale=both, statement=both, scoring_guidance=both, scoring_scale=scale)
    pinned = {("A-B", 1): PinnedVersion(id=TENDER_ID, status="published", replaced_by=None, category="consent",
                                        jurisdictions=["EU"], references=[], content=content)}  # fmt: skip
    texts = snapshot._Texts("nb", "NOK", CATALOGUE, pinned)
    scored = texts.requirement("1.1", SelectionIn(module_key="A-B", module_version=1, weight=10))
    assert [(s.points, s.descriptor) for s in scored.scale] == [(0, "None"), (1, "Noe")]
    assert list(texts.fallbacks) == ["A-B v1 scoring scale"]
    mandatory = texts.requirement("1.2", SelectionIn(module_key="A-B", module_version=1, kind="mandatory"))
    assert (mandatory.scale, mandatory.weight, mandatory.added_value, mandatory.scoring_guidance) == ((), None, None, "")
    assert scored.scoring_guidance == "T"
