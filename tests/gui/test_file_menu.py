"""File menu as a user drives it: 新建工作簿, 打开工作簿, 学校信息 and 校验工作簿 (with its warning on a tampered file).

Only modal exec and the static file/message getters are stubbed; the dialogs are the real ones, clicked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from selfcheck.gui.profile import SchoolProfileDialog
from selfcheck.workbook.models import SchoolProfile
from selfcheck.workbook.service import Workbook
from tests.gui.helpers import drive_dialog, record_user_errors, type_text


def save_button(dialog: SchoolProfileDialog) -> Any:
    return dialog.form.button_box.button(QDialogButtonBox.StandardButton.Save)


def replies(monkeypatch: pytest.MonkeyPatch, name: str, *answers: str) -> list[str]:
    """Stub QFileDialog.<name> to give `answers` in turn; returns the captions it was asked with."""
    asked: list[str] = []
    queue = list(answers)

    def getter(_parent: Any, caption: str, *args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(caption)
        return queue.pop(0), ""

    monkeypatch.setattr(QFileDialog, name, getter)
    return asked


def told(monkeypatch: pytest.MonkeyPatch, *names: str) -> list[str]:
    """Record QMessageBox.<name>(parent, title, text) calls as "title：text"."""
    seen: list[str] = []
    for name in names:
        monkeypatch.setattr(QMessageBox, name, lambda _p, title, text, *a, **k: seen.append(f"{title}：{text}")
                            or QMessageBox.StandardButton.Ok)
    return seen


def test_file_new_asks_where_refuses_an_existing_file_then_asks_for_the_school(
        make_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    existing = tmp_path / "已有.selfcheck"
    existing.write_bytes(b"someone's data")
    asked = replies(monkeypatch, "getSaveFileName", str(existing), str(tmp_path / "新学校"))
    warnings = told(monkeypatch, "warning")

    def fill(dialog: SchoolProfileDialog) -> None:
        assert dialog.windowTitle() == "学校信息（新工作簿）"
        type_text(dialog.profile_form.form.name_edit, "城南小学")
        type_text(dialog.profile_form.form.principal_edit, "赵校长")
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    seen = drive_dialog(monkeypatch, SchoolProfileDialog, fill)
    window = make_window()
    window.form.action_new_workbook.trigger()

    assert asked == ["新建工作簿", "新建工作簿"] and len(seen) == 1
    assert warnings == ["文件已存在：“已有.selfcheck”已经存在。为避免覆盖已有数据，请换一个文件名，或用“打开工作簿”打开它。"]
    assert existing.read_bytes() == b"someone's data"
    created = tmp_path / "新学校.selfcheck"  # the suffix is added
    assert window.test_context.session.path == created
    assert window.test_context.session.require().get_school().principal == "赵校长"
    assert window.windowTitle().startswith("新学校.selfcheck")


def test_file_open_opens_the_chosen_workbook(make_window: Any, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "乙.selfcheck"
    with Workbook.create(path, actor="别人") as wb:
        wb.save_school(SchoolProfile(name="城北中学"))
    window = make_window()
    asked = replies(monkeypatch, "getOpenFileName", str(path))
    window.form.action_open_workbook.trigger()
    assert asked == ["打开工作簿"]
    assert window.test_context.session.path == path and not window.test_context.session.read_only
    assert window.windowTitle().startswith("乙.selfcheck")
    replies(monkeypatch, "getOpenFileName", "")  # cancelled: nothing changes
    window.form.action_open_workbook.trigger()
    assert window.test_context.session.path == path


def test_school_profile_is_edited_and_a_missing_name_is_refused(opened: Any, qtbot: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    errors = record_user_errors(monkeypatch, [])

    def edit(dialog: SchoolProfileDialog) -> None:
        form = dialog.profile_form.form
        assert form.name_edit.text() == "城关第一小学" and form.principal_edit.text() == "王校长"
        form.name_edit.clear()
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        assert errors == ["请填写学校名称。"] and dialog.isVisible()  # refused, still open, nothing lost
        type_text(form.name_edit, "城关第二小学")
        form.phone_edit.clear()
        type_text(form.phone_edit, "0571-1234567")
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    seen = drive_dialog(monkeypatch, SchoolProfileDialog, edit)
    opened.form.action_school_profile.trigger()
    assert len(seen) == 1 and seen[0].result() == int(SchoolProfileDialog.DialogCode.Accepted)
    school = opened.test_context.session.require().get_school()
    assert (school.name, school.principal, school.phone) == ("城关第二小学", "王校长", "0571-1234567")


def test_verify_workbook_reports_intact_then_warns_about_a_changed_row(opened: Any, qtbot: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    wb = opened.test_context.session.require()
    wb.answers.set(opened.inspection_id, "GTM-01", "yes")
    shown = told(monkeypatch, "information", "warning")
    tasks = opened.test_context.tasks

    opened.form.action_verify_workbook.trigger()
    qtbot.waitUntil(lambda: bool(shown) and not tasks.busy, timeout=30_000)
    assert shown[0].startswith("工作簿完整：")
    assert "操作记录：" in shown[0] and "记录链末端哈希：" in shown[0]

    conn = sqlite3.connect(opened.test_context.session.path)  # someone edits the file behind the app's back
    conn.execute("UPDATE answers SET value = 'no' WHERE item_id = 'GTM-01'")
    conn.commit()
    conn.close()
    opened.form.action_verify_workbook.trigger()
    qtbot.waitUntil(lambda: len(shown) == 2 and not tasks.busy, timeout=30_000)
    assert shown[1].startswith("发现问题：")
    assert "GTM-01" in shown[1]
