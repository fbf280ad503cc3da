"""Optional dates in a QDateEdit: the earliest date stands for “未填写”, and the calendar opens on today."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import QDateEdit

EMPTY = QDate(2000, 1, 1)
EMPTY_TEXT = "未填写"


class _OpenOnToday(QObject):
    def __init__(self, edit: QDateEdit) -> None:
        super().__init__(edit)
        self._edit = edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and self._edit.date() == EMPTY:
            today = QDate.currentDate()
            self._edit.calendarWidget().setCurrentPage(today.year(), today.month())
        return False


def make_optional(edit: QDateEdit) -> None:
    """Let `edit` hold no date (shown as 未填写) until the user picks one."""
    edit.setMinimumDate(EMPTY)
    edit.setSpecialValueText(EMPTY_TEXT)
    edit.setCalendarPopup(True)
    edit.calendarWidget().installEventFilter(_OpenOnToday(edit))
    edit.setDate(EMPTY)


def get_date(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == EMPTY or not value.isValid():
        return None
    return date(value.year(), value.month(), value.day())


def set_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(QDate(value.year, value.month, value.day) if value else EMPTY)
