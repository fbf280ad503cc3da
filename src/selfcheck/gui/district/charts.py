"""Charts of the district pages (QtCharts): area comparison bars and rectification progress."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

AREA_CATEGORIES = ("1 校园餐", "3 采购", "N 其他", "合计")
# Calm, distinguishable colours for up to eight groups (片区); more repeat.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
STATUS_COLOURS = {"已完成": "#2e7d32", "整改中": "#f0ad4e", "已逾期": "#c62828"}


def _view(chart: QChart, parent: QWidget | None) -> QChartView:
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(160)
    return view


class AreaChart:
    """Average score rate (%) per 1+3+N area, one bar per group of schools (片区, or 全区)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart = QChart()
        self.chart.setTitle("各领域平均得分率（%）")
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = _view(self.chart, parent)
        self.view.setToolTip("按学区/片区分组的各领域平均得分率；只统计当前筛选出的、有计分项的学校")
        self.groups: list[tuple[str, list[float]]] = []

    def set_groups(self, groups: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        """`groups`: (name, [rate of 1, 3, N, total]) with rates 0…1 (None: no scored item)."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        series = QBarSeries()
        self.groups = []
        for index, (name, rates) in enumerate(groups):
            values = [round((r or 0.0) * 100, 1) for r in rates]
            bar = QBarSet(name)
            bar.append(values)
            bar.setColor(QColor(PALETTE[index % len(PALETTE)]))
            series.append(bar)
            self.groups.append((name, values))
        series.hovered.connect(self._show_value)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(list(AREA_CATEGORIES))
        categories.setTruncateLabels(False)
        values = QValueAxis()
        values.setRange(0, 100)
        values.setLabelFormat("%d")
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.chart.legend().setVisible(len(groups) > 1)


    def _show_value(self, status: bool, index: int, bar: QBarSet) -> None:
        if status:
            QToolTip.showText(QCursor.pos(), f"{bar.label()} · {AREA_CATEGORIES[index]}：{bar.at(index):.1f}%", self.view)
        else:
            QToolTip.hideText()


class RectificationChart:
    """Problems per group (片区 or 全区) split into 已完成 / 整改中 / 已逾期, as horizontal stacked bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart = QChart()
        self.chart.setTitle("整改进度（问题数）")
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = _view(self.chart, parent)
        self.view.setToolTip("已完成：已销号；整改中：未销号且未逾期；已逾期：超过整改时限仍未完成")
        self.rows: list[tuple[str, dict[str, int]]] = []

    def set_rows(self, rows: Sequence[tuple[str, dict[str, int]]]) -> None:
        """`rows`: (group name, {"已完成": n, "整改中": n, "已逾期": n})."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.rows = list(rows)
        drawn = self.rows[::-1]  # a horizontal chart draws its first category at the bottom: read top-down instead
        series = QHorizontalStackedBarSeries()
        for status, colour in STATUS_COLOURS.items():
            bar = QBarSet(status)
            bar.append([float(counts.get(status, 0)) for _name, counts in drawn])
            bar.setColor(QColor(colour))
            series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([name for name, _counts in drawn])
        categories.setTruncateLabels(False)  # QtCharts elides even a four-character 片区 name to "…"
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setRange(0, max([sum(counts.values()) for _name, counts in rows] + [1]))
        values.applyNiceNumbers()  # ticks at 0, 10, 20… rather than at fifths of the largest bar
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
