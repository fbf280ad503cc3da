"""整改台账: every problem with every field; status steps, follow-ups, after-photos and the Excel export."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.ledger.columns import LedgerColumns
from selfcheck.gui.ledger.dialogs import AfterPhotosDialog, FollowUpDialog, NewProblemDialog, ask_reopen_reason
from selfcheck.gui.ledger.model import PROBLEM_ROLE, LedgerFilter, LedgerModel
from selfcheck.gui.ledger.problem_dialog import (
    STEP_TITLES,
    advance_problem_dialog,
    edit_problem_dialog,
    next_status,
)
from selfcheck.gui.session import Change
from selfcheck.gui.widgets import make_heading
from selfcheck.workbook.models import InspectionSummary, Problem, ProblemStatus



class LedgerPage(QWidget):
    message = Signal(str)
    item_requested = Signal(str, object)  # item id, inspection id

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("ledger_page.ui", self)
        self._ctx = context
        self._session = context.session
        self.model = LedgerModel()
        self.proxy = LedgerFilter()
        self.proxy.setSourceModel(self.model)
        self._inspections: list[InspectionSummary] = []
        self._only: tuple[str, frozenset[int]] | None = None
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        f = self.form
        make_heading(f.title_label, 1.4)
        f.table.setModel(self.proxy)
        f.table.horizontalHeader().setHighlightSections(False)
        # Wrapped descriptions: each row as tall as its text (the model cuts very long texts; the pane has all).
        f.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        f.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.columns = LedgerColumns(f.table, self._ctx.settings, f.columns_button)
        f.detail_splitter.setStretchFactor(0, 1)
        f.detail_splitter.setStretchFactor(1, 0)
        f.detail_splitter.setSizes([10_000, QFontMetrics(f.detail_label.font()).height() * 6])
        f.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        f.status_combo.setToolTip("按整改状态筛选；“未销号”包括待整改、整改中和已整改")
        f.status_combo.addItem("全部状态", None)
        f.status_combo.addItem("未销号", LedgerFilter.OPEN)
        for status in ProblemStatus:
            f.status_combo.addItem(status.value, status.value)
        f.summary_label.setStyleSheet("color:#6b7785")

    def _init_signals(self) -> None:
        f = self.form
        f.inspection_combo.currentIndexChanged.connect(lambda _i: self._filters_edited())
        f.status_combo.currentIndexChanged.connect(lambda _i: self._filters_edited())
        f.overdue_check.toggled.connect(lambda _on: self._filters_edited())
        f.search_edit.textChanged.connect(lambda _t: self._filters_edited())
        f.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        f.table.doubleClicked.connect(lambda _index: self.edit())
        f.advance_button.clicked.connect(self.advance)
        f.edit_button.clicked.connect(self.edit)
        f.photos_button.clicked.connect(self.after_photos)
        f.follow_up_button.clicked.connect(self.follow_up)
        f.reopen_button.clicked.connect(self.reopen)
        f.item_button.clicked.connect(self._go_to_item)
        f.add_button.clicked.connect(self.add_problem)
        f.delete_button.clicked.connect(self.delete)
        f.export_button.clicked.connect(self._export)

    # --- data ------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        workbook = self._session.workbook
        if workbook is None:
            self.model.set_problems([], {})
            return
        selected = self.selected()
        self._inspections = workbook.inspections.all(include_archived=True)
        titles = {s.id: s.title for s in self._inspections}
        combo = self.form.inspection_combo
        wanted = combo.currentData() if combo.count() else self._session.inspection_id
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部自查", None)
        for summary in self._inspections:
            combo.addItem(summary.title, summary.id)
        combo.setCurrentIndex(max(0, combo.findData(wanted)))
        combo.blockSignals(False)
        self.model.set_problems(workbook.ledger.all(), titles)
        self._apply_filters()
        if selected is not None:
            self.select_problem(selected.id)
        elif self.proxy.rowCount():
            self.form.table.selectRow(0)  # the buttons act on a selection: start with one

    def _filters_edited(self) -> None:
        self._only = None  # the user chose filters: a dashboard figure's selection no longer applies
        self._apply_filters()

    def show_problems(self, key: str, ids: list[int], inspection_id: int | None) -> None:
        """A home dashboard figure: open → 未销号, overdue → 逾期, due_soon → just those problems; in
        `inspection_id`'s ledger."""
        f = self.form
        widgets = (f.inspection_combo, f.status_combo, f.overdue_check, f.search_edit)
        for widget in widgets:
            widget.blockSignals(True)
        f.inspection_combo.setCurrentIndex(max(0, f.inspection_combo.findData(inspection_id)))
        f.status_combo.setCurrentIndex(max(0, f.status_combo.findData(LedgerFilter.OPEN)) if key == "open" else 0)
        f.overdue_check.setChecked(key == "overdue")
        f.search_edit.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self._only = ("7 天内到期", frozenset(ids)) if key == "due_soon" else None
        self._apply_filters()
        if self.proxy.rowCount():
            self.form.table.selectRow(0)

    def _apply_filters(self) -> None:
        f = self.form
        only = getattr(self, "_only", None)
        self.proxy.set_filters(inspection=f.inspection_combo.currentData(), status=f.status_combo.currentData(),
                               overdue=f.overdue_check.isChecked(), text=f.search_edit.text(),
                               only=only[1] if only else None)
        shown = [self.proxy.index(r, 0).data(PROBLEM_ROLE) for r in range(self.proxy.rowCount())]
        counts = {status: sum(p.status is status for p in shown) for status in ProblemStatus}
        overdue = sum(p.overdue for p in shown)
        parts = "，".join(f"{status.value} {n}" for status, n in counts.items())
        text = f"显示 {len(shown)} 个问题（共 {self.model.rowCount()} 个）：{parts}"
        if only:
            text = f"仅显示{only[0]}的问题（改动筛选条件即显示全部）。" + text
        if overdue:
            text += f"；<span style='color:#c62828'>逾期 {overdue} 个（红底）</span>"
        f.summary_label.setText(text)
        self._update_buttons()

    def selected(self) -> Problem | None:
        rows = self.form.table.selectionModel().selectedRows()
        return rows[0].data(PROBLEM_ROLE) if rows else None

    def select_problem(self, problem_id: int) -> bool:
        """Select a problem (clearing filters that hide it); False if there is no such problem."""
        row = self.model.row_of(problem_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            f = self.form
            for widget in (f.inspection_combo, f.status_combo, f.overdue_check, f.search_edit):
                widget.blockSignals(True)
            f.inspection_combo.setCurrentIndex(0)
            f.status_combo.setCurrentIndex(0)
            f.overdue_check.setChecked(False)
            f.search_edit.clear()
            for widget in (f.inspection_combo, f.status_combo, f.overdue_check, f.search_edit):
                widget.blockSignals(False)
            self._apply_filters()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.form.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.form.table.scrollTo(index)
        return True

    def focus_search(self) -> None:
        self.form.search_edit.setFocus()
        self.form.search_edit.selectAll()

    def _show_detail(self, problem: Problem | None) -> None:
        """The selected problem in full (the table cells are cut short)."""
        label = self.form.detail_label
        if problem is None:
            label.setText("选中一行，这里显示问题的完整内容。双击可编辑。")
            return
        parts = [f"<b>问题 #{problem.id}（{problem.status.value}）</b>　{escape(problem.description)}"]
        if problem.measures:
            parts.append(f"<b>整改措施</b>　{escape(problem.measures)}")
        people = "，".join(x for x in (problem.leader and f"责任领导 {problem.leader}",
                                      problem.department and f"责任科室 {problem.department}",
                                      problem.person and f"责任人 {problem.person}",
                                      problem.deadline and f"时限 {problem.deadline.isoformat()}") if x)
        if people:
            parts.append(escape(people) + ("　<span style='color:#c62828'><b>已逾期</b></span>" if problem.overdue else ""))
        done = "　".join(x for x in (problem.done_description and escape(problem.done_description),
                                     problem.completed_on and f"完成日期 {problem.completed_on.isoformat()}") if x)
        if done:
            parts.append(f"<b>完成情况</b>　{done}")
        if problem.verified_by or problem.verified_on:
            checked = "，".join(x for x in (problem.verified_by and f"查验人 {escape(problem.verified_by)}",
                                           problem.verified_on and f"查验日期 {problem.verified_on.isoformat()}") if x)
            note = f"　{escape(problem.verification_note)}" if problem.verification_note else ""
            parts.append(f"<b>现场查验</b>　{checked}{note}")
        if problem.closed_by or problem.closed_on:
            closed = "，".join(x for x in (problem.closed_by and f"销号人 {escape(problem.closed_by)}",
                                          problem.closed_on and f"销号日期 {problem.closed_on.isoformat()}") if x)
            parts.append(f"<b>销号</b>　{closed}")
        for follow in problem.follow_ups:
            parts.append(f"<b>回头看（第{follow.round}轮）</b>　{follow.date.isoformat()} {escape(follow.by)}："
                         f"{escape(follow.result.value)}　{escape(follow.finding)}")
        if problem.reopen_reason:
            parts.append(f"<b>退回原因</b>　{escape(problem.reopen_reason)}")
        label.setText("<br/>".join(parts).replace("\n", "<br/>"))

    def _update_buttons(self) -> None:
        problem = self.selected()
        self._show_detail(problem)
        writable = self._session.workbook is not None and not self._session.read_only
        f = self.form
        target = next_status(problem.status) if problem else None
        f.advance_button.setText(f"{STEP_TITLES[target]}…" if target else "推进状态…")
        f.advance_button.setEnabled(writable and target is not None)
        f.edit_button.setEnabled(writable and problem is not None)
        f.photos_button.setEnabled(problem is not None)
        f.follow_up_button.setEnabled(writable and problem is not None
                                      and problem.status in (ProblemStatus.RECTIFIED, ProblemStatus.CLOSED))
        f.reopen_button.setEnabled(writable and problem is not None
                                   and problem.status in (ProblemStatus.RECTIFIED, ProblemStatus.CLOSED))
        f.item_button.setEnabled(problem is not None and problem.item_id is not None)
        f.delete_button.setEnabled(writable and problem is not None and problem.status is ProblemStatus.PENDING)
        f.add_button.setEnabled(writable and bool(self._inspections))
        f.export_button.setEnabled(self.model.rowCount() > 0)

    # --- actions -----------------------------------------------------------------------------------------------------
    def _changed(self, problem: Problem, text: str) -> None:
        self.model.replace(problem)
        self._apply_filters()
        self.select_problem(problem.id)
        self.message.emit(text)
        self._session.changed(Change("problem", problem.inspection_id, problem.item_id, problem.id))

    def advance(self) -> None:
        problem = self.selected()
        if problem is None:
            return
        updated = advance_problem_dialog(self._ctx, self, problem)
        if updated is not None:
            self._changed(updated, f"问题 #{updated.id} 已{'销号' if updated.status is ProblemStatus.CLOSED else '变为“' + updated.status.value + '”'}。")

    def edit(self) -> None:
        problem = self.selected()
        if problem is None or self._session.read_only:
            return
        updated = edit_problem_dialog(self._ctx, self, problem)
        if updated is not None:
            self._changed(updated, f"问题 #{updated.id} 的整改信息已保存。")

    def follow_up(self) -> None:
        problem = self.selected()
        if problem is None:
            return
        dialog = FollowUpDialog(self._ctx, problem, self)
        if dialog.exec() and dialog.result_problem is not None:
            self._changed(dialog.result_problem, f"已记录问题 #{problem.id} 的回头看。")

    def reopen(self) -> None:
        problem = self.selected()
        workbook = self._session.workbook
        if problem is None or workbook is None:
            return
        reason = ask_reopen_reason(self, problem)
        if reason is None:
            return
        try:
            updated = workbook.ledger.reopen(problem.id, reason)
        except UserError as err:
            show_user_error(self, err)
            return
        self._changed(updated, f"问题 #{problem.id} 已退回“{updated.status.value}”。")

    def after_photos(self) -> None:
        problem = self.selected()
        workbook = self._session.workbook
        if problem is None or workbook is None:
            return
        dialog = AfterPhotosDialog(self._ctx, problem, self)
        dialog.strip.message.connect(self.message)
        dialog.exec()
        updated = workbook.ledger.get(problem.id)
        if updated.after_photos != problem.after_photos:
            self._changed(updated, f"问题 #{problem.id} 现有整改后照片 {updated.after_photos} 张。")

    def add_problem(self) -> None:
        dialog = NewProblemDialog(self._ctx, self._inspections,
                                  self.form.inspection_combo.currentData() or self._session.inspection_id, self)
        if dialog.exec() and dialog.result_problem is not None:
            problem = dialog.result_problem
            self.refresh()
            self.select_problem(problem.id)
            self.message.emit(f"已登记问题 #{problem.id}。")
            self._session.changed(Change("problem", problem.inspection_id, problem_id=problem.id))

    def delete(self) -> None:
        problem = self.selected()
        workbook = self._session.workbook
        if problem is None or workbook is None:
            return
        answer = QMessageBox.question(
            self, "删除问题",
            f"删除问题 #{problem.id}？\n{problem.description}\n\n只用于删除误登记的问题；删除记录会保留在工作簿的操作日志中。"
            + ("\n对应检查项仍回答为不合规时，问题会在下次作答时重新列入。" if problem.item_id else ""),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            workbook.ledger.delete(problem.id)
        except UserError as err:
            show_user_error(self, err)
            return
        self.refresh()
        self.message.emit(f"已删除问题 #{problem.id}。")
        self._session.changed(Change("problem", problem.inspection_id, problem.item_id, problem.id))

    def _go_to_item(self) -> None:
        problem = self.selected()
        if problem is not None and problem.item_id:
            self.item_requested.emit(problem.item_id, problem.inspection_id)

    def _export(self) -> None:
        from selfcheck.gui.ledger.export import export_ledger_dialog

        export_ledger_dialog(self._ctx, self, inspection_id=self.form.inspection_combo.currentData())

    def save_state(self) -> None:
        """The visible columns are remembered as they are chosen; nothing else to keep."""
