"""Small shared pieces: headings, friendly times, a progress-bar delegate, a wrapping-title delegate, colours."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QWidget

if TYPE_CHECKING:  # the style option classes (and QStyle) are imported where they paint: their many enums are
    # made on first import, and nothing is painted before the window shows
    from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView

# One calm palette for states across screens.
COLOR_OK = QColor("#2e7d32")
COLOR_BAD = QColor("#c62828")
COLOR_WARN = QColor("#b26a00")
COLOR_MUTED = QColor("#6b7785")
COLOR_OVERDUE_BG = QColor("#fdecea")
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 10  # (done, total) for ProgressDelegate
_WRAP_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


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
        from PySide6.QtWidgets import QStyle, QStyleOptionProgressBar

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


class WrappingTextDelegate(QStyledItemDelegate):
    """For a tree's first column: a long title takes a second (or third) line instead of being cut off with “…”.

    Qt's own size hint measures the text as one line, so with word wrap on, the row stays one line tall and the text
    is elided. This measures it wrapped at the column's width (less the indentation of its level); the rows are laid
    out again whenever the column changes width (the splitter or the window is resized)."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)  # only ever reached by a title longer than three lines
        tree.header().sectionResized.connect(self._column_resized)

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == 0:
            self.sizeHintChanged.emit(QModelIndex())  # the view lays its rows out again

    def text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The width the title of `index` wraps at: its column less the indentation and the text margins."""
        tree = self._tree
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        levels = depth + (1 if tree.rootIsDecorated() else 0)
        from PySide6.QtWidgets import QStyle

        margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
        return max(1, tree.header().sectionSize(0) - levels * tree.indentation() - 2 * margin)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        if index.column() != 0:
            return size
        from PySide6.QtWidgets import QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        metrics = QFontMetrics(opt.font)
        one_line = metrics.height()
        text = metrics.boundingRect(QRect(0, 0, self.text_width(index), 100_000), _WRAP_FLAGS, opt.text)
        return QSize(size.width(), max(size.height(), size.height() - one_line + text.height()))
