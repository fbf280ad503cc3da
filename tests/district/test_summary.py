"""The summaries equal what a reader computes independently from the accepted reports' JSON."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from selfcheck.district.workspace import DistrictWorkspace
from selfcheck.report.data import ReportData
from tests.district.fixtures import DistrictFiles, make_workspace


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory, district_files: DistrictFiles) -> Path:
    """A workspace that received A's first report, B's and a forgery, then A's newer report; 003 sent nothing."""
    folder = tmp_path_factory.mktemp("summary")
    path = make_workspace(folder, district_files)
    with DistrictWorkspace.open(path) as ws:
        ws.reports.receive([district_files.a1.path, district_files.b1.path, district_files.forged.path], workers=1)
    with DistrictWorkspace.open(path) as ws:  # reopened: the newer report of A arrives later
        ws.reports.receive([district_files.a2.path], workers=1)
    return path


def counting(ws: DistrictWorkspace) -> list[ReportData]:
    campaign = ws.campaigns.current().id
    return [ReportData.from_json(data) for _, data in ws.reports.counting_data(campaign)]


def test_roster_status_and_the_schools_to_urge(received: Path, district_files: DistrictFiles) -> None:
    with DistrictWorkspace.open(received, read_only=True) as ws:
        campaign = ws.campaigns.current().id
        status = {s.school.code: s for s in ws.summary.roster_status(campaign)}
        assert status["001"].state == "received"
        assert status["001"].report_id == str(district_files.a2.data.report_id)
        assert status["002"].state == "received"
        assert status["003"].state == "missing" and status["003"].last_report_at is None
        assert [s.school.code for s in ws.summary.to_urge(campaign)] == ["003"]


def test_comparison_equals_the_json(received: Path) -> None:
    with DistrictWorkspace.open(received, read_only=True) as ws:
        rows = {(r.school_name, r.area): r for r in ws.summary.comparison(ws.campaigns.current().id)}
        reports = counting(ws)
    assert len(reports) == 2
    expected = {}
    for data in reports:
        for area in data.areas:
            expected[(data.school.name, area.area)] = area.tally
        expected[(data.school.name, "total")] = data.totals
        open_ = sum(1 for p in data.problems if p.status != "已销号")
        overdue = sum(1 for p in data.problems if p.deadline and p.status in ("待整改", "整改中")
                      and p.deadline < data.generated_at.date())
        row = rows[(data.school.name, "total")]
        assert (row.open_problems, row.overdue_problems) == (open_, overdue)
    assert set(rows) == set(expected)
    for key, tally in expected.items():
        row = rows[key]
        answered = tally.items - tally.unanswered
        assert (row.items, row.answered, row.noncompliant, row.score, row.max_score) == (
            tally.items, answered, tally.noncompliant, tally.score, tally.max_score)
        assert row.score_rate == pytest.approx(tally.score / tally.max_score)


def test_failing_items_equal_the_json(received: Path) -> None:
    with DistrictWorkspace.open(received, read_only=True) as ws:
        items = ws.summary.failing_items(ws.campaigns.current().id)
        reports = counting(ws)
    expected: dict[str, list[int]] = {}
    for data in reports:
        for checklist in data.checklists:
            for item in checklist.items():
                counts = expected.setdefault(item.id, [0, 0])
                counts[0] += item.status == "noncompliant"
                counts[1] += item.status in ("compliant", "noncompliant")
    assert {i.item_id: [i.schools_noncompliant, i.schools_reporting] for i in items} == expected
    titles = {c.id: c.title for data in reports for c in data.checklists}
    assert {(i.checklist_id, i.checklist_title) for i in items} == set(titles.items())  # titles, not only "meals"


def _before_checklist_titles(received: Path, tmp_path: Path) -> Path:
    """A copy of `received` as the previous SelfCheck left it: schema v1, items without checklist titles."""
    import shutil
    import sqlite3

    old = tmp_path / "旧版.district"
    shutil.copy(received, old)
    with sqlite3.connect(old) as conn:
        conn.execute("ALTER TABLE report_items DROP COLUMN checklist_title")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    return old


def test_a_workspace_from_before_checklist_titles_gets_them_from_its_reports(received: Path, tmp_path: Path) -> None:
    """A version-1 workspace (items indexed without checklist titles) is upgraded on opening: the titles come
    from the reports it already holds, nothing is received again."""
    old = _before_checklist_titles(received, tmp_path)
    with DistrictWorkspace.open(old) as ws:
        items = ws.summary.failing_items(ws.campaigns.current().id)
        titles = {c.id: c.title for data in counting(ws) for c in data.checklists}
    assert items and {(i.checklist_id, i.checklist_title) for i in items} == set(titles.items())
    assert [i.schools_noncompliant for i in items] == sorted((i.schools_noncompliant for i in items), reverse=True)


def test_rectification_lists_every_problem_overdue_first(received: Path) -> None:
    with DistrictWorkspace.open(received, read_only=True) as ws:
        problems = ws.summary.rectification(ws.campaigns.current().id)
        reports = counting(ws)
    assert sorted((p.school_name, p.problem_id, p.status) for p in problems) == sorted(
        (d.school.name, p.id, p.status) for d in reports for p in d.problems)
    flags = [p.overdue for p in problems]
    assert any(flags) and flags == sorted(flags, reverse=True)
    expected_overdue = {(d.school.name, p.id) for d in reports for p in d.overdue_problems()}
    assert {(p.school_name, p.problem_id) for p in problems if p.overdue} == expected_overdue


def test_overview_adds_up(received: Path) -> None:
    with DistrictWorkspace.open(received, read_only=True) as ws:
        overview = ws.summary.overview(ws.campaigns.current().id)
        reports = counting(ws)
    assert (overview.schools, overview.received, overview.late, overview.missing, overview.rejected) == (3, 2, 0, 1, 0)
    assert overview.accepted_reports == 2 and overview.rejected_files == 1
    assert overview.problems == sum(len(d.problems) for d in reports)
    assert overview.closed_problems == sum(1 for d in reports for p in d.problems if p.status == "已销号")
    rates = [d.totals.score / d.totals.max_score for d in reports]
    assert overview.average_score_rate == pytest.approx(sum(rates) / len(rates))


def test_a_report_signed_after_the_deadline_is_late(tmp_path: Path, district_files: DistrictFiles) -> None:
    deadline = datetime.now().astimezone() - timedelta(days=1)
    with DistrictWorkspace.open(make_workspace(tmp_path, district_files, deadline=deadline)) as ws:
        ws.reports.receive([district_files.b1.path], workers=1)
        campaign = ws.campaigns.current().id
        status = {s.school.code: s.state for s in ws.summary.roster_status(campaign)}
        assert status == {"001": "missing", "002": "late", "003": "missing"}
        assert [s.school.code for s in ws.summary.to_urge(campaign)] == ["001", "003", "002"]


def test_comparison_filters_by_stage_and_zone(received: Path) -> None:
    with DistrictWorkspace.open(received, read_only=True) as ws:
        campaign = ws.campaigns.current().id
        assert {r.school_code for r in ws.summary.comparison(campaign, stage="小学")} == {"002"}
        assert {r.school_code for r in ws.summary.comparison(campaign, zone="城东学区")} == {"001"}
        assert ws.summary.comparison(campaign, stage="高中") == []
        assert ws.summary.stages() == ["初中", "小学", "幼儿园"]


def test_an_older_workspace_reads_read_only_without_being_changed(received: Path, tmp_path: Path) -> None:
    """`district summary` or a second window opens a workspace read-only: one from before checklist titles is read
    through an upgraded copy in memory, and the file itself stays exactly as it was (no backup, no upgrade)."""
    old = _before_checklist_titles(received, tmp_path)
    before = old.read_bytes()
    with DistrictWorkspace.open(old, read_only=True) as ws:
        items = ws.summary.failing_items(ws.campaigns.current().id)
        titles = {c.id: c.title for data in counting(ws) for c in data.checklists}
    assert items and {(i.checklist_id, i.checklist_title) for i in items} == set(titles.items())
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".district") == ["旧版.district"]  # no backup
