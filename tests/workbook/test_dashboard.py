"""The home page's overview of an inspection agrees with the workbook's own queries, figure by figure."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.workbook.demo import build_demo
from selfcheck.workbook.models import BlockerKind, ProblemStatus, ProblemUpdate
from selfcheck.workbook.service import Workbook


def test_dashboard_matches_the_workbook(tmp_path: Path) -> None:
    path = build_demo(tmp_path / "demo.selfcheck", photos=4)
    with Workbook.open(path, actor="测试") as wb:
        [summary] = wb.inspections.all()
        iid = summary.id
        today = date.today()
        pending = wb.ledger.all(iid, status=ProblemStatus.PENDING)
        wb.ledger.update(pending[0].id, ProblemUpdate(deadline=today + timedelta(days=3)))
        wb.ledger.update(pending[1].id, ProblemUpdate(deadline=today + timedelta(days=8)))  # not within 7 days
        board = wb.inspections.dashboard(iid, today=today)

        assert (board.done, board.total) == (summary.answered, summary.total)
        assert len(board.noncompliant_items) == summary.noncompliant
        answers = wb.answers.all(iid)
        items = {i.id: i for c in wb.inspections.checklists(iid) for i in c.all_items()}
        assert all(compliance_of(items[i], answers[i].value) is Compliance.NONCOMPLIANT
                   for i in board.noncompliant_items)
        assert sorted(board.open_problems) == sorted(
            p.id for p in wb.ledger.all(iid, status=[ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS,
                                                    ProblemStatus.RECTIFIED]))
        assert len(board.open_problems) == summary.open_problems
        assert sorted(board.overdue_problems) == sorted(p.id for p in wb.ledger.all(iid, overdue=True))
        assert board.overdue_problems and len(board.overdue_problems) == summary.overdue_problems
        assert pending[0].id in board.due_soon_problems and pending[1].id not in board.due_soon_problems
        assert board.photos_missing_items == [b.item_id for b in wb.inspections.review(iid) if b.kind is BlockerKind.PHOTO_MISSING]
        progress = wb.inspections.progress(iid)
        by_area = {a.area: a for a in board.areas}
        assert [a.area for a in board.areas] == [a for a in ("1", "3", "N") if a in {c.area for c in progress.checklists}]
        for area, figures in by_area.items():
            mine = [c for c in progress.checklists if c.area == area]
            assert (figures.done, figures.total) == (sum(c.done for c in mine), sum(c.total for c in mine))
        assert sum(a.total for a in board.areas) == board.total
