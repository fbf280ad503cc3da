"""The rectification ledger: status steps and what each needs, edits, reopening, 回头看, carry-over, manual problems."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from selfcheck.checklists.models import Checklist
from selfcheck.errors import WorkbookError
from selfcheck.workbook.errors import LedgerRuleError
from selfcheck.workbook.models import (
    FollowUp,
    FollowUpResult,
    NewInspection,
    NewProblem,
    ProblemSource,
    ProblemStatus,
    ProblemUpdate,
    RectificationType,
    StepData,
)
from selfcheck.workbook.service import Workbook

TODAY = date.today()
PLAN = StepData(measures="修订制度并公示", rect_type=RectificationType.IMMEDIATE, leader="王校长", department="总务处",
                person="李明", deadline=TODAY + timedelta(days=30))
DONE = StepData(done_description="制度已修订并上墙", completed_on=TODAY - timedelta(days=3))
CLOSE = StepData(verified_by="自查组", verified_on=TODAY - timedelta(days=2), verification_note="属实",
                 closed_by="王校长", closed_on=TODAY - timedelta(days=1))


@pytest.fixture
def problem_id(wb: Workbook, inspection_id: int) -> int:
    return wb.answers.set(inspection_id, "TST-01", "否").problem.id


def test_full_walk_through_every_status(wb: Workbook, problem_id: int) -> None:
    assert wb.ledger.advance(problem_id, "整改中", PLAN).status is ProblemStatus.IN_PROGRESS
    assert wb.ledger.advance(problem_id, ProblemStatus.RECTIFIED, DONE).status is ProblemStatus.RECTIFIED
    closed = wb.ledger.advance(problem_id, ProblemStatus.CLOSED, CLOSE)
    assert closed.status is ProblemStatus.CLOSED and closed.has_plan and not closed.overdue
    assert (closed.leader, closed.department, closed.person) == ("王校长", "总务处", "李明")
    assert (closed.verified_by, closed.closed_by, closed.closed_on) == ("自查组", "王校长", TODAY - timedelta(days=1))
    assert [e.action for e in wb.audit.entries(target=f"problem/{problem_id}")][:3] == ["problem.advance"] * 3
    assert wb.audit.verify().ok


@pytest.mark.parametrize(
    ("to_status", "step", "missing"),
    [
        (ProblemStatus.IN_PROGRESS, StepData(measures="x"), "整改类型"),
        (ProblemStatus.IN_PROGRESS, PLAN.model_copy(update={"deadline": None}), "整改时限"),
        (ProblemStatus.RECTIFIED, PLAN, "整改完成情况"),
        (ProblemStatus.CLOSED, StepData(**PLAN.model_dump(exclude_unset=True), **DONE.model_dump(exclude_unset=True)),
         "现场查验人"),
    ],
)
def test_a_step_without_its_data_is_refused(wb: Workbook, problem_id: int, to_status: ProblemStatus,
                                           step: StepData, missing: str) -> None:
    head = wb.audit.head()
    with pytest.raises(LedgerRuleError, match=missing):
        wb.ledger.advance(problem_id, to_status, step)
    assert wb.ledger.get(problem_id).status is ProblemStatus.PENDING and wb.audit.head() == head


def test_several_steps_at_once_when_all_data_is_given(wb: Workbook, problem_id: int) -> None:
    step = StepData(**PLAN.model_dump(exclude_unset=True), **DONE.model_dump(exclude_unset=True))
    assert wb.ledger.advance(problem_id, "已整改", step).status is ProblemStatus.RECTIFIED


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (StepData(completed_on=TODAY + timedelta(days=1), done_description="x"), "不能晚于今天"),
        (StepData(completed_on=TODAY, done_description="x", verified_on=TODAY - timedelta(days=1)), "现场查验日期"),
    ],
)
def test_dates_out_of_order_are_refused(wb: Workbook, problem_id: int, step: StepData, message: str) -> None:
    wb.ledger.advance(problem_id, "整改中", PLAN)
    with pytest.raises(LedgerRuleError, match=message):
        wb.ledger.advance(problem_id, "已整改", step)


def test_backwards_needs_reopen_with_reason_and_clears_closing(wb: Workbook, problem_id: int) -> None:
    for status, step in (("整改中", PLAN), ("已整改", DONE), ("已销号", CLOSE)):
        wb.ledger.advance(problem_id, status, step)
    with pytest.raises(LedgerRuleError, match="重新打开"):
        wb.ledger.advance(problem_id, "整改中")
    with pytest.raises(LedgerRuleError, match="原因"):
        wb.ledger.reopen(problem_id, "  ")
    reopened = wb.ledger.reopen(problem_id, "复查发现制度未执行")
    assert reopened.status is ProblemStatus.IN_PROGRESS and reopened.reopen_reason == "复查发现制度未执行"
    assert (reopened.closed_by, reopened.closed_on, reopened.verified_by, reopened.completed_on) == ("", None, "", None)
    assert reopened.measures == PLAN.measures  # the plan still holds
    assert wb.audit.verify().ok


def test_edit_cannot_blank_what_the_status_needs(wb: Workbook, problem_id: int) -> None:
    wb.ledger.advance(problem_id, "整改中", PLAN)
    with pytest.raises(LedgerRuleError, match="责任领导"):
        wb.ledger.update(problem_id, ProblemUpdate(leader=""))
    edited = wb.ledger.update(problem_id, ProblemUpdate(progress="已完成一半", description="制度未建立（人工描述）"))
    assert edited.progress == "已完成一半" and not edited.description_auto


def test_overdue_problems_stand_out(wb: Workbook, inspection_id: int, problem_id: int) -> None:
    wb.ledger.advance(problem_id, "整改中", PLAN.model_copy(update={"deadline": TODAY - timedelta(days=1)}))
    assert wb.ledger.get(problem_id).overdue
    assert [p.id for p in wb.ledger.all(inspection_id, overdue=True)] == [problem_id]
    assert wb.ledger.all(inspection_id, status="待整改") == []
    assert wb.inspections.all()[0].overdue_problems == 1


def test_follow_up_rounds_and_relapse_reopens(wb: Workbook, problem_id: int) -> None:
    with pytest.raises(LedgerRuleError, match="回头看"):
        wb.ledger.add_follow_up(problem_id, FollowUp(date=TODAY, by="纪检", finding="x", result=FollowUpResult.HELD))
    wb.ledger.advance(problem_id, "整改中", PLAN)
    wb.ledger.advance(problem_id, "已整改", DONE)
    held = wb.ledger.add_follow_up(problem_id, FollowUp(date=TODAY, by="纪检", finding="未反弹", result="整改到位"))
    assert [(f.round, f.result) for f in held.follow_ups] == [(1, FollowUpResult.HELD)]
    assert held.status is ProblemStatus.RECTIFIED
    relapsed = wb.ledger.add_follow_up(problem_id, FollowUp(date=TODAY, by="纪检", finding="又出现", result="出现反弹"))
    assert [f.round for f in relapsed.follow_ups] == [1, 2]
    assert relapsed.status is ProblemStatus.IN_PROGRESS and "反弹" in relapsed.reopen_reason
    assert wb.audit.verify().ok


def test_carry_over_copies_open_problems(wb: Workbook, inspection_id: int, checklists: list[Checklist]) -> None:
    open_one = wb.answers.set(inspection_id, "TST-01", "否").problem
    closed_one = wb.answers.set(inspection_id, "TST-08", "否").problem
    for status, step in (("整改中", PLAN), ("已整改", DONE), ("已销号", CLOSE)):
        wb.ledger.advance(closed_one.id, status, step)
    wb.ledger.advance(open_one.id, "整改中", PLAN)
    later = wb.inspections.create(NewInspection(
        title="下学期", period_start=date(2027, 3, 1), period_end=date(2027, 6, 30), checklist_ids=["tst"],
        carry_over_from=inspection_id), available=checklists)
    carried = wb.ledger.all(later.id)
    assert [(p.origin_problem_id, p.source, p.status) for p in carried] == [
        (open_one.id, ProblemSource.FOLLOW_UP, ProblemStatus.IN_PROGRESS)]
    assert carried[0].measures == PLAN.measures and carried[0].item_id == "TST-01"
    assert later.carried_over_from == inspection_id
    # answering the item again in the new inspection raises its own 自查 problem beside the carried one
    fresh = wb.answers.set(later.id, "TST-01", "否").problem
    assert fresh.source is ProblemSource.SELF_CHECK and len(wb.ledger.all(later.id)) == 2
    assert wb.audit.verify().ok


def test_manual_problem_and_delete_rules(wb: Workbook, inspection_id: int) -> None:
    manual = wb.ledger.add(inspection_id, NewProblem(description="家长投诉食堂收费", source=ProblemSource.COMPLAINT))
    assert manual.status is ProblemStatus.PENDING and manual.item_id is None
    wb.ledger.delete(manual.id)
    assert wb.ledger.all(inspection_id) == []
    auto = wb.answers.set(inspection_id, "TST-01", "否").problem
    with pytest.raises(WorkbookError, match="已有自查问题"):
        wb.ledger.add(inspection_id, NewProblem(description="重复", item_id="TST-01"))
    wb.ledger.advance(auto.id, "整改中", PLAN)
    with pytest.raises(LedgerRuleError, match="不能删除"):
        wb.ledger.delete(auto.id)
    assert wb.audit.verify().ok
