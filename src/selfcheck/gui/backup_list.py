"""文件 → 从备份恢复: the automatic backups (time, workbook, size), newest first, or any other backup file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from selfcheck.gui.profile import WORKBOOK_FILTER
from selfcheck.workbook.autobackup import BackupEntry


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class BackupListDialog(QDialog):
    """Pick a backup to restore; `selected` holds the chosen file after exec() returned Accepted."""

    def __init__(self, entries: list[BackupEntry], other_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.resize(620, 380)
        self.selected: Path | None = None
        self._entries = entries
        self._other_folder = other_folder
        layout = QVBoxLayout(self)
        if entries:
            text = ("程序每天第一次打开工作簿时会自动备份一份（保留最近 7 天，以及更早每月一份）。"
                    "请选择要恢复的备份：")
        else:
            text = "还没有自动备份。可以选择一个自己保存的备份文件。"
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(entries), 3, self)
        self.table.setHorizontalHeaderLabels(["备份时间", "工作簿", "大小"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(entries):
            cells = (f"{entry.taken:%Y-%m-%d %H:%M}", entry.workbook_name, size_text(entry.size))
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(entry.path))
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(entries))
        self.table.resizeColumnToContents(0)
        self.table.itemDoubleClicked.connect(lambda _item: self._restore_selected())
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("恢复所选备份", self)
        self.other_button = QPushButton("选择其他备份文件…", self)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("取消")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self._restore_selected)
        self.other_button.clicked.connect(self._choose_other)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if entries:
            self.table.selectRow(0)
            self.restore_button.setDefault(True)
        self.restore_button.setEnabled(bool(entries))

    def _restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.selected = self._entries[rows[0].row()].path
        self.accept()

    def _choose_other(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份文件", str(self._other_folder), WORKBOOK_FILTER)
        if name:
            self.selected = Path(name)
            self.accept()
