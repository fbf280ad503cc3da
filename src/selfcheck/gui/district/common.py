"""Small pieces every district page uses: the fingerprint format, times, table set-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from selfcheck.gui.district.table_model import Column, RowsModel, RowsProxy


def fingerprint_text(fingerprint: str | None) -> str:
    """The one way a certificate fingerprint is shown: upper-case hex in groups of four (“AB12 CD34 …”)."""
    if not fingerprint:
        return ""
    digits = "".join(c for c in fingerprint.upper() if c in "0123456789ABCDEF")
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def time_text(moment: datetime | None) -> str:
    """Local date and minute: “2026-09-30 16:05”."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def monospace_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def set_up_table(view: QTableView, columns: list[Column], *, sort_column: int = 0, descending: bool = False,
                 stretch_column: int = -1) -> tuple[RowsModel, RowsProxy]:
    """Give `view` a RowsModel behind a sorting/filtering proxy; returns both. `stretch_column` takes the spare
    width (-1: the last column)."""
    model = RowsModel(columns, view)
    proxy = RowsProxy(view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(sort_column, _order(descending))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch_column < 0)
    metrics = view.fontMetrics()
    mono = QFontMetrics(monospace_font())
    for index, column in enumerate(columns):
        title = metrics.horizontalAdvance(column.title) + 28  # room for the sort arrow
        if column.mono:
            width = mono.horizontalAdvance("0" * column.width) + 16
        else:
            width = column.width * metrics.horizontalAdvance("中") + 16
        header.resizeSection(index, max(width, title, 48))
    if stretch_column >= 0:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return model, proxy


def _order(descending: bool) -> Any:
    from PySide6.QtCore import Qt

    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


def selected_row(view: QTableView) -> Any:
    """The row object of the selected line of a set_up_table view, or None."""
    proxy = view.model()
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows or not isinstance(proxy, RowsProxy):
        return None
    return proxy.row_object(rows[0].row())
