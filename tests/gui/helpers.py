"""Helpers for GUI tests: drive modal dialogs through their real widgets, type Chinese text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def drive_dialog(monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], script: Callable[[Any], None]) -> list[Any]:
    """Make `cls.exec()` show the real dialog and run `script(dialog)` (which clicks its widgets) instead of
    blocking; returns the list of dialogs seen, so a test can assert each one was driven."""
    seen: list[Any] = []

    def fake_exec(self: QDialog) -> int:
        seen.append(self)
        self.show()
        script(self)
        return int(self.result())

    monkeypatch.setattr(cls, "exec", fake_exec)
    return seen


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` the way a Chinese input method does (QTest.keyClicks only handles ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def activate(qtbot: Any, window: QWidget) -> None:
    """Make `window` the active window, as it is on a desktop after a dialog closes (offscreen it is not)."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
