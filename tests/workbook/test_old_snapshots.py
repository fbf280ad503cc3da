"""Checklists v2 never rewrites an old inspection: a snapshot written before parameters, tiers and basis kinds
existed still reads back unchanged, and a new built-in release leaves it alone."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.loader import load_builtin_checklists
from selfcheck.workbook.models import NewInspection
from selfcheck.workbook.service import Workbook

V1_BOOKS = {  # a books checklist as version 2026.1 stored it: no kinds, no parameters, a fixed limit of 1
    "id": "books", "version": "2026.1", "title": "教辅材料征订及课外读物进校园专项自查表", "area": "3", "order": 10,
    "description": None,
    "documents": [{"key": "province", "title": "所在省份中小学教辅材料评议推荐和征订管理规定", "issuer": None,
                   "number": None, "year": None}],
    "sections": [{"id": "supplements", "title": "教辅材料管理", "items": [{
        "id": "BOOK-02", "question": "同一学科同一版本教材，学校代购的教辅材料最多有几套？",
        "guidance": "不超过 1 套（“一教一辅”）为合规。", "evidence": {"description": "征订清单", "photo": "optional"},
        "severity": "较重", "score": 3, "basis": [{"doc": "province", "article": None}],
        "answer": {"type": "number", "unit": "套", "min": None, "max": 1.0, "integer": True}, "show_if": None}]}],
}


def test_a_v1_snapshot_reads_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "w.selfcheck"
    today = date.today()
    with Workbook.create(path, actor="测试") as wb:
        inspection = wb.inspections.create(NewInspection(title="旧自查", period_start=today, period_end=today,
                                                        checklist_ids=["books"]))
    # Put the old snapshot in place, as a workbook made by the previous release holds it.
    conn = sqlite3.connect(path)
    conn.execute("UPDATE checklist_snapshots SET content = ?, version = ? WHERE inspection_id = ?",
                 (json.dumps(V1_BOOKS, ensure_ascii=False), "2026.1", inspection.id))
    conn.commit()
    conn.close()
    with Workbook.open(path, actor="测试") as wb:
        old = wb.inspections.checklists(inspection.id)[0]
        assert old.version == "2026.1" and old.parameters == [] and old.applied is None
        assert old.item("BOOK-02").guidance == "不超过 1 套（“一教一辅”）为合规。"
        assert old.item("BOOK-02").basis[0].kind is None
        assert compliance_of(old.item("BOOK-02"), "2") is Compliance.NONCOMPLIANT
        # A new inspection takes the new release; the old one keeps its snapshot.
        new = wb.inspections.create(NewInspection(title="新自查", period_start=today, period_end=today,
                                                 checklist_ids=["books"]))
        current = next(c.version for c in load_builtin_checklists() if c.id == "books")
        assert current != "2026.1"
        assert wb.inspections.checklists(new.id)[0].version == current
        assert wb.inspections.checklists(inspection.id)[0].version == "2026.1"
