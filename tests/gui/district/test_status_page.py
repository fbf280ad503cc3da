"""报送情况: the list of schools to urge, exported for the bureau's notice (and refused in Chinese when it cannot be)."""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.gui.district.conftest import SCHOOLS, DistrictFiles
from tests.gui.district.test_flow import receive, set_up_district


def _status_page(qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, files: DistrictFiles,
                 tmp_path: Path) -> Any:
    """Three schools on the roster, one of which has reported: two to urge."""
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, files, tmp_path)
    receive(qtbot, window, monkeypatch, [files.schools[0].report])
    return window.show_page("status")


def _export(qtbot: Any, page: Any, monkeypatch: pytest.MonkeyPatch, target: Path) -> list[tuple[str, str, str]]:
    """Click 导出 with `target` chosen in the save dialog; the message boxes shown (title, text, hint)."""
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(
        (box.windowTitle(), box.text(), box.informativeText())) or 0)
    assert page.form.export_urge_button.isEnabled()
    qtbot.mouseClick(page.form.export_urge_button, Qt.MouseButton.LeftButton)
    return shown


def test_the_urge_list_is_exported_for_excel(qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch,
                                             district_files: DistrictFiles, tmp_path: Path) -> None:
    page = _status_page(qtbot, make_district_window, monkeypatch, district_files, tmp_path)
    messages: list[str] = []
    page.message.connect(messages.append)

    assert _export(qtbot, page, monkeypatch, tmp_path / "需督促") == []

    out = tmp_path / "需督促.csv"
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:2] == ["学校代码", "学校名称"]
    assert sorted(r[:2] for r in rows[1:]) == [[code, name] for code, name, *_ in SCHOOLS[1:]]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert messages == [f"需督促的学校名单已导出到：{out}"]


def test_an_urge_list_open_in_excel_is_refused_in_chinese_and_kept(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    page = _status_page(qtbot, make_district_window, monkeypatch, district_files, tmp_path)
    out = tmp_path / "需督促的学校.csv"
    out.write_text("上次导出的名单\n", encoding="utf-8")
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:  # Windows: Excel holds the file open
        if Path(dst) == out:
            raise PermissionError(errno.EACCES, "Access is denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)

    shown = _export(qtbot, page, monkeypatch, out)

    assert shown == [("无法导出", "无法写入“需督促的学校.csv”：文件可能正在 Excel/WPS 或其他程序中打开。", "请关闭后重试。")]
    assert out.read_text(encoding="utf-8") == "上次导出的名单\n"
    assert [p.name for p in tmp_path.glob(".需督促的学校*")] == []  # no temporary file left behind
