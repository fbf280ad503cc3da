"""Scoring: counts and points per section, checklist, area and inspection (pure functions).

The one definition of what counts as an item of an inspection, and of how items are scored, lives here; the
fill-in screen, the review, the report (PDF and JSON) and `selfcheck workbook info` all count with it:

- an item **counts** (is one of the inspection's 检查项) when its checklist applies (is not marked 不适用 for the
  inspection) and its show_if condition shows it. Hidden items and items of a not-applicable checklist are
  *excluded*: they are neither answered nor unanswered and are not part of "已完成 x/y".
- a counted item is **answered** once it has a value (是 / 否 / 不适用 / an option / a number / a date / text);
  answered 不适用 (or an option that counts as not applicable) completes the item but carries no points.
- record-only items (登记项: dates, text, choices no option of which is non-compliant) count and must be answered
  like any other; they are worth 0 points, so they never move a score.
- only answered items are **scored**: `max_score` is the sum of the points of the answered compliant and
  non-compliant items, `deducted` that of the non-compliant ones. An unanswered item earns nothing and is never
  compliant; completion (answered / items) is shown beside every score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import Checklist, Item, normalize_condition_value

Answers = Mapping[str, str | None]
SCORED = (Compliance.COMPLIANT, Compliance.NONCOMPLIANT)


class Tally(BaseModel):
    """Counts of item outcomes and the points they earn (see the module docstring for the rules)."""

    model_config = ConfigDict(frozen=True)

    compliant: int = 0
    noncompliant: int = 0
    not_applicable: int = 0
    unanswered: int = 0
    max_score: int = 0
    deducted: int = 0
    excluded: int = 0  # hidden by show_if or in a checklist marked 不适用: not items of the inspection

    @property
    def total(self) -> int:
        """Items of the inspection (counted items): the y of 已完成 x/y."""
        return self.compliant + self.noncompliant + self.not_applicable + self.unanswered

    @property
    def answered(self) -> int:
        """Counted items with an answer: the x of 已完成 x/y."""
        return self.total - self.unanswered

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @property
    def score(self) -> int:
        return self.max_score - self.deducted

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in Tally.model_fields})


def completion_text(tally: Tally) -> str:
    """“已完成 12/17”: how many of the counted items are answered."""
    return f"已完成 {tally.answered}/{tally.total}"


def score_text(tally: Tally) -> str:
    """“得分 20/24” over the answered items; “—” while nothing scorable is answered."""
    return f"{tally.score}/{tally.max_score}" if tally.max_score else "—"


def is_visible(item: Item, answers: Answers) -> bool:
    """Whether an item is shown, given the answers so far (show_if on an earlier item)."""
    if item.show_if is None:
        return True
    wanted = {normalize_condition_value(v) for v in item.show_if.values}
    return answers.get(item.show_if.item) in wanted


def counts_as_item(item: Item, answers: Answers, *, checklist_not_applicable: bool = False) -> bool:
    """Whether `item` is one of the inspection's items: its checklist applies and show_if shows it."""
    return not checklist_not_applicable and is_visible(item, answers)


def is_answered(value: str | None) -> bool:
    return value is not None and value != ""


def item_outcome(item: Item, answers: Answers, *, checklist_not_applicable: bool = False) -> Compliance:
    """Compliance of one item; a hidden item, or any item of a checklist marked 不适用, counts as not applicable."""
    if not counts_as_item(item, answers, checklist_not_applicable=checklist_not_applicable):
        return Compliance.NOT_APPLICABLE
    return compliance_of(item, answers.get(item.id))


def tally_outcomes(outcomes: Iterable[tuple[Compliance | str | None, int]]) -> Tally:
    """Count (outcome, item points) pairs: the one place the scoring rule lives.

    An outcome of None is an excluded item (not one of the inspection's items). Only answered compliant and
    non-compliant items carry points; a non-compliant item's points are deducted. Outcomes may be given as
    Compliance or as its value ("compliant", "noncompliant", "na", "unanswered"); raises ValueError for others.
    """
    counts = dict.fromkeys(Compliance, 0)
    max_score = deducted = excluded = 0
    for given, points in outcomes:
        if given is None:
            excluded += 1
            continue
        outcome = Compliance(given)
        counts[outcome] += 1
        if outcome in SCORED:
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
        excluded=excluded,
    )


def counted_outcome(item: Item, answers: Answers, *, checklist_not_applicable: bool = False) -> Compliance | None:
    """The item's outcome, or None when it is not one of the inspection's items."""
    if not counts_as_item(item, answers, checklist_not_applicable=checklist_not_applicable):
        return None
    return compliance_of(item, answers.get(item.id))


def tally_items(items: Iterable[Item], answers: Answers, *, checklist_not_applicable: bool = False) -> Tally:
    """Tally of the given items under `answers` (all excluded when their checklist is marked 不适用)."""
    return tally_outcomes(
        (counted_outcome(item, answers, checklist_not_applicable=checklist_not_applicable), item.score)
        for item in items
    )


def not_applicable_tally(checklist: Checklist) -> Tally:
    """A checklist marked 不适用 for the whole inspection: none of its items counts."""
    return tally_items(checklist.all_items(), {}, checklist_not_applicable=True)


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
    """Tallies per section and for the whole checklist; `not_applicable` = the checklist is marked 不适用."""
    sections = {s.id: tally_items(s.items, answers, checklist_not_applicable=not_applicable)
                for s in checklist.sections}
    return ChecklistScore(checklist_id=checklist.id, tally=sum(sections.values(), Tally()), sections=sections,
                          not_applicable=not_applicable)


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
