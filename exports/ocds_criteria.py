"""What a tender asks of suppliers and bids, as OCDS structures: requirement criteria (requirements
extension), award criteria (awardCriteria extension), selection criteria (selectionCriteria
extension) and the exclusion grounds of the law."""

from __future__ import annotations

from typing import Any

from exports.labels import Locale
from exports.model import Law, Lot, Percent, Requirement, RequirementKind
from exports.ocds_fields import fields

CRITERION_KINDS: tuple[RequirementKind, ...] = ("qualification", "mandatory", "contract_condition")
"""The kinds a supplier meets or fails, each one criterion per lot; award criteria are scored instead (`award_criteria`)."""
SELECTION_TYPE = "technical"
"""The catalogue's qualification requirements (certification, experience, service capacity) all concern technical or
professional ability, the selectionCriterionType code for them."""


def requirement_id(lot: Lot, requirement: Requirement) -> str:
    """Stable across document versions: a module is selected at most once per lot (the registry's rule), while a
    requirement's number moves when a selection before it is removed."""
    return f"{lot.id}-{requirement.module_key}"


def criteria(lots: tuple[Lot, ...], t: Locale) -> list[dict[str, Any]]:
    """One criterion per lot and kind, met when all its requirements are (one requirement group). Each requirement is
    answered yes or no; a statement's values are filled into its text, so the expected answer is yes."""
    return [
        fields(
            id=f"{lot.id}-{kind}",
            title=f"{t['lot']} {lot.number}: {t[f'kind.{kind}']}",
            relatesToTenderer=kind == "qualification",
            relatedLots=[lot.id],
            requirementGroups=[fields(id=f"{lot.id}-{kind}-all", requirements=[_requirement(lot, r) for r in requirements])],
        )
        for lot in lots
        for kind in CRITERION_KINDS
        if (requirements := [r for r in lot.requirements if r.kind == kind])
    ]


def _requirement(lot: Lot, requirement: Requirement) -> dict[str, Any]:
    return fields(
        id=requirement_id(lot, requirement),
        title=requirement.title,
        description=requirement.statement,
        dataType="boolean",
        expectedValue=True,
    )


def award_criteria(lot: Lot, t: Locale) -> dict[str, Any]:
    """Price and each award criterion with its weight in percent of the lot's score; a criterion scored by the
    added-value model names its amount per point instead, and the weighting description says how it counts."""
    awarded = [r for r in lot.requirements if r.kind == "award"]
    price = _criterion("price", t["price"], "", lot.price_weight)
    if awarded:
        quality = [_award_criterion(r, t) for r in awarded]
    else:
        quality = [_criterion("quality", t["quality"], "", lot.quality_weight)] if lot.quality_weight else []
    added_value = any(r.added_value for r in awarded)
    return fields(weightingDescription=t["evaluation_added_value"] if added_value else None, criteria=[price, *quality])


def _award_criterion(requirement: Requirement, t: Locale) -> dict[str, Any]:
    value = requirement.added_value
    per_point = t["added_value_per_point"].format(amount=t.money(value)) if value else ""
    description = " ".join(text for text in (requirement.statement, per_point) if text)
    return _criterion("quality", requirement.title, description, requirement.weight)


def _criterion(kind: str, name: str, description: str, weight: Percent | None) -> dict[str, Any]:
    numbers = [{"number": weight, "weight": "percentageExact"}] if weight is not None else []
    return fields(type=kind, name=name, description=description, numbers=numbers)


def selection_criteria(lot: Lot) -> dict[str, Any]:
    """The lot's qualification requirements, each with how the buyer verifies it."""
    return fields(
        criteria=[
            fields(
                type=SELECTION_TYPE,
                description=f"{r.title}: {r.statement}",
                appliesTo=["supplier"],
                verificationMethod=r.verification or ", ".join(r.verification_documents),
            )
            for r in lot.requirements
            if r.kind == "qualification"
        ]
    )


def exclusion_grounds(law: Law | None, t: Locale) -> str:
    """The mandatory exclusion rule and the discretionary grounds the buyer applies, for `tender.eligibilityCriteria`
    (the core field for who may take part); empty for a document published before the law was stated."""
    if law is None:
        return ""
    grounds = " ".join(ground.text for ground in law.discretionary_exclusion)
    discretionary = t["ocds.discretionary_grounds"].format(grounds=grounds) if grounds else ""
    return "\n".join(text for text in (law.mandatory_exclusion, discretionary) if text)
