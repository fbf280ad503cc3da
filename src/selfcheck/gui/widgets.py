"""Small shared pieces: headings, friendly times, a progress-bar delegate, colours."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

# One calm palette for states across screens.
COLOR_OK = QColor("#2e7d32")
COLOR_BAD = QColor("#c62828")
COLOR_WARN = QColor("#b26a00")
COLOR_MUTED = QColor("#6b7785")
COLOR_OVERDUE_BG = QColor("#fdecea")
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 10  # (done, total) for ProgressDelegate


def make_heading(widget: QWidget, scale: float = 1.5, bold: bool = True) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    widget.setFont(font)


def friendly_time(moment: datetime | None, now: datetime | None = None) -> str:
    """“今天 14:32”, “昨天 09:10”, “9月3日”, “2025-12-30”."""
    if moment is None:
        return ""
    now = now or datetime.now(moment.tzinfo)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
        now = now.astimezone()
    days = (now.date() - moment.date()).days
    if days == 0:
        return f"今天 {moment:%H:%M}"
    if days == 1:
        return f"昨天 {moment:%H:%M}"
    if moment.year == now.year:
        return f"{moment.month}月{moment.day}日"
    return moment.date().isoformat()


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def period_text(start: date, end: date) -> str:
    return f"{start.isoformat()} 至 {end.isoformat()}"


class ProgressDelegate(QStyledItemDelegate):
    """Draws a progress bar with “done/total” from PROGRESS_ROLE."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(PROGRESS_ROLE)
        if not value:
            super().paint(painter, option, index)
            return
        done, total = value
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 4, -4, -4)
        bar.minimum = 0
        bar.maximum = max(total, 1)
        bar.progress = min(done, max(total, 1))
        bar.text = f"{done}/{total}"
        bar.textVisible = True
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
