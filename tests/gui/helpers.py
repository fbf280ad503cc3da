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


def record_user_errors(monkeypatch: pytest.MonkeyPatch, shown: list[str]) -> list[str]:
    """Let every user-error message box (gui.errors.show_user_error) be built and shown for real, stubbing only its
    modal exec: each is recorded as "message" or "message\nhint" (what str(err) gives) and closed with OK.
    Other message boxes keep whatever exec the test gave them."""
    from PySide6.QtWidgets import QMessageBox

    from selfcheck.gui.errors import USER_ERROR_BOX

    previous = QMessageBox.exec

    def exec_(box: QMessageBox) -> int:
        if box.objectName() != USER_ERROR_BOX:
            return previous(box)
        box.show()
        assert box.isVisible() and box.icon() is QMessageBox.Icon.Warning
        hint = box.informativeText()
        shown.append(box.text() + (f"\n{hint}" if hint else ""))
        box.button(QMessageBox.StandardButton.Ok).click()
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


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


def create_school_workbook(window: Any, path: Any, checklists: list[Any]) -> int:
    """In `window`'s session: a new workbook at `path` with the school profile filled in and one inspection over
    `checklists`; returns the inspection id (announced as the GUI announces a write, not yet opened)."""
    from datetime import date

    from selfcheck.gui.session import Change
    from selfcheck.workbook.models import NewInspection, SchoolProfile

    session = window.test_context.session
    session.create(path)
    workbook = session.require()
    workbook.save_school(SchoolProfile(name="城关第一小学", principal="王校长", preparer="李老师"))
    inspection = workbook.inspections.create(NewInspection(
        title="秋季自查", period_start=date(2026, 9, 1), period_end=date(2026, 9, 30),
        checklist_ids=[c.id for c in checklists]), available=checklists)
    session.changed(Change("inspection", inspection.id))
    return inspection.id
