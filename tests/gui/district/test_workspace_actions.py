"""File → 打开区县工作区 with a file that cannot be opened: the real message box says what is wrong and what to do,
and the window stays on its welcome page with nothing open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox


def _school_workbook(folder: Path) -> Path:
    """A school's workbook, renamed .district by mistake."""
    from selfcheck.workbook.service import Workbook

    path = folder / "城关一小.district"
    Workbook.create(path, actor="测试员").close()
    return path


def _from_a_newer_selfcheck(folder: Path) -> Path:
    from selfcheck.district.workspace import DistrictWorkspace

    path = folder / "城关区.district"
    DistrictWorkspace.create(path, "城关区教育局").close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    return path


def _a_text_file(folder: Path) -> Path:
    path = folder / "城关区.district"
    path.write_text("这不是区县工作区", encoding="utf-8")
    return path


@pytest.mark.parametrize(("make", "text", "hint"), [
    (_school_workbook, "“城关一小.district”是学校的自查工作簿，不是区县工作区。",
     "请在 SelfCheck 学校版中打开它；区县汇总请打开 .district 文件。"),
    (_from_a_newer_selfcheck, ("此区县工作区由更新版本的 SelfCheck 创建（格式版本 99，本程序只支持到版本 {current}），"
                               "请升级 SelfCheck 后再打开。"), ""),
    (_a_text_file, "“城关区.district”不是 SelfCheck 区县工作区（文件格式不对，可能已损坏或选错了文件）。",
     "请确认选择的是区县工作区文件（.district）；如文件已损坏，请从备份恢复。"),
], ids=["school workbook", "newer SelfCheck", "text file"])
def test_a_file_that_cannot_be_opened_is_explained_in_the_message_box(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        make: Callable[[Path], Path], text: str, hint: str) -> None:
    from selfcheck.district.schema import CURRENT_VERSION

    window = make_district_window()
    path = make(tmp_path)
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(
        (box.windowTitle(), box.text(), box.informativeText())) or 0)

    window.form.action_open_workspace.trigger()

    assert shown == [("无法打开区县工作区", text.format(current=CURRENT_VERSION), hint)]
    assert window.test_context.desk.workspace is None
    assert window.form.stack.currentWidget() is window.form.welcome_page
    assert not window.form.action_receive_files.isEnabled()
