"""Snapshots for exporter tests and the benchmark: a realistic Norwegian joint tender and big
generated ones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import cycle, islice

import msgspec

from exports.model import (
    Amendment,
    ContactPoint,
    ContractPeriod,
    Framework,
    Ground,
    Language,
    Law,
    Links,
    Lot,
    Maximum,
    Money,
    Options,
    Participant,
    Party,
    Reference,
    Requirement,
    Submission,
    Tender,
    TenderDocument,
    Terms,
    Timeline,
    Volume,
)

GENERATED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _norwegian_org_number(stem: int) -> str:
    """A 9-digit organisation number with a valid mod-11 check digit (stems that give 10 are skipped)."""
    while True:
        digits = [int(d) for d in f"{stem:08d}"]
        rest = 11 - sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        if rest != 10:
            return f"{stem:08d}{0 if rest == 11 else rest}"
        stem += 1


def _party(number: int, name: str, kind: str = "municipality") -> Party:
    return Party(
        id=f"org-{number}",
        name=name,
        country="NO",
        org_number=_norwegian_org_number(96_000_000 + number * 7919),
        kind=kind,
    )


LEAD = _party(0, "Gjøvikregionen helse- og omsorgssamarbeid", "federation")
MUNICIPALITIES = [
    _party(n, name) for n, name in enumerate(("Gjøvik kommune", "Vestre Toten kommune", "Østre Toten kommune", "Søndre Land kommune"), 1)
]


def _requirement(number: str, key: str, category: tuple[str, str], kind: str, title: str, statement: str, **extra: object) -> Requirement:
    return Requirement(
        id=number,
        module_key=key,
        module_version=1,
        category_key=category[0],
        category_label=category[1],
        kind=kind,
        title=title,
        statement=statement,
        **extra,  # type: ignore[arg-type]
    )


INTEROP = ("interoperability", "Samhandling og integrasjon")
SECURITY = ("information_security", "Informasjonssikkerhet og personvern")
CONSENT = ("consent", "Samtykke og rettslig grunnlag")
EVIDENCE = ("evidence_of_effect", "Dokumentert effekt")
BENEFIT = ("benefit_realisation", "Gevinstrealisering")


def _alarm_requirements() -> tuple[Requirement, ...]:
    return (
        _requirement(
            "1.1",
            "SEC-ISO27001",
            SECURITY,
            "qualification",
            "Sertifisert styringssystem for informasjonssikkerhet",
            "Leverandøren skal ha et styringssystem for informasjonssikkerhet sertifisert etter ISO/IEC 27001:2022 "
            "som omfatter den tilbudte tjenesten.",
            verification_documents=("Sertifikat",),
            verification="Gyldig ISO/IEC 27001-sertifikat med omfang som dekker tjenesten.",
        ),
        _requirement(
            "1.2",
            "INTEROP-ALARM-PROTOCOL",
            INTEROP,
            "mandatory",
            "Åpen alarmprotokoll mellom alarmenhet og mottak",
            "Alarmenheten skal sende alarmer og tekniske meldinger til alarmmottaket med SCAIP (SS 91100:2014) eller "
            "CLC/TS 50134-9, og en alarm skal nå mottaket innen 30 sekunder etter at den er utløst.",
            level="basic",
            rationale="En åpen protokoll lar kommunen velge alarmenheter og alarmmottak hver for seg.",
            verification_documents=("Sertifikat", "Testrapport"),
            verification="Gyldig SCAIP-sertifikat for tilbudt modell.",
        ),
        _requirement(
            "1.3",
            "INTEROP-VKP-FHIR",
            INTEROP,
            "award",
            "Integrasjon med Velferdsteknologisk knutepunkt",
            "Løsningen bør skrive alarmer og hendelser til kommunens journalsystem via Velferdsteknologisk knutepunkt (FHIR R4).",
            level="advanced",
            weight=Decimal(20),
            scoring_guidance="10: i produksjon hos minst én kommune. 5: testet mot VKP. 0: ikke planlagt.",
            verification_documents=("Beskrivelse",),
            verification="Beskrivelse av integrasjonen og referanse til kommune i produksjon.",
        ),
        _requirement(
            "1.4",
            "SEC-EN303645",
            SECURITY,
            "mandatory",
            "Grunnleggende IoT-sikkerhet",
            "Alarmenheten skal oppfylle ETSI EN 303 645, herunder ingen felles standardpassord og sikkerhetsoppdateringer i minst 5 år.",
            verification_documents=("Samsvarserklæring",),
            verification="Samsvarserklæring mot ETSI EN 303 645.",
        ),
        _requirement(
            "1.5",
            "CONSENT-LEAST-INTRUSIVE",
            CONSENT,
            "mandatory",
            "Minst inngripende innstillinger",
            "Løsningen skal kunne konfigureres per bruker slik at bare nødvendige funksjoner er aktive, med registrering "
            "av vedtak etter pasient- og brukerrettighetsloven § 4-6 a.",
            buyer_note="Gjelder også brukere uten samtykkekompetanse.",
        ),
        _requirement(
            "1.6",
            "EVIDENCE-DOSSIER",
            EVIDENCE,
            "mandatory",
            "Dokumentasjon av effekt",
            "Leverandøren skal legge fram en oversikt over dokumentert effekt for hver påstått gevinst, gradert etter studiedesign.",
            verification_documents=("Effektdokumentasjon",),
            verification="Evidensoversikt med referanser.",
        ),
        _requirement(
            "1.7",
            "EVIDENCE-STRENGTH",
            EVIDENCE,
            "award",
            "Styrken i effektdokumentasjonen",
            "Tilbudet vurderes etter hvor sterk dokumentasjonen av effekt i nordisk kommunal omsorg er.",
            weight=Decimal(25),
            scoring_guidance="10: kontrollert studie i nordisk kommune. 5: før-etter-måling. 0: kun kundereferanser.",
        ),
        _requirement(
            "1.8",
            "BENEFIT-GOAL",
            BENEFIT,
            "award",
            "Metode for måling av måloppnåelse",
            "Leverandøren bør beskrive en metode for å måle brukernes måloppnåelse og tilfredshet.",
            weight=Decimal("15"),
            scoring_guidance="Vurderes etter hvor konkret og etterprøvbar metoden er.",
        ),
        _requirement(
            "1.9",
            "INTEROP-DATA-EXIT",
            INTEROP,
            "contract_condition",
            "Utlevering av data ved kontraktsslutt",
            "Ved kontraktens slutt skal leverandøren utlevere alle data i et dokumentert, maskinlesbart format uten ekstra kostnad.",
            verification="Inngår i kontrakten.",
        ),
        _requirement(
            "1.10",
            "BENEFIT-DATA",
            BENEFIT,
            "contract_condition",
            "Kvartalsvis rapportering av bruksdata",
            "Leverandøren skal hvert kvartal levere bruksdata (alarmer, responstider, unngåtte besøk) etter avtalt indikatorsett.",
        ),
    )


def _gps_requirements() -> tuple[Requirement, ...]:
    return (
        _requirement(
            "2.1",
            "SEC-ISO27001",
            SECURITY,
            "qualification",
            "Sertifisert styringssystem for informasjonssikkerhet",
            "Leverandøren skal ha et styringssystem for informasjonssikkerhet sertifisert etter ISO/IEC 27001:2022.",
            verification_documents=("Sertifikat",),
        ),
        _requirement(
            "2.2",
            "CONSENT-GEOFENCE",
            CONSENT,
            "mandatory",
            "Posisjon ved behov og geofence",
            "Løsningen skal støtte posisjon på forespørsel og varsling ved geofence, uten kontinuerlig sporing som standard.",
        ),
        _requirement(
            "2.3",
            "EVIDENCE-STRENGTH",
            EVIDENCE,
            "award",
            "Styrken i effektdokumentasjonen",
            "Tilbudet vurderes etter hvor sterk dokumentasjonen av effekt er.",
            weight=Decimal(30),
        ),
        _requirement(
            "2.4",
            "BENEFIT-GOAL",
            BENEFIT,
            "award",
            "Metode for måling av måloppnåelse",
            "Leverandøren bør beskrive en metode for å måle måloppnåelse.",
            weight=Decimal(20),
        ),
    )


ALARMS, TRACKERS = (420, 260, 310, 120), (40, 25, 30, 10)  # per municipality, lots 1 and 2


def _volumes(alarms: int, trackers: int) -> tuple[Volume, ...]:
    return (Volume(lot_id="lot-1", quantity=alarms, unit="stk"), Volume(lot_id="lot-2", quantity=trackers, unit="stk"))


TERMS = Terms(
    agreement="framework",
    framework=Framework(suppliers=3, call_off="ranking_or_mini_competition"),
    options=Options(count=2, months=12),
    validity_days=120,
    lots_per_bid=2,
    max_lots_awarded=1,
    variants=False,
    reservations=False,
    submission=Submission(system="Mercell", url="https://permalink.mercell.com/200000000.aspx"),
    questions_via="submission_system",
    espd=True,
    labour_clauses=True,
)
"""A framework with three suppliers per lot, two one-year options, and Norway's labour clauses."""

NORWEGIAN_LAW = Law(
    country="NO",
    procurement_act="Lov om offentlige anskaffelser (anskaffelsesloven) med forskrift om offentlige anskaffelser",
    espd="Leverandøren skal fylle ut ESPD (egenerklæringsskjema) i konkurransegjennomføringsverktøyet som foreløpig dokumentasjon.",
    mandatory_exclusion="Oppdragsgiver skal avvise en leverandør som er rettskraftig dømt for korrupsjon, bedrageri eller hvitvasking.",
    discretionary_exclusion=(
        Ground(key="insolvency", text="Leverandøren er slått konkurs eller under tvangsavvikling."),
        Ground(key="professional_misconduct", text="Leverandøren har begått alvorlige feil som rokker ved integriteten."),
    ),
    labour_clauses="Leverandøren skal sikre at egne og underleverandørers ansatte har lønns- og arbeidsvilkår etter allmenngjort tariffavtale.",
    standstill_days=10,
    standstill="Kontrakt inngås tidligst 10 dager etter at meldingen om tildeling er sendt (karensperiode).",
    review_body="Klagenemnda for offentlige anskaffelser (KOFA)",
    review_body_url="https://www.kofa.no",
    public_access="Tilbud er offentlige etter offentleglova når kontrakten er tildelt; leverandøren skal merke forretningshemmeligheter.",
)


def sample_tender(language: Language = "nb", *, draft: bool = False, amendments: tuple[Amendment, ...] = ()) -> TenderDocument:
    """A joint tender of a Norwegian federation: four municipalities, two lots, 14 requirements."""
    participants = tuple(
        Participant(
            party=party,
            mandate_date=date(2026, 1, 10 + n),
            volumes=_volumes(alarms, trackers),
        )
        for n, (party, alarms, trackers) in enumerate(zip(MUNICIPALITIES, ALARMS, TRACKERS, strict=True))
    )
    return TenderDocument(
        language=language,
        generated_at=GENERATED_AT,
        timezone="Europe/Oslo",
        draft=draft,
        ocid="ocds-wtreg1-2026-0042",
        publisher="Velferdsteknologiregisteret",
        links=Links(
            package="https://registry.example.org/api/v1/tenders/t-42/ocds",
            tender_docx="https://registry.example.org/api/v1/tenders/t-42/exports/tender.docx",
            response_form_xlsx="https://registry.example.org/api/v1/tenders/t-42/exports/response-form.xlsx",
            contract_annex_docx="https://registry.example.org/api/v1/tenders/t-42/exports/annex",
            document_set_zip="https://registry.example.org/api/v1/tenders/t-42/exports/package",
        ),
        tender=Tender(
            id="t-42",
            reference="GHO-2026-004",
            title="Digitale trygghetsalarmer og lokaliseringsteknologi",
            description="Kommunene i Gjøvikregionen skal erstatte analoge trygghetsalarmer med digitale alarmer.\n"
            "Anskaffelsen skal også gi tilbud om GPS-lokalisering for personer med demens som bor hjemme.",
            document_version=2,
            status="published",
            procedure="open",
            main_category="goods",
            cpv_codes=("33196200-2", "32235000-9"),
            estimated_value=Money(amount=Decimal("18500000"), currency="NOK"),
            contract=ContractPeriod(start=date(2026, 9, 1), end=date(2028, 8, 31), options="Opsjon på forlengelse 1 + 1 år."),
            timeline=Timeline(
                published_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
                questions_deadline=datetime(2026, 3, 23, 11, 0, tzinfo=UTC),
                submission_deadline=datetime(2026, 4, 6, 10, 0, tzinfo=UTC),
                planned_award=date(2026, 5, 4),
            ),
            contact=ContactPoint(name="Innkjøpskontoret i Gjøvikregionen", email="innkjop@gjovikregionen.no", phone="+47 61 18 90 00"),
            terms=TERMS,
        ),
        lead_buyer=LEAD,
        participants=participants,
        lots=(
            Lot(
                id="lot-1",
                number=1,
                title="Digitale trygghetsalarmer med alarmmottak",
                description="Alarmenheter, mottak og drift.",
                product_categories=("Digital trygghetsalarm",),
                cpv_codes=("33196200-2",),
                price_weight=Decimal(40),
                quality_weight=Decimal(60),
                requirements=_alarm_requirements(),
                maximum=Maximum(value=Money(amount=Decimal("30000000"), currency="NOK"), quantity=6000, unit="alarmer"),
            ),
            Lot(
                id="lot-2",
                number=2,
                title="Lokaliseringsteknologi (GPS)",
                product_categories=("Lokaliseringsteknologi (GPS)",),
                price_weight=Decimal(50),
                quality_weight=Decimal(50),
                requirements=_gps_requirements(),
                maximum=Maximum(value=Money(amount=Decimal("8000000"), currency="NOK")),
            ),
        ),
        references=(
            Reference(
                kind="standard",
                identifier="SS 91100:2014",
                title="Social Care Alarm Internet Protocol (SCAIP)",
                year=2014,
            ),
            Reference(
                kind="standard",
                identifier="ETSI EN 303 645",
                title="Cyber Security for Consumer Internet of Things: Baseline Requirements",
                year=2020,
                clause="5.1–5.13",
            ),
            Reference(
                kind="law",
                identifier="Forordning (EU) 2016/679",
                title="Personvernforordningen (GDPR)",
                year=2016,
                clause="art. 28, 32, 35",
            ),
            Reference(
                kind="law",
                identifier="Pasient- og brukerrettighetsloven",
                title="Lov om pasient- og brukerrettigheter",
                clause="§ 4-6 a",
            ),
            Reference(
                kind="guidance",
                identifier="Normen",
                title="Norm for informasjonssikkerhet og personvern i helse- og omsorgssektoren",
            ),
        ),
        amendments=amendments,
        law=NORWEGIAN_LAW,
        fallbacks=("BENEFIT-DATA v1: rationale",),
    )


AMENDMENT = Amendment(
    number=1,
    date=datetime(2026, 3, 16, 12, 0, tzinfo=UTC),
    summary="Krav 1.2: leveringstid for alarm endret fra 20 til 30 sekunder.",
    reason="Spørsmål fra leverandører viste at 20 sekunder ikke kan dokumenteres av akkrediterte laboratorier.",
)


def big_tender(selections: int, *, lots: int = 4, participants: int = 290) -> TenderDocument:
    """The sample tender scaled up: `selections` requirements spread over `lots` lots, and
    `participants` municipalities each with a volume in every lot."""
    base = sample_tender()
    templates = _alarm_requirements()
    per_lot = [selections // lots + (1 if n < selections % lots else 0) for n in range(lots)]
    big_lots = tuple(
        Lot(
            id=f"lot-{n}",
            number=n,
            title=f"Delkontrakt {n}: velferdsteknologi",
            product_categories=("Digital trygghetsalarm",),
            price_weight=Decimal(40),
            quality_weight=Decimal(60),
            requirements=tuple(
                msgspec.structs.replace(template, id=f"{n}.{i}", statement=f"{template.statement} {template.rationale}".strip())
                for i, template in enumerate(islice(cycle(templates), count), 1)
            ),
        )
        for n, count in enumerate(per_lot, 1)
    )
    people = tuple(
        Participant(
            party=_party(n, f"Kommune nummer {n}"),
            mandate_date=date(2026, 1, 15),
            volumes=tuple(Volume(lot_id=lot.id, quantity=10 + n % 90, unit="stk") for lot in big_lots),
        )
        for n in range(1, participants + 1)
    )
    return msgspec.structs.replace(base, lots=big_lots, participants=people)


# ---- a joint tender as untidy as real life ------------------------------------------------------

NORDRE_LAND = _party(5, "Nordre Land kommune")
"""Confirmed, with a volume for lot 1 only (it wants no GPS alarms)."""
ETNEDAL = _party(6, "Etnedal kommune")
"""Confirmed, in two units for lot 1 and with no volume at all for lot 2."""
DECLINED = _party(7, "Gausdal kommune")
"""Invited and declined (with volumes it once estimated): never a participant, buyer or volume row."""
UNANSWERED = _party(8, "Sør-Aurdal kommune")
"""Invited and never answered: never a participant, buyer or volume row."""
NOT_PARTICIPATING = (DECLINED, UNANSWERED)


def untidy_tender(language: Language = "nb", **changes: object) -> TenderDocument:
    """The sample joint tender as the registry builds it after a messy round of invitations: the four
    municipalities of the sample, Nordre Land with no volume for lot 2, Etnedal counting lot 1 in two
    units and nothing for lot 2. Gausdal declined and Sør-Aurdal never answered, so, as the registry's
    snapshot rule says (tested against a real tender in tests/tenders/test_snapshot.py), neither is in it."""
    base = sample_tender(language)
    extra = (
        Participant(party=NORDRE_LAND, mandate_date=date(2026, 1, 20), volumes=(Volume(lot_id="lot-1", quantity=75, unit="stk"),)),
        Participant(
            party=ETNEDAL,
            mandate_date=date(2026, 1, 21),
            volumes=(Volume(lot_id="lot-1", quantity=30, unit="stk"), Volume(lot_id="lot-1", quantity=12, unit="abonnement")),
        ),
    )
    return msgspec.structs.replace(base, participants=(*base.participants, *extra), **changes)
