"""The home page's overview of one inspection: completion per 1+3+N area and what needs attention, each figure
with the items or problems behind it (pure functions over snapshot, answers, problems and photo counts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import AREA_TITLES, Area, Checklist
from selfcheck.checklists.scoring import is_visible
from selfcheck.workbook.figures import (
    DUE_SOON_DAYS,
    AreaCompletion,
    Dashboard,
    due_soon_on,
    overdue_on,
)
from selfcheck.workbook.models import OPEN_STATUSES, BlockerKind, Problem
from selfcheck.workbook.progress import progress, review

__all__ = ["DUE_SOON_DAYS", "AreaCompletion", "Dashboard", "dashboard", "is_due_soon", "is_overdue"]


def is_overdue(problem: Problem, today: date) -> bool:
    return overdue_on(problem.status, problem.deadline, today)


def is_due_soon(problem: Problem, today: date) -> bool:
    return due_soon_on(problem.status, problem.deadline, today)


def dashboard(inspection_id: int, checklists: Sequence[Checklist], not_applicable: Mapping[str, str],
              values: Mapping[str, str | None], problems: Sequence[Problem], photo_counts: Mapping[str, int],
              today: date) -> Dashboard:
    overall = progress(inspection_id, checklists, not_applicable, values, problems, dict(photo_counts))
    areas = []
    for area in Area:
        mine = [c for c in overall.checklists if c.area == area.value]
        if not mine:
            continue
        areas.append(AreaCompletion(
            area=area.value, title=AREA_TITLES[area.value], done=sum(c.done for c in mine),
            total=sum(c.total for c in mine), noncompliant=sum(c.noncompliant for c in mine),
            checklists=len(mine), not_applicable=sum(c.not_applicable for c in mine)))
    noncompliant = [
        item.id
        for checklist in checklists if checklist.id not in not_applicable
        for item in checklist.all_items()
        if is_visible(item, values) and compliance_of(item, values.get(item.id)) is Compliance.NONCOMPLIANT
    ]
    missing = [b.item_id for b in review(checklists, not_applicable, values, problems, photo_counts)
               if b.kind is BlockerKind.PHOTO_MISSING and b.item_id is not None]
    return Dashboard(
        inspection_id=inspection_id, today=today, areas=areas, done=overall.done, total=overall.total,
        noncompliant_items=noncompliant,
        open_problems=[p.id for p in problems if p.status in OPEN_STATUSES],
        overdue_problems=[p.id for p in problems if is_overdue(p, today)],
        due_soon_problems=[p.id for p in problems if is_due_soon(p, today)],
        photos_missing_items=missing,
    )
