"""Built-in help: F1 and 帮助 → 使用帮助 open it offline; it explains the campaign's words and lists every shortcut."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from selfcheck.gui.help import HelpWindow


def _help_window() -> HelpWindow | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow) and w.isVisible()), None)


def test_f1_opens_the_help(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    assert _help_window() is None
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: _help_window() is not None)
    text = _help_window().browser.toPlainText()  # type: ignore[union-attr]
    assert "五步上手" in text
    for word in ("1+3+N", "回头看", "销号", "现场查验", "立行立改", "长效机制", "不适用"):
        assert word in text, word
    assert "指纹" in text and "通过" in text  # how the district verifies the report
    assert window.form.action_help in window.form.menu_help.actions()


def test_help_lists_every_menu_shortcut(make_window: Any) -> None:
    window = make_window()
    window.form.action_help.trigger()
    text = _help_window().browser.toPlainText()  # type: ignore[union-attr]
    for action in window.findChildren(type(window.form.action_help)):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys in ("Ctrl+2", "Ctrl+3", "Ctrl+4"):
            keys = "Ctrl+1 … Ctrl+5"  # one line covers the page keys
        assert keys in text, f"{action.text()} ({keys}) is not in the help"
