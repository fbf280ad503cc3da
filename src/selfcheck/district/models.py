"""Pydantic models that go in and out of the district workspace (the only shapes the GUI and CLI see)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["accepted", "rejected", "duplicate", "superseded"]
SchoolState = Literal["received", "missing", "rejected", "late"]
FailureKind = Literal["unreadable", "not_selfcheck", "tampered", "unregistered", "other_school", "revoked",
                      "cert_not_valid_at_signing", "not_on_roster"]
AreaKey = Literal["1", "3", "N", "total"]
Tier = Literal["示范", "规范", "达标", "未达标", ""]

VERDICT_LABELS: dict[str, str] = {"accepted": "已接收", "rejected": "已拒收", "duplicate": "重复", "superseded": "已被取代"}
STATE_LABELS: dict[str, str] = {"received": "已报送", "missing": "未报送", "rejected": "被拒收", "late": "逾期报送"}
AREA_LABELS: dict[str, str] = {"1": "“1”：校园餐", "3": "“3”：教辅/校服/工程与设备采购", "N": "“N”：其他突出问题",
                               "total": "合计"}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class School(_Out):
    """One school of the roster (名册)."""

    code: str = Field(min_length=1, max_length=40, description="学校代码")
    name: str = Field(min_length=1, max_length=100, description="学校名称")
    stage: str = Field(default="", max_length=40, description="学段")
    zone: str = Field(default="", max_length=60, description="学区/片区")
    contact: str = Field(default="", max_length=60, description="联系人")
    phone: str = Field(default="", max_length=40, description="联系电话")


class RosterImport(_Out):
    """What a roster import did (every row valid, or nothing imported)."""

    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


class RegisteredCertificate(_Out):
    id: int
    school_code: str | None = Field(description="名册中的学校代码；None 表示登记时确认不在名册中")
    school_name: str = Field(default="", description="证书上的学校名称")
    fingerprint: str = Field(description="SHA-256 指纹，AB:CD:… 形式")
    subject: str
    registered_at: datetime
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None = None
    revoke_reason: str = ""

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ExpectedChecklist(_Out):
    id: str
    version: str = Field(default="", description="期望的版本；空表示任意版本")


class Campaign(_Out):
    """One round of self-inspection the bureau asked for (title, period, expected checklists, deadline)."""

    id: int
    title: str
    period_start: date
    period_end: date
    checklists: list[ExpectedChecklist] = Field(default_factory=list)
    deadline: datetime | None = Field(default=None, description="报送截止时间；签名晚于此时间的报告算逾期")
    created_at: datetime | None = None


class ReceivedReport(_Out):
    """One received file and its verdict."""

    id: int
    file_sha256: str
    source_name: str
    received_at: datetime
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list, description="中文原因；接收时为空")
    failure_kinds: list[str] = Field(default_factory=list)
    school_code: str | None = None
    school_name: str = ""
    campaign_id: int | None = None
    report_id: str | None = None
    signed_at: datetime | None = None
    generated_at: datetime | None = None
    signer_fingerprint: str | None = None
    superseded_by: int | None = None
    stored_file: str | None = Field(default=None, description="区县保存的副本（相对工作区的报告文件夹）")

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


class ReceiveOutcome(_Out):
    """The verdict on one received file, as the CLI prints it and the GUI lists it."""

    source_name: str
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)
    report: ReceivedReport | None = None

    @property
    def line(self) -> str:
        """One line: file — verdict (reasons)."""
        school = f"（{self.report.school_name}）" if self.report and self.report.school_name else ""
        text = f"{printable(self.source_name)}：{VERDICT_LABELS[self.verdict]}{printable(school)}"
        return text + ("：" + "；".join(self.reasons) if self.reasons else "")


def printable(text: str) -> str:
    """`text` for one line of output: control and format characters (line breaks, right-to-left overrides, …),
    which a file name can carry to fake or hide a line, shown as "�"."""
    import unicodedata

    return "".join("\ufffd" if unicodedata.category(c).startswith("C") else c for c in text)


class SchoolStatus(_Out):
    school: School
    state: SchoolState
    last_report_at: datetime | None = Field(default=None, description="最近一次收到该校文件的时间")
    report_id: str | None = Field(default=None, description="计入汇总的报告编号")
    received_id: int | None = None
    signed_at: datetime | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


class AreaRow(_Out):
    """One school × one 1+3+N area (or "total") of the counting report."""

    school_code: str
    school_name: str
    stage: str
    zone: str
    area: AreaKey
    items: int
    answered: int
    noncompliant: int
    score: int
    max_score: int
    score_rate: float | None = Field(description="得分率 0…1；无计分项时为 None")
    tier: Tier
    open_problems: int = 0
    overdue_problems: int = 0

    @property
    def completion(self) -> float | None:
        return self.answered / self.items if self.items else None


class ItemFailure(_Out):
    checklist_id: str
    checklist_title: str
    item_id: str
    question: str
    schools_noncompliant: int
    schools_reporting: int

    @property
    def rate(self) -> float:
        return self.schools_noncompliant / self.schools_reporting if self.schools_reporting else 0.0


class ProblemRow(_Out):
    """One problem of one school's counting report, with its ledger status."""

    school_code: str
    school_name: str
    report_id: str
    problem_id: int
    item_id: str | None = None
    checklist_id: str | None = None
    severity: str | None = None
    source: str = ""
    description: str
    measures: str = ""
    rect_type: str | None = None
    person: str = ""
    department: str = ""
    completed_on: date | None = None
    status: str
    deadline: date | None = None
    overdue: bool = False
    overdue_days: int = 0


class Overview(_Out):
    campaign: Campaign | None
    schools: int
    received: int
    late: int
    missing: int
    rejected: int
    accepted_reports: int
    rejected_files: int
    average_score_rate: float | None
    problems: int
    open_problems: int
    overdue_problems: int
    closed_problems: int
    tiers: dict[str, int] = Field(default_factory=dict)
