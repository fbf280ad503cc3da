"""Loading Qt Designer forms: every named object is reachable, and no Designer plugin comes along."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from selfcheck.gui.forms import load_form
from tests.fresh_python import fresh_python_output


def test_named_objects_of_a_form_are_attributes(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = load_form("new_inspection_dialog.ui", dialog)
    assert form.title_edit.parent() is not None
    with pytest.raises(AttributeError, match="no_such_widget"):
        _ = form.no_such_widget


def test_a_missing_form_is_an_installation_error(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    with pytest.raises(RuntimeError, match=r"^cannot open UI file .*no-such-form\.ui$"):
        load_form("no-such-form.ui", dialog)


def test_an_invalid_form_is_an_installation_error(qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.gui import forms

    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "broken.ui").write_text("<ui version='4.0'><widget class=", encoding="utf-8")
    monkeypatch.setattr(forms, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    dialog = QDialog()
    qtbot.addWidget(dialog)
    with pytest.raises(RuntimeError, match=r"^cannot load UI file .*broken\.ui: "):
        load_form("broken.ui", dialog)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_loading_forms_loads_no_designer_plugin_and_keeps_the_library_paths() -> None:
    code = (
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "from selfcheck.gui.forms import load_form\n"
        "app = QApplication(['x', '-platform', 'offscreen'])\n"
        "before = QApplication.libraryPaths()\n"
        "window = QMainWindow()\n"
        "form = load_form('main_window.ui', window)\n"
        "assert form.stack is not None\n"
        "assert QApplication.libraryPaths() == before, (before, QApplication.libraryPaths())\n"
        "maps = open('/proc/self/maps').read()\n"
        "print(','.join(lib for lib in ('libQt6Qml', 'libQt6Quick', 'libPySidePlugin') if lib in maps))\n"
    )
    assert fresh_python_output(code) == ""


def test_a_dialog_from_a_form_opens_centred_on_its_window(qtbot: Any) -> None:
    """The form's Designer geometry (x 0, y 0) must not pin the dialog to the screen's top-left corner."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QMainWindow

    from selfcheck.gui.profile import FirstRunDialog

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setGeometry(QRect(150, 60, 640, 520))  # inside the offscreen screen (800×600)
    window.show()
    qtbot.waitExposed(window)
    dialog = FirstRunDialog(Path("自查工作簿.selfcheck"), lambda _path, _profile: None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    offset = dialog.frameGeometry().center() - window.frameGeometry().center()
    assert abs(offset.x()) <= 20 and abs(offset.y()) <= 40, (dialog.frameGeometry(), window.frameGeometry())
