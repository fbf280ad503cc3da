"""Pydantic models that go in and out of the workbook service (the only shapes the GUI and CLI see).

The ledger's models live in ledger_models.py and the base classes in model_base.py; both are re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

from pydantic import Field, model_validator

from selfcheck.checklists.answers import Compliance
from selfcheck.workbook.ledger_models import (  # noqa: F401 - re-exported: one import place for the service's shapes
    FollowUp,
    FollowUpRecord,
    FollowUpResult,
    NewProblem,
    OPEN_STATUSES,
    Problem,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    ProblemSync,
    ProblemUpdate,
    RectificationType,
    STATUS_ORDER,
    StepData,
)
from selfcheck.workbook.model_base import (  # noqa: F401
    SCHOOL_NAME_MAX_LENGTH,
    UNCHANGED,
    ShortText,
    Text,
    Unchanged,
    _In,
    _Out,
)

# --- school ------------------------------------------------------------------------------------------------------

SCHOOL_STAGES = ("幼儿园", "小学", "初中", "高中", "九年一贯制", "十二年一贯制", "完全中学", "中等职业学校", "特殊教育学校", "高等学校")


class SchoolProfile(_In):
    """The school the workbook belongs to (名称, 学段, 省/市/区县, 校长, 填报人, 联系电话)."""

    name: Annotated[str, Field(min_length=1, max_length=SCHOOL_NAME_MAX_LENGTH, description="学校名称")]
    stage: ShortText = Field(default="", description="学段，如 小学、初中")
    province: ShortText = Field(default="", description="省（自治区、直辖市）")
    city: ShortText = Field(default="", description="市（州）")
    county: ShortText = Field(default="", description="区（县）")
    principal: ShortText = Field(default="", description="校长")
    preparer: ShortText = Field(default="", description="填报人")
    phone: Annotated[str, Field(default="", max_length=40, description="联系电话")]


# --- inspections -------------------------------------------------------------------------------------------------


class NewInspection(_In):
    """What the user enters to start a self-inspection (一次自查)."""

    title: Annotated[str, Field(min_length=1, max_length=200, description="标题，如 2026年秋季学期1+3+N专项自查")]
    period_start: date
    period_end: date
    team: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, description="自查组成员")
    checklist_ids: Annotated[list[str], Field(min_length=1, description="适用的检查清单编号（按此顺序）")]
    not_applicable: dict[str, Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=dict, description="整份清单不适用：清单编号 → 理由"
    )
    carry_over_from: int | None = Field(default=None, description="从该次自查带入未销号的问题（回头看）")

    @model_validator(mode="after")
    def _consistent(self) -> NewInspection:
        if self.period_end < self.period_start:
            raise ValueError("自查时段的结束日期不能早于开始日期")
        if len(set(self.checklist_ids)) != len(self.checklist_ids):
            raise ValueError("检查清单不能重复选择")
        stray = sorted(set(self.not_applicable) - set(self.checklist_ids))
        if stray:
            raise ValueError(f"标为不适用的清单不在本次自查中：{'、'.join(stray)}")
        return self


class InspectionUpdate(_In):
    """Changes to an inspection; only the fields that are set are applied."""

    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    period_start: date | None = None
    period_end: date | None = None
    team: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = None
    checklist_ids: list[str] | None = Field(default=None, description="新的适用清单列表；移除已有答案的清单会被拒绝")
    not_applicable: dict[str, Annotated[str, Field(min_length=1, max_length=500)]] | None = None


class Inspection(_Out):
    id: int
    title: str
    period_start: date
    period_end: date
    team: list[str]
    checklist_ids: list[str]
    checklist_versions: dict[str, str] = Field(description="快照中各清单的版本号")
    not_applicable: dict[str, str]
    carried_over_from: int | None
    archived: bool
    created_at: datetime
    created_by: str
    updated_at: datetime


class InspectionSummary(_Out):
    """One line of the inspection list."""

    id: int
    title: str
    period_start: date
    period_end: date
    archived: bool
    answered: int
    total: int
    noncompliant: int
    open_problems: int = Field(description="未销号的问题数")
    overdue_problems: int
    photos: int
    updated_at: datetime


# --- answers -----------------------------------------------------------------------------------------------------


class Answer(_Out):
    item_id: str
    value: str | None = Field(description="规范化后的答案；None 表示只有备注、尚未作答")
    note: str = ""
    answered_by: str
    answered_at: datetime


class AnswerChange(_Out):
    """What set_answer/set_note/clear_answer did: the stored answer and what happened to the item's problem."""

    inspection_id: int
    item_id: str
    answer: Answer | None
    compliance: Compliance
    problem: Problem | None = Field(description="该项当前关联的问题（被移除时为移除前的样子）")
    problem_action: ProblemAction
    message: str = Field(description="给用户看的一句话，如“已列入问题清单（问题 #3）”")
    dependents: ProblemSync = Field(default_factory=ProblemSync,
                                    description="因本答案随之隐藏或重新显示（show_if）的检查项的问题变化")


class InspectionChange(_Out):
    """What update_inspection did: the inspection as stored and what 不适用 changes did to the items' problems."""

    inspection: Inspection
    problems: ProblemSync = Field(default_factory=ProblemSync)


# --- photos ------------------------------------------------------------------------------------------------------


class PhotoKind(str, Enum):
    EVIDENCE = "evidence"
    AFTER = "after"


PHOTO_KIND_LABELS = {PhotoKind.EVIDENCE: "佐证照片", PhotoKind.AFTER: "整改后照片"}


class Photo(_Out):
    """Photo metadata (no image bytes: ask photo_image / photo_thumbnail)."""

    id: int
    inspection_id: int
    item_id: str | None
    problem_id: int | None
    kind: PhotoKind
    caption: str
    original_name: str
    original_sha256: str
    original_size: int
    original_format: str
    image_sha256: str
    image_size: int
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    captured_at: datetime | None
    added_at: datetime
    added_by: str
    removed: bool
    removed_at: datetime | None


# --- progress and review -------------------------------------------------------------------------------------------


class SectionProgress(_Out):
    section_id: str
    title: str
    done: int
    total: int
    noncompliant: int


class ChecklistProgress(_Out):
    checklist_id: str
    title: str
    area: str
    not_applicable: bool
    not_applicable_reason: str
    done: int
    total: int
    noncompliant: int
    open_problems: int
    sections: list[SectionProgress]


class InspectionProgress(_Out):
    """Counts for the navigator: answered/visible items per checklist and section, problems, photos per item."""

    inspection_id: int
    done: int
    total: int
    noncompliant: int
    problems_by_status: dict[ProblemStatus, int]
    overdue_problems: int
    checklists: list[ChecklistProgress]
    photo_counts: dict[str, int] = Field(description="检查项编号 → 佐证照片数（不含已删除）")


class BlockerKind(str, Enum):
    UNANSWERED = "unanswered"
    PHOTO_MISSING = "photo_missing"
    NO_PLAN = "no_plan"


BLOCKER_LABELS = {
    BlockerKind.UNANSWERED: "未作答",
    BlockerKind.PHOTO_MISSING: "缺少照片",
    BlockerKind.NO_PLAN: "未制定整改方案",
}


class Blocker(_Out):
    """Something to finish before the report: an unanswered item, a missing photo, a problem without a plan."""

    kind: BlockerKind
    checklist_id: str | None
    item_id: str | None
    problem_id: int | None
    message: str


# --- audit and info ----------------------------------------------------------------------------------------------


class AuditEntry(_Out):
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    before: dict | None
    after: dict | None
    prev_hash: str
    hash: str


class AuditReport(_Out):
    """Result of verify_audit: ok only when the chain is intact AND the stored data equals the replayed log."""

    ok: bool
    entries: int
    head: str = Field(description="最后一条记录的哈希")
    message: str = Field(description="给用户看的结论；不通过时指出第一处问题")
    first_bad: int | None = Field(default=None, description="第一条有问题的日志序号")
    bad_row: str | None = Field(default=None, description="与日志不符的数据行，如 answer/3/MEAL-01")
    problems: list[str] = Field(default_factory=list, description="发现的全部问题（最多 50 条）")


class WorkbookInfo(_Out):
    path: str
    schema_version: int
    workbook_id: str
    created_at: datetime
    read_only: bool
    school: SchoolProfile | None
    inspections: int
    answers: int
    photos: int
    removed_photos: int
    problems: int
    open_problems: int
    audit_entries: int
    audit_head: str
    file_size: int
