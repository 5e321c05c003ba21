"""A federation with member municipalities, an outsider, a supplier, and a two-lot tender specification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support import Api, days_from_today

TERMS = {"submission": {"system": "Mercell", "url": "https://permalink.mercell.com/200000000.aspx"}, "validity_days": 90}
"""What a published tender must state of its terms, and no more: a contract, tenders submitted through Mercell, binding 90 days."""


def spec(reference: str = "VTF-2027-01", days: int = 45) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "reference": reference,
        "title": "Digital social alarms and GPS alarms",
        "description": "Joint procurement of alarms for home-dwelling citizens.",
        "language": "nb",
        "procedure": "open",
        "cpv_codes": ["33196200-2", "85311100-3"],
        "estimated_value": "12500000",
        "currency": "NOK",
        "contract_period": {"start": days_from_today(days + 120), "end": days_from_today(days + 120 + 4 * 365), "options": "2 + 1 + 1 years"},
        "contact_point": {"name": "Innkjøpsteamet", "email": "innkjop@vestlandet.example", "phone": "+47 55 00 00 00"},
        "terms": TERMS,
        "timeline": {
            "questions_deadline": (now + timedelta(days=days - 10)).isoformat(),
            "submission_deadline": (now + timedelta(days=days)).isoformat(),
            "planned_award": (now + timedelta(days=days + 20)).isoformat(),
        },
        "lots": [
            {
                "title": "Digital social alarms",
                "product_categories": ["digital_social_alarm"],
                "price_weight": 40,
                "quality_weight": 60,
                "selections": [
                    {"module_key": "INTEROP-ALARM-PROTOCOL", "module_version": 1, "parameters": {"delivery_seconds": 20}},
                    {"module_key": "SEC-ISO27001-CERTIFICATE", "module_version": 1},
                    {"module_key": "EVID-STUDY-STRENGTH-AWARD", "module_version": 1, "weight": 35},
                    {"module_key": "INTEROP-IHE-ACM-FORWARDING", "module_version": 1, "weight": 25, "note": "Staff phones"},
                    {"module_key": "SEC-DATA-PROCESSING-AGREEMENT", "module_version": 1},
                ],
            },
            {
                "title": "GPS alarms",
                "product_categories": ["gps_alarm"],
                "price_weight": 50,
                "quality_weight": 50,
                "selections": [
                    {"module_key": "CONSENT-LOCATION-ON-REQUEST", "module_version": 1},
                    {"module_key": "CONSENT-LOCATION-GEOFENCE", "module_version": 1, "weight": 30},
                    {"module_key": "EVID-FALLS-REDUCTION", "module_version": 1, "kind": "mandatory"},
                    {"module_key": "CONSENT-NEXT-OF-KIN-ACCESS", "module_version": 1, "weight": 20},
                ],
            },
        ],
    }


def confirmation(volumes: list[tuple[int, float]]) -> dict[str, Any]:
    return {
        "decision": "confirmed",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@kommune.example",
        "mandate": True,
        "mandate_decision_date": days_from_today(-45),
        "volumes": [{"lot": lot, "quantity": quantity, "unit": "units"} for lot, quantity in volumes],
    }


@dataclass
class World:
    admin: Api
    federation: dict
    coordinator: Api
    members: list[dict]
    officers: list[Api]
    outsider: dict
    outsider_officer: Api
    supplier: Api
    other_coordinator: Api


async def build_world(admin: Api) -> World:
    federation = await admin.create_org("federation", name="Vestlandet velferdsteknologi")
    coordinator = await admin.create_user(federation["id"], "federation_coordinator")
    members, officers = [], []
    for name in ("Askøy kommune", "Bjørnafjorden kommune", "Voss herad"):
        town = await admin.create_org("municipality", name=name)
        members.append(town)
        officers.append(await admin.create_user(town["id"], "procurement_officer"))
        await coordinator.post(f"/api/v1/organizations/{federation['id']}/members", json={"municipality_id": town["id"]})
    outsider = await admin.create_org("municipality", name="Tromsø kommune")
    supplier_org = await admin.create_org("supplier")
    other_federation = await admin.create_org("federation")
    return World(
        admin=admin,
        federation=federation,
        coordinator=coordinator,
        members=members,
        officers=officers,
        outsider=outsider,
        outsider_officer=await admin.create_user(outsider["id"], "procurement_officer"),
        supplier=await admin.create_user(supplier_org["id"], "supplier_editor"),
        other_coordinator=await admin.create_user(other_federation["id"], "federation_coordinator"),
    )


async def create(api: Api, body: dict | None = None) -> dict:
    response = await api.post("/api/v1/tenders", json=body or spec())
    assert response.status_code == 201, response.text
    return response.json() | {"etag": response.headers["etag"]}


async def act(api: Api, tender: dict, method: str, suffix: str = "", **kwargs) -> dict:
    """A write with the tender's current ETag; returns the tender as it is after the write, with its ETag,
    which the write answered too (an invitation, an answer or a lifecycle step answers what it changed, not the tender)."""
    response = await api.request(method, f"/api/v1/tenders/{tender['id']}{suffix}", headers={"If-Match": tender["etag"]}, **kwargs)
    assert response.status_code in (200, 201, 204), response.text
    after = await api.get(f"/api/v1/tenders/{tender['id']}")
    assert after.headers["etag"] == response.headers["etag"], "the write answers the tender's new ETag"
    return after.json() | {"etag": after.headers["etag"]}


async def read(api: Api, tender_id: str) -> dict[str, Any]:
    """The tender as ``api`` sees it, with its ETag."""
    response = await api.get(f"/api/v1/tenders/{tender_id}")
    assert response.status_code == 200, response.text
    return response.json() | {"etag": response.headers["etag"]}


async def write(api: Api, tender_id: str, method: str, suffix: str = "", **kwargs: Any) -> dict[str, Any]:
    """A write with the tender's current ETag that must succeed; returns the tender as a GET shows it afterwards."""
    return await act(api, await read(api, tender_id), method, suffix, **kwargs)


async def participants(api: Api, tender: dict, **params: Any) -> list[dict]:
    """Every participant of ``tender`` as ``api`` sees them (``status`` filters), by name."""
    response = await api.get(f"/api/v1/tenders/{tender['id']}/participants", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def joint_tender_ready_to_publish(world: World, body: dict | None = None) -> dict:
    tender = await create(world.coordinator, body)
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": [m["id"] for m in world.members]})
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    for officer, member, volumes in zip(world.officers, world.members, ([(1, 120), (2, 40)], [(1, 80), (2, 15)], [(1, 45)]), strict=True):
        response = await officer.put(f"/api/v1/tenders/{tender['id']}/participants/{member['id']}", json=confirmation(volumes))
        assert response.status_code == 200, response.text
    response = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")
    return response.json() | {"etag": response.headers["etag"]}


@dataclass
class Untidy:
    """A joint tender after a messy round of invitations, and who did what."""

    tender: dict
    confirmed: list[dict]
    """Askøy and Bjørnafjorden with volumes for both lots, Voss herad with none for lot 2."""
    declined: dict
    """Kvam herad: declined, after estimating volumes it left in its answer."""
    unanswered: dict
    """Osterøy kommune: invited, never answered."""
    participants: list[dict]
    """Every participant as the lead buyer sees them, by name."""


async def untidy_joint_tender(world: World, body: dict | None = None) -> Untidy:
    """The joint tender of ``joint_tender_ready_to_publish`` with two more member municipalities
    invited: one declines (its answer still carrying volumes), one never answers. The tender stays
    open for participants; withdraw the unanswered invitation to publish it."""
    extra = []
    for name in ("Kvam herad", "Osterøy kommune"):
        town = await world.admin.create_org("municipality", name=name)
        await world.coordinator.post(f"/api/v1/organizations/{world.federation['id']}/members", json={"municipality_id": town["id"]})
        extra.append(town)
    declined, unanswered = extra
    decliner = await world.admin.create_user(declined["id"], "procurement_officer")
    tender = await create(world.coordinator, body)
    invited = [m["id"] for m in (*world.members, declined, unanswered)]
    tender = await act(world.coordinator, tender, "POST", "/participants", json={"organization_ids": invited})
    tender = await act(world.coordinator, tender, "POST", "/open-for-participants")
    for officer, member, volumes in zip(world.officers, world.members, ([(1, 120), (2, 40)], [(1, 80), (2, 15)], [(1, 45)]), strict=True):
        response = await officer.put(f"/api/v1/tenders/{tender['id']}/participants/{member['id']}", json=confirmation(volumes))
        assert response.status_code == 200, response.text
    answer = {"decision": "declined", "volumes": [{"lot": 1, "quantity": 60, "unit": "units"}, {"lot": 2, "quantity": 6, "unit": "units"}]}
    response = await decliner.put(f"/api/v1/tenders/{tender['id']}/participants/{declined['id']}", json=answer)
    assert response.status_code == 200, response.text
    response = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}")
    tender = response.json() | {"etag": response.headers["etag"]}
    everyone = await participants(world.coordinator, tender)
    return Untidy(tender=tender, confirmed=list(world.members), declined=declined, unanswered=unanswered, participants=everyone)
