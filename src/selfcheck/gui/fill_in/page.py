"""填报: navigator (checklists → sections with counts), the item list and the item view; keyboard answering."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import QHeaderView, QMessageBox, QTreeWidgetItem, QWidget

from selfcheck.checklists.answers import Compliance, answer_label
from selfcheck.checklists.models import Item
from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.fill_in.actor_switch import ActorSwitch
from selfcheck.gui.fill_in.item_view import ItemView
from selfcheck.gui.fill_in.state import FILTER_LABELS, InspectionState, ItemFilter
from selfcheck.gui.forms import load_form
from selfcheck.gui.item_text import area_label, short_title
from selfcheck.gui.session import Change
from selfcheck.gui.score_text import completion_html
from selfcheck.gui.widgets import WrappingTextDelegate, period_text
from selfcheck.workbook.models import AnswerChange, ProblemAction

log = logging.getLogger(__name__)

_ROLE = Qt.ItemDataRole.UserRole
_DOT_COLORS = {
    Compliance.COMPLIANT: "#2e7d32",
    Compliance.NONCOMPLIANT: "#c62828",
    Compliance.NOT_APPLICABLE: "#9aa4ae",
    Compliance.UNANSWERED: None,
}
SPLITTER_KEY = "fill_splitter"


@cache
def status_icon(compliance: Compliance) -> QIcon:
    """A filled dot in the outcome's colour; an empty ring for unanswered."""
    pixmap = QPixmap(28, 28)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = _DOT_COLORS[compliance]
    if color is None:
        painter.setPen(QColor("#8a94a0"))
        painter.drawEllipse(7, 7, 14, 14)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
        painter.drawEllipse(6, 6, 16, 16)
    painter.end()
    return QIcon(pixmap)


class FillInPage(QWidget):
    message = Signal(str)
    ledger_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("fill_in_page.ui", self)
        self._ctx = context
        self._session = context.session
        self.state: InspectionState | None = None
        self._scope: tuple[str, str] | None = None  # (checklist id, section id); None while a filter/search is on
        self._items: list[Item] = []  # the item list's rows
        self._current: str | None = None
        self.item_view = ItemView(context, self)
        self._init_widgets()
        self._init_shortcuts()
        self._init_signals()

    # --- set-up ------------------------------------------------------------------------------------------------------
    def _init_widgets(self) -> None:
        f = self.form
        self.actor_switch = ActorSwitch(self._session, self)
        f.header_layout.insertWidget(1, self.actor_switch)
        f.item_scroll.setWidget(self.item_view)
        for item_filter, label in FILTER_LABELS.items():
            f.filter_combo.addItem(label, item_filter)
        nav = f.navigator.header()
        nav.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        nav.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        nav.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        nav.setStretchLastSection(False)
        # A long checklist or section title takes a second line rather than being cut (at 150 % as well).
        f.navigator.setItemDelegateForColumn(0, WrappingTextDelegate(f.navigator))
        header = f.item_list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        # 结果 and 照片 keep room for their header and a whole “缺” at any scale.
        header.setMinimumSectionSize(f.item_list.fontMetrics().horizontalAdvance("照片") + 18)
        f.item_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        f.list_title_label.setStyleSheet("font-weight:bold; padding:2px 0")
        f.inspection_label.setStyleSheet("font-weight:bold")
        f.splitter.setStretchFactor(0, 0)
        f.splitter.setStretchFactor(1, 1)
        f.splitter.setStretchFactor(2, 2)
        saved = self._ctx.settings.window_state(SPLITTER_KEY)
        self._splitter_placed = saved is not None and f.splitter.restoreState(saved)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._splitter_placed and self.form.splitter.width() > 0:
            # First time shown: share the width 20 % / 30 % / 50 % (navigator, list, item).
            self._splitter_placed = True
            width = self.form.splitter.width()
            self.form.splitter.setSizes([max(220, width * 20 // 100), width * 30 // 100, width * 50 // 100])

    def _init_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(key)), self, context=context)
            shortcut.activated.connect(lambda k=key: self.answer_by_key(k))
        # Ctrl+V anywhere on the page pastes a photo to the current item; text fields keep their own paste.
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self, context=context)
        paste.activated.connect(lambda: self.item_view.strip.paste())
        for sequence, step in (("PgDown", 1), ("PgUp", -1), ("Alt+Down", 1), ("Alt+Up", -1)):
            shortcut = QShortcut(QKeySequence(sequence), self, context=context)
            shortcut.activated.connect(lambda s=step: self.move(s))

    def _init_signals(self) -> None:
        f = self.form
        f.navigator.currentItemChanged.connect(self._navigator_changed)
        f.item_list.currentItemChanged.connect(self._item_changed)
        f.filter_combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        f.search_edit.textChanged.connect(lambda _t: self._filters_changed())
        view = self.item_view
        view.answer_requested.connect(lambda value: self.answer(value))
        view.clear_requested.connect(self.clear_answer)
        view.note_committed.connect(self._save_note)
        view.navigate.connect(self.move)
        view.problem_edit_requested.connect(self.edit_problem)
        view.ledger_requested.connect(self._open_in_ledger)
        view.strip.photos_changed.connect(self._photos_changed)
        view.strip.message.connect(self.message)

    # --- loading -----------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """(Re)load the current inspection and keep the user's place."""
        workbook = self._session.workbook
        inspection_id = self._session.inspection_id
        if workbook is None or inspection_id is None:
            self.state = None
            return
        keep = self._current if self.state is not None and self.state.inspection.id == inspection_id else None
        self.item_view.commit_note()
        self.state = InspectionState.load(workbook, inspection_id)
        self.actor_switch.refresh()
        self._update_inspection_label()
        self._fill_navigator()
        if keep is not None and keep in self.state.refs:
            self.select_item(keep)
        else:
            first = self.state.first_section()
            if first is not None:
                self.show_section(*first)
            else:
                self._fill_item_list([])

    def _update_inspection_label(self) -> None:
        """Title, period, completion and score: 未完成 in plain words while any item is unanswered."""
        state = self.state
        if state is None:
            return
        inspection = state.inspection
        self.form.inspection_label.setText(
            f"{inspection.title}　<span style='font-weight:normal;color:#6b7785'>"
            f"{period_text(inspection.period_start, inspection.period_end)}</span>　"
            + completion_html(state.inspection_tally()))

    def _fill_navigator(self) -> None:
        state = self.state
        tree = self.form.navigator
        tree.blockSignals(True)
        tree.clear()
        assert state is not None
        for checklist in state.checklists:
            done, total, problems = state.checklist_counts(checklist)
            top = QTreeWidgetItem([f"[{checklist.area.value}] {short_title(checklist.title)}", f"{done}/{total}",
                                   str(problems) if problems else ""])
            top.setData(0, _ROLE, (checklist.id, None))
            top.setToolTip(0, f"{area_label(checklist.area.value)}\n{checklist.title}（版本 {checklist.version}）")
            if state.is_checklist_na(checklist.id):
                reason = state.inspection.not_applicable[checklist.id]
                top.setText(1, "不适用")
                top.setToolTip(0, f"{top.toolTip(0)}\n本次自查不适用：{reason}")
                top.setForeground(0, QColor("#9aa4ae"))
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)  # only sections are selectable
                for section in checklist.sections:
                    s_done, s_total, s_problems = state.section_counts(checklist, section)
                    child = QTreeWidgetItem(top, [section.title, f"{s_done}/{s_total}",
                                                  str(s_problems) if s_problems else ""])
                    child.setData(0, _ROLE, (checklist.id, section.id))
                    child.setToolTip(0, section.title)
                    self._style_counts(child, s_done, s_total, s_problems)
            self._style_counts(top, done, total, problems)
            tree.addTopLevelItem(top)
        tree.expandAll()
        tree.blockSignals(False)

    @staticmethod
    def _style_counts(node: QTreeWidgetItem, done: int, total: int, problems: int) -> None:
        if total and done == total:
            node.setForeground(1, QColor("#2e7d32"))
        if problems:
            node.setForeground(2, QColor("#c62828"))
        node.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        node.setTextAlignment(2, Qt.AlignmentFlag.AlignCenter)

    def _update_navigator_counts(self) -> None:
        state = self.state
        tree = self.form.navigator
        if state is None:
            return
        for t in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(t)
            checklist_id, _ = top.data(0, _ROLE)
            checklist = next(c for c in state.checklists if c.id == checklist_id)
            if state.is_checklist_na(checklist_id):
                continue
            done, total, problems = state.checklist_counts(checklist)
            top.setText(1, f"{done}/{total}")
            top.setText(2, str(problems) if problems else "")
            self._style_counts(top, done, total, problems)
            for s in range(top.childCount()):
                child = top.child(s)
                section = next(x for x in checklist.sections if x.id == child.data(0, _ROLE)[1])
                s_done, s_total, s_problems = state.section_counts(checklist, section)
                child.setText(1, f"{s_done}/{s_total}")
                child.setText(2, str(s_problems) if s_problems else "")
                self._style_counts(child, s_done, s_total, s_problems)

    # --- scope and lists -------------------------------------------------------------------------------------------------
    def _navigator_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        checklist_id, section_id = current.data(0, _ROLE)
        if section_id is not None:
            self.show_section(checklist_id, section_id)

    def show_section(self, checklist_id: str, section_id: str, select: str | None = None) -> None:
        """Show one section's items (clears a filter or search) and select `select` or its first item."""
        state = self.state
        if state is None:
            return
        self._reset_filters()
        self._scope = (checklist_id, section_id)
        self._select_navigator(checklist_id, section_id)
        checklist = next(c for c in state.checklists if c.id == checklist_id)
        section = next(s for s in checklist.sections if s.id == section_id)
        self.form.list_title_label.setText(f"{short_title(checklist.title)} › {section.title}")
        self.form.list_title_label.setToolTip(f"{checklist.title} › {section.title}")
        self._fill_item_list(state.section_items(checklist_id, section_id), select)

    def _select_navigator(self, checklist_id: str | None, section_id: str | None) -> None:
        tree = self.form.navigator
        tree.blockSignals(True)
        tree.setCurrentItem(None)
        for t in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(t)
            for s in range(top.childCount()):
                if top.child(s).data(0, _ROLE) == (checklist_id, section_id):
                    tree.setCurrentItem(top.child(s))
        tree.blockSignals(False)

    def show_filter(self, key: str) -> None:
        """Show the items of one filter (unanswered, noncompliant, photo_missing), as a home dashboard figure asks."""
        combo = self.form.filter_combo
        wanted = ItemFilter(key)
        combo.setCurrentIndex(next((i for i in range(combo.count()) if ItemFilter(combo.itemData(i)) is wanted), 0))
        if self._items and self._current not in {i.id for i in self._items}:
            self.select_item(self._items[0].id)

    def _reset_filters(self) -> None:
        f = self.form
        for widget in (f.filter_combo, f.search_edit):
            widget.blockSignals(True)
        f.filter_combo.setCurrentIndex(0)
        f.search_edit.clear()
        for widget in (f.filter_combo, f.search_edit):
            widget.blockSignals(False)

    def _filters_changed(self) -> None:
        state = self.state
        if state is None:
            return
        item_filter = ItemFilter(self.form.filter_combo.currentData())
        search = self.form.search_edit.text().strip()
        if item_filter is ItemFilter.ALL and not search:
            # Back to the section of the item the user is on (not to the first section).
            current = state.refs.get(self._current) if self._current is not None else None
            scope = ((current.checklist.id, current.section.id) if current is not None
                     and not state.is_checklist_na(current.checklist.id) else None)
            scope = scope or self._scope or state.first_section()
            if scope is not None:
                self.show_section(*scope, select=self._current)
            return
        self._scope = None
        self._select_navigator(None, None)
        matches = state.matching_items(item_filter, search)
        parts = [FILTER_LABELS[item_filter]] if item_filter is not ItemFilter.ALL else []
        if search:
            parts.append(f"包含“{search}”")
        self.form.list_title_label.setText(f"{'、'.join(parts)}：共 {len(matches)} 项")
        self._fill_item_list(matches, self._current)

    def _fill_item_list(self, items: list[Item], select: str | None = None) -> None:
        tree = self.form.item_list
        tree.blockSignals(True)
        tree.clear()
        self._items = list(items)
        for item in items:
            row = QTreeWidgetItem([item.id, item.question, "", ""])
            row.setData(0, _ROLE, item.id)
            row.setToolTip(1, item.question)
            tree.addTopLevelItem(row)
            self._style_row(row, item)
        tree.blockSignals(False)
        if not items:
            self._current = None
            self.item_view.setVisible(False)
            return
        self.item_view.setVisible(True)
        ids = [i.id for i in items]
        self._select_row(ids.index(select) if select in ids else 0)

    def _style_row(self, row: QTreeWidgetItem, item: Item) -> None:
        state = self.state
        assert state is not None
        value = state.value(item.id)
        compliance = state.compliance(item.id)
        row.setIcon(0, status_icon(compliance))
        row.setText(2, answer_label(item, value) if value is not None else "")
        color = _DOT_COLORS[compliance]
        row.setForeground(2, QColor(color or "#8a94a0"))
        count = state.photo_counts.get(item.id, 0)
        if state.photo_missing(item.id):
            row.setText(3, "缺")
            row.setForeground(3, QColor("#c62828"))
            row.setToolTip(3, "按要求需要照片，尚未添加")
        else:
            row.setText(3, str(count) if count else "")
            row.setForeground(3, QColor("#333333"))
            row.setToolTip(3, f"{count} 张照片" if count else "")
        row.setTextAlignment(3, Qt.AlignmentFlag.AlignCenter)

    def _select_row(self, index: int) -> None:
        tree = self.form.item_list
        row = tree.topLevelItem(index)
        if row is not None:
            tree.setCurrentItem(row)
            tree.scrollToItem(row)

    def _item_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None or self.state is None:
            return
        item_id = current.data(0, _ROLE)
        self._current = item_id
        index = [i.id for i in self._items].index(item_id)
        self.item_view.show_item(self.state, self.state.refs[item_id], (index, len(self._items)),
                                 read_only=self._read_only(item_id))
        # 上一项/下一项 go on into the neighbouring sections, as PgUp/PgDown and the number keys do.
        self.item_view.form.prev_button.setEnabled(index > 0 or self._neighbour_section(-1) is not None)
        self.item_view.form.next_button.setEnabled(index < len(self._items) - 1
                                                   or self._neighbour_section(1) is not None)

    def _read_only(self, item_id: str) -> bool:
        state = self.state
        return self._session.read_only or state is None or state.is_checklist_na(state.refs[item_id].checklist.id)

    def select_item(self, item_id: str) -> None:
        """Go to an item (from review, ledger or search): its section, selected."""
        state = self.state
        if state is None or item_id not in state.refs:
            return
        if item_id in [i.id for i in self._items]:
            self._select_row([i.id for i in self._items].index(item_id))
            return
        ref = state.refs[item_id]
        self.show_section(ref.checklist.id, ref.section.id, select=item_id)

    def move(self, step: int) -> None:
        """Next (+1) or previous (−1) item of the list; at a section's end, on to the next section."""
        tree = self.form.item_list
        ids = [i.id for i in self._items]
        if self._current not in ids:
            return
        index = ids.index(self._current) + step
        if 0 <= index < len(ids):
            self._select_row(index)
            tree.setFocus()
            return
        neighbour = self._neighbour_section(step)
        if neighbour is not None and self.state is not None:
            items = self.state.section_items(*neighbour)
            self.show_section(*neighbour, select=items[0 if step > 0 else -1].id)
            tree.setFocus()

    def _neighbour_section(self, step: int) -> tuple[str, str] | None:
        """The next (+1) or previous (−1) section with visible items, from the section shown; None at either end
        or while a filter or search is on."""
        if self._scope is None or self.state is None:
            return None
        sections = [(c.id, s.id) for c in self.state.checklists if not self.state.is_checklist_na(c.id)
                    for s in c.sections]
        if self._scope not in sections:
            return None
        position = sections.index(self._scope) + (1 if step > 0 else -1)
        while 0 <= position < len(sections):
            if self.state.section_items(*sections[position]):
                return sections[position]
            position += 1 if step > 0 else -1
        return None

    def focus_search(self) -> None:
        self.form.search_edit.setFocus()
        self.form.search_edit.selectAll()

    # --- answering ------------------------------------------------------------------------------------------------------
    def answer_by_key(self, key: int) -> None:
        controls = self.item_view.controls
        if controls is None or not controls.isEnabled() or self._current is None:
            return
        before = self._current
        if controls.answer_by_key(key) and self._ctx.settings.auto_advance and self.state is not None \
                and self._current == before and self.state.value(before) is not None \
                and self.state.compliance(before) is not Compliance.NONCOMPLIANT:
            self.move(1)

    def answer(self, value: str) -> None:
        item_id = self._current
        workbook = self._session.workbook
        if item_id is None or workbook is None or self.state is None:
            return
        try:
            change = workbook.answers.set(self.state.inspection.id, item_id, value)
        except UserError as err:
            show_user_error(self, err, "答案未保存")
            return
        self._after_change(change)
        if change.problem_action is ProblemAction.CREATED and change.problem is not None:
            self._offer_problem_details(change)

    def clear_answer(self) -> None:
        item_id = self._current
        workbook = self._session.workbook
        if item_id is None or workbook is None or self.state is None:
            return
        answer = QMessageBox.question(self, "清除答案", f"清除检查项 {item_id} 的答案和备注？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            change = workbook.answers.clear(self.state.inspection.id, item_id)
        except UserError as err:
            show_user_error(self, err)
            return
        self._after_change(change)

    def _save_note(self, item_id: str, note: str) -> None:
        workbook = self._session.workbook
        if workbook is None or self.state is None or self._read_only(item_id):
            return
        try:
            change = workbook.answers.set_note(self.state.inspection.id, item_id, note)
        except UserError as err:
            show_user_error(self, err, "备注未保存")
            return
        self.state.apply(change)
        if item_id == self._current:
            self.item_view.note_saved()
        self._session.changed(Change("answer", self.state.inspection.id, item_id))

    def _after_change(self, change: AnswerChange) -> None:
        state = self.state
        assert state is not None
        visible_before = [i.id for i in self._items]
        state.apply(change)
        self._session.changed(Change("answer", state.inspection.id, change.item_id,
                                     change.problem.id if change.problem else None))
        message = "".join(text for text in (change.message, change.dependents.message) if text)
        if message:
            self.message.emit(message)
        # An answer can show or hide later items (show_if): rebuild the list when that happens.
        if self._scope is not None and [i.id for i in state.section_items(*self._scope)] != visible_before:
            self._fill_item_list(state.section_items(*self._scope), self._current)
        else:
            self._refresh_row(change.item_id)
            self.item_view.update_answer(state)
        self._update_navigator_counts()
        self._update_inspection_label()

    def _refresh_row(self, item_id: str) -> None:
        tree = self.form.item_list
        for index, item in enumerate(self._items):
            if item.id == item_id:
                self._style_row(tree.topLevelItem(index), item)

    def _offer_problem_details(self, change: AnswerChange) -> None:
        problem = change.problem
        assert problem is not None
        answer = QMessageBox.question(
            self, "已列入问题清单",
            f"{change.message}\n\n现在填写整改措施、责任人和整改时限吗？\n（也可以稍后在“整改台账”中填写。）",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.edit_problem()

    # --- problems and photos ------------------------------------------------------------------------------------------------
    def edit_problem(self) -> None:
        from selfcheck.gui.ledger.problem_dialog import edit_problem_dialog

        state = self.state
        if state is None or self._current is None:
            return
        problem = state.problems.get(self._current)
        if problem is None:
            return
        updated = edit_problem_dialog(self._ctx, self, problem)
        if updated is not None:
            state.set_problem(updated)
            self.item_view.update_answer(state)
            self._session.changed(Change("problem", state.inspection.id, problem_id=updated.id))

    def _open_in_ledger(self) -> None:
        state = self.state
        if state is not None and self._current is not None and self._current in state.problems:
            self.ledger_requested.emit(state.problems[self._current].id)

    def _photos_changed(self) -> None:
        state = self.state
        if state is None or self.item_view.ref is None:
            return
        item_id = self.item_view.ref.item.id
        state.photo_counts[item_id] = len(self.item_view.strip.photos)
        self._refresh_row(item_id)
        self.item_view.update_answer(state)
        self._session.changed(Change("photo", state.inspection.id, item_id))

    def undo_remove_photo(self) -> bool:
        """Ctrl+Z: bring back the last removed photo, on its own item."""
        strip = self.item_view.strip
        last = strip.last_removed
        if last is None:
            return False
        if last.item_id and last.item_id != self._current:
            self.select_item(last.item_id)
        return strip.undo_remove()

    def save_state(self) -> None:
        self.item_view.commit_note()
        self._ctx.settings.set_window_state(SPLITTER_KEY, QByteArray(self.form.splitter.saveState()))
