"""How an answer drives the item's problem: non-compliant creates it, compliant again removes an untouched one."""

from __future__ import annotations

from selfcheck.checklists.answers import Compliance, answer_label, compliance_of
from selfcheck.checklists.models import Checklist, Item
from selfcheck.workbook import repository as repo
from selfcheck.workbook.models import ProblemAction, ProblemSource, ProblemStatus
from selfcheck.workbook.states import target_of
from selfcheck.workbook.writer import Tx

# Ledger fields whose content means a person has worked on the problem.
WORK_FIELDS = ("measures", "rect_type", "leader", "department", "person", "deadline", "progress", "done_description",
               "completed_on", "verified_by", "verified_on", "verification_note", "closed_by", "closed_on",
               "reopen_reason")


def auto_description(item: Item, value: str | None, note: str) -> str:
    """The prefilled problem description: item, question, the answer given and the note."""
    text = f"【{item.id}】{item.question} 自查结果：{answer_label(item, value)}。"
    if note.strip():
        text += f"情况说明：{note.strip()}"
    return text


def untouched(tx: Tx, problem: dict) -> bool:
    """Still 待整改 with nothing filled in, no photos and no follow-ups: safe to remove with the answer."""
    if problem["status"] != ProblemStatus.PENDING.value or not problem["description_auto"]:
        return False
    if any(problem[name] not in (None, "") for name in WORK_FIELDS):
        return False
    photos = repo.scalar(tx.db, "SELECT COUNT(*) FROM photos WHERE problem_id = ?", (problem["id"],))
    rounds = repo.scalar(tx.db, "SELECT COUNT(*) FROM follow_ups WHERE problem_id = ?", (problem["id"],))
    return not photos and not rounds


def sync_problem(tx: Tx, inspection_id: int, checklist: Checklist, item: Item, value: str | None,
                 note: str) -> tuple[ProblemAction, int | None, str, dict | None]:
    """Create, update, remove or keep the item's 自查 problem after its answer changed.

    Returns (action, problem id or None, a sentence for the user, the removed problem's row if it was removed).
    """
    compliance = compliance_of(item, value)
    existing = repo.item_problem_row(tx.db, inspection_id, item.id)
    if compliance is Compliance.NONCOMPLIANT:
        description = auto_description(item, value, note)
        if existing is None:
            pid = tx.insert("problems", {
                "inspection_id": inspection_id, "item_id": item.id, "checklist_id": checklist.id,
                "severity": item.severity.value, "source": ProblemSource.SELF_CHECK.value,
                "description": description, "description_auto": 1, "status": ProblemStatus.PENDING.value,
                "created_at": tx.now, "created_by": tx.actor, "updated_at": tx.now,
            })
            tx.log("problem.create", target_of("problem", pid), None)
            return ProblemAction.CREATED, pid, f"已列入问题清单（问题 #{pid}，待整改）。", None
        pid = existing["id"]
        if existing["description_auto"] and existing["description"] != description:
            target = target_of("problem", pid)
            before = tx.state(target)
            tx.update("problems", pid, {"description": description, "updated_at": tx.now})
            tx.log("problem.update", target, before)
            return ProblemAction.UPDATED, pid, f"问题 #{pid} 的描述已随答案更新。", None
        return ProblemAction.NONE, pid, f"该项已在问题清单中（问题 #{pid}，{existing['status']}）。", None
    if existing is None:
        return ProblemAction.NONE, None, "已保存。", None
    pid = existing["id"]
    if untouched(tx, existing):
        target = target_of("problem", pid)
        before = tx.state(target)
        tx.delete("problems", pid)
        tx.log("problem.delete", target, before)
        message = f"该项不再判为不合规，未开始整改的问题 #{pid} 已从问题清单移除。"
        return ProblemAction.REMOVED, None, message, existing
    return ProblemAction.KEPT, pid, (
        f"该项不再判为不合规，但问题 #{pid} 已有整改内容（{existing['status']}），仍保留在整改台账中。"
    ), None
