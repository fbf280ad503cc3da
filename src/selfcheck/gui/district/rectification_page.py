"""整改进度: every problem of every school with its ledger status and deadline, overdue first, with a chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from selfcheck.gui.district.common import date_text, set_up_table
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.table_model import Column
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import COLOR_BAD, COLOR_OK

CLOSED = "已销号"
ALL = "全部"
# What the status filter offers: label → test on a ProblemRow.
STATUS_FILTERS = {
    "全部问题": None,
    "已逾期": lambda p: p.overdue,
    "未完成（含逾期）": lambda p: p.status != CLOSED,
    "已销号": lambda p: p.status == CLOSED,
}


def progress_group(problem: Any) -> str:
    """已完成 / 整改中 / 已逾期, as the chart counts them."""
    if problem.status == CLOSED:
        return "已完成"
    return "已逾期" if problem.overdue else "整改中"


def _colour(problem: Any) -> Any:
    if problem.overdue:
        return COLOR_BAD
    return COLOR_OK if problem.status == CLOSED else None


def problem_columns(with_school: bool = True) -> list[Column]:
    columns = [
        Column("问题", lambda p: p.description, width=26),
        Column("检查项", lambda p: p.item_id or "", width=6),
        Column("状态", lambda p: p.status, width=5, color=_colour),
        Column("整改时限", lambda p: p.deadline, date_text, width=6),
        Column("逾期天数", lambda p: p.overdue_days if p.overdue else None, numeric=True, width=4,
               color=_colour, tooltip="超过整改时限的天数（按报告签名时的台账计算）"),
        Column("整改措施", lambda p: p.measures, width=16),
        Column("责任人", lambda p: p.person, width=4),
        Column("完成日期", lambda p: p.completed_on, date_text),
    ]
    if with_school:
        columns.insert(0, Column("学校", lambda p: p.school_name, width=10))
    return columns


class RectificationPage(QWidget):
    message = Signal(str)
    school_requested = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from selfcheck.gui.district.charts import RectificationChart

        self.form = load_form("district_rectification_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        self._zones: dict[str, str] = {}
        f = self.form
        self.model, self.proxy = set_up_table(f.problems_table, problem_columns(), sort_column=-1)
        self.chart = RectificationChart(self)
        f.chart_layout.addWidget(self.chart.view)
        for label in STATUS_FILTERS:
            f.status_combo.addItem(label)
        f.status_combo.currentIndexChanged.connect(self._filter)
        f.zone_combo.currentIndexChanged.connect(self._filter)
        f.search_edit.textChanged.connect(self.proxy.setFilterFixedString)
        f.search_edit.textChanged.connect(lambda _t: self._update_count())
        f.problems_table.doubleClicked.connect(self._open_school)
        f.splitter.setStretchFactor(0, 2)
        f.splitter.setStretchFactor(1, 3)

    def refresh(self) -> None:
        workspace = self._desk.require()
        campaign = workspace.campaigns.current()
        problems = workspace.summary.rectification(campaign.id if campaign is not None else None)
        self._zones = {s.code: s.zone for s in workspace.roster.list()}
        self.model.set_rows(problems)  # the service's order: overdue first, longest overdue first
        self.form.problems_table.sortByColumn(-1, self.form.problems_table.horizontalHeader().sortIndicatorOrder())
        combo = self.form.zone_combo
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL)
        combo.addItems(sorted({z for z in self._zones.values() if z}))
        combo.setCurrentIndex(max(combo.findText(current), 0))
        combo.blockSignals(False)
        counts = {g: sum(1 for p in problems if progress_group(p) == g) for g in ("已完成", "整改中", "已逾期")}
        self.form.overview_label.setText(
            f"全区共 {len(problems)} 个问题：已完成（销号）{counts['已完成']} 个，整改中 {counts['整改中']} 个，"
            f"已逾期 {counts['已逾期']} 个。逾期的问题排在最前。")
        self._update_chart(problems)
        self._filter()

    def _update_chart(self, problems: list[Any]) -> None:
        groups: dict[str, dict[str, int]] = {}
        zones = {self._zones.get(p.school_code, "") or "未分片区" for p in problems}
        by_zone = 1 < len(zones) <= 8
        for problem in problems:
            name = (self._zones.get(problem.school_code, "") or "未分片区") if by_zone else "全区"
            counts = groups.setdefault(name, {})
            group = progress_group(problem)
            counts[group] = counts.get(group, 0) + 1
        self.chart.set_rows(sorted(groups.items()) or [("全区", {})])

    def _filter(self) -> None:
        test = STATUS_FILTERS[self.form.status_combo.currentText()]
        zone = self.form.zone_combo.currentText()
        zone_test = None if zone in ("", ALL) else zone

        def keep(problem: Any) -> bool:
            if test is not None and not test(problem):
                return False
            return zone_test is None or self._zones.get(problem.school_code) == zone_test

        self.proxy.set_row_filter(keep)
        self._update_count()

    def _update_count(self) -> None:
        self.form.count_label.setText(f"显示 {self.proxy.rowCount()} / {self.model.rowCount()} 个问题")

    def _open_school(self, index: QModelIndex) -> None:
        problem = self.proxy.row_object(index.row())
        if problem is not None:
            self.school_requested.emit(problem.school_code)
