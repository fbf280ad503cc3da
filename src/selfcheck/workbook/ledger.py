"""Rectification-ledger rules: what each status step needs, which dates make sense, what a reopen clears."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from selfcheck.workbook.errors import LedgerRuleError
from selfcheck.workbook.models import STATUS_ORDER, ProblemStatus

# Data each status needs, by the step that introduces it (cumulative: 已销号 also needs the 整改中 data).
STEP_REQUIREMENTS: dict[ProblemStatus, tuple[tuple[str, str], ...]] = {
    ProblemStatus.PENDING: (("description", "问题描述"),),
    ProblemStatus.IN_PROGRESS: (
        ("measures", "整改措施"),
        ("rect_type", "整改类型（立行立改/长效机制）"),
        ("leader", "责任领导"),
        ("department", "责任科室"),
        ("person", "具体责任人"),
        ("deadline", "整改时限"),
    ),
    ProblemStatus.RECTIFIED: (("done_description", "整改完成情况"), ("completed_on", "完成日期")),
    ProblemStatus.CLOSED: (
        ("verified_by", "现场查验人"),
        ("verified_on", "现场查验日期"),
        ("closed_by", "销号人"),
        ("closed_on", "销号日期"),
    ),
}

# Fields that only hold once a status is reached; a reopen below that status clears them.
CLEARED_BELOW: dict[ProblemStatus, tuple[str, ...]] = {
    ProblemStatus.CLOSED: ("verified_by", "verified_on", "verification_note", "closed_by", "closed_on"),
    ProblemStatus.RECTIFIED: ("completed_on",),
}

FIELD_LABELS: dict[str, str] = {name: label for reqs in STEP_REQUIREMENTS.values() for name, label in reqs}
FIELD_LABELS.update({"progress": "整改进度", "verification_note": "查验意见"})


def rank(status: ProblemStatus) -> int:
    return STATUS_ORDER.index(status)


def parse_status(value: ProblemStatus | str) -> ProblemStatus:
    try:
        return ProblemStatus(value)
    except ValueError:
        names = "、".join(s.value for s in STATUS_ORDER)
        raise LedgerRuleError(f"未知的整改状态“{value}”，应为：{names}。") from None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_for(status: ProblemStatus, fields: Mapping[str, object]) -> list[str]:
    """Labels of the fields `status` needs that are empty in `fields` (cumulative over the earlier steps)."""
    missing = []
    for step in STATUS_ORDER[: rank(status) + 1]:
        missing += [label for name, label in STEP_REQUIREMENTS[step] if _blank(fields.get(name))]
    return missing


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def check_dates(fields: Mapping[str, object], *, today: date) -> None:
    """Completion, verification and closing cannot lie in the future or out of order."""
    completed, verified, closed = (_as_date(fields.get(k)) for k in ("completed_on", "verified_on", "closed_on"))
    for value, label in ((completed, "完成日期"), (verified, "现场查验日期"), (closed, "销号日期")):
        if value is not None and value > today:
            raise LedgerRuleError(f"{label}（{value.isoformat()}）不能晚于今天。")
    if completed and verified and verified < completed:
        raise LedgerRuleError("现场查验日期不能早于整改完成日期。")
    if verified and closed and closed < verified:
        raise LedgerRuleError("销号日期不能早于现场查验日期。")


def check_step(current: ProblemStatus, target: ProblemStatus, fields: Mapping[str, object], *, today: date) -> None:
    """Raise LedgerRuleError unless moving forward from `current` to `target` is allowed with `fields`."""
    if rank(target) == rank(current):
        raise LedgerRuleError(f"问题已是“{current.value}”状态。")
    if rank(target) < rank(current):
        raise LedgerRuleError(f"问题不能从“{current.value}”退回“{target.value}”；如需重新整改，请使用“重新打开”并说明原因。")
    missing = missing_for(target, fields)
    if missing:
        raise LedgerRuleError(f"改为“{target.value}”前需要填写：{'、'.join(missing)}。")
    check_dates(fields, today=today)


def check_edit(status: ProblemStatus, fields: Mapping[str, object], *, today: date) -> None:
    """An edit must keep every field the current status needs."""
    missing = missing_for(status, fields)
    if missing:
        raise LedgerRuleError(f"问题当前为“{status.value}”，以下内容不能为空：{'、'.join(missing)}。")
    check_dates(fields, today=today)


def reopen_clears(current: ProblemStatus, target: ProblemStatus) -> tuple[str, ...]:
    """Fields to clear when a problem goes back from `current` to `target`."""
    if rank(target) >= rank(current):
        raise LedgerRuleError(f"“重新打开”只能把问题退回到比“{current.value}”更早的状态。")
    cleared: list[str] = []
    for status, names in CLEARED_BELOW.items():
        if rank(target) < rank(status):
            cleared += names
    return tuple(cleared)
