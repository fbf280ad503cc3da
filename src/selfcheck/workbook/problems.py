"""The rectification ledger (整改台账): problems, their status steps, follow-up rounds (回头看)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING


from selfcheck.errors import WorkbookError
from selfcheck.workbook import ledger
from selfcheck.workbook import repository as repo
from selfcheck.workbook.core import MAX_NOTE, WorkbookCore
from selfcheck.workbook.errors import NotFoundError
from selfcheck.workbook.models import (
    FollowUp, FollowUpResult, NewProblem, Problem, ProblemSource, ProblemStatus, ProblemUpdate, StepData,
)
from selfcheck.workbook.states import target_of

if TYPE_CHECKING:
    pass


class Ledger:
    """The ledger room of a Workbook (`wb.ledger`)."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def all(
        self,
        inspection_id: int | None = None,
        *,
        status: ProblemStatus | str | Sequence[ProblemStatus | str] | None = None,
        overdue: bool | None = None,
    ) -> list[Problem]:
        """Problems (all inspections when inspection_id is None), filtered by status and overdue-ness."""
        where, params = ["1 = 1"], []
        if inspection_id is not None:
            self._core.inspection_row(inspection_id)
            where.append("inspection_id = ?")
            params.append(inspection_id)
        if status is not None:
            wanted = [status] if isinstance(status, (str, ProblemStatus)) else list(status)
            statuses = [ledger.parse_status(s).value for s in wanted]
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            params += statuses
        found = repo.to_problems(self._core.db, repo.rows(
            self._core.db, f"SELECT * FROM problems WHERE {' AND '.join(where)} ORDER BY inspection_id, id", params))
        if overdue is not None:
            found = [p for p in found if p.overdue == overdue]
        return found

    def get(self, problem_id: int) -> Problem:
        """One problem; WorkbookError if unknown."""
        return repo.to_problems(self._core.db, [self._problem_row(problem_id)])[0]

    def _problem_row(self, problem_id: int) -> dict:
        row = repo.problem_row(self._core.db, problem_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {problem_id} 的问题。")
        return row

    def for_item(self, inspection_id: int, item_id: str) -> Problem | None:
        """The problem raised by an item in an inspection, if any."""
        row = repo.item_problem_row(self._core.db, inspection_id, item_id)
        return repo.to_problems(self._core.db, [row])[0] if row else None

    def add(self, inspection_id: int, new: NewProblem) -> Problem:
        """Add a problem by hand (e.g. from 信访 or 巡察), status 待整改."""
        self._core.inspection_row(inspection_id)
        checklist_id = severity = None
        if new.item_id is not None:
            checklist, item = self._core.item(inspection_id, new.item_id)
            checklist_id, severity = checklist.id, item.severity.value
            existing = repo.item_problem_row(self._core.db, inspection_id, new.item_id)
            if new.source is ProblemSource.SELF_CHECK and existing is not None:
                raise WorkbookError(f"检查项 {new.item_id} 已有自查问题 #{existing['id']}，请直接编辑该问题。")
        with self._core.write() as tx:
            pid = tx.insert("problems", {
                "inspection_id": inspection_id, "item_id": new.item_id, "checklist_id": checklist_id,
                "severity": severity, "source": new.source.value, "description": new.description,
                "description_auto": 0, "status": ProblemStatus.PENDING.value, "created_at": tx.now,
                "created_by": tx.actor, "updated_at": tx.now,
            })
            tx.log("problem.create", target_of("problem", pid), None)
            tx.touch_inspection(inspection_id)
        return self.get(pid)

    def delete(self, problem_id: int) -> None:
        """Delete a problem still 待整改 (a mistaken entry); later statuses are refused."""
        row = self._problem_row(problem_id)
        if row["status"] != ProblemStatus.PENDING.value:
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已是“{row['status']}”，不能删除；整改台账需保留记录。")
        if repo.scalar(self._core.db, "SELECT COUNT(*) FROM photos WHERE problem_id = ?", (problem_id,)) or \
                repo.scalar(self._core.db, "SELECT COUNT(*) FROM follow_ups WHERE problem_id = ?", (problem_id,)):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已关联照片或回头看记录，不能删除。")
        if repo.scalar(self._core.db, "SELECT COUNT(*) FROM problems WHERE origin_problem_id = ?", (problem_id,)):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已被后续自查带入（回头看），不能删除。")
        with self._core.write() as tx:
            target = target_of("problem", problem_id)
            before = tx.state(target)
            tx.delete("problems", problem_id)
            tx.log("problem.delete", target, before)
            tx.touch_inspection(row["inspection_id"])

    def _change(self, problem_id: int, action: str, values: dict) -> Problem:
        row = self._problem_row(problem_id)
        with self._core.write() as tx:
            target = target_of("problem", problem_id)
            before = tx.state(target)
            tx.update("problems", problem_id, {**values, "updated_at": tx.now})
            tx.log(action, target, before)
            tx.touch_inspection(row["inspection_id"])
        return self.get(problem_id)

    @staticmethod
    def _values(fields: ProblemUpdate | StepData) -> dict:
        values: dict[str, object] = {}
        for name in fields.model_fields_set:
            value = getattr(fields, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif hasattr(value, "value"):
                value = value.value
            elif value is None and name not in ("rect_type", "deadline", "completed_on", "verified_on", "closed_on"):
                value = ""
            values[name] = value
        if "description" in values:
            if not values["description"]:
                raise ledger.LedgerRuleError("问题描述不能为空。")
            values["description_auto"] = 0
        return values

    def update(self, problem_id: int, update: ProblemUpdate) -> Problem:
        """Edit ledger fields (only those set). Refused if it would blank a field the current status needs."""
        row = self._problem_row(problem_id)
        values = self._values(update)
        ledger.check_edit(ProblemStatus(row["status"]), {**row, **values}, today=date.today())
        return self._change(problem_id, "problem.update", values)

    def advance(self, problem_id: int, to_status: ProblemStatus | str, step: StepData | None = None) -> Problem:
        """Move a problem forward (one or more steps), merging `step` first. Each step needs:
        待整改→整改中: measures, rect_type, leader, department, person, deadline;
        整改中→已整改: done_description and completed_on;
        已整改→已销号: verified_by/verified_on (现场查验) and closed_by/closed_on (销号).
        Missing data → LedgerRuleError listing what is missing. Going backwards: use reopen_problem.
        """
        row = self._problem_row(problem_id)
        target = ledger.parse_status(to_status)
        values = self._values(step or StepData())
        ledger.check_step(ProblemStatus(row["status"]), target, {**row, **values}, today=date.today())
        return self._change(problem_id, "problem.advance", {**values, "status": target.value})

    def reopen(
        self, problem_id: int, reason: str, *, to_status: ProblemStatus | str = ProblemStatus.IN_PROGRESS
    ) -> Problem:
        """Move a problem back (e.g. 已销号 → 整改中) with a reason; clears the verification/closing data that
        no longer holds."""
        row = self._problem_row(problem_id)
        reason = (reason or "").strip()
        if not reason:
            raise ledger.LedgerRuleError("重新打开问题需要说明原因。")
        target = ledger.parse_status(to_status)
        cleared = ledger.reopen_clears(ProblemStatus(row["status"]), target)
        values: dict[str, object] = {name: None if name.endswith("_on") else "" for name in cleared}
        values.update({"status": target.value, "reopen_reason": reason[:MAX_NOTE]})
        return self._change(problem_id, "problem.reopen", values)

    def add_follow_up(self, problem_id: int, follow_up: FollowUp) -> Problem:
        """Record a 回头看 round on a 已整改/已销号 problem. A relapse (出现反弹) reopens it to 整改中."""
        row = self._problem_row(problem_id)
        status = ProblemStatus(row["status"])
        if status not in (ProblemStatus.RECTIFIED, ProblemStatus.CLOSED):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 尚未整改完成（{status.value}），还不能“回头看”。")
        if follow_up.date > date.today():
            raise ledger.LedgerRuleError("回头看日期不能晚于今天。")
        last = int(repo.scalar(self._core.db, "SELECT MAX(round) FROM follow_ups WHERE problem_id = ?", (problem_id,)) or 0)
        number = follow_up.round or last + 1
        if repo.scalar(self._core.db, "SELECT 1 FROM follow_ups WHERE problem_id = ? AND round = ?", (problem_id, number)):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已有第 {number} 轮回头看记录。")
        with self._core.write() as tx:
            fid = tx.insert("follow_ups", {
                "problem_id": problem_id, "round": number, "date": follow_up.date.isoformat(), "by_name": follow_up.by,
                "finding": follow_up.finding, "result": follow_up.result.value, "recorded_by": tx.actor,
                "recorded_at": tx.now,
            })
            tx.log("followup.add", target_of("followup", fid), None)
            if follow_up.result is FollowUpResult.RELAPSED:
                target = target_of("problem", problem_id)
                before = tx.state(target)
                cleared = ledger.reopen_clears(status, ProblemStatus.IN_PROGRESS)
                values: dict[str, object] = {name: None if name.endswith("_on") else "" for name in cleared}
                tx.update("problems", problem_id, {
                    **values, "status": ProblemStatus.IN_PROGRESS.value, "updated_at": tx.now,
                    "reopen_reason": f"第 {number} 轮回头看发现反弹：{follow_up.finding}"[:MAX_NOTE],
                })
                tx.log("problem.reopen", target, before)
            tx.touch_inspection(row["inspection_id"])
        return self.get(problem_id)
