"""The home page's dashboard for the open inspection: completion per 1+3+N area (a QtCharts bar chart) and the
figures that need attention, each a button that opens the items or problems behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from selfcheck.workbook.figures import Dashboard

# target key → (label, tooltip). Keys: fill-in filters (unanswered, noncompliant, photo_missing) and ledger
# views (open, overdue, due_soon).
FIGURES: dict[str, tuple[str, str]] = {
    "unanswered": ("未作答", "还没有作答的检查项：点击逐项填写"),
    "noncompliant": ("不合规", "答为不合规的检查项：点击查看"),
    "open": ("未销号问题", "整改台账中还没有销号的问题：点击查看"),
    "overdue": ("已逾期", "过了整改时限仍未整改完成的问题：点击查看"),
    "due_soon": ("7 天内到期", "整改时限在今后 7 天内、尚未整改完成的问题：点击查看"),
    "photo_missing": ("缺必需照片", "已作答但缺少清单要求的照片的检查项：点击补拍"),
}
_WARN = {"noncompliant", "overdue", "photo_missing"}
SHORT_AREA = {"1": "“1” 校园餐", "3": "“3” 教辅校服工程采购", "N": "“N” 其他问题"}


class FigureButton(QToolButton):
    """A big number over its label; disabled (greyed) at zero."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"figure_{key}")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(FIGURES[key][1])
        self.count = 0

    def set_count(self, count: int, *, live: bool = True) -> None:
        """Show `count`; `live` False while the workbook is still opening (its snapshot is shown): not clickable."""
        self.count = count
        self.setText(f"{count}\n{FIGURES[self.key][0]}")
        colour = "#c62828" if count and self.key in _WARN else ("#b26a00" if count and self.key == "due_soon" else "")
        self.setStyleSheet(f"QToolButton {{ font-size: 11pt; padding: 4px 8px; {f'color:{colour};' if colour else ''} }}")
        self.setEnabled(count > 0 and live)


class DashboardPanel(QFrame):
    """Figures and the area chart for one inspection; `target_requested(key)` when a figure or bar is clicked."""

    target_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.board: Dashboard | None = None
        self.live = True
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        left = QVBoxLayout()
        self.title_label = QLabel(self)
        self.title_label.setObjectName("dashboard_title")
        self.title_label.setWordWrap(True)
        left.addWidget(self.title_label)
        self._chart_holder = QVBoxLayout()
        left.addLayout(self._chart_holder, 1)
        layout.addLayout(left, 3)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.figures: dict[str, FigureButton] = {}
        for n, key in enumerate(FIGURES):
            button = FigureButton(key, self)
            button.clicked.connect(lambda _checked=False, k=key: self.target_requested.emit(k))
            self.figures[key] = button
            grid.addWidget(button, n // 3, n % 3)
        layout.addLayout(grid, 2)
        self.chart_view: Any = None  # built on first show (QtCharts loads only when a workbook is open)

    def show_dashboard(self, title: str, board: Dashboard, *, live: bool = True) -> None:
        """Show `board`; `live` False for the start-up snapshot (the workbook is still opening): nothing clicks."""
        self.board = board
        self.live = live
        percent = round(100 * board.done / board.total) if board.total else 100
        self.title_label.setText(f"<b>当前自查：{title}</b>　已填 {board.done}/{board.total}（{percent}%）")
        counts = {
            "unanswered": board.total - board.done,
            "noncompliant": len(board.noncompliant_items),
            "open": len(board.open_problems),
            "overdue": len(board.overdue_problems),
            "due_soon": len(board.due_soon_problems),
            "photo_missing": len(board.photos_missing_items),
        }
        for key, count in counts.items():
            self.figures[key].set_count(count, live=live)
        self._show_chart(board)

    def _show_chart(self, board: Dashboard) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSet,
            QChart,
            QChartView,
            QHorizontalPercentBarSeries,
        )
        from PySide6.QtGui import QColor, QPainter

        if self.chart_view is None:
            self.chart_view = QChartView(self)
            self.chart_view.setObjectName("area_chart")
            self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.chart_view.setMinimumHeight(110)
            self.chart_view.setToolTip("各领域的填报进度（绿色为已作答）：点击查看未作答的检查项")
            self._chart_holder.addWidget(self.chart_view)
        areas = [a for a in board.areas if a.total or a.not_applicable]
        done, todo = QBarSet("已作答"), QBarSet("未作答")
        done.setColor(QColor("#2e7d32"))
        todo.setColor(QColor("#d0d7de"))
        categories = []
        for area in reversed(areas):  # horizontal bars are drawn bottom-up: 1 on top
            done.append(area.done)
            todo.append(area.total - area.done)
            label = SHORT_AREA.get(area.area, area.title)
            categories.append(f"{label}（不适用）" if not area.total else f"{label} {area.done}/{area.total}")
        series = QHorizontalPercentBarSeries()
        series.append(done)
        series.append(todo)
        series.clicked.connect(lambda _index, _set: self.live and self.target_requested.emit("unanswered"))
        chart = QChart()
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append(categories)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis)
        chart.legend().setVisible(False)
        chart.setMargins(chart.margins().__class__(0, 0, 0, 0))
        chart.setBackgroundRoundness(0)
        chart.layout().setContentsMargins(0, 0, 0, 0)
        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.categories = categories
