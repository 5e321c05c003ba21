"""Parameter rendering and search folding, property-based."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from registry.requirements.content import EnumChoice, Parameter, VersionContent
from registry.requirements.rendering import render
from registry.requirements.search import fold

DELIVERY = Parameter(name="seconds", type="integer", label={"en": "Seconds"}, default=30, min=5, max=120)
SHARE = Parameter(name="share", type="decimal", label={"en": "Share"}, unit="%", default=99.5, min=90, max=100)
PLACE = Parameter(
    name="place",
    type="enum",
    label={"en": "Place"},
    default="eu_eea",
    choices=[EnumChoice("eu_eea", {"en": "the EU/EEA", "nb": "EU/EØS"}), EnumChoice("nordic", {"en": "the Nordic countries"})],
)
CONTENT = VersionContent(
    kind="mandatory",
    title={"en": "Alarm", "nb": "Alarm"},
    rationale={"en": "Why"},
    statement={"en": "Within {seconds} s, {share}% uptime, stored in {place}.", "nb": "Innen {seconds} s, {share} % oppetid, lagret i {place}."},
    parameters=[DELIVERY, SHARE, PLACE],
)


@given(st.integers(min_value=5, max_value=120), st.decimals(min_value=90, max_value=100, places=2).map(float))
def test_values_in_bounds_render_in_every_language(seconds: int, share: float) -> None:
    for language in ("en", "nb", "sv"):
        rendered, errors = render(CONTENT, language, {"seconds": seconds, "share": share})
        assert errors == [] and rendered is not None
        assert f"{seconds} s" in rendered.statement and "{" not in rendered.statement
        assert rendered.fallbacks == ([] if language != "sv" else ["title", "statement"])
    nb, _ = render(CONTENT, "nb", {"seconds": seconds, "share": share})
    assert "," in nb.statement.split("%")[0] or float(share).is_integer()


@given(st.integers().filter(lambda n: not 5 <= n <= 120))
def test_values_out_of_bounds_are_named_errors(seconds: int) -> None:
    rendered, errors = render(CONTENT, "en", {"seconds": seconds})
    assert rendered is None and [field for field, _ in errors] == ["parameters.seconds"]


@given(st.one_of(st.text(max_size=5), st.booleans(), st.floats(allow_nan=False), st.none()))
def test_wrong_types_never_render(value: object) -> None:
    rendered, errors = render(CONTENT, "en", {"seconds": value, "place": value})
    if value is None:
        assert rendered is not None  # None means "use the default"
    else:
        assert rendered is None and {f for f, _ in errors} <= {"parameters.seconds", "parameters.place"}


def test_enum_values_render_as_labels_in_the_language() -> None:
    rendered, _ = render(CONTENT, "nb", {"place": "eu_eea"})
    assert rendered.statement.endswith("lagret i EU/EØS.")
    rendered, _ = render(CONTENT, "nb", {"place": "nordic"})
    assert rendered.statement.endswith("lagret i the Nordic countries.")


@given(st.text(max_size=40))
@example("𝓐")  # a compatibility form whose plain letter is upper case
def test_folding_is_idempotent_and_case_blind(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) or any(c in text for c in "ßİı")


def test_nordic_letters_fold_to_what_people_type() -> None:
    assert fold("Ældre") == fold("aeldre") == "aeldre"
    assert fold("Trygghetslarm för ÄLDRE") == "trygghetslarm for aldre"
    assert fold("søknad") == "soknad" and fold("Tromsø  kommune") == "tromso kommune"
