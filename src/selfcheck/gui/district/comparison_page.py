"""学校对比 (定期比晒): schools × 1+3+N areas — completion, non-compliant items, score rate — sortable, filtered by
学段 and 片区, with the area chart and the schools with the most open or overdue problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QWidget

from selfcheck.district.tiers import TierThresholds
from selfcheck.gui.district.common import set_up_table
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.table_model import Column, percent
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import COLOR_BAD

AREAS = ("1", "3", "N")
AREA_TITLES = {"1": "“1”校园餐", "3": "“3”采购", "N": "“N”其他"}
AREA_TIPS = {"1": "“1”：校园餐", "3": "“3”：教辅材料征订、校服采购、工程建设及设备采购", "N": "“N”：其他突出问题"}
ALL = "全部"
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
STAGE_COLUMN, ZONE_COLUMN = 1, 2
WORST_SHOWN = 10


@dataclass
class SchoolRow:
    """One school of the comparison: its rows per area ("1", "3", "N", "total")."""

    code: str
    name: str
    stage: str
    zone: str
    areas: dict[str, Any] = field(default_factory=dict)

    def area(self, key: str) -> Any:
        return self.areas.get(key)

    @property
    def open_problems(self) -> int:
        total = self.areas.get("total")
        return total.open_problems if total is not None else 0

    @property
    def overdue_problems(self) -> int:
        total = self.areas.get("total")
        return total.overdue_problems if total is not None else 0


def pivot(rows: list[Any]) -> list[SchoolRow]:
    """AreaRows (one per school and area) → one SchoolRow per school, in the order first seen."""
    schools: dict[str, SchoolRow] = {}
    for row in rows:
        school = schools.get(row.school_code)
        if school is None:
            school = schools[row.school_code] = SchoolRow(row.school_code, row.school_name, row.stage, row.zone)
        school.areas[row.area] = row
    return list(schools.values())


# Each metric: (title, value of an AreaRow, text, numeric sort on value).
METRICS: dict[str, tuple[str, Callable[[Any], Any], Callable[[Any], str]]] = {
    "score_rate": ("得分率", lambda a: a.score_rate, percent),
    "completion": ("完成率", lambda a: a.completion, percent),
    "noncompliant": ("不合规项", lambda a: a.noncompliant, str),
}


def _metric(key: str, area: str) -> Callable[[SchoolRow], Any]:
    get = METRICS[key][1]

    def value(school: SchoolRow) -> Any:
        row = school.area(area)
        return get(row) if row is not None else None

    return value


def comparison_columns(metric: str, tiers: str = TierThresholds().text()) -> list[Column]:
    """The table's columns showing `metric` per area; `tiers`: the 梯队 thresholds as text (示范≥95%，…)."""
    title, _get, text = METRICS[metric]
    return [
        Column("学校", lambda s: s.name, width=13),
        Column("学段", lambda s: s.stage, width=5),
        Column("学区/片区", lambda s: s.zone, width=6),
        *(Column(f"{AREA_TITLES[a]}{title}", _metric(metric, a), text, numeric=True, width=9,
                 tooltip=f"该校在{AREA_TIPS[a]}领域的{title}") for a in AREAS),
        Column("完成率", _metric("completion", "total"), percent, numeric=True, width=4,
               tooltip="已作答的检查项占全部检查项的比例（各领域合计）"),
        Column("不合规项", _metric("noncompliant", "total"), str, numeric=True, width=4,
               tooltip="答为不合规的检查项数（各领域合计）"),
        Column("得分率", _metric("score_rate", "total"), percent, numeric=True, width=4,
               tooltip="计分检查项的得分占满分的比例（各领域合计）"),
        Column("梯队", lambda s: s.area("total").tier if s.area("total") else "", width=3,
               tooltip=f"按总得分率（区县设定）：{tiers}，以下为未达标"),
        Column("未整改问题", lambda s: s.open_problems, numeric=True, width=5, tooltip="整改台账中尚未销号的问题"),
        Column("逾期问题", lambda s: s.overdue_problems, numeric=True, width=4,
               color=lambda s: COLOR_BAD if s.overdue_problems else None, tooltip="超过整改时限仍未完成的问题"),
    ]


def average(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


class ComparisonPage(QWidget):
    message = Signal(str)
    school_requested = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from selfcheck.gui.district.charts import AreaChart

        self.form = load_form("district_comparison_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        f = self.form
        self._tiers = TierThresholds().text()
        self.model, self.proxy = set_up_table(f.comparison_table, comparison_columns("score_rate", self._tiers),
                                              sort_column=8, descending=True, stretch_column=0)
        for key, (title, _get, _text) in METRICS.items():
            f.metric_combo.addItem(title, key)
        self.chart = AreaChart(self)
        f.chart_layout.addWidget(self.chart.view)
        f.splitter.setStretchFactor(0, 3)
        f.splitter.setStretchFactor(1, 2)
        f.bottom_splitter.setStretchFactor(0, 3)
        f.bottom_splitter.setStretchFactor(1, 2)
        f.bottom_splitter.setSizes([3000, 2000])  # scaled to the width the splitter gets
        f.stage_combo.currentIndexChanged.connect(self._filter)
        f.zone_combo.currentIndexChanged.connect(self._filter)
        f.metric_combo.currentIndexChanged.connect(self._set_metric)
        f.comparison_table.doubleClicked.connect(self._open_school)
        f.worst_list.itemDoubleClicked.connect(lambda item: self.school_requested.emit(item.data(CODE_ROLE)))

    def refresh(self) -> None:
        workspace = self._desk.require()
        campaign = workspace.campaigns.current()
        rows = workspace.summary.comparison(campaign.id if campaign is not None else None)
        tiers = workspace.summary.tier_thresholds().text()
        if tiers != self._tiers:  # the district changed its 梯队 thresholds
            self._tiers = tiers
            self._set_metric()
        self.model.set_rows(pivot(rows))
        self._fill_combo(self.form.stage_combo, workspace.summary.stages())
        self._fill_combo(self.form.zone_combo, workspace.summary.zones())
        self._after_filter()

    @staticmethod
    def _fill_combo(combo: Any, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL, None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def set_filter(self, *, stage: str | None = None, zone: str | None = None) -> None:
        """Choose 学段 and 片区 in the combos (None: 全部), as the user does."""
        f = self.form
        f.stage_combo.setCurrentIndex(max(f.stage_combo.findData(stage), 0) if stage else 0)
        f.zone_combo.setCurrentIndex(max(f.zone_combo.findData(zone), 0) if zone else 0)

    def _filter(self) -> None:
        self.proxy.set_equal(STAGE_COLUMN, self.form.stage_combo.currentData())
        self.proxy.set_equal(ZONE_COLUMN, self.form.zone_combo.currentData())
        self._after_filter()

    def _set_metric(self) -> None:
        header = self.form.comparison_table.horizontalHeader()
        widths = [header.sectionSize(i) for i in range(header.count())]
        self.model.set_columns(comparison_columns(self.form.metric_combo.currentData() or "score_rate", self._tiers))
        for index, width in enumerate(widths):
            header.resizeSection(index, width)

    def visible_schools(self) -> list[SchoolRow]:
        return self.proxy.visible_rows()

    def _after_filter(self) -> None:
        schools = self.visible_schools()
        total = self.model.rowCount()
        self.form.count_label.setText(f"{len(schools)} 所学校" if len(schools) == total
                                      else f"{len(schools)} / {total} 所学校")
        self.form.count_label.setToolTip("只列出本轮有已接收报告的学校；未报送的学校见“上报情况”")
        self._update_chart(schools)
        self._update_worst(schools)

    def _update_chart(self, schools: list[SchoolRow]) -> None:
        groups: dict[str, list[SchoolRow]] = {}
        for school in schools:
            groups.setdefault(school.zone or "未分片区", []).append(school)
        if len(groups) > 8 or not groups:  # too many bars to read: one bar for the schools shown
            groups = {"全区" if len(schools) == self.model.rowCount() else "所选学校": schools}
        self.chart.set_groups([
            (name, [average([_metric("score_rate", a)(s) for s in members]) for a in (*AREAS, "total")])
            for name, members in sorted(groups.items())])

    def _update_worst(self, schools: list[SchoolRow]) -> None:
        worst = sorted((s for s in schools if s.open_problems),
                       key=lambda s: (-s.overdue_problems, -s.open_problems, s.code))[:WORST_SHOWN]
        listing = self.form.worst_list
        listing.clear()
        for school in worst:
            overdue = f"，其中逾期 {school.overdue_problems} 项" if school.overdue_problems else ""
            item = QListWidgetItem(f"{school.name}：未整改 {school.open_problems} 项{overdue}")
            item.setData(CODE_ROLE, school.code)
            if school.overdue_problems:
                item.setForeground(COLOR_BAD)
            listing.addItem(item)
        if not worst:
            listing.addItem("所选学校没有未整改的问题。")

    def _open_school(self, index: QModelIndex) -> None:
        school = self.proxy.row_object(index.row())
        if school is not None:
            self.school_requested.emit(school.code)
