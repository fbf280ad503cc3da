"""GUI test fixtures: a fixed checklist catalog, isolated settings, and the main window built like the app does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from selfcheck.checklists.loader import load_checklist_file, sort_checklists
from selfcheck.gui.catalog import ChecklistCatalog
from selfcheck.gui.settings import AppSettings
from tests.gui.helpers import activate, create_school_workbook

DATA = Path(__file__).parent / "data"


@pytest.fixture
def catalog() -> ChecklistCatalog:
    files = sorted((DATA / "checklists").glob("*.yaml"))
    return ChecklistCatalog(sort_checklists(load_checklist_file(p) for p in files))


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    app_settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    app_settings.first_run_done = True
    return app_settings


@pytest.fixture
def make_window(qtbot: Any, catalog: ChecklistCatalog, settings: AppSettings) -> Iterator[Callable[..., Any]]:
    """Build a MainWindow through the composition root (build_context), show it, close it after the test."""
    from selfcheck.gui.app import build_context
    from selfcheck.gui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(workbook: Path | None = None, *, start: bool = True) -> MainWindow:
        context = build_context(settings=settings, catalog=catalog, actor="测试员")
        window = MainWindow(context)
        window.test_context = context  # type: ignore[attr-defined]  # the test's handle on the services
        qtbot.addWidget(window)
        window.show()
        activate(qtbot, window)  # shortcuts (1/2/3, Ctrl+Z) need the active window, as on a desktop
        if start:
            window.start(workbook)
            qtbot.waitUntil(lambda: not context.tasks.busy, timeout=30_000)  # the workbook opens in the background
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.test_context.tasks.wait_idle()  # type: ignore[attr-defined]


@pytest.fixture
def opened(make_window: Callable[..., Any], catalog: ChecklistCatalog, tmp_path: Path) -> Any:
    """A window with a new workbook (school profile filled in) and one inspection over the test checklists."""
    window = make_window()
    inspection_id = create_school_workbook(window, tmp_path / "学校.selfcheck", catalog.checklists)
    window.open_inspection(inspection_id)
    window.inspection_id = inspection_id  # type: ignore[attr-defined]
    return window
