"""Whose reviews count where.

A review belongs to the organization of the buyer who wrote it. The organizations whose reviews
apply (the ``reviewers``) depend on where the evidence is judged:

- for a tender (its lots' evidence fit, the evidence shared with it): the tender's buyers, that is
  the lead buyer organization and the municipalities that confirmed their participation (invited
  or declined ones do not count);
- anywhere else (a product's evidence fit, an item's ``review_state`` and the ``review_state``
  filter): the caller's own organization. A supplier never reviews, so on its own items it sees the
  registry-level state, and every buyer's review in the history.

Registry-level reviews apply everywhere. A review is registry-level when its author held the
``library_editor`` role when writing it; admins hold every role, so theirs are registry-level too.

The latest applicable review decides: a tender's buyer may accept what a library editor rejected,
and a later registry-level review overrides it again. An edit by the supplier records a reset, which
applies everywhere, so reviews of the earlier content no longer count; with no applicable review
since the latest edit an item is ``unreviewed``. Other reviews stay in the history as information.

``state`` judges loaded history entries and ``state_column`` is the same rule in SQL, for filters
and for loading many items at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select

from registry.evidence.models import EvidenceItem, EvidenceReview

UNREVIEWED = "unreviewed"


def applies(entry: EvidenceReview, reviewers: frozenset[UUID]) -> bool:
    """Counts for ``reviewers``: a reset, a registry-level review, or a review by one of them."""
    return entry.kind == "reset" or entry.registry_level or entry.organization_id in reviewers


def current(history: Sequence[EvidenceReview], reviewers: frozenset[UUID]) -> list[EvidenceReview]:
    """The applicable entries since the latest reset (that reset included), oldest first."""
    resets = [n for n, entry in enumerate(history) if entry.kind == "reset"]
    return [entry for entry in history[resets[-1] if resets else 0 :] if applies(entry, reviewers)]


def state(history: Sequence[EvidenceReview], reviewers: frozenset[UUID]) -> str:
    """The outcome of the latest applicable entry of ``history`` (oldest first)."""
    return next((entry.outcome for entry in reversed(history) if applies(entry, reviewers)), UNREVIEWED)


def state_column(reviewers: frozenset[UUID]) -> ColumnElement[str]:
    """``state`` of each ``EvidenceItem`` row in a query, as a correlated subquery."""
    latest = (
        select(EvidenceReview.outcome)
        .where(
            EvidenceReview.evidence_id == EvidenceItem.id,
            or_(EvidenceReview.kind == "reset", EvidenceReview.registry_level, EvidenceReview.organization_id.in_(reviewers)),
        )
        .order_by(EvidenceReview.at.desc(), EvidenceReview.id.desc())
        .limit(1)
        .correlate(EvidenceItem)
        .scalar_subquery()
    )
    return func.coalesce(latest, UNREVIEWED)
