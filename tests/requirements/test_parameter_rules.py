"""The rules a parameter value must meet and how it reads in each language, at their boundaries: a value
exactly at the minimum and the maximum and one past each, text exactly at its length limit and one over,
defaults and required parameters, decimal commas and yes/no words per language."""

from __future__ import annotations

from registry.requirements.content import EnumChoice, Parameter, VersionContent
from registry.requirements.rendering import check_value, fill, format_value, pick, render, resolve_values, undeclared_placeholders
from registry.schemas import MAX_FIGURE

SECONDS = Parameter(name="seconds", type="integer", label={"en": "Seconds"}, default=30, min=5, max=120)
DAYS = Parameter(name="days", type="duration", label={"en": "Days"}, unit="days", default=10)
SHARE = Parameter(name="share", type="decimal", label={"en": "Share"}, default=99.5, min=90, max=100)
ON = Parameter(name="on", type="boolean", label={"en": "On"}, default=True)
PLACE = Parameter(
    name="place", type="enum", label={"en": "Place"}, choices=[EnumChoice("eu_eea", {"en": "the EU/EEA"}), EnumChoice("nordic", {"en": "Nordic"})]
)
NOTE = Parameter(name="note", type="text", label={"en": "Note"}, required=False)


# numbers: bounds inclusive on both sides


def test_a_value_exactly_at_the_minimum_or_maximum_is_accepted() -> None:
    assert check_value(SECONDS, 5) is None and check_value(SECONDS, 120) is None


def test_a_value_one_past_a_bound_is_refused_naming_the_bound() -> None:
    assert check_value(SECONDS, 4) == "must be at least 5"
    assert check_value(SECONDS, 121) == "must be at most 120"
    assert check_value(SHARE, 89.99) == "must be at least 90" and check_value(SHARE, 100.01) == "must be at most 100"


def test_unbounded_numbers_stay_within_the_largest_figure_inclusive() -> None:
    free = Parameter(name="n", type="decimal", label={"en": "N"})
    assert check_value(free, MAX_FIGURE) is None and check_value(free, -MAX_FIGURE) is None
    assert check_value(free, MAX_FIGURE * 1.5) == "must lie between -1e+15 and 1e+15"
    assert check_value(free, -MAX_FIGURE * 1.5) == "must lie between -1e+15 and 1e+15"


def test_whole_numbers_refuse_fractions_and_booleans_and_durations_name_their_unit() -> None:
    assert check_value(SECONDS, 30.5) == "must be a whole number"
    assert check_value(SECONDS, True) == "must be a whole number"
    assert check_value(DAYS, 1.5) == "must be a whole number of days"
    assert check_value(Parameter(name="d", type="duration", label={"en": "D"}), "x") == "must be a whole number"
    assert check_value(DAYS, 14) is None


def test_decimals_take_whole_numbers_but_not_booleans_or_text() -> None:
    assert check_value(SHARE, 95) is None
    assert check_value(SHARE, False) == "must be a number" and check_value(SHARE, "95") == "must be a number"


def test_booleans_enums_and_text_say_what_they_expect() -> None:
    assert check_value(ON, 1) == "must be true or false" and check_value(ON, False) is None
    assert check_value(PLACE, "asia") == "must be one of eu_eea, nordic" and check_value(PLACE, "nordic") is None
    assert check_value(NOTE, 3) == "must be text"
    assert check_value(NOTE, "two\nlines") == "must be one line without control characters"
    assert check_value(NOTE, "delete\x7f") == "must be one line without control characters"


def test_text_exactly_at_its_length_limit_is_accepted_and_one_over_is_refused() -> None:
    assert check_value(NOTE, "a" * 500) is None
    assert check_value(NOTE, "a" * 501) == "must be at most 500 characters"
    short = Parameter(name="ref", type="text", label={"en": "Ref"}, max_length=3)
    assert check_value(short, "abc") is None and check_value(short, "abcd") == "must be at most 3 characters"


# resolving values over the defaults


def test_missing_and_null_values_take_the_default_and_optional_ones_without_default_are_left_out() -> None:
    resolved, errors = resolve_values([SECONDS, NOTE], {"seconds": None})
    assert resolved == {"seconds": 30} and errors == []


def test_a_required_parameter_without_default_or_value_is_named() -> None:
    resolved, errors = resolve_values([PLACE], {}, prefix="lots[0].selections[1].parameters")
    assert resolved == {} and errors == [("lots[0].selections[1].parameters.place", "is required and has no default")]


def test_unknown_names_and_bad_values_are_all_reported_at_once_and_kept_out() -> None:
    resolved, errors = resolve_values([SECONDS, SHARE], {"zeta": 1, "alpha": 2, "seconds": 4, "share": 95})
    assert resolved == {"share": 95}
    assert errors == [
        ("parameters.alpha", "is not a parameter of this version"),
        ("parameters.zeta", "is not a parameter of this version"),
        ("parameters.seconds", "must be at least 5"),
    ]


# how values read


def test_decimals_read_with_a_comma_in_nordic_languages_and_a_point_in_english() -> None:
    assert format_value(SHARE, 99.5, "en") == "99.5"
    assert [format_value(SHARE, 99.5, lang) for lang in ("nb", "nn", "sv", "da", "fi")] == ["99,5"] * 5
    assert format_value(SHARE, 1 / 3, "en") == "0.3333333333"


def test_yes_and_no_read_in_the_language_and_in_english_for_others() -> None:
    assert (format_value(ON, True, "sv"), format_value(ON, False, "sv")) == ("ja", "nej")
    assert (format_value(ON, True, "de"), format_value(ON, False, "de")) == ("yes", "no")
    assert format_value(SECONDS, 30, "nb") == "30"


def test_an_empty_translation_falls_back_to_english() -> None:
    assert pick({"en": "Alarm", "nb": ""}, "nb") == ("Alarm", True)
    assert pick({"nb": "Alarm"}, "sv") == ("", True)
    assert pick({"en": "Alarm", "nb": "Trygghetsalarm"}, "nb") == ("Trygghetsalarm", False)


def test_placeholders_without_a_value_stay_as_written_and_undeclared_ones_are_named() -> None:
    assert fill("{a} and {b}", {"a": "1"}) == "1 and {b}"
    content = VersionContent(
        kind="mandatory", title={"en": "T"}, rationale={"en": "R"}, statement={"sv": "{x} {seconds}", "en": "{y} {x}"}, parameters=[SECONDS]
    )
    assert undeclared_placeholders(content) == [
        ("statement.en", "uses undeclared parameter {x}"),
        ("statement.en", "uses undeclared parameter {y}"),
        ("statement.sv", "uses undeclared parameter {x}"),
    ]
    rendered, errors = render(content, "en", {})
    assert rendered is None and len(errors) == 3


def test_a_rendered_statement_lists_the_fields_that_fell_back() -> None:
    content = VersionContent(
        kind="mandatory", title={"en": "T", "nb": "Tn"}, rationale={"en": "R"}, statement={"en": "{seconds} s"}, parameters=[SECONDS]
    )
    rendered, errors = render(content, "nb", {"seconds": 5})
    assert errors == [] and rendered is not None
    assert (rendered.title, rendered.statement, rendered.values, rendered.fallbacks) == ("Tn", "5 s", {"seconds": 5}, ["statement"])


def test_durations_are_bounded_like_numbers() -> None:
    window = Parameter(name="days", type="duration", label={"en": "Days"}, unit="days", min=1, max=30)
    assert check_value(window, 1) is None and check_value(window, 30) is None
    assert check_value(window, 0) == "must be at least 1" and check_value(window, 31) == "must be at most 30"


def test_an_optional_parameter_without_value_does_not_stop_the_ones_after_it() -> None:
    resolved, errors = resolve_values([NOTE, SECONDS, PLACE], {"place": "nordic"})
    assert resolved == {"seconds": 30, "place": "nordic"} and errors == []


def test_a_rendered_statement_says_its_language() -> None:
    content = VersionContent(kind="mandatory", title={"en": "T"}, rationale={"en": "R"}, statement={"en": "S"})
    rendered, _ = render(content, "da", {})
    assert rendered is not None and rendered.language == "da"
