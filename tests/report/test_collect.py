"""Report data collected from a real workbook agrees with what the workbook holds, to the point."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from selfcheck.errors import ReportError
from selfcheck.report.collect import build_report_data, collect_report_data, resolve_inspection
from selfcheck.report.data import ReportData
from selfcheck.workbook.demo import build_demo
from selfcheck.workbook.models import InspectionUpdate, NewInspection, SchoolProfile
from selfcheck.workbook.service import Workbook
from tests.checklists.test_scoring import KNOWN_ANSWERS, KNOWN_NOT_APPLICABLE, known_checklists

TALLY_KEYS = ["items", "compliant", "noncompliant", "na", "unanswered", "max_score", "deducted", "score", "answered",
              "excluded"]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("collect") / "demo.selfcheck", photos=4)


def test_collected_data_matches_the_workbook(demo_path: Path) -> None:
    data, loader = collect_report_data(demo_path, "latest")
    try:
        with Workbook.open(demo_path, actor="测试", read_only=True) as wb:
            inspection_id = resolve_inspection(wb, "latest")
            checklists = wb.inspections.checklists(inspection_id)
            assert data.school.name == wb.get_school().name
            assert [c.id for c in data.checklists] == [c.id for c in checklists]
            assert data.totals.items + data.totals.excluded == sum(len(c.all_items()) for c in checklists)
            progress = wb.inspections.progress(inspection_id)
            assert (data.totals.answered, data.totals.items) == (progress.done, progress.total)
            problems = wb.ledger.all(inspection_id)
            assert [p.id for p in data.problems] == [p.id for p in problems]
            assert {p.status for p in data.problems} == {p.status.value for p in problems}
            photos = wb.photos.all(inspection_id)
            assert [p.image_sha256 for p in data.photos] == [p.image_sha256 for p in photos]
            assert (data.audit.hash, data.audit.entries) == wb.audit.head()
            assert loader(photos[0].id) == wb.photos.image(photos[0].id)
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
        inspection = wb.inspections.create(NewInspection(title="自查", period_start=today, period_end=today,
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
        inspection = wb.inspections.create(NewInspection(
            title="自查", period_start=today, period_end=today, checklist_ids=["meals", "fees"],
            not_applicable={"meals": "学校不设食堂，学生不在校就餐"}))
        data = build_report_data(wb, inspection.id)
    meals = next(c for c in data.checklists if c.id == "meals")
    assert meals.not_applicable_reason == "学校不设食堂，学生不在校就餐"
    assert all(item.status == "na" for item in meals.items())
    assert meals.tally.max_score == 0


def _known_inspection(wb: Workbook) -> int:
    """The inspection of tests/checklists/test_scoring.py, entered the way a user would."""
    wb.save_school(SchoolProfile(name="已知小学"))
    available = known_checklists()
    inspection = wb.inspections.create(NewInspection(
        title="已知自查", period_start=date(2026, 9, 1), period_end=date(2026, 10, 31),
        checklist_ids=[c.id for c in available]), available=available)
    for item_id, value in [("CAN-01", "是"), ("CAN-02", "承包"), ("CAN-03", "不供餐"), ("CAN-04", "45"),
                           ("CAN-05", "是"), ("CAN-06", "否"), ("CAN-05", "否"), ("CAN-08", "不适用"),
                           ("UNI-01", "是"), ("FEE-01", "否"), ("FEE-03", "是"), ("ETH-01", "否"), ("ETH-02", "是")]:
        wb.answers.set(inspection.id, item_id, value)
    wb.inspections.update(inspection.id, InspectionUpdate(not_applicable=KNOWN_NOT_APPLICABLE), available=available)
    stored = {k: a.value for k, a in wb.answers.all(inspection.id).items() if a.value is not None}
    assert stored == KNOWN_ANSWERS
    return inspection.id


def _tally(*numbers: int) -> dict[str, int]:
    return dict(zip(TALLY_KEYS, numbers, strict=True))


def test_known_inspection_counts_in_the_attachment(tmp_path: Path) -> None:
    with Workbook.create(tmp_path / "known.selfcheck", actor="测试") as wb:
        inspection_id = _known_inspection(wb)
        data = build_report_data(wb, inspection_id, now=datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc))
    text = data.to_json()
    payload = json.loads(text)

    assert [c["id"] for c in payload["checklists"]] == ["fees", "canteen", "ethics", "uniforms"]
    statuses = {i["id"]: i["status"] for c in payload["checklists"] for s in c["sections"] for i in s["items"]}
    assert statuses == {
        "FEE-01": "na", "FEE-02": "na", "FEE-03": "na",  # the whole checklist is 不适用, answers or not
        "CAN-01": "compliant", "CAN-02": "noncompliant", "CAN-03": "na", "CAN-04": "noncompliant",
        "CAN-05": "noncompliant", "CAN-06": "na", "CAN-07": "unanswered", "CAN-08": "na",
        "ETH-01": "noncompliant", "ETH-02": "compliant", "UNI-01": "compliant", "UNI-02": "unanswered"}
    sections = {s["id"]: s["tally"] for c in payload["checklists"] for s in c["sections"]}
    # Items of the 不适用 checklist and the hidden CAN-06 are excluded; unanswered items earn nothing.
    assert sections == {
        "charges": _tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 2),
        "refunds": _tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
        "supply": _tally(4, 1, 2, 1, 0, 10, 8, 2, 4, 0),
        "hygiene": _tally(3, 0, 1, 1, 1, 4, 4, 0, 2, 1),
        "conduct": _tally(2, 1, 1, 0, 0, 10, 0, 10, 2, 0),
        "buy": _tally(2, 1, 0, 0, 1, 3, 0, 3, 1, 0),
    }
    assert {c["id"]: c["tally"] for c in payload["checklists"]} == {
        "fees": _tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 3),
        "canteen": _tally(7, 1, 3, 2, 1, 14, 12, 2, 6, 1),
        "ethics": _tally(2, 1, 1, 0, 0, 10, 0, 10, 2, 0),
        "uniforms": _tally(2, 1, 0, 0, 1, 3, 0, 3, 1, 0),
    }
    assert [(a["area"], a["checklist_ids"], a["tally"]) for a in payload["areas"]] == [
        ("1", ["canteen"], _tally(7, 1, 3, 2, 1, 14, 12, 2, 6, 1)),
        ("3", ["uniforms"], _tally(2, 1, 0, 0, 1, 3, 0, 3, 1, 0)),
        ("N", ["fees", "ethics"], _tally(2, 1, 1, 0, 0, 10, 0, 10, 2, 3)),
    ]
    assert payload["totals"] == _tally(11, 3, 4, 2, 2, 27, 12, 15, 9, 4)
    counted = {i["id"]: i["counted"] for c in payload["checklists"] for s in c["sections"] for i in s["items"]}
    assert sorted(k for k, v in counted.items() if not v) == ["CAN-06", "FEE-01", "FEE-02", "FEE-03"]
    # The attachment's key order is part of the format: every tally is written in the same order.
    assert list(payload["totals"]) == TALLY_KEYS
    assert all(list(c["tally"]) == TALLY_KEYS for c in payload["checklists"])
    fees = next(c for c in data.checklists if c.id == "fees")
    assert fees.not_applicable_reason == KNOWN_NOT_APPLICABLE["fees"]
    assert [i.answer_value for i in fees.items()] == [None, None, None]
    assert ReportData.from_json(text).to_json() == text


def test_problems_of_items_counted_not_applicable_are_not_listed(tmp_path: Path) -> None:
    """FEE-01 (its checklist later marked 不适用) and CAN-06 (later hidden by show_if) were answered 否 first."""
    with Workbook.create(tmp_path / "known.selfcheck", actor="测试") as wb:
        inspection_id = _known_inspection(wb)
        data = build_report_data(wb, inspection_id, now=datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc))
        assert wb.audit.verify().ok
    statuses = {item.id: item.status for c in data.checklists for item in c.items()}
    assert sorted(p.item_id for p in data.problems) == ["CAN-02", "CAN-04", "CAN-05", "ETH-01"]
    assert all(statuses[p.item_id] == "noncompliant" for p in data.problems)


def test_a_worked_on_problem_of_a_not_applicable_checklist_stays_listed(tmp_path: Path) -> None:
    from selfcheck.workbook.models import ProblemUpdate

    with Workbook.create(tmp_path / "na.selfcheck", actor="测试") as wb:
        wb.save_school(SchoolProfile(name="已知小学"))
        available = known_checklists()
        inspection = wb.inspections.create(NewInspection(
            title="自查", period_start=date(2026, 9, 1), period_end=date(2026, 10, 31),
            checklist_ids=[c.id for c in available]), available=available)
        wb.answers.set(inspection.id, "FEE-01", "否")
        worked = wb.answers.set(inspection.id, "FEE-02", "否").problem
        wb.ledger.update(worked.id, ProblemUpdate(measures="已清退违规收费", person="李明"))
        wb.inspections.update(inspection.id, InspectionUpdate(not_applicable={"fees": "本校不收费"}),
                             available=available)
        data = build_report_data(wb, inspection.id)
    fees = next(c for c in data.checklists if c.id == "fees")
    assert all(item.status == "na" for item in fees.items())
    # The untouched FEE-01 problem is gone; the one somebody worked on stays in the ledger and the report.
    assert [(p.id, p.item_id, p.measures) for p in data.problems] == [(worked.id, "FEE-02", "已清退违规收费")]


def test_one_count_of_items_in_the_app_the_report_the_json_and_the_cli(tmp_path: Path, capsys) -> None:
    """The known inspection has 11 items (4 excluded), 9 answered: every place that counts says so."""
    import subprocess

    from selfcheck.cli.main import run as cli_main
    from selfcheck.gui.fill_in.state import InspectionState
    from selfcheck.report.pdf import build_pdf

    path = tmp_path / "known.selfcheck"
    with Workbook.create(path, actor="测试") as wb:
        inspection_id = _known_inspection(wb)
        app = InspectionState.load(wb, inspection_id).inspection_tally()
        progress = wb.inspections.progress(inspection_id)
        data = build_report_data(wb, inspection_id)
    payload = json.loads(data.to_json())["totals"]
    capsys.readouterr()
    assert cli_main(["workbook", "info", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["inspections"][0]
    assert (app.answered, app.total) == (9, 11)
    assert (progress.done, progress.total) == (9, 11)
    assert (data.totals.answered, data.totals.items) == (9, 11)
    assert (payload["answered"], payload["items"]) == (9, 11)
    assert (listed["answered"], listed["total"]) == (9, 11)
    assert cli_main(["workbook", "info", str(path)]) == 0
    assert "已完成 9/11" in capsys.readouterr().out

    pdf = tmp_path / "known.pdf"
    pdf.write_bytes(build_pdf(data, lambda _pid: b"").pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert "共11个检查项" in flat and "已完成9/11" in flat and "【未完成】" in flat
    # (not a bare "155": the report number, a random UUID printed on every page, may contain it)
    assert "155个" not in flat and "155项" not in flat and "共15个检查项" not in flat
