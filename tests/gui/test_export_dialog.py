"""导出签名报告: a new school key made in the dialog, a wrong password refused, a signed PDF written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from selfcheck.gui.export_dialog import ExportReportDialog, KeyCreateDialog, default_report_name
from tests.gui.helpers import drive_dialog, type_text

PASSWORD = "校园餐2026-secret"


def test_create_key_then_export_signed_report(opened: Any, qtbot: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    wb = opened.test_context.session.require()
    wb.set_answer(opened.inspection_id, "GTM-01", "yes")
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: infos.append(f"{title}：{text}"))
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    errors: list[str] = []
    monkeypatch.setattr("selfcheck.gui.export_dialog.show_user_error", lambda _p, err, _t="": errors.append(str(err)))
    monkeypatch.setattr("selfcheck.gui.errors.show_user_error", lambda _p, err, _t="": errors.append(str(err)))
    out = tmp_path / "报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def make_key(dialog: KeyCreateDialog) -> None:
        assert dialog.school_edit.text() == "城关第一小学"
        type_text(dialog.password_edit, PASSWORD)
        type_text(dialog.confirm_edit, PASSWORD)
        dialog.accept()

    def export(dialog: ExportReportDialog) -> None:
        f = dialog.form
        ok = f.button_box.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled() and "还没有学校密钥" in f.key_info_label.text()
        assert f.out_edit.text().endswith("城关第一小学关于秋季自查情况的报告.pdf")
        assert "还有" in f.readiness_label.text()  # unanswered items are reported, not hidden
        qtbot.mouseClick(f.key_create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(infos), timeout=30_000)
        assert infos[0].startswith("密钥已新建") and ok.isEnabled()
        assert "证书单位：城关第一小学" in f.key_info_label.text()
        qtbot.mouseClick(f.out_button, Qt.MouseButton.LeftButton)
        assert f.out_edit.text() == str(out)

        type_text(f.password_edit, "wrong-password")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
        assert "密码" in errors[0] and not out.exists() and dialog.isVisible()

        f.password_edit.clear()
        type_text(f.password_edit, PASSWORD)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(boxes), timeout=60_000)

    seen = drive_dialog(monkeypatch, ExportReportDialog, export)
    drive_dialog(monkeypatch, KeyCreateDialog, make_key)
    opened.form.action_export_report.trigger()
    assert len(seen) == 1
    assert boxes and boxes[0].startswith("已导出并签名") and str(out) in boxes[0]
    assert out.read_bytes().startswith(b"%PDF")
    assert not seen[0].isVisible()


def test_export_needs_an_open_inspection(make_window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: told.append(text))
    from selfcheck.gui.export_dialog import run_export_report

    run_export_report(window.test_context, window)
    assert told == ["请先在首页打开一次自查，再导出它的报告。"]


@pytest.mark.parametrize("title, name", [
    ("2026年秋季学期1+3+N专项自查", "某校关于2026年秋季学期1+3+N专项自查情况的报告.pdf"),
    ("专项自查（第二轮）", "某校关于专项自查（第二轮）情况的报告.pdf"),
    ("食堂检查 9/1", "某校关于食堂检查 9_1自查情况的报告.pdf"),
])
def test_default_report_name(title: str, name: str) -> None:
    assert default_report_name("某校", title) == name
