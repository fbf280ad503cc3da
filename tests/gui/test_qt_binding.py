"""The Qt binding the app runs on: guards against binding bugs that would crash a long session."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QLabel


def test_qt_calls_do_not_leak_references_to_none(qtbot: Any) -> None:
    """PySide6 6.12.0 on CPython 3.11 took a reference from None on each void Qt call, so the process aborted
    ("none_dealloc") after a few hundred item switches; pyproject.toml excludes it. This catches a binding that
    does it again before users do (on 3.12+ None is immortal and the count does not move either way)."""
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(500):
        label.setText(str(n))
        label.setVisible(False)
    assert abs(sys.getrefcount(None) - before) < 50
