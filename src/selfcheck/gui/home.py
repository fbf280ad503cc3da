"""首页: the workbook's self-inspections with progress and problems; a welcome panel when none is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidgetItem,
    QWidget,
)

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.session import Change
from selfcheck.gui.widgets import (
    COLOR_BAD,
    COLOR_MUTED,
    PROGRESS_ROLE,
    ProgressDelegate,
    friendly_time,
    make_heading,
    period_text,
)

if TYPE_CHECKING:
    from selfcheck.gui.dashboard import DashboardPanel
    from selfcheck.workbook.figures import Dashboard
    from selfcheck.workbook.glance import InspectionLine, SchoolFacts
    from selfcheck.workbook.models import InspectionSummary, SchoolProfile

STEPS_HTML = (
    "<p style='margin-top:12px'><b>五步完成一次自查</b></p><ol style='margin-left:0'>"
    "<li>新建工作簿，填写学校信息（本校全部资料都在这一个文件里，每次修改立即保存）；</li>"
    "<li>新建自查：勾选适用的检查清单，本校没有的事项标为“不适用”并写明理由；</li>"
    "<li>在“填报”页逐项作答、拍照留证，答“否”的项自动进入整改台账；</li>"
    "<li>在“整改台账”页落实整改、现场查验、销号；</li>"
    "<li>导出签名报告，报送区县。</li></ol>"
    "<p>不熟悉的词语和快捷键，按 F1 查看“使用帮助”。</p>"
)
COLUMNS = ["自查名称", "自查时段", "填报进度", "不合规", "未销号问题", "照片", "最后修改"]
_ID_ROLE = Qt.ItemDataRole.UserRole


class HomePage(QWidget):
    open_requested = Signal(int)
    new_requested = Signal()
    follow_up_requested = Signal(object)  # from inspection id, or None for the latest
    workbook_requested = Signal(str)  # "new", "open", "demo", "recent:<path>"
    library_requested = Signal()
    profile_requested = Signal()
    help_requested = Signal()
    dashboard_requested = Signal(str)  # a dashboard figure: unanswered, noncompliant, photo_missing, open, overdue, due_soon

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("home_page.ui", self)
        self._ctx = context
        self._session = context.session
        self._rows: list[InspectionSummary | InspectionLine] = []
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        f = self.form
        make_heading(f.welcome_title_label, 2.0)
        make_heading(f.school_label, 1.7)
        f.school_info_label.setStyleSheet("color:#6b7785")
        f.empty_label.setStyleSheet("color:#6b7785; padding: 24px")
        table = f.table
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setItemDelegateForColumn(2, ProgressDelegate(table))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 200), (2, 150), (3, 70), (4, 100), (5, 60), (6, 120)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(col, width)
        table.verticalHeader().setDefaultSectionSize(34)
        steps = QLabel(STEPS_HTML, f.welcome_panel)
        steps.setObjectName("welcome_steps_label")
        steps.setWordWrap(True)
        steps.setStyleSheet("color:#3c4650")
        f.welcome_layout.insertWidget(f.welcome_layout.indexOf(f.recent_list) + 1, steps)
        self.help_button = QPushButton("使用帮助（F1）", f.welcome_panel)
        self.help_button.setToolTip("五步上手、常用词语、快捷键（不需要联网）")
        f.welcome_buttons_layout.insertWidget(f.welcome_buttons_layout.indexOf(f.welcome_library_button) + 1,
                                              self.help_button)
        f.welcome_new_button.setToolTip("在本机新建一个工作簿文件，用来保存本校的自查资料")
        f.welcome_open_button.setToolTip("打开已有的工作簿文件（.selfcheck）")
        f.welcome_demo_button.setToolTip("打开一个填好示例数据的工作簿，先看看软件怎么用（不影响您的资料）")
        f.welcome_library_button.setToolTip("查看内置的检查清单和每个检查项的依据")
        f.empty_label.setText(
            "<p><b>还没有自查。</b>点击“新建自查…”开始第一次自查：选择适用的检查清单后，就可以逐项填写了。</p>"
            + STEPS_HTML)
        f.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        f.empty_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.dashboard: DashboardPanel | None = None  # built when an inspection is first shown (start-up stays fast)

    def _init_signals(self) -> None:
        f = self.form
        f.welcome_new_button.clicked.connect(lambda: self.workbook_requested.emit("new"))
        f.welcome_open_button.clicked.connect(lambda: self.workbook_requested.emit("open"))
        f.welcome_demo_button.clicked.connect(lambda: self.workbook_requested.emit("demo"))
        f.welcome_library_button.clicked.connect(self.library_requested)
        self.help_button.clicked.connect(self.help_requested)
        f.recent_list.itemActivated.connect(
            lambda item: self.workbook_requested.emit("recent:" + item.data(_ID_ROLE)))
        f.new_button.clicked.connect(self.new_requested)
        f.follow_up_button.clicked.connect(lambda: self.follow_up_requested.emit(self.selected_id()))
        f.open_button.clicked.connect(self._open_selected)
        f.archive_button.clicked.connect(self._toggle_archive)
        f.edit_profile_button.clicked.connect(self.profile_requested)
        f.show_archived_check.toggled.connect(lambda _on: self.refresh())
        f.table.itemActivated.connect(lambda _item: self._open_selected())
        f.table.itemSelectionChanged.connect(self._update_buttons)

    # --- data --------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the open workbook; while it is still opening at start, its snapshot (read-only, the same figures)."""
        workbook = self._session.workbook
        glance = self._session.preview if workbook is None else None
        if workbook is None and glance is None:
            self._show_welcome()
            return
        self.form.panels.setCurrentWidget(self.form.list_panel)
        board: Callable[[int], Dashboard | None]
        if glance is not None:  # the workbook is still opening: its snapshot, nothing clickable that needs it
            school, rows, current, live = glance.school, glance.inspections, glance.latest_id, False

            def board(inspection_id: int) -> Dashboard | None:
                snapshot = glance.dashboard
                return snapshot if snapshot is not None and snapshot.inspection_id == inspection_id else None
        else:
            assert workbook is not None
            school, current, live = workbook.get_school(), self._session.inspection_id, True
            overview = self._session.take_overview()  # read with the workbook on the worker thread that opened it
            archived = self.form.show_archived_check.isChecked()
            if overview is not None and not archived:
                rows = overview.inspections
            else:
                rows = workbook.inspections.all(include_archived=archived)

            def board(inspection_id: int) -> Dashboard | None:
                if overview is not None and overview.latest_id == inspection_id and overview.dashboard is not None:
                    return overview.dashboard
                return workbook.inspections.dashboard(inspection_id)
        self._show_school(school)
        self._rows = list(rows)
        self._fill_table(current)
        self._fill_summary()
        self._fill_dashboard(current, board, live=live)
        self._update_buttons()

    def _show_school(self, school: SchoolProfile | SchoolFacts | None) -> None:
        self.form.school_label.setText(school.name if school else "（未填写学校名称）")
        if school:
            place = "".join(p for p in (school.province, school.city, school.county) if p)
            parts = [p for p in (school.stage, place, school.principal and f"校长：{school.principal}",
                                 school.preparer and f"填报人：{school.preparer}",
                                 school.phone and f"电话：{school.phone}") if p]
            self.form.school_info_label.setText("　·　".join(parts) if parts else "学校信息尚未填写完整")
        else:
            self.form.school_info_label.setText("请先填写学校信息（右侧“学校信息…”）。")

    def _fill_dashboard(self, inspection_id: int | None, board: Callable[[int], Dashboard | None], *,
                        live: bool) -> None:
        title = next((r.title for r in self._rows if r.id == inspection_id), None)
        figures = board(inspection_id) if inspection_id is not None and title is not None else None
        if figures is None:
            if self.dashboard is not None:
                self.dashboard.setVisible(False)
            return
        if self.dashboard is None:
            from selfcheck.gui.dashboard import DashboardPanel as Panel

            self.dashboard = Panel(self)
            self.dashboard.target_requested.connect(self.dashboard_requested)
            layout = self.form.list_layout
            layout.insertWidget(layout.indexOf(self.form.summary_frame) + 1, self.dashboard)
        self.dashboard.show_dashboard(title, figures, live=live)
        self.dashboard.setVisible(True)

    def _show_welcome(self) -> None:
        f = self.form
        f.panels.setCurrentWidget(f.welcome_panel)
        f.recent_list.clear()
        for path in self._ctx.settings.recent_workbooks():
            item = QListWidgetItem(f"{path.name}　—　{path.parent}" + ("" if path.exists() else "（找不到）"))
            item.setData(_ID_ROLE, str(path))
            f.recent_list.addItem(item)
        f.recent_label.setVisible(f.recent_list.count() > 0)
        f.recent_list.setVisible(f.recent_list.count() > 0)

    def _fill_summary(self) -> None:
        open_problems = sum(r.open_problems for r in self._rows if not r.archived)
        overdue = sum(r.overdue_problems for r in self._rows if not r.archived)
        text = f"共 {len(self._rows)} 次自查，未销号问题 {open_problems} 个"
        if overdue:
            text += f"，其中 <span style='color:#c62828'><b>已逾期 {overdue} 个</b></span>"
        self.form.summary_label.setText(text + "。")

    def _fill_table(self, current: int | None) -> None:
        """The rows of self._rows (InspectionSummary, or the snapshot's InspectionLine: the same fields)."""
        table = self.form.table
        selected = self.selected_id() or current
        table.setRowCount(len(self._rows))
        for row, summary in enumerate(self._rows):
            title = summary.title + ("（已归档）" if summary.archived else "")
            cells = [
                QTableWidgetItem(title),
                QTableWidgetItem(period_text(summary.period_start, summary.period_end)),
                QTableWidgetItem(f"{summary.answered}/{summary.total}"),
                QTableWidgetItem(str(summary.noncompliant)),
                QTableWidgetItem(str(summary.open_problems)
                                 + (f"（逾期 {summary.overdue_problems}）" if summary.overdue_problems else "")),
                QTableWidgetItem(str(summary.photos)),
                QTableWidgetItem(friendly_time(summary.updated_at)),
            ]
            cells[0].setData(_ID_ROLE, summary.id)
            cells[0].setToolTip(summary.title)
            cells[2].setData(PROGRESS_ROLE, (summary.answered, summary.total))
            if summary.overdue_problems:
                cells[4].setForeground(COLOR_BAD)
            if summary.archived:
                for cell in cells:
                    cell.setForeground(COLOR_MUTED)
            for col, cell in enumerate(cells):
                if col >= 3:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, col, cell)
        empty = not self._rows
        table.setVisible(not empty)
        self.form.empty_label.setVisible(empty)
        for row, summary in enumerate(self._rows):
            if summary.id == selected:
                table.selectRow(row)
                break
        else:
            if self._rows:
                table.selectRow(0)

    def selected_id(self) -> int | None:
        items = self.form.table.selectedItems()
        if not items:
            return None
        return self.form.table.item(items[0].row(), 0).data(_ID_ROLE)

    def select_inspection(self, inspection_id: int) -> None:
        for row, summary in enumerate(self._rows):
            if summary.id == inspection_id:
                self.form.table.selectRow(row)

    def _selected_summary(self) -> InspectionSummary | InspectionLine | None:
        chosen = self.selected_id()
        return next((r for r in self._rows if r.id == chosen), None)

    def _update_buttons(self) -> None:
        summary = self._selected_summary()
        live = self._session.workbook is not None  # not while its snapshot shows and it is still opening
        writable = live and not self._session.read_only
        f = self.form
        f.open_button.setEnabled(summary is not None and live)
        f.show_archived_check.setEnabled(live)
        f.archive_button.setEnabled(summary is not None and writable)
        f.archive_button.setText("取消归档" if summary is not None and summary.archived else "归档")
        f.new_button.setEnabled(writable)
        f.follow_up_button.setEnabled(writable and bool(self._rows))
        f.edit_profile_button.setEnabled(writable)

    # --- actions -----------------------------------------------------------------------------------------------------
    def _open_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is not None and self._session.workbook is not None:
            self.open_requested.emit(chosen)

    def _toggle_archive(self) -> None:
        summary = self._selected_summary()
        workbook = self._session.workbook
        if summary is None or workbook is None:
            return
        if not summary.archived:
            answer = QMessageBox.question(
                self, "归档自查",
                f"归档“{summary.title}”？\n\n归档后它不再出现在列表中（勾选“显示已归档”可以看到），内容不会删除，随时可以取消归档。",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            workbook.inspections.set_archived(summary.id, not summary.archived)
        except UserError as err:
            show_user_error(self, err)
            return
        self._session.changed(Change("inspection", summary.id))
        self.refresh()


