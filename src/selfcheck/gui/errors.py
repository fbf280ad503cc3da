"""Errors in the window: Chinese dialogs for UserError and a global handler for everything unexpected."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QStyle, QWidget

from selfcheck import __version__
from selfcheck.errors import UserError
from selfcheck.gui.forms import load_form

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


USER_ERROR_BOX = "user_error_box"


def show_user_error(parent: QWidget | None, err: UserError, title: str = "无法完成操作") -> None:
    """Tell the user what went wrong, in their words (the UserError's message and hint)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, err.message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(USER_ERROR_BOX)
    if err.hint:
        box.setInformativeText(err.hint)
    box.exec()


def format_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """Technical details for support: version, platform and the traceback."""
    head = f"SelfCheck {__version__} / Python {sys.version.split()[0]} / {sys.platform}\n\n"
    return head + "".join(traceback.format_exception(exc_type, exc, tb))


class ErrorDialog(QDialog):
    """Shows an unexpected error with copyable details and where the log file is."""

    def __init__(self, details: str, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("error_dialog.ui", self)
        self._log_file = log_file
        self._init_widgets(details)
        self._init_signals()

    def _init_widgets(self, details: str) -> None:
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        self.form.icon_label.setPixmap(icon.pixmap(40, 40))
        self.form.log_label.setText(f"日志文件：{self._log_file}")
        self.form.details_edit.setPlainText(details)

    def _init_signals(self) -> None:
        self.form.copy_button.clicked.connect(self.copy_details)
        self.form.open_log_button.clicked.connect(self._open_log_folder)
        self.form.close_button.clicked.connect(self.accept)

    def copy_details(self) -> None:
        text = f"{self.form.details_edit.toPlainText()}\n日志文件：{self._log_file}\n"
        QGuiApplication.clipboard().setText(text)
        self.form.copy_button.setText("已复制")

    def _open_log_folder(self) -> None:
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
            self._show_dialog(format_details(exc_type, exc, tb), self._log_file, parent)
        except Exception:  # the handler itself must never raise
            log.exception("error dialog failed")
        finally:
            self._showing = False

    @staticmethod
    def _exec_dialog(details: str, log_file: Path, parent: QWidget | None) -> None:
        ErrorDialog(details, log_file, parent).exec()
