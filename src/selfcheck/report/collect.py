"""Fills ReportData from a workbook: the glue between the workbook service and the report (to be wired by the lead)."""

from __future__ import annotations

from pathlib import Path

from selfcheck.errors import ReportError
from selfcheck.report.appendix import PhotoLoader
from selfcheck.report.data import ReportData


def collect_report_data(workbook_path: Path, inspection: int | str) -> tuple[ReportData, PhotoLoader]:
    """Read one inspection from the workbook at `workbook_path` and return its ReportData and a photo loader.

    `inspection` is an inspection id or "latest" (the most recently created, not archived inspection).
    What it must do once the workbook service exists:

    - open the workbook read-only; WorkbookError for a missing/corrupt file, ReportError「找不到自查 …」 for an
      unknown inspection id, ReportError when the workbook has no school profile;
    - school: SchoolProfile → School (name, stage, province, city, county, principal, preparer, phone);
    - inspection: id, title, period_start/end, team, created_at; finished_at = None unless the workbook tracks it;
    - per checklist of the inspection, in the inspection's order, using the checklist version snapshot the
      inspection stored (not the current files): ChecklistResult(id, version, title, area, order,
      not_applicable_reason=inspection.not_applicable.get(id)), sections with ItemResult per item:
      answer_value (stored value or None), answer_label (checklists.answers.answer_label), status
      (checklists.scoring.item_outcome — hidden show_if items are "na"; whole-checklist 不适用 makes every item "na"),
      note, answered_by, answered_at, severity (Severity.value), score (item.score). Leave tallies out: the model
      computes them, and they equal checklists.scoring;
    - problems: every problem of the inspection (ledger fields map one to one; status/rect_type/source are the
      workbook enums' Chinese values; follow_ups → FollowUp(round, date, by, finding, result.value);
      after_photo_ids = ids of the problem's non-removed "after" photos);
    - photos: non-removed photos of the inspection → PhotoInfo(id, kind, item_id, problem_id, caption, captured_at,
      imported_at=added_at, original_name, original_sha256, image_sha256, width, height);
    - audit: AuditHead(hash=<chain head>, entries=<entry count>);
    - report_id = uuid4(), generated_at = now (aware, local zone), generator = f"SelfCheck {__version__}";
    - photo_loader(photo_id) returns the stored JPEG bytes (service.photo_image); it may be called after this
      function returns, so keep what it needs open or read the bytes lazily from a fresh read-only connection.
    """
    raise ReportError("工作簿模块尚未就绪，暂时无法从工作簿导出报告。")
