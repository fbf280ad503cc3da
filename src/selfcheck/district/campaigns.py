"""Campaigns: one round of self-inspection the bureau asked for (title, period, expected checklists, deadline)."""

from __future__ import annotations

import json
from datetime import date, datetime, time

from selfcheck.district.db import now_iso
from selfcheck.district.errors import DistrictError, NotFoundError
from selfcheck.district.models import Campaign, ExpectedChecklist
from selfcheck.district.store import Store, dumps

_COLUMNS = "id, title, period_start, period_end, checklists, deadline, created_at"


def end_of_day(day: date) -> datetime:
    """A deadline typed as a date means the end of that day, local time."""
    return datetime.combine(day, time(23, 59, 59)).astimezone()


def _checked(title: str, period_start: date, period_end: date,
             deadline: datetime | date | None) -> tuple[str, datetime | None]:
    """The title with its spaces tidied and the deadline as an aware moment; refuses what cannot be a campaign."""
    title = " ".join(title.split())
    if not title:
        raise DistrictError("请填写专项名称。")
    if period_end < period_start:
        raise DistrictError("自查时段的结束日期早于开始日期。")
    if isinstance(deadline, date) and not isinstance(deadline, datetime):
        deadline = end_of_day(deadline)
    if deadline is not None and deadline.tzinfo is None:
        deadline = deadline.astimezone()
    return title, deadline


def _model(row: dict) -> Campaign:
    return Campaign(**{**row, "checklists": json.loads(row["checklists"])})


class Campaigns:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, title: str, period_start: date, period_end: date, *,
               checklists: list[ExpectedChecklist] | None = None,
               deadline: datetime | date | None = None) -> Campaign:
        title, deadline = _checked(title, period_start, period_end, deadline)
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO campaigns (title, period_start, period_end, checklists, deadline, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (title, period_start.isoformat(), period_end.isoformat(),
                 dumps([c.model_dump() for c in checklists or []]),
                 deadline.isoformat() if deadline else None, now_iso()))
            new_id = int(cursor.lastrowid)  # type: ignore[arg-type]
        return self.get(new_id)

    def update(self, campaign_id: int, title: str, period_start: date, period_end: date, *,
               deadline: datetime | date | None = None) -> Campaign:
        """Correct a campaign: its title and reporting deadline at any time (a deadline put back or extended
        changes who counts as late); its period only while no report was received into it, since the received
        ones were judged against the period they were received under."""
        current = self.get(campaign_id)
        title, deadline = _checked(title, period_start, period_end, deadline)
        with self._store.write() as db:
            if (period_start, period_end) != (current.period_start, current.period_end):
                received = self.accepted_reports(campaign_id)
                if received:
                    raise DistrictError(
                        f"本轮自查已接收 {received} 份报告，不能再修改自查时段：这些报告是按原时段核验的。"
                        "名称和报送截止时间仍可修改；时段确有错误时，请新建一轮自查后重新接收报告。")
            db.execute("UPDATE campaigns SET title = ?, period_start = ?, period_end = ?, deadline = ? WHERE id = ?",
                       (title, period_start.isoformat(), period_end.isoformat(),
                        deadline.isoformat() if deadline else None, campaign_id))
        return self.get(campaign_id)

    def accepted_reports(self, campaign_id: int) -> int:
        """How many reports were accepted into the campaign (counting or superseded since): they were judged
        against its period, which is therefore fixed. Rejected ones do not fix it (a wrong period may be why)."""
        return int(self._store.db.execute(
            "SELECT count(*) FROM received WHERE campaign_id = ? AND verdict IN ('accepted', 'superseded')",
            (campaign_id,)).fetchone()[0])

    def get(self, campaign_id: int) -> Campaign:
        row = self._store.row(f"SELECT {_COLUMNS} FROM campaigns WHERE id = ?", (campaign_id,))
        if row is None:
            raise NotFoundError(f"没有编号为 {campaign_id} 的专项。")
        return _model(row)

    def list(self) -> list[Campaign]:
        return [_model(r) for r in self._store.rows(f"SELECT {_COLUMNS} FROM campaigns ORDER BY id")]

    def current(self) -> Campaign | None:
        """The campaign whose period holds today (the latest such), else the latest created; None when none."""
        today = date.today().isoformat()
        row = self._store.row(f"SELECT {_COLUMNS} FROM campaigns WHERE period_start <= ? AND period_end >= ? "
                              "ORDER BY id DESC LIMIT 1", (today, today))
        row = row or self._store.row(f"SELECT {_COLUMNS} FROM campaigns ORDER BY id DESC LIMIT 1")
        return _model(row) if row else None
