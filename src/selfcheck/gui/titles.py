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


class TitleFitter(QObject):
    """Installed on the application: widens each dialog, when it is shown, to fit its title."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            needed = title_width(watched)
            screen = watched.screen()
            room = screen.availableGeometry().width() - 40 if screen is not None else needed
            if watched.width() < needed <= room and watched.maximumWidth() >= needed:
                watched.resize(needed, watched.height())
        return False
