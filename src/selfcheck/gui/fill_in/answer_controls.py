"""Answer controls for each answer type: 是/否/不适用 buttons, choices, number, date and text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from selfcheck.checklists.answers import YES_NO_LABELS, compliant_range_text, number_problem
from selfcheck.checklists.models import (
    NA,
    ChoiceAnswer,
    DateAnswer,
    Item,
    NumberAnswer,
    TextAnswer,
    YesNoAnswer,
)

_CHECKED_COLORS = {"yes": "#2e7d32", "no": "#c62828", NA: "#5f6b7a"}
_CHOICE_COLOR = "#1565c0"
_HINT_STYLE = "color:#6b7785"
_ERROR_STYLE = "color:#c62828"
_OPTION_MARGINS = (10, 5, 10, 5)  # left, top, right, bottom: room around an option's text inside its button
_BUTTON_MIN_HEIGHT = 32
_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
_SHORT_OPTION_CHARS = 8  # options this long or shorter (besides their number) fit three to a row


class OptionButton(QPushButton):
    """A checkable answer button whose text wraps onto more lines when its column is narrow, instead of being cut
    off or widening the page. It paints its own text (QPushButton cannot wrap); `text()` returns it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._chosen_color: str | None = None
        self.setAccessibleName(text)
        # Preferred, not Fixed, vertically: a Fixed button would stay one line tall even when its text needs two.
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def set_chosen_look(self, color: str | None) -> None:
        """Filled with `color` and bold white text (the stored answer); None: the normal look."""
        self._chosen_color = color
        self.setStyleSheet(f"QPushButton:checked {{ background: {color}; border: 1px solid {color}; border-radius: 3px; }}"
                           if color else "")
        self.updateGeometry()  # bold text may need another line
        self.update()

    def _text_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(self._chosen_color is not None)
        return font

    def _text_rect(self, rect: QRect) -> QRect:
        left, top, right, bottom = _OPTION_MARGINS
        return rect.adjusted(left, top, -right, -bottom)

    def sizeHint(self) -> QSize:  # noqa: N802
        left, _top, right, _bottom = _OPTION_MARGINS
        width = QFontMetrics(self._text_font()).horizontalAdvance(self._text) + left + right + 2
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # A few characters wide: a long option takes more lines rather than more width.
        left, _top, right, _bottom = _OPTION_MARGINS
        return QSize(6 * QFontMetrics(self._text_font()).horizontalAdvance("中") + left + right, _BUTTON_MIN_HEIGHT)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        _left, top, _right, bottom = _OPTION_MARGINS
        room = self._text_rect(QRect(0, 0, max(width, 1), 100_000))
        used = QFontMetrics(self._text_font()).boundingRect(room, _TEXT_FLAGS, self._text)
        return max(_BUTTON_MIN_HEIGHT, used.height() + top + bottom)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)  # the button itself, without text
        painter = QPainter(self)
        painter.setFont(self._text_font())
        if self._chosen_color is not None and self.isChecked():
            painter.setPen(QColor("white"))
        else:
            group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
            painter.setPen(self.palette().color(group, QPalette.ColorRole.ButtonText))
        painter.drawText(self._text_rect(self.rect()), _TEXT_FLAGS, self._text)
        painter.end()


class AnswerControls(QWidget):
    """Emits `answered(value)` with a value the workbook normalises; shows the stored value.

    Choices sit in a grid of two columns (three when every option is short), numbered 1..n in reading order, the
    last being 不适用; the digit keys and the arrow keys follow the same numbers and positions."""

    answered = Signal(str)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}  # value → button, in key order
        self._editor: QLineEdit | QDateEdit | QPlainTextEdit | None = None
        self._save_button: QPushButton | None = None  # with the editor: number, date and text answers
        self._number_hint: QLabel | None = None
        self._range_text = ""
        self._number_invalid = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        spec = item.answer
        if isinstance(spec, YesNoAnswer):
            row = QHBoxLayout()
            for key, value in enumerate(("yes", "no", NA), start=1):
                self._add_button(value, f"{YES_NO_LABELS[value]}（{key}）", row)
            row.addStretch(1)
            layout.addLayout(row)
        elif isinstance(spec, ChoiceAnswer):
            self._init_choices(spec, layout)
        else:
            layout.addLayout(self._init_editor(spec))

    # --- building ----------------------------------------------------------------------------------------------------
    def _add_button(self, value: str, text: str, layout: QHBoxLayout | QVBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setMinimumSize(88, _BUTTON_MIN_HEIGHT)
        layout.addWidget(button)
        return self._register(value, button)

    def _register(self, value: str, button: QPushButton) -> QPushButton:
        button.setCheckable(True)
        button.setObjectName(f"answer_{value}")
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(lambda _checked=False, v=value: self.answered.emit(v))
        self._group.addButton(button)
        self._buttons[value] = button
        return button

    def _init_choices(self, spec: ChoiceAnswer, layout: QVBoxLayout) -> None:
        # Every option keeps its full text (wrapped when long); the grid keeps four to six options to two or three
        # rows, so the note and the photos stay on screen at 1366×768 and at 150 %.
        labels = [option.label for option in spec.options] + ["不适用"]
        values = [option.value for option in spec.options] + [NA]
        columns = choice_columns(labels)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        for index, (value, label) in enumerate(zip(values, labels, strict=True)):
            button = self._register(value, OptionButton(f"{index + 1}．{label}", self))
            grid.addWidget(button, index // columns, index % columns)
        layout.addLayout(grid)

    def _init_editor(self, spec: NumberAnswer | DateAnswer | TextAnswer) -> QHBoxLayout:
        row = QHBoxLayout()
        editor: QLineEdit | QDateEdit | QPlainTextEdit
        if isinstance(spec, NumberAnswer):
            editor = QLineEdit(self)
            editor.setPlaceholderText("填写数字" + ("（整数）" if spec.integer else ""))
            # Wide enough for the whole placeholder at any scale (it was cut at 1366×768).
            wide = editor.fontMetrics().horizontalAdvance(editor.placeholderText()) + 24
            editor.setMinimumWidth(wide)
            editor.setMaximumWidth(max(160, wide))
            editor.returnPressed.connect(self.commit_editor)
            editor.textChanged.connect(self._check_number)
            row.addWidget(editor)
            if spec.unit:
                row.addWidget(QLabel(spec.unit, self))
            hint = compliant_range_text(spec)
            self._range_text = f"合规范围：{hint}" if hint else ""
            # One label below the row: the compliant range, or (while typing) what is wrong with the number.
            self._number_hint = QLabel(self._range_text, self)
            self._number_hint.setObjectName("number_hint")
            self._number_hint.setWordWrap(True)
            self._number_hint.setStyleSheet(_HINT_STYLE)
        elif isinstance(spec, DateAnswer):
            editor = QDateEdit(self)
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            editor.setDate(QDate.currentDate())
            row.addWidget(editor)
        else:
            editor = QPlainTextEdit(self)
            editor.setPlaceholderText("填写说明，然后点“保存答案”")
            editor.setMaximumHeight(80)
            editor.setTabChangesFocus(True)
            editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            row.addWidget(editor, 1)
        editor.setObjectName("answer_editor")
        self._editor = editor
        save = QPushButton("保存答案", self)
        save.setObjectName("save_answer")
        save.clicked.connect(self.commit_editor)
        self._save_button = save
        if isinstance(spec, TextAnswer):
            # 保存答案 and 不适用 stacked beside the text box: one block, no row of buttons under it.
            buttons = QVBoxLayout()
            buttons.setSpacing(4)
            buttons.addWidget(save)
            self._add_button(NA, "不适用", buttons)
            buttons.addStretch(1)
            row.addLayout(buttons)
        else:
            row.addWidget(save)
            self._add_button(NA, "不适用", row)
            row.addStretch(1)
        if self._number_hint is not None:
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addLayout(row)
            column.addWidget(self._number_hint)
            wrapper = QHBoxLayout()
            wrapper.addLayout(column)
            self._check_number(editor.text())  # type: ignore[union-attr]
            return wrapper
        return row

    def _check_number(self, text: str) -> None:
        """Validate the number as it is typed: an inline hint, and 保存答案/Enter only for a storable value."""
        spec = self.item.answer
        hint = self._number_hint
        if hint is None or not isinstance(spec, NumberAnswer):
            return
        problem = number_problem(spec, text) if text.strip() else None
        self._number_invalid = problem is not None
        if problem is not None:
            hint.setText(f"⚠ {problem}")
            hint.setStyleSheet(_ERROR_STYLE)
        else:
            hint.setText(self._range_text)
            hint.setStyleSheet(_HINT_STYLE)
        hint.setVisible(bool(hint.text()))
        if self._save_button is not None:
            self._save_button.setEnabled(bool(text.strip()) and problem is None)

    @property
    def number_hint(self) -> str:
        """The hint under a number field (the compliant range, or what is wrong with the typed number)."""
        return self._number_hint.text() if self._number_hint is not None else ""

    # --- state -----------------------------------------------------------------------------------------------------------
    def set_value(self, value: str | None) -> None:
        """Show the stored value (None = unanswered) without emitting anything."""
        self._group.setExclusive(False)
        for button_value, button in self._buttons.items():
            checked = value is not None and button_value == value
            button.setChecked(checked)
            color = _CHECKED_COLORS.get(button_value, _CHOICE_COLOR)
            if isinstance(button, OptionButton):
                button.set_chosen_look(color if checked else None)
            else:
                button.setStyleSheet(
                    f"QPushButton:checked {{ color: white; background: {color}; border: 1px solid {color};"
                    f" border-radius: 3px; font-weight: bold; padding: 4px 10px; }}" if checked else "")
        self._group.setExclusive(True)
        editor = self._editor
        if editor is None:
            return
        shown = "" if value in (None, NA) else value
        if isinstance(editor, QLineEdit):
            editor.setText(shown)
        elif isinstance(editor, QDateEdit):
            editor.setDate(_qdate(shown) if shown else QDate.currentDate())
        else:
            editor.setPlainText(shown)

    def commit_editor(self) -> None:
        """Emit what the editor holds (number, date or text); the workbook validates it."""
        editor = self._editor
        if isinstance(editor, QLineEdit):
            text = editor.text().strip()
            if self._number_invalid or not text:
                editor.setFocus()  # the hint under the field says what to fix: no dialog
                return
        elif isinstance(editor, QDateEdit):
            text = editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QPlainTextEdit):
            text = editor.toPlainText().strip()
        else:
            return
        self.answered.emit(text)

    def answer_by_key(self, key: int) -> bool:
        """Number key `key` (1-based) picks the button with that number; False if there is none."""
        values = list(self._buttons)
        if isinstance(self.item.answer, (YesNoAnswer, ChoiceAnswer)) and 1 <= key <= len(values):
            self.answered.emit(values[key - 1])
            return True
        return False

    def focus_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in order: the editor and its buttons, or the answer buttons 1..n."""
        editing: list[QWidget] = [w for w in (self._editor, self._save_button) if w is not None]
        return [*editing, *self._buttons.values()]


def choice_columns(labels: list[str]) -> int:
    """Columns for a choice's buttons: three when every label is short and that saves a row, else two."""
    count = len(labels)
    short = all(len(label) <= _SHORT_OPTION_CHARS for label in labels)
    if short and -(-count // 3) < -(-count // 2):
        return 3
    return 2


def _qdate(text: str) -> QDate:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return QDate.currentDate()
    return QDate(value.year, value.month, value.day)
