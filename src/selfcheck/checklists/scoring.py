"""Scoring: counts and points per section, checklist, area and inspection (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import Checklist, Item, normalize_condition_value
from selfcheck.checklists.tiers import tier_of

Answers = Mapping[str, str | None]


class Tally(BaseModel):
    """Counts of item outcomes and the points they earn."""

    model_config = ConfigDict(frozen=True)

    compliant: int = 0
    noncompliant: int = 0
    not_applicable: int = 0
    unanswered: int = 0
    max_score: int = 0
    deducted: int = 0

    @property
    def total(self) -> int:
        return self.compliant + self.noncompliant + self.not_applicable + self.unanswered

    @property
    def answered(self) -> int:
        return self.total - self.unanswered

    @property
    def score(self) -> int:
        return self.max_score - self.deducted

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in Tally.model_fields})


def is_visible(item: Item, answers: Answers) -> bool:
    """Whether an item is shown, given the answers so far (show_if on an earlier item)."""
    if item.show_if is None:
        return True
    wanted = {normalize_condition_value(v) for v in item.show_if.values}
    return answers.get(item.show_if.item) in wanted


def item_outcome(item: Item, answers: Answers, *, checklist_not_applicable: bool = False) -> Compliance:
    """Compliance of one item; a hidden item, or any item of a checklist marked 不适用, counts as not applicable."""
    if checklist_not_applicable or not is_visible(item, answers):
        return Compliance.NOT_APPLICABLE
    return compliance_of(item, answers.get(item.id))


def tally_outcomes(outcomes: Iterable[tuple[Compliance | str, int]]) -> Tally:
    """Count (outcome, item points) pairs: the one place the scoring rule lives.

    Not applicable items carry no points; a non-compliant item's points are deducted. Outcomes may be given as
    Compliance or as its value ("compliant", "noncompliant", "na", "unanswered"); raises ValueError for others.
    """
    counts = dict.fromkeys(Compliance, 0)
    max_score = deducted = 0
    for given, points in outcomes:
        outcome = Compliance(given)
        counts[outcome] += 1
        if outcome is not Compliance.NOT_APPLICABLE:
            max_score += points
        if outcome is Compliance.NONCOMPLIANT:
            deducted += points
    return Tally(
        compliant=counts[Compliance.COMPLIANT],
        noncompliant=counts[Compliance.NONCOMPLIANT],
        not_applicable=counts[Compliance.NOT_APPLICABLE],
        unanswered=counts[Compliance.UNANSWERED],
        max_score=max_score,
        deducted=deducted,
    )


def tally_items(items: Iterable[Item], answers: Answers, *, checklist_not_applicable: bool = False) -> Tally:
    """Tally of the given items under `answers` (all not applicable when their checklist is marked 不适用)."""
    return tally_outcomes(
        (item_outcome(item, answers, checklist_not_applicable=checklist_not_applicable), item.score) for item in items
    )


def not_applicable_tally(checklist: Checklist) -> Tally:
    """A checklist marked 不适用 for the whole inspection: every item counts as not applicable."""
    return tally_items(checklist.all_items(), {}, checklist_not_applicable=True)


class ChecklistScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    checklist_id: str
    tally: Tally
    sections: dict[str, Tally]
    not_applicable: bool = False
    tier: str | None = None  # 示范 / 规范 / 达标 / 未达标 where the checklist defines tiers (see tiers.py)


class InspectionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    tally: Tally
    checklists: dict[str, ChecklistScore]
    areas: dict[str, Tally]


def score_checklist(checklist: Checklist, answers: Answers, *, not_applicable: bool = False) -> ChecklistScore:
    """Tallies per section and for the whole checklist; `not_applicable` = the checklist is marked 不适用."""
    sections = {s.id: tally_items(s.items, answers, checklist_not_applicable=not_applicable)
                for s in checklist.sections}
    tally = sum(sections.values(), Tally())
    return ChecklistScore(checklist_id=checklist.id, tally=tally, sections=sections, not_applicable=not_applicable,
                          tier=None if not_applicable else tier_of(checklist, tally))


def score_inspection(
    checklists: Iterable[Checklist], answers: Answers, not_applicable: Iterable[str] = ()
) -> InspectionScore:
    """Score every checklist of an inspection; `not_applicable` holds ids of checklists marked 不适用."""
    excluded = set(not_applicable)
    per_checklist: dict[str, ChecklistScore] = {}
    areas: dict[str, Tally] = {}
    for checklist in checklists:
        result = score_checklist(checklist, answers, not_applicable=checklist.id in excluded)
        per_checklist[checklist.id] = result
        areas[checklist.area.value] = areas.get(checklist.area.value, Tally()) + result.tally
    total = sum((r.tally for r in per_checklist.values()), Tally())
    return InspectionScore(tally=total, checklists=per_checklist, areas=areas)
