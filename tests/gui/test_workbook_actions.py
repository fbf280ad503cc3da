"""File menu: --workbook, last workbook, read-only when in use, missing files, backup and restore, demo, geometry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from selfcheck.gui.backup_list import BackupListDialog
from selfcheck.workbook.models import SchoolProfile
from selfcheck.workbook.service import Workbook


def make_workbook(path: Path, school: str = "城关第一小学") -> Path:
    with Workbook.create(path, actor="别人") as wb:
        wb.save_school(SchoolProfile(name=school))
    return path


def say(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(f"{title}：{text}")
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_workbook_argument_and_last_workbook(make_window: Any, settings: Any, tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "甲.selfcheck")
    window = make_window(path)
    assert window.test_context.session.path == path
    assert window.windowTitle().startswith("甲.selfcheck")
    assert settings.last_workbook == path and settings.recent_workbooks() == [path]
    window.close()
    again = make_window()
    assert again.test_context.session.path == path


def test_workbook_in_use_opens_read_only(make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_workbook(tmp_path / "乙.selfcheck")
    asked = say(monkeypatch, QMessageBox.StandardButton.Yes)
    with Workbook.open(path, actor="另一个窗口"):
        window = make_window(path)
        session = window.test_context.session
        assert session.read_only
        assert "正在被另一个 SelfCheck 窗口" in asked[0]
        assert "（只读）" in window.windowTitle()
        assert window.form.banner.isVisible() and "只读" in window.form.banner_label.text()
        assert not window.form.action_new_inspection.isEnabled()
        assert not window.page("home").form.new_button.isEnabled()
        window.close()


def test_missing_recent_workbook_can_be_forgotten(make_window: Any, settings: Any, tmp_path: Path, qtbot: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tmp_path / "U盘" / "丙.selfcheck"
    settings.add_recent_workbook(gone)
    window = make_window()  # the last workbook is missing (a USB stick not plugged in): no error, the welcome page
    assert window.test_context.session.workbook is None
    home = window.page("home")
    assert home.form.recent_list.item(0).text().endswith("（找不到）")  # kept: the stick may come back
    asked = say(monkeypatch, QMessageBox.StandardButton.Yes)
    home.form.recent_list.setCurrentRow(0)
    qtbot.keyClick(home.form.recent_list, Qt.Key.Key_Return)  # what a double click on the entry does
    assert "找不到工作簿" in asked[0] and str(gone) in asked[0]
    assert settings.recent_workbooks() == []


def test_recent_menu_lists_workbooks(make_window: Any, settings: Any, tmp_path: Path) -> None:
    first, second = make_workbook(tmp_path / "一.selfcheck"), make_workbook(tmp_path / "二.selfcheck")
    window = make_window(first)
    window.files.open_path(second)
    menu = window.form.menu_recent
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:2] == ["&1 二.selfcheck", "&2 一.selfcheck"]
    menu.actions()[1].trigger()
    assert window.test_context.session.path == first


def test_backup_and_restore(opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = opened.test_context.session
    wb = session.require()
    wb.answers.set(opened.inspection_id, "GTM-01", "yes")
    backup = tmp_path / "备份" / "学校-备份.selfcheck"
    backup.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: infos.append(f"{title}：{text}"))
    opened.form.action_backup.trigger()
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert infos[0].startswith("备份完成") and backup.exists()

    wb.answers.set(opened.inspection_id, "GTM-01", "no")  # a change made after the backup
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    say(monkeypatch, QMessageBox.StandardButton.Yes)

    def pick_other_file(dialog: Any) -> int:
        dialog.other_button.click()  # 选择其他备份文件… (the file chooser is stubbed above)
        return dialog.result()

    monkeypatch.setattr(BackupListDialog, "exec", pick_other_file)
    opened.form.action_restore.trigger()
    qtbot.waitUntil(lambda: infos[-1].startswith("恢复完成"), timeout=20_000)
    restored = session.require()
    assert restored.answers.all(opened.inspection_id)["GTM-01"].value == "yes"
    safety = [p for p in session.path.parent.iterdir() if p.suffix == ".selfcheck" and p != session.path]
    assert safety, "the workbook as it was before the restore is kept"
    with Workbook.open(safety[0], actor="检查", read_only=True) as before:
        assert before.answers.all(opened.inspection_id)["GTM-01"].value == "no"


@pytest.mark.slow
def test_demo_workbook_opens(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    home = window.page("home")
    home.form.welcome_demo_button.click()
    qtbot.waitUntil(lambda: window.test_context.session.workbook is not None, timeout=60_000)
    wb = window.test_context.session.require()
    assert wb.get_school().name == "示例市第一实验中学"
    assert home.form.table.rowCount() == 1
    assert window.form.action_page_fill.isEnabled()


def test_window_geometry_is_remembered(make_window: Any) -> None:
    window = make_window()
    window.setGeometry(QRect(40, 50, 1000, 650))
    placed = window.geometry()
    window.close()
    again = make_window()
    # The offscreen test screen is only 800 px wide, so Qt keeps the restored window on it horizontally.
    assert (again.geometry().top(), again.geometry().height()) == (placed.top(), placed.height()) == (50, 650)


def test_backup_suggests_another_folder_and_warns_beside_the_workbook(opened: Any, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup beside the workbook is lost with it: the suggestion is elsewhere, and choosing the workbook's own
    folder asks first (saying why)."""
    workbook = opened.test_context.session.require()
    suggested: list[tuple[str, str]] = []

    def save_name(_parent: Any, title: str, path: str, *_a: Any, **_k: Any) -> tuple[str, str]:
        suggested.append((title, path))
        return str(workbook.path.parent / "同一文件夹的备份.selfcheck"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, title, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No)
    opened.files.backup()
    title, path = suggested[0]
    assert Path(path).parent.resolve() != workbook.path.parent.resolve() and "U 盘" in title
    assert asked and "一起丢失" in asked[0]
    assert not (workbook.path.parent / "同一文件夹的备份.selfcheck").exists()  # 否: not written
