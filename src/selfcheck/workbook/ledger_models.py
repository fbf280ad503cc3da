"""Models of problems and the rectification ledger (整改台账), and of the changes an answer makes to them."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

from pydantic import Field, computed_field

from selfcheck.workbook.model_base import ShortText, Text, _In, _Out

# --- problems and the rectification ledger -------------------------------------------------------------------


class ProblemStatus(str, Enum):
    PENDING = "待整改"
    IN_PROGRESS = "整改中"
    RECTIFIED = "已整改"
    CLOSED = "已销号"


STATUS_ORDER = [ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS, ProblemStatus.RECTIFIED, ProblemStatus.CLOSED]
OPEN_STATUSES = (ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS, ProblemStatus.RECTIFIED)


class RectificationType(str, Enum):
    IMMEDIATE = "立行立改"
    LONG_TERM = "长效机制"


class ProblemSource(str, Enum):
    SELF_CHECK = "自查"
    FOLLOW_UP = "回头看"
    PETITION = "信访"
    PUBLIC_OPINION = "舆情"
    SUPERVISION = "日常监督"
    CASE_REVIEW = "案件倒查"
    DATA_SCREENING = "数据筛查"
    INSPECTION_TOUR = "巡察"
    AUDIT = "审计"
    COMPLAINT = "投诉"
    OVERSIGHT = "督导"


class FollowUpResult(str, Enum):
    HELD = "整改到位"
    RELAPSED = "出现反弹"


class FollowUp(_In):
    """One 回头看 round on a rectified problem; `round` None = the next round."""

    round: Annotated[int, Field(ge=1, le=99)] | None = None
    date: date
    by: Annotated[str, Field(min_length=1, max_length=100, description="复查人")]
    finding: Annotated[str, Field(min_length=1, max_length=5000, description="复查情况")]
    result: FollowUpResult


class FollowUpRecord(_Out):
    id: int
    problem_id: int
    round: int
    date: date
    by: str
    finding: str
    result: FollowUpResult
    recorded_by: str
    recorded_at: datetime


class NewProblem(_In):
    """A problem found outside the checklists (信访, 巡察, ...) or added by hand to an inspection."""

    description: Annotated[str, Field(min_length=1, max_length=5000)]
    source: ProblemSource = ProblemSource.SELF_CHECK
    item_id: str | None = Field(default=None, description="关联的检查项（可不填）")


class _LedgerFields(_In):
    """Ledger fields shared by ProblemUpdate and StepData; only the fields that are set are applied."""

    description: Annotated[str, Field(min_length=1, max_length=5000)] | None = None
    measures: Text | None = Field(default=None, description="整改措施")
    rect_type: RectificationType | None = Field(default=None, description="整改类型：立行立改 / 长效机制")
    leader: ShortText | None = Field(default=None, description="责任领导")
    department: ShortText | None = Field(default=None, description="责任科室")
    person: ShortText | None = Field(default=None, description="具体责任人")
    deadline: date | None = Field(default=None, description="整改时限")
    progress: Text | None = Field(default=None, description="整改进度")
    done_description: Text | None = Field(default=None, description="整改完成情况")
    completed_on: date | None = Field(default=None, description="完成日期")
    verified_by: ShortText | None = Field(default=None, description="现场查验人")
    verified_on: date | None = Field(default=None, description="现场查验日期")
    verification_note: Text | None = Field(default=None, description="查验意见")
    closed_by: ShortText | None = Field(default=None, description="销号人")
    closed_on: date | None = Field(default=None, description="销号日期")


class ProblemUpdate(_LedgerFields):
    """Edit a problem's ledger fields without changing its status."""


class StepData(_LedgerFields):
    """Data entered with a status step; merged onto the problem before the step's requirements are checked."""


class Problem(_Out):
    """One row of the 问题清单 / 整改台账."""

    id: int
    inspection_id: int
    item_id: str | None
    checklist_id: str | None
    severity: str | None = Field(description="检查项的严重程度（一般/较重/严重）")
    source: ProblemSource
    origin_problem_id: int | None = Field(description="回头看带入时，原问题的编号")
    description: str
    description_auto: bool = Field(description="描述仍是自动生成的（用户未改过）")
    measures: str
    rect_type: RectificationType | None
    leader: str
    department: str
    person: str
    deadline: date | None
    progress: str
    done_description: str
    completed_on: date | None
    verified_by: str
    verified_on: date | None
    verification_note: str
    closed_by: str
    closed_on: date | None
    status: ProblemStatus
    reopen_reason: str
    follow_ups: list[FollowUpRecord]
    after_photos: int = Field(description="整改后照片数")
    created_at: datetime
    created_by: str
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overdue(self) -> bool:
        """Past its deadline and not yet rectified."""
        return (
            self.deadline is not None
            and self.status in (ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS)
            and self.deadline < date.today()
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def has_plan(self) -> bool:
        """Measures, type, responsible person and deadline are all filled in."""
        return bool(self.measures and self.rect_type and self.person and self.deadline)


class ProblemAction(str, Enum):
    NONE = "none"
    CREATED = "created"
    UPDATED = "updated"
    REMOVED = "removed"
    KEPT = "kept"


class ProblemSync(_Out):
    """What happened to auto-created 自查 problems when items stopped or started counting (不适用, show_if).

    An item counts while its checklist applies and show_if shows it; its problem then follows the stored answer
    as when answering. When it stops counting, an untouched problem is removed, a worked-on one kept; when it
    counts again, a stored non-compliant answer gets its problem back.
    """

    removed: list[Problem] = Field(default_factory=list, description="移除的问题（移除前的样子）")
    kept: list[Problem] = Field(default_factory=list, description="已有整改内容而保留的问题")
    recreated: list[Problem] = Field(default_factory=list, description="重新列入问题清单的问题")
    message: str = Field(default="", description="给用户看的说明；没有变化时为空")

    @property
    def removed_ids(self) -> list[int]:
        return [p.id for p in self.removed]

    @property
    def kept_ids(self) -> list[int]:
        return [p.id for p in self.kept]

    @property
    def recreated_ids(self) -> list[int]:
        return [p.id for p in self.recreated]

    @property
    def changed(self) -> bool:
        """Whether the ledger changed (a problem removed or re-created)."""
        return bool(self.removed or self.recreated)
