"""The home dashboard: its figures equal the workbook's, and each opens the items or problems behind it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from selfcheck.gui.main_window import FILL, HOME, LEDGER
from selfcheck.gui.session import Change
from selfcheck.workbook.models import ProblemStatus, ProblemUpdate


def test_dashboard_figures_equal_the_workbook_and_open_what_is_behind(opened: Any, qtbot: Any) -> None:
    session = opened.test_context.session
    wb = session.require()
    iid = opened.inspection_id
    opened.show_page(HOME)  # the pages shown later load what was written meanwhile
    wb.answers.set(iid, "GTM-01", "no")  # non-compliant: a problem; its evidence photo is required
    wb.answers.set(iid, "GTM-02", "yes")
    problems = wb.ledger.all(iid)
    today = date.today()
    wb.ledger.update(problems[0].id, ProblemUpdate(deadline=today - timedelta(days=2)))
    session.changed(Change("inspection", iid))
    home = opened.page(HOME)
    panel = home.dashboard
    assert panel.isVisible() and "秋季自查" in panel.title_label.text()
    summary = wb.inspections.all()[0]
    figures = {key: button.count for key, button in panel.figures.items()}
    assert figures["unanswered"] == summary.total - summary.answered
    assert figures["noncompliant"] == summary.noncompliant == 1
    assert figures["open"] == len(wb.ledger.all(iid, status=[ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS,
                                                            ProblemStatus.RECTIFIED])) == summary.open_problems
    assert figures["overdue"] == len(wb.ledger.all(iid, overdue=True)) == 1
    assert figures["due_soon"] == 0 and not panel.figures["due_soon"].isEnabled()
    assert figures["photo_missing"] == sum(1 for b in wb.inspections.review(iid) if b.kind.value == "photo_missing")
    assert panel.chart_view is not None and panel.chart_view.chart().series()  # a QtCharts chart, not painted

    qtbot.mouseClick(panel.figures["noncompliant"], Qt.MouseButton.LeftButton)
    assert opened.current_page_name() == FILL
    fill = opened.page(FILL)
    assert [i.id for i in fill._items] == ["GTM-01"] and "不合规" in fill.form.list_title_label.text()

    opened.show_page(HOME)
    qtbot.mouseClick(panel.figures["overdue"], Qt.MouseButton.LeftButton)
    assert opened.current_page_name() == LEDGER
    ledger = opened.page(LEDGER)
    assert ledger.proxy.rowCount() == 1 and ledger.form.overdue_check.isChecked()

    opened.show_page(HOME)
    qtbot.mouseClick(panel.figures["open"], Qt.MouseButton.LeftButton)
    assert ledger.proxy.rowCount() == figures["open"]


def test_a_workbook_opened_at_start_shows_its_figures_then_what_changes(
        make_window: Any, catalog: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """`selfcheck --workbook PATH`: the figures read with the workbook on the worker thread are the workbook's; an
    answer given afterwards shows on the home page (the figures read at opening are not shown again)."""
    from tests.gui.helpers import create_school_workbook

    path = tmp_path / "学校.selfcheck"
    first = make_window()
    iid = create_school_workbook(first, path, catalog.checklists)
    first.test_context.session.require().answers.set(iid, "GTM-02", "yes")
    first.test_context.session.close()

    window = make_window(path)  # opened on a worker thread, as at start-up
    session = window.test_context.session
    wb = session.require()
    home = window.page(HOME)
    assert window.current_page_name() == HOME and home.form.table.rowCount() == 1
    assert home.form.table.item(0, 2).text() == f"1/{wb.inspections.all()[0].total}"
    board = wb.inspections.dashboard(iid)
    panel = home.dashboard
    assert panel.isVisible() and panel.figures["unanswered"].count == board.total - board.done
    assert panel.figures["noncompliant"].count == 0

    window.open_inspection(iid)
    fill = window.page(FILL)
    fill.select_item("GTM-01")
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)  # details later
    fill.answer("no")
    window.show_page(HOME)
    assert panel.figures["noncompliant"].count == 1 == len(wb.inspections.dashboard(iid).noncompliant_items)
    assert panel.figures["unanswered"].count == board.total - board.done - 1
    assert home.form.table.item(0, 2).text() == f"2/{wb.inspections.all()[0].total}"
