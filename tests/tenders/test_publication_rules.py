"""The rules a tender's specification must meet, stated at their boundaries: weights that make exactly
100 against 99.99, a submission deadline exactly the minimum number of days after publication, the
question deadline and the planned award on the submission deadline, deprecated pinned versions.

These call ``registry.tenders.validation`` directly: its answer, a list of (field, message), is what the
problem body's ``errors`` carry (``tests/tenders/test_tenders.py`` checks that path through the API).

Equivalent mutant (kept out of the score in ``tests/mutation.py``): ``zip(..., strict=True)`` in
``publication_errors`` turned to ``strict=False`` or dropped: ``kinds`` is built from ``lot.selections``
one for one, so the two sequences always have the same length and strictness never shows.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import msgspec

from registry.requirements.content import VersionContent
from registry.requirements.schemas import PinnedVersion
from registry.tenders import schemas
from registry.tenders.validation import jurisdiction_warnings, lot_field_errors, publication_errors, same_weight, selection_errors, spec_errors

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
MIN_DAYS = 30


def version(
    key: str, kind: str, *, status: str = "published", replaced_by: str | None = None, jurisdictions: tuple[str, ...] = ("EU",)
) -> PinnedVersion:
    content = VersionContent(kind=kind, title={"en": key}, rationale={"en": "why"}, statement={"en": "what"})  # type: ignore[arg-type]
    return PinnedVersion(
        id=uuid.uuid4(), status=status, replaced_by=replaced_by, category="security",  # type: ignore[arg-type]
        jurisdictions=list(jurisdictions), references=[], content=content,
    )  # fmt: skip


PINNED = {("must", 1): version("must", "mandatory"), ("score", 1): version("score", "award"), ("info", 1): version("info", "information")}


TERMS = schemas.Terms(submission=schemas.Submission(system="Mercell", url="https://permalink.mercell.com/1.aspx"), validity_days=90)


def spec(
    *, lots: list[schemas.LotIn] | None = None, timeline: schemas.Timeline | None = None, contact: bool = True, terms: schemas.Terms = TERMS
) -> schemas.TenderSpec:
    return schemas.TenderSpec(
        reference="T-1",
        title="Alarms",
        lots=[good_lot()] if lots is None else lots,
        timeline=timeline or schemas.Timeline(submission_deadline=NOW + timedelta(days=MIN_DAYS + 5)),
        contact_point=schemas.ContactPoint(name="Buyer", email="buyer@example.org") if contact else None,
        terms=terms,
    )


def good_lot(title: str = "Alarms", **weights: float) -> schemas.LotIn:
    return schemas.LotIn(
        title=title,
        price_weight=weights.get("price", 40),
        quality_weight=weights.get("quality", 60),
        selections=[
            schemas.SelectionIn(module_key="must", module_version=1),
            schemas.SelectionIn(module_key="score", module_version=1, weight=weights.get("award", 60)),
        ],
    )


def publish_errors(s: schemas.TenderSpec) -> list[tuple[str, str]]:
    return publication_errors(s, PINNED, now=NOW, min_submission_days=MIN_DAYS)


def test_a_complete_specification_has_nothing_between_it_and_publication() -> None:
    assert publish_errors(spec()) == []


# weights: percentage points compared to a hundredth (below 0.005 apart is the same)


def test_weights_are_the_same_below_half_a_hundredth_apart_and_different_from_it() -> None:
    assert same_weight(100, 100) and same_weight(99.996, 100) and same_weight(0, 0.004)
    assert not same_weight(0, 0.005)  # exactly half a hundredth apart: different
    assert not same_weight(99.99, 100) and not same_weight(99, 100) and not same_weight(100.5, 100)


def test_price_and_quality_making_exactly_100_pass_and_99_99_is_named_on_the_price_weight() -> None:
    assert lot_field_errors("lots[0]", good_lot(price=40, quality=60), []) == []
    assert lot_field_errors("lots[0]", good_lot(price=33.33, quality=66.67), []) == []
    assert lot_field_errors("lots[0]", good_lot(price=40, quality=59.99), []) == [("lots[0].price_weight", "price 40 + quality 59.99 must make 100")]


def test_award_weights_adding_up_to_the_quality_share_pass_and_a_hundredth_short_is_refused() -> None:
    assert publish_errors(spec(lots=[good_lot(award=60)])) == []
    assert publish_errors(spec(lots=[good_lot(award=59.99)])) == [
        ("lots[0].quality_weight", "award weights in lot 1 add up to 59.99, not the quality share 60")
    ]


def test_award_weights_are_named_by_the_lot_number_as_people_count() -> None:
    errors = publish_errors(spec(lots=[good_lot(), good_lot("Sensors", award=50)]))
    assert errors == [("lots[1].quality_weight", "award weights in lot 2 add up to 50, not the quality share 60")]


def test_an_award_selection_without_weight_adds_nothing_to_the_award_total() -> None:
    lot = schemas.LotIn(
        title="Alarms",
        price_weight=100,
        quality_weight=0,
        selections=[schemas.SelectionIn(module_key="must", module_version=1), schemas.SelectionIn(module_key="score", module_version=1)],
    )
    assert publish_errors(spec(lots=[lot])) == []


# lots and requirements


def test_a_tender_without_lots_cannot_be_published() -> None:
    assert publish_errors(spec(lots=[])) == [("lots", "a tender needs at least one lot")]


def test_a_lot_without_a_mandatory_requirement_is_named_by_its_number_and_title() -> None:
    award_only = schemas.LotIn(
        title="Sensors", price_weight=40, quality_weight=60, selections=[schemas.SelectionIn(module_key="score", module_version=1, weight=60)]
    )
    errors = publish_errors(spec(lots=[good_lot(), award_only]))
    assert errors == [("lots[1].selections", "lot 2 (Sensors) has no mandatory requirement")]


def test_a_published_tender_names_its_contact_point() -> None:
    assert publish_errors(spec(contact=False)) == [
        ("contact_point", "a published tender names where suppliers send questions (a name or function and an email)")
    ]


# deadlines: the submission deadline at least MIN_DAYS after publication, the others strictly around it


def test_a_submission_deadline_exactly_the_minimum_days_after_publication_is_accepted() -> None:
    assert publish_errors(spec(timeline=schemas.Timeline(submission_deadline=NOW + timedelta(days=MIN_DAYS)))) == []


def test_a_submission_deadline_a_second_short_of_the_minimum_is_refused_with_the_earliest_date() -> None:
    deadline = NOW + timedelta(days=MIN_DAYS) - timedelta(seconds=1)
    assert publish_errors(spec(timeline=schemas.Timeline(submission_deadline=deadline))) == [
        ("timeline.submission_deadline", "must be at least 30 days after publication (2026-04-01)")
    ]


def test_a_tender_without_submission_deadline_cannot_be_published() -> None:
    assert publish_errors(spec(timeline=schemas.Timeline())) == [("timeline.submission_deadline", "is required to publish")]


def test_the_questions_deadline_must_be_before_the_submission_deadline_not_on_it() -> None:
    deadline = NOW + timedelta(days=40)
    before = schemas.Timeline(questions_deadline=deadline - timedelta(seconds=1), submission_deadline=deadline)
    on = schemas.Timeline(questions_deadline=deadline, submission_deadline=deadline)
    assert publish_errors(spec(timeline=before)) == []
    assert publish_errors(spec(timeline=on)) == [("timeline.questions_deadline", "must be before the submission deadline")]


def test_the_planned_award_must_be_after_the_submission_deadline_not_on_it() -> None:
    deadline = NOW + timedelta(days=40)
    after = schemas.Timeline(submission_deadline=deadline, planned_award=deadline + timedelta(seconds=1))
    on = schemas.Timeline(submission_deadline=deadline, planned_award=deadline)
    assert publish_errors(spec(timeline=after)) == []
    assert publish_errors(spec(timeline=on)) == [("timeline.planned_award", "must be after the submission deadline")]


# selections and the specification itself


def test_a_deprecated_version_is_named_with_its_replacement_when_it_has_one() -> None:
    pinned = {
        ("old", 1): version("old", "mandatory", status="deprecated", replaced_by="old v2"),
        ("gone", 1): version("gone", "mandatory", status="deprecated"),
    }
    assert selection_errors("lots[0].selections[0]", schemas.SelectionIn(module_key="old", module_version=1), pinned) == [
        ("lots[0].selections[0].module_version", "old version 1 is deprecated; use old v2")
    ]
    assert selection_errors("lots[0].selections[1]", schemas.SelectionIn(module_key="gone", module_version=1), pinned) == [
        ("lots[0].selections[1].module_version", "gone version 1 is deprecated")
    ]


def test_a_published_version_raises_nothing_for_its_pin() -> None:
    assert selection_errors("lots[0].selections[0]", schemas.SelectionIn(module_key="must", module_version=1), PINNED) == []


def test_an_estimated_value_out_of_range_is_named_on_its_field() -> None:
    errors = spec_errors(msgspec.structs.replace(spec(), estimated_value=Decimal(10**14)), PINNED, [], [])
    assert [field for field, _ in errors] == ["estimated_value"]


def test_an_award_criterion_is_scored_by_a_weight_or_an_added_value_and_only_an_award_criterion() -> None:
    def errors(**fields: object) -> list[tuple[str, str]]:
        return selection_errors("s", schemas.SelectionIn(**fields), PINNED)  # type: ignore[arg-type]

    assert errors(module_key="score", module_version=1, weight=10) == []
    assert errors(module_key="score", module_version=1, added_value=Decimal("0.01")) == []
    assert errors(module_key="score", module_version=1, weight=10, added_value=Decimal(1)) == [
        ("s.added_value", "an award criterion is scored by a weight or by an added value, not both")
    ]
    assert errors(module_key="score", module_version=1, added_value=Decimal(0)) == [
        ("s.weight", "an award criterion needs a weight above 0, or an added value per point")
    ]
    assert errors(module_key="must", module_version=1, added_value=Decimal(5)) == [
        ("s.added_value", "only award criteria carry an added value, this is mandatory")
    ]
    assert errors(module_key="must", module_version=1, weight=5) == [("s.weight", "only award criteria carry a weight, this is mandatory")]
    assert errors(module_key="score", module_version=1, added_value=Decimal("0.001")) == [("s.added_value", "must have at most two decimals")]


def test_a_module_of_another_countrys_law_is_named_and_the_eus_and_the_tenders_own_are_not() -> None:
    pinned = {
        ("eu", 1): version("eu", "mandatory"),
        ("no", 1): version("no", "mandatory", jurisdictions=("NO",)),
        ("dk", 1): version("dk", "mandatory", jurisdictions=("DK",)),
        ("nordic", 1): version("nordic", "mandatory", jurisdictions=("SE", "DK")),
        ("mixed", 1): version("mixed", "mandatory", jurisdictions=("SE", "NO")),
    }
    selections = [schemas.SelectionIn(module_key=key, module_version=1) for key, _ in pinned]
    lots = [schemas.LotIn(title="A", selections=selections[:2]), schemas.LotIn(title="B", selections=selections[2:])]
    assert jurisdiction_warnings(spec(lots=lots), pinned, "NO") == [
        ("lots[1].selections[0]", "dk applies in DK, not in NO"),
        ("lots[1].selections[1]", "nordic applies in SE, DK, not in NO"),
    ]
    assert [field for field, _ in jurisdiction_warnings(spec(lots=lots), pinned, "SE")] == ["lots[0].selections[1]", "lots[1].selections[0]"]
