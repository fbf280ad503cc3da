"""A short summary of a report's embedded data, as `selfcheck verify` prints it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from selfcheck.report.data import ReportData


class DataSummary(BaseModel):
    """A short summary of the embedded selfcheck-report JSON."""

    schema_: str = Field(alias="schema")
    report_id: str
    generated_at: datetime
    school: str
    inspection: str
    period: str
    checklists: list[str]
    items: int
    compliant: int
    noncompliant: int
    na: int
    unanswered: int
    score: str
    problems: int
    open_problems: int
    overdue_problems: int
    photos: int
    audit_head: str
    audit_entries: int
    declared_fingerprint: str | None

    model_config = ConfigDict(frozen=True, populate_by_name=True)


def summarize(data: ReportData) -> DataSummary:
    t = data.totals
    overdue = data.overdue_problems()
    return DataSummary(
        schema=data.schema_,
        report_id=str(data.report_id),
        generated_at=data.generated_at,
        school=data.school.name,
        inspection=data.inspection.title,
        period=f"{data.inspection.period_start.isoformat()} 至 {data.inspection.period_end.isoformat()}",
        checklists=[f"{c.id} {c.version}" for c in data.checklists],
        items=t.items, compliant=t.compliant, noncompliant=t.noncompliant, na=t.na, unanswered=t.unanswered,
        score=f"{t.score}/{t.max_score}",
        problems=len(data.problems),
        open_problems=sum(1 for p in data.problems if p.status != "已销号"),
        overdue_problems=len(overdue),
        photos=len(data.photos),
        audit_head=data.audit.hash,
        audit_entries=data.audit.entries,
        declared_fingerprint=data.signer.fingerprint_sha256 if data.signer else None,
    )
