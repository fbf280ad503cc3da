"""Table model of the ledger (every field of every problem) and the proxy that filters and sorts it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from selfcheck.exports.ledger_table import COLUMNS, display_text
from selfcheck.workbook.models import OPEN_STATUSES, Problem, ProblemStatus

Index = QModelIndex | QPersistentModelIndex
PROBLEM_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_BRUSH = QBrush(QColor("#fdecea"))
STATUS_COLORS = {
    ProblemStatus.PENDING: QColor("#c62828"),
    ProblemStatus.IN_PROGRESS: QColor("#b26a00"),
    ProblemStatus.RECTIFIED: QColor("#1565c0"),
    ProblemStatus.CLOSED: QColor("#2e7d32"),
}
CELL_CHARS = 90  # a long text's share of a table cell
_STATUS_COL = next(i for i, c in enumerate(COLUMNS) if c.key == "status")
_SEARCH_KEYS = ("description", "measures", "leader", "department", "person", "progress", "done_description", "item")


class LedgerModel(QAbstractTableModel):
    """One row per problem, one column per ledger field."""

    def __init__(self) -> None:
        super().__init__()
        self._problems: list[Problem] = []
        self._titles: dict[int, str] = {}

    def set_problems(self, problems: Sequence[Problem], inspection_titles: Mapping[int, str]) -> None:
        self.beginResetModel()
        self._problems = list(problems)
        self._titles = dict(inspection_titles)
        self.endResetModel()

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def row_of(self, problem_id: int) -> int | None:
        return next((row for row, p in enumerate(self._problems) if p.id == problem_id), None)

    def replace(self, problem: Problem) -> None:
        row = self.row_of(problem.id)
        if row is None:
            return
        self._problems[row] = problem
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = display_text(column.value(problem, self._titles))
            if column.kind != "long":
                return text
            text = " ".join(text.split())
            # Wrapped in the table: at most a few lines; the detail pane and the tooltip have all of it.
            return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "long":
            return display_text(column.value(problem, self._titles)) or None
        if role == SORT_ROLE:
            value = column.value(problem, self._titles)
            if isinstance(value, date):
                return value.isoformat()
            return value if value is not None else ""
        if role == PROBLEM_ROLE:
            return problem
        if role == Qt.ItemDataRole.BackgroundRole and problem.overdue:
            return OVERDUE_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == _STATUS_COL:
            return STATUS_COLORS[problem.status]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("date", "int"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class LedgerFilter(QSortFilterProxyModel):
    """Filters by inspection, status (or all open), overdue, and text; sorts by the raw values."""

    OPEN = "open"

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self._inspection: int | None = None
        self._status: str | None = None
        self._overdue = False
        self._text = ""
        self._only: frozenset[int] | None = None

    def set_filters(self, *, inspection: int | None, status: str | None, overdue: bool, text: str,
                    only: frozenset[int] | None = None) -> None:
        """`only`: show just these problem ids (a dashboard figure's problems), on top of the other filters."""
        new = (inspection, status, overdue, text.strip().lower(), only)
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._inspection, self._status, self._overdue, self._text, self._only = new
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._inspection, self._status, self._overdue, self._text, self._only = new
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, LedgerModel)
        problem = model.problem(source_row)
        if self._only is not None and problem.id not in self._only:
            return False
        if self._inspection is not None and problem.inspection_id != self._inspection:
            return False
        if self._status == self.OPEN and problem.status not in OPEN_STATUSES:
            return False
        if self._status not in (None, self.OPEN) and problem.status.value != self._status:
            return False
        if self._overdue and not problem.overdue:
            return False
        if self._text:
            haystack = " ".join(str(getattr(problem, key, "") or "") for key in _SEARCH_KEYS)
            haystack += f" {problem.item_id or ''} #{problem.id}"
            if self._text not in haystack.lower():
                return False
        return True
