"""上报情况: every school's state for the current round (received, late, rejected, missing) and whom to urge."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.district.common import set_up_table, time_text
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.table_model import Column
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import COLOR_BAD, COLOR_OK, COLOR_WARN

STATE_TEXT = {"received": "已报送", "late": "逾期报送", "rejected": "被拒收", "missing": "未报送"}
STATE_COLOR = {"received": COLOR_OK, "late": COLOR_WARN, "rejected": COLOR_BAD, "missing": COLOR_BAD}
STATE_ORDER = {"missing": 0, "rejected": 1, "late": 2, "received": 3}
CODE_ROLE = 0x0100 + 1  # Qt.UserRole + 1 on the urge list's items


def _colour(status: Any) -> QColor | None:
    return STATE_COLOR.get(status.state)


STATUS_COLUMNS = [
    Column("学校", lambda s: s.school.name, width=16),
    Column("学校代码", lambda s: s.school.code, width=7),
    Column("学段", lambda s: s.school.stage, width=5),
    Column("学区/片区", lambda s: s.school.zone, width=6),
    Column("报送情况", lambda s: STATE_ORDER.get(s.state, 9), lambda v: STATE_TEXT[_state_of(v)], width=5,
           color=_colour, tooltip="已报送；逾期报送（签名晚于截止时间）；被拒收（收到的文件都未通过核验）；未报送"),
    Column("最近收到", lambda s: s.last_report_at, time_text, width=9, tooltip="最近一次收到该校文件的时间"),
    Column("签名时间", lambda s: s.signed_at, time_text, width=9, tooltip="计入汇总的那份报告的签名时间"),
    Column("联系人", lambda s: s.school.contact, width=5),
    Column("联系电话", lambda s: s.school.phone),
]


def _state_of(order: int) -> str:
    return next(state for state, value in STATE_ORDER.items() if value == order)


def urge_line(status: Any) -> str:
    school = status.school
    contact = "，".join(p for p in (school.contact, school.phone) if p)
    return f"{school.name}（{STATE_TEXT[status.state]}）" + (f"：{contact}" if contact else "")


class StatusPage(QWidget):
    message = Signal(str)
    school_requested = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_status_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        self.urge: list[Any] = []
        f = self.form
        self.model, self.proxy = set_up_table(f.status_table, STATUS_COLUMNS, sort_column=4)
        f.state_combo.addItem("全部学校", None)
        for state in ("missing", "rejected", "late", "received"):
            f.state_combo.addItem(STATE_TEXT[state], STATE_ORDER[state])
        f.state_combo.currentIndexChanged.connect(lambda _i: self.proxy.set_equal(4, f.state_combo.currentData()))
        f.search_edit.textChanged.connect(self.proxy.setFilterFixedString)
        f.status_table.doubleClicked.connect(self._open_school)
        f.urge_list.itemDoubleClicked.connect(lambda item: self.school_requested.emit(item.data(CODE_ROLE)))
        f.copy_button.clicked.connect(self.copy_urge_list)
        f.export_urge_button.clicked.connect(self.export_urge_list)
        f.splitter.setStretchFactor(0, 3)
        f.splitter.setStretchFactor(1, 1)

    def refresh(self) -> None:
        workspace = self._desk.require()
        campaign = workspace.campaigns.current()
        campaign_id = campaign.id if campaign is not None else None
        statuses = workspace.summary.roster_status(campaign_id)
        self.urge = workspace.summary.to_urge(campaign_id)
        overview = workspace.summary.overview(campaign_id)
        self.model.set_rows(statuses)
        round_text = f"本轮自查“{campaign.title}”" if campaign is not None else "尚未设定本轮自查"
        deadline = f"，截止 {time_text(campaign.deadline)}" if campaign is not None and campaign.deadline else ""
        self.form.overview_label.setText(
            f"{round_text}{deadline}。名册共 {overview.schools} 所学校：已报送 {overview.received} 所"
            f"（其中逾期 {overview.late} 所），被拒收 {overview.rejected} 所，未报送 {overview.missing} 所。")
        f = self.form
        f.urge_list.clear()
        for status in self.urge:
            item = QListWidgetItem(urge_line(status))
            item.setData(CODE_ROLE, status.school.code)
            item.setForeground(STATE_COLOR[status.state])
            f.urge_list.addItem(item)
        f.urge_count_label.setText(f"共 {len(self.urge)} 所学校需要督促。" if self.urge else "没有需要督促的学校。")
        f.copy_button.setEnabled(bool(self.urge))
        f.export_urge_button.setEnabled(bool(self.urge))

    def urge_text(self) -> str:
        return "\n".join(urge_line(s) for s in self.urge)

    def copy_urge_list(self) -> None:
        QGuiApplication.clipboard().setText(self.urge_text())
        self.message.emit(f"已复制 {len(self.urge)} 所需督促学校的名单，可直接粘贴到通知中。")

    def export_urge_list(self) -> None:
        folder = self._ctx.settings.output_folder("export")
        chosen, _ = QFileDialog.getSaveFileName(self, "导出需督促的学校", str(folder / "需督促的学校.csv"),
                                                "CSV 文件（Excel 可打开） (*.csv)")
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        from selfcheck.district.output import atomic_target

        try:
            # written beside the target and renamed into place, like the other exports (a file open in Excel or a
            # full disk leaves the old list whole and gets the same Chinese message)
            with atomic_target(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel
                writer = csv.writer(handle)
                writer.writerow(["学校代码", "学校名称", "学段", "学区/片区", "报送情况", "最近收到", "联系人", "联系电话"])
                for s in self.urge:
                    writer.writerow([s.school.code, s.school.name, s.school.stage, s.school.zone,
                                     STATE_TEXT[s.state], time_text(s.last_report_at), s.school.contact,
                                     s.school.phone])
        except UserError as err:
            show_user_error(self, err, "无法导出")
            return
        self._ctx.settings.set_last_folder("export", path.parent)
        self.message.emit(f"需督促的学校名单已导出到：{path}")

    def _open_school(self, index: QModelIndex) -> None:
        status = self.proxy.row_object(index.row())
        if status is not None:
            self.school_requested.emit(status.school.code)
