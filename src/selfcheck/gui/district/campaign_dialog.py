"""新建本轮自查: title, period and reporting deadline of the round the received reports count for."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form


class CampaignDialog(QDialog):
    """Creates the campaign through `create(title, start, end, deadline)` when accepted."""

    def __init__(self, create: Any, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_campaign_dialog.ui", self)
        self._create = create
        self.campaign: Any = None
        today = today or date.today()
        f = self.form
        f.start_edit.setDate(QDate(today.year, today.month, 1))
        f.end_edit.setDate(QDate(today.year, today.month, 1).addMonths(1).addDays(-1))
        f.deadline_edit.setDateTime(QDateTime(f.end_edit.date(), QTime(17, 0)))
        f.button_box.accepted.connect(self.accept)
        f.button_box.rejected.connect(self.reject)

    def accept(self) -> None:
        f = self.form
        title = f.title_edit.text().strip()
        if not title:
            QMessageBox.warning(self, "请填写名称", "请填写本轮自查的名称。")
            return
        start, end = f.start_edit.date().toPython(), f.end_edit.date().toPython()
        deadline: datetime = f.deadline_edit.dateTime().toPython().astimezone()
        try:
            self.campaign = self._create(title, start, end, deadline)
        except UserError as err:
            show_user_error(self, err, "无法新建本轮自查")
            return
        super().accept()
