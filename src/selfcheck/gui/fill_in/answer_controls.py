"""Answer controls for each answer type: 是/否/不适用 buttons, choices, number, date and text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from selfcheck.checklists.answers import YES_NO_LABELS, compliant_range_text
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


class AnswerControls(QWidget):
    """Emits `answered(value)` with a value the workbook normalises, or `cleared()`; shows the stored value."""

    answered = Signal(str)
    cleared = Signal()

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}  # value → button, in key order
        self._editor: QLineEdit | QDateEdit | QPlainTextEdit | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._row = QHBoxLayout()
        layout.addLayout(self._row)
        spec = item.answer
        if isinstance(spec, YesNoAnswer):
            for key, value in enumerate(("yes", "no", NA), start=1):
                self._add_button(value, f"{YES_NO_LABELS[value]}（{key}）")
        elif isinstance(spec, ChoiceAnswer):
            # Options can be long sentences: one per line, full text, so none is clipped.
            column = QVBoxLayout()
            column.setSpacing(4)
            layout.insertLayout(0, column)
            for key, option in enumerate(spec.options, start=1):
                self._add_button(option.value, f"{key}．{option.label}", column)
            self._add_button(NA, f"{len(spec.options) + 1}．不适用", column)
        else:
            self._init_editor(spec, layout)
        self._row.addStretch(1)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("清除答案")
        self.clear_button.setToolTip("清除本项的答案和备注")
        self.clear_button.clicked.connect(self.cleared)
        self._row.addWidget(self.clear_button)

    # --- building ----------------------------------------------------------------------------------------------------
    def _add_button(self, value: str, text: str, layout: QVBoxLayout | QHBoxLayout | None = None) -> QPushButton:
        button = QPushButton(text, self)
        button.setCheckable(True)
        button.setMinimumSize(88, 32)
        button.setObjectName(f"answer_{value}")
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(lambda _checked=False, v=value: self.answered.emit(v))
        self._group.addButton(button)
        self._buttons[value] = button
        if layout is not None:
            button.setStyleSheet("text-align: left; padding: 4px 10px;")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            layout.addWidget(button)
        else:
            self._row.addWidget(button)
        return button

    def _init_editor(self, spec: NumberAnswer | DateAnswer | TextAnswer, layout: QVBoxLayout) -> None:
        save = QPushButton("保存答案", self)
        save.setObjectName("save_answer")
        if isinstance(spec, NumberAnswer):
            editor = QLineEdit(self)
            editor.setPlaceholderText("填写数字" + ("（整数）" if spec.integer else ""))
            editor.setMaximumWidth(160)
            editor.returnPressed.connect(self.commit_editor)
            self._row.addWidget(editor)
            if spec.unit:
                self._row.addWidget(QLabel(spec.unit, self))
            hint = compliant_range_text(spec)
            if hint:
                hint_label = QLabel(f"合规范围：{hint}", self)
                hint_label.setStyleSheet("color:#6b7785")
                self._row.addWidget(hint_label)
            self._row.addWidget(save)
        elif isinstance(spec, DateAnswer):
            editor = QDateEdit(self)
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            editor.setDate(QDate.currentDate())
            self._row.addWidget(editor)
            self._row.addWidget(save)
        else:
            editor = QPlainTextEdit(self)
            editor.setPlaceholderText("填写说明，然后点“保存答案”")
            editor.setMaximumHeight(80)
            editor.setTabChangesFocus(True)
            editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            layout.insertWidget(0, editor)
            self._row.addWidget(save)
        editor.setObjectName("answer_editor")
        self._editor = editor
        save.clicked.connect(self.commit_editor)
        self._add_button(NA, "不适用")

    # --- state -----------------------------------------------------------------------------------------------------------
    def set_value(self, value: str | None) -> None:
        """Show the stored value (None = unanswered) without emitting anything."""
        self._group.setExclusive(False)
        for button_value, button in self._buttons.items():
            checked = value is not None and button_value == value
            button.setChecked(checked)
            color = _CHECKED_COLORS.get(button_value, "#1565c0")
            align = "text-align: left; padding: 4px 10px;" if isinstance(self.item.answer, ChoiceAnswer) else ""
            button.setStyleSheet(
                f"QPushButton {{ {align} }} QPushButton:checked {{ color: white; background: {color};"
                f" border: 1px solid {color}; border-radius: 3px; font-weight: bold; padding: 4px 10px; }}"
                if checked else (f"QPushButton {{ {align} }}" if align else ""))
        self._group.setExclusive(True)
        editor = self._editor
        if editor is None:
            self.clear_button.setEnabled(value is not None)
            return
        shown = "" if value in (None, NA) else value
        if isinstance(editor, QLineEdit):
            editor.setText(shown)
        elif isinstance(editor, QDateEdit):
            editor.setDate(_qdate(shown) if shown else QDate.currentDate())
        else:
            editor.setPlainText(shown)
        self.clear_button.setEnabled(value is not None)

    def commit_editor(self) -> None:
        """Emit what the editor holds (number, date or text); the workbook validates it."""
        editor = self._editor
        if isinstance(editor, QLineEdit):
            text = editor.text().strip()
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

    def focus_first(self) -> None:
        if self._editor is not None:
            self._editor.setFocus()


def _qdate(text: str) -> QDate:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return QDate.currentDate()
    return QDate(value.year, value.month, value.day)
