"""Errors in the window: Chinese dialogs for UserError and a global handler for everything unexpected.

The dialogs' own Qt classes are imported when an error is shown: the handler is installed before the window
shows, and PySide makes a class's enums (QStyle has hundreds of values) when the class is first imported."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from selfcheck import __version__
from selfcheck.errors import UserError
from selfcheck.gui.forms import load_form

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


USER_ERROR_BOX = "user_error_box"


def show_user_error(parent: QWidget | None, err: UserError, title: str = "无法完成操作") -> None:
    """Tell the user what went wrong, in their words (the UserError's message and hint)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, err.message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(USER_ERROR_BOX)
    if err.hint:
        box.setInformativeText(err.hint)
    box.exec()


def format_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """Technical details for support: version, platform and the traceback (copied, never shown)."""
    head = f"SelfCheck {__version__} / Python {sys.version.split()[0]} / {sys.platform}\n\n"
    return head + "".join(traceback.format_exception(exc_type, exc, tb))


ACTION_NOTE = "操作："  # Task adds "操作：<its title>" to an exception it hands to the handler (PEP 678 notes)
_SAVED = "已经保存的内容不会丢失，您可以继续使用。"
_SUPPORT = "如果再次出现，请点“复制详细信息”，把复制的内容和日志文件发给技术支持人员。"
# (module prefixes in the traceback, what failed, what to do), most specific first.
_FAILURES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("selfcheck.signing", "pyhanko"), "为报告签名时出错，报告文件没有生成。",
     "请确认学校密钥文件完好、密码正确，然后重新导出。"),
    (("selfcheck.report", "reportlab"), "排版报告时出错，报告文件没有生成。",
     "请重新导出一次；如仍失败，可先检查最近填写的较长文字和照片是否异常。"),
    (("selfcheck.exports", "openpyxl"), "导出 Excel 整改台账时出错，文件没有生成。",
     "请确认目标文件没有在 Excel 中打开、磁盘有剩余空间，然后重试。"),
    (("selfcheck.evidence", "selfcheck.gui.photos", "PIL"), "处理照片时出错，这张照片没有加入。",
     "请换一张照片，或用看图软件另存为 JPEG 后再添加。"),
    (("selfcheck.workbook", "sqlite3", "sqlite_utils"), "读写工作簿时出错，刚才的修改可能没有保存。",
     "请核对刚才的修改是否还在；必要时用“文件 → 备份工作簿”先做一份备份。"),
)


def _modules(tb: TracebackType | None) -> list[str]:
    names = []
    while tb is not None:
        names.append(str(tb.tb_frame.f_globals.get("__name__", "")))
        tb = tb.tb_next
    return names


def describe_failure(exc: BaseException, tb: TracebackType | None) -> tuple[str, str]:
    """(what failed, what to do), in Chinese, for an unexpected error: from the task that ran it (its title) and
    the part of the program the traceback went through. Never the exception's own (English) text."""
    action = next((n[len(ACTION_NOTE):] for n in getattr(exc, "__notes__", ()) if n.startswith(ACTION_NOTE)), "")
    if isinstance(exc, MemoryError):
        what, todo = "电脑内存不足，操作没有完成。", "请关闭其他程序后重试。"
    else:
        modules = _modules(tb)
        what, todo = "程序遇到了意外问题，刚才的操作没有完成。", "请再试一次。"
        for prefixes, failed, advice in _FAILURES:
            if any(m == p or m.startswith(p + ".") for m in modules for p in prefixes):
                what, todo = failed, advice
                break
        else:
            if isinstance(exc, OSError):
                what, todo = "读写文件时出错，操作没有完成。", "请检查磁盘空间、文件是否被其他程序占用以及文件夹权限，然后重试。"
    if action:
        what = f"“{action}”没有完成：{what}"
    return what, f"{todo}{_SAVED}{_SUPPORT}"


class ErrorDialog(QDialog):
    """An unexpected error, in Chinese: what failed and what to do; the technical details are not shown, only
    copied for support (复制详细信息) or found in the log file."""

    def __init__(self, details: str, log_file: Path, parent: QWidget | None = None, *,
                 what: str = "程序遇到了意外问题，刚才的操作没有完成。", todo: str = _SAVED + _SUPPORT) -> None:
        super().__init__(parent)
        self.form = load_form("error_dialog.ui", self)
        self._log_file = log_file
        self._details = details
        self._init_widgets(what, todo)
        self._init_signals()

    @property
    def details(self) -> str:
        return self._details

    def _init_widgets(self, what: str, todo: str) -> None:
        from html import escape

        from PySide6.QtWidgets import QStyle

        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        self.form.icon_label.setPixmap(icon.pixmap(40, 40))
        self.form.message_label.setText(f"<b>{escape(what)}</b>")
        self.form.todo_label.setText(escape(todo))
        self.form.log_label.setText(f"日志文件：{self._log_file}")

    def _init_signals(self) -> None:
        self.form.copy_button.clicked.connect(self.copy_details)
        self.form.open_log_button.clicked.connect(self._open_log_folder)
        self.form.close_button.clicked.connect(self.accept)

    def copy_details(self) -> None:
        from PySide6.QtGui import QGuiApplication

        text = f"{self._details}\n日志文件：{self._log_file}\n"
        QGuiApplication.clipboard().setText(text)
        self.form.copy_button.setText("已复制")

    def _open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))


class ExceptionHandler(QObject):
    """sys.excepthook (and threading.excepthook) that logs, shows a dialog and lets the app keep running.

    Everything the user saw as saved is already in the workbook (each change is written at once), so an
    unexpected error costs at most the action that raised it.
    """

    _thread_error = Signal(object)

    def __init__(
        self,
        log_file: Path,
        parent_widget: Callable[[], QWidget | None] = QApplication.activeWindow,
        show_dialog: Callable[[str, Path, QWidget | None], None] | None = None,
    ) -> None:
        super().__init__()
        self._log_file = log_file
        self._parent_widget = parent_widget
        self._show_dialog = show_dialog or self._exec_dialog
        self._custom_show = show_dialog is not None
        self._showing = False
        self.suppressed = 0
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None
        # Errors raised on other threads are shown from the GUI thread (queued connection).
        self._thread_error.connect(lambda info: self.handle(*info))

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._thread_error.emit((args.exc_type, args.exc_value, args.exc_traceback))

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        parent = self._parent_widget()
        if isinstance(exc, UserError):
            # A lower layer's message that a caller forgot to catch: still the user's message.
            log.warning("uncaught user error: %s", exc)
            show_user_error(parent, exc)
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        if self._showing:
            # One dialog at a time: a failing paint event must not bury the user in dialogs.
            self.suppressed += 1
            return
        self._showing = True
        try:
            if self._custom_show:
                self._show_dialog(format_details(exc_type, exc, tb), self._log_file, parent)
            else:
                self._exec_dialog(format_details(exc_type, exc, tb), self._log_file, parent,
                                  *describe_failure(exc, tb))
        except Exception:  # the handler itself must never raise
            log.exception("error dialog failed")
        finally:
            self._showing = False

    @staticmethod
    def _exec_dialog(details: str, log_file: Path, parent: QWidget | None, what: str = "", todo: str = "") -> None:
        kwargs = {"what": what, "todo": todo} if what else {}
        ErrorDialog(details, log_file, parent, **kwargs).exec()
