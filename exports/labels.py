"""Fixed texts and formats of the exported documents in every document language.

Each entry lists its translations side by side in the order of `LANGUAGES`, so a missing one is
visible at a glance (and a test checks all four exist with the same placeholders). Keys with a
dot name codes of the snapshot: ``kind.<RequirementKind>``, ``procedure.<Procedure>`` and so on.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import get_args
from zoneinfo import ZoneInfo

from exports.model import Language, Money

LANGUAGES: tuple[Language, ...] = get_args(Language)

_TABLE: dict[str, tuple[str, str, str, str]] = {
    # Formats (strftime patterns; `{}` is the number).
    "format.date": ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y"),
    "format.datetime": ("%Y-%m-%d %H:%M %Z", "%d.%m.%Y kl. %H:%M %Z", "%Y-%m-%d kl. %H:%M %Z", "%d.%m.%Y kl. %H:%M %Z"),
    "format.percent": ("{}%", "{} %", "{} %", "{} %"),
    "language_name": ("English", "norsk", "svenska", "dansk"),
    "language_tag": ("en-GB", "nb-NO", "sv-SE", "da-DK"),
    # Document names and page furniture.
    "tender_document": ("Tender document", "Konkurransegrunnlag", "Upphandlingsdokument", "Udbudsbetingelser"),
    "response_form": ("Response form", "Svarskjema", "Svarsformulär", "Besvarelsesskema"),
    "draft": ("DRAFT", "UTKAST", "UTKAST", "UDKAST"),
    "page": ("Page", "Side", "Sida", "Side"),
    "page_of": ("of", "av", "av", "af"),
    "version": ("version", "versjon", "version", "version"),
    "table_of_contents": ("Contents", "Innhold", "Innehåll", "Indhold"),
    "fallbacks": (
        "Shown in English for lack of a translation: {texts}",
        "Vist på engelsk fordi oversettelse mangler: {texts}",
        "Visas på engelska eftersom översättning saknas: {texts}",
        "Vist på engelsk, fordi oversættelse mangler: {texts}",
    ),
    # Cover and key facts.
    "reference": ("Reference", "Referanse", "Referens", "Reference"),
    "document_version": ("Document version", "Dokumentversjon", "Dokumentversion", "Dokumentversion"),
    "procedure": ("Procedure", "Prosedyre", "Förfarande", "Udbudsform"),
    "lead_buyer": (
        "Lead contracting authority",
        "Ansvarlig oppdragsgiver",
        "Ansvarig upphandlande myndighet",
        "Ansvarlig ordregiver",
    ),
    "participating_municipalities": (
        "Participating municipalities",
        "Deltakende kommuner",
        "Deltagande kommuner",
        "Deltagende kommuner",
    ),
    "participants_listed": (
        "{count} municipalities, listed under “{chapter}”.",
        "{count} kommuner, se «{chapter}».",
        "{count} kommuner, se ”{chapter}”.",
        "{count} kommuner, se »{chapter}«.",
    ),
    "date": ("Date", "Dato", "Datum", "Dato"),
    "published_at": ("Published", "Kunngjort", "Annonserad", "Offentliggjort"),
    "questions_deadline": (
        "Deadline for questions",
        "Frist for spørsmål",
        "Sista dag för frågor",
        "Frist for spørgsmål",
    ),
    "submission_deadline": ("Tender deadline", "Tilbudsfrist", "Sista anbudsdag", "Tilbudsfrist"),
    "planned_award": (
        "Planned award decision",
        "Planlagt tildelingsbeslutning",
        "Planerat tilldelningsbeslut",
        "Forventet tildelingsbeslutning",
    ),
    "contract_start": ("Contract start", "Kontraktsstart", "Avtalsstart", "Kontraktstart"),
    "contract_end": ("Contract end", "Kontraktsslutt", "Avtalsslut", "Kontraktophør"),
    "options": ("Options", "Opsjoner", "Optioner", "Optioner"),
    "estimated_value": (
        "Estimated total value",
        "Anslått samlet verdi",
        "Uppskattat totalt värde",
        "Anslået samlet værdi",
    ),
    "cpv_codes": ("CPV codes", "CPV-koder", "CPV-koder", "CPV-koder"),
    "lot": ("Lot", "Delkontrakt", "Delområde", "Delaftale"),
    "product_categories": ("Product categories", "Produktkategorier", "Produktkategorier", "Produktkategorier"),
    # Chapter headings.
    "introduction": (
        "Introduction and description of the need",
        "Innledning og beskrivelse av behovet",
        "Inledning och behovsbeskrivning",
        "Indledning og beskrivelse af behovet",
    ),
    "participants_and_volumes": (
        "Participants and estimated volumes",
        "Deltakere og estimerte volumer",
        "Deltagare och uppskattade volymer",
        "Deltagere og forventede mængder",
    ),
    "estimated_volumes": (
        "Estimated volumes per lot",
        "Estimerte volumer per delkontrakt",
        "Uppskattade volymer per delområde",
        "Forventede mængder pr. delaftale",
    ),
    "procedure_and_timeline": (
        "Procedure and timeline",
        "Prosedyre og tidsplan",
        "Förfarande och tidplan",
        "Udbudsform og tidsplan",
    ),
    "qualification_requirements": (
        "Qualification requirements",
        "Kvalifikasjonskrav",
        "Kvalificeringskrav",
        "Egnethedskrav",
    ),
    "requirement_specification": (
        "Requirement specification",
        "Kravspesifikasjon",
        "Kravspecifikation",
        "Kravspecifikation",
    ),
    "award_and_evaluation": (
        "Award criteria and evaluation model",
        "Tildelingskriterier og evalueringsmodell",
        "Tilldelningskriterier och utvärderingsmodell",
        "Tildelingskriterier og evalueringsmodel",
    ),
    "contract_conditions": ("Contract conditions", "Kontraktsvilkår", "Kontraktsvillkor", "Kontraktsvilkår"),
    "response_instructions": (
        "Supplier response instructions",
        "Instruksjoner for utarbeidelse av tilbud",
        "Instruktioner för anbudsgivning",
        "Vejledning til tilbudsgivning",
    ),
    "references": (
        "Standards and laws referenced",
        "Standarder og regelverk det vises til",
        "Standarder och författningar som det hänvisas till",
        "Standarder og lovgivning, der henvises til",
    ),
    "amendments": ("Amendments", "Endringer", "Ändringar", "Ændringer"),
    # Table headers.
    "col.id": ("ID", "ID", "ID", "ID"),
    "col.requirement": ("Requirement", "Krav", "Krav", "Krav"),
    "col.kind": ("Type", "Type", "Typ", "Type"),
    "col.weight": ("Weight", "Vekt", "Vikt", "Vægt"),
    "col.verification": ("Verification", "Dokumentasjon", "Verifikat", "Dokumentation"),
    "col.category": ("Category", "Kategori", "Kategori", "Kategori"),
    "col.municipality": ("Municipality", "Kommune", "Kommun", "Kommune"),
    "col.org_number": ("Organisation no.", "Org.nr.", "Org.nr", "Org.nr."),
    "contact_point": ("Questions about this tender", "Spørsmål om konkurransen", "Frågor om upphandlingen", "Spørgsmål om udbuddet"),
    "col.mandate": ("Mandate decided", "Fullmakt vedtatt", "Beslut om deltagande", "Beslutning om deltagelse"),
    "col.milestone": ("Milestone", "Aktivitet", "Aktivitet", "Aktivitet"),
    "col.criterion": ("Criterion", "Kriterium", "Kriterium", "Kriterium"),
    "col.scoring": (
        "Scoring guidance",
        "Veiledning for poengsetting",
        "Vägledning för poängsättning",
        "Vejledning til pointgivning",
    ),
    "col.identifier": ("Identifier", "Betegnelse", "Beteckning", "Betegnelse"),
    "col.title": ("Title", "Tittel", "Titel", "Titel"),
    "col.year": ("Year", "År", "År", "År"),
    "col.clause": ("Clause", "Punkt", "Avsnitt", "Afsnit"),
    "col.number": ("No.", "Nr.", "Nr", "Nr."),
    "col.change": ("Change", "Endring", "Ändring", "Ændring"),
    "col.reason": ("Reason", "Begrunnelse", "Skäl", "Begrundelse"),
    "col.compliance": ("Requirement met", "Oppfylt", "Uppfyllt", "Opfyldt"),
    "col.answer": ("Supplier's answer", "Leverandørens svar", "Leverantörens svar", "Leverandørens svar"),
    "col.evidence": (
        "Reference to attached evidence",
        "Henvisning til vedlegg",
        "Hänvisning till bilaga",
        "Henvisning til bilag",
    ),
    "total": ("Total", "Sum", "Summa", "I alt"),
    "price": ("Price", "Pris", "Pris", "Pris"),
    "quality": ("Quality", "Kvalitet", "Kvalitet", "Kvalitet"),
    "rationale": ("Rationale", "Begrunnelse", "Motiv", "Begrundelse"),
    "note": ("Note", "Merknad", "Anmärkning", "Bemærkning"),
    "level": ("Level", "Nivå", "Nivå", "Niveau"),
    "yes": ("Yes", "Ja", "Ja", "Ja"),
    "no": ("No", "Nei", "Nej", "Nej"),
    "invalid_answer": ("Invalid answer", "Ugyldig svar", "Ogiltigt svar", "Ugyldigt svar"),
    "choose_yes_no": (
        "Choose {yes} or {no}.",
        "Velg {yes} eller {no}.",
        "Välj {yes} eller {no}.",
        "Vælg {yes} eller {no}.",
    ),
    # Response form (XLSX).
    "sheet.cover": ("Cover", "Forside", "Försättsblad", "Forside"),
    "sheet.instructions": ("Instructions", "Veiledning", "Instruktioner", "Vejledning"),
    "sheet.lots": ("Lots", "Delkontrakter", "Delområden", "Delaftaler"),
    "sheet.prices": ("Prices", "Priser", "Priser", "Priser"),
    "supplier": ("Supplier", "Leverandør", "Leverantör", "Leverandør"),
    "supplier_name": ("Supplier name", "Leverandørens navn", "Leverantörens namn", "Leverandørens navn"),
    "contact_person": ("Contact person", "Kontaktperson", "Kontaktperson", "Kontaktperson"),
    "email": ("Email", "E-post", "E-post", "E-mail"),
    "phone": ("Phone", "Telefon", "Telefon", "Telefon"),
    "signatory": ("Signatory (name)", "Signert av (navn)", "Undertecknare (namn)", "Underskriver (navn)"),
    "enter_date": ("Enter a date.", "Skriv inn en dato.", "Ange ett datum.", "Indtast en dato."),
    "enter_email": ("Enter an email address.", "Skriv inn en e-postadresse.", "Ange en e-postadress.", "Indtast en e-mailadresse."),
    "enter_price": (
        "Enter a number of 0 or more.",
        "Skriv inn et tall som er 0 eller større.",
        "Ange ett tal som är 0 eller större.",
        "Indtast et tal på 0 eller derover.",
    ),
    "col.acceptance": ("Acceptance", "Aksept", "Godkännande", "Accept"),
    "accepted": ("Accepted", "Akseptert", "Godkänns", "Accepteret"),
    "not_accepted": ("Not accepted", "Ikke akseptert", "Godkänns inte", "Ikke accepteret"),
    "col.bid": ("We bid for this lot", "Vi gir tilbud", "Vi lämnar anbud", "Vi afgiver tilbud"),
    "col.price_weight": ("Price weight", "Vekt pris", "Vikt pris", "Vægt pris"),
    "col.quality_weight": ("Quality weight", "Vekt kvalitet", "Vikt kvalitet", "Vægt kvalitet"),
    "col.unit": ("Unit", "Enhet", "Enhet", "Enhed"),
    "col.quantity": ("Estimated quantity", "Estimert antall", "Uppskattad mängd", "Forventet mængde"),
    "col.unit_price": ("Unit price", "Enhetspris", "Styckpris", "Enhedspris"),
    "col.line_total": ("Line total", "Sum linje", "Radsumma", "Linjesum"),
    "evaluated_total": ("Evaluated total price", "Evaluert totalpris", "Totalpris för utvärdering", "Evalueret samlet pris"),
    "whole_lot": ("Whole lot", "Hele delkontrakten", "Hela delområdet", "Hele delaftalen"),
    "lots_per_bid": (
        "You may bid for at most {count} lots.",
        "Det kan gis tilbud på høyst {count} delkontrakter.",
        "Anbud får lämnas på högst {count} delområden.",
        "Der kan afgives tilbud på højst {count} delaftaler.",
    ),
    "fill_heading": (
        "How to fill in the response form",
        "Slik fyller du ut svarskjemaet",
        "Så fyller du i svarsformuläret",
        "Sådan udfylder du besvarelsesskemaet",
    ),
    "fill_cover": (
        "Fill in the supplier's details on the sheet “{sheet}”.",
        "Fyll ut leverandørens opplysninger på arket «{sheet}».",
        "Fyll i leverantörens uppgifter på bladet ”{sheet}”.",
        "Udfyld leverandørens oplysninger på arket »{sheet}«.",
    ),
    "fill_lots": (
        "Mark on the sheet “{sheet}” which lots you bid for ({yes}/{no}).",
        "Marker på arket «{sheet}» hvilke delkontrakter dere gir tilbud på ({yes}/{no}).",
        "Markera på bladet ”{sheet}” vilka delområden ni lämnar anbud på ({yes}/{no}).",
        "Markér på arket »{sheet}«, hvilke delaftaler I afgiver tilbud på ({yes}/{no}).",
    ),
    "fill_requirements": (
        "Answer every requirement on the requirement sheet of each lot you bid for, in the columns its kind asks for:",
        "Besvar hvert krav på kravarket for hver delkontrakt dere gir tilbud på, i kolonnene kravets type ber om:",
        "Besvara varje krav på kravbladet för varje delområde ni lämnar anbud på, i de kolumner kravets typ anger:",
        "Besvar hvert krav på kravarket for hver delaftale, I afgiver tilbud på, i de kolonner kravets type angiver:",
    ),
    "fill_compliance": (
        "{kinds}: “{met}” ({yes}/{no}) and “{evidence}”. A tender that does not meet one of them will be rejected.",
        "{kinds}: «{met}» ({yes}/{no}) og «{evidence}». Et tilbud som ikke oppfyller ett av dem, vil bli avvist.",
        "{kinds}: ”{met}” ({yes}/{no}) och ”{evidence}”. Ett anbud som inte uppfyller ett av dem kommer att förkastas.",
        "{kinds}: »{met}« ({yes}/{no}) og »{evidence}«. Et tilbud, der ikke opfylder et af dem, vil blive afvist.",
    ),
    "fill_award": (
        "{kinds}: “{answer}”, describing how the offered solution meets the criterion, and “{evidence}”. "
        "The answer is scored according to the evaluation model.",
        "{kinds}: «{answer}», som beskriver hvordan den tilbudte løsningen oppfyller kriteriet, og «{evidence}». "
        "Svaret poengsettes etter evalueringsmodellen.",
        "{kinds}: ”{answer}”, som beskriver hur den erbjudna lösningen uppfyller kriteriet, och ”{evidence}”. "
        "Svaret poängsätts enligt utvärderingsmodellen.",
        "{kinds}: »{answer}«, der beskriver, hvordan den tilbudte løsning opfylder kriteriet, og »{evidence}«. "
        "Besvarelsen bedømmes efter evalueringsmodellen.",
    ),
    "fill_conditions": (
        "{kinds}: “{acceptance}” ({accepted}/{not_accepted}).",
        "{kinds}: «{acceptance}» ({accepted}/{not_accepted}).",
        "{kinds}: ”{acceptance}” ({accepted}/{not_accepted}).",
        "{kinds}: »{acceptance}« ({accepted}/{not_accepted}).",
    ),
    "fill_locked": (
        "Only the shaded cells are for answers. The other cells are locked and must not be changed.",
        "Bare de fargede cellene skal fylles ut. De andre cellene er låst og skal ikke endres.",
        "Endast de färgade cellerna ska fyllas i. Övriga celler är låsta och får inte ändras.",
        "Kun de farvede celler skal udfyldes. De øvrige celler er låst og må ikke ændres.",
    ),
    "fill_prices": (
        "Enter a unit price on every line of the sheet “{sheet}” of each lot you bid for. The quantities are the participants' "
        "estimated volumes; the line totals and the evaluated total price are calculated.",
        "Fyll inn enhetspris på hver linje på arket «{sheet}» for hver delkontrakt dere gir tilbud på. Antallene er deltakernes "
        "estimerte volumer; linjesummene og den evaluerte totalprisen beregnes.",
        "Ange styckpris på varje rad på bladet ”{sheet}” för varje delområde ni lämnar anbud på. Mängderna är deltagarnas "
        "uppskattade volymer; radsummorna och totalpriset för utvärdering beräknas.",
        "Angiv enhedspris på hver linje på arket »{sheet}« for hver delaftale, I afgiver tilbud på. Mængderne er deltagernes "
        "forventede mængder; linjesummerne og den evaluerede samlede pris beregnes.",
    ),
    "prices_in": (
        "State prices in {currency}.",
        "Oppgi priser i {currency}.",
        "Ange priser i {currency}.",
        "Angiv priser i {currency}.",
    ),
    "submit_via": (
        "Submit the tender, with this form and its attachments, through {system} ({url}) by {deadline}.",
        "Lever tilbudet, med dette skjemaet og vedleggene, i {system} ({url}) innen {deadline}.",
        "Lämna anbudet, med detta formulär och bilagorna, i {system} ({url}) senast {deadline}.",
        "Afgiv tilbuddet, med dette skema og bilagene, i {system} ({url}) senest {deadline}.",
    ),
    "submit_by": (
        "Submit the tender, with this form and its attachments, by {deadline}.",
        "Lever tilbudet, med dette skjemaet og vedleggene, innen {deadline}.",
        "Lämna anbudet, med detta formulär och bilagorna, senast {deadline}.",
        "Afgiv tilbuddet, med dette skema og bilagene, senest {deadline}.",
    ),
    "validity": (
        "The tender is binding for {days} days after the tender deadline.",
        "Tilbudet er bindende i {days} dager etter tilbudsfristen.",
        "Anbudet är bindande i {days} dagar efter sista anbudsdag.",
        "Tilbuddet er bindende i {days} dage efter tilbudsfristen.",
    ),
    "none": (
        "No requirements of this type.",
        "Ingen krav av denne typen.",
        "Inga krav av detta slag.",
        "Ingen krav af denne type.",
    ),
    # Word documents (tender document and contract annex).
    "org_number.NO": ("Organisation no.", "Org.nr.", "Org.nr", "Org.nr."),
    "org_number.SE": ("Organisation no.", "Org.nr.", "Org.nr", "Org.nr."),
    "org_number.DK": ("CVR no.", "CVR-nr.", "CVR-nr", "CVR-nr."),
    "org_number.FI": ("Business ID", "Y-tunnus", "FO-nummer", "Y-tunnus"),
    "doc.contract_annex": ("Contract conditions", "Kontraktsvilkår", "Kontraktsvillkor", "Kontraktsvilkår"),
    "doc.annex_to": (
        "Annex to the tender document {reference}",
        "Vedlegg til konkurransegrunnlag {reference}",
        "Bilaga till upphandlingsdokument {reference}",
        "Bilag til udbudsbetingelser {reference}",
    ),
    "doc.governed_by": (
        "The procurement is carried out under {act}.",
        "Anskaffelsen gjennomføres etter {act}.",
        "Upphandlingen genomförs enligt {act}.",
        "Udbuddet gennemføres efter {act}.",
    ),
    "doc.instructions": (
        "Instructions to tenderers",
        "Regler for gjennomføring av konkurransen",
        "Anvisningar till anbudsgivare",
        "Regler for afgivelse af tilbud",
    ),
    "doc.submission": ("Submission of tenders", "Innlevering av tilbud", "Inlämning av anbud", "Afgivelse af tilbud"),
    "doc.submit_through": (
        "Tenders shall be submitted electronically through {system} ({url}) no later than {deadline}. "
        "Tenders submitted by other means or after the deadline will be rejected.",
        "Tilbud skal leveres elektronisk i {system} ({url}) innen {deadline}. "
        "Tilbud som leveres på annen måte eller etter fristen, vil bli avvist.",
        "Anbud ska lämnas elektroniskt i {system} ({url}) senast {deadline}. "
        "Anbud som lämnas på annat sätt eller för sent kommer inte att prövas.",
        "Tilbud skal afgives elektronisk via {system} ({url}) senest {deadline}. "
        "Tilbud, der afgives på anden måde eller efter fristen, vil blive afvist.",
    ),
    "doc.submit_by": (
        "Tenders shall be received no later than {deadline}. Tenders received after the deadline will be rejected.",
        "Tilbud må være mottatt innen {deadline}. Tilbud som mottas etter fristen, vil bli avvist.",
        "Anbud ska ha kommit in senast {deadline}. Anbud som kommer in för sent kommer inte att prövas.",
        "Tilbud skal være modtaget senest {deadline}. Tilbud, der modtages efter fristen, vil blive afvist.",
    ),
    "doc.written_in": (
        "The tender and the documentation attached to it shall be written in {language}.",
        "Tilbudet og dokumentasjonen som legges ved, skal være skrevet på {language}.",
        "Anbudet och de handlingar som bifogas ska vara skrivna på {language}.",
        "Tilbuddet og den vedlagte dokumentation skal være affattet på {language}.",
    ),
    "doc.questions": ("Questions and clarifications", "Spørsmål og avklaringer", "Frågor och förtydliganden", "Spørgsmål og afklaringer"),
    "doc.questions_in_system": (
        "Questions about the tender documents shall be asked through {system} no later than {deadline}. "
        "Questions and answers are published, without naming who asked, to all suppliers.",
        "Spørsmål om konkurransegrunnlaget skal stilles i {system} innen {deadline}. "
        "Spørsmål og svar publiseres anonymisert til alle leverandører.",
        "Frågor om upphandlingsdokumenten ska ställas i {system} senast {deadline}. "
        "Frågor och svar publiceras anonymiserade för alla leverantörer.",
        "Spørgsmål til udbudsmaterialet skal stilles via {system} senest {deadline}. "
        "Spørgsmål og svar offentliggøres i anonymiseret form for alle tilbudsgivere.",
    ),
    "doc.questions_by_email": (
        "Questions about the tender documents shall be sent by email to {contact} ({email}) no later than {deadline}. "
        "Questions and answers are published, without naming who asked, to all suppliers.",
        "Spørsmål om konkurransegrunnlaget skal sendes på e-post til {contact} ({email}) innen {deadline}. "
        "Spørsmål og svar publiseres anonymisert til alle leverandører.",
        "Frågor om upphandlingsdokumenten ska skickas med e-post till {contact} ({email}) senast {deadline}. "
        "Frågor och svar publiceras anonymiserade för alla leverantörer.",
        "Spørgsmål til udbudsmaterialet skal sendes pr. e-mail til {contact} ({email}) senest {deadline}. "
        "Spørgsmål og svar offentliggøres i anonymiseret form for alle tilbudsgivere.",
    ),
    "doc.lots_and_variants": (
        "Lots, variants and reservations",
        "Delkontrakter, alternative tilbud og forbehold",
        "Delområden, alternativa anbud och reservationer",
        "Delaftaler, alternative tilbud og forbehold",
    ),
    "doc.bid_any_lots": (
        "A supplier may bid for one, several or all lots.",
        "Leverandøren kan gi tilbud på én, flere eller alle delkontrakter.",
        "Anbudsgivaren får lämna anbud på ett, flera eller alla delområden.",
        "Tilbudsgiveren kan afgive tilbud på én, flere eller alle delaftaler.",
    ),
    "doc.bid_max_lots": (
        "A supplier may bid for at most {count} of the lots.",
        "Leverandøren kan gi tilbud på inntil {count} av delkontraktene.",
        "Anbudsgivaren får lämna anbud på högst {count} av delområdena.",
        "Tilbudsgiveren kan afgive tilbud på højst {count} af delaftalerne.",
    ),
    "doc.award_max_lots": (
        "One supplier will be awarded at most {count} of the lots.",
        "Én leverandør kan tildeles høyst {count} av delkontraktene.",
        "En anbudsgivare kan tilldelas högst {count} av delområdena.",
        "Én tilbudsgiver kan højst få tildelt {count} af delaftalerne.",
    ),
    "doc.variants_allowed": (
        "Variants (alternative tenders) are accepted.",
        "Alternative tilbud aksepteres.",
        "Alternativa anbud är tillåtna.",
        "Alternative tilbud er tilladt.",
    ),
    "doc.variants_refused": (
        "Variants (alternative tenders) are not accepted.",
        "Alternative tilbud aksepteres ikke.",
        "Alternativa anbud är inte tillåtna.",
        "Alternative tilbud er ikke tilladt.",
    ),
    "doc.reservations_allowed": (
        "A tender may contain reservations against the contract conditions. Each reservation shall be stated clearly; "
        "where possible it is priced in the evaluation.",
        "Tilbudet kan inneholde forbehold mot kontraktsvilkårene. Hvert forbehold skal angis tydelig og vil om mulig "
        "bli prissatt i evalueringen.",
        "Anbudet får innehålla reservationer mot kontraktsvillkoren. Varje reservation ska anges tydligt och prissätts "
        "om möjligt vid utvärderingen.",
        "Tilbuddet kan indeholde forbehold over for kontraktsvilkårene. Hvert forbehold skal angives tydeligt og "
        "prissættes så vidt muligt ved evalueringen.",
    ),
    "doc.reservations_refused": (
        "Reservations against the contract conditions are not accepted: a tender with material reservations will be rejected.",
        "Det aksepteres ikke forbehold mot kontraktsvilkårene: et tilbud med vesentlige forbehold vil bli avvist.",
        "Reservationer mot kontraktsvillkoren godtas inte: ett anbud med väsentliga reservationer kommer inte att prövas.",
        "Forbehold over for kontraktsvilkårene accepteres ikke: et tilbud med forbehold over for grundlæggende elementer "
        "vil blive afvist.",
    ),
    "doc.espd": (
        "European Single Procurement Document (ESPD)",
        "Egenerklæringsskjema (ESPD)",
        "Europeiskt enhetligt upphandlingsdokument (ESPD)",
        "Det fælles europæiske udbudsdokument (ESPD)",
    ),
    "doc.exclusion": ("Exclusion grounds", "Avvisningsgrunner", "Uteslutningsgrunder", "Udelukkelsesgrunde"),
    "doc.discretionary_intro": (
        "The contracting authority also applies the following discretionary exclusion grounds:",
        "Oppdragsgiver vil i tillegg avvise en leverandør på følgende grunnlag:",
        "Den upphandlande myndigheten tillämpar dessutom följande fakultativa uteslutningsgrunder:",
        "Ordregiver anvender desuden følgende frivillige udelukkelsesgrunde:",
    ),
    "doc.evaluation_price_words": (
        "The tender with the lowest evaluated price receives the full price weight; the others receive points in "
        "proportion to how their price compares with the lowest:",
        "Tilbudet med lavest evaluert pris får full uttelling for pris; de andre tilbudene får poeng forholdsmessig "
        "etter hvordan prisen står seg mot den laveste:",
        "Anbudet med lägst utvärderat pris får full poäng för pris; övriga anbud får poäng i proportion till hur "
        "deras pris förhåller sig till det lägsta:",
        "Tilbuddet med den laveste evaluerede pris får fuldt point for pris; de øvrige tilbud får point "
        "forholdsmæssigt efter, hvordan deres pris forholder sig til den laveste:",
    ),
    "doc.agreement": ("The agreement", "Avtalen", "Avtalet", "Aftalen"),
    "doc.agreement_contract": (
        "The contracting authority will sign a contract with one supplier for each lot.",
        "Oppdragsgiver vil inngå kontrakt med én leverandør for hver delkontrakt.",
        "Den upphandlande myndigheten kommer att teckna kontrakt med en leverantör för varje delområde.",
        "Ordregiver vil indgå kontrakt med én leverandør for hver delaftale.",
    ),
    "doc.framework_one": (
        "A framework agreement will be concluded with one supplier for each lot.",
        "Det vil bli inngått rammeavtale med én leverandør for hver delkontrakt.",
        "Ramavtal kommer att tecknas med en leverantör för varje delområde.",
        "Der indgås rammeaftale med én leverandør for hver delaftale.",
    ),
    "doc.framework_many": (
        "A framework agreement will be concluded with up to {count} suppliers for each lot, ranked by their result in the evaluation.",
        "Det vil bli inngått rammeavtale med inntil {count} leverandører for hver delkontrakt, rangert etter resultatet i evalueringen.",
        "Ramavtal kommer att tecknas med upp till {count} leverantörer för varje delområde, rangordnade efter resultatet i utvärderingen.",
        "Der indgås rammeaftale med op til {count} leverandører for hver delaftale, rangeret efter resultatet af evalueringen.",
    ),
    "call_off.ranking": (
        "Call-offs are made by direct award following the ranking: the highest-ranked supplier is asked first, and the "
        "next in rank if it cannot deliver.",
        "Avrop gjøres ved direkte tildeling etter rangering: den høyest rangerte leverandøren forespørres først, og den "
        "neste i rangeringen dersom den ikke kan levere.",
        "Avrop sker genom direkt tilldelning enligt rangordning: den högst rangordnade leverantören tillfrågas först, och "
        "nästa i rangordningen om den inte kan leverera.",
        "Ordrer tildeles direkte efter rangordning: den højest rangerede leverandør spørges først, og den næste i "
        "rangordenen, hvis den ikke kan levere.",
    ),
    "call_off.mini_competition": (
        "Call-offs are made by mini-competition among the framework suppliers.",
        "Avrop gjøres ved minikonkurranse mellom rammeavtaleleverandørene.",
        "Avrop sker genom förnyad konkurrensutsättning mellan ramavtalsleverantörerna.",
        "Ordrer tildeles ved miniudbud blandt rammeaftaleleverandørerne.",
    ),
    "call_off.ranking_or_mini_competition": (
        "Call-offs are made by direct award following the ranking or by mini-competition among the framework suppliers, "
        "according to the call-off rules of the framework agreement.",
        "Avrop gjøres ved direkte tildeling etter rangering eller ved minikonkurranse mellom rammeavtaleleverandørene, "
        "etter rammeavtalens regler for avrop.",
        "Avrop sker genom direkt tilldelning enligt rangordning eller genom förnyad konkurrensutsättning mellan "
        "ramavtalsleverantörerna, enligt ramavtalets regler för avrop.",
        "Ordrer tildeles direkte efter rangordning eller ved miniudbud blandt rammeaftaleleverandørerne efter "
        "rammeaftalens regler for tildeling af ordrer.",
    ),
    "doc.maximum_intro": (
        "Call-offs over the whole term of the framework agreement may not exceed the maximum of the lot; when it is "
        "reached, the framework agreement ends for that lot.",
        "Samlede avrop i hele rammeavtalens løpetid kan ikke overstige delkontraktens maksimum; når det er nådd, "
        "opphører rammeavtalen for delkontrakten.",
        "Avropen under ramavtalets hela löptid får inte överstiga delområdets högsta värde eller mängd; när det har "
        "nåtts upphör ramavtalet att gälla för delområdet.",
        "Ordrer i hele rammeaftalens løbetid må ikke overstige delaftalens maksimum; når det er nået, ophører "
        "rammeaftalen for delaftalen.",
    ),
    "col.maximum_value": ("Maximum value", "Maksimal verdi", "Högsta värde", "Maksimal værdi"),
    "col.maximum_quantity": ("Maximum quantity", "Maksimal mengde", "Högsta mängd", "Maksimal mængde"),
    "doc.contract_term": ("Contract period", "Avtaleperiode", "Avtalsperiod", "Aftaleperiode"),
    "doc.option_once": (
        "The contracting authority may extend the contract once by {months} months.",
        "Oppdragsgiver har opsjon på å forlenge avtalen én gang med {months} måneder.",
        "Den upphandlande myndigheten har option att förlänga avtalet en gång med {months} månader.",
        "Ordregiver har option på at forlænge aftalen én gang med {months} måneder.",
    ),
    "doc.options_times": (
        "The contracting authority may extend the contract {count} times by {months} months each.",
        "Oppdragsgiver har opsjon på å forlenge avtalen {count} ganger med {months} måneder hver gang.",
        "Den upphandlande myndigheten har option att förlänga avtalet {count} gånger med {months} månader åt gången.",
        "Ordregiver har option på at forlænge aftalen {count} gange med {months} måneder ad gangen.",
    ),
    "doc.total_term": (
        "The total term, options included, is at most {months} months.",
        "Samlet varighet inkludert opsjoner er inntil {months} måneder.",
        "Den totala löptiden inklusive optioner är högst {months} månader.",
        "Den samlede løbetid inklusive optioner er højst {months} måneder.",
    ),
    "doc.duration_justification": (
        "Why the term exceeds four years",
        "Begrunnelse for varighet over fire år",
        "Skäl för en löptid över fyra år",
        "Begrundelse for en løbetid over fire år",
    ),
    "doc.labour_clauses": ("Pay and working conditions", "Lønns- og arbeidsvilkår", "Arbetsrättsliga villkor", "Arbejdsklausul"),
    "doc.special_conditions": (
        "Special contract conditions",
        "Særlige kontraktsvilkår",
        "Särskilda kontraktsvillkor",
        "Særlige kontraktsvilkår",
    ),
    "doc.review": (
        "Standstill, review and public access",
        "Karensperiode, klage og innsyn",
        "Avtalsspärr, överprövning och offentlighet",
        "Standstill, klage og aktindsigt",
    ),
    "doc.standstill": ("Standstill period", "Karensperiode", "Avtalsspärr", "Standstillperiode"),
    "doc.review_body": ("Review", "Klage", "Överprövning", "Klageadgang"),
    "doc.review_at": (
        "Complaints may be brought before {body}: {url}.",
        "Klage kan bringes inn for {body}: {url}.",
        "Ansökan om överprövning görs hos {body}: {url}.",
        "Klage kan indgives til {body}: {url}.",
    ),
    "doc.public_access": ("Public access to tenders", "Innsyn i tilbud", "Offentlighet och sekretess", "Aktindsigt i tilbud"),
    "doc.annexes": ("Annexes", "Vedlegg", "Bilagor", "Bilag"),
    "doc.annexes_intro": (
        "The tender documents consist of:",
        "Konkurransegrunnlaget består av:",
        "Upphandlingsdokumenten består av:",
        "Udbudsmaterialet består af:",
    ),
    "doc.annex_this": (
        "{name}, version {version} (this document)",
        "{name}, versjon {version} (dette dokumentet)",
        "{name}, version {version} (detta dokument)",
        "{name}, version {version} (dette dokument)",
    ),
    "doc.annex_ocds": (
        "Procurement data in the Open Contracting Data Standard (OCDS, JSON)",
        "Anskaffelsesdata etter Open Contracting Data Standard (OCDS, JSON)",
        "Upphandlingsdata enligt Open Contracting Data Standard (OCDS, JSON)",
        "Udbudsdata efter Open Contracting Data Standard (OCDS, JSON)",
    ),
    # Codes of the snapshot.
    "kind.qualification": ("Qualification requirement", "Kvalifikasjonskrav", "Kvalificeringskrav", "Egnethedskrav"),
    "kind.mandatory": ("Mandatory requirement", "Minstekrav", "Obligatoriskt krav", "Mindstekrav"),
    "kind.award": ("Award criterion", "Tildelingskriterium", "Tilldelningskriterium", "Tildelingskriterium"),
    "kind.contract_condition": ("Contract condition", "Kontraktsvilkår", "Kontraktsvillkor", "Kontraktsvilkår"),
    "level.basic": ("Basic", "Grunnleggende", "Basnivå", "Basisniveau"),
    "level.advanced": ("Advanced", "Avansert", "Avancerad nivå", "Avanceret niveau"),
    "level.spearhead": ("Spearhead", "Spydspiss", "Spjutspetsnivå", "Spydspidsniveau"),
    "country.NO": ("Norway", "Norge", "Norge", "Norge"),
    "country.SE": ("Sweden", "Sverige", "Sverige", "Sverige"),
    "country.DK": ("Denmark", "Danmark", "Danmark", "Danmark"),
    "country.FI": ("Finland", "Finland", "Finland", "Finland"),
    "reference.standard": ("Standard", "Standard", "Standard", "Standard"),
    "reference.law": ("Law", "Lov og forskrift", "Författning", "Lovgivning"),
    "reference.guidance": ("Guidance", "Veileder", "Vägledning", "Vejledning"),
    "procedure.open": ("Open procedure", "Åpen anbudskonkurranse", "Öppet förfarande", "Offentligt udbud"),
    "procedure.restricted": (
        "Restricted procedure",
        "Begrenset anbudskonkurranse",
        "Selektivt förfarande",
        "Begrænset udbud",
    ),
    "procedure.negotiated": (
        "Competitive procedure with negotiation",
        "Konkurranse med forhandling",
        "Förhandlat förfarande med föregående annonsering",
        "Udbud med forhandling",
    ),
    "procedure.competitive_dialogue": (
        "Competitive dialogue",
        "Konkurransepreget dialog",
        "Konkurrenspräglad dialog",
        "Konkurrencepræget dialog",
    ),
    "procedure.mini_competition": (
        "Mini-competition under a framework agreement",
        "Minikonkurranse under rammeavtale",
        "Förnyad konkurrensutsättning inom ramavtal",
        "Miniudbud under rammeaftale",
    ),
    "procedure.dynamic_purchasing_system": (
        "Dynamic purchasing system",
        "Dynamisk innkjøpsordning",
        "Dynamiskt inköpssystem",
        "Dynamisk indkøbssystem",
    ),
    # Running text.
    "joint_procurement": (
        "{lead} carries out this procurement on behalf of the participating municipalities listed in this "
        "document (in total {count}).",
        "{lead} gjennomfører denne anskaffelsen på vegne av de deltakende kommunene som er oppført i dette "
        "dokumentet (totalt {count}).",
        "{lead} genomför denna upphandling för de deltagande kommuner som anges i detta dokument (totalt {count}).",
        "{lead} gennemfører dette udbud på vegne af de deltagende kommuner, der fremgår af dette dokument "
        "(i alt {count}).",
    ),
    "lots_intro": (
        "The procurement is divided into the following lots:",
        "Anskaffelsen er delt inn i følgende delkontrakter:",
        "Upphandlingen är uppdelad i följande delområden:",
        "Udbuddet er opdelt i følgende delaftaler:",
    ),
    "contract_period": (
        "The contract runs from {start} to {end}.",
        "Kontrakten løper fra {start} til {end}.",
        "Avtalet gäller från {start} till {end}.",
        "Kontrakten løber fra {start} til {end}.",
    ),
    "contract_intro": (
        "The following special contract conditions apply in addition to the general terms of the contract.",
        "Følgende særlige kontraktsvilkår gjelder i tillegg til kontraktens alminnelige vilkår.",
        "Följande särskilda kontraktsvillkor gäller utöver avtalets allmänna villkor.",
        "Følgende særlige kontraktsvilkår gælder ud over kontraktens almindelige vilkår.",
    ),
    "evaluation_intro": (
        "Tenders are evaluated per lot on price and quality, weighted as shown below.",
        "Tilbudene evalueres per delkontrakt på pris og kvalitet, vektet som vist nedenfor.",
        "Anbuden utvärderas per delområde utifrån pris och kvalitet, viktade enligt nedan.",
        "Tilbuddene evalueres pr. delaftale på pris og kvalitet, vægtet som vist nedenfor.",
    ),
    "evaluation_scale": (
        "Each award criterion is scored from 0 to {max}, where {max} is best. The criterion's points are the "
        "score divided by {max}, multiplied by its weight.",
        "Hvert tildelingskriterium gis en score fra 0 til {max}, der {max} er best. Kriteriets poeng er "
        "scoren delt på {max}, multiplisert med vekten.",
        "Varje tilldelningskriterium bedöms på en skala från 0 till {max}, där {max} är bäst. Kriteriets "
        "poäng är betyget delat med {max}, multiplicerat med vikten.",
        "Hvert tildelingskriterium bedømmes på en skala fra 0 til {max}, hvor {max} er bedst. Kriteriets "
        "point er karakteren divideret med {max}, ganget med vægten.",
    ),
    "added_value_per_point": ("{amount} per point", "{amount} per poeng", "{amount} per poäng", "{amount} pr. point"),
    "evaluation_added_value": (
        "Criteria given as an amount per point are scored on their scale, and each point deducts that amount from the offered"
        " price: the evaluated price is the offered price less the deductions.",
        "Kriterier angitt som et beløp per poeng vurderes etter sin skala, og hvert poeng trekker beløpet fra tilbudt pris:"
        " evaluert pris er tilbudt pris minus fradragene.",
        "Kriterier som anges som ett belopp per poäng bedöms enligt sin skala, och varje poäng dras av med beloppet från"
        " anbudets pris: det utvärderade priset är anbudets pris minus avdragen (mervärdesmodell).",
        "Kriterier angivet som et beløb pr. point vurderes efter deres skala, og hvert point trækker beløbet fra den tilbudte"
        " pris: den evaluerede pris er den tilbudte pris minus fradragene.",
    ),
    "scale_of": ("Scoring scale: {criterion}", "Poengskala: {criterion}", "Poängskala: {criterion}", "Pointskala: {criterion}"),
    "col.points": ("Points", "Poeng", "Poäng", "Point"),
    "col.descriptor": ("What earns them", "Hva som gir poengene", "Vad som ger poängen", "Hvad der giver pointene"),
    "evaluation_price": (
        "Price points = lowest evaluated price ÷ offered price × price weight.",
        "Prispoeng = laveste evaluerte pris ÷ tilbudt pris × vekt for pris.",
        "Prispoäng = lägsta utvärderade pris ÷ anbudets pris × prisets vikt.",
        "Prispoint = laveste evaluerede pris ÷ tilbudt pris × prisens vægt.",
    ),
    "evaluation_winner": (
        "The tender with the highest total points wins the lot.",
        "Tilbudet med høyest samlet poengsum vinner delkontrakten.",
        "Anbudet med högst total poäng tilldelas delområdet.",
        "Tilbuddet med det højeste samlede pointtal vinder delaftalen.",
    ),
    "lot_weights": (
        "Price {price}, quality {quality}.",
        "Pris {price}, kvalitet {quality}.",
        "Pris {price}, kvalitet {quality}.",
        "Pris {price}, kvalitet {quality}.",
    ),
    # OCDS release package
    "ocds.item": ("{lot} for {buyer}", "{lot} til {buyer}", "{lot} till {buyer}", "{lot} til {buyer}"),
    "ocds.options": (
        "The buyer may extend the contract {count} times by {months} months each.",
        "Oppdragsgiver kan forlenge kontrakten {count} ganger med {months} måneder hver gang.",
        "Den upphandlande myndigheten kan förlänga avtalet {count} gånger med {months} månader i taget.",
        "Ordregiver kan forlænge kontrakten {count} gange med {months} måneder ad gangen.",
    ),
    "ocds.lot_maximum": (
        "At most {quantity} {unit} may be called off over the agreement's term.",
        "Det kan avropes høyst {quantity} {unit} i avtalens løpetid.",
        "Högst {quantity} {unit} får avropas under avtalets löptid.",
        "Der kan højst trækkes {quantity} {unit} på aftalen i dens løbetid.",
    ),
    "ocds.submission": (
        "Tenders are submitted electronically through {system}: {url}",
        "Tilbud leveres elektronisk i {system}: {url}",
        "Anbud lämnas elektroniskt i {system}: {url}",
        "Tilbud afgives elektronisk i {system}: {url}",
    ),
    "ocds.discretionary_grounds": (
        "The buyer may also reject a supplier on these grounds: {grounds}",
        "Oppdragsgiver kan også avvise en leverandør på disse grunnlagene: {grounds}",
        "Den upphandlande myndigheten får även utesluta en leverantör på dessa grunder: {grounds}",
        "Ordregiver kan også udelukke en tilbudsgiver af disse grunde: {grounds}",
    ),
    "respond_form": (
        "Answer every requirement in the accompanying response form (XLSX), which has one sheet per lot. "
        "Do not change the locked columns.",
        "Besvar hvert krav i det vedlagte svarskjemaet (XLSX), som har ett ark per delkontrakt. "
        "Ikke endre de låste kolonnene.",
        "Besvara varje krav i det bifogade svarsformuläret (XLSX), som har ett blad per delområde. "
        "Ändra inte de låsta kolumnerna.",
        "Besvar hvert krav i det vedlagte besvarelsesskema (XLSX), som har ét ark pr. delaftale. "
        "De låste kolonner må ikke ændres.",
    ),
    "respond_compliance": (
        "State for each requirement whether it is met ({yes}/{no}). A tender that does not meet a mandatory "
        "or qualification requirement will be rejected.",
        "Angi for hvert krav om det er oppfylt ({yes}/{no}). Et tilbud som ikke oppfyller et minstekrav eller "
        "kvalifikasjonskrav, vil bli avvist.",
        "Ange för varje krav om det är uppfyllt ({yes}/{no}). Ett anbud som inte uppfyller ett obligatoriskt "
        "krav eller kvalificeringskrav kommer att förkastas.",
        "Angiv for hvert krav, om det er opfyldt ({yes}/{no}). Et tilbud, der ikke opfylder et mindstekrav "
        "eller egnethedskrav, vil blive afvist.",
    ),
    "respond_award": (
        "Describe for each award criterion how the offered solution meets it; the answer is scored according "
        "to the evaluation model.",
        "Beskriv for hvert tildelingskriterium hvordan den tilbudte løsningen oppfyller det; svaret "
        "poengsettes etter evalueringsmodellen.",
        "Beskriv för varje tilldelningskriterium hur den erbjudna lösningen uppfyller det; svaret "
        "poängsätts enligt utvärderingsmodellen.",
        "Beskriv for hvert tildelingskriterium, hvordan den tilbudte løsning opfylder det; besvarelsen "
        "bedømmes efter evalueringsmodellen.",
    ),
    "respond_evidence": (
        "Attach the documentation asked for under Verification and name each attachment in the evidence "
        "column. Certificates must be valid at the tender deadline.",
        "Legg ved dokumentasjonen det bes om, og oppgi hvert vedlegg i kolonnen for henvisning. Sertifikater "
        "må være gyldige ved tilbudsfristen.",
        "Bifoga de verifikat som efterfrågas och ange varje bilaga i kolumnen för hänvisning. Certifikat ska "
        "vara giltiga vid sista anbudsdag.",
        "Vedlæg den efterspurgte dokumentation, og angiv hvert bilag i kolonnen for henvisning. Certifikater "
        "skal være gyldige ved tilbudsfristen.",
    ),
    "respond_deadlines": (
        "Questions must be received by {questions} and tenders by {tenders}. Tenders shall be written in {language}.",
        "Spørsmål må være mottatt innen {questions} og tilbud innen {tenders}. Tilbudet skal skrives på {language}.",
        "Frågor ska ha inkommit senast {questions} och anbud senast {tenders}. Anbudet ska vara skrivet på {language}.",
        "Spørgsmål skal være modtaget senest {questions} og tilbud senest {tenders}. Tilbuddet skal være "
        "skrevet på {language}.",
    ),
    "references_intro": (
        "The requirements refer to the following standards, laws and guidance documents.",
        "Kravene viser til følgende standarder, regelverk og veiledere.",
        "Kraven hänvisar till följande standarder, författningar och vägledningar.",
        "Kravene henviser til følgende standarder, regler og vejledninger.",
    ),
    "amendments_intro": (
        "This version replaces earlier versions of the document. The following changes have been made:",
        "Denne versjonen erstatter tidligere versjoner av dokumentet. Følgende endringer er gjort:",
        "Denna version ersätter tidigare versioner av dokumentet. Följande ändringar har gjorts:",
        "Denne version erstatter tidligere versioner af dokumentet. Følgende ændringer er foretaget:",
    ),
}

LABELS: dict[Language, dict[str, str]] = {
    language: {key: texts[index] for key, texts in _TABLE.items()} for index, language in enumerate(LANGUAGES)
}

# Thousands separator and decimal mark: English keeps Python's, the Nordic languages use a
# non-breaking space and a comma.
_NORDIC_DIGITS = str.maketrans({",": "\u00a0", ".": ","})


class Locale:
    """Labels and number/date formats of one document language, with deadlines shown in `timezone`."""

    def __init__(self, language: Language, timezone: str) -> None:
        self.language = language
        self.labels = LABELS[language]
        self.zone = ZoneInfo(timezone)

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def number(self, value: int | Decimal) -> str:
        text = format(value, ",") if isinstance(value, int) else format(value.normalize(), ",f")
        return text if self.language == "en" else text.translate(_NORDIC_DIGITS)

    def percent(self, value: Decimal) -> str:
        return self.labels["format.percent"].format(self.number(value))

    def money(self, value: Money) -> str:
        return f"{value.currency} {self.number(value.amount)}"

    def date(self, value: date) -> str:
        """The calendar date; a datetime is first moved into the document's time zone."""
        if isinstance(value, datetime):
            value = value.astimezone(self.zone)
        return value.strftime(self.labels["format.date"])

    def datetime(self, value: datetime) -> str:
        return value.astimezone(self.zone).strftime(self.labels["format.datetime"])

    def fallback_note(self, texts: tuple[str, ...]) -> str:
        """Metadata line naming the texts that fell back to English, empty when none did."""
        return self.labels["fallbacks"].format(texts="; ".join(texts)) if texts else ""
