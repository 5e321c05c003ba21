from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from exports.model import Party
from exports.text import clean, scrub


def test_clean_removes_what_xml_cannot_carry_and_keeps_tabs_and_line_breaks() -> None:
    assert clean("a\x00b\x0bc\x1fd\x7fe\x85f\ufffeg\uffffh") == "abcdefgh"
    assert clean("line\tone\r\nline two\rthree") == "line\tone\nline two\nthree"


def test_clean_replaces_lone_surrogates() -> None:
    assert clean("x\ud800y\udfffz") == "x\ufffdy\ufffdz"


def test_clean_leaves_ordinary_text_alone() -> None:
    text = "Åpen alarmprotokoll 😀 שלום عربى " + "x" * 500
    assert clean(text) is text


def test_scrub_cleans_every_string_of_a_snapshot() -> None:
    party = Party(
        id="p\x00", name="Gjøvik\x01 kommune\ud800", country="NO", org_number="960000005", kind="municipality"
    )
    assert scrub((party, [party.name])) == (
        Party(id="p", name="Gjøvik kommune\ufffd", country="NO", org_number="960000005", kind="municipality"),
        ["Gjøvik kommune\ufffd"],
    )


def test_scrub_reads_naive_datetimes_as_utc() -> None:
    naive, aware = datetime(2026, 4, 6, 10, 0), datetime(2026, 4, 6, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert scrub((naive, aware)) == (datetime(2026, 4, 6, 10, 0, tzinfo=UTC), aware)
