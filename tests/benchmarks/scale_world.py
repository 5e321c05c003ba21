"""The world of the scale benchmark, built straight into the database before the registry serves it.

- a generated library: the starter modules and ``count`` more, each a variant of a starter module
  (its versions, parameters and evidence rule) written for a care setting, in English, Norwegian,
  Swedish and Danish, a third also in Finnish, with product categories from the catalogue. Written
  as template files and loaded with the registry's own library import, in one transaction;
- organizations with one user and token each: federations with member municipalities (a
  procurement officer each), suppliers (a supplier editor each), through the organization and token
  services, in one transaction.

Everything is drawn from seeded random generators: the same arguments build the same world.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from sqlalchemy import insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from registry.auth import service as tokens
from registry.auth.principal import OrgKind, Role
from registry.db.base import utcnow
from registry.db.transactions import Database
from registry.organizations import schemas as org_schemas
from registry.organizations import service as organizations
from registry.organizations.orgnumbers import random_org_number
from registry.requirements import service
from registry.requirements.content import VersionContent
from registry.requirements.library import import_library
from registry.requirements.models import ModuleTerm, ModuleVersion, RequirementModule
from registry.requirements.search import fold
from registry.requirements.templates import ModuleTemplate, TemplateVersion, load_library
from registry.settings import PROJECT_ROOT

STARTER = PROJECT_ROOT / "requirement_templates"
T = TypeVar("T")

# Where a generated module applies: a care setting or a group of users, in each language.
SETTINGS: list[dict[str, str]] = [
    {"en": "for older people living at home", "nb": "for hjemmeboende eldre", "sv": "för hemmaboende äldre",
     "da": "til hjemmeboende ældre", "fi": "kotona asuville ikääntyneille"},
    {"en": "in nursing homes", "nb": "på sykehjem", "sv": "på särskilt boende", "da": "på plejecentre", "fi": "hoivakodeissa"},
    {"en": "for people with dementia", "nb": "for personer med demens", "sv": "för personer med demenssjukdom",
     "da": "til borgere med demens", "fi": "muistisairaille"},
    {"en": "during night-time home care", "nb": "i nattlig hjemmetjeneste", "sv": "i nattlig hemtjänst",
     "da": "i natlig hjemmepleje", "fi": "yöaikaisessa kotihoidossa"},
    {"en": "for people with intellectual disabilities", "nb": "for personer med utviklingshemming",
     "sv": "för personer med intellektuell funktionsnedsättning", "da": "til borgere med udviklingshæmning",
     "fi": "kehitysvammaisille"},
    {"en": "in sheltered housing", "nb": "i omsorgsboliger", "sv": "i trygghetsboenden", "da": "i ældreboliger",
     "fi": "palveluasumisessa"},
    {"en": "in sparsely populated areas", "nb": "i spredtbygde strøk", "sv": "i glesbygd", "da": "i tyndt befolkede områder",
     "fi": "harvaan asutuilla alueilla"},
    {"en": "after discharge from hospital", "nb": "etter utskrivning fra sykehus", "sv": "efter utskrivning från sjukhus",
     "da": "efter udskrivelse fra sygehus", "fi": "sairaalasta kotiutumisen jälkeen"},
]  # fmt: skip
# A sentence added to each statement, naming the setting.
CLAUSES = {
    "en": "This applies to the social alarm and welfare technology service {setting}.",
    "nb": "Dette gjelder trygghetsalarm og velferdsteknologi {setting}.",
    "sv": "Detta gäller trygghetslarm och välfärdsteknik {setting}.",
    "da": "Dette gælder tryghedsalarm og velfærdsteknologi {setting}.",
}
# Finnish texts by category: a title and a statement; the starter library has none in Finnish.
FINNISH = {
    "evidence_of_effect": ("Näyttö vaikuttavuudesta", "Toimittajan on osoitettava turvapuhelimen ja hälytyspalvelun vaikuttavuus {setting}."),
    "interoperability": ("Yhteentoimivuus", "Hälytys on välitettävä avoimella rajapinnalla hälytyskeskukseen {setting}."),
    "information_security": ("Tietoturva ja tietosuoja", "Hälytystiedot on suojattava ja käsiteltävä EU:n alueella {setting}."),
    "consent": ("Suostumus ja oikeusperuste", "Paikannus ja hälytys edellyttävät kirjattua suostumusta {setting}."),
    "benefit_realisation": ("Hyötyjen toteutuminen", "Hälytyspalvelun hyödyt on seurattava ja raportoitava {setting}."),
    "accessibility_usability": ("Saavutettavuus ja käytettävyys", "Palvelun on oltava saavutettava ja helppokäyttöinen {setting}."),
    "service_support": ("Palvelutaso ja tuki", "Hälytyspalvelun viat on korjattava sovitussa ajassa {setting}."),
    "implementation_training": ("Käyttöönotto ja koulutus", "Toimittajan on koulutettava henkilöstö ennen käyttöönottoa {setting}."),
    "logistics_exit": ("Logistiikka ja sopimuksen päättyminen", "Laitteet on asennettava ja palautettava sovitussa ajassa {setting}."),
    "sustainability": ("Kestävyys", "Laitteet on ensisijaisesti korjattava ja kierrätettävä {setting}."),
    "price_contract": ("Hinta- ja sopimusmalli", "Kuukausihinnan on katettava kaikki palvelun osat {setting}."),
}


def _variant(content: TemplateVersion, setting: dict[str, str], category: str, finnish: bool) -> TemplateVersion:
    """The version's content written for ``setting``: the setting in every title, a sentence on it in every statement."""
    title = {lang: f"{text} – {setting[lang]}" for lang, text in content.title.items()}
    statement = {lang: f"{text} {CLAUSES[lang].format(setting=setting[lang])}" for lang, text in content.statement.items()}
    rationale = dict(content.rationale)
    if finnish:
        heading, sentence = FINNISH[category]
        title["fi"] = f"{heading} – {setting['fi']}"
        statement["fi"] = sentence.format(setting=setting["fi"])
        rationale["fi"] = sentence.format(setting=setting["fi"])
    return msgspec.structs.replace(content, title=title, statement=statement, rationale=rationale)


def generated_modules(count: int, seed: int = 2026) -> list[ModuleTemplate]:
    """``count`` variants of the starter modules, keys ``GEN-<category prefix>-<n>``."""
    catalogue, starters = load_library(STARTER)
    product_categories = catalogue.keys("product_categories")
    rng = random.Random(seed)
    modules = []
    for n in range(count):
        base = rng.choice(starters)
        setting, finnish = rng.choice(SETTINGS), rng.random() < 1 / 3
        categories = sorted({*base.product_categories[:1], *rng.sample(product_categories, rng.randint(0, 2))})
        modules.append(
            msgspec.structs.replace(
                base,
                key=f"GEN-{base.key.split('-')[0]}-{n:05d}",
                family=None,
                product_categories=categories,
                tags=[*base.tags, f"setting-{SETTINGS.index(setting) + 1}"],
                versions=[
                    msgspec.structs.replace(_variant(v, setting, base.category, finnish), replaced_by=None, status="published") for v in base.versions
                ],
            )
        )
    return modules


KEY_STANDIN = "GEN-STANDIN-KEY"
"""The key a shared version row is derived with; each module's own key replaces it (see ``LibraryRows``)."""


def _columns(row: Any) -> dict[str, Any]:
    """The column attributes set on an ORM object, for a bulk insert."""
    state = inspect(row)
    return {a.key: state.dict[a.key] for a in state.mapper.column_attrs if a.key in state.dict}


class LibraryRows:
    """Rows of generated modules, made as the library import makes them.

    ``fill_version`` derives a version's hash, languages and case- and diacritic-folded search text;
    folding 10,000 versions' texts takes minutes, and the variants share their texts: a version is
    derived once per distinct content (with ``KEY_STANDIN`` as the module key) and each module's
    folded key replaces the stand-in's. Every ``CHECK_EVERY``th version is derived in full and
    compared, so a change in how the registry indexes versions cannot pass unnoticed.
    """

    CHECK_EVERY = 250

    def __init__(self, seed: int) -> None:
        self.rng, self.now = random.Random(seed), utcnow()
        self.derived: dict[tuple[str, bytes], dict[str, Any]] = {}
        self.term_sets: dict[bytes, list[dict[str, Any]]] = {}
        self.modules: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.versions: list[dict[str, Any]] = []

    def _uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, template: ModuleTemplate) -> None:
        module = RequirementModule(
            id=self._uuid(), created_at=self.now, updated_at=self.now, key=template.key, category=template.category,
            family=template.family, jurisdictions=list(template.jurisdictions), last_reviewed=template.last_reviewed,
            product_categories=list(template.product_categories), tags=list(template.tags),
            references=[msgspec.to_builtins(r) for r in template.references], current_version=len(template.versions), draft_version=None,
        )  # fmt: skip
        self.modules.append(_columns(module))
        self.terms += [term | {"module_id": module.id} for term in self._terms(module)]
        for entry in template.versions:
            content = VersionContent(**{f: getattr(entry, f) for f in VersionContent.__struct_fields__})
            version = ModuleVersion(
                id=self._uuid(), created_at=self.now, updated_at=self.now, module_id=module.id, version=entry.version,
                status="published", revision=1, published_at=self.now,
            )  # fmt: skip
            derived = self._derived(module, content)
            if len(self.versions) % self.CHECK_EVERY == 0:
                service.fill_version(version, module, content)
                assert _columns(version) | derived == _columns(version), f"{module.key}: derived columns differ from fill_version"
            self.versions.append(_columns(version) | derived)

    def _terms(self, module: RequirementModule) -> list[dict[str, Any]]:
        """The filter terms ``set_terms`` derives for ``module``, once per distinct set of categories, tags and references."""
        shared = msgspec.json.encode([module.product_categories, module.tags, module.references])
        if shared not in self.term_sets:
            standin = RequirementModule(product_categories=module.product_categories, tags=module.tags, references=module.references)
            service.set_terms(standin)
            self.term_sets[shared] = [_columns(term) for term in standin.terms]
        return self.term_sets[shared]

    def _derived(self, module: RequirementModule, content: VersionContent) -> dict[str, Any]:
        """The columns ``fill_version`` derives, for ``module``'s own key."""
        shared = (module.category, msgspec.json.encode([content, module.tags, module.references], order="sorted"))
        if shared not in self.derived:
            standin = RequirementModule(key=KEY_STANDIN, tags=module.tags, references=module.references)
            row = ModuleVersion()
            service.fill_version(row, standin, content)
            self.derived[shared] = {k: v for k, v in _columns(row).items() if k not in ("id", "module_id")}
        derived = dict(self.derived[shared])
        derived["search_text"] = derived["search_text"].replace(fold(KEY_STANDIN), fold(module.key))
        return derived

    async def insert(self, session: AsyncSession) -> None:
        for model, rows in ((RequirementModule, self.modules), (ModuleTerm, self.terms), (ModuleVersion, self.versions)):
            for start in range(0, len(rows), 2_000):
                await session.execute(insert(model), rows[start : start + 2_000])


async def store_library(session: AsyncSession, count: int, seed: int = 2026) -> list[ModuleTemplate]:
    """The starter library (through the registry's import) and ``count`` generated published modules (in bulk).

    Importing 10,000 template files takes minutes, so the generated modules are inserted as rows
    derived by the library service (see ``LibraryRows``). Returns the generated modules.
    """
    await import_library(session, STARTER)
    rows, modules = LibraryRows(seed), generated_modules(count, seed)
    for template in modules:
        rows.add(template)
    await rows.insert(session)
    return modules


@dataclass
class Member:
    """An organization with one user, and that user's token."""

    id: UUID
    token: str


@dataclass
class World:
    federations: list[tuple[Member, list[Member]]] = field(default_factory=list)
    """Each federation's coordinator and its member municipalities' officers."""
    suppliers: list[Member] = field(default_factory=list)


class OrgNumbers:
    """Distinct valid organization numbers, drawn from a seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng, self.used = random.Random(seed), set[str]()

    def next(self, country: str, prefix: str) -> str:
        while (number := random_org_number(country, self.rng, prefix)) in self.used:
            pass
        self.used.add(number)
        return number


async def _member(session: AsyncSession, numbers: OrgNumbers, kind: OrgKind, name: str, role: Role, prefix: str) -> Member:
    """An organization, a user with ``role`` and a token for that user (the operator's way, no actor)."""
    organization = await organizations.create_organization(
        session, None, org_schemas.OrganizationCreate(kind=kind, name=name, country="SE", org_number=numbers.next("SE", prefix))
    )
    email = f"{role}.{organization.org_number}@bench.example".replace("-", "")
    user = await organizations.create_user(session, None, organization.id, org_schemas.UserCreate(name=name, email=email, roles=[role]))
    issued = await tokens.issue_token(session, None, user.id, "bench", None, max_days=365)
    return Member(organization.id, issued.token)


async def build_world(session: AsyncSession, federation_sizes: list[int], suppliers: int, seed: int = 7) -> World:
    """Federations and suppliers, each organization with a user and a token.

    Federation ``k`` has the first ``federation_sizes[k]`` of one pool of municipalities (whose
    numbers begin 212, as Swedish ones do): a municipality may belong to several federations.
    """
    numbers, world = OrgNumbers(seed), World()
    towns = [
        await _member(session, numbers, "municipality", f"Kommun {n + 1:03d}", Role.procurement_officer, "2120") for n in range(max(federation_sizes))
    ]
    for f, size in enumerate(federation_sizes):
        coordinator = await _member(session, numbers, "federation", f"Förbund {f + 1}", Role.federation_coordinator, "2220")
        for town in towns[:size]:
            await organizations.add_member(session, None, coordinator.id, town.id)
        world.federations.append((coordinator, towns[:size]))
    for s in range(suppliers):
        world.suppliers.append(await _member(session, numbers, "supplier", f"Leverantör {s + 1} AB", Role.supplier_editor, "556"))
    return world


async def in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed write transaction on the database at ``url``."""
    database = Database(url)
    try:
        async with database.writes.begin() as session:
            return await work(session)
    finally:
        await database.dispose()
