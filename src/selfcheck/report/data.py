"""ReportData: everything one signed report says, versioned as "selfcheck-report/1" and attached to the PDF as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from selfcheck.checklists import scoring
from selfcheck.checklists.models import AREA_TITLES

SCHEMA_ID = "selfcheck-report/1"
ATTACHMENT_NAME = "selfcheck-report.json"

ComplianceStatus = Literal["compliant", "noncompliant", "na", "unanswered"]
AreaCode = Literal["1", "3", "N"]
ProblemStatus = Literal["待整改", "整改中", "已整改", "已销号"]
RectType = Literal["立行立改", "长效机制"]
PhotoKind = Literal["evidence", "after"]

COMPLIANCE_LABELS: dict[str, str] = {
    "compliant": "合规",
    "noncompliant": "不合规",
    "na": "不适用",
    "unanswered": "未作答",
}
AREA_ORDER = ("1", "3", "N")
OPEN_STATUSES = ("待整改", "整改中")  # statuses that can be overdue
SHA256_HEX = r"^[0-9a-f]{64}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tally(_Model):
    """Item counts and points as written in the JSON; all arithmetic is checklists.scoring's (see `of`, `total`).

    `answered` and `excluded` were added within version 1: a tally that has them was counted with the current
    rules (only counted items, only answered items scored); one without them (a report made before) was counted
    with the first rules (every item listed, unanswered items in `max_score`) and is checked with those.
    """

    items: int = 0
    compliant: int = 0
    noncompliant: int = 0
    na: int = 0
    unanswered: int = 0
    max_score: int = 0
    deducted: int = 0
    score: int = 0
    answered: int = Field(default=0, description="已作答的检查项数（已完成 answered/items）")
    excluded: int | None = Field(default=None, description="未计入的检查项数：被显示条件隐藏或所在清单不适用")

    @model_validator(mode="before")
    @classmethod
    def _derive_answered(cls, data: Any) -> Any:
        """A report made before `answered` was written: it is items − unanswered there too."""
        if isinstance(data, dict) and data.get("answered") is None:
            data = dict(data)
            data["answered"] = data.get("items", 0) - data.get("unanswered", 0)
        return data

    @property
    def legacy(self) -> bool:
        """Counted with the first rules (a report made before `excluded` was written)."""
        return self.excluded is None

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @classmethod
    def from_scoring(cls, tally: scoring.Tally) -> Tally:
        """The JSON form of a scorer's tally (`items` and `score` written out, `not_applicable` as `na`)."""
        return cls(items=tally.total, compliant=tally.compliant, noncompliant=tally.noncompliant,
                   na=tally.not_applicable, unanswered=tally.unanswered, max_score=tally.max_score,
                   deducted=tally.deducted, score=tally.score, answered=tally.answered, excluded=tally.excluded)

    def to_scoring(self) -> scoring.Tally:
        """The scorer's tally with these counts and points (`items` and `score` are derived there)."""
        return scoring.Tally(compliant=self.compliant, noncompliant=self.noncompliant, not_applicable=self.na,
                             unanswered=self.unanswered, max_score=self.max_score, deducted=self.deducted,
                             excluded=self.excluded or 0)

    @classmethod
    def of(cls, items: Iterable[ItemResult], *, legacy: bool = False) -> Tally:
        """Tally of item results by their status and points, counted by the checklist scorer."""
        if legacy:
            return _legacy_tally(items)
        return cls.from_scoring(scoring.tally_outcomes(
            (item.status if item.counted else None, item.score) for item in items))

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        """Sum of tallies, added up by the checklist scorer (a sum of first-rules tallies stays first-rules)."""
        tallies = list(tallies)
        if tallies and any(t.legacy for t in tallies):
            return cls(**{name: sum(getattr(t, name) for t in tallies)
                          for name in ("items", "compliant", "noncompliant", "na", "unanswered", "max_score",
                                       "deducted", "score", "answered")})
        return cls.from_scoring(sum((t.to_scoring() for t in tallies), scoring.Tally()))


def _legacy_tally(items: Iterable[ItemResult]) -> Tally:
    """The first rules, for reports made before: every item listed, max_score over every item not `na`."""
    counts = dict.fromkeys(("compliant", "noncompliant", "na", "unanswered"), 0)
    max_score = deducted = 0
    for item in items:
        counts[item.status] += 1
        max_score += item.score if item.status != "na" else 0
        deducted += item.score if item.status == "noncompliant" else 0
    return Tally(items=sum(counts.values()), **counts, max_score=max_score, deducted=deducted,
                 score=max_score - deducted, answered=sum(counts.values()) - counts["unanswered"])


def _fill_tally(data: Any, build: Any) -> Any:
    """Before-validator helper: compute `tally` when the input leaves it out."""
    if isinstance(data, dict) and data.get("tally") is None:
        data = dict(data)
        data["tally"] = build(data)
    return data


class ItemResult(_Model):
    id: str
    question: str
    answer_value: str | None = Field(description="规范化后的答案；None 表示未作答")
    answer_label: str = Field(description="答案的显示文字，如 是、否、不适用、12 人")
    status: ComplianceStatus
    note: str = ""
    answered_by: str = ""
    answered_at: datetime | None = None
    severity: str = Field(description="一般 / 较重 / 严重")
    score: int = Field(ge=0, description="该项分值（不合规时扣除）")
    counted: bool = Field(default=True, description="是否计入本次自查的检查项；被显示条件隐藏或所在清单不适用时为 false")


class SectionResult(_Model):
    id: str
    title: str
    items: list[ItemResult]
    tally: Tally

    @model_validator(mode="before")
    @classmethod
    def _default_tally(cls, data: Any) -> Any:
        return _fill_tally(data, lambda d: Tally.of(ItemResult.model_validate(i) for i in d.get("items", [])))

    @model_validator(mode="after")
    def _consistent(self) -> SectionResult:
        if self.tally != Tally.of(self.items, legacy=self.tally.legacy):
            raise ValueError(f"分节 {self.id} 的统计与检查项不一致")
        return self


class ChecklistResult(_Model):
    id: str
    version: str
    title: str
    area: AreaCode
    order: int = 0
    not_applicable_reason: str | None = Field(default=None, description="整份清单不适用时的理由；None 表示适用")
    sections: list[SectionResult]
    tally: Tally

    @model_validator(mode="before")
    @classmethod
    def _default_tally(cls, data: Any) -> Any:
        return _fill_tally(data, lambda d: Tally.total(SectionResult.model_validate(s).tally
                                                       for s in d.get("sections", [])))

    @model_validator(mode="after")
    def _consistent(self) -> ChecklistResult:
        if self.tally != Tally.total(s.tally for s in self.sections):
            raise ValueError(f"清单 {self.id} 的统计与分节不一致")
        return self

    @property
    def not_applicable(self) -> bool:
        return self.not_applicable_reason is not None

    @property
    def area_title(self) -> str:
        return AREA_TITLES[self.area]

    def items(self) -> Iterator[ItemResult]:
        for section in self.sections:
            yield from section.items


class AreaSummary(_Model):
    area: AreaCode
    title: str
    checklist_ids: list[str]
    tally: Tally


class School(_Model):
    name: Annotated[str, Field(min_length=1)]
    stage: str = Field(default="", description="学段")
    province: str = ""
    city: str = ""
    county: str = ""
    principal: str = Field(default="", description="校长")
    preparer: str = Field(default="", description="填报人")
    phone: str = Field(default="", description="联系电话")

    @property
    def region(self) -> str:
        return "".join(part for part in (self.province, self.city, self.county) if part)


class InspectionInfo(_Model):
    id: int
    title: Annotated[str, Field(min_length=1)]
    period_start: date
    period_end: date
    team: list[str] = Field(default_factory=list)
    created_at: datetime
    finished_at: datetime | None = None


class FollowUp(_Model):
    """One 回头看 round."""

    round: int = Field(ge=1)
    date: date
    by: str
    finding: str
    result: str = Field(description="整改到位 / 出现反弹")


class Problem(_Model):
    """One row of the 问题清单 / 整改台账."""

    id: int
    item_id: str | None = None
    checklist_id: str | None = None
    severity: str | None = None
    source: str = "自查"
    description: str
    measures: str = ""
    rect_type: RectType | None = None
    leader: str = Field(default="", description="责任领导")
    department: str = Field(default="", description="责任科室")
    person: str = Field(default="", description="具体责任人")
    deadline: date | None = None
    progress: str = ""
    done_description: str = ""
    completed_on: date | None = None
    status: ProblemStatus
    verified_by: str = Field(default="", description="现场查验人")
    verified_on: date | None = None
    verification_note: str = ""
    closed_by: str = Field(default="", description="销号人")
    closed_on: date | None = None
    follow_ups: list[FollowUp] = Field(default_factory=list)
    after_photo_ids: list[int] = Field(default_factory=list)

    def is_overdue(self, on: date) -> bool:
        """Past its deadline on `on` and still 待整改 or 整改中."""
        return self.deadline is not None and self.status in OPEN_STATUSES and self.deadline < on


class PhotoInfo(_Model):
    """A stored photo; its JPEG bytes travel separately (the builder's photo_loader)."""

    id: int
    kind: PhotoKind = "evidence"
    item_id: str | None = None
    problem_id: int | None = None
    caption: str = ""
    captured_at: datetime | None = None
    imported_at: datetime
    original_name: str = ""
    original_sha256: Annotated[str, Field(pattern=SHA256_HEX)]
    image_sha256: Annotated[str, Field(pattern=SHA256_HEX, description="存储的（规范化后的）JPEG 的 SHA-256")]
    width: int = Field(gt=0)
    height: int = Field(gt=0)


class AuditHead(_Model):
    hash: str
    entries: int = Field(ge=0)


class SignerInfo(_Model):
    """The certificate the report is signed with (filled in by the export)."""

    subject: str
    fingerprint_sha256: str = Field(description="形如 AB:CD:… 的证书 SHA-256 指纹")
    not_valid_after: datetime


class ReportData(_Model):
    """The full content of one inspection's report."""

    schema_: Literal["selfcheck-report/1"] = Field(default=SCHEMA_ID, alias="schema")
    report_id: UUID
    generated_at: datetime
    generator: str = Field(default="", description="生成报告的软件及版本")
    school: School
    inspection: InspectionInfo
    checklists: list[ChecklistResult]
    areas: list[AreaSummary]
    totals: Tally
    problems: list[Problem] = Field(default_factory=list)
    photos: list[PhotoInfo] = Field(default_factory=list)
    audit: AuditHead
    signer: SignerInfo | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _derive_summaries(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        checklists = [ChecklistResult.model_validate(c) for c in data.get("checklists", [])]
        if data.get("areas") is None:
            data["areas"] = [a.model_dump() for a in _area_summaries(checklists)]
        if data.get("totals") is None:
            data["totals"] = Tally.total(c.tally for c in checklists).model_dump()
        return data

    @model_validator(mode="after")
    def _consistent(self) -> ReportData:
        checklist_ids = [c.id for c in self.checklists]
        _unique(checklist_ids, "清单")
        item_ids = [i.id for c in self.checklists for i in c.items()]
        _unique(item_ids, "检查项")
        _unique([p.id for p in self.problems], "问题")
        photo_ids = [p.id for p in self.photos]
        _unique(photo_ids, "照片")
        if self.areas != _area_summaries(self.checklists):
            raise ValueError("领域汇总与清单统计不一致")
        if self.totals != Tally.total(c.tally for c in self.checklists):
            raise ValueError("总计与清单统计不一致")
        known_items, known_photos = set(item_ids), set(photo_ids)
        problem_ids = {p.id for p in self.problems}
        for problem in self.problems:
            if problem.item_id is not None and problem.item_id not in known_items:
                raise ValueError(f"问题 {problem.id} 引用了不存在的检查项 {problem.item_id}")
            missing = [pid for pid in problem.after_photo_ids if pid not in known_photos]
            if missing:
                raise ValueError(f"问题 {problem.id} 引用了不存在的照片 {missing}")
        for photo in self.photos:
            if photo.item_id is not None and photo.item_id not in known_items:
                raise ValueError(f"照片 {photo.id} 引用了不存在的检查项 {photo.item_id}")
            if photo.problem_id is not None and photo.problem_id not in problem_ids:
                raise ValueError(f"照片 {photo.id} 引用了不存在的问题 {photo.problem_id}")
        return self

    # --- convenience for the layout ---------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """「XX学校关于<inspection title>自查情况的报告」."""
        subject = self.inspection.title.strip()
        if "自查" in subject:  # "…专项自查" or "…专项自查（第二轮）": never "自查自查情况"
            return f"{self.school.name}关于{subject}情况的报告"
        return f"{self.school.name}关于{subject}自查情况的报告"

    def item(self, item_id: str) -> ItemResult:
        for checklist in self.checklists:
            for item in checklist.items():
                if item.id == item_id:
                    return item
        raise KeyError(item_id)

    def checklist_of_item(self, item_id: str) -> ChecklistResult:
        for checklist in self.checklists:
            if any(item.id == item_id for item in checklist.items()):
                return checklist
        raise KeyError(item_id)

    def overdue_problems(self) -> list[Problem]:
        today = self.generated_at.date()
        return [p for p in self.problems if p.is_overdue(today)]

    def to_json(self) -> str:
        """The attachment text: this model with aliases ("schema"), UTF-8, stable key order."""
        return self.model_dump_json(by_alias=True, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> ReportData:
        return cls.model_validate_json(text)


def _area_summaries(checklists: list[ChecklistResult]) -> list[AreaSummary]:
    summaries = []
    for area in AREA_ORDER:
        members = [c for c in checklists if c.area == area]
        if members:
            summaries.append(AreaSummary(area=area, title=AREA_TITLES[area], checklist_ids=[c.id for c in members],
                                         tally=Tally.total(c.tally for c in members)))
    return summaries


def _unique(values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    dupes = sorted({str(v) for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]
    if dupes:
        raise ValueError(f"{what}编号重复：{'、'.join(dupes)}")
