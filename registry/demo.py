"""A realistic demonstration: a Norwegian federation, its four member municipalities, three
suppliers with products and structured evidence, and a published joint tender with two lots.

Built through the same services the API uses, so it shows the product as a user meets it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth.principal import OrgKind, Principal, Role
from registry.db.base import utcnow
from registry.evidence import schemas as evidence_schemas
from registry.evidence import service as evidence
from registry.organizations import schemas as org_schemas
from registry.organizations import service as organizations
from registry.organizations.orgnumbers import random_org_number
from registry.tenders import participation, storage
from registry.tenders import schemas as tender_schemas
from registry.tenders import service as tenders
from registry.tenders.snapshot import Publisher

Step = Callable[[str], None]
MUNICIPALITIES = {
    "Gjøvik kommune": (1400, 220),
    "Vestre Toten kommune": (620, 95),
    "Søndre Land kommune": (310, 40),
    "Østre Toten kommune": (700, 110),
}


def _organization_create(kind: OrgKind, name: str, rng: random.Random) -> org_schemas.OrganizationCreate:
    return org_schemas.OrganizationCreate(kind=kind, name=name, country="NO", org_number=random_org_number("NO", rng, "9"))


async def _organization(session: AsyncSession, kind: OrgKind, name: str, rng: random.Random) -> UUID:
    return (await organizations.create_organization(session, None, _organization_create(kind, name, rng))).id


async def _user(session: AsyncSession, organization_id: UUID, kind: OrgKind, name: str, role: Role) -> Principal:
    email = name.lower().replace(" ", ".") + f"@{kind}.demo.example"
    user = await organizations.create_user(session, None, organization_id, org_schemas.UserCreate(name=name, email=email, roles=[role]))
    return Principal(user.id, organization_id, kind, frozenset({role}))


SUPPLIERS = [
    ("Nordlys Trygghet AS", "Trygg Hjemme 4", "4.2", ["digital_social_alarm"], "Digital social alarm with SCAIP and two-way speech."),
    ("Fjord Omsorgsteknologi AS", "Følge GPS", "2.1", ["gps_alarm"], "GPS alarm with geofence and position on request."),
    ("Innlandet Medisinteknikk AS", "DoseVakt", "3.0", ["medicine_dispenser"], "Automatic medicine dispenser with reminders."),
]


def _product(supplier: tuple[str, str, str, list[str], str]) -> evidence_schemas.ProductCreate:
    _, name, version, categories, description = supplier
    return evidence_schemas.ProductCreate(name=name, model=f"{name} {version}", categories=categories, ce_marked=True, description=description)


def _evidence_for(category: str, today: date) -> list[evidence_schemas.EvidenceCreate]:
    study = evidence_schemas.EvidenceCreate(
        type="study",
        title="Before-after study in three Innlandet municipalities",
        study_design="uncontrolled_before_after" if category != "gps_alarm" else "controlled_study",
        outcomes=[
            evidence_schemas.Outcome(
                domain="staff_time",
                measure="Home visits per user per week",
                baseline=7.0,
                result=4.3,
                unit="visits",
                period="12 months",
                sample_size=64,
            ),
            evidence_schemas.Outcome(
                domain="safety_incidents",
                measure="Falls with injury per 100 users",
                baseline=18.0,
                result=11.0,
                unit="falls",
                period="12 months",
                sample_size=64,
            ),
        ],
        setting=evidence_schemas.Setting(country="NO", municipalities=["Gjøvik", "Vestre Toten"], care_setting="home care"),
        period_start=today - timedelta(days=900),
        period_end=today - timedelta(days=400),
        funding="Regional research fund",
        independent=True,
        publication="https://example.org/reports/innlandet-velferdsteknologi-2025",
        module_keys=["EVID-STUDY-STRENGTH-AWARD"],
        visibility="public",
    )
    certificate = evidence_schemas.EvidenceCreate(
        type="certificate",
        title="ISO/IEC 27001 certificate for the alarm platform",
        issuer="Nordic Certification AS",
        standard="ISO/IEC 27001:2022",
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=700),
        module_keys=["SEC-ISO27001-CERTIFICATE"],
        visibility="buyers",
    )
    return [study, certificate]


def _spec(today: date) -> tender_schemas.TenderSpec:
    now = utcnow().replace(microsecond=0)
    selection = tender_schemas.SelectionIn
    return tender_schemas.TenderSpec(
        reference="IVS-2027-01",
        title="Trygghetsalarmer og lokaliseringsteknologi for Innlandet",
        description=(
            "Fire kommuner i Innlandet anskaffer i fellesskap digitale trygghetsalarmer og GPS-alarmer for hjemmeboende. "
            "Kravene stiller krav til dokumentert effekt, åpne grensesnitt, informasjonssikkerhet og samtykke."
        ),
        language="nb",
        procedure="open",
        cpv_codes=["33196200-2", "85311100-3"],
        estimated_value=Decimal("12500000"),
        currency="NOK",
        contract_period=tender_schemas.ContractPeriod(start=today + timedelta(days=120), end=today + timedelta(days=120 + 2 * 365 - 1)),
        contact_point=tender_schemas.ContactPoint(
            name="Innkjøpsteamet for velferdsteknologi", email="innkjop@velferdsteknologi.demo.example", phone="+47 55 00 00 00"
        ),
        terms=tender_schemas.Terms(
            agreement="framework",
            framework=tender_schemas.Framework(suppliers=1, call_off="ranking"),
            options=tender_schemas.Options(count=2, months=12),
            validity_days=120,
            lots_per_bid=2,
            submission=tender_schemas.Submission(system="Mercell", url="https://permalink.mercell.com/demo.aspx"),
            labour_clauses=True,
        ),
        timeline=tender_schemas.Timeline(
            questions_deadline=now + timedelta(days=35), submission_deadline=now + timedelta(days=45), planned_award=now + timedelta(days=70)
        ),
        lots=[
            tender_schemas.LotIn(
                title="Digitale trygghetsalarmer",
                product_categories=["digital_social_alarm"],
                price_weight=40,
                quality_weight=60,
                maximum=tender_schemas.Maximum(value=Decimal("9000000"), quantity=2500, unit="alarmer"),
                selections=[
                    selection(module_key="INTEROP-ALARM-PROTOCOL", module_version=1, parameters={"delivery_seconds": 20}),
                    selection(module_key="SEC-ISO27001-CERTIFICATE", module_version=1),
                    selection(module_key="SEC-DATA-LOCATION", module_version=1),
                    selection(module_key="CONSENT-DECISION-RECORD", module_version=1),
                    selection(module_key="EVID-STUDY-STRENGTH-AWARD", module_version=1, weight=35),
                    selection(module_key="INTEROP-IHE-ACM-FORWARDING", module_version=1, weight=25, note="Varsler til ansattes telefoner."),
                    selection(module_key="SEC-DATA-PROCESSING-AGREEMENT", module_version=1),
                    selection(module_key="INTEROP-DATA-EXIT", module_version=1),
                ],
            ),
            tender_schemas.LotIn(
                title="GPS-alarmer med geofence",
                product_categories=["gps_alarm"],
                price_weight=50,
                quality_weight=50,
                maximum=tender_schemas.Maximum(value=Decimal("3500000")),
                selections=[
                    selection(module_key="CONSENT-LOCATION-ON-REQUEST", module_version=1),
                    selection(module_key="CONSENT-TIME-LIMITED-ACTIVATION", module_version=1, parameters={"review_months": 3}),
                    selection(module_key="SEC-ENCRYPTION", module_version=1),
                    selection(module_key="CONSENT-LOCATION-GEOFENCE", module_version=1, weight=30),
                    selection(module_key="CONSENT-NEXT-OF-KIN-ACCESS", module_version=1, weight=20),
                ],
            ),
        ],
    )


async def build_demo(session: AsyncSession, step: Step, publisher: Publisher) -> UUID:
    """Create the demonstration data and return the id of the published tender."""
    rng = random.Random(2027)
    today = utcnow().date()
    step("federation and municipalities")
    federation_id = await _organization(session, "federation", "Innlandet velferdsteknologisamarbeid", rng)
    coordinator = await _user(session, federation_id, "federation", "Ingrid Haugen", Role.federation_coordinator)
    officers = {}
    for name in MUNICIPALITIES:
        municipality_id = await _organization(session, "municipality", name, rng)
        await organizations.add_member(session, coordinator, federation_id, municipality_id)
        officer = await _user(session, municipality_id, "municipality", f"Innkjøper {name.split()[0]}", Role.procurement_officer)
        officers[municipality_id] = (name, officer)

    step("suppliers, products and evidence")
    _, reviewer = next(iter(officers.values()))
    for supplier in SUPPLIERS:
        supplier_name, categories = supplier[0], supplier[3]
        supplier_id = await _organization(session, "supplier", supplier_name, rng)
        editor = await _user(session, supplier_id, "supplier", f"Produktansvarlig {supplier_name.split()[0]}", Role.supplier_editor)
        product = await evidence.create_product(session, editor, _product(supplier))
        for item in _evidence_for(categories[0], today):
            created, _ = await evidence.create_evidence(session, editor, product.id, item, None)
            await evidence.review_evidence(session, reviewer, created.id, evidence_schemas.ReviewCreate(outcome="accepted"))

    step("joint tender")
    tender = await tenders.create_tender(session, coordinator, _spec(today))
    _, etag = await participation.invite(session, coordinator, tender.id, list(officers), storage.etag(tender))
    _, etag = await tenders.change_status(session, coordinator, tender.id, "open-for-participants", etag, min_submission_days=0, publisher=publisher)
    for municipality_id, (name, officer) in officers.items():
        alarms, gps = MUNICIPALITIES[name]
        answer = tender_schemas.Participation(
            decision="confirmed",
            contact_name=f"Innkjøper {name.split()[0]}",
            contact_email=f"innkjop@{name.split()[0].lower()}.kommune.demo.example",
            mandate=True,
            mandate_decision_date=today - timedelta(days=30),
            volumes=[tender_schemas.LotVolume(1, alarms, "stk"), tender_schemas.LotVolume(2, gps, "stk")],
        )
        _, etag = await participation.respond(session, officer, tender.id, municipality_id, answer)
    step("publication")
    await tenders.change_status(session, coordinator, tender.id, "publish", etag, min_submission_days=30, publisher=publisher)
    return tender.id


def request_examples(today: date) -> list[msgspec.Struct]:
    """A request body of each main kind as the demonstration sends it: the examples of the API documentation."""
    supplier = SUPPLIERS[0]
    organization = _organization_create("supplier", supplier[0], random.Random(2027))
    return [organization, _product(supplier), _evidence_for(supplier[3][0], today)[0], _spec(today)]
