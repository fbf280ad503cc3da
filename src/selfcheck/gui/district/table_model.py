"""One table model for every district list: rows of any objects, columns that say how to show and sort them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFontDatabase

from selfcheck.gui.widgets import PROGRESS_ROLE

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value a column sorts by
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row object itself

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """`value(row)` is what the column sorts by; `text(value)` what it shows (default: str, '' for None)."""

    title: str
    value: Callable[[Any], Any]
    text: Callable[[Any], str] | None = None
    tooltip: str = ""
    numeric: bool = False
    color: Callable[[Any], QColor | None] | None = None  # text colour for a row
    width: int = 0  # suggested width in characters (0: fit the contents)
    progress: Callable[[Any], tuple[int, int]] | None = None  # (done, total) drawn as a bar (ProgressDelegate)
    mono: bool = False  # fixed-width digits (fingerprints), so groups line up for comparing

    def show(self, value: Any) -> str:
        if value is None:
            return ""
        return self.text(value) if self.text is not None else str(value)


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


class RowsModel(QAbstractTableModel):
    """Read-only rows; `set_rows` replaces them all (a refresh is one reset, cheap even for 500 schools)."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._cells: list[list[Any]] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [[column.value(row) for column in self.columns] for row in self._rows]
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self._cells = [[column.value(row) for column in self.columns] for row in self._rows]
        self.endResetModel()

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(value)
        if role == SORT_ROLE:
            return value
        if role == ROW_ROLE:
            return self._rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            colour = column.color(self._rows[index.row()])
            return QBrush(colour) if colour is not None else None
        if role == PROGRESS_ROLE and column.progress is not None:
            return column.progress(self._rows[index.row()])
        if role == Qt.ItemDataRole.FontRole and column.mono:
            return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.show(value)
            return text if len(text) > 20 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tooltip:
            return self.columns[section].tooltip
        return None


class RowsProxy(QSortFilterProxyModel):
    """Sorts by the raw values (empty cells last) and filters by text and by exact values of some columns."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._equal: dict[int, Any] = {}
        self._row_filter: Callable[[Any], bool] | None = None

    def set_equal(self, column: int, value: Any) -> None:
        """Keep only rows whose `column` equals `value` (None: no filter on that column)."""
        self.beginFilterChange()
        if value is None:
            self._equal.pop(column, None)
        else:
            self._equal[column] = value
        self.endFilterChange()

    def set_row_filter(self, keep: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._row_filter = keep
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        for column, wanted in self._equal.items():
            if model.index(source_row, column, source_parent).data(SORT_ROLE) != wanted:
                return False
        if self._row_filter is not None and not self._row_filter(
                model.index(source_row, 0, source_parent).data(ROW_ROLE)):
            return False
        return super().filterAcceptsRow(source_row, source_parent)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            # Empty cells go last in ascending order (and first in descending): they are the least informative.
            return a is not None and b is None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)

    def row_object(self, proxy_row: int) -> Any:
        return self.index(proxy_row, 0).data(ROW_ROLE)

    def visible_rows(self) -> list[Any]:
        return [self.row_object(r) for r in range(self.rowCount())]
