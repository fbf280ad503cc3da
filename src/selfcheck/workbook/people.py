"""Who is recorded as answering and changing things: a person of the school, never the computer's login name.

The 填报人 of the school profile by default; any member of the inspection team (自查组成员) can take over in one
click. The name goes into answers (answered_by), the ledger (created_by, recorded_by), the audit log and the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PLACEHOLDER_ACTOR = "填报人（未署名）"  # until the school profile names the 填报人


def people(preparer: str | None, team: Iterable[str] = ()) -> list[str]:
    """The names that can be recorded: the 填报人 first, then the team in its order (no blanks, no repeats)."""
    result: list[str] = []
    for name in (preparer or "", *team):
        name = " ".join(name.split())
        if name and name not in result:
            result.append(name)
    return result


def default_actor(preparer: str | None) -> str:
    """The 填报人 of the school profile, or the placeholder while none is named."""
    name = " ".join((preparer or "").split())
    return name or PLACEHOLDER_ACTOR


def people_of(workbook: Any, inspection_id: int | None = None) -> list[str]:
    """The names a workbook can record: its profile's 填报人, then the team of `inspection_id` (if given)."""
    school = workbook.get_school()
    team = workbook.inspections.get(inspection_id).team if inspection_id is not None else []
    return people(school.preparer if school else "", team)
