from __future__ import annotations

import msgspec
import pytest

from exports.model import TenderDocument


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
