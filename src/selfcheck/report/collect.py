"""Builds a report's ReportData from an open workbook: the glue between the workbook and the report layers."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from selfcheck import __version__
from selfcheck.checklists.answers import answer_label
from selfcheck.checklists.scoring import counts_as_item, item_outcome
from selfcheck.errors import ReportError
from selfcheck.report.data import (
    AuditHead,
    ChecklistResult,
    FollowUp,
    InspectionInfo,
    ItemResult,
    PhotoInfo,
    Problem,
    ReportData,
    School,
    SectionResult,
)
from selfcheck.workbook.models import PhotoKind
from selfcheck.workbook.service import Workbook

def resolve_inspection(workbook: Workbook, inspection: str | int) -> int:
    """An inspection id from `ID` or `latest` (the newest not archived; the newest of all if every one is)."""
    summaries = workbook.inspections.all(include_archived=True)
    if not summaries:
        raise ReportError("工作簿中还没有自查，无法导出报告。请先新建一次自查。")
    if str(inspection).strip().lower() == "latest":
        current = [s for s in summaries if not s.archived] or summaries
        return max(current, key=lambda s: s.id).id
    try:
        wanted = int(str(inspection).strip().lstrip("#"))
    except ValueError:
        raise ReportError(f"自查编号“{inspection}”无效：请填写数字编号或 latest。") from None
    if wanted not in {s.id for s in summaries}:
        known = "、".join(f"#{s.id}" for s in summaries)
        raise ReportError(f"工作簿中没有编号为 {wanted} 的自查（现有：{known}）。")
    return wanted


def build_report_data(workbook: Workbook, inspection_id: int, *, now: datetime | None = None) -> ReportData:
    """Everything the report says about one inspection, read through the workbook's service API.

    Raises ReportError when the school profile is missing.
    """
    school = workbook.get_school()
    if school is None:
        raise ReportError("尚未填写学校基本信息，无法生成报告。请先在“学校信息”中填写学校名称等信息。")
    inspection = workbook.inspections.get(inspection_id)
    checklists = workbook.inspections.checklists(inspection_id)
    stored = workbook.answers.all(inspection_id)
    values = {item_id: answer.value for item_id, answer in stored.items()}
    not_applicable = inspection.not_applicable

    checklist_results = []
    for checklist in checklists:
        excluded = checklist.id in not_applicable
        sections = []
        for section in checklist.sections:
            items = []
            for item in section.items:
                answer = stored.get(item.id)
                value = None if excluded else values.get(item.id)
                status = item_outcome(item, values, checklist_not_applicable=excluded).value
                items.append(ItemResult(
                    id=item.id,
                    question=item.question,
                    answer_value=value,
                    answer_label="不适用（整份清单）" if excluded else answer_label(item, value),
                    status=status,
                    note=answer.note if answer else "",
                    answered_by=answer.answered_by if answer and answer.value is not None else "",
                    answered_at=answer.answered_at if answer and answer.value is not None else None,
                    severity=item.severity.value,
                    score=item.score,
                    counted=counts_as_item(item, values, checklist_not_applicable=excluded),
                ))
            sections.append(SectionResult.model_validate({"id": section.id, "title": section.title, "items": items}))
        checklist_results.append(ChecklistResult.model_validate({
            "id": checklist.id, "version": checklist.version, "title": checklist.title, "area": checklist.area.value,
            "order": checklist.order, "not_applicable_reason": not_applicable.get(checklist.id), "sections": sections,
        }))

    photos = [p for p in workbook.photos.all(inspection_id)]
    after_by_problem: dict[int, list[int]] = {}
    for photo in photos:
        if photo.kind == PhotoKind.AFTER and photo.problem_id is not None:
            after_by_problem.setdefault(photo.problem_id, []).append(photo.id)
    problems = [
        Problem(
            id=p.id, item_id=p.item_id, checklist_id=p.checklist_id, severity=p.severity, source=p.source.value,
            description=p.description, measures=p.measures, rect_type=p.rect_type.value if p.rect_type else None,
            leader=p.leader, department=p.department, person=p.person, deadline=p.deadline, progress=p.progress,
            done_description=p.done_description, completed_on=p.completed_on, status=p.status.value,
            verified_by=p.verified_by, verified_on=p.verified_on, verification_note=p.verification_note,
            closed_by=p.closed_by, closed_on=p.closed_on,
            follow_ups=[FollowUp(round=f.round, date=f.date, by=f.by, finding=f.finding, result=f.result.value)
                        for f in p.follow_ups],
            after_photo_ids=after_by_problem.get(p.id, []),
        )
        for p in workbook.ledger.all(inspection_id)
    ]
    photo_infos = [
        PhotoInfo(
            id=p.id, kind=p.kind.value, item_id=p.item_id, problem_id=p.problem_id, caption=p.caption,
            captured_at=p.captured_at, imported_at=p.added_at, original_name=p.original_name,
            original_sha256=p.original_sha256, image_sha256=p.image_sha256, width=p.width, height=p.height,
        )
        for p in photos
    ]
    head, entries = workbook.audit.head()
    return ReportData.model_validate({
        "report_id": uuid.uuid4(),
        "generated_at": now or datetime.now().astimezone().replace(microsecond=0),
        "generator": f"SelfCheck {__version__}",
        "school": School(**school.model_dump()),
        "inspection": InspectionInfo(
            id=inspection.id, title=inspection.title, period_start=inspection.period_start,
            period_end=inspection.period_end, team=inspection.team, created_at=inspection.created_at,
        ),
        "checklists": checklist_results,
        "problems": problems,
        "photos": photo_infos,
        "audit": AuditHead(hash=head, entries=entries),
    })


class WorkbookPhotoLoader:
    """Reads stored JPEGs from a workbook opened read-only on first use; close() releases it."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._workbook: Workbook | None = None

    def __call__(self, photo_id: int) -> bytes:
        if self._workbook is None:
            self._workbook = Workbook.open(self._path, actor="报告导出", read_only=True)
        return self._workbook.photos.image(photo_id)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def collect_report_data(workbook_path: Path, inspection: int | str) -> tuple[ReportData, WorkbookPhotoLoader]:
    """Read one inspection (an id, or "latest") from the workbook at `workbook_path`.

    Returns the report data and a photo loader (close it when done). Raises WorkbookError for a missing,
    damaged or newer workbook and ReportError for an unknown inspection or a missing school profile.
    """
    with Workbook.open(workbook_path, actor="报告导出", read_only=True) as workbook:
        data = build_report_data(workbook, resolve_inspection(workbook, inspection))
    return data, WorkbookPhotoLoader(workbook_path)
