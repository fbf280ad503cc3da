"""Progress counts for the navigator and the pre-report review (pure functions over snapshot, answers, problems)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import NA, Checklist, Item, PhotoRequirement
from selfcheck.checklists.scoring import Tally, counts_as_item, score_inspection, tally_items
from selfcheck.workbook.models import (
    Blocker,
    BlockerKind,
    ChecklistProgress,
    InspectionProgress,
    Problem,
    ProblemStatus,
    SectionProgress,
)


def _answered(value: str | None) -> bool:
    return value is not None and value != ""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts(checklists: Sequence[Checklist], not_applicable: Mapping[str, str],
           values: Mapping[str, str | None]) -> tuple[int, int, int]:
    """(answered, items, noncompliant) of the inspection, counted by the scorer (checklists.scoring)."""
    tally = score_inspection(checklists, values, not_applicable).tally
    return tally.answered, tally.total, tally.noncompliant


def progress(inspection_id: int, checklists: Sequence[Checklist], not_applicable: Mapping[str, str],
             values: Mapping[str, str | None], problems: Sequence[Problem],
             photo_counts: dict[str, int]) -> InspectionProgress:
    """Done/total per checklist and section; a checklist marked 不适用 counts 0/0."""
    open_by_item: dict[str, int] = {}
    for problem in problems:
        if problem.item_id and problem.status is not ProblemStatus.CLOSED:
            open_by_item[problem.item_id] = open_by_item.get(problem.item_id, 0) + 1
    result: list[ChecklistProgress] = []
    for checklist in checklists:
        skipped = checklist.id in not_applicable
        sections = []
        for section in checklist.sections:
            tally: Tally = tally_items(section.items, values, checklist_not_applicable=skipped)
            sections.append(SectionProgress(
                section_id=section.id, title=section.title,
                done=tally.answered, total=tally.total, noncompliant=tally.noncompliant,
            ))
        result.append(ChecklistProgress(
            checklist_id=checklist.id, title=checklist.title, area=checklist.area.value, not_applicable=skipped,
            not_applicable_reason=not_applicable.get(checklist.id, ""),
            done=sum(s.done for s in sections), total=sum(s.total for s in sections),
            noncompliant=sum(s.noncompliant for s in sections),
            open_problems=sum(open_by_item.get(i.id, 0) for i in checklist.all_items()),
            sections=sections,
        ))
    by_status = {status: 0 for status in ProblemStatus}
    for problem in problems:
        by_status[problem.status] += 1
    return InspectionProgress(
        inspection_id=inspection_id,
        done=sum(c.done for c in result), total=sum(c.total for c in result),
        noncompliant=sum(c.noncompliant for c in result),
        problems_by_status=by_status, overdue_problems=sum(p.overdue for p in problems),
        checklists=result, photo_counts=dict(photo_counts),
    )


def photo_missing(item: Item, value: str | None, photos: int) -> bool:
    """Whether the item's evidence rule wants a photo it does not have (answered 不适用 never needs one)."""
    if photos > 0 or not _answered(value) or value == NA:
        return False
    rule = item.evidence.photo
    if rule is PhotoRequirement.REQUIRED:
        return compliance_of(item, value) is not Compliance.NOT_APPLICABLE
    if rule is PhotoRequirement.REQUIRED_IF_NONCOMPLIANT:
        return compliance_of(item, value) is Compliance.NONCOMPLIANT
    return False


def review(checklists: Sequence[Checklist], not_applicable: Mapping[str, str], values: Mapping[str, str | None],
           problems: Sequence[Problem], photo_counts: Mapping[str, int]) -> list[Blocker]:
    """Unanswered visible items, then missing required photos, then problems still 待整改 without a plan."""
    unanswered: list[Blocker] = []
    photos: list[Blocker] = []
    for checklist in checklists:
        if checklist.id in not_applicable:
            continue
        for item in checklist.all_items():
            if not counts_as_item(item, values):
                continue
            value = values.get(item.id)
            if compliance_of(item, value) is Compliance.UNANSWERED:
                unanswered.append(Blocker(
                    kind=BlockerKind.UNANSWERED, checklist_id=checklist.id, item_id=item.id, problem_id=None,
                    message=f"{item.id} 尚未作答：{_short(item.question)}"))
            elif photo_missing(item, value, photo_counts.get(item.id, 0)):
                photos.append(Blocker(
                    kind=BlockerKind.PHOTO_MISSING, checklist_id=checklist.id, item_id=item.id, problem_id=None,
                    message=f"{item.id} 缺少照片：{_short(item.evidence.description)}"))
    plans = [
        Blocker(kind=BlockerKind.NO_PLAN, checklist_id=p.checklist_id, item_id=p.item_id, problem_id=p.id,
                message=f"问题 #{p.id} 尚未制定整改方案：{_short(p.description)}")
        for p in problems
        if p.status is ProblemStatus.PENDING and not p.has_plan
    ]
    return unanswered + photos + plans
