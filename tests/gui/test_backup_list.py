"""文件 → 从备份恢复 with automatic backups; a damaged workbook turns read-only and offers the newest good backup;
a workbook on read-only media opens read-only and says why."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from selfcheck.gui.backup_list import BackupListDialog
from selfcheck.workbook import autobackup
from selfcheck.workbook.service import Workbook

from .test_workbook_actions import make_workbook, say


def _answered(path: Path, n: int = 120) -> int:
    from datetime import date

    from selfcheck.workbook.models import NewInspection
    from tests.workbook.conftest import make_checklist

    with Workbook.open(path, actor="别人") as wb:
        iid = wb.inspections.create(NewInspection(title="自查", period_start=date(2026, 9, 1),
                                                 period_end=date(2026, 12, 31), checklist_ids=["tst"]),
                                   available=[make_checklist()]).id
        for i in range(n):
            wb.answers.set(iid, "TST-07", "情况说明" * 10 + str(i))
    return iid


def _damage_audit_log(path: Path) -> None:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    cell = int.from_bytes(data[start + 12:start + 14], "big")
    data[start + cell:start + cell + 4] = (999_999).to_bytes(4, "big")
    path.write_bytes(bytes(data))


def _backups() -> list[autobackup.BackupEntry]:
    from selfcheck.paths import data_dir

    return autobackup.list_backups(autobackup.backup_root(data_dir()))


def test_first_open_of_the_day_makes_a_backup_listed_in_restore(make_window: Any, qtbot: Any, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_workbook(tmp_path / "甲.selfcheck")
    iid = _answered(path)
    window = make_window(path)
    entries = _backups()
    assert [e.workbook_name for e in entries] == ["甲"]
    session = window.test_context.session
    session.require().answers.set(iid, "TST-07", "备份之后的修改")

    shown: list[BackupListDialog] = []

    def choose_first(dialog: BackupListDialog) -> int:
        shown.append(dialog)
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "甲"
        assert dialog.table.item(0, 2).text().endswith("KB")
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(BackupListDialog, "exec", choose_first)
    asked = say(monkeypatch, QMessageBox.StandardButton.Yes)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: infos.append(title))
    window.form.action_restore.trigger()
    qtbot.waitUntil(lambda: infos == ["恢复完成"], timeout=20_000)
    assert shown and "替换当前工作簿" in asked[0]
    assert session.require().answers.all(iid)["TST-07"].value.endswith("119")


def test_damaged_workbook_turns_read_only_and_offers_the_backup(make_window: Any, qtbot: Any, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_workbook(tmp_path / "乙.selfcheck")
    iid = _answered(path)
    window = make_window(path)  # healthy: today's automatic backup is taken
    window.close()
    window.test_context.tasks.wait_idle()
    _damage_audit_log(path)

    asked = say(monkeypatch, QMessageBox.StandardButton.No)
    damaged = make_window(path)
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    session = damaged.test_context.session
    assert session.read_only
    assert "完整性检查未通过" in asked[0] and "自动备份" in asked[0] and "要现在用这份备份恢复吗" in asked[0]
    assert damaged.form.banner.isVisible() and "完整性检查未通过" in damaged.form.banner_label.text()
    assert "（只读）" in damaged.windowTitle()
    assert not damaged.form.action_new_inspection.isEnabled()

    # 文件 → 从备份恢复 then offers the good backup; restoring brings the workbook back, writable.
    monkeypatch.setattr(BackupListDialog, "exec", lambda d: (d.restore_button.click(), d.result())[1])
    say(monkeypatch, QMessageBox.StandardButton.Yes)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: infos.append(title))
    damaged.form.action_restore.trigger()
    qtbot.waitUntil(lambda: infos == ["恢复完成"], timeout=20_000)
    qtbot.waitUntil(lambda: not damaged.test_context.tasks.busy, timeout=20_000)
    assert not session.read_only
    assert session.require().answers.all(iid)["TST-07"].value.endswith("119")


def test_read_only_place_is_opened_read_only_with_the_reason(make_window: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.workbook import readonly, service

    (tmp_path / "U盘").mkdir()
    path = make_workbook(tmp_path / "U盘" / "丙.selfcheck")
    monkeypatch.setattr(service, "writable_location", lambda _p: False)  # as on a write-protected USB stick
    monkeypatch.setattr(readonly, "writable_location", lambda _p: False)
    asked = say(monkeypatch, QMessageBox.StandardButton.Yes)
    window = make_window(path)
    assert "只读" in asked[0] and "要以只读方式打开查看吗" in asked[0]
    assert window.test_context.session.read_only
    assert "所在的位置是只读的" in window.form.banner_label.text()
    assert "损坏" not in window.form.banner_label.text()
