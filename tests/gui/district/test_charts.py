"""The district charts as an officer reads them: every 片区 named in full, bars top-down in the listed order,
round tick values."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QValueAxis
from PySide6.QtGui import QColor

from selfcheck.gui.district.charts import AreaChart, RectificationChart

ZONES = [("城东学区", {"已完成": 2, "整改中": 5, "已逾期": 1}), ("城南学区", {"已完成": 2, "整改中": 5, "已逾期": 1}),
         ("滨江片区", {"已完成": 11, "整改中": 33, "已逾期": 1}), ("山区片区", {"已完成": 2, "整改中": 5})]


def _inked_columns(view: Any, left: int, right: int, top: int, bottom: int) -> int:
    """How many pixel columns between `left` and `right` carry dark ink (label text) in the rendered chart."""
    image = view.grab().toImage()
    return sum(1 for x in range(max(left, 0), right)
               if any(QColor(image.pixel(x, y)).lightness() < 110 for y in range(top, bottom)))


def _show(qtbot: Any, chart: Any, width: int, height: int) -> None:
    qtbot.addWidget(chart.view)
    chart.view.resize(width, height)
    chart.view.show()
    qtbot.waitExposed(chart.view)


def test_the_rectification_chart_names_every_zone_in_full_top_down(qtbot: Any) -> None:
    chart = RectificationChart()
    chart.set_rows(ZONES)
    _show(qtbot, chart, 1250, 190)  # the page at 1366×768
    plot = chart.chart.plotArea()
    # Four Chinese characters leave ink across most of 4 em left of the bars; QtCharts' elision left one "…" (a few pixels).
    em = chart.view.fontMetrics().horizontalAdvance("中")
    assert _inked_columns(chart.view, 0, int(plot.left()) - 2, int(plot.top()), int(plot.bottom())) >= 2 * em
    axis = next(a for a in chart.chart.axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories() == [name for name, _ in reversed(ZONES)]  # drawn bottom-up: the first zone on top
    values = next(a for a in chart.chart.axes() if isinstance(a, QValueAxis))
    assert (values.min(), values.max()) == (0, 50)  # round ticks 0, 10, … 50 for a largest bar of 45


def test_the_area_chart_names_every_area_in_full(qtbot: Any) -> None:
    chart = AreaChart()
    chart.set_groups([("城东学区", [0.9, 0.8, 0.7, 0.85]), ("滨江片区", [0.6, None, 0.9, 0.7])])
    _show(qtbot, chart, 420, 220)  # narrow, as beside the comparison table
    plot = chart.chart.plotArea()
    band = int(plot.width() / 4)
    em = chart.view.fontMetrics().horizontalAdvance("中")
    for index in range(3):  # "1 校园餐", "3 采购", "N 其他" under their bars, not "…"
        left = int(plot.left()) + index * band
        assert _inked_columns(chart.view, left, left + band, int(plot.bottom()) + 2, int(plot.bottom()) + 24) >= em
