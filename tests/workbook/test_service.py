"""Round trips through the Workbook service: school, inspections, answers, progress, review, read-only use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from selfcheck.checklists.answers import Compliance, InvalidAnswerError
from selfcheck.checklists.models import Checklist
from selfcheck.errors import WorkbookError
from selfcheck.workbook.errors import NotFoundError, ReadOnlyError
from selfcheck.workbook.models import (
    BlockerKind,
    InspectionUpdate,
    NewInspection,
    ProblemAction,
    ProblemStatus,
    ProblemUpdate,
    SchoolProfile,
)
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR, make_checklist


def test_new_workbook_is_empty_and_verifies(wb: Workbook) -> None:
    info = wb.info()
    assert (info.inspections, info.answers, info.photos, info.problems) == (0, 0, 0, 0)
    assert info.school is None and info.schema_version == wb.schema_version >= 2
    assert info.audit_entries == 1 and wb.audit.verify().ok


def test_create_refuses_existing_file(wb: Workbook, wb_path: Path) -> None:
    with pytest.raises(WorkbookError, match="已存在"):
        Workbook.create(wb_path, actor=ACTOR)


def test_actor_is_required_for_writers(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="使用者姓名"):
        Workbook.create(tmp_path / "x.selfcheck", actor="  ")


def test_school_round_trip_survives_reopen(wb: Workbook, wb_path: Path) -> None:
    profile = SchoolProfile(name="示例中学", stage="初中", province="甲省", city="乙市", county="丙区",
                            principal="王校长", preparer="李老师", phone="0000-1234567")
    wb.save_school(profile)
    wb.save_school(profile.model_copy(update={"phone": "0000-7654321"}))
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        assert again.get_school() == profile.model_copy(update={"phone": "0000-7654321"})
        assert [e.action for e in again.audit.entries()][:2] == ["school.save", "school.save"]


def test_inspection_round_trip_and_snapshot(wb: Workbook, inspection_id: int, wb_path: Path,
                                            checklists: list[Checklist]) -> None:
    inspection = wb.inspections.get(inspection_id)
    assert inspection.title == "2026年秋季学期自查" and inspection.team == ["张三", "李四"]
    assert inspection.checklist_ids == ["tst", "oth"] and inspection.checklist_versions == {"tst": "1.0", "oth": "2.0"}
    assert inspection.created_by == ACTOR
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        assert again.inspections.checklists(inspection_id) == checklists


def test_snapshot_is_kept_when_the_checklist_changes(wb: Workbook, checklists: list[Checklist]) -> None:
    first = wb.inspections.create(NewInspection(title="旧", period_start=date(2026, 3, 1), period_end=date(2026, 6, 30),
                                               checklist_ids=["tst"]), available=checklists)
    changed = make_checklist().model_copy(update={"version": "2.0", "title": "测试清单（新版）"})
    second = wb.inspections.create(NewInspection(title="新", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
                                                checklist_ids=["tst"]), available=[changed])
    assert wb.inspections.checklists(first.id)[0].title == "测试清单"
    assert wb.inspections.checklists(second.id)[0].version == "2.0"


def test_inspections_sharing_a_checklist_version_read_the_same_snapshot(wb: Workbook, wb_path: Path,
                                                                        checklists: list[Checklist]) -> None:
    for term in (3, 9):
        wb.inspections.create(NewInspection(title=f"{term}月", period_start=date(2027, term, 1),
                                           period_end=date(2027, term, 28), checklist_ids=["tst"]), available=checklists)
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        summaries = again.inspections.all()
        first, second = (again.inspections.checklists(s.id)[0] for s in summaries[:2])
        assert first == second == checklists[0] and first is second  # parsed once, shared (the models are frozen)


def test_latest_inspection_is_the_first_listed(wb: Workbook, inspection_id: int, checklists: list[Checklist]) -> None:
    assert wb.inspections.latest_id() == inspection_id == wb.inspections.all()[0].id
    older = wb.inspections.create(NewInspection(title="上学期", period_start=date(2026, 3, 1),
                                               period_end=date(2026, 6, 30), checklist_ids=["tst"]), available=checklists)
    newer = wb.inspections.create(NewInspection(title="下学期", period_start=date(2027, 3, 1),
                                               period_end=date(2027, 6, 30), checklist_ids=["tst"]), available=checklists)
    assert wb.inspections.latest_id() == newer.id == wb.inspections.all()[0].id
    wb.inspections.set_archived(newer.id, True)
    assert wb.inspections.latest_id() == inspection_id
    for iid in (inspection_id, older.id):
        wb.inspections.set_archived(iid, True)
    assert wb.inspections.latest_id() is None and wb.inspections.all() == []


def test_unknown_checklist_and_bad_period_are_refused(wb: Workbook, checklists: list[Checklist]) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        wb.inspections.create(NewInspection(title="x", period_start=date(2026, 1, 1), period_end=date(2026, 2, 1),
                                           checklist_ids=["nope"]), available=checklists)
    with pytest.raises(ValueError, match="结束日期"):
        NewInspection(title="x", period_start=date(2026, 2, 1), period_end=date(2026, 1, 1), checklist_ids=["tst"])


def test_update_and_archive_inspection(wb: Workbook, inspection_id: int, checklists: list[Checklist]) -> None:
    change = wb.inspections.update(inspection_id, InspectionUpdate(title="改名", not_applicable={"oth": "本校无此业务"}),
                                  available=checklists)
    updated = change.inspection
    assert change.problems.message == "" and not change.problems.changed  # nothing answered: no problem touched
    assert updated.title == "改名" and updated.not_applicable == {"oth": "本校无此业务"}
    assert updated.period_start == date(2026, 9, 1)
    with pytest.raises(WorkbookError, match="结束日期"):
        wb.inspections.update(inspection_id, InspectionUpdate(period_end=date(2026, 1, 1)))
    wb.inspections.set_archived(inspection_id, True)
    assert wb.inspections.all() == []
    assert [s.id for s in wb.inspections.all(include_archived=True)] == [inspection_id]
    assert wb.inspections.set_archived(inspection_id, False).archived is False


def test_removing_a_used_checklist_is_refused(wb: Workbook, inspection_id: int, checklists: list[Checklist]) -> None:
    wb.answers.set(inspection_id, "OTH-01", "是")
    with pytest.raises(WorkbookError, match="不能从本次自查中移除"):
        wb.inspections.update(inspection_id, InspectionUpdate(checklist_ids=["tst"]), available=checklists)
    wb.answers.clear(inspection_id, "OTH-01")
    assert wb.inspections.update(inspection_id, InspectionUpdate(checklist_ids=["tst"]),
                                available=checklists).inspection.checklist_ids == ["tst"]
    assert [c.id for c in wb.inspections.checklists(inspection_id)] == ["tst"]
    assert wb.audit.verify().ok


@pytest.mark.parametrize(
    ("item_id", "given", "stored", "compliance"),
    [
        ("TST-01", "是", "yes", Compliance.COMPLIANT),
        ("TST-01", "否", "no", Compliance.NONCOMPLIANT),
        ("TST-01", "不适用", "na", Compliance.NOT_APPLICABLE),
        ("TST-03", "违规承包", "outsourced", Compliance.NONCOMPLIANT),
        ("TST-03", "none", "none", Compliance.NOT_APPLICABLE),
        ("TST-04", "3", "3", Compliance.NONCOMPLIANT),
        ("TST-04", "4", "4", Compliance.COMPLIANT),
        ("TST-06", "2026-09-15", "2026-09-15", Compliance.COMPLIANT),
        ("TST-07", " 已整改 ", "已整改", Compliance.COMPLIANT),
    ],
)
def test_answers_are_normalised_and_stored(wb: Workbook, inspection_id: int, wb_path: Path, item_id: str,
                                           given: str, stored: str, compliance: Compliance) -> None:
    change = wb.answers.set(inspection_id, item_id, given, note="备注")
    assert change.answer is not None and change.answer.value == stored and change.compliance is compliance
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        answer = again.answers.all(inspection_id)[item_id]
        assert (answer.value, answer.note, answer.answered_by) == (stored, "备注", ACTOR)


@pytest.mark.parametrize(("item_id", "value"), [("TST-01", "也许"), ("TST-04", "很多"), ("TST-04", "4.5"),
                                                ("TST-06", "昨天"), ("TST-03", "外包")])
def test_invalid_answers_are_refused_without_change(wb: Workbook, inspection_id: int, item_id: str,
                                                    value: str) -> None:
    head = wb.audit.head()
    with pytest.raises(InvalidAnswerError):
        wb.answers.set(inspection_id, item_id, value)
    assert wb.answers.all(inspection_id) == {} and wb.audit.head() == head


def test_unknown_item_and_not_applicable_checklist(wb: Workbook, inspection_id: int,
                                                   checklists: list[Checklist]) -> None:
    with pytest.raises(NotFoundError, match="XYZ-01"):
        wb.answers.set(inspection_id, "XYZ-01", "是")
    with pytest.raises(NotFoundError):
        wb.answers.set(999, "TST-01", "是")
    wb.inspections.update(inspection_id, InspectionUpdate(not_applicable={"oth": "无"}), available=checklists)
    with pytest.raises(WorkbookError, match="不适用"):
        wb.answers.set(inspection_id, "OTH-01", "是")


def test_note_keep_change_and_clear(wb: Workbook, inspection_id: int) -> None:
    wb.answers.set_note(inspection_id, "TST-08", "先记一笔")
    assert wb.answers.all(inspection_id)["TST-08"].value is None
    wb.answers.set(inspection_id, "TST-08", "是")
    assert wb.answers.all(inspection_id)["TST-08"].note == "先记一笔"  # note=UNCHANGED keeps it
    wb.answers.set(inspection_id, "TST-08", "是", note="")
    assert wb.answers.all(inspection_id)["TST-08"].note == ""
    unchanged = wb.answers.set(inspection_id, "TST-08", "是")
    assert unchanged.message == "答案未变化。"
    wb.answers.clear(inspection_id, "TST-08")
    assert "TST-08" not in wb.answers.all(inspection_id)


def test_noncompliant_answer_creates_problem_and_compliant_removes_it(wb: Workbook, inspection_id: int) -> None:
    change = wb.answers.set(inspection_id, "TST-01", "否", note="制度缺失")
    assert change.problem_action is ProblemAction.CREATED and change.problem is not None
    problem = change.problem
    assert problem.source.value == "自查" and problem.status is ProblemStatus.PENDING
    assert "是否建立制度" in problem.description and "制度缺失" in problem.description
    assert problem.severity == "较重" and problem.checklist_id == "tst"
    noted = wb.answers.set_note(inspection_id, "TST-01", "制度已过期")
    assert noted.problem_action is ProblemAction.UPDATED and "制度已过期" in noted.problem.description
    back = wb.answers.set(inspection_id, "TST-01", "是")
    assert back.problem_action is ProblemAction.REMOVED and back.problem.id == problem.id
    assert wb.ledger.all(inspection_id) == []
    assert wb.audit.verify().ok


def test_problem_with_work_done_is_kept(wb: Workbook, inspection_id: int) -> None:
    problem = wb.answers.set(inspection_id, "TST-03", "违规承包").problem
    wb.ledger.update(problem.id, ProblemUpdate(measures="收回经营权"))
    change = wb.answers.set(inspection_id, "TST-03", "自主经营")
    assert change.problem_action is ProblemAction.KEPT and "仍保留" in change.message
    assert [p.id for p in wb.ledger.all(inspection_id)] == [problem.id]
    again = wb.answers.set(inspection_id, "TST-03", "违规承包")
    assert again.problem_action is ProblemAction.NONE and again.problem.id == problem.id
    assert len(wb.ledger.all(inspection_id)) == 1


def test_progress_counts_visible_items_and_skips_not_applicable(wb: Workbook, inspection_id: int,
                                                                checklists: list[Checklist]) -> None:
    before = wb.inspections.progress(inspection_id)
    assert (before.done, before.total) == (0, 9)  # TST-05 hidden until TST-01 is yes
    wb.answers.set(inspection_id, "TST-01", "是")
    wb.answers.set(inspection_id, "TST-04", "2")
    wb.inspections.update(inspection_id, InspectionUpdate(not_applicable={"oth": "无"}), available=checklists)
    after = wb.inspections.progress(inspection_id)
    tst, oth = after.checklists
    assert (tst.done, tst.total, tst.noncompliant, tst.open_problems) == (2, 8, 1, 1)
    assert [(s.section_id, s.done, s.total) for s in tst.sections] == [("a", 2, 5), ("b", 0, 3)]
    assert oth.not_applicable and oth.not_applicable_reason == "无" and (oth.done, oth.total) == (0, 0)
    assert after.problems_by_status[ProblemStatus.PENDING] == 1
    summary = wb.inspections.all()[0]
    assert (summary.answered, summary.total, summary.noncompliant, summary.open_problems) == (2, 8, 1, 1)


def test_review_lists_unanswered_missing_photos_and_missing_plans(wb: Workbook, inspection_id: int,
                                                                  photo_file: Path) -> None:
    for item_id, value in [("TST-01", "是"), ("TST-02", "否"), ("TST-03", "self"), ("TST-04", "5"),
                           ("TST-05", "是"), ("TST-06", "2026-09-02"), ("TST-07", "好"), ("OTH-01", "是")]:
        wb.answers.set(inspection_id, item_id, value)
    blockers = wb.inspections.review(inspection_id)
    kinds = [(b.kind, b.item_id) for b in blockers]
    assert (BlockerKind.UNANSWERED, "TST-08") in kinds and (BlockerKind.UNANSWERED, "OTH-02") in kinds
    assert (BlockerKind.PHOTO_MISSING, "TST-01") in kinds  # required
    assert (BlockerKind.PHOTO_MISSING, "TST-02") in kinds  # required when non-compliant
    assert [b.kind for b in blockers].count(BlockerKind.NO_PLAN) == 1
    wb.photos.add(inspection_id, "TST-01", photo_file)
    assert (BlockerKind.PHOTO_MISSING, "TST-01") not in [(b.kind, b.item_id) for b in wb.inspections.review(inspection_id)]
    wb.answers.set(inspection_id, "TST-02", "是")
    assert all(b.item_id != "TST-02" for b in wb.inspections.review(inspection_id))


def test_read_only_workbook_refuses_changes(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    wb.answers.set(inspection_id, "TST-01", "是")
    with Workbook.open(wb_path, actor="", read_only=True) as viewer:
        assert viewer.read_only and viewer.answers.all(inspection_id)["TST-01"].value == "yes"
        with pytest.raises(ReadOnlyError):
            viewer.answers.set(inspection_id, "TST-01", "否")
        with pytest.raises(ReadOnlyError):
            viewer.save_school(SchoolProfile(name="x"))
    assert wb.answers.all(inspection_id)["TST-01"].value == "yes"


def test_batch_commits_together_or_not_at_all(wb: Workbook, inspection_id: int) -> None:
    with pytest.raises(RuntimeError):
        with wb.batch():
            wb.answers.set(inspection_id, "TST-01", "是")
            wb.answers.set(inspection_id, "TST-08", "否")
            raise RuntimeError("stop")
    assert wb.answers.all(inspection_id) == {} and wb.ledger.all(inspection_id) == []
    with wb.batch():
        wb.answers.set(inspection_id, "TST-01", "是")
        wb.answers.set(inspection_id, "TST-08", "否")
    assert len(wb.answers.all(inspection_id)) == 2 and wb.audit.verify().ok


def test_disk_full_is_a_message_and_saves_nothing(wb: Workbook, inspection_id: int) -> None:
    from .conftest import jpeg_bytes

    wb.answers.set(inspection_id, "TST-01", "是")
    head = wb.audit.head()
    pages = wb.db.execute("PRAGMA page_count").fetchone()[0]
    wb.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # what a full disk looks like to SQLite
    with pytest.raises(WorkbookError, match="磁盘空间不足.*没有保存"):
        wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes((1200, 900)), "big.jpg")
    assert wb.audit.head() == head and wb.photos.all(inspection_id) == []
    wb.db.execute("PRAGMA max_page_count = 1073741823")
    wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes((1200, 900)), "big.jpg")
    assert wb.audit.verify().ok


def test_writes_from_several_threads_are_serialised(wb: Workbook, inspection_id: int) -> None:
    import threading

    from .conftest import jpeg_bytes

    errors: list[BaseException] = []

    def answer(items: list[str]) -> None:
        try:
            for _ in range(10):
                for item in items:
                    wb.answers.set(inspection_id, item, "否")
                    wb.answers.set(inspection_id, item, "是")
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    def photos() -> None:
        try:
            for n in range(5):
                wb.photos.add_bytes(inspection_id, "TST-02", jpeg_bytes(colour=(n * 40, 10, 10)), f"{n}.jpg")
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=answer, args=(["TST-01", "TST-08"],)),
               threading.Thread(target=answer, args=(["OTH-01", "OTH-02"],)), threading.Thread(target=photos)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {k: a.value for k, a in wb.answers.all(inspection_id).items()} == dict.fromkeys(
        ["OTH-01", "OTH-02", "TST-01", "TST-08"], "yes")
    assert len(wb.photos.all(inspection_id)) == 5 and wb.audit.verify().ok
