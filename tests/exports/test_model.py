from __future__ import annotations

import msgspec
import pytest

from exports.model import Participant, TenderDocument, Volume, sum_volumes
from tests.exports.factory import ALARMS, NORDRE_LAND, TRACKERS, untidy_tender


def test_snapshot_round_trips_through_json(sample: TenderDocument) -> None:
    assert msgspec.json.decode(msgspec.json.encode(sample), type=TenderDocument) == sample


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (("generated_at",), "2026-03-02T09:30:00", "timezone"),
        (("lots", 0, "price_weight"), "forty", "Invalid decimal"),
        (("participants", 0, "volumes", 0, "quantity"), -5, ">= 0"),
        (("tender", "procedure"), "auction", "Invalid enum value"),
        (("tender", "surprise"), 1, "unknown field"),
    ],
)
def test_decoding_refuses_what_the_exporters_cannot_trust(
    sample: TenderDocument, path: tuple[str | int, ...], value: object, error: str
) -> None:
    data = msgspec.to_builtins(sample)
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    with pytest.raises(msgspec.ValidationError, match=error):
        msgspec.convert(data, TenderDocument)


def test_volumes_add_up_per_lot_and_unit_and_never_across_units() -> None:
    volumes = [
        Volume(lot_id="lot-1", quantity=420, unit="stk"),
        Volume(lot_id="lot-2", quantity=40, unit="stk"),
        Volume(lot_id="lot-1", quantity=12, unit="abonnement"),
        Volume(lot_id="lot-1", quantity=75, unit="stk"),
        Volume(lot_id="lot-2", quantity=0, unit="stk"),
    ]
    totals = sum_volumes(volumes)
    assert totals == {"lot-1": {"stk": 495, "abonnement": 12}, "lot-2": {"stk": 40}}
    assert list(totals) == ["lot-1", "lot-2"] and list(totals["lot-1"]) == ["stk", "abonnement"], "in order of first appearance"
    assert sum_volumes([]) == {}
    assert sum_volumes(iter(volumes[:1])) == {"lot-1": {"stk": 420}}, "any iterable, read once"


def test_a_participant_without_a_volume_for_a_lot_has_no_entry_for_it() -> None:
    nordre_land = next(p for p in untidy_tender().participants if p.party == NORDRE_LAND)
    assert nordre_land.quantities() == {"lot-1": {"stk": 75}}
    assert Participant(party=NORDRE_LAND).quantities() == {}


def test_tender_totals_count_every_confirmed_participant_once(sample: TenderDocument) -> None:
    assert sample.total_quantities() == {"lot-1": {"stk": sum(ALARMS)}, "lot-2": {"stk": sum(TRACKERS)}}
    assert untidy_tender().total_quantities() == {"lot-1": {"stk": 1215, "abonnement": 12}, "lot-2": {"stk": 105}}
    assert msgspec.structs.replace(sample, participants=()).total_quantities() == {}
