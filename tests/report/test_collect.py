"""Report data collected from a real workbook agrees with what the workbook holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from selfcheck.checklists.scoring import score_inspection
from selfcheck.errors import ReportError
from selfcheck.report.collect import build_report_data, collect_report_data, resolve_inspection
from selfcheck.report.data import ReportData
from selfcheck.workbook.demo import build_demo
from selfcheck.workbook.models import NewInspection
from selfcheck.workbook.service import Workbook


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("collect") / "demo.selfcheck", photos=4)


def test_collected_data_matches_the_workbook(demo_path: Path) -> None:
    data, loader = collect_report_data(demo_path, "latest")
    try:
        with Workbook.open(demo_path, actor="测试", read_only=True) as wb:
            inspection_id = resolve_inspection(wb, "latest")
            checklists = wb.inspection_checklists(inspection_id)
            answers = {k: a.value for k, a in wb.answers(inspection_id).items()}
            expected = score_inspection(checklists, answers, wb.get_inspection(inspection_id).not_applicable)
            assert data.school.name == wb.get_school().name
            assert [c.id for c in data.checklists] == [c.id for c in checklists]
            assert data.totals.compliant == expected.tally.compliant
            assert data.totals.noncompliant == expected.tally.noncompliant
            assert data.totals.unanswered == expected.tally.unanswered
            assert data.totals.score == expected.tally.score
            problems = wb.problems(inspection_id)
            assert [p.id for p in data.problems] == [p.id for p in problems]
            assert {p.status for p in data.problems} == {p.status.value for p in problems}
            photos = wb.photos(inspection_id)
            assert [p.image_sha256 for p in data.photos] == [p.image_sha256 for p in photos]
            assert (data.audit.hash, data.audit.entries) == wb.audit_head()
            assert loader(photos[0].id) == wb.photo_image(photos[0].id)
    finally:
        loader.close()
    # The JSON attachment round-trips.
    assert ReportData.from_json(data.to_json()) == data


def test_unknown_inspection_and_bad_id(demo_path: Path) -> None:
    with pytest.raises(ReportError, match="没有编号为 99"):
        collect_report_data(demo_path, 99)
    with pytest.raises(ReportError, match="无效"):
        collect_report_data(demo_path, "第一次")


def test_missing_school_profile_is_explained(tmp_path: Path) -> None:
    with Workbook.create(tmp_path / "empty.selfcheck", actor="测试") as wb:
        today = date.today()
        inspection = wb.create_inspection(NewInspection(title="自查", period_start=today, period_end=today,
                                                        checklist_ids=["meals"]))
        with pytest.raises(ReportError, match="学校基本信息"):
            build_report_data(wb, inspection.id)


def test_workbook_without_inspections(tmp_path: Path) -> None:
    with Workbook.create(tmp_path / "new.selfcheck", actor="测试") as wb, pytest.raises(ReportError, match="还没有自查"):
        resolve_inspection(wb, "latest")


def test_whole_checklist_not_applicable(tmp_path: Path) -> None:
    from selfcheck.workbook.models import SchoolProfile

    with Workbook.create(tmp_path / "na.selfcheck", actor="测试") as wb:
        wb.save_school(SchoolProfile(name="无食堂小学"))
        today = date.today()
        inspection = wb.create_inspection(NewInspection(
            title="自查", period_start=today, period_end=today, checklist_ids=["meals", "fees"],
            not_applicable={"meals": "学校不设食堂，学生不在校就餐"}))
        data = build_report_data(wb, inspection.id)
    meals = next(c for c in data.checklists if c.id == "meals")
    assert meals.not_applicable_reason == "学校不设食堂，学生不在校就餐"
    assert all(item.status == "na" for item in meals.items())
    assert meals.tally.max_score == 0
