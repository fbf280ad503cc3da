"""CSV of every answer of every counting report: one row per school × item, UTF-8 with BOM (Excel/WPS open it
directly), for provincial platforms and for loading into any analytics engine."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from selfcheck.district.output import atomic_target, check_target

HEADER = ("学校代码", "学校名称", "学段", "学区/片区", "报告编号", "签名时间", "清单编号", "清单名称", "清单版本", "领域", "检查项编号",
          "检查项", "结论", "结论代码", "答案", "答案代码", "情况说明", "严重程度", "分值")
STATUS_LABELS = {"compliant": "合规", "noncompliant": "不合规", "na": "不适用", "unanswered": "未作答"}

def export_csv(ws: Any, campaign_id: int | None, out: Path | str) -> int:
    """Write the CSV; returns the number of data rows. Streams from the database (memory stays flat)."""
    out = check_target(out, ".csv")
    rows = 0
    with atomic_target(out) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for (code, name, stage, zone, report_id, signed_at, checklist, title, version, area, item, question, status,
             label, value, note, severity, score) in ws.summary.answer_rows(campaign_id):
            writer.writerow((code, name, stage, zone, report_id, signed_at or "", checklist, title, version,
                             area, item, question, STATUS_LABELS.get(status, status), status, label, value or "", note,
                             severity, score))
            rows += 1
    return rows
