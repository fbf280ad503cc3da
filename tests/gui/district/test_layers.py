"""The district window is its own desk: it never loads the school desk's workbook storage or its pages."""

from __future__ import annotations

from tests.fresh_python import fresh_python_output


def test_the_district_gui_imports_neither_the_workbook_nor_the_school_pages() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import selfcheck.gui.district as desk\n"
        "for module in pkgutil.iter_modules(desk.__path__):\n"
        "    importlib.import_module('selfcheck.gui.district.' + module.name)\n"
        "school = ('selfcheck.workbook', 'selfcheck.gui.session', 'selfcheck.gui.main_window', 'selfcheck.gui.fill_in',\n"
        "          'selfcheck.gui.ledger', 'selfcheck.gui.home')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(school))))\n"
    )
    assert fresh_python_output(code) == ""


def test_the_district_window_starts_without_the_storage_and_report_libraries() -> None:
    """Pages and the workspace load when used: the empty window shows without sqlite-utils, pyHanko or charts."""
    code = (
        "import sys\n"
        "import selfcheck.gui.district.window\n"
        "heavy = ('sqlite_utils', 'pyhanko', 'reportlab', 'openpyxl', 'PySide6.QtCharts', 'selfcheck.district')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))\n"
    )
    assert fresh_python_output(code) == ""
