"""The layer rule: everything but the GUI package imports and runs without PySide6."""

from __future__ import annotations

import pkgutil

import selfcheck
from tests.fresh_python import fresh_python_output


def _non_gui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(selfcheck.__path__, prefix="selfcheck."):
        if info.name == "selfcheck.gui" or info.name.startswith("selfcheck.gui."):
            continue
        names.append(info.name)
    return names


def test_non_gui_modules_do_not_import_pyside6() -> None:
    modules = _non_gui_modules()
    assert "selfcheck.checklists.loader" in modules and "selfcheck.cli.main" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    bad = fresh_python_output(code)
    assert bad == "", f"PySide6 imported by non-GUI code: {bad}"
