"""Dialog titles are never cut: a dialog opens at least as wide as its title bar needs (its title, the
“ — 学校专项自查” the platform appends, the icon and the title-bar buttons)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

TITLE_BAR_EXTRA = 170  # icon, close/maximise buttons and the window manager's margins, in pixels


def title_width(dialog: QDialog) -> int:
    """The width the dialog's title bar needs to show the whole title."""
    title = dialog.windowTitle()
    display = QGuiApplication.applicationDisplayName()
    if display and title and not title.endswith(display):
        title = f"{title} — {display}"
    return QFontMetrics(QApplication.font("QMdiSubWindowTitleBar")).horizontalAdvance(title) + TITLE_BAR_EXTRA


def fit_title(dialog: QDialog) -> None:
    """Widen `dialog` to its title's width where the screen has room and the dialog allows it."""
    needed = title_width(dialog)
    screen = dialog.screen()
    room = screen.availableGeometry().width() - 40 if screen is not None else needed
    if dialog.width() < needed <= room and dialog.maximumWidth() >= needed:
        dialog.resize(needed, dialog.height())


class TitleFitter(QObject):
    """Widens each dialog, when it is shown, to fit its title.

    Installed on the application (create_application) it sees every dialog, and every event of every object in
    the app on its way. The app's windows are watched instead (app.build_watched): installed on a window, it sees
    the dialogs shown with the window as parent (or a parent's parent: each such dialog is watched in turn) and
    any modal dialog, parent or not, that blocks the window. Seeing every event costs the window's start ~45 ms:
    the first private Qt object passed to Python (a gesture manager, an animation timer) makes PySide create a
    Python class for every QObject class of Qt (their enums included) while it looks for the object's class.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Show:
            if isinstance(watched, QDialog) and watched.isWindow():
                fit_title(watched)
        elif kind == QEvent.Type.ChildPolished:  # a child widget of a watched window is about to be shown
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QDialog) and child.isWindow() and child is not watched:
                child.installEventFilter(self)  # its Show follows; its own dialogs are seen the same way
        elif kind == QEvent.Type.WindowBlocked:  # a modal dialog is being shown (before it appears on screen)
            modal = QApplication.activeModalWidget()
            if isinstance(modal, QDialog):
                fit_title(modal)
                modal.installEventFilter(self)  # the dialogs it opens in turn block it, or have it as parent
        return False
