"""The 学校 / 区县 choice: at first run, from the File menu, remembered for the next start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from selfcheck.gui.app import build_desks
from selfcheck.gui.profile import FirstRunDialog
from selfcheck.gui.settings import DISTRICT_DESK, SCHOOL_DESK, AppSettings
from tests.gui.helpers import drive_dialog


@pytest.fixture
def fresh_settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


opened: list[Any] = []


@pytest.fixture(autouse=True)
def _close_windows() -> Any:
    yield
    while opened:
        window = opened.pop().window
        window.close()
        window.finish_background_work()


def reopen(settings: AppSettings, tmp_path: Path) -> AppSettings:
    settings.sync()
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def open_desks(qtbot: Any, settings: AppSettings) -> Any:
    desks = build_desks(settings)
    desks.open()
    opened.append(desks)  # closed after the test (a replaced window is deleted, so qtbot must not own it)
    qtbot.waitUntil(lambda: desks.window.isVisible())
    return desks


def wait_for_window(qtbot: Any, desks: Any, class_name: str) -> Any:
    qtbot.waitUntil(lambda: type(desks.window).__name__ == class_name and desks.window.isVisible())
    return desks.window


def test_first_run_offers_the_district_desk_and_remembers_it(qtbot: Any, fresh_settings: AppSettings,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    seen = drive_dialog(monkeypatch, FirstRunDialog, lambda d: qtbot.mouseClick(d.form.district_button,
                                                                                 Qt.MouseButton.LeftButton))
    desks = open_desks(qtbot, fresh_settings)
    assert type(desks.window).__name__ == "MainWindow"
    window = wait_for_window(qtbot, desks, "DistrictWindow")
    assert len(seen) == 1
    assert window.form.stack.currentWidget() is window.form.welcome_page
    assert "区县汇总核验" in window.windowTitle()
    settings = reopen(fresh_settings, tmp_path)
    assert settings.desk == DISTRICT_DESK and settings.first_run_done
    # Next start: the district window at once, no first-run dialog.
    again = open_desks(qtbot, settings)
    assert type(again.window).__name__ == "DistrictWindow"
    assert len(seen) == 1


def test_the_file_menu_switches_desks_both_ways_and_the_workspace_reopens(
        qtbot: Any, fresh_settings: AppSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh_settings.first_run_done = True
    desks = open_desks(qtbot, fresh_settings)
    school = desks.window
    school.form.action_switch_district.trigger()
    district = wait_for_window(qtbot, desks, "DistrictWindow")
    assert not school.isVisible()
    assert reopen(fresh_settings, tmp_path).desk == DISTRICT_DESK
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("东城区教育局", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "东城区"), ""))
    qtbot.mouseClick(district.form.welcome_new_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "东城区.district").exists()
    district.form.action_switch_school.trigger()
    wait_for_window(qtbot, desks, "MainWindow")
    assert reopen(fresh_settings, tmp_path).desk == SCHOOL_DESK
    # Back to the district desk: the last workspace opens again.
    desks.window.form.action_switch_district.trigger()
    district = wait_for_window(qtbot, desks, "DistrictWindow")
    qtbot.waitUntil(lambda: district.windowTitle().startswith("东城区教育局"), timeout=30_000)
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.inherits("QMainWindow")] == [district]


def test_a_workspace_in_use_elsewhere_opens_read_only_when_asked(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from selfcheck.district.workspace import DistrictWorkspace

    path = tmp_path / "城关区.district"
    with DistrictWorkspace.create(path, "城关区教育局"):  # another window holds it for writing
        window = make_district_window()
        asked: list[str] = []
        monkeypatch.setattr(QMessageBox, "question",
                            lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        window.form.action_open_workspace.trigger()
        assert len(asked) == 1 and "只读" in asked[0]
        assert "（只读）" in window.windowTitle()
        roster = window.show_page("roster")
        assert not roster.form.import_button.isEnabled()
        assert not window.form.action_receive_files.isEnabled()


def test_the_app_starts_on_the_remembered_district_workspace(qtbot: Any, fresh_settings: AppSettings,
                                                              tmp_path: Path) -> None:
    from selfcheck.district.workspace import DistrictWorkspace
    from selfcheck.gui.app import launch
    from selfcheck.gui.desks import Desks

    path = tmp_path / "城关区.district"
    DistrictWorkspace.create(path, "城关区教育局").close()
    fresh_settings.first_run_done = True
    fresh_settings.desk = DISTRICT_DESK
    fresh_settings.add_recent_district(path)
    window = launch(None, [], settings=fresh_settings)
    desks = next(d for d in QApplication.instance().findChildren(Desks) if d.window is window)
    opened.append(desks)
    assert type(window).__name__ == "DistrictWindow"
    qtbot.waitUntil(lambda: window.windowTitle().startswith("城关区教育局"), timeout=30_000)
    assert window.current_page_name() == "status"
