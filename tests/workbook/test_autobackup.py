"""Automatic backups: one verified copy a day, the last seven days and one per month kept, listed newest first."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from selfcheck.workbook import autobackup
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR


def _take(wb_path: Path, root: Path, days: list[date]) -> list[Path]:
    made = []
    for day in days:
        made.append(autobackup.backup_if_due(wb_path, root, today=day))
    return made


def test_rotation_keeps_seven_days_and_one_per_month(wb: Workbook, inspection_id: int, wb_path: Path,
                                                      tmp_path: Path) -> None:
    root = tmp_path / "自动备份"
    wb.answers.set(inspection_id, "TST-01", "是")
    start = date(2026, 9, 20)
    days = [start + timedelta(days=n) for n in range(0, 75, 3)]  # every third day from 20 Sep to 1 Dec
    made = _take(wb_path, root, days)
    assert all(made)
    kept = autobackup.list_backups(root)
    kept_days = [e.day for e in kept]
    newest_seven = sorted(days, reverse=True)[:7]
    assert kept_days[:7] == newest_seven
    # older than the last seven: the newest backup of each month
    older = kept_days[7:]
    assert older == [date(2026, 10, 29), date(2026, 9, 29)]
    assert len({e.workbook_id for e in kept}) == 1
    for entry in kept:
        assert entry.size > 0 and autobackup.is_good(entry.path)
        assert entry.workbook_name == wb_path.stem


def test_one_backup_per_day_and_listed_by_workbook(wb: Workbook, inspection_id: int, wb_path: Path,
                                                   tmp_path: Path) -> None:
    root = tmp_path / "自动备份"
    today = date(2026, 12, 3)
    assert autobackup.backup_if_due(wb_path, root, today=today) is not None
    wb.answers.set(inspection_id, "TST-01", "是")
    assert autobackup.backup_if_due(wb_path, root, today=today) is None
    other = tmp_path / "另一个.selfcheck"
    Workbook.create(other, actor=ACTOR).close()
    autobackup.backup_if_due(other, root, today=today)
    assert len(autobackup.list_backups(root)) == 2
    mine = autobackup.list_backups(root, workbook_name=wb_path.stem)
    assert [e.day for e in mine] == [today]


def test_a_damaged_backup_is_not_offered(wb: Workbook, inspection_id: int, wb_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "自动备份"
    wb.answers.set(inspection_id, "TST-01", "是")
    old = autobackup.backup_if_due(wb_path, root, today=date(2026, 12, 1))
    new = autobackup.backup_if_due(wb_path, root, today=date(2026, 12, 2))
    assert old and new
    new.write_bytes(new.read_bytes()[: new.stat().st_size // 2])
    best = autobackup.newest_good(root, workbook_id=None, workbook_name=wb_path.stem)
    assert best is not None and best.path == old
