"""The start-up snapshot of the home page: what it holds, and that it is used only while it is the workbook's
current state — never after any write, whatever made it, on another day, by another app version, for another file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from selfcheck.checklists.models import Checklist
from selfcheck.workbook import glance
from selfcheck.workbook.glance import change_stamp, read_current, snapshot_file
from selfcheck.workbook.models import (
    FollowUp,
    InspectionUpdate,
    NewInspection,
    NewProblem,
    ProblemUpdate,
    RectificationType,
    SchoolProfile,
    StepData,
)
from selfcheck.workbook.service import Workbook
from tests.fresh_python import fresh_python_output
from tests.workbook.conftest import ACTOR, jpeg_bytes

TODAY = date.today()
PLAN = StepData(measures="修订制度并公示", rect_type=RectificationType.IMMEDIATE, leader="王校长", department="总务处",
                person="李明", deadline=TODAY + timedelta(days=3))
DONE = StepData(done_description="制度已修订并上墙", completed_on=TODAY - timedelta(days=1))


def keep(wb: Workbook, folder: Path) -> glance.Glance:
    """What the app does when it has read a workbook's home page: keep its snapshot."""
    stamp = change_stamp(wb.db)
    latest = wb.inspections.latest_id()
    board = wb.inspections.dashboard(latest, today=TODAY) if latest is not None else None
    snapshot = glance.capture(wb, stamp=stamp, today=TODAY, inspections=wb.inspections.all(), latest_id=latest,
                              dashboard=board)
    assert snapshot is not None and glance.save(snapshot, folder)
    return snapshot


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def ids(wb: Workbook, inspection_id: int, checklists: list[Checklist]) -> dict[str, int]:
    """A lived-in workbook: school, two inspections (one archived), answers, problems in several states, photos."""
    wb.save_school(SchoolProfile(name="城关第一小学", stage="小学", county="城关区", principal="王校长", preparer="李老师"))
    wb.answers.set(inspection_id, "TST-03", "self", note="自主经营")
    pending = wb.answers.set(inspection_id, "TST-01", "否").problem
    rectified = wb.answers.set(inspection_id, "TST-08", "否").problem
    wb.ledger.update(pending.id, ProblemUpdate(deadline=TODAY - timedelta(days=2)))  # overdue
    wb.ledger.advance(rectified.id, "整改中", PLAN)
    wb.ledger.advance(rectified.id, "已整改", DONE)
    photo = wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes(), "现场.jpg", caption="制度")
    removed = wb.photos.add_bytes(inspection_id, "TST-02", jpeg_bytes(colour=(0, 90, 0)), "旧.jpg")
    wb.photos.remove(removed.id)
    manual = wb.ledger.add(inspection_id, NewProblem(description="误录的问题"))
    archived = wb.inspections.create(NewInspection(
        title="去年的自查", period_start=date(2025, 9, 1), period_end=date(2025, 12, 31), checklist_ids=["tst"]),
        available=checklists).id
    wb.inspections.set_archived(archived, True)
    return {"inspection": inspection_id, "pending": pending.id, "rectified": rectified.id, "photo": photo.id,
            "removed": removed.id, "archived": archived, "manual": manual.id}


@pytest.fixture
def kept(wb: Workbook, ids: dict[str, int], folder: Path, wb_path: Path) -> Path:
    """The workbook closed with its snapshot kept: the next start may use it."""
    keep(wb, folder)
    wb.close()
    assert read_current(wb_path, folder) is not None
    return wb_path


def test_the_snapshot_holds_what_the_home_page_shows(wb: Workbook, ids: dict[str, int], folder: Path,
                                                       wb_path: Path) -> None:
    expected = keep(wb, folder)
    summaries = wb.inspections.all()
    board = wb.inspections.dashboard(ids["inspection"])
    wb.close()
    snapshot = read_current(wb_path, folder)
    assert snapshot == expected
    assert snapshot.school is not None and (snapshot.school.name, snapshot.school.county) == ("城关第一小学", "城关区")
    assert [line.id for line in snapshot.inspections] == [s.id for s in summaries] == [ids["inspection"]]
    [line], [summary] = snapshot.inspections, summaries
    for name in ("title", "period_start", "period_end", "archived", "answered", "total", "noncompliant",
                 "open_problems", "overdue_problems", "photos", "updated_at"):
        assert getattr(line, name) == getattr(summary, name), name
    assert (line.open_problems, line.overdue_problems, line.photos) == (3, 1, 1)
    assert snapshot.latest_id == ids["inspection"] and snapshot.dashboard == board
    assert snapshot.dashboard.overdue_problems == [ids["pending"]]


def _raw_sql(path: Path) -> None:  # a database tool, not SelfCheck
    conn = sqlite3.connect(path)
    conn.execute("UPDATE school SET phone = '0571-1234567'")
    conn.commit()
    conn.close()


def _photo_file(wb: Workbook) -> Path:
    path = wb.path.parent / "现场照片.jpg"
    path.write_bytes(jpeg_bytes(colour=(120, 120, 0)))
    return path


def _normalized() -> object:
    from selfcheck.evidence.photos import normalize_photo_bytes

    return normalize_photo_bytes(jpeg_bytes(colour=(0, 0, 90)), "粘贴.jpg")


# Every way the Workbook writes: (the method, the case). Each case gets the open workbook and the fixture's ids.
WRITES: list[tuple[str, str, Callable[[Workbook, dict[str, int]], object]]] = [
    ("answers.set", "answer", lambda wb, i: wb.answers.set(i["inspection"], "TST-04", "6")),
    ("answers.set", "answer changed", lambda wb, i: wb.answers.set(i["inspection"], "TST-03", "outsourced")),
    ("answers.set", "same answer, new note", lambda wb, i: wb.answers.set(i["inspection"], "TST-03", "self",
                                                                          note="另有说明")),
    ("answers.set_note", "note", lambda wb, i: wb.answers.set_note(i["inspection"], "TST-04", "下学期补课时")),
    ("answers.clear", "answer cleared", lambda wb, i: wb.answers.clear(i["inspection"], "TST-03")),
    ("photos.add", "photo file", lambda wb, i: wb.photos.add(i["inspection"], "TST-06", _photo_file(wb))),
    ("photos.add_bytes", "photo pasted", lambda wb, i: wb.photos.add_bytes(i["inspection"], "TST-06",
                                                                          jpeg_bytes(colour=(9, 9, 200)), "新.jpg")),
    ("photos.add_normalized", "photo imported",
     lambda wb, i: wb.photos.add_normalized(i["inspection"], "TST-07", _normalized())),
    ("photos.set_caption", "photo caption", lambda wb, i: wb.photos.set_caption(i["photo"], "制度上墙")),
    ("photos.remove", "photo removed", lambda wb, i: wb.photos.remove(i["photo"])),
    ("photos.restore", "photo restored", lambda wb, i: wb.photos.restore(i["removed"])),
    ("ledger.add", "problem added", lambda wb, i: wb.ledger.add(i["inspection"], NewProblem(description="巡察发现"))),
    ("ledger.delete", "problem deleted", lambda wb, i: wb.ledger.delete(i["manual"])),
    ("ledger.update", "problem edited", lambda wb, i: wb.ledger.update(i["pending"], ProblemUpdate(person="赵老师"))),
    ("ledger.update", "deadline moved", lambda wb, i: wb.ledger.update(
        i["pending"], ProblemUpdate(deadline=TODAY + timedelta(days=30)))),
    ("ledger.advance", "problem advanced", lambda wb, i: wb.ledger.advance(i["pending"], "整改中", PLAN)),
    ("ledger.reopen", "problem reopened", lambda wb, i: wb.ledger.reopen(i["rectified"], "复查发现未整改到位")),
    ("ledger.add_follow_up", "回头看", lambda wb, i: wb.ledger.add_follow_up(
        i["rectified"], FollowUp(date=TODAY, by="纪检", finding="未反弹", result="整改到位"))),
    ("inspections.create", "inspection created", lambda wb, i: wb.inspections.create(NewInspection(
        title="回头看", period_start=TODAY, period_end=TODAY, checklist_ids=["tst"]),
        available=wb.inspections.checklists(i["inspection"]))),
    ("inspections.update", "inspection renamed", lambda wb, i: wb.inspections.update(
        i["inspection"], InspectionUpdate(title="改名后的自查"))),
    ("inspections.update", "marked not applicable", lambda wb, i: wb.inspections.update(
        i["inspection"], InspectionUpdate(not_applicable={"oth": "本校无此业务"}))),
    ("inspections.set_archived", "archived", lambda wb, i: wb.inspections.set_archived(i["inspection"], True)),
    ("inspections.set_archived", "unarchived", lambda wb, i: wb.inspections.set_archived(i["archived"], False)),
    ("save_school", "school profile", lambda wb, i: wb.save_school(SchoolProfile(name="城关第一小学", phone="0571-7654321"))),
    ("batch", "several in one batch", lambda wb, i: _batch(wb, i)),
]


def _batch(wb: Workbook, i: dict[str, int]) -> None:
    with wb.batch():
        wb.answers.set(i["inspection"], "TST-04", "8")
        wb.answers.set(i["inspection"], "TST-06", "2026-10-01")


@pytest.mark.parametrize("write", [w[2] for w in WRITES], ids=[w[1] for w in WRITES])
def test_after_any_write_the_old_snapshot_is_not_used(kept: Path, folder: Path, ids: dict[str, int],
                                                      write: Callable[[Workbook, dict[str, int]], object]) -> None:
    with Workbook.open(kept, actor=ACTOR) as wb:
        write(wb, ids)
    assert read_current(kept, folder) is None
    with Workbook.open(kept, actor=ACTOR) as wb:  # and the snapshot kept anew is used again
        keep(wb, folder)
    assert read_current(kept, folder) is not None


def test_every_write_method_has_a_case() -> None:
    """A new method of the Workbook's rooms must be named a reader here or get a case in WRITES."""
    from selfcheck.workbook import answers, audit_log, inspections, photos, problems

    readers = {"answers.all", "photos.all", "photos.counts", "photos.get", "photos.image", "photos.thumbnail",
               "ledger.all", "ledger.get", "ledger.for_item", "inspections.latest_id", "inspections.all",
               "inspections.get", "inspections.checklists", "inspections.progress", "inspections.dashboard",
               "inspections.review", "inspections.preview_update", "audit.verify", "audit.head", "audit.entries"}
    rooms = {"answers": answers.Answers, "photos": photos.Photos, "ledger": problems.Ledger,
             "inspections": inspections.Inspections, "audit": audit_log.AuditLog}
    public = {f"{room}.{name}" for room, cls in rooms.items() for name in vars(cls) if not name.startswith("_")}
    assert public - readers == {w[0] for w in WRITES} - {"save_school", "batch"}


def test_opening_and_reading_leave_the_snapshot_current(kept: Path, folder: Path, ids: dict[str, int]) -> None:
    with Workbook.open(kept, actor=ACTOR) as wb:
        wb.inspections.all()
        wb.inspections.dashboard(ids["inspection"])
        wb.audit.verify()
        wb.backup(kept.parent / "备份")
    with Workbook.open(kept, actor="", read_only=True) as wb:
        wb.info()
    assert read_current(kept, folder) is not None


def test_a_write_by_another_program_is_seen(kept: Path, folder: Path) -> None:
    conn = sqlite3.connect(kept)  # a database tool, not SelfCheck
    conn.execute("UPDATE school SET phone = '0571-1234567'")
    conn.commit()
    conn.close()
    assert read_current(kept, folder) is None


def test_a_restored_older_backup_is_not_taken_for_the_workbook(kept: Path, folder: Path, ids: dict[str, int],
                                                               tmp_path: Path) -> None:
    """Restored from a backup and changed again: the same workbook id, but another state than the snapshot's."""
    with Workbook.open(kept, actor=ACTOR) as wb:
        older = wb.backup(tmp_path / "备份.selfcheck")
        wb.answers.set(ids["inspection"], "TST-04", "6")
        keep(wb, folder)
    assert read_current(kept, folder) is not None
    Workbook.restore(older, kept)
    assert read_current(kept, folder) is None
    with Workbook.open(kept, actor=ACTOR) as wb:  # the same change made again: still another state
        wb.answers.set(ids["inspection"], "TST-04", "6")
    assert read_current(kept, folder) is None


def test_another_app_version_is_not_used(kept: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glance, "__version__", "99.0")
    assert read_current(kept, folder) is None


@pytest.mark.parametrize("days", [-400, -8, -1, 1, 2, 3, 4, 5, 7, 8, 30])
def test_on_another_day_the_dated_figures_are_the_workbooks_of_that_day(
        wb: Workbook, inspection_id: int, folder: Path, wb_path: Path, checklists: list[Checklist], days: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept one day, shown on another: overdue and due-soon problems (list and dashboard) are worked out for that
    day and equal what the workbook itself gives on it."""
    from selfcheck.workbook import inspections as inspections_module

    other = wb.inspections.create(NewInspection(
        title="另一次自查", period_start=date(2025, 3, 1), period_end=date(2025, 6, 30), checklist_ids=["tst"]),
        available=checklists).id
    for n, (iid, item) in enumerate([(inspection_id, "TST-01"), (inspection_id, "TST-02"), (inspection_id, "TST-08"),
                                     (other, "TST-01"), (other, "TST-08")]):
        problem = wb.answers.set(iid, item, "否").problem
        wb.ledger.update(problem.id, ProblemUpdate(deadline=TODAY + timedelta(days=3 * n - 4)))
    for extra, status_steps in ((-2, [("整改中", PLAN)]), (5, [("整改中", PLAN), ("已整改", DONE)])):
        problem = wb.ledger.add(inspection_id, NewProblem(description="巡察发现"))
        for status, step in status_steps:
            wb.ledger.advance(problem.id, status, step)
        wb.ledger.update(problem.id, ProblemUpdate(deadline=TODAY + timedelta(days=extra)))
    keep(wb, folder)
    day = TODAY + timedelta(days=days)

    class Day(date):
        @classmethod
        def today(cls) -> date:
            return day

    monkeypatch.setattr(inspections_module, "date", Day)
    summaries = wb.inspections.all()
    board = wb.inspections.dashboard(inspection_id, today=day)
    wb.close()
    snapshot = read_current(wb_path, folder, today=day)
    assert snapshot is not None and snapshot.today == day
    assert [(line.id, line.overdue_problems) for line in snapshot.inspections] == \
        [(s.id, s.overdue_problems) for s in summaries]
    assert snapshot.dashboard == board
    assert snapshot.inspections == read_current(wb_path, folder, today=day).inspections  # the same every time


def test_the_snapshot_knows_the_ledgers_rectifying_statuses() -> None:
    from selfcheck.workbook.figures import RECTIFYING
    from selfcheck.workbook.models import ProblemStatus

    assert RECTIFYING == (ProblemStatus.PENDING.value, ProblemStatus.IN_PROGRESS.value)


@pytest.mark.parametrize("side", [".lock", "-wal", "-shm"])
def test_a_workbook_in_use_or_not_closed_cleanly_opens_the_normal_way(kept: Path, folder: Path, side: str) -> None:
    beside = kept.with_name(kept.name + side)
    beside.write_bytes(b"")
    assert read_current(kept, folder) is None
    beside.unlink()
    assert read_current(kept, folder) is not None


def test_a_copy_or_another_workbook_at_the_same_path_is_not_shown(kept: Path, folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "副本" / kept.name
    copy.parent.mkdir()
    shutil.copy(kept, copy)
    assert read_current(copy, folder) is None  # kept by path: a copy has none of its own yet
    kept.unlink()
    Workbook.create(kept, actor=ACTOR).close()
    assert read_current(kept, folder) is None  # another workbook id


@pytest.mark.parametrize("damage", ["not json", "truncated", "wrong types", "other format"])
def test_a_damaged_snapshot_is_ignored(kept: Path, folder: Path, damage: str) -> None:
    file = snapshot_file(folder, kept)
    data = json.loads(file.read_text(encoding="utf-8"))
    text = {"not json": "\x00garbage", "truncated": file.read_text(encoding="utf-8")[:200],
            "wrong types": json.dumps({**data, "inspections": [{"id": "x"}]}),
            "other format": json.dumps({**data, "format": 0})}[damage]
    file.write_text(text, encoding="utf-8")
    assert read_current(kept, folder) is None


def test_an_older_workbook_has_no_snapshot(tmp_path: Path, folder: Path) -> None:
    """Schema 2 had no change stamp: nothing can be kept or shown until it is upgraded."""
    from selfcheck.storage import statements
    from selfcheck.workbook.db import APPLICATION_ID
    from selfcheck.workbook.schema import V1, V2

    path = tmp_path / "旧.selfcheck"
    conn = sqlite3.connect(path)
    for sql in statements(V1) + statements(V2):
        conn.execute(sql)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    assert change_stamp(conn) is None
    conn.close()
    assert read_current(path, folder) is None


def test_reading_writes_nothing_and_loads_no_workbook_stack(kept: Path, folder: Path) -> None:
    """Shown at start before sqlite-utils and pydantic load; on a write-protected stick nothing may appear beside."""
    before = sorted(p.name for p in kept.parent.iterdir())
    code = (
        "import sys\nfrom pathlib import Path\nfrom selfcheck.workbook.glance import read_current\n"
        f"snapshot = read_current(Path({str(kept)!r}), Path({str(folder)!r}))\n"
        "print(snapshot.school.name if snapshot else None, sorted(m for m in ('pydantic', 'sqlite_utils', 'yaml',"
        " 'PIL') if m in sys.modules))\n"
    )
    assert fresh_python_output(code) == "城关第一小学 []"
    assert sorted(p.name for p in kept.parent.iterdir()) == before


def test_a_workbook_that_changed_while_it_was_read_is_not_kept(wb: Workbook, ids: dict[str, int],
                                                               folder: Path) -> None:
    stamp = change_stamp(wb.db)
    summaries = wb.inspections.all()
    wb.answers.set(ids["inspection"], "TST-04", "6")  # between reading and keeping (another thread, say)
    assert glance.capture(wb, stamp=stamp, today=TODAY, inspections=summaries, latest_id=None, dashboard=None) is None
    assert glance.capture(wb, stamp=change_stamp(wb.db), today=TODAY - timedelta(days=1), inspections=summaries,
                          latest_id=None, dashboard=None) is None  # read yesterday, kept today
