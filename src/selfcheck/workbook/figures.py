"""The home page's dashboard figures as plain data (standard library only), so the start-up snapshot of the home
page (glance.py) can hold and show them without loading the workbook stack; dashboard.py computes them. The rule of
which problems are overdue or due soon on a day is here too, so the snapshot can apply it to another day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DUE_SOON_DAYS = 7
RECTIFYING = ("待整改", "整改中")  # ProblemStatus.PENDING and IN_PROGRESS (a str enum): not yet rectified


def overdue_on(status: str, deadline: date | None, today: date) -> bool:
    """Past its deadline and not yet rectified."""
    return deadline is not None and status in RECTIFYING and deadline < today


def due_soon_on(status: str, deadline: date | None, today: date) -> bool:
    """Deadline within the next DUE_SOON_DAYS days (today included) and not yet rectified."""
    return deadline is not None and status in RECTIFYING and today <= deadline <= today + timedelta(days=DUE_SOON_DAYS)


@dataclass(frozen=True)
class AreaCompletion:
    """One of 1 / 3 / N: answered and visible items over its applicable checklists."""

    area: str
    title: str
    done: int
    total: int
    noncompliant: int
    checklists: int
    not_applicable: int  # checklists of this area marked 不适用


@dataclass(frozen=True)
class Dashboard:
    """What the home page shows for the open inspection; every count is the length of a list of ids."""

    inspection_id: int
    today: date
    areas: list[AreaCompletion]
    done: int
    total: int
    noncompliant_items: list[str]
    open_problems: list[int]  # not yet 已销号
    overdue_problems: list[int]  # past the deadline and not yet rectified
    due_soon_problems: list[int]  # deadline within the next DUE_SOON_DAYS days, not yet rectified
    photos_missing_items: list[str]  # answered items whose required photo is missing
