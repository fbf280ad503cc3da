"""The report says which parameter values and which district pack an inspection used, each item's bases with
their kinds, and the tier reached; a pack imported later never changes an inspection already started."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from selfcheck.checklists.loader import load_checklists
from selfcheck.checklists.models import PackRef
from selfcheck.report.collect import build_report_data
from selfcheck.workbook.models import NewInspection, SchoolProfile
from selfcheck.workbook.service import Workbook
from tests.checklists.test_tiers import _checklist
from selfcheck.checklists.parameters import resolve_checklist


def test_pack_values_are_recorded_in_the_snapshot_and_the_report(tmp_path: Path) -> None:
    pack = PackRef(name="某区清单包", version="2026.1")
    with_pack = load_checklists(values={"一教一辅上限": 2}, pack=pack)
    defaults = load_checklists()
    with Workbook.create(tmp_path / "w.selfcheck", actor="测试") as wb:
        wb.save_school(SchoolProfile(name="某小学"))
        today = date.today()
        first = wb.inspections.create(NewInspection(title="用包", period_start=today, period_end=today,
                                                   checklist_ids=["books"]), available=with_pack)
        second = wb.inspections.create(NewInspection(title="默认", period_start=today, period_end=today,
                                                    checklist_ids=["books"]), available=defaults)
        wb.answers.set(first.id, "BOOK-02", "2")
        wb.answers.set(second.id, "BOOK-02", "2")
        packed = build_report_data(wb, first.id)
        plain = build_report_data(wb, second.id)
        # The snapshot keeps its values: reading the first inspection again gives the pack's limit.
        assert "不超过 2 套" in wb.inspections.checklists(first.id)[0].item("BOOK-02").guidance
    books = packed.checklists[0]
    assert books.pack == "某区清单包 2026.1"
    assert [(p.name, p.value, p.unit) for p in books.parameters] == [("一教一辅上限", 2, "套")]
    assert "区县清单包" in books.parameters[0].source
    item = next(i for i in books.items() if i.id == "BOOK-02")
    assert item.status == "compliant"
    assert {b.kind for b in item.basis} >= {"地方文件"}
    plain_books = plain.checklists[0]
    assert plain_books.pack is None and plain_books.parameters[0].source.startswith("默认值")
    assert next(i for i in plain_books.items() if i.id == "BOOK-02").status == "noncompliant"
    assert packed.model_dump_json()  # serialises, and reads back
    assert type(packed).model_validate_json(packed.model_dump_json()) == packed


def test_tier_in_the_report(tmp_path: Path) -> None:
    tiered = resolve_checklist(_checklist())
    with Workbook.create(tmp_path / "t.selfcheck", actor="测试") as wb:
        wb.save_school(SchoolProfile(name="某小学"))
        today = date.today()
        inspection = wb.inspections.create(NewInspection(title="分档", period_start=today, period_end=today,
                                                        checklist_ids=[tiered.id]), available=[tiered])
        for n in range(1, 11):
            wb.answers.set(inspection.id, f"TD-{n:02d}", "否" if n <= 2 else "是")
        data = build_report_data(wb, inspection.id)
        wb.answers.set(inspection.id, "TD-10", "不适用")
        wb.answers.set(inspection.id, "TD-03", "否")
        lower = build_report_data(wb, inspection.id)
    assert data.checklists[0].tier == "规范"  # 80 %
    assert lower.checklists[0].tier == "达标"  # 60 of 90 = 66.7 %
