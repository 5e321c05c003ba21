"""The release package against the core schema patched with every extension it declares, and the
extension fields it fills: criteria, award and selection criteria, options, framework, submission terms."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, get_args

import jsonschema
import msgspec
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT4

from exports.model import CallOff, Framework, Money, Options, RequirementKind, Submission, TenderDocument
from exports.ocds import EXTENSIONS, tender_ocds
from tests.exports.factory import ETNEDAL, NORDRE_LAND, sample_tender, untidy_tender
from tests.exports.readback import ocds_errors, ocds_folder
from tests.outside import unavailable

URL_PREFIX = "https://raw.githubusercontent.com/open-contracting-extensions/"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _extensions_folder() -> Path:
    folder = ocds_folder().parent / "ocds-extensions"
    if not folder.is_dir():
        unavailable(f"the OCDS extension schemas are missing from {folder}")
    return folder


def _reference_versions() -> dict[str, str]:
    lines = (_extensions_folder() / "VERSIONS.txt").read_text().split("\n")
    return dict(line.split() for line in lines if line.strip())  # type: ignore[misc]


def _declared() -> list[tuple[str, str]]:
    """(repository, commit) of each declared extension, read from its URL."""
    names = []
    for url in EXTENSIONS:
        assert url.startswith(URL_PREFIX) and url.endswith("/extension.json"), url
        repository, commit = url.removeprefix(URL_PREFIX).removesuffix("/extension.json").split("/")
        names.append((repository, commit))
    return names


@cache
def extended_validator() -> jsonschema.Draft4Validator:
    """The package schema whose release schema is the core one patched with each declared extension's release schema."""
    core = ocds_folder()
    release = json.loads((core / "release-schema.json").read_text())
    for repository, _ in _declared():
        release = merge_patch(release, json.loads((_extensions_folder() / repository / "release-schema.json").read_text()))
    package = json.loads((core / "release-package-schema.json").read_text())
    registry = Registry().with_resources((schema["id"], DRAFT4.create_resource(schema)) for schema in (package, release))
    return jsonschema.Draft4Validator(package, registry=registry)


def extended_errors(data: bytes) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in extended_validator().iter_errors(json.loads(data))]


def extension_codelist(repository: str, name: str) -> frozenset[str]:
    with (_extensions_folder() / repository / "codelists" / f"{name}.csv").open(newline="") as file:
        return frozenset(row["Code"] for row in csv.DictReader(file))


def contract_tender() -> TenderDocument:
    """The sample as a plain contract: no framework, no lot maximums."""
    doc = sample_tender()
    terms = msgspec.structs.replace(doc.tender.terms, agreement="contract", framework=None)
    lots = tuple(msgspec.structs.replace(lot, maximum=None) for lot in doc.lots)
    return msgspec.structs.replace(doc, tender=msgspec.structs.replace(doc.tender, terms=terms), lots=lots)


def _tender(doc: TenderDocument) -> dict[str, Any]:
    data = tender_ocds(doc)
    assert extended_errors(data) == [] and ocds_errors(data) == []
    return json.loads(data)["releases"][0]["tender"]


def _with_terms(doc: TenderDocument, **changes: Any) -> TenderDocument:
    terms = msgspec.structs.replace(doc.tender.terms, **changes)
    return msgspec.structs.replace(doc, tender=msgspec.structs.replace(doc.tender, terms=terms))


# ---- the schema with its extensions ---------------------------------------------------------------


def test_merge_patch_follows_rfc_7386() -> None:
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b", "b": "c"}, {"a": None}) == {"b": "c"}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch(["a", "b"], {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "foo"}, "bar") == "bar"


def test_every_declared_extension_is_the_reference_version_the_tests_validate_against() -> None:
    assert _declared() == [
        ("ocds_lots_extension", _reference_versions()["ocds_lots_extension"]),
        ("ocds_requirements_extension", _reference_versions()["ocds_requirements_extension"]),
        ("ocds_awardCriteria_extension", _reference_versions()["ocds_awardCriteria_extension"]),
        ("ocds_selectionCriteria_extension", _reference_versions()["ocds_selectionCriteria_extension"]),
        ("ocds_options_extension", _reference_versions()["ocds_options_extension"]),
        ("ocds_techniques_extension", _reference_versions()["ocds_techniques_extension"]),
        ("ocds_submissionTerms_extension", _reference_versions()["ocds_submissionTerms_extension"]),
    ]
    assert json.loads(tender_ocds(sample_tender()))["extensions"] == EXTENSIONS


@pytest.mark.parametrize(
    "make",
    [sample_tender, untidy_tender, contract_tender, lambda: sample_tender("en"), lambda: untidy_tender("da")],
    ids=["sample", "untidy", "contract", "sample-en", "untidy-da"],
)
def test_the_package_is_valid_against_the_core_schema_patched_with_each_declared_extension(make: Any) -> None:
    data = tender_ocds(make())
    assert extended_errors(data) == []
    assert ocds_errors(data) == []


def test_the_patched_schema_rejects_what_an_extension_forbids() -> None:
    """Guards the test above: the extensions' rules really are in the schema it validates against."""
    package = json.loads(tender_ocds(sample_tender()))
    tender = package["releases"][0]["tender"]
    tender["criteria"][0]["requirementGroups"][0]["requirements"][0]["dataType"] = "yes-or-no"
    tender["lots"][0]["techniques"]["frameworkAgreement"]["method"] = "callOff"
    tender["submissionTerms"]["variantPolicy"] = "maybe"
    errors = extended_errors(json.dumps(package).encode())
    assert len(errors) == 3 and ocds_errors(json.dumps(package).encode()) == [], errors


# ---- requirements as criteria ---------------------------------------------------------------------

# requirement kind -> (criterion of lot 1: id, title in nb, relatesToTenderer), or None: not a pass/fail criterion
KIND_TABLE = {
    "qualification": ("lot-1-qualification", "Delkontrakt 1: Kvalifikasjonskrav", True),
    "mandatory": ("lot-1-mandatory", "Delkontrakt 1: Minstekrav", False),
    "award": None,  # scored: the lot's awardCriteria
    "contract_condition": ("lot-1-contract_condition", "Delkontrakt 1: Kontraktsvilkår", False),
}


def test_the_kind_table_covers_every_requirement_kind() -> None:
    assert set(KIND_TABLE) == set(get_args(RequirementKind))


def test_each_lot_has_one_criterion_per_pass_or_fail_kind_in_table_order() -> None:
    criteria = _tender(sample_tender())["criteria"]
    assert [(c["id"], c["title"], c["relatesToTenderer"]) for c in criteria if c["relatedLots"] == ["lot-1"]] == [
        row for row in KIND_TABLE.values() if row
    ]
    assert [c["id"] for c in criteria if c["relatedLots"] == ["lot-2"]] == ["lot-2-qualification", "lot-2-mandatory"], "no conditions"


def test_mandatory_requirements_expect_a_yes_in_one_group_that_must_all_be_met() -> None:
    (mandatory,) = [c for c in _tender(sample_tender())["criteria"] if c["id"] == "lot-1-mandatory"]
    (group,) = mandatory["requirementGroups"]
    assert group["id"] == "lot-1-mandatory-all"
    assert [(r["id"], r["title"], r["dataType"], r["expectedValue"]) for r in group["requirements"]] == [
        ("lot-1-INTEROP-ALARM-PROTOCOL", "Åpen alarmprotokoll mellom alarmenhet og mottak", "boolean", True),
        ("lot-1-SEC-EN303645", "Grunnleggende IoT-sikkerhet", "boolean", True),
        ("lot-1-CONSENT-LEAST-INTRUSIVE", "Minst inngripende innstillinger", "boolean", True),
        ("lot-1-EVIDENCE-DOSSIER", "Dokumentasjon av effekt", "boolean", True),
    ]
    assert group["requirements"][0]["description"].startswith("Alarmenheten skal sende alarmer og tekniske meldinger")


def test_requirement_ids_are_unique_and_survive_removing_an_earlier_requirement() -> None:
    sample = sample_tender()
    ids = [r["id"] for c in _tender(sample)["criteria"] for g in c["requirementGroups"] for r in g["requirements"]]
    assert len(ids) == len(set(ids)) == 9
    lot = sample.lots[0]
    shorter = msgspec.structs.replace(lot, requirements=lot.requirements[1:])
    after = _tender(msgspec.structs.replace(sample, lots=(shorter, sample.lots[1])))["criteria"]
    assert [r["id"] for g in after[0]["requirementGroups"] for r in g["requirements"]] == ids[1:5]


def test_a_lot_without_requirements_has_no_criteria() -> None:
    sample = sample_tender()
    bare = tuple(msgspec.structs.replace(lot, requirements=()) for lot in sample.lots)
    assert "criteria" not in _tender(msgspec.structs.replace(sample, lots=bare))


# ---- award criteria -------------------------------------------------------------------------------


def test_award_criteria_weigh_price_and_each_criterion_in_percent_of_the_lot() -> None:
    lots = _tender(sample_tender())["lots"]
    assert [[(c["type"], c["name"], c["numbers"]) for c in lot["awardCriteria"]["criteria"]] for lot in lots] == [
        [("price", "Pris", [{"number": 40, "weight": "percentageExact"}]),
         ("quality", "Integrasjon med Velferdsteknologisk knutepunkt", [{"number": 20, "weight": "percentageExact"}]),
         ("quality", "Styrken i effektdokumentasjonen", [{"number": 25, "weight": "percentageExact"}]),
         ("quality", "Metode for måling av måloppnåelse", [{"number": 15, "weight": "percentageExact"}])],
        [("price", "Pris", [{"number": 50, "weight": "percentageExact"}]),
         ("quality", "Styrken i effektdokumentasjonen", [{"number": 30, "weight": "percentageExact"}]),
         ("quality", "Metode for måling av måloppnåelse", [{"number": 20, "weight": "percentageExact"}])],
    ]  # fmt: skip
    sample = sample_tender()
    statements = [[r.statement for r in lot.requirements if r.kind == "award"] for lot in sample.lots]
    assert [[c.get("description") for c in lot["awardCriteria"]["criteria"]] for lot in lots] == [[None, *said] for said in statements], (
        "a criterion weighed in percent is described by its statement alone; the price by nothing"
    )
    for lot in lots:
        assert sum(n["number"] for c in lot["awardCriteria"]["criteria"] for n in c["numbers"]) == 100
        assert "weightingDescription" not in lot["awardCriteria"]
    types = {c["type"] for lot in lots for c in lot["awardCriteria"]["criteria"]}
    assert types <= extension_codelist("ocds_awardCriteria_extension", "awardCriterionType")


def test_an_added_value_criterion_names_its_amount_per_point_and_the_model_is_described() -> None:
    sample = sample_tender("en")
    lot = sample.lots[1]
    scored = msgspec.structs.replace(lot.requirements[2], weight=None, added_value=Money(amount=Decimal(2500), currency="NOK"))
    changed = msgspec.structs.replace(lot, requirements=(*lot.requirements[:2], scored, lot.requirements[3]))
    award = _tender(msgspec.structs.replace(sample, lots=(sample.lots[0], changed)))["lots"][1]["awardCriteria"]
    assert award["criteria"][1] == {
        "type": "quality",
        "name": scored.title,
        "description": f"{scored.statement} NOK 2,500 per point",
    }
    assert award["weightingDescription"].startswith("Criteria given as an amount per point are scored on their scale")


def test_a_price_only_lot_has_only_the_price_and_a_lot_without_award_criteria_weighs_quality_whole() -> None:
    sample = sample_tender("en")
    price_only = msgspec.structs.replace(sample.lots[0], price_weight=Decimal(100), quality_weight=Decimal(0), requirements=())
    unlisted = msgspec.structs.replace(sample.lots[1], requirements=())
    lots = _tender(msgspec.structs.replace(sample, lots=(price_only, unlisted)))["lots"]
    assert lots[0]["awardCriteria"] == {"criteria": [{"type": "price", "name": "Price", "numbers": [{"number": 100, "weight": "percentageExact"}]}]}
    assert lots[1]["awardCriteria"]["criteria"][1] == {"type": "quality", "name": "Quality", "numbers": [{"number": 50, "weight": "percentageExact"}]}


# ---- selection criteria and exclusion grounds -----------------------------------------------------


def test_qualification_requirements_are_the_lots_technical_selection_criteria_with_their_verification() -> None:
    lots = _tender(sample_tender())["lots"]
    assert [lot["selectionCriteria"] for lot in lots] == [
        {"criteria": [{
            "type": "technical",
            "description": "Sertifisert styringssystem for informasjonssikkerhet: Leverandøren skal ha et styringssystem for "
            "informasjonssikkerhet sertifisert etter ISO/IEC 27001:2022 som omfatter den tilbudte tjenesten.",
            "appliesTo": ["supplier"],
            "verificationMethod": "Gyldig ISO/IEC 27001-sertifikat med omfang som dekker tjenesten.",
        }]},
        {"criteria": [{
            "type": "technical",
            "description": "Sertifisert styringssystem for informasjonssikkerhet: Leverandøren skal ha et styringssystem for "
            "informasjonssikkerhet sertifisert etter ISO/IEC 27001:2022.",
            "appliesTo": ["supplier"],
            "verificationMethod": "Sertifikat",
        }]},
    ]  # fmt: skip
    assert {"technical"} <= extension_codelist("ocds_selectionCriteria_extension", "selectionCriterionType")


def test_a_qualification_requirement_without_a_method_is_verified_by_its_documents_listed() -> None:
    sample = sample_tender("en")
    lot = sample.lots[1]
    qualification = next(i for i, r in enumerate(lot.requirements) if r.kind == "qualification")
    bare = msgspec.structs.replace(lot.requirements[qualification], verification="", verification_documents=("Certificate", "Audit report"))
    changed = msgspec.structs.replace(lot, requirements=tuple(bare if i == qualification else r for i, r in enumerate(lot.requirements)))
    criteria = _tender(msgspec.structs.replace(sample, lots=(sample.lots[0], changed)))["lots"][1]["selectionCriteria"]["criteria"]
    assert criteria[0]["verificationMethod"] == "Certificate, Audit report"


def test_exclusion_grounds_of_the_law_are_the_tenders_eligibility_criteria() -> None:
    sample = sample_tender()
    assert _tender(sample)["eligibilityCriteria"] == (
        "Oppdragsgiver skal avvise en leverandør som er rettskraftig dømt for korrupsjon, bedrageri eller hvitvasking.\n"
        "Oppdragsgiver kan også avvise en leverandør på disse grunnlagene: Leverandøren er slått konkurs eller under "
        "tvangsavvikling. Leverandøren har begått alvorlige feil som rokker ved integriteten."
    )
    assert sample.law is not None
    mandatory_only = msgspec.structs.replace(sample, law=msgspec.structs.replace(sample.law, discretionary_exclusion=()))
    assert _tender(mandatory_only)["eligibilityCriteria"] == sample.law.mandatory_exclusion
    assert "eligibilityCriteria" not in _tender(msgspec.structs.replace(sample, law=None)), "published before the law was stated"


# ---- options, framework, submission terms, lot limits ---------------------------------------------


def test_options_extend_the_contract_from_the_day_after_it_ends() -> None:
    tender = _tender(sample_tender("en"))
    assert (tender["hasOptions"], tender["options"]) == (
        True,
        {
            "description": "The buyer may extend the contract 2 times by 12 months each.",
            "period": {"startDate": "2028-08-31T22:00:00Z", "endDate": "2030-08-31T21:59:59Z"},
        },
    )
    assert tender["contractPeriod"]["maxExtentDate"] == "2030-08-31T21:59:59Z"


def test_an_option_ending_in_a_shorter_month_ends_on_its_last_day() -> None:
    sample = _with_terms(sample_tender(), options=Options(count=1, months=1))
    contract = msgspec.structs.replace(sample.tender.contract, end=date(2028, 1, 31))
    tender = _tender(msgspec.structs.replace(sample, tender=msgspec.structs.replace(sample.tender, contract=contract)))
    assert tender["options"]["period"] == {"startDate": "2028-01-31T23:00:00Z", "endDate": "2028-02-29T22:59:59Z"}  # Oslo, leap year


def test_without_options_the_tender_says_so_and_cannot_extend() -> None:
    tender = _tender(_with_terms(sample_tender(), options=None))
    assert tender["hasOptions"] is False and "options" not in tender
    assert tender["contractPeriod"] == {"startDate": "2026-08-31T22:00:00Z", "endDate": "2028-08-31T21:59:59Z"}


# call-off -> frameworkAgreement.method
CALL_OFF_TABLE = {
    "ranking": "withoutReopeningCompetition",
    "mini_competition": "withReopeningCompetition",
    "ranking_or_mini_competition": "withAndWithoutReopeningCompetition",
}


def test_the_call_off_table_covers_every_call_off() -> None:
    assert set(CALL_OFF_TABLE) == set(get_args(CallOff))
    assert set(CALL_OFF_TABLE.values()) == extension_codelist("ocds_techniques_extension", "frameworkAgreementMethod")


@pytest.mark.parametrize(("call_off", "method"), list(CALL_OFF_TABLE.items()))
def test_each_call_off_maps_to_its_framework_method(call_off: str, method: str) -> None:
    doc = _with_terms(sample_tender(), framework=Framework(suppliers=3, call_off=call_off))
    assert [lot["techniques"]["frameworkAgreement"]["method"] for lot in _tender(doc)["lots"]] == [method, method]


def test_a_framework_lot_states_its_suppliers_call_off_and_maximum() -> None:
    doc = _with_terms(sample_tender("en"), duration_justification="Devices are replaced every six years.")
    tender = _tender(doc)
    assert tender["techniques"] == {"hasFrameworkAgreement": True}
    assert [lot["techniques"] for lot in tender["lots"]] == [
        {"hasFrameworkAgreement": True, "frameworkAgreement": {
            "maximumParticipants": 3, "method": "withAndWithoutReopeningCompetition",
            "periodRationale": "Devices are replaced every six years.",
            "description": "At most 6,000 alarmer may be called off over the agreement's term.",
        }},
        {"hasFrameworkAgreement": True, "frameworkAgreement": {
            "maximumParticipants": 3, "method": "withAndWithoutReopeningCompetition", "periodRationale": "Devices are replaced every six years.",
        }},
    ]  # fmt: skip
    assert [lot["value"] for lot in tender["lots"]] == [{"amount": 30000000, "currency": "NOK"}, {"amount": 8000000, "currency": "NOK"}]


def test_a_contract_has_no_framework_and_lots_without_maximum_have_no_value() -> None:
    tender = _tender(contract_tender())
    assert tender["techniques"] == {"hasFrameworkAgreement": False}
    assert [sorted(set(lot) & {"techniques", "value"}) for lot in tender["lots"]] == [[], []]
    leftover = _with_terms(contract_tender(), framework=sample_tender().tender.terms.framework)
    assert [sorted(set(lot) & {"techniques", "value"}) for lot in _tender(leftover)["lots"]] == [[], []], (
        "framework terms left over from an earlier choice do not make a contract a framework"
    )


# variants -> variantPolicy
VARIANT_TABLE = {True: "allowed", False: "notAllowed"}


@pytest.mark.parametrize(("variants", "policy"), list(VARIANT_TABLE.items()))
def test_submission_terms_state_variants_language_and_how_long_bids_bind(variants: bool, policy: str) -> None:
    tender = _tender(_with_terms(sample_tender(), variants=variants))
    assert tender["submissionTerms"] == {
        "electronicSubmissionPolicy": "required",
        "variantPolicy": policy,
        "languages": ["nb"],
        "bidValidityPeriod": {"startDate": "2026-04-06T10:00:00Z", "endDate": "2026-08-04T10:00:00Z", "durationInDays": 120},
    }
    assert {policy, "required"} <= extension_codelist("ocds_submissionTerms_extension", "permission")


def test_the_submission_system_is_named_with_its_address() -> None:
    sample = sample_tender("sv")
    assert _tender(sample)["submissionMethodDetails"] == "Anbud lämnas elektroniskt i Mercell: https://permalink.mercell.com/200000000.aspx"
    other = _with_terms(sample, submission=Submission(system="Kommers", url="https://kommers.example/t/1"), validity_days=None)
    tender = _tender(other)
    assert tender["submissionMethodDetails"] == "Anbud lämnas elektroniskt i Kommers: https://kommers.example/t/1"
    assert "bidValidityPeriod" not in tender["submissionTerms"]
    assert "submissionMethodDetails" not in _tender(_with_terms(sample, submission=None))


def test_lot_details_limit_the_lots_bid_for_and_awarded() -> None:
    assert _tender(sample_tender())["lotDetails"] == {"maximumLotsBidPerSupplier": 2, "maximumLotsAwardedPerSupplier": 1}
    assert "lotDetails" not in _tender(_with_terms(sample_tender(), lots_per_bid=None, max_lots_awarded=None))


# ---- items per buyer ------------------------------------------------------------------------------


def _buyer_of(item: dict[str, Any]) -> str:
    """The buyer's party id in an item id ``<lot id>-<party id>-<unit position>`` (lot ids are ``lot-<n>``)."""
    return item["id"].split("-", 2)[2].rsplit("-", 1)[0]


def test_each_buyer_has_its_own_item_per_lot_and_unit_with_its_quantity() -> None:
    untidy = untidy_tender()
    tender = _tender(untidy)
    rows = [(_buyer_of(i), i["relatedLot"], i["quantity"], i["unit"]["name"]) for i in tender["items"]]
    gjovik, vestre, ostre, sondre = (f"NO-BRC-{p.party.org_number}" for p in untidy.participants[:4])
    nordre, etnedal = f"NO-BRC-{NORDRE_LAND.org_number}", f"NO-BRC-{ETNEDAL.org_number}"
    assert rows == [
        (gjovik, "lot-1", 420, "stk"), (vestre, "lot-1", 260, "stk"), (ostre, "lot-1", 310, "stk"), (sondre, "lot-1", 120, "stk"),
        (nordre, "lot-1", 75, "stk"), (etnedal, "lot-1", 30, "stk"), (etnedal, "lot-1", 12, "abonnement"),
        (gjovik, "lot-2", 40, "stk"), (vestre, "lot-2", 25, "stk"), (ostre, "lot-2", 30, "stk"), (sondre, "lot-2", 10, "stk"),
    ]  # fmt: skip
    assert [i["id"] for i in tender["items"] if etnedal in i["id"]] == [f"lot-1-{etnedal}-1", f"lot-1-{etnedal}-2"]
    assert tender["items"][6]["description"] == "Digitale trygghetsalarmer med alarmmottak til Etnedal kommune"


def test_item_quantities_add_up_to_the_totals_and_name_only_buyer_parties() -> None:
    untidy = untidy_tender()
    release = json.loads(tender_ocds(untidy))["releases"][0]
    totals: dict[str, dict[str, int]] = {}
    for item in release["tender"]["items"]:
        by_unit = totals.setdefault(item["relatedLot"], {})
        by_unit[item["unit"]["name"]] = by_unit.get(item["unit"]["name"], 0) + item["quantity"]
    assert totals == untidy.total_quantities() == {"lot-1": {"stk": 1215, "abonnement": 12}, "lot-2": {"stk": 105}}
    buyers = {party["id"] for party in release["parties"] if "buyer" in party["roles"]}
    assert {_buyer_of(item) for item in release["tender"]["items"]} == buyers


def test_a_municipality_listed_twice_is_one_buyer_with_its_volumes_added_up() -> None:
    sample = sample_tender()
    twice = msgspec.structs.replace(sample, participants=(*sample.participants, sample.participants[0]))
    items = _tender(twice)["items"]
    assert [(i["id"], i["quantity"]) for i in items if "960079191" in i["id"]] == [
        ("lot-1-NO-BRC-960079191-1", 840),
        ("lot-2-NO-BRC-960079191-1", 80),
    ]
    assert len({i["id"] for i in items}) == len(items) == 8
