"""What the fill-in screen knows about one inspection: snapshot, answers, photo counts, problems (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import Checklist, Item, Section
from selfcheck.checklists.scoring import Tally, is_visible, tally_items
from selfcheck.workbook.models import Answer, AnswerChange, Inspection, Problem, ProblemStatus
from selfcheck.workbook.progress import photo_missing


class ItemFilter(str, Enum):
    ALL = "all"
    UNANSWERED = "unanswered"
    NONCOMPLIANT = "noncompliant"
    PHOTO_MISSING = "photo_missing"


FILTER_LABELS = {
    ItemFilter.ALL: "全部检查项",
    ItemFilter.UNANSWERED: "未作答",
    ItemFilter.NONCOMPLIANT: "不合规",
    ItemFilter.PHOTO_MISSING: "缺少必需照片",
}


@dataclass(frozen=True)
class ItemRef:
    checklist: Checklist
    section: Section
    item: Item


@dataclass
class InspectionState:
    """Loaded once when an inspection is opened and kept current from each AnswerChange."""

    inspection: Inspection
    checklists: list[Checklist]
    answers: dict[str, Answer]
    photo_counts: dict[str, int]
    problems: dict[str, Problem] = field(default_factory=dict)  # by item id
    refs: dict[str, ItemRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.refs = {item.id: ItemRef(c, s, item) for c in self.checklists for s in c.sections for item in s.items}

    @classmethod
    def load(cls, workbook: object, inspection_id: int) -> InspectionState:
        wb = workbook
        problems = {p.item_id: p for p in wb.ledger.all(inspection_id) if p.item_id}  # type: ignore[attr-defined]
        return cls(
            inspection=wb.inspections.get(inspection_id),  # type: ignore[attr-defined]
            checklists=wb.inspections.checklists(inspection_id),  # type: ignore[attr-defined]
            answers=wb.answers.all(inspection_id),  # type: ignore[attr-defined]
            photo_counts=wb.photos.counts(inspection_id),  # type: ignore[attr-defined]
            problems=problems,
        )

    # --- values --------------------------------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, str | None]:
        return {item_id: answer.value for item_id, answer in self.answers.items()}

    def value(self, item_id: str) -> str | None:
        answer = self.answers.get(item_id)
        return answer.value if answer else None

    def note(self, item_id: str) -> str:
        answer = self.answers.get(item_id)
        return answer.note if answer else ""

    def compliance(self, item_id: str) -> Compliance:
        return compliance_of(self.refs[item_id].item, self.value(item_id))

    def is_checklist_na(self, checklist_id: str) -> bool:
        return checklist_id in self.inspection.not_applicable

    def visible(self, item: Item, values: dict[str, str | None] | None = None) -> bool:
        return is_visible(item, self.values if values is None else values)

    def photo_missing(self, item_id: str) -> bool:
        ref = self.refs[item_id]
        return photo_missing(ref.item, self.value(item_id), self.photo_counts.get(item_id, 0))

    def open_problem(self, item_id: str) -> Problem | None:
        problem = self.problems.get(item_id)
        return problem if problem is not None and problem.status is not ProblemStatus.CLOSED else None

    # --- lists -----------------------------------------------------------------------------------------------------
    def section_items(self, checklist_id: str, section_id: str) -> list[Item]:
        """Visible items of one section (hidden show_if items are left out)."""
        values = self.values
        for checklist in self.checklists:
            if checklist.id == checklist_id:
                section = next(s for s in checklist.sections if s.id == section_id)
                return [i for i in section.items if is_visible(i, values)]
        raise KeyError(checklist_id)

    def matching_items(self, item_filter: ItemFilter, search: str = "") -> list[Item]:
        """Visible items of applicable checklists matching the filter and the search text, in checklist order."""
        needle = search.strip().lower()
        values = self.values
        found = []
        for checklist in self.checklists:
            if self.is_checklist_na(checklist.id):
                continue
            for item in checklist.all_items():
                if not is_visible(item, values) or not self._passes(item, item_filter):
                    continue
                if needle and not (needle in item.id.lower() or needle in item.question.lower()
                                   or needle in item.guidance.lower() or needle in self.note(item.id).lower()):
                    continue
                found.append(item)
        return found

    def _passes(self, item: Item, item_filter: ItemFilter) -> bool:
        if item_filter is ItemFilter.UNANSWERED:
            return self.value(item.id) in (None, "")
        if item_filter is ItemFilter.NONCOMPLIANT:
            return self.compliance(item.id) is Compliance.NONCOMPLIANT
        if item_filter is ItemFilter.PHOTO_MISSING:
            return self.photo_missing(item.id)
        return True

    def section_counts(self, checklist: Checklist, section: Section) -> tuple[int, int, int]:
        """(answered, visible total, open problems) of a section."""
        if self.is_checklist_na(checklist.id):
            return 0, 0, 0
        tally = self.section_tally(checklist, section)
        problems = sum(self.open_problem(i.id) is not None for i in section.items)
        return tally.answered, tally.total, problems

    def section_tally(self, checklist: Checklist, section: Section) -> Tally:
        """The scorer's tally of one section (counts, completion and points)."""
        return tally_items(section.items, self.values, checklist_not_applicable=self.is_checklist_na(checklist.id))

    def inspection_tally(self) -> Tally:
        return sum((self.checklist_tally(c) for c in self.checklists), Tally())

    def checklist_tally(self, checklist: Checklist) -> Tally:
        return sum((self.section_tally(checklist, s) for s in checklist.sections), Tally())

    def checklist_counts(self, checklist: Checklist) -> tuple[int, int, int]:
        totals = [self.section_counts(checklist, s) for s in checklist.sections]
        return sum(t[0] for t in totals), sum(t[1] for t in totals), sum(t[2] for t in totals)

    def first_section(self) -> tuple[str, str] | None:
        for checklist in self.checklists:
            if not self.is_checklist_na(checklist.id):
                return checklist.id, checklist.sections[0].id
        return None

    # --- updates ---------------------------------------------------------------------------------------------------
    def apply(self, change: AnswerChange) -> None:
        """Take in what set_answer/set_note/clear_answer stored."""
        if change.answer is None:
            self.answers.pop(change.item_id, None)
        else:
            self.answers[change.item_id] = change.answer
        if change.problem is not None and change.problem_action.value != "removed":
            self.problems[change.item_id] = change.problem
        elif change.problem_action.value == "removed":
            self.problems.pop(change.item_id, None)
        # Items the answer hid or showed again (show_if) may have lost or regained their problems.
        for problem in change.dependents.removed:
            self.problems.pop(problem.item_id or "", None)
        for problem in change.dependents.recreated:
            self.set_problem(problem)

    def set_problem(self, problem: Problem) -> None:
        if problem.item_id:
            self.problems[problem.item_id] = problem
