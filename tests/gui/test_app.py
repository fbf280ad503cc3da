"""The first window: opens without a workbook, shows the checklist library, survives unexpected errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from selfcheck.errors import UserError
from selfcheck.gui import errors as gui_errors
from selfcheck.gui.errors import ErrorDialog, ExceptionHandler
from selfcheck.gui.main_window import LIBRARY
from tests.gui.helpers import type_text, record_user_errors


def test_first_window_without_workbook_shows_welcome_and_library(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    assert window.windowTitle() == "学校专项自查"
    home = window.page("home")
    assert home.form.panels.currentWidget() is home.form.welcome_panel
    assert not window.form.action_page_fill.isEnabled()
    assert window.findChild(QLabel, "status_path").text() == "未打开工作簿"

    qtbot.mouseClick(home.form.welcome_library_button, Qt.MouseButton.LeftButton)
    library = window.page(LIBRARY)
    assert window.form.stack.currentWidget() is library
    tree = library.form.tree
    areas = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert areas == ["“1”：校园餐突出问题", "“N”：其他突出问题"]
    meals = tree.topLevelItem(0).child(0)
    assert (meals.text(0), meals.text(1), meals.text(2)) == ("校园餐（测试清单）", "1.0", "7")
    assert [meals.child(i).text(0) for i in range(meals.childCount())] == ["责任落实", "经营管理"]
    assert library.form.summary_label.text() == "共 2 份检查清单，9 个检查项"

    # Selecting an item shows its guidance, evidence and basis.
    tree.setCurrentItem(meals.child(0).child(0))
    detail = library.form.detail_view.toPlainText()
    assert "是否落实校长（园长）负责制" in detail
    assert "查阅任命文件和岗位职责" in detail
    assert "必须拍照" in detail
    assert "《学校食品安全与营养健康管理规定》第十四条" in detail


def test_library_search_filters_items(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.form.action_page_library.trigger()
    library = window.page(LIBRARY)
    type_text(library.form.search_edit, "陪餐")
    tree = library.form.tree
    visible = []
    for a in range(tree.topLevelItemCount()):
        area = tree.topLevelItem(a)
        for c in range(area.childCount()):
            for s in range(area.child(c).childCount()):
                section = area.child(c).child(s)
                visible += [section.child(i).text(0)[:6] for i in range(section.childCount())
                            if not section.child(i).isHidden() and not section.isHidden()]
    assert visible == ["GTM-02", "GTM-03"]
    assert tree.topLevelItem(1).isHidden()  # the N area has no match


def test_ctrl_f_without_inspection_goes_to_library_search(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.form.action_find.trigger()
    assert window.current_page_name() == LIBRARY


def _visible_text(dialog: Any) -> str:
    from PySide6.QtWidgets import QAbstractButton, QLabel, QPlainTextEdit, QTextEdit

    parts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton) if w.isVisible()]
    parts += [w.toPlainText() for kind in (QPlainTextEdit, QTextEdit) for w in dialog.findChildren(kind)
              if w.isVisible()]
    return "\n".join(parts + [dialog.windowTitle()])


def _exec_shows(monkeypatch: pytest.MonkeyPatch, shown: list[ErrorDialog]) -> None:
    def fake_exec(dialog: ErrorDialog) -> int:  # only exec is stubbed: the real dialog, shown without blocking
        dialog.show()
        shown.append(dialog)
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)


def test_unexpected_error_says_in_chinese_what_failed_and_folds_the_details_away(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: the report's layout fails deep in reportlab; the dialog names the failed export in Chinese,
    says what to do, shows no traceback, and 复制详细信息 copies the details for support."""
    from selfcheck.report.pdf import build_pdf
    from tests.report.factory import make_sample

    shown: list[ErrorDialog] = []
    _exec_shows(monkeypatch, shown)
    handler = ExceptionHandler(tmp_path / "selfcheck.log")
    small = make_sample(photos=1)

    def broken_loader(_photo_id: int) -> bytes:
        raise RuntimeError("LayoutError: Flowable <Table@0x7f> too large on page 5")

    exc_info = _raise_and_catch(lambda: build_pdf(small.data, broken_loader))
    exc_info[1].add_note(f"{gui_errors.ACTION_NOTE}导出签名报告")  # as the task runner adds it
    handler.handle(*exc_info)
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    visible = _visible_text(dialog)
    assert "“导出签名报告”没有完成" in visible and "排版报告时出错，报告文件没有生成" in visible
    assert "请重新导出" in visible and "已经保存的内容不会丢失" in visible and "复制详细信息" in visible
    for technical in ("Traceback", "RuntimeError", "LayoutError", 'File "', ".py"):
        assert technical not in visible.replace(str(tmp_path / "selfcheck.log"), "")
    assert str(tmp_path / "selfcheck.log") in dialog.form.log_label.text()
    qtbot.mouseClick(dialog.form.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "Traceback" in copied and "LayoutError: Flowable" in copied and "selfcheck/report" in copied
    assert dialog.form.copy_button.text() == "已复制"


def test_a_failing_background_task_names_itself_in_the_error_dialog(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfcheck.gui.tasks import TaskRunner

    shown: list[ErrorDialog] = []
    _exec_shows(monkeypatch, shown)
    handler = ExceptionHandler(tmp_path / "selfcheck.log")
    handler.install()
    try:
        runner = TaskRunner(show_after_ms=0)

        def work(_progress: Any) -> None:
            raise KeyError("photo_id")

        task = runner.run(work, title="导入照片", label="正在导入……", parent=None)
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    finally:
        handler.uninstall()
    assert task is not None
    visible = _visible_text(shown[0])
    qtbot.addWidget(shown[0])
    assert "“导入照片”没有完成" in visible and "KeyError" not in visible and "Traceback" not in visible


def test_user_error_reaching_the_hook_is_a_plain_message(qtbot: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    messages: list[str] = []
    record_user_errors(monkeypatch, messages)
    dialogs: list[str] = []
    handler = ExceptionHandler(tmp_path / "x.log", show_dialog=lambda d, p, w: dialogs.append(d))
    handler.handle(*_raise_and_catch(lambda: (_ for _ in ()).throw(UserError("照片文件已损坏。"))))
    assert messages == ["照片文件已损坏。"]
    assert dialogs == []


def test_error_flood_shows_one_dialog_at_a_time(tmp_path: Path) -> None:
    calls: list[str] = []

    def show(details: str, log_file: Path, parent: Any) -> None:
        calls.append(details)
        # A second error while the first dialog is open (e.g. a failing paint event) is only logged.
        handler.handle(*_raise_and_catch(lambda: 1 / 0))

    handler = ExceptionHandler(tmp_path / "x.log", show_dialog=show)
    handler.handle(*_raise_and_catch(lambda: [][1]))
    assert len(calls) == 1 and "IndexError" in calls[0]
    assert handler.suppressed == 1


def test_installed_hook_catches_errors_raised_in_qt_slots(qtbot: Any, tmp_path: Path) -> None:
    seen: list[str] = []
    handler = ExceptionHandler(tmp_path / "x.log", show_dialog=lambda d, p, w: seen.append(d))
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(lambda: 1 / 0)
    handler.install()
    try:
        button.click()
    finally:
        handler.uninstall()
    assert len(seen) == 1 and "ZeroDivisionError" in seen[0]


def _raise_and_catch(fn: Any) -> tuple[type[BaseException], BaseException, Any]:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001
        return type(exc), exc, exc.__traceback__
    raise AssertionError("did not raise")


def test_qt_speaks_chinese(qtbot: Any) -> None:
    """Qt's own texts come from qtbase_zh_CN.qm and dates use the Chinese locale: the date picker's month and
    day names, the standard buttons."""
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QToolButton

    from selfcheck.gui.app import create_application

    create_application([])
    edit = QDateEdit(QDate(2026, 12, 3))
    edit.setCalendarPopup(True)
    qtbot.addWidget(edit)
    calendar = edit.calendarWidget()
    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert month.text() == "十二月"
    assert QLocale().dayName(1, QLocale.FormatType.ShortFormat) == "周一"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Open)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert buttons.button(QDialogButtonBox.StandardButton.Open).text() == "打开"


def test_the_file_dialog_speaks_chinese(qtbot: Any) -> None:
    """Qt's own file dialog (used where the system has none): every label Chinese, "Look in:" and "Files of type:"
    included, whose translations qtbase_zh_CN.qm only has without Qt 6's mnemonics."""
    from PySide6.QtWidgets import QFileDialog, QLabel

    from selfcheck.gui.app import create_application

    create_application([])
    dialog = QFileDialog(None, "打开工作簿")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    assert labels["fileNameLabel"] == "文件名称(&N)："


def test_when_the_event_loop_ends_without_the_window_closing_the_workbook_is_closed_too(
        make_window: Any, catalog: Any, tmp_path: Path) -> None:
    """The event loop can end without the window being closed (QCoreApplication.exit; app.quit closes the windows
    first): the workbook is still closed as closing the window closes it — no lock or log left beside it, its
    start-up snapshot kept for the next start."""
    from tests.fresh_python import fresh_python_output
    from tests.gui.helpers import create_school_workbook

    path = tmp_path / "学校.selfcheck"
    maker = make_window()
    create_school_workbook(maker, path, catalog.checklists)
    maker.test_context.session.close()
    home = tmp_path / "home"
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        f"os.environ['SELFCHECK_HOME'] = {str(home)!r}\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication, QTimer\n"
        "from selfcheck.gui import app as gui_app\n"
        f"lock = Path({str(path)!r} + '.lock')\n"
        "def end_when_open():\n"
        "    if lock.exists():\n"
        "        QCoreApplication.instance().exit(0)  # the loop ends, the window is not closed\n"
        "    else:\n"
        "        QTimer.singleShot(50, end_when_open)\n"
        "real_launch = gui_app.launch\n"
        "def launch(*args, **kwargs):\n"
        "    window = real_launch(*args, **kwargs)\n"
        "    QTimer.singleShot(50, end_when_open)\n"
        "    return window\n"
        "gui_app.launch = launch\n"
        f"print('exit', gui_app.run_gui({str(path)!r}, []))\n"
    )
    assert fresh_python_output(code).splitlines()[-1] == "exit 0"
    assert not path.with_name(path.name + ".lock").exists()
    assert not path.with_name(path.name + "-wal").exists()
    assert list(home.rglob("*.json")), "the start-up snapshot of the workbook was kept"
