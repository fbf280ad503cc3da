"""Smaller ledger dialogs: 回头看 rounds, new problems from other sources, reopening, and after-photos."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.photos.importer import PhotoTarget
from selfcheck.gui.photos.strip import EvidenceStrip
from selfcheck.workbook.models import (
    FollowUp,
    FollowUpResult,
    InspectionSummary,
    NewProblem,
    PhotoKind,
    Problem,
    ProblemSource,
    ProblemStatus,
)


class FollowUpDialog(QDialog):
    """Record one 回头看 round on a rectified or closed problem."""

    def __init__(self, context: AppContext, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("follow_up_dialog.ui", self)
        self._ctx = context
        self.problem = problem
        self.result_problem: Problem | None = None
        rounds = len(problem.follow_ups)
        self.form.header_label.setText(
            f"<b>问题 #{problem.id}</b>（{problem.status.value}）：{problem.description}<br/>"
            f"将记录第 {rounds + 1} 轮回头看。若发现反弹，问题会退回“整改中”继续整改。")
        self.form.date_edit.setDate(QDate.currentDate())
        self.form.date_edit.setMaximumDate(QDate.currentDate())
        self.form.button_box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.form.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.form.button_box.accepted.connect(self.accept)
        self.form.button_box.rejected.connect(self.reject)

    def accept(self) -> None:
        f = self.form
        by = f.by_edit.text().strip()
        finding = f.finding_edit.toPlainText().strip()
        missing = [name for name, value in (("复查人", by), ("复查情况", finding)) if not value]
        if missing:
            show_user_error(self, UserError(f"请填写：{'、'.join(missing)}。"), "还缺少内容")
            return
        picked = f.date_edit.date()
        follow_up = FollowUp(date=date(picked.year(), picked.month(), picked.day()), by=by, finding=finding,
                             result=FollowUpResult.RELAPSED if f.relapsed_radio.isChecked() else FollowUpResult.HELD)
        try:
            self.result_problem = self._ctx.session.require().ledger.add_follow_up(self.problem.id, follow_up)
        except UserError as err:
            show_user_error(self, err, "未保存")
            return
        super().accept()


class NewProblemDialog(QDialog):
    """A problem found outside the checklists (信访, 巡察, 审计, ...)."""

    def __init__(self, context: AppContext, inspections: Sequence[InspectionSummary], current: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("new_problem_dialog.ui", self)
        self._ctx = context
        self.result_problem: Problem | None = None
        for summary in inspections:
            self.form.inspection_combo.addItem(summary.title, summary.id)
        if current is not None:
            self.form.inspection_combo.setCurrentIndex(max(0, self.form.inspection_combo.findData(current)))
        for source in ProblemSource:
            if source is not ProblemSource.FOLLOW_UP:  # 回头看 problems are carried over, not typed in
                self.form.source_combo.addItem(source.value, source)
        self.form.button_box.button(QDialogButtonBox.StandardButton.Ok).setText("登记问题")
        self.form.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.form.button_box.accepted.connect(self.accept)
        self.form.button_box.rejected.connect(self.reject)

    def accept(self) -> None:
        description = self.form.description_edit.toPlainText().strip()
        inspection_id = self.form.inspection_combo.currentData()
        if not description or inspection_id is None:
            show_user_error(self, UserError("请选择所属自查并填写问题描述。"), "还缺少内容")
            return
        try:
            self.result_problem = self._ctx.session.require().ledger.add(
                inspection_id, NewProblem(description=description, source=self.form.source_combo.currentData()))
        except UserError as err:
            show_user_error(self, err, "未保存")
            return
        super().accept()


def ask_reopen_reason(parent: QWidget, problem: Problem) -> str | None:
    """Why a problem goes back to 整改中; None when cancelled or left empty."""
    text, ok = QInputDialog.getMultiLineText(
        parent, f"退回问题 #{problem.id}",
        f"把问题 #{problem.id}（{problem.status.value}）退回“{ProblemStatus.IN_PROGRESS.value}”继续整改。\n"
        "已填写的查验、销号信息会被清除。请写明退回原因：")
    text = text.strip()
    return text if ok and text else None


class AfterPhotosDialog(QDialog):
    """整改后照片 of one problem, with the same strip as item evidence."""

    def __init__(self, context: AppContext, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"整改后照片 — 问题 #{problem.id}")
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        header = QLabel(f"<b>问题 #{problem.id}</b>（{problem.status.value}）：{problem.description}", self)
        header.setWordWrap(True)
        layout.addWidget(header)
        self.strip = EvidenceStrip(context, self, purpose="after_photos")
        layout.addWidget(self.strip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.strip.set_target(PhotoTarget(problem.inspection_id, None, problem.id, PhotoKind.AFTER))
