"""新建自查 / 回头看 / 修改自查信息: title, period, team, the checklists that apply and those 不适用 with a reason."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from selfcheck.checklists.models import Checklist
from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.workbook.models import InspectionSummary, InspectionUpdate, NewInspection

COL_TITLE, COL_AREA, COL_ITEMS, COL_NA, COL_REASON = range(5)
STATUS_MSECS = 10_000
_TEAM_SPLIT = re.compile(r"[、,，;；\n]+")
MAX_TEAM_NAME = 100  # NewInspection.team's limit per member
MAX_NA_REASON = 500  # NewInspection.not_applicable's limit per reason


class SubmitCancelled(Exception):
    """Raised by a `submit` callback when the user backed out of a confirmation: the dialog stays open."""


@dataclass(frozen=True)
class InspectionForm:
    """What the dialog collected (already checked for completeness)."""

    title: str
    period_start: date
    period_end: date
    team: list[str]
    checklist_ids: list[str]
    not_applicable: dict[str, str]
    carry_over_from: int | None


def default_title(today: date) -> str:
    """“2026年秋季学期1+3+N专项自查” (秋季 from August to January)."""
    if today.month >= 8:
        return f"{today.year}年秋季学期1+3+N专项自查"
    if today.month == 1:
        return f"{today.year - 1}年秋季学期1+3+N专项自查"
    return f"{today.year}年春季学期1+3+N专项自查"


def split_team(text: str) -> list[str]:
    return [name.strip() for name in _TEAM_SPLIT.split(text) if name.strip()]


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class NewInspectionDialog(QDialog):
    """One dialog for new, follow-up (回头看) and edit; `submit(form)` stores it and may raise UserError."""

    def __init__(
        self,
        checklists: Sequence[Checklist],
        submit: Callable[[InspectionForm], None],
        *,
        previous: Sequence[InspectionSummary] = (),
        from_id: int | None = None,
        initial: InspectionForm | None = None,
        locked_ids: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = load_form("new_inspection_dialog.ui", self)
        self._checklists = list(checklists)
        self._submit = submit
        self._previous = list(previous)
        self._locked = set(locked_ids)
        self._init_widgets(initial, from_id)
        self._init_signals()

    def _init_widgets(self, initial: InspectionForm | None, from_id: int | None) -> None:
        f = self.form
        today = date.today()
        f.follow_up_group.setVisible(bool(self._previous))
        for summary in self._previous:
            f.from_combo.addItem(f"{summary.title}（未销号问题 {summary.open_problems} 个）", summary.id)
        if from_id is not None:
            f.from_combo.setCurrentIndex(max(0, f.from_combo.findData(from_id)))
        f.start_date.setDate(_qdate(initial.period_start if initial else today))
        f.end_date.setDate(_qdate(initial.period_end if initial else today + timedelta(days=30)))
        f.title_edit.setText(initial.title if initial else default_title(today))
        f.team_edit.setText("、".join(initial.team) if initial else "")
        f.button_box.button(QDialogButtonBox.StandardButton.Ok).setText("开始自查")
        f.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._fill_table(initial)
        if self._previous:
            self.setWindowTitle("回头看：从上一次自查开始")
            self._sync_follow_up_title()

    def _fill_table(self, initial: InspectionForm | None) -> None:
        table = self.form.checklist_table
        headers = ["检查清单", "领域", "检查项", "不适用", "不适用的理由（如：本校没有食堂）"]
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(self._checklists))
        chosen = set(initial.checklist_ids) if initial else {c.id for c in self._checklists}
        not_applicable = initial.not_applicable if initial else {}
        for row, checklist in enumerate(self._checklists):
            title = QTableWidgetItem(f"{checklist.title}（版本 {checklist.version}）")
            title.setData(Qt.ItemDataRole.UserRole, checklist.id)
            title.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            title.setCheckState(Qt.CheckState.Checked if checklist.id in chosen else Qt.CheckState.Unchecked)
            if checklist.id in self._locked:
                title.setToolTip("本次自查已有这份清单的答案、照片或问题，不能移除。")
            area = QTableWidgetItem(checklist.area.value)
            count = QTableWidgetItem(str(len(checklist.all_items())))
            na = QTableWidgetItem()
            na.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            na.setCheckState(Qt.CheckState.Checked if checklist.id in not_applicable else Qt.CheckState.Unchecked)
            reason = QTableWidgetItem(not_applicable.get(checklist.id, ""))
            reason.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsSelectable)
            for cell in (area, count):
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            for col, cell in enumerate((title, area, count, na, reason)):
                table.setItem(row, col, cell)
        header = table.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(COL_REASON, 260)
        for col in (COL_AREA, COL_ITEMS, COL_NA):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._update_rows()

    def _init_signals(self) -> None:
        self.form.button_box.accepted.connect(self.accept)
        self.form.button_box.rejected.connect(self.reject)
        self.form.checklist_table.itemChanged.connect(lambda _item: self._update_rows())
        self.form.from_combo.currentIndexChanged.connect(lambda _i: self._sync_follow_up_title())

    def _sync_follow_up_title(self) -> None:
        summary = next((s for s in self._previous if s.id == self.form.from_combo.currentData()), None)
        if summary is not None:
            self.form.title_edit.setText(f"{default_title(date.today()).removesuffix('专项自查')}专项自查（回头看）")

    def _update_rows(self) -> None:
        """Greys out 不适用 for checklists that are not included; the reason only when 不适用 is ticked."""
        table = self.form.checklist_table
        table.blockSignals(True)
        for row in range(table.rowCount()):
            included = table.item(row, COL_TITLE).checkState() == Qt.CheckState.Checked
            na_item = table.item(row, COL_NA)
            na_flags = Qt.ItemFlag.ItemIsUserCheckable | (Qt.ItemFlag.ItemIsEnabled if included else Qt.ItemFlag.NoItemFlags)
            na_item.setFlags(na_flags)
            na = included and na_item.checkState() == Qt.CheckState.Checked
            reason = table.item(row, COL_REASON)
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
            reason.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if na else Qt.ItemFlag.NoItemFlags)
        table.blockSignals(False)

    def set_checklist_state(self, checklist_id: str, *, included: bool, not_applicable_reason: str | None = None) -> None:
        """Tick a checklist in or out and set 不适用 (with its reason) — what the table's checkboxes do."""
        table = self.form.checklist_table
        for row in range(table.rowCount()):
            if table.item(row, COL_TITLE).data(Qt.ItemDataRole.UserRole) == checklist_id:
                table.item(row, COL_TITLE).setCheckState(Qt.CheckState.Checked if included else Qt.CheckState.Unchecked)
                na = not_applicable_reason is not None
                table.item(row, COL_NA).setCheckState(Qt.CheckState.Checked if na else Qt.CheckState.Unchecked)
                table.item(row, COL_REASON).setText(not_applicable_reason or "")
                return
        raise KeyError(checklist_id)

    def collected(self) -> InspectionForm:
        """The entered values; UserError naming what is missing."""
        f = self.form
        title = f.title_edit.text().strip()
        if not title:
            f.title_edit.setFocus()
            raise UserError("请填写自查名称。")
        start, end = _pydate(f.start_date.date()), _pydate(f.end_date.date())
        if end < start:
            raise UserError("自查时段的结束日期不能早于开始日期。")
        ids: list[str] = []
        not_applicable: dict[str, str] = {}
        table = f.checklist_table
        for row in range(table.rowCount()):
            checklist_id = table.item(row, COL_TITLE).data(Qt.ItemDataRole.UserRole)
            if table.item(row, COL_TITLE).checkState() != Qt.CheckState.Checked:
                continue
            ids.append(checklist_id)
            if table.item(row, COL_NA).checkState() == Qt.CheckState.Checked:
                reason = table.item(row, COL_REASON).text().strip()
                if not reason:
                    raise UserError(f"“{self._checklists[row].title}”标为不适用，请写明理由（如：本校没有食堂）。")
                if len(reason) > MAX_NA_REASON:
                    raise UserError(f"“{self._checklists[row].title}”不适用的理由超过 {MAX_NA_REASON} 个字，请精简后再保存。")
                not_applicable[checklist_id] = reason
        if not ids:
            raise UserError("请至少勾选一份检查清单。")
        team = split_team(f.team_edit.text())
        if any(len(name) > MAX_TEAM_NAME for name in team):
            f.team_edit.setFocus()
            raise UserError(f"自查组成员的名字超过 {MAX_TEAM_NAME} 个字。几位成员之间请用顿号“、”或逗号隔开。")
        carry = f.from_combo.currentData() if self._previous else None
        return InspectionForm(title, start, end, team, ids, not_applicable, carry)

    def accept(self) -> None:
        try:
            self._submit(self.collected())
        except SubmitCancelled:
            return
        except UserError as err:
            show_user_error(self, err, "无法保存")
            return
        super().accept()


def run_new_inspection(context: AppContext, parent: QWidget, *, follow_up: bool,
                       from_id: int | None = None) -> int | None:
    """Ask for a new inspection (回头看 when `follow_up`) and create it; returns its id, None if cancelled."""
    workbook = context.session.require()
    checklists = context.checklists().checklists
    if not checklists:
        raise UserError("没有可用的检查清单，无法新建自查。", hint="请在“清单库”查看清单加载时的错误信息。")
    previous: list[InspectionSummary] = []
    if follow_up:
        previous = workbook.inspections.all(include_archived=True)
        if not previous:
            raise UserError("还没有做过自查，无法“回头看”。请先新建一次自查。")
    school = workbook.get_school()
    team = [name for name in ((school.principal + "（组长）") if school and school.principal else "",
                              school.preparer if school else "") if name]
    initial = InspectionForm(default_title(date.today()), date.today(), date.today() + timedelta(days=30), team,
                             [c.id for c in checklists], {}, None)
    if previous:
        # Start from the checklists the earlier inspection used, where they still exist.
        earlier = workbook.inspections.get(from_id or previous[0].id)
        kept = [cid for cid in earlier.checklist_ids if any(c.id == cid for c in checklists)]
        initial = InspectionForm(initial.title, initial.period_start, initial.period_end, earlier.team or team,
                                 kept or initial.checklist_ids,
                                 {k: v for k, v in earlier.not_applicable.items() if k in kept}, None)
    created: list[int] = []

    def submit(form: InspectionForm) -> None:
        new = NewInspection(title=form.title, period_start=form.period_start, period_end=form.period_end,
                            team=form.team, checklist_ids=form.checklist_ids, not_applicable=form.not_applicable,
                            carry_over_from=form.carry_over_from)
        created.append(workbook.inspections.create(new, available=checklists).id)

    dialog = NewInspectionDialog(checklists, submit, previous=previous, from_id=from_id or (previous[0].id if previous else None),
                                 initial=initial, parent=parent)
    dialog.exec()
    return created[0] if created else None


def run_edit_inspection(context: AppContext, parent: QWidget, inspection_id: int) -> bool:
    """Edit title, period, team and checklists of an inspection; True when something was saved."""
    workbook = context.session.require()
    inspection = workbook.inspections.get(inspection_id)
    snapshot = workbook.inspections.checklists(inspection_id)
    catalog = context.checklists().checklists
    in_snapshot = {c.id for c in snapshot}
    # The inspection's own versions first (never silently replaced), then checklists that could be added.
    choices = [*snapshot, *[c for c in catalog if c.id not in in_snapshot]]
    locked = {p.checklist_id for p in workbook.ledger.all(inspection_id) if p.checklist_id}
    locked |= {cid for cid in in_snapshot if _has_answers(workbook, inspection_id, cid, snapshot)}
    initial = InspectionForm(inspection.title, inspection.period_start, inspection.period_end, inspection.team,
                             inspection.checklist_ids, inspection.not_applicable, None)
    saved: list[str] = []

    def submit(form: InspectionForm) -> None:
        update = InspectionUpdate(title=form.title, period_start=form.period_start, period_end=form.period_end,
                                  team=form.team, checklist_ids=form.checklist_ids, not_applicable=form.not_applicable)
        # Marking 不适用 removes the untouched problems of its items; worked-on ones stay, so say that first.
        planned = workbook.inspections.preview_update(inspection_id, update, available=choices)
        if planned.kept:
            answer = QMessageBox.question(dialog, "标为不适用", f"{planned.message}\n\n仍要保存吗？")
            if answer != QMessageBox.StandardButton.Yes:
                raise SubmitCancelled
        change = workbook.inspections.update(inspection_id, update, available=choices)
        saved.append(change.problems.message)

    dialog = NewInspectionDialog(choices, submit, initial=initial, locked_ids=sorted(locked), parent=parent)
    dialog.setWindowTitle("修改自查信息")
    dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
    dialog.exec()
    if saved:
        show_status(parent, saved[0] or "自查信息已保存。")
    return bool(saved)


def show_status(parent: QWidget, message: str) -> None:
    """Put `message` in the main window's status bar, where answer outcomes are shown too."""
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, STATUS_MSECS)


def _has_answers(workbook: object, inspection_id: int, checklist_id: str, snapshot: Sequence[Checklist]) -> bool:
    checklist = next(c for c in snapshot if c.id == checklist_id)
    ids = {item.id for item in checklist.all_items()}
    answers = workbook.answers.all(inspection_id)  # type: ignore[attr-defined]
    return any(item_id in ids for item_id in answers)
