"""launch(): the window shows at once and the workbook given on the command line opens in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfcheck.gui.app import launch
from selfcheck.workbook.models import SchoolProfile
from selfcheck.workbook.service import Workbook
from tests.fresh_python import fresh_python_output


def test_launch_opens_the_workbook_after_the_window_shows(qtbot: Any, settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "命令行.selfcheck"
    with Workbook.create(path, actor="别人") as wb:
        wb.save_school(SchoolProfile(name="城关第一小学"))
    window = launch(path, [], settings=settings)
    qtbot.addWidget(window)
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.windowTitle().startswith("命令行.selfcheck"), timeout=30_000)
    assert window.page("home").form.school_label.text() == "城关第一小学"
    window.close()


def test_start_path_does_not_load_heavy_libraries() -> None:
    """The window's modules import neither the report, signing and image libraries nor the workbook stack."""
    code = (
        "import sys\n"
        "import selfcheck.gui.app, selfcheck.gui.main_window, selfcheck.gui.home\n"
        "heavy = ('reportlab', 'pyhanko', 'PIL', 'openpyxl', 'cryptography', 'yaml', 'pydantic', 'sqlite_utils')\n"
        "print(','.join(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    assert fresh_python_output(code) == ""
