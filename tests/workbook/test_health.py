"""Structural damage the quick open check cannot see is found by the full check after open: the workbook turns
read-only before anything is written into the damaged file, and the newest intact backup is offered."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from selfcheck.workbook import autobackup, health
from selfcheck.workbook.errors import ReadOnlyError, WorkbookCorruptError
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(wb: Workbook, inspection_id: int, n: int = 150) -> None:
    for i in range(n):
        wb.answers.set(inspection_id, "TST-07", "情况说明" * 15 + str(i))


def _audit_root(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return root, page_size


def _child_pointer(data: bytearray, start: int) -> None:
    cell = int.from_bytes(data[start + 12:start + 14], "big")
    data[start + cell:start + cell + 4] = (999_999).to_bytes(4, "big")  # a child page far past the end


def _cell_pointers(data: bytearray, start: int) -> None:
    data[start + 12:start + 20] = b"\x0f\xf0" * 4  # cells pointing into the middle of other cells


@pytest.mark.parametrize("damage", [_child_pointer, _cell_pointers], ids=["child-page-number", "cell-pointers"])
def test_btree_damage_found_after_open_turns_read_only_and_offers_the_backup(
        wb: Workbook, inspection_id: int, wb_path: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    root_dir = tmp_path / "自动备份"
    _fill(wb, inspection_id)
    assert health.check_after_open(wb, root_dir).backed_up is not None  # yesterday's good copy, so to speak
    wb.close()
    root, page_size = _audit_root(wb_path)
    data = bytearray(wb_path.read_bytes())
    assert data[(root - 1) * page_size] == 5  # an interior table page: the damage sits inside the B-tree
    damage(data, (root - 1) * page_size)
    wb_path.write_bytes(bytes(data))
    digest = _sha(wb_path)

    damaged = Workbook.open(wb_path, actor=ACTOR)  # the quick open check does not read the whole audit log
    assert not damaged.read_only
    report = health.check_after_open(damaged, root_dir)
    assert not report.ok
    assert damaged.read_only
    assert "完整性检查未通过" in report.message and "只读" in report.message
    assert "malformed" not in report.message
    assert report.backup is not None and autobackup.is_good(report.backup.path)
    assert damaged.read_only_reason == report.message
    with pytest.raises(ReadOnlyError):
        damaged.answers.set(inspection_id, "TST-01", "是")
    damaged.close()
    assert _sha(wb_path) == digest  # nothing was written into the damaged file

    Workbook.restore(report.backup.path, wb_path)
    with Workbook.open(wb_path, actor=ACTOR) as restored:
        assert health.check_after_open(restored, root_dir).ok
        assert restored.answers.all(inspection_id)["TST-07"].value.endswith("149")


def test_cli_style_check_refuses_before_any_write(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    _fill(wb, inspection_id)
    wb.close()
    root, page_size = _audit_root(wb_path)
    data = bytearray(wb_path.read_bytes())
    _child_pointer(data, (root - 1) * page_size)
    wb_path.write_bytes(bytes(data))
    digest = _sha(wb_path)
    with Workbook.open(wb_path, actor=ACTOR) as damaged:
        with pytest.raises(WorkbookCorruptError, match="完整性检查未通过.*没有做任何修改") as caught:
            health.require_intact(damaged)
        assert "workbook restore" in str(caught.value)
    assert _sha(wb_path) == digest


def test_healthy_workbook_is_backed_up_once_a_day(wb: Workbook, inspection_id: int, tmp_path: Path) -> None:
    root_dir = tmp_path / "备份"
    wb.answers.set(inspection_id, "TST-01", "是")
    first = health.check_after_open(wb, root_dir)
    assert first.ok and first.backed_up is not None and first.backed_up.name.endswith(f"{date.today()}.selfcheck")
    again = health.check_after_open(wb, root_dir)
    assert again.ok and again.backed_up is None
    assert not wb.read_only
    wb.answers.set(inspection_id, "TST-02", "否")  # still writable


def test_an_unwritable_backup_folder_does_not_stop_the_open(wb: Workbook, tmp_path: Path) -> None:
    blocked = tmp_path / "自动备份"
    blocked.write_text("a file where the backup folder should be", encoding="utf-8")  # mkdir inside it fails
    report = health.check_after_open(wb, blocked)
    assert report.ok and report.backed_up is None
    assert not wb.read_only  # the workbook stays writable
