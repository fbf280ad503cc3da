"""Dialog titles are not cut: a narrow dialog opens as wide as its title bar needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QProgressDialog, QWidget

from selfcheck.gui.app import build_watched, create_application
from selfcheck.gui.titles import title_width
from tests.fresh_python import fresh_python_output



def _show_narrow(dialog: Any, title: str) -> Any:
    """Show `dialog` 200 px wide under a title that needs more; return it."""
    dialog.setWindowTitle(title)
    dialog.resize(200, 100)
    dialog.show()
    return dialog


def _widened(dialog: Any) -> bool:
    return dialog.width() >= title_width(dialog) > 200

def test_a_narrow_dialog_is_widened_to_its_title(qtbot: Any) -> None:
    create_application([])
    dialog = QProgressDialog("正在导出整改台账……", "取消", 0, 0)
    qtbot.addWidget(dialog)
    assert _widened(_show_narrow(dialog, "导出签名报告：2026年秋季学期1+3+N专项自查"))


def test_a_wide_dialog_keeps_its_width(qtbot: Any) -> None:
    create_application([])
    dialog = QDialog()
    dialog.setWindowTitle("回头看")
    dialog.resize(700, 300)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() == 700


def _watched_window(qtbot: Any) -> QMainWindow:
    """A desk window as the app builds it (build_watched), shown."""
    create_application([])
    window = build_watched(QMainWindow)
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    return window


def test_in_a_desk_window_a_dialog_and_its_own_dialog_are_widened(qtbot: Any) -> None:
    window = _watched_window(qtbot)
    dialog = _show_narrow(QProgressDialog("正在导出整改台账……", "取消", 0, 0, window),
                          "导出签名报告：2026年秋季学期1+3+N专项自查")
    assert _widened(dialog)
    inner = _show_narrow(QDialog(dialog), "选择学校公章图片：2026年秋季学期1+3+N专项自查")
    assert _widened(inner)
    inner.close()
    dialog.close()


def test_in_a_desk_window_a_modal_dialog_without_parent_is_widened(qtbot: Any) -> None:
    """Qt's own dialogs (QMessageBox.question, QFileDialog.getSaveFileName) may have no parent: being modal, they
    block the window, and that is when they are widened, before they appear."""
    window = _watched_window(qtbot)
    dialog = QDialog()
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    qtbot.addWidget(dialog)
    assert _widened(_show_narrow(dialog, "导入区县检查清单包：2026年秋季学期1+3+N专项自查"))
    dialog.close()
    window.close()


def test_starting_the_window_creates_no_python_class_for_every_qt_class() -> None:
    """The fitter watches the window, not every event of the app: the window starts without PySide creating a
    Python class (and its enums) for every QObject class of Qt, which ~45 ms of start-up went into."""
    code = (
        "import os, sys, tempfile\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "os.environ['SELFCHECK_HOME'] = tempfile.mkdtemp()\n"
        "from PySide6 import QtCore\n"
        "from PySide6.QtCore import QTimer\n"
        "from selfcheck.gui.app import launch\n"
        "window = launch(None, [])\n"
        "app = QtCore.QCoreApplication.instance()\n"
        "QTimer.singleShot(0, app.quit)\n"
        "app.exec()\n"
        "print(sorted(name for name in ('QProcess', 'QSharedMemory', 'QLibrary') if name in vars(QtCore)))\n"
    )
    assert fresh_python_output(code).splitlines()[-1] == "[]"


def test_in_a_desk_window_a_dialog_opened_by_a_modal_dialog_of_a_page_is_widened(qtbot: Any) -> None:
    """A page's modal dialog (parent: the page, not the window) opens a dialog of its own, as a file dialog."""
    window = _watched_window(qtbot)
    page = QWidget(window)
    window.setCentralWidget(page)
    outer = QDialog(page)
    outer.setWindowModality(Qt.WindowModality.ApplicationModal)
    outer.setWindowTitle("导出整改台账")
    outer.show()
    inner = _show_narrow(QDialog(outer), "选择保存位置：2026年秋季学期1+3+N专项自查整改台账")
    assert _widened(inner)
    inner.close()
    outer.close()
    window.close()
