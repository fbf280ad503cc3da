"""接收报告 by dropping a folder onto the window; the same file again is a duplicate; a campaign gives the round."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from selfcheck.gui.district.campaign_dialog import CampaignDialog
from tests.gui.district.conftest import DistrictFiles
from tests.gui.district.test_flow import receive, set_up_district, table_texts
from tests.gui.helpers import drive_dialog, type_text


def drop(window: Any, paths: list[Path]) -> None:
    """Drag `paths` from a file manager and drop them onto the window."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPointF(window.rect().center())
    enter = QDragEnterEvent(centre.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)


def test_a_folder_dropped_on_the_window_is_received_and_a_second_drop_is_duplicate(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    folder = tmp_path / "各校报告"
    folder.mkdir()
    for school in district_files.schools[:2]:
        shutil.copy(school.report, folder)
    tasks = window.test_context.tasks
    drop(window, [folder])
    qtbot.waitUntil(lambda: not tasks.busy, timeout=120_000)
    page = window.form.stack.currentWidget()
    assert page is window.page("receive")
    assert table_texts(page.form.results_table, 1) == ["已接收", "已接收"]
    drop(window, [folder / district_files.schools[0].report.name])
    qtbot.waitUntil(lambda: not tasks.busy, timeout=120_000)
    assert table_texts(page.form.results_table, 1) == ["重复"]


def test_a_new_campaign_is_the_round_the_pages_count(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)

    def fill(dialog: Any) -> None:
        type_text(dialog.form.title_edit, "2026年秋季专项自查")
        dialog.form.button_box.button(dialog.form.button_box.StandardButton.Ok).click()

    receive_page = window.show_page("receive")  # on screen while the campaign is created: follows at once
    seen = drive_dialog(monkeypatch, CampaignDialog, fill)
    window.form.action_new_campaign.trigger()
    assert "2026年秋季专项自查" in receive_page.form.campaign_label.text()
    assert len(seen) == 1
    campaign = window.test_context.desk.workspace.campaigns.current()
    assert campaign is not None and campaign.title == "2026年秋季专项自查"
    status = window.show_page("status")
    assert "2026年秋季专项自查" in status.form.overview_label.text()
    assert "未报送 3 所" in status.form.overview_label.text()


def test_the_campaign_can_be_corrected_its_period_locked_once_reports_arrived(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    assert not window.form.action_edit_campaign.isEnabled()  # no round yet: nothing to correct

    def create(dialog: Any) -> None:
        type_text(dialog.form.title_edit, "2026年秋李专项自查")  # a typo
        dialog.form.start_edit.setDate(QDate(2026, 9, 1))
        dialog.form.end_edit.setDate(QDate(2026, 12, 31))
        dialog.form.button_box.button(dialog.form.button_box.StandardButton.Ok).click()

    drive_dialog(monkeypatch, CampaignDialog, create)
    window.form.action_new_campaign.trigger()
    page = receive(qtbot, window, monkeypatch, [district_files.schools[0].report])
    assert table_texts(page.form.results_table, 1) == ["已接收"]
    seen: list[tuple[bool, str]] = []

    def correct(dialog: Any) -> None:
        f = dialog.form
        seen.append((f.start_edit.isEnabled(), f.title_edit.text()))
        f.title_edit.clear()
        type_text(f.title_edit, "2026年秋季专项自查")
        f.deadline_edit.setDateTime(f.deadline_edit.dateTime().addDays(10))
        f.button_box.button(f.button_box.StandardButton.Ok).click()

    assert window.form.action_edit_campaign.isEnabled()
    before = window.test_context.desk.workspace.campaigns.current()
    drive_dialog(monkeypatch, CampaignDialog, correct)
    window.form.action_edit_campaign.trigger()
    assert seen == [(False, "2026年秋李专项自查")]  # shown as it is; the period locked (a report was received)
    after = window.test_context.desk.workspace.campaigns.current()
    assert after.id == before.id and after.title == "2026年秋季专项自查"
    assert after.deadline - before.deadline == timedelta(days=10)
    assert "2026年秋季专项自查" in window.show_page("status").form.overview_label.text()
