"""Scoring: counts and points per section, checklist, area and inspection (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import Checklist, Item, normalize_condition_value

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


def item_outcome(item: Item, answers: Answers) -> Compliance:
    """Compliance of one item; a hidden item counts as not applicable."""
    if not is_visible(item, answers):
        return Compliance.NOT_APPLICABLE
    return compliance_of(item, answers.get(item.id))


def tally_items(items: Iterable[Item], answers: Answers) -> Tally:
    counts = {c: 0 for c in Compliance}
    max_score = deducted = 0
    for item in items:
        outcome = item_outcome(item, answers)
        counts[outcome] += 1
        if outcome is not Compliance.NOT_APPLICABLE:
            max_score += item.score
        if outcome is Compliance.NONCOMPLIANT:
            deducted += item.score
    return Tally(
        compliant=counts[Compliance.COMPLIANT],
        noncompliant=counts[Compliance.NONCOMPLIANT],
        not_applicable=counts[Compliance.NOT_APPLICABLE],
        unanswered=counts[Compliance.UNANSWERED],
        max_score=max_score,
        deducted=deducted,
    )


def not_applicable_tally(checklist: Checklist) -> Tally:
    """A checklist marked 不适用 for the whole inspection: every item counts as not applicable."""
    return Tally(not_applicable=len(checklist.all_items()))


class ChecklistScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    checklist_id: str
    tally: Tally
    sections: dict[str, Tally]
    not_applicable: bool = False


class InspectionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    tally: Tally
    checklists: dict[str, ChecklistScore]
    areas: dict[str, Tally]


def score_checklist(checklist: Checklist, answers: Answers, *, not_applicable: bool = False) -> ChecklistScore:
    if not_applicable:
        sections = {s.id: Tally(not_applicable=len(s.items)) for s in checklist.sections}
        return ChecklistScore(checklist_id=checklist.id, tally=not_applicable_tally(checklist),
                              sections=sections, not_applicable=True)
    sections = {s.id: tally_items(s.items, answers) for s in checklist.sections}
    total = sum(sections.values(), Tally())
    return ChecklistScore(checklist_id=checklist.id, tally=total, sections=sections)


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
