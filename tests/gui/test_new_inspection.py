"""新建自查 and 回头看: what the dialog checks, and open problems carried over."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from selfcheck.gui.session import Change
from selfcheck.gui.new_inspection import COL_NA, COL_TITLE, NewInspectionDialog, default_title, split_team
from selfcheck.workbook.models import ProblemSource
from tests.gui.helpers import drive_dialog


def ok(qtbot: Any, dialog: NewInspectionDialog) -> None:
    qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_dialog_refuses_incomplete_input(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr("selfcheck.gui.new_inspection.show_user_error", lambda _p, err, _t="": errors.append(str(err)))

    def script(dialog: NewInspectionDialog) -> None:
        table = dialog.form.checklist_table
        table.item(0, COL_NA).setCheckState(Qt.CheckState.Checked)  # 不适用 without a reason
        ok(qtbot, dialog)
        for row in range(table.rowCount()):
            table.item(row, COL_TITLE).setCheckState(Qt.CheckState.Unchecked)
        ok(qtbot, dialog)
        dialog.form.title_edit.clear()
        ok(qtbot, dialog)
        assert dialog.isVisible()
        dialog.reject()

    drive_dialog(monkeypatch, NewInspectionDialog, script)
    opened.new_inspection()
    assert errors == ["“校园餐（测试清单）”标为不适用，请写明理由（如：本校没有食堂）。", "请至少勾选一份检查清单。",
                      "请填写自查名称。"]
    assert len(opened.test_context.session.require().list_inspections()) == 1


def test_follow_up_carries_open_problems(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = opened.test_context.session.require()
    wb.set_answer(opened.inspection_id, "GTM-01", "no")
    wb.set_answer(opened.inspection_id, "GTF-02", "no")
    opened.test_context.session.changed(Change("answer", opened.inspection_id))

    def script(dialog: NewInspectionDialog) -> None:
        assert dialog.form.follow_up_group.isVisible()
        assert "未销号问题 2 个" in dialog.form.from_combo.currentText()
        assert dialog.form.title_edit.text().endswith("（回头看）")
        ok(qtbot, dialog)

    drive_dialog(monkeypatch, NewInspectionDialog, script)
    opened.show_page("home")
    home = opened.page("home")
    qtbot.mouseClick(home.form.follow_up_button, Qt.MouseButton.LeftButton)
    new_id = opened.test_context.session.inspection_id
    assert new_id != opened.inspection_id
    carried = wb.problems(new_id)
    assert {p.item_id for p in carried} == {"GTM-01", "GTF-02"}
    assert all(p.source is ProblemSource.FOLLOW_UP and p.origin_problem_id for p in carried)
    assert opened.current_page_name() == "fill"


def test_edit_inspection_marks_a_checklist_not_applicable(opened: Any, qtbot: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def script(dialog: NewInspectionDialog) -> None:
        assert dialog.windowTitle() == "修改自查信息"
        dialog.set_checklist_state("gui-fees", included=True, not_applicable_reason="本校为公办学校，不收费")
        ok(qtbot, dialog)

    drive_dialog(monkeypatch, NewInspectionDialog, script)
    opened.form.action_edit_inspection.trigger()
    wb = opened.test_context.session.require()
    assert wb.get_inspection(opened.inspection_id).not_applicable == {"gui-fees": "本校为公办学校，不收费"}
    nav = opened.page("fill").form.navigator
    assert nav.topLevelItem(1).text(1) == "不适用"


@pytest.mark.parametrize("today, title", [
    (date(2026, 9, 1), "2026年秋季学期1+3+N专项自查"),
    (date(2027, 1, 10), "2026年秋季学期1+3+N专项自查"),
    (date(2027, 3, 1), "2027年春季学期1+3+N专项自查"),
])
def test_default_title(today: date, title: str) -> None:
    assert default_title(today) == title


def test_split_team() -> None:
    assert split_team("王建国（组长）、李明，赵强; 孙丽\n") == ["王建国（组长）", "李明", "赵强", "孙丽"]
