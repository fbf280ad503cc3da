"""Which ledger columns the table shows: a compact default that fits a 1366×768 screen, a chooser (列…) whose
choice is remembered, and widths: short columns fit their content, the long texts share the rest and wrap."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView, QToolButton

from selfcheck.exports.ledger_table import COLUMNS
from selfcheck.gui.settings import AppSettings

SETTINGS_KEY = "ledger"
DEFAULT_KEYS: tuple[str, ...] = ("id", "status", "item", "description", "measures", "person", "deadline")
_SAMPLES = {"id": "9999", "status": "整改中（逾期）", "item": "GTM-01-1", "deadline": "2026-12-31",
            "completed_on": "2026-12-31", "verified_on": "2026-12-31", "closed_on": "2026-12-31",
            "updated": "2026-12-31", "after_photos": "99"}


class LedgerColumns:
    """Applies the visible columns to `table` and offers the chooser on `button` and the header's menu."""

    def __init__(self, table: QTableView, settings: AppSettings, button: QToolButton) -> None:
        self._table = table
        self._settings = settings
        header = table.horizontalHeader()
        metrics = QFontMetrics(table.font())
        pad = metrics.horizontalAdvance("中") * 2
        for col, column in enumerate(COLUMNS):
            if column.kind == "long":
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            sample = _SAMPLES.get(column.key, "中" * min(column.width // 2, 6))
            table.setColumnWidth(col, max(metrics.horizontalAdvance(column.header),
                                          metrics.horizontalAdvance(sample)) + pad)
        header.setMinimumSectionSize(metrics.horizontalAdvance("中中") + pad)
        header.setStretchLastSection(False)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.menu = QMenu(button)
        self._actions: dict[str, QAction] = {}
        for column in COLUMNS:
            action = self.menu.addAction(column.header)
            action.setCheckable(True)
            action.toggled.connect(lambda on, key=column.key: self._toggled(key, on))
            self._actions[column.key] = action
        self.menu.addSeparator()
        self.menu.addAction("恢复默认列", lambda: self.set_visible(DEFAULT_KEYS))
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.menu.popup(header.mapToGlobal(QPoint(pos))))
        self.set_visible(settings.column_keys(SETTINGS_KEY) or DEFAULT_KEYS, remember=False)

    def visible_keys(self) -> list[str]:
        return [c.key for col, c in enumerate(COLUMNS) if not self._table.isColumnHidden(col)]

    def set_visible(self, keys: Sequence[str], *, remember: bool = True) -> None:
        wanted = {k for k in keys if any(c.key == k for c in COLUMNS)} or set(DEFAULT_KEYS)
        for col, column in enumerate(COLUMNS):
            self._table.setColumnHidden(col, column.key not in wanted)
            action = self._actions[column.key]
            action.blockSignals(True)
            action.setChecked(column.key in wanted)
            action.blockSignals(False)
        if remember:
            self._settings.set_column_keys(SETTINGS_KEY, self.visible_keys())

    def _toggled(self, key: str, on: bool) -> None:
        keys = [k for k in self.visible_keys() if k != key] + ([key] if on else [])
        if not keys:  # the last column stays
            self._actions[key].setChecked(True)
            return
        self.set_visible(keys)
