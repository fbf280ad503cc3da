"""Who answered: the profile's 填报人 by default, another team member in one choice; never the OS login."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox

from selfcheck.gui.session import Change
from selfcheck.report.collect import build_report_data
from selfcheck.workbook.models import NewInspection, SchoolProfile
from tests.gui.helpers import activate


@pytest.fixture
def school_window(make_window: Any, catalog: Any, tmp_path: Path) -> Any:
    """A workbook made as a clerk would, then opened: the profile names 李秀英 as 填报人, the team three people."""
    path = tmp_path / "学校.selfcheck"
    first = make_window()
    session = first.test_context.session
    session.create(path)
    wb = session.require()
    wb.save_school(SchoolProfile(name="城关第一小学", principal="王建国", preparer="李秀英"))
    inspection = wb.inspections.create(NewInspection(
        title="秋季自查", period_start=date(2026, 9, 1), period_end=date(2026, 9, 30),
        team=["王建国（校长）", "张伟（财务）"], checklist_ids=[c.id for c in catalog.checklists]),
        available=catalog.checklists)
    session.close()
    window = make_window(path)
    window.open_inspection(inspection.id)
    window.inspection_id = inspection.id
    return window


def test_the_preparer_answers_by_default_and_a_team_member_takes_over_in_one_choice(
        school_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window = school_window
    session = window.test_context.session
    page = window.page("fill")
    combo = page.findChild(QComboBox, "actor_combo")
    assert combo.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == ["李秀英", "王建国（校长）", "张伟（财务）"]
    assert combo.currentText() == "李秀英" and session.actor == "李秀英"

    activate(qtbot, window)
    page.select_item("GTM-01")
    page.form.item_list.setFocus()
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_2)  # 否: non-compliant, a problem in the ledger
    combo.activated.emit(2)  # the clerk picks 张伟（财务） from the list
    combo.setCurrentIndex(2)
    assert session.actor == "张伟（财务）"
    page.select_item("GTM-02")
    page.form.item_list.setFocus()
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_1)

    wb = session.require()
    answers = wb.answers.all(window.inspection_id)
    assert answers["GTM-01"].answered_by == "李秀英"
    assert answers["GTM-02"].answered_by == "张伟（财务）"
    problem = wb.ledger.for_item(window.inspection_id, "GTM-01")
    assert problem is not None and problem.created_by == "李秀英"
    actors = {e.actor for e in wb.audit.entries(limit=50)}
    assert {"李秀英", "张伟（财务）"} <= actors
    login = getpass.getuser()
    assert login not in actors and login not in {a.answered_by for a in answers.values()}
    data = build_report_data(wb.unwrapped if hasattr(wb, "unwrapped") else wb, window.inspection_id)
    by_item = {i.id: i.answered_by for c in data.checklists for i in c.items()}
    assert (by_item["GTM-01"], by_item["GTM-02"]) == ("李秀英", "张伟（财务）")


def test_renaming_the_preparer_in_the_profile_moves_the_answers_to_come(school_window: Any) -> None:
    session = school_window.test_context.session
    wb = session.require()
    wb.save_school(SchoolProfile(name="城关第一小学", principal="王建国", preparer="赵敏"))
    session.changed(Change("school"))
    assert session.actor == "赵敏"
    combo = school_window.page("fill").findChild(QComboBox, "actor_combo")
    assert combo.currentText() == "赵敏"
    assert wb.answers.set(school_window.inspection_id, "GTM-01", "是").answer.answered_by == "赵敏"
