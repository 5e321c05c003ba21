"""Whatever a lot is called, its sheets get names Excel accepts: the workbook opens and no sheet is lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exports.xlsx_cells import sheet_name

# Lone surrogates never reach an exporter: JSON decoding refuses them.
TITLES = st.lists(st.text(alphabet=st.sampled_from("ab Å😀'[]:*?/\\\t\n-–,.(") | st.characters(exclude_categories=["Cs"]), max_size=60), max_size=12)


@given(TITLES)
def test_every_title_gives_a_valid_unique_sheet_name(titles: list[str]) -> None:
    used: set[str] = set()
    names = [sheet_name(title, used) for title in [*titles, "History"]]
    for name in names:
        assert 0 < len(name.encode("utf-16-le")) <= 62, name
        assert not set(name) & set("[]:*?/\\\n\r\t"), name
        assert name[0] != "'" and name[-1] != "'" and name == name.strip(), name
    assert len({name.casefold() for name in names}) == len(names)
    assert names[-1] != "History", "Excel keeps that name for itself"


def test_a_long_title_is_cut_after_the_last_whole_word() -> None:
    assert sheet_name("Delkontrakt 1 Digitale trygghetsalarmer med alarmmottak", set()) == "Delkontrakt 1 Digitale"
    assert sheet_name("Delkontrakt 3 Medisineringsstøttesystemerforhjemmet", set()) == "Delkontrakt 3"
    assert sheet_name("Medisineringsstøttesystemerforhjemmetmedalarm", set()) == "Medisineringsstøttesystemerforh", "one long word is cut"
