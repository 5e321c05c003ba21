"""How an award criterion is scored: by a weight of the quality share, or by the added-value model
(each point on the criterion's scale deducts an amount from the offered price); the documents show
the model and every criterion's scoring scale in the tender's language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.exports.readback import open_docx, open_xlsx, table_rows
from tests.support import problem
from tests.tender_world import World, create, read, spec, write

pytestmark = pytest.mark.starter_library
STRENGTH = {"module_key": "EVID-STUDY-STRENGTH-AWARD", "module_version": 2}
"""An award criterion whose version 2 has a scoring scale of 0 to 5 points."""


def with_added_value(amount: str = "50000") -> dict[str, Any]:
    """Lot 1 scores study strength by the added-value model and keeps the other award criterion's weight as its quality share."""
    body = spec("ADDED-VALUE")
    lot = body["lots"][0]
    lot["selections"][2] = STRENGTH | {"added_value": amount}
    lot["price_weight"], lot["quality_weight"] = 75, 25
    lot["selections"][3]["weight"] = 25
    return body


def errors_of(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in body["errors"]]


async def test_an_award_criterion_is_scored_by_a_weight_or_an_added_value_never_both(world: World) -> None:
    tender = await create(world.coordinator, with_added_value())
    assert tender["lots"][0]["selections"][2]["added_value"] == "50000.00" and tender["lots"][0]["selections"][2]["weight"] is None
    check = (await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/publication-check")).json()
    assert not [e for e in check["errors"] if e["field"].startswith("lots[0]")], "weights of the weighted criteria make the quality share"

    both = with_added_value()
    both["lots"][0]["selections"][2]["weight"] = 10
    assert errors_of(problem(await world.coordinator.post("/api/v1/tenders", json=both), 422)) == [
        ("lots[0].selections[2].added_value", "an award criterion is scored by a weight or by an added value, not both")
    ]
    mandatory = spec("AV-MANDATORY")
    mandatory["lots"][0]["selections"][0]["added_value"] = "1000"
    assert errors_of(problem(await world.coordinator.post("/api/v1/tenders", json=mandatory), 422)) == [
        ("lots[0].selections[0].added_value", "only award criteria carry an added value, this is mandatory")
    ]
    cents = with_added_value("100.005")
    assert errors_of(problem(await world.coordinator.post("/api/v1/tenders", json=cents), 422)) == [
        ("lots[0].selections[2].added_value", "must have at most two decimals")
    ]
    neither = with_added_value()
    del neither["lots"][0]["selections"][2]["added_value"]
    assert errors_of(problem(await world.coordinator.post("/api/v1/tenders", json=neither), 422)) == [
        ("lots[0].selections[2].weight", "an award criterion needs a weight above 0, or an added value per point")
    ]


async def test_a_selection_moves_between_a_weight_and_an_added_value(world: World) -> None:
    tender = await create(world.coordinator, spec("AV-PATCH"))
    selection = (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]
    path = f"/api/v1/tenders/{tender['id']}/lots/1/selections/3"
    refused = await world.coordinator.patch(path, json={"added_value": "20000"}, headers={"If-Match": selection["etag"]})
    assert errors_of(problem(refused, 422)) == [("selection.added_value", "an award criterion is scored by a weight or by an added value, not both")]
    moved = await world.coordinator.patch(path, json={"added_value": "20000", "weight": None}, headers={"If-Match": selection["etag"]})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["added_value"], moved.json()["weight"]) == ("20000.00", None)
    assert (await read(world.coordinator, tender["id"]))["lots"][0]["selections"][2]["added_value"] == "20000.00"


async def test_the_documents_show_the_added_value_model_and_each_criterions_scale_in_the_tenders_language(world: World) -> None:
    tender = await create(world.coordinator, with_added_value())
    scale = (await world.coordinator.get("/api/v1/modules/EVID-STUDY-STRENGTH-AWARD/versions/2")).json()["content"]["scoring_scale"]
    response = await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/docx")
    assert response.status_code == 200, response.text
    document = open_docx(response.content)
    text = "\n".join(p.text for p in document.paragraphs)
    rows = list(table_rows(document))
    criterion = next(row for row in rows if row[0].startswith("1.3 "))
    assert criterion[1] == "NOK 50\xa0000 per poeng"
    assert "hvert poeng trekker beløpet fra tilbudt pris" in text
    assert f"Poengskala: {criterion[0]}" in text
    steps = [[str(step["points"]), step["descriptor"]["nb"]] for step in scale["steps"]]
    assert any(rows[i : i + len(steps)] == steps for i in range(len(rows))), "the scale's rows, from 0 points up"
    form = open_xlsx((await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/xlsx")).content).worksheets[3]
    header = [cell.value for cell in form[1]]
    row = next(r for r in form.iter_rows(min_row=2, values_only=True) if r[0] == "1.3")
    assert row[header.index("Vekt")] == "NOK 50\xa0000 per poeng", "the response form says how the criterion is scored"
    untouched = await write(world.coordinator, tender["id"], "PATCH", "", json={"language": "sv"})
    assert untouched["language"] == "sv"
    swedish = "\n".join(p.text for p in open_docx((await world.coordinator.get(f"/api/v1/tenders/{tender['id']}/exports/docx")).content).paragraphs)
    assert "Poängskala: 1.3 " in swedish and "mervärdesmodell" in swedish
