"""整改台账: filters and sorting, overdue rows, reopen and 回头看, problems from other sources, Excel export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox

from selfcheck.gui.ledger.dialogs import FollowUpDialog, NewProblemDialog
from selfcheck.gui.ledger.model import OVERDUE_BRUSH, PROBLEM_ROLE
from selfcheck.workbook.models import ProblemStatus, ProblemUpdate, RectificationType, StepData
from tests.gui.helpers import drive_dialog, type_text

PLAN = dict(measures="制定制度", rect_type=RectificationType.LONG_TERM, leader="王校长", department="总务处",
            person="李老师")


def visible_ids(ledger: Any) -> list[int]:
    return [ledger.proxy.index(r, 0).data(PROBLEM_ROLE).id for r in range(ledger.proxy.rowCount())]


@pytest.fixture
def ledger(opened: Any) -> Any:
    """Three problems: GTM-01 overdue (整改中), GTM-02 待整改, GTF-01 已销号."""
    wb = opened.test_context.session.require()
    iid = opened.inspection_id
    for item in ("GTM-01", "GTM-02", "GTF-01"):
        wb.answers.set(iid, item, "no")
    p1, p2, p3 = (wb.ledger.for_item(iid, i) for i in ("GTM-01", "GTM-02", "GTF-01"))
    wb.ledger.advance(p1.id, ProblemStatus.IN_PROGRESS, StepData(**PLAN, deadline=date.today() + timedelta(days=5)))
    wb.ledger.update(p1.id, ProblemUpdate(deadline=date.today() - timedelta(days=2)))
    wb.ledger.advance(p3.id, ProblemStatus.CLOSED, StepData(
        **PLAN, deadline=date.today(), done_description="已整改", completed_on=date.today(),
        verified_by="王校长", verified_on=date.today(), closed_by="王校长", closed_on=date.today()))
    opened.form.action_page_ledger.trigger()
    page = opened.page("ledger")
    page.ids = (p1.id, p2.id, p3.id)
    return page


def test_filters_sorting_and_overdue(ledger: Any, qtbot: Any) -> None:
    p1, p2, p3 = ledger.ids
    assert visible_ids(ledger) == [p1, p2, p3]
    assert "待整改 1，整改中 1，已整改 0，已销号 1" in ledger.form.summary_label.text()
    row_of_p1 = visible_ids(ledger).index(p1)
    assert ledger.proxy.index(row_of_p1, 3).data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BRUSH
    assert ledger.proxy.index(visible_ids(ledger).index(p2), 3).data(Qt.ItemDataRole.BackgroundRole) is None

    ledger.form.status_combo.setCurrentIndex(ledger.form.status_combo.findText("未销号"))
    assert visible_ids(ledger) == [p1, p2]
    ledger.form.overdue_check.click()
    assert visible_ids(ledger) == [p1]
    ledger.form.overdue_check.click()
    ledger.form.status_combo.setCurrentIndex(0)
    type_text(ledger.form.search_edit, "李老师")
    assert visible_ids(ledger) == [p1, p3]
    ledger.form.search_edit.clear()

    # Click the 整改时限 header: sorted by date (empty first), then descending.
    deadline_col = next(c for c in range(ledger.model.columnCount())
                        if ledger.model.headerData(c, Qt.Orientation.Horizontal) == "整改时限")
    header = ledger.form.table.horizontalHeader()
    ledger.form.table.scrollTo(ledger.proxy.index(0, deadline_col))
    at = QPoint(header.sectionViewportPosition(deadline_col) + 8, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert visible_ids(ledger) == [p2, p1, p3]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert visible_ids(ledger) == [p3, p1, p2]


def test_selected_problem_offers_the_right_step(ledger: Any) -> None:
    p1, p2, p3 = ledger.ids
    expected = {p1: ("整改完成…", True), p2: ("开始整改…", True), p3: ("推进状态…", False)}
    for problem_id, (text, enabled) in expected.items():
        assert ledger.select_problem(problem_id)
        assert (ledger.form.advance_button.text(), ledger.form.advance_button.isEnabled()) == (text, enabled)
    assert ledger.form.follow_up_button.isEnabled() and ledger.form.reopen_button.isEnabled()
    assert not ledger.form.delete_button.isEnabled()  # only 待整改 problems can be deleted


def test_follow_up_relapse_reopens(ledger: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _p1, _p2, p3 = ledger.ids

    def record(dialog: FollowUpDialog) -> None:
        type_text(dialog.form.by_edit, "纪检委员")
        type_text(dialog.form.finding_edit, "公示栏又未更新")
        dialog.form.relapsed_radio.setChecked(True)
        qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    drive_dialog(monkeypatch, FollowUpDialog, record)
    ledger.select_problem(p3)
    qtbot.mouseClick(ledger.form.follow_up_button, Qt.MouseButton.LeftButton)
    problem = ledger._ctx.session.require().ledger.get(p3)
    assert problem.status is ProblemStatus.IN_PROGRESS
    assert problem.follow_ups[0].by == "纪检委员"
    assert ledger.selected().status is ProblemStatus.IN_PROGRESS
    assert "反弹" in problem.reopen_reason


def test_reopen_asks_for_a_reason(ledger: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _p1, _p2, p3 = ledger.ids
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("查验时发现台账不全", True))
    ledger.select_problem(p3)
    qtbot.mouseClick(ledger.form.reopen_button, Qt.MouseButton.LeftButton)
    problem = ledger._ctx.session.require().ledger.get(p3)
    assert problem.status is ProblemStatus.IN_PROGRESS and problem.reopen_reason == "查验时发现台账不全"
    assert problem.closed_by == ""


def test_problem_from_another_source_and_delete(ledger: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def add(dialog: NewProblemDialog) -> None:
        dialog.form.source_combo.setCurrentText("信访")
        type_text(dialog.form.description_edit, "家长反映食堂饭菜分量不足")
        qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    drive_dialog(monkeypatch, NewProblemDialog, add)
    qtbot.mouseClick(ledger.form.add_button, Qt.MouseButton.LeftButton)
    added = ledger.selected()
    assert added.source.value == "信访" and added.item_id is None
    assert ledger.form.delete_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(ledger.form.delete_button, Qt.MouseButton.LeftButton)
    assert added.id not in visible_ids(ledger)
    assert all(p.id != added.id for p in ledger._ctx.session.require().ledger.all())


def test_export_to_excel(ledger: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "导出" / "台账.xlsx"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    qtbot.mouseClick(ledger.form.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "已导出 3 个问题" in shown[0]
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "城关第一小学整改台账"
    assert sheet.max_row == 3 + 3


def test_default_columns_fit_1366_by_768(ledger: Any, opened: Any, qtbot: Any) -> None:
    """Maximised on a 1366×768 office screen the ledger shows its default columns whole, with no sideways
    scrolling; the description wraps."""
    from PySide6.QtGui import QFontMetrics

    from selfcheck.exports.ledger_table import COLUMNS
    from selfcheck.gui.ledger.columns import DEFAULT_KEYS

    opened.resize(1366, 768 - 40)  # the work area left by the taskbar
    qtbot.waitUntil(lambda: opened.width() == 1366)
    table = ledger.form.table
    qtbot.wait(50)
    assert ledger.columns.visible_keys() == list(DEFAULT_KEYS)
    assert table.horizontalScrollBar().maximum() == 0
    metrics = QFontMetrics(table.horizontalHeader().font())
    for col, column in enumerate(COLUMNS):
        if column.key in DEFAULT_KEYS:
            assert table.columnWidth(col) >= metrics.horizontalAdvance(column.header), column.header
    deadline = next(i for i, c in enumerate(COLUMNS) if c.key == "deadline")
    assert table.columnViewportPosition(deadline) + table.columnWidth(deadline) <= table.viewport().width()
    assert table.wordWrap()


def test_column_chooser_is_remembered(ledger: Any, opened: Any, settings: Any) -> None:
    from selfcheck.exports.ledger_table import column_index
    from selfcheck.gui.ledger.page import LedgerPage

    menu = ledger.columns.menu
    action = next(a for a in menu.actions() if a.text() == "现场查验人")
    action.trigger()  # what clicking it in the 显示列… menu does
    assert not ledger.form.table.isColumnHidden(column_index("verified_by"))
    next(a for a in menu.actions() if a.text() == "整改措施").trigger()
    assert ledger.form.table.isColumnHidden(column_index("measures"))
    again = LedgerPage(opened.test_context, None)  # the next start
    assert not again.form.table.isColumnHidden(column_index("verified_by"))
    assert again.form.table.isColumnHidden(column_index("measures"))
    again.deleteLater()


def test_detail_pane_shows_checking_and_closing(ledger: Any) -> None:
    _p1, _p2, p3 = ledger.ids  # 已销号
    ledger.select_problem(p3)
    text = ledger.form.detail_label.text()
    assert "现场查验" in text and "查验人 王校长" in text and "销号人 王校长" in text
    assert f"销号日期 {date.today().isoformat()}" in text and "完成情况" in text
