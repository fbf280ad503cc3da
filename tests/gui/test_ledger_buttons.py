"""整改台账's 编辑… and 查看检查项 buttons: a row is clicked, the button clicked, the real dialog filled in."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from selfcheck.gui.ledger.problem_dialog import ProblemDialog
from selfcheck.workbook.models import ProblemStatus
from tests.gui.helpers import drive_dialog, record_user_errors, type_text
from tests.gui.test_ledger import ledger, visible_ids  # noqa: F401  (function-scoped fixture)


def click_row(qtbot: Any, page: Any, problem_id: int) -> None:
    """Click the problem's row in the table, as a user does."""
    row = visible_ids(page).index(problem_id)
    table = page.form.table
    index = page.proxy.index(row, 1)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    assert page.selected().id == problem_id


def test_edit_changes_the_plan_and_keeps_the_status(opened: Any, ledger: Any, qtbot: Any,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    p1, _, _ = ledger.ids
    errors = record_user_errors(monkeypatch, [])

    def edit(dialog: ProblemDialog) -> None:
        f = dialog.form
        assert f.measures_edit.toPlainText() == "制定制度" and f.person_edit.text() == "李老师"
        ok = f.button_box.button(QDialogButtonBox.StandardButton.Ok)
        f.person_edit.clear()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # 具体责任人 is required once a plan exists
        assert dialog.isVisible() and errors and "具体责任人" in errors[-1]
        type_text(f.person_edit, "张老师")
        f.measures_edit.clear()
        type_text(f.measures_edit, "修订制度并组织学习")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    click_row(qtbot, ledger, p1)
    seen = drive_dialog(monkeypatch, ProblemDialog, edit)
    qtbot.mouseClick(ledger.form.edit_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    problem = opened.test_context.session.require().ledger.get(p1)
    assert (problem.person, problem.measures, problem.status) == ("张老师", "修订制度并组织学习",
                                                                   ProblemStatus.IN_PROGRESS)
    assert ledger.selected().id == p1 and ledger.selected().person == "张老师"  # the table shows it at once


def test_go_to_item_opens_the_item_in_the_fill_in_view(opened: Any, ledger: Any, qtbot: Any) -> None:  # noqa: F811
    _, p2, _ = ledger.ids
    click_row(qtbot, ledger, p2)
    assert ledger.form.item_button.isEnabled()
    qtbot.mouseClick(ledger.form.item_button, Qt.MouseButton.LeftButton)
    assert opened.current_page_name() == "fill"
    assert opened.page("fill").item_view.ref.item.id == "GTM-02"
