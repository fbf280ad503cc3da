"""完成情况: what stands between this inspection and a complete report, each one click away; scores by checklist."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QTreeWidgetItem, QWidget

from selfcheck.checklists.scoring import score_inspection
from selfcheck.gui.context import AppContext
from selfcheck.gui.forms import load_form
from selfcheck.gui.score_text import score_cell
from selfcheck.gui.widgets import make_heading, period_text
from selfcheck.workbook.models import BLOCKER_LABELS, Blocker, BlockerKind

_ROLE = Qt.ItemDataRole.UserRole
OVERVIEW_COLUMNS = ["检查清单", "完成情况", "不合规", "未销号问题", "得分（只计已作答）"]
_HINTS = {
    BlockerKind.UNANSWERED: "转到检查项作答",
    BlockerKind.PHOTO_MISSING: "转到检查项添加照片",
    BlockerKind.NO_PLAN: "在整改台账中填写整改措施、责任人和时限",
}


class ReviewPage(QWidget):
    item_requested = Signal(str)
    problem_requested = Signal(int)
    export_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("review_page.ui", self)
        self._ctx = context
        self._session = context.session
        self.blockers: list[Blocker] = []
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        f = self.form
        make_heading(f.title_label, 1.4)
        make_heading(f.status_label, 1.15, bold=False)
        for label in (f.blockers_label, f.overview_label):
            make_heading(label, 1.0)
        table = f.overview_table
        table.setColumnCount(len(OVERVIEW_COLUMNS))
        table.setHorizontalHeaderLabels(OVERVIEW_COLUMNS)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(OVERVIEW_COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        f.splitter.setStretchFactor(0, 3)
        f.splitter.setStretchFactor(1, 2)
        f.splitter.setSizes([700, 520])

    def _init_signals(self) -> None:
        f = self.form
        f.blockers_tree.itemActivated.connect(lambda item, _col: self.go(item))
        f.go_button.clicked.connect(lambda: self.go(f.blockers_tree.currentItem()))
        f.export_button.clicked.connect(self.export_requested)
        f.blockers_tree.currentItemChanged.connect(lambda *_: self._update_go())

    def refresh(self) -> None:
        workbook = self._session.workbook
        inspection_id = self._session.inspection_id
        if workbook is None or inspection_id is None:
            return
        inspection = workbook.inspections.get(inspection_id)
        self.form.title_label.setText(
            f"{inspection.title}　<span style='font-size:small;font-weight:normal;color:#6b7785'>"
            f"{period_text(inspection.period_start, inspection.period_end)}</span>")
        self.blockers = workbook.inspections.review(inspection_id)
        progress = workbook.inspections.progress(inspection_id)
        self._fill_status(progress.done, progress.total)
        self._fill_blockers()
        self._fill_overview(workbook, inspection_id, progress)

    def _fill_status(self, done: int, total: int) -> None:
        label = self.form.status_label
        if not self.blockers:
            label.setText(f"<span style='color:#2e7d32'>✔ 全部 {total} 个检查项已作答，照片和整改方案齐全，可以导出报告。</span>")
            return
        counts = {kind: sum(b.kind is kind for b in self.blockers) for kind in BlockerKind}
        parts = [f"{BLOCKER_LABELS[kind]} {n} 项" for kind, n in counts.items() if n]
        state = "本次自查<b>未完成</b>：" if done < total else ""
        label.setText(f"{state}已完成 {done}/{total}。导出完整的报告前，还有 <b>{len(self.blockers)}</b> 件事要处理："
                      + "，".join(parts) + "。")

    def _fill_blockers(self) -> None:
        tree = self.form.blockers_tree
        tree.clear()
        bold = QFont(tree.font())
        bold.setBold(True)
        for kind in BlockerKind:
            of_kind = [b for b in self.blockers if b.kind is kind]
            group = QTreeWidgetItem([f"{BLOCKER_LABELS[kind]}（{len(of_kind)}）　— {_HINTS[kind]}"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if not of_kind:
                group.setForeground(0, QColor("#2e7d32"))
                group.setText(0, f"{BLOCKER_LABELS[kind]}：无 ✔")
            for blocker in of_kind:
                child = QTreeWidgetItem(group, [blocker.message])
                child.setData(0, _ROLE, blocker)
                child.setToolTip(0, blocker.message)
            tree.addTopLevelItem(group)
            group.setExpanded(True)
        self._update_go()

    def _fill_overview(self, workbook: object, inspection_id: int, progress: object) -> None:
        checklists = workbook.inspections.checklists(inspection_id)  # type: ignore[attr-defined]
        answers = workbook.answers.all(inspection_id)  # type: ignore[attr-defined]
        inspection = workbook.inspections.get(inspection_id)  # type: ignore[attr-defined]
        scores = score_inspection(checklists, {k: a.value for k, a in answers.items()}, inspection.not_applicable)
        table = self.form.overview_table
        rows = progress.checklists  # type: ignore[attr-defined]
        table.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            tally = scores.checklists[entry.checklist_id].tally
            cells = [
                QTableWidgetItem(f"[{entry.area}] {entry.title}"),
                QTableWidgetItem("不适用" if entry.not_applicable else
                                 f"{'已完成' if tally.complete else '未完成'} {tally.answered}/{tally.total}"),
                QTableWidgetItem("" if entry.not_applicable else str(entry.noncompliant)),
                QTableWidgetItem("" if entry.not_applicable else str(entry.open_problems)),
                QTableWidgetItem("" if entry.not_applicable else score_cell(tally)),
            ]
            if entry.not_applicable:
                cells[0].setToolTip(f"不适用：{entry.not_applicable_reason}")
                for cell in cells:
                    cell.setForeground(QColor("#9aa4ae"))
            elif tally.complete:
                cells[1].setForeground(QColor("#2e7d32"))
            else:
                cells[1].setForeground(QColor("#b26a00"))
            if entry.noncompliant:
                cells[2].setForeground(QColor("#c62828"))
            for col, cell in enumerate(cells):
                if col:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, col, cell)

    def _update_go(self) -> None:
        item = self.form.blockers_tree.currentItem()
        self.form.go_button.setEnabled(item is not None and item.data(0, _ROLE) is not None)

    def go(self, item: QTreeWidgetItem | None) -> None:
        """Jump to what the blocker is about: the item (answer, photo) or the problem in the ledger."""
        if item is None:
            return
        blocker = item.data(0, _ROLE)
        if blocker is None:
            return
        if blocker.kind is BlockerKind.NO_PLAN and blocker.problem_id is not None:
            self.problem_requested.emit(blocker.problem_id)
        elif blocker.item_id:
            self.item_requested.emit(blocker.item_id)
