"""Answers of a workbook's inspections: set, note, clear, with the problems they raise or remove."""

from __future__ import annotations

from typing import TYPE_CHECKING


from selfcheck.checklists.answers import Compliance, compliance_of, normalize_answer
from selfcheck.checklists.models import Checklist, Item
from selfcheck.checklists.scoring import is_visible
from selfcheck.errors import WorkbookError
from selfcheck.workbook import answering
from selfcheck.workbook import repository as repo
from selfcheck.workbook.answering import sync_problem
from selfcheck.workbook.core import MAX_NOTE, WorkbookCore
from selfcheck.workbook.models import (
    UNCHANGED, Answer, AnswerChange, ProblemAction, Unchanged,
)
from selfcheck.workbook.states import target_of

if TYPE_CHECKING:
    pass


class Answers:
    """The answers room of a Workbook (`wb.answers`)."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def all(self, inspection_id: int) -> dict[str, Answer]:
        """Stored answers by item id (including note-only entries whose value is None)."""
        self._core.inspection_row(inspection_id)
        return repo.answers(self._core.db, inspection_id)

    def set(
        self, inspection_id: int, item_id: str, value: str, *, note: str | Unchanged = UNCHANGED
    ) -> AnswerChange:
        """Store an answer (normalised: 是/否/不适用, option labels, numbers, dates, text).

        Non-compliant → a problem is created (source 自查, description from question and note) or kept.
        Compliant again → a problem still 待整改 with nothing filled in is removed; otherwise it is kept and the
        result says so. An item hidden by its show_if counts as 不适用, so its answer raises no problem; items this
        answer hides or shows again have their problems synced the same way (result.dependents). Raises
        InvalidAnswerError (a UserError) for a value that does not fit the item, WorkbookError for an unknown item
        or a checklist marked 不适用.
        """
        checklist, item = self._answerable(inspection_id, item_id)
        normalized = normalize_answer(item, value)
        return self._store_answer(inspection_id, checklist, item, normalized, note, "answer.set")

    def set_note(self, inspection_id: int, item_id: str, note: str) -> AnswerChange:
        """Change only the note of an item (an unanswered item may carry a note)."""
        checklist, item = self._answerable(inspection_id, item_id)
        row = repo.answer_row(self._core.db, inspection_id, item_id)
        return self._store_answer(inspection_id, checklist, item, row["value"] if row else None, note, "answer.note")

    def clear(self, inspection_id: int, item_id: str) -> AnswerChange:
        """Remove an item's answer and note; the problem follows the same rule as answering compliant, and so do
        the problems of items the cleared answer hides (result.dependents)."""
        checklist, item = self._answerable(inspection_id, item_id)
        return self._store_answer(inspection_id, checklist, item, None, "", "answer.clear")

    def _answerable(self, inspection_id: int, item_id: str) -> tuple[Checklist, Item]:
        checklist, item = self._core.item(inspection_id, item_id)
        if checklist.id in self._core.not_applicable(inspection_id):
            raise WorkbookError(f"清单“{checklist.title}”在本次自查中已标为不适用，不能作答；如需作答，请先取消“不适用”。")
        return checklist, item

    def _store_answer(self, inspection_id: int, checklist: Checklist, item: Item, value: str | None,
                      note: str | Unchanged, action: str) -> AnswerChange:
        if not isinstance(note, Unchanged):
            note = (note or "").strip()
            if len(note) > MAX_NOTE:
                raise WorkbookError(f"备注过长（最多 {MAX_NOTE} 字）。")
        with self._core.write() as tx:
            row = repo.answer_row(tx.db, inspection_id, item.id)
            new_note = (row["note"] if row else "") if isinstance(note, Unchanged) else note
            target = target_of("answer", inspection_id, item.id)
            before = tx.state(target)
            if value is None and not new_note:
                if row is not None:
                    tx.db.execute("DELETE FROM answers WHERE inspection_id = ? AND item_id = ?",
                                  (inspection_id, item.id))
            elif row is None or row["value"] != value or row["note"] != new_note:
                tx.db.execute(
                    "INSERT INTO answers (inspection_id, item_id, value, note, answered_by, answered_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (inspection_id, item_id) DO UPDATE SET"
                    " value = excluded.value, note = excluded.note, answered_by = excluded.answered_by,"
                    " answered_at = excluded.answered_at",
                    (inspection_id, item.id, value, new_note, tx.actor, tx.now))
            changed = tx.log(action, target, before)
            # The problem follows the effective answer: none while show_if hides the item (it counts as 不适用).
            hidden = item.show_if is not None and not is_visible(
                item, {item.show_if.item: answering.stored_answer(tx.db, inspection_id, item.show_if.item)[0]})
            action_taken, pid, message, removed = sync_problem(tx, inspection_id, checklist, item,
                                                               None if hidden else value, new_note)
            flips = answering.dependent_flips(checklist, item, row["value"] if row else None, value)
            dependents = answering.resync(tx, inspection_id, flips) if flips else answering.Resync()
            if changed or tx.logged:
                tx.touch_inspection(inspection_id)
            stored = repo.answer_row(tx.db, inspection_id, item.id)
            problem_row = repo.problem_row(tx.db, pid) if pid is not None else None
        shown = problem_row if problem_row is not None else removed
        problem = repo.to_problems(self._core.db, [shown])[0] if shown is not None else None
        if action_taken is ProblemAction.NONE and pid is None:
            message = "已保存。" if changed else "答案未变化。"
            if hidden and changed and compliance_of(item, value) is Compliance.NONCOMPLIANT:
                message = "已保存。该项当前不显示（按不适用计），不列入问题清单。"
        hidden_ids = "、".join(r["item_id"] for r in [*dependents.removed, *dependents.kept])
        shown_ids = "、".join(r["item_id"] for r in dependents.recreated)
        return AnswerChange(
            inspection_id=inspection_id, item_id=item.id, answer=repo.to_answer(stored) if stored else None,
            compliance=compliance_of(item, stored["value"] if stored else None), problem=problem,
            problem_action=action_taken, message=message,
            dependents=self._core.sync_result(dependents, dependents.message(
                hidden=f"检查项 {hidden_ids} 随之隐藏（按不适用计）", shown=f"检查项 {shown_ids} 重新显示")),
        )
