"""The problem dialog: edit every ledger field, or take one status step asking for exactly what it needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QLineEdit, QPlainTextEdit, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.datefield import get_date, make_optional, set_date
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.workbook.models import (
    STATUS_ORDER,
    Problem,
    ProblemStatus,
    ProblemUpdate,
    RectificationType,
    StepData,
)

# field → (widget name, label) in the order of the form
FIELDS: dict[str, tuple[str, str]] = {
    "description": ("description_edit", "问题描述"),
    "measures": ("measures_edit", "整改措施"),
    "rect_type": ("rect_type_combo", "整改类型"),
    "leader": ("leader_edit", "责任领导"),
    "department": ("department_edit", "责任科室"),
    "person": ("person_edit", "具体责任人"),
    "deadline": ("deadline_edit", "整改时限"),
    "progress": ("progress_edit", "整改进度"),
    "done_description": ("done_description_edit", "完成情况"),
    "completed_on": ("completed_on_edit", "完成日期"),
    "verified_by": ("verified_by_edit", "现场查验人"),
    "verified_on": ("verified_on_edit", "查验日期"),
    "verification_note": ("verification_note_edit", "查验意见"),
    "closed_by": ("closed_by_edit", "销号人"),
    "closed_on": ("closed_on_edit", "销号日期"),
}

# What each step asks for: (groups shown, required fields, dates defaulting to today). Mirrors Workbook.ledger.advance().
STEPS: dict[ProblemStatus, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    ProblemStatus.IN_PROGRESS: (("plan_group",),
                                ("measures", "rect_type", "leader", "department", "person", "deadline"), ()),
    ProblemStatus.RECTIFIED: (("progress_group",), ("done_description", "completed_on"), ("completed_on",)),
    ProblemStatus.CLOSED: (("close_group",), ("verified_by", "verified_on", "closed_by", "closed_on"),
                           ("verified_on", "closed_on")),
}
STEP_TITLES = {
    ProblemStatus.IN_PROGRESS: "开始整改",
    ProblemStatus.RECTIFIED: "整改完成",
    ProblemStatus.CLOSED: "现场查验并销号",
}
GROUPS = ("description_group", "plan_group", "progress_group", "close_group")


def next_status(status: ProblemStatus) -> ProblemStatus | None:
    index = STATUS_ORDER.index(status)
    return STATUS_ORDER[index + 1] if index + 1 < len(STATUS_ORDER) else None


class ProblemDialog(QDialog):
    """`step` None: edit all fields. Otherwise the status being moved to; only that step's fields are shown.

    `submit(values)` gets the changed fields and stores them; a UserError keeps the dialog open.
    """

    def __init__(self, problem: Problem, submit: Callable[[dict[str, Any]], Problem], *,
                 step: ProblemStatus | None = None, item_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("problem_dialog.ui", self)
        self.problem = problem
        self.step = step
        self.result_problem: Problem | None = None
        self._submit = submit
        self._required: tuple[str, ...] = ()
        self._init_widgets(item_text)
        self.form.button_box.accepted.connect(self.accept)
        self.form.button_box.rejected.connect(self.reject)

    def _init_widgets(self, item_text: str) -> None:
        f = self.form
        problem = self.problem
        f.rect_type_combo.addItems(["", *(t.value for t in RectificationType)])
        for name, (widget_name, _label) in FIELDS.items():
            widget = getattr(f, widget_name)
            if isinstance(widget, QDateEdit):
                make_optional(widget)
            self._set(name, getattr(problem, name))
        origin = f"　·　回头看带入（原问题 #{problem.origin_problem_id}）" if problem.origin_problem_id else ""
        overdue = "　·　<span style='color:#c62828'><b>已逾期</b></span>" if problem.overdue else ""
        header = (f"<b>问题 #{problem.id}</b>　·　{problem.status.value}　·　来源：{problem.source.value}"
                  f"{origin}{overdue}")
        if item_text:
            header += f"<br/><span style='color:#5f6b7a'>{item_text}</span>"
        if problem.reopen_reason:
            header += f"<br/><span style='color:#b26a00'>退回原因：{problem.reopen_reason}</span>"
        ok = f.button_box.button(QDialogButtonBox.StandardButton.Ok)
        f.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        if self.step is None:
            self.setWindowTitle(f"整改信息 — 问题 #{problem.id}")
            ok.setText("保存")
            f.required_label.setText("每一项都可以随时补充；状态的推进请在整改台账中操作。")
        else:
            groups, self._required, today_fields = STEPS[self.step]
            for group in GROUPS:
                getattr(f, group).setVisible(group in groups)
            header += f"<br/>问题描述：{problem.description}"
            for name in today_fields:
                if getattr(problem, name) is None:
                    self._set(name, date.today())
            for name in self._required:
                label = getattr(f, f"{name}_label")
                label.setText(f"{FIELDS[name][1]} *：")
            self.setWindowTitle(f"{STEP_TITLES[self.step]} — 问题 #{problem.id}")
            ok.setText(f"{STEP_TITLES[self.step]}（→ {self.step.value}）")
            f.required_label.setText("带 * 的为这一步必须填写的内容。")
        f.header_label.setText(header)
        f.required_label.setStyleSheet("color:#6b7785")
        self.resize(640, 660 if self.step is None else 420)

    # --- values ----------------------------------------------------------------------------------------------------
    def _widget(self, name: str) -> QWidget:
        return getattr(self.form, FIELDS[name][0])

    def _set(self, name: str, value: Any) -> None:
        widget = self._widget(name)
        if isinstance(widget, QDateEdit):
            set_date(widget, value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(value.value if isinstance(value, RectificationType) else (value or ""))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QLineEdit):
            widget.setText(value or "")

    def value(self, name: str) -> Any:
        widget = self._widget(name)
        if isinstance(widget, QDateEdit):
            return get_date(widget)
        if isinstance(widget, QComboBox):
            text = widget.currentText()
            return RectificationType(text) if text else None
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        return widget.text().strip()  # type: ignore[attr-defined]

    def set_value(self, name: str, value: Any) -> None:
        """Fill a field as the user would (used by callers that pre-fill, e.g. the current user as 销号人)."""
        self._set(name, value)

    def changed_values(self) -> dict[str, Any]:
        """Fields whose value differs from the problem's, limited to the visible groups."""
        visible = [name for name in FIELDS if self._widget(name).isVisibleTo(self)]
        changed = {}
        for name in visible:
            new = self.value(name)
            old = getattr(self.problem, name)
            if (new or None) != (old or None):
                changed[name] = new
        return changed

    def accept(self) -> None:
        missing = [FIELDS[name][1] for name in self._required if not self.value(name)]
        if missing:
            self._widget(self._required[[FIELDS[n][1] for n in self._required].index(missing[0])]).setFocus()
            show_user_error(self, UserError(f"请填写：{'、'.join(missing)}。"), "还缺少内容")
            return
        if self.step is None and "description" in self.changed_values() and not self.value("description"):
            show_user_error(self, UserError("问题描述不能为空。"), "还缺少内容")
            return
        try:
            self.result_problem = self._submit(self.changed_values())
        except UserError as err:
            show_user_error(self, err, "未保存")
            return
        super().accept()


def _item_text(context: AppContext, problem: Problem) -> str:
    if not problem.item_id:
        return ""
    workbook = context.session.require()
    for checklist in workbook.inspections.checklists(problem.inspection_id):
        for item in checklist.all_items():
            if item.id == problem.item_id:
                return f"检查项 {item.id}（{item.severity.value}）：{item.question}"
    return f"检查项 {problem.item_id}"


def edit_problem_dialog(context: AppContext, parent: QWidget, problem: Problem) -> Problem | None:
    """Edit a problem's ledger fields; returns the stored problem, or None when cancelled or nothing changed."""
    workbook = context.session.require()

    def submit(values: dict[str, Any]) -> Problem:
        if not values:
            return problem
        return workbook.ledger.update(problem.id, ProblemUpdate(**values))

    dialog = ProblemDialog(problem, submit, item_text=_item_text(context, problem), parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_problem is problem:
        return None
    return dialog.result_problem


def advance_problem_dialog(context: AppContext, parent: QWidget, problem: Problem) -> Problem | None:
    """Take the next status step, asking for what it needs; returns the stored problem or None."""
    target = next_status(problem.status)
    if target is None:
        return None
    workbook = context.session.require()

    def submit(values: dict[str, Any]) -> Problem:
        return workbook.ledger.advance(problem.id, target, StepData(**values) if values else None)

    dialog = ProblemDialog(problem, submit, step=target, item_text=_item_text(context, problem), parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_problem
