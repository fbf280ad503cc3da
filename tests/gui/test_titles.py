"""Dialog titles are not cut: a narrow dialog opens as wide as its title bar needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QProgressDialog

from selfcheck.gui.app import create_application
from selfcheck.gui.titles import title_width


def test_a_narrow_dialog_is_widened_to_its_title(qtbot: Any) -> None:
    create_application([])
    dialog = QProgressDialog("正在导出整改台账……", "取消", 0, 0)
    dialog.setWindowTitle("导出签名报告：2026年秋季学期1+3+N专项自查")
    dialog.resize(200, 100)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= title_width(dialog) > 200


def test_a_wide_dialog_keeps_its_width(qtbot: Any) -> None:
    create_application([])
    dialog = QDialog()
    dialog.setWindowTitle("回头看")
    dialog.resize(700, 300)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() == 700
