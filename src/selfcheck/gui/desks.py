"""The two desks (学校自查 and 区县汇总核验) share one app: this keeps the one open window and swaps it on request."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from selfcheck.gui.settings import DISTRICT_DESK, SCHOOL_DESK, AppSettings

log = logging.getLogger(__name__)

# desk name -> builds that desk's window (its own services included); the composition root supplies these.
WindowFactory = Callable[[], QMainWindow]


class Desks(QObject):
    """Owns the current desk window. A window asks for the other desk with its `desk_requested(str)` signal;
    the choice is remembered in the settings, so the app opens that desk next time."""

    def __init__(self, settings: AppSettings, factories: dict[str, WindowFactory]) -> None:
        super().__init__()
        self._settings = settings
        self._factories = factories
        self.window: Any = None

    def open(self, desk: str | None = None, start_path: Path | None = None) -> Any:
        """Build and show the window of `desk` (default: the remembered one); it starts once the loop runs."""
        desk = desk or self._settings.desk
        window = self._factories[desk]()
        window.desk_requested.connect(self.switch)
        window.show()
        self.window = window
        QTimer.singleShot(0, lambda: self._start(window, start_path))
        return window

    def _start(self, window: Any, start_path: Path | None) -> None:
        # A window replaced before the event loop came round must not open files any more: it would hold them
        # (a workspace's writer lock) for a window that is being deleted.
        if window is self.window:
            window.start(start_path)

    def switch(self, desk: str) -> None:
        """Close the current window (it may refuse, e.g. while a long task runs) and open `desk`'s window."""
        if desk not in (SCHOOL_DESK, DISTRICT_DESK):
            raise ValueError(f"unknown desk {desk!r}")
        old = self.window
        old_desk = self._settings.desk
        self._settings.desk = desk
        # The new window shows before the old one closes: closing the last window would end the app.
        new = self.open(desk)
        if old is not None and not old.close():
            self._settings.desk = old_desk
            self.window = old
            new.close()
            return
        if old is not None:
            old.deleteLater()
        self._settings.sync()
