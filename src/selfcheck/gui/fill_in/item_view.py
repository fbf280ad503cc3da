"""The item view: question, guidance, evidence and basis; answer controls, note, problem line and photo strip.

The question, the answer controls, the note and the photo strip always keep their full height; the reference
texts (guidance, expected evidence, policy basis) take what is left and scroll in their own box, so on a
1366×768 screen the user never scrolls to reach the photos.
"""

from __future__ import annotations

from html import escape
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QImage, QResizeEvent
from PySide6.QtWidgets import QWidget

from selfcheck.checklists.answers import COMPLIANCE_LABELS, Compliance, answer_label
from selfcheck.checklists.models import PhotoRequirement
from selfcheck.gui.context import AppContext
from selfcheck.gui.fill_in.answer_controls import AnswerControls
from selfcheck.gui.fill_in.state import InspectionState, ItemRef
from selfcheck.gui.forms import load_form
from selfcheck.gui.item_text import SEVERITY_COLORS, basis_text, photo_requirement_text, short_title
from selfcheck.gui.photos.importer import PhotoTarget
from selfcheck.gui.photos.strip import EvidenceStrip, ThumbnailCache, mime_has_photos, mime_local_files
from selfcheck.workbook.models import ProblemStatus

NOTE_SAVE_DELAY_MS = 800
REFERENCE_MIN_LINES = 3  # the reference box never shrinks below this many lines (less if the text is shorter)
NOTE_LINES = 3
_OUTCOME_COLORS = {
    Compliance.COMPLIANT: "#2e7d32",
    Compliance.NONCOMPLIANT: "#c62828",
    Compliance.NOT_APPLICABLE: "#5f6b7a",
    Compliance.UNANSWERED: "#8a94a0",
}


class ItemView(QWidget):
    """Shows one item of the current inspection. It only emits requests; the page writes to the workbook."""

    answer_requested = Signal(str)
    clear_requested = Signal()
    note_committed = Signal(str, str)  # item id, note
    navigate = Signal(int)
    problem_edit_requested = Signal()
    ledger_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("item_view.ui", self)
        self._ctx = context
        self.ref: ItemRef | None = None
        self.controls: AnswerControls | None = None
        self._read_only = False
        self._stored_note = ""
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self.strip = EvidenceStrip(context, self, cache=ThumbnailCache(), paste_shortcut=False)
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        f = self.form
        font = QFont(f.question_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        f.question_label.setFont(font)
        f.meta_label.setStyleSheet("color:#6b7785")
        f.note_status_label.setStyleSheet("color:#6b7785")
        f.evidence_container_layout.addWidget(self.strip)
        note_metrics = f.note_edit.fontMetrics()
        margins = f.note_edit.contentsMargins()
        f.note_edit.setFixedHeight(
            NOTE_LINES * note_metrics.lineSpacing() + int(2 * f.note_edit.document().documentMargin())
            + margins.top() + margins.bottom() + 2 * f.note_edit.frameWidth())
        f.reference_scroll.installEventFilter(self)
        f.meta_label.installEventFilter(self)
        f.problem_frame.setVisible(False)
        f.clear_button.setEnabled(False)
        f.problem_frame.setStyleSheet("#problem_frame { background:#fdecea; border:1px solid #f3b8b3; border-radius:4px; }")
        self.setAcceptDrops(True)

    def _init_signals(self) -> None:
        f = self.form
        f.prev_button.clicked.connect(lambda: self.navigate.emit(-1))
        f.next_button.clicked.connect(lambda: self.navigate.emit(1))
        f.problem_edit_button.clicked.connect(self.problem_edit_requested)
        f.clear_button.clicked.connect(self.clear_requested)
        f.problem_ledger_button.clicked.connect(self.ledger_requested)
        f.note_edit.textChanged.connect(self._note_edited)
        f.note_edit.installEventFilter(self)
        self._note_timer.timeout.connect(self.commit_note)

    # --- showing ---------------------------------------------------------------------------------------------------
    def show_item(self, state: InspectionState, ref: ItemRef, position: tuple[int, int], *, read_only: bool) -> None:
        """Show `ref` (position = (index, count) within the current list)."""
        self.commit_note()
        f = self.form
        item = ref.item
        self.ref = ref
        self._show_meta()
        f.question_label.setText(item.question)
        evidence = escape(item.evidence.description)
        if item.evidence.photo is not PhotoRequirement.NONE:
            evidence += f"（{photo_requirement_text(item)}）"
        bases = "；".join(escape(basis_text(ref.checklist, b)) for b in item.basis)
        # One paragraph with line breaks: every line sits on the same grid, so the box can show whole lines only.
        f.details_label.setText(
            f"<p style='margin:0'><b>检查指引</b>　{escape(item.guidance)}<br/>"
            f"<b>佐证材料</b>　{evidence}<br/>"
            f"<span style='color:#5f6b7a'><b>政策依据</b>　{bases}</span></p>"
        )
        f.reference_scroll.verticalScrollBar().setValue(0)
        self._fit_reference()
        index, count = position
        f.position_label.setText(f"第 {index + 1} / {count} 项")
        f.prev_button.setEnabled(index > 0)
        f.next_button.setEnabled(index < count - 1)
        self._build_controls(ref, read_only)
        self._stored_note = state.note(item.id)
        f.note_edit.blockSignals(True)
        f.note_edit.setPlainText(self._stored_note)
        f.note_edit.blockSignals(False)
        f.note_edit.setReadOnly(read_only)
        f.note_status_label.setText("")
        self.update_answer(state)  # also the evidence title
        self.strip.set_target(PhotoTarget(state.inspection.id, item.id), read_only=read_only)

    def _build_controls(self, ref: ItemRef, read_only: bool) -> None:
        layout = self.form.answer_container_layout
        if self.controls is not None:
            layout.removeWidget(self.controls)
            self.controls.hide()  # gone now, not when the event loop gets to deleting it
            self.controls.deleteLater()
        self.controls = AnswerControls(ref.item, self.form.answer_container)
        self.controls.answered.connect(self.answer_requested)
        self.controls.setEnabled(not read_only)
        self._read_only = read_only
        layout.addWidget(self.controls)
        # Tab goes through the answers in their numbered order, then 清除答案, then the note (the controls are made
        # after the form, so without this they would come last).
        chain = [*self.controls.focus_chain(), self.form.clear_button, self.form.note_edit]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def update_answer(self, state: InspectionState) -> None:
        """Refresh the answer buttons, the outcome line and the problem line from `state`."""
        if self.ref is None or self.controls is None:
            return
        item = self.ref.item
        value = state.value(item.id)
        self.controls.set_value(value)
        compliance = state.compliance(item.id)
        f = self.form
        f.clear_button.setEnabled(value is not None and not self._read_only)
        if value is None:
            f.outcome_label.setText("尚未作答。用按钮或数字键作答，答案会立即保存。")
            f.outcome_label.setStyleSheet("color:#8a94a0")
        else:
            answer = state.answers[item.id]
            label = answer_label(item, value)
            f.outcome_label.setText(
                f"<span style='color:{_OUTCOME_COLORS[compliance]}'><b>{COMPLIANCE_LABELS[compliance]}</b></span>"
                f"　回答：{escape(label)}　·　{escape(answer.answered_by)} 于 {answer.answered_at:%Y-%m-%d %H:%M} 填写"
            )
            f.outcome_label.setStyleSheet("")
        problem = state.problems.get(item.id)
        f.problem_frame.setVisible(problem is not None)
        if problem is not None:
            plan = "已制定整改方案" if problem.has_plan else "尚未填写整改措施、责任人和时限"
            overdue = "，<b>已逾期</b>" if problem.overdue else ""
            f.problem_label.setText(f"已列入问题清单：问题 #{problem.id}，{problem.status.value}，{plan}{overdue}。")
            f.problem_edit_button.setVisible(problem.status is ProblemStatus.PENDING)
        self._update_evidence_title(state)

    def _update_evidence_title(self, state: InspectionState) -> None:
        if self.ref is None:
            return
        item = self.ref.item
        title = f"佐证照片（{photo_requirement_text(item)}）"
        if state.photo_missing(item.id):
            title += " — 尚缺照片"
            self.form.evidence_group.setStyleSheet("QGroupBox::title { color: #c62828; }")
        else:
            self.form.evidence_group.setStyleSheet("")
        self.form.evidence_group.setTitle(title)

    def _show_meta(self) -> None:
        """One header line: the checklist title is shortened when the view is narrow (the section, item id, severity
        and score always show), so the header never takes a second line from the photos."""
        ref = self.ref
        label = self.form.meta_label
        if ref is None:
            return
        item = ref.item
        section = f" › {ref.section.title}"
        path = short_title(ref.checklist.title) + section
        tail = f"　·　{item.id}　·　{item.severity.value}　·　不合规扣 {item.score} 分"
        metrics = label.fontMetrics()
        room = label.width() - metrics.horizontalAdvance(tail + section) - 4
        if room >= metrics.horizontalAdvance(ref.checklist.title[:4] + "…"):
            shown = metrics.elidedText(short_title(ref.checklist.title), Qt.TextElideMode.ElideRight, room) + section
        else:
            room += metrics.horizontalAdvance(section)
            shown = metrics.elidedText(path, Qt.TextElideMode.ElideRight, max(room, 0))
        severity_color = SEVERITY_COLORS.get(item.severity.value, "#333")
        lead = f"{escape(shown)}　·　" if shown else ""  # too narrow for any of the path: the tooltip has it
        label.setText(
            f"{lead}{item.id}　·　"
            f"<span style='color:{severity_color}'>{item.severity.value}</span>　·　不合规扣 {item.score} 分"
        )
        label.setToolTip(ref.checklist.title + section)

    # --- sizing ------------------------------------------------------------------------------------------------------
    def _fit_reference(self) -> None:
        """Let the reference box grow to its text's height and shrink (scrolling) to a few lines, never below."""
        f = self.form
        scroll = f.reference_scroll
        frame = 2 * scroll.frameWidth()
        # The width without a scroll bar: if the text fits there, no scroll bar appears and the height is exact.
        width = max(1, scroll.width() - frame)
        content = max(f.details_label.heightForWidth(width), f.details_label.minimumSizeHint().height())
        floor = REFERENCE_MIN_LINES * f.details_label.fontMetrics().lineSpacing()
        scroll.setMaximumHeight(content + frame)
        scroll.setMinimumHeight(min(content, floor) + frame)

    def _snap_reference(self, height: int) -> None:
        """When the reference text scrolls, show whole lines only (no half line of 政策依据 at the bottom): the
        rest of the last line's height becomes a blank margin, and the wheel scrolls by whole lines."""
        f = self.form
        scroll = f.reference_scroll
        line = f.details_label.fontMetrics().lineSpacing()
        available = height - 2 * scroll.frameWidth()
        needs_scroll = f.details_label.heightForWidth(max(1, scroll.viewport().width())) > available
        spare = available % line if needs_scroll and line > 0 else 0
        if scroll.viewportMargins().bottom() != spare:
            scroll.setViewportMargins(0, 0, 0, spare)
        scroll.verticalScrollBar().setSingleStep(max(1, line))

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        # The page's scroll area makes this view at least this tall. Asking for the *minimum* height (the reference
        # box at a few lines, everything else whole) means the page only scrolls when even that does not fit; the
        # preferred height would push the photos below the fold whenever the reference text is long.
        layout = self.layout()
        height = layout.minimumHeightForWidth(width) if layout is not None else -1
        return height if height >= 0 else super().heightForWidth(width)

    # --- note --------------------------------------------------------------------------------------------------------
    def _note_edited(self) -> None:
        self.form.note_status_label.setText("正在输入……")
        self._note_timer.start()

    def commit_note(self) -> None:
        """Save the note now if it differs from what is stored (called on pause, focus-out and item change)."""
        self._note_timer.stop()
        if self.ref is None:
            return
        text = self.form.note_edit.toPlainText().strip()
        if text != self._stored_note.strip():
            self._stored_note = text
            self.note_committed.emit(self.ref.item.id, text)

    def note_saved(self) -> None:
        self.form.note_status_label.setText("备注已保存")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.form.note_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_note()
        elif event.type() == QEvent.Type.Resize:
            resize = cast(QResizeEvent, event)
            if watched is self.form.reference_scroll:
                self._snap_reference(resize.size().height())
            if resize.size().width() != resize.oldSize().width():  # only a new width re-wraps or re-shortens text
                if watched is self.form.reference_scroll:
                    self._fit_reference()
                elif watched is self.form.meta_label:
                    self._show_meta()
        return super().eventFilter(watched, event)

    # --- drops anywhere on the item go to its photos --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.strip.add_button.isEnabled() and mime_has_photos(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        mime = event.mimeData()
        files = mime_local_files(mime)
        event.acceptProposedAction()
        if files:
            self.strip.add_paths(files)
        elif mime.hasImage():
            self.strip.add_image(QImage(mime.imageData()))



