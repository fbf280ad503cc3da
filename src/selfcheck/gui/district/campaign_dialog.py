"""新建本轮自查 / 修改本轮自查: title, period and reporting deadline of the round the received reports count for."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form


class CampaignDialog(QDialog):
    """Creates the campaign through `create(title, start, end, deadline)` when accepted; given `campaign`, shows
    it for correcting instead (its period locked once `received` reports count for it)."""

    def __init__(self, create: Any, parent: QWidget | None = None, today: date | None = None, *,
                 campaign: Any = None, received: int = 0) -> None:
        super().__init__(parent)
        self.form = load_form("district_campaign_dialog.ui", self)
        self._create = create
        self.campaign: Any = None
        today = today or date.today()
        f = self.form
        f.start_edit.setDate(QDate(today.year, today.month, 1))
        f.end_edit.setDate(QDate(today.year, today.month, 1).addMonths(1).addDays(-1))
        f.deadline_edit.setDateTime(QDateTime(f.end_edit.date(), QTime(17, 0)))
        if campaign is not None:
            self._show(campaign, received)
        f.button_box.accepted.connect(self.accept)
        f.button_box.rejected.connect(self.reject)

    def _show(self, campaign: Any, received: int) -> None:
        f = self.form
        self.setWindowTitle("修改本轮自查")
        f.title_edit.setText(campaign.title)
        f.start_edit.setDate(QDate(campaign.period_start))
        f.end_edit.setDate(QDate(campaign.period_end))
        if campaign.deadline is not None:
            f.deadline_edit.setDateTime(QDateTime(campaign.deadline.astimezone().replace(tzinfo=None)))
        if received:
            why = f"已接收 {received} 份报告，它们是按这一时段核验的，自查期间不能再改"
            for edit in (f.start_edit, f.end_edit):
                edit.setEnabled(False)
                edit.setToolTip(why + "。")
            f.intro_label.setText(f"可以改正名称、延长或改正报送截止时间。{why}；确有错误时请新建一轮自查。")
        else:
            f.intro_label.setText("可以改正名称、自查期间和报送截止时间。")

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
