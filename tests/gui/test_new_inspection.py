"""新建自查 and 回头看: what the dialog checks, and open problems carried over."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from selfcheck.gui.session import Change
from selfcheck.gui.new_inspection import COL_NA, COL_TITLE, NewInspectionDialog, default_title, split_team
from selfcheck.workbook.models import ProblemSource, ProblemUpdate
from tests.gui.helpers import drive_dialog, record_user_errors


def ok(qtbot: Any, dialog: NewInspectionDialog) -> None:
    qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_dialog_refuses_incomplete_input(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []
    record_user_errors(monkeypatch, errors)

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
    assert len(opened.test_context.session.require().inspections.all()) == 1


def test_follow_up_carries_open_problems(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = opened.test_context.session.require()
    wb.answers.set(opened.inspection_id, "GTM-01", "no")
    wb.answers.set(opened.inspection_id, "GTF-02", "no")
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
    carried = wb.ledger.all(new_id)
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
    assert wb.inspections.get(opened.inspection_id).not_applicable == {"gui-fees": "本校为公办学校，不收费"}
    nav = opened.page("fill").form.navigator
    assert nav.topLevelItem(1).text(1) == "不适用"


def test_marking_not_applicable_removes_untouched_problems_and_tells_the_user(
        opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *a, **k: asked.append(title)
                        or QMessageBox.StandardButton.Yes)
    wb = opened.test_context.session.require()
    problem = wb.answers.set(opened.inspection_id, "GTF-02", "no").problem
    opened.test_context.session.changed(Change("answer", opened.inspection_id))

    def script(dialog: NewInspectionDialog) -> None:
        dialog.set_checklist_state("gui-fees", included=True, not_applicable_reason="本校为公办学校，不收费")
        ok(qtbot, dialog)

    drive_dialog(monkeypatch, NewInspectionDialog, script)
    opened.form.action_edit_inspection.trigger()
    assert asked == []  # nothing worked on: no question, the status bar says what happened
    assert opened.statusBar().currentMessage() == (
        f"清单“教育收费（测试清单）”标为不适用：未开始整改的问题 #{problem.id} 已从问题清单移除。")
    assert wb.ledger.all(opened.inspection_id) == []
    assert wb.answers.all(opened.inspection_id)["GTF-02"].value == "no"
    assert wb.audit.verify().ok


def test_marking_not_applicable_warns_that_worked_on_problems_stay(
        opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    replies = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(f"{title}：{text}")
        return replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    wb = opened.test_context.session.require()
    untouched = wb.answers.set(opened.inspection_id, "GTF-01", "no").problem
    worked = wb.answers.set(opened.inspection_id, "GTF-02", "no").problem
    wb.ledger.update(worked.id, ProblemUpdate(measures="清退代收费", person="赵强"))
    opened.test_context.session.changed(Change("problem", opened.inspection_id))
    states: list[dict[str, str]] = []

    def script(dialog: NewInspectionDialog) -> None:
        dialog.set_checklist_state("gui-fees", included=True, not_applicable_reason="不收费")
        ok(qtbot, dialog)  # answered 否 to the warning: still open, nothing saved
        assert dialog.isVisible()
        states.append(wb.inspections.get(opened.inspection_id).not_applicable)
        ok(qtbot, dialog)

    seen = drive_dialog(monkeypatch, NewInspectionDialog, script)
    opened.form.action_edit_inspection.trigger()
    assert len(seen) == 1 and states == [{}]
    warning = (f"标为不适用：清单“教育收费（测试清单）”标为不适用：未开始整改的问题 #{untouched.id} 将从问题清单移除；"
               f"问题 #{worked.id}（待整改）已有整改内容，仍将保留在整改台账中。\n\n仍要保存吗？")
    assert asked == [warning, warning]
    assert wb.inspections.get(opened.inspection_id).not_applicable == {"gui-fees": "不收费"}
    assert [p.id for p in wb.ledger.all(opened.inspection_id)] == [worked.id]
    assert "仍保留在整改台账中" in opened.statusBar().currentMessage()
    assert wb.audit.verify().ok

    def unmark(dialog: NewInspectionDialog) -> None:
        dialog.set_checklist_state("gui-fees", included=True)
        ok(qtbot, dialog)

    drive_dialog(monkeypatch, NewInspectionDialog, unmark)
    opened.form.action_edit_inspection.trigger()
    recreated = wb.ledger.for_item(opened.inspection_id, "GTF-01")
    assert recreated is not None and recreated.id != untouched.id
    assert opened.statusBar().currentMessage() == (
        f"清单“教育收费（测试清单）”取消不适用：问题 #{recreated.id} 已重新列入问题清单（待整改）。")
    assert wb.audit.verify().ok


@pytest.mark.parametrize("today, title", [
    (date(2026, 9, 1), "2026年秋季学期1+3+N专项自查"),
    (date(2027, 1, 10), "2026年秋季学期1+3+N专项自查"),
    (date(2027, 3, 1), "2027年春季学期1+3+N专项自查"),
])
def test_default_title(today: date, title: str) -> None:
    assert default_title(today) == title


def test_split_team() -> None:
    assert split_team("王建国（组长）、李明，赵强; 孙丽\n") == ["王建国（组长）", "李明", "赵强", "孙丽"]
