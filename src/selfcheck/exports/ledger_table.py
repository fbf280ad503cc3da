"""The rectification ledger's columns (every field of a problem), shared by the window's table and the Excel export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from selfcheck.workbook.models import Problem

CellValue = str | int | date | None
Kind = Literal["text", "long", "date", "int"]


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str
    kind: Kind
    width: int  # in characters (Excel) — the window derives pixels from it
    value: Callable[[Problem, Mapping[int, str]], CellValue]


def _follow_ups(problem: Problem) -> str:
    return "；".join(f"第{f.round}轮 {f.date.isoformat()} {f.by}：{f.result.value}（{f.finding}）"
                    for f in problem.follow_ups)


def _updated(problem: Problem) -> date:
    moment: datetime = problem.updated_at
    return moment.astimezone().date() if moment.tzinfo else moment.date()


COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("id", "编号", "int", 6, lambda p, _t: p.id),
    LedgerColumn("status", "整改状态", "text", 13, lambda p, _t: p.status.value + ("（逾期）" if p.overdue else "")),
    LedgerColumn("item", "检查项", "text", 10, lambda p, _t: p.item_id or ""),
    LedgerColumn("severity", "严重程度", "text", 8, lambda p, _t: p.severity or ""),
    LedgerColumn("description", "问题描述", "long", 36, lambda p, _t: p.description),
    LedgerColumn("measures", "整改措施", "long", 36, lambda p, _t: p.measures),
    LedgerColumn("rect_type", "整改类型", "text", 10, lambda p, _t: p.rect_type.value if p.rect_type else ""),
    LedgerColumn("leader", "责任领导", "text", 10, lambda p, _t: p.leader),
    LedgerColumn("department", "责任科室", "text", 10, lambda p, _t: p.department),
    LedgerColumn("person", "具体责任人", "text", 10, lambda p, _t: p.person),
    LedgerColumn("deadline", "整改时限", "date", 12, lambda p, _t: p.deadline),
    LedgerColumn("progress", "整改进度", "long", 24, lambda p, _t: p.progress),
    LedgerColumn("done_description", "完成情况", "long", 24, lambda p, _t: p.done_description),
    LedgerColumn("completed_on", "完成日期", "date", 12, lambda p, _t: p.completed_on),
    LedgerColumn("verified_by", "现场查验人", "text", 10, lambda p, _t: p.verified_by),
    LedgerColumn("verified_on", "查验日期", "date", 12, lambda p, _t: p.verified_on),
    LedgerColumn("verification_note", "查验意见", "long", 20, lambda p, _t: p.verification_note),
    LedgerColumn("closed_by", "销号人", "text", 10, lambda p, _t: p.closed_by),
    LedgerColumn("closed_on", "销号日期", "date", 12, lambda p, _t: p.closed_on),
    LedgerColumn("follow_ups", "回头看", "long", 30, lambda p, _t: _follow_ups(p)),
    LedgerColumn("after_photos", "整改后照片", "int", 8, lambda p, _t: p.after_photos),
    LedgerColumn("reopen_reason", "退回原因", "long", 20, lambda p, _t: p.reopen_reason),
    LedgerColumn("source", "问题来源", "text", 9, lambda p, _t: p.source.value),
    LedgerColumn("inspection", "所属自查", "text", 22, lambda p, t: t.get(p.inspection_id, f"自查 #{p.inspection_id}")),
    LedgerColumn("updated", "最后修改", "date", 12, lambda p, _t: _updated(p)),
)


def column_index(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


def display_text(value: CellValue) -> str:
    """How a cell reads on screen and in plain text."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
