"""How an item's effective answer drives its problem: non-compliant creates it, otherwise an untouched one goes.

The effective answer is the stored value while the item counts (its checklist applies and show_if shows it), else
none; so marking a checklist 不适用 or hiding an item treats its problem like answering it compliant again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from selfcheck.checklists.answers import Compliance, answer_label, compliance_of
from selfcheck.checklists.models import Checklist, Item
from selfcheck.checklists.scoring import Answers, is_visible
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


def untouched(db: sqlite_utils.Database, problem: dict) -> bool:
    """Still 待整改 with nothing filled in, no photos and no follow-ups: safe to remove with the answer."""
    if problem["status"] != ProblemStatus.PENDING.value or not problem["description_auto"]:
        return False
    if any(problem[name] not in (None, "") for name in WORK_FIELDS):
        return False
    photos = repo.scalar(db, "SELECT COUNT(*) FROM photos WHERE problem_id = ?", (problem["id"],))
    rounds = repo.scalar(db, "SELECT COUNT(*) FROM follow_ups WHERE problem_id = ?", (problem["id"],))
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
    if untouched(tx.db, existing):
        target = target_of("problem", pid)
        before = tx.state(target)
        tx.delete("problems", pid)
        tx.log("problem.delete", target, before)
        message = f"该项不再判为不合规，未开始整改的问题 #{pid} 已从问题清单移除。"
        return ProblemAction.REMOVED, None, message, existing
    return ProblemAction.KEPT, pid, (
        f"该项不再判为不合规，但问题 #{pid} 已有整改内容（{existing['status']}），仍保留在整改台账中。"
    ), None


# --- applicability: 不适用 checklists and show_if ---------------------------------------------------------------


def counts(checklist_id: str, item: Item, values: Answers, not_applicable: Collection[str]) -> bool:
    """Whether the item's stored answer counts: its checklist applies and show_if shows it (as the report scores)."""
    return checklist_id not in not_applicable and is_visible(item, values)


@dataclass(frozen=True)
class Flip:
    """An item whose applicability changed; `counts` is whether its stored answer counts after the change."""

    checklist: Checklist
    item: Item
    counts: bool


def flips(checklists: Sequence[Checklist], values: Answers, not_applicable_before: Collection[str],
          not_applicable_after: Collection[str]) -> list[Flip]:
    """Items of `checklists` that start or stop counting when the 不适用 marks change (answers unchanged)."""
    changed = set(not_applicable_before) ^ set(not_applicable_after)
    return [
        Flip(checklist, item, counts(checklist.id, item, values, not_applicable_after))
        for checklist in checklists if checklist.id in changed
        for item in checklist.all_items()
        if counts(checklist.id, item, values, not_applicable_before)
        != counts(checklist.id, item, values, not_applicable_after)
    ]


def dependent_flips(checklist: Checklist, item: Item, old: str | None, new: str | None) -> list[Flip]:
    """Items shown or hidden because `item`'s answer went from `old` to `new` (show_if refers to its own checklist).

    Only the direct dependants: an item's visibility reads the stored answer of the one item it names, exactly as
    scoring's is_visible does, so the ledger and the report agree.
    """
    if old == new:
        return []
    result = []
    for other in checklist.all_items():
        if other.show_if is None or other.show_if.item != item.id:
            continue
        before, after = is_visible(other, {item.id: old}), is_visible(other, {item.id: new})
        if before != after:
            result.append(Flip(checklist, other, after))
    return result


@dataclass
class Resync:
    """Problem rows removed (as they were), kept and re-created by a resync, in item order."""

    removed: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    recreated: list[dict] = field(default_factory=list)

    def message(self, *, hidden: str, shown: str, planned: bool = False) -> str:
        """One or two sentences for the user; `hidden`/`shown` name the cause (“清单“校园餐”标为不适用”)."""
        parts = []
        if self.removed or self.kept:
            clauses = []
            if self.removed:
                clauses.append(f"未开始整改的问题 {_ids(self.removed)} {'将' if planned else '已'}从问题清单移除")
            if self.kept:
                listed = "、".join(f"#{row['id']}（{row['status']}）" for row in self.kept)
                clauses.append(f"问题 {listed}已有整改内容，{'仍将' if planned else '仍'}保留在整改台账中")
            parts.append(f"{hidden}：{'；'.join(clauses)}。")
        if self.recreated:
            parts.append(f"{shown}：问题 {_ids(self.recreated)} {'将' if planned else '已'}重新列入问题清单（待整改）。")
        return "".join(parts)


def _ids(found: Sequence[dict]) -> str:
    return "、".join(f"#{row['id']}" for row in found)


def stored_answer(db: sqlite_utils.Database, inspection_id: int, item_id: str) -> tuple[str | None, str]:
    """The item's stored (value, note); (None, "") when it has no answer row."""
    row = repo.answer_row(db, inspection_id, item_id)
    return (row["value"], row["note"]) if row else (None, "")


def resync(tx: Tx, inspection_id: int, changed: Sequence[Flip]) -> Resync:
    """Apply sync_problem to each flipped item with its effective answer, inside the caller's transaction.

    An item that stopped counting is synced as unanswered (an untouched 自查 problem is removed and audited, a
    worked-on one kept); one that counts again is synced with its stored answer, so a non-compliant answer gets
    its problem back. Stored answers are never changed.
    """
    result = Resync()
    for flip in changed:
        value, note = stored_answer(tx.db, inspection_id, flip.item.id)
        if flip.counts:
            if compliance_of(flip.item, value) is not Compliance.NONCOMPLIANT:
                continue
            action, pid, _, _ = sync_problem(tx, inspection_id, flip.checklist, flip.item, value, note)
            if action is ProblemAction.CREATED and pid is not None:
                result.recreated.append(repo.problem_row(tx.db, pid))  # type: ignore[arg-type]
            continue
        existing = repo.item_problem_row(tx.db, inspection_id, flip.item.id)
        if existing is None:
            continue
        action, _, _, removed = sync_problem(tx, inspection_id, flip.checklist, flip.item, None, note)
        if action is ProblemAction.REMOVED and removed is not None:
            result.removed.append(removed)
        elif action is ProblemAction.KEPT:
            result.kept.append(existing)
    return result


def plan(db: sqlite_utils.Database, inspection_id: int, changed: Sequence[Flip]) -> Resync:
    """The problems resync would remove and keep, without writing (re-created ones have no id yet: not listed)."""
    result = Resync()
    for flip in changed:
        if flip.counts:
            continue
        existing = repo.item_problem_row(db, inspection_id, flip.item.id)
        if existing is not None:
            (result.removed if untouched(db, existing) else result.kept).append(existing)
    return result
