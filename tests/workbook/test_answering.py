"""Auto-created problems follow the item's effective answer: marking 不适用 and show_if hide/show sync the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.checklists.models import Checklist
from selfcheck.workbook import answering
from selfcheck.workbook.models import InspectionUpdate, ProblemAction, ProblemStatus, ProblemUpdate
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR

OTH_NA = InspectionUpdate(not_applicable={"oth": "本校无此业务"})
OTH_APPLIES = InspectionUpdate(not_applicable={})


def _item_problems(wb: Workbook, inspection_id: int) -> dict[str, int]:
    return {p.item_id: p.id for p in wb.ledger.all(inspection_id) if p.item_id}


def _audit_tail(wb: Workbook, count: int) -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in reversed(wb.audit.entries(limit=count))]


def test_marking_not_applicable_removes_untouched_problems_and_unmarking_recreates_them(
        wb: Workbook, wb_path: Path, inspection_id: int, checklists: list[Checklist]) -> None:
    first = wb.answers.set(inspection_id, "OTH-01", "否", note="未开展").problem
    wb.answers.set(inspection_id, "OTH-02", "是")
    wb.answers.set(inspection_id, "TST-08", "否")  # another checklist: not touched by marking oth
    assert first is not None

    change = wb.inspections.update(inspection_id, OTH_NA, available=checklists)

    assert change.inspection.not_applicable == {"oth": "本校无此业务"}
    assert change.problems.removed_ids == [first.id] and change.problems.kept == []
    assert change.problems.removed[0].item_id == "OTH-01"
    assert change.problems.message == f"清单“其他清单”标为不适用：未开始整改的问题 #{first.id} 已从问题清单移除。"
    assert set(_item_problems(wb, inspection_id)) == {"TST-08"}
    assert wb.answers.all(inspection_id)["OTH-01"].value == "no"  # the stored answer stays
    assert _audit_tail(wb, 2) == [("inspection.update", f"inspection/{inspection_id}"),
                                  ("problem.delete", f"problem/{first.id}")]
    assert wb.audit.verify().ok

    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        assert again.audit.verify().ok
        assert set(_item_problems(again, inspection_id)) == {"TST-08"}
        back = again.inspections.update(inspection_id, OTH_APPLIES, available=checklists)
        recreated = back.problems.recreated
        assert [p.item_id for p in recreated] == ["OTH-01"] and back.problems.removed == []
        assert recreated[0].status is ProblemStatus.PENDING and "未开展" in recreated[0].description
        assert back.problems.message == (f"清单“其他清单”取消不适用：问题 #{recreated[0].id} 已重新列入问题清单"
                                         "（待整改）。")
        assert set(_item_problems(again, inspection_id)) == {"TST-08", "OTH-01"}
        assert again.audit.verify().ok
    with Workbook.open(wb_path, actor=ACTOR, read_only=True) as reread:
        assert reread.audit.verify().ok
        assert set(_item_problems(reread, inspection_id)) == {"TST-08", "OTH-01"}


def test_worked_on_problems_are_kept_and_the_preview_says_so(wb: Workbook, inspection_id: int,
                                                             checklists: list[Checklist]) -> None:
    untouched = wb.answers.set(inspection_id, "OTH-01", "否").problem
    worked = wb.answers.set(inspection_id, "OTH-02", "否").problem
    assert untouched is not None and worked is not None
    wb.ledger.update(worked.id, ProblemUpdate(measures="建立举报信箱"))
    head = wb.audit.head()

    preview = wb.inspections.preview_update(inspection_id, OTH_NA, available=checklists)
    assert preview.removed_ids == [untouched.id] and preview.kept_ids == [worked.id]
    assert preview.message == (f"清单“其他清单”标为不适用：未开始整改的问题 #{untouched.id} 将从问题清单移除；"
                               f"问题 #{worked.id}（待整改）已有整改内容，仍将保留在整改台账中。")
    assert wb.audit.head() == head and len(wb.ledger.all(inspection_id)) == 2  # a preview writes nothing

    change = wb.inspections.update(inspection_id, OTH_NA, available=checklists)
    assert change.problems.removed_ids == [untouched.id] and change.problems.kept_ids == [worked.id]
    assert "仍保留在整改台账中" in change.problems.message
    assert [p.id for p in wb.ledger.all(inspection_id)] == [worked.id]
    assert wb.ledger.get(worked.id).measures == "建立举报信箱"
    assert wb.audit.verify().ok

    back = wb.inspections.update(inspection_id, OTH_APPLIES, available=checklists)
    # The kept problem is still the item's problem: only the removed one comes back.
    assert [p.item_id for p in back.problems.recreated] == ["OTH-01"]
    assert sorted(_item_problems(wb, inspection_id)) == ["OTH-01", "OTH-02"]
    assert _item_problems(wb, inspection_id)["OTH-02"] == worked.id
    assert wb.audit.verify().ok


def test_other_changes_to_the_inspection_leave_problems_alone(wb: Workbook, inspection_id: int,
                                                              checklists: list[Checklist]) -> None:
    problem = wb.answers.set(inspection_id, "OTH-01", "否").problem
    wb.inspections.update(inspection_id, OTH_NA, available=checklists)
    change = wb.inspections.update(inspection_id, InspectionUpdate(title="改名"), available=checklists)
    assert change.problems.message == "" and not change.problems.changed
    assert wb.ledger.all(inspection_id) == []  # still 不适用: nothing re-created
    assert problem is not None and wb.audit.verify().ok


def test_marking_not_applicable_is_one_transaction(wb: Workbook, inspection_id: int, checklists: list[Checklist],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    wb.answers.set(inspection_id, "OTH-01", "否")
    head = wb.audit.head()
    real = answering.resync

    def failing(*args: object, **kwargs: object) -> answering.Resync:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("simulated crash after the problems were synced")

    monkeypatch.setattr(answering, "resync", failing)
    with pytest.raises(RuntimeError):
        wb.inspections.update(inspection_id, OTH_NA, available=checklists)
    assert wb.inspections.get(inspection_id).not_applicable == {}
    assert list(_item_problems(wb, inspection_id)) == ["OTH-01"] and wb.audit.head() == head
    assert wb.audit.verify().ok


def test_hiding_an_item_removes_its_untouched_problem_and_showing_it_recreates_it(
        wb: Workbook, wb_path: Path, inspection_id: int) -> None:
    wb.answers.set(inspection_id, "TST-01", "是")
    shown = wb.answers.set(inspection_id, "TST-05", "否", note="未上墙").problem
    assert shown is not None

    hide = wb.answers.set(inspection_id, "TST-01", "否")  # TST-05 shows only when TST-01 is yes
    assert hide.problem_action is ProblemAction.CREATED  # TST-01's own problem
    assert hide.dependents.removed_ids == [shown.id]
    assert hide.dependents.message == f"检查项 TST-05 随之隐藏（按不适用计）：未开始整改的问题 #{shown.id} 已从问题清单移除。"
    assert set(_item_problems(wb, inspection_id)) == {"TST-01"}
    assert wb.answers.all(inspection_id)["TST-05"].value == "no"
    assert wb.audit.verify().ok

    show = wb.answers.set(inspection_id, "TST-01", "是")
    assert show.problem_action is ProblemAction.REMOVED
    assert [p.item_id for p in show.dependents.recreated] == ["TST-05"]
    assert "未上墙" in show.dependents.recreated[0].description
    assert show.dependents.message.startswith("检查项 TST-05 重新显示：问题 #")
    assert set(_item_problems(wb, inspection_id)) == {"TST-05"}
    assert wb.audit.verify().ok

    cleared = wb.answers.clear(inspection_id, "TST-01")  # unanswered hides TST-05 too
    assert [p.item_id for p in cleared.dependents.removed] == ["TST-05"]
    assert wb.ledger.all(inspection_id) == [] and wb.audit.verify().ok
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        assert again.audit.verify().ok and again.ledger.all(inspection_id) == []
        assert again.answers.all(inspection_id)["TST-05"].value == "no"


def test_hiding_an_item_keeps_a_worked_on_problem(wb: Workbook, inspection_id: int) -> None:
    wb.answers.set(inspection_id, "TST-01", "是")
    problem = wb.answers.set(inspection_id, "TST-05", "否").problem
    assert problem is not None
    wb.ledger.update(problem.id, ProblemUpdate(person="李明"))
    change = wb.answers.set(inspection_id, "TST-01", "不适用")
    assert change.dependents.kept_ids == [problem.id] and change.dependents.removed == []
    assert change.dependents.message == (f"检查项 TST-05 随之隐藏（按不适用计）：问题 #{problem.id}（待整改）已有整改内容，"
                                         "仍保留在整改台账中。")
    assert [p.id for p in wb.ledger.all(inspection_id)] == [problem.id]
    again = wb.answers.set(inspection_id, "TST-01", "是")
    assert again.dependents.recreated == [] and [p.id for p in wb.ledger.all(inspection_id)] == [problem.id]
    assert wb.audit.verify().ok


def test_answers_that_do_not_change_visibility_touch_no_other_problem(wb: Workbook, inspection_id: int) -> None:
    wb.answers.set(inspection_id, "TST-01", "是")
    wb.answers.set(inspection_id, "TST-05", "否")
    change = wb.answers.set(inspection_id, "TST-01", "是", note="制度齐全")
    assert change.dependents.message == "" and not change.dependents.changed
    assert set(_item_problems(wb, inspection_id)) == {"TST-05"}


def test_a_hidden_item_answered_non_compliant_raises_no_problem_until_shown(wb: Workbook, inspection_id: int) -> None:
    hidden = wb.answers.set(inspection_id, "TST-05", "否")  # TST-01 unanswered: TST-05 is hidden
    assert hidden.problem_action is ProblemAction.NONE and hidden.problem is None
    assert hidden.message == "已保存。该项当前不显示（按不适用计），不列入问题清单。"
    assert wb.ledger.all(inspection_id) == []
    shown = wb.answers.set(inspection_id, "TST-01", "是")
    assert [p.item_id for p in shown.dependents.recreated] == ["TST-05"]
    assert wb.audit.verify().ok


def test_a_hand_added_problem_of_an_item_is_kept(wb: Workbook, inspection_id: int,
                                                 checklists: list[Checklist]) -> None:
    from selfcheck.workbook.models import NewProblem, ProblemSource

    added = wb.ledger.add(inspection_id, NewProblem(description="巡察发现未开展教育", item_id="OTH-01",
                                                     source=ProblemSource.INSPECTION_TOUR))
    own = wb.ledger.add(inspection_id, NewProblem(description="自查发现举报渠道未公开", item_id="OTH-02"))
    change = wb.inspections.update(inspection_id, OTH_NA, available=checklists)
    # A 巡察 problem is no answer's problem; a 自查 one typed by hand is not untouched.
    assert change.problems.kept_ids == [own.id] and change.problems.removed == []
    assert sorted(p.id for p in wb.ledger.all(inspection_id)) == sorted([added.id, own.id])
    assert wb.audit.verify().ok


@pytest.mark.parametrize(("given", "message"), [("-3", "不能小于 0"), ("123456789012345678901234", "位数过多"),
                                                 ("4.5", "整数"), ("四", "不是数字")])
def test_the_service_refuses_a_bad_number_and_keeps_what_was_stored(
        wb: Workbook, inspection_id: int, given: str, message: str) -> None:
    from selfcheck.checklists.answers import InvalidAnswerError

    first = wb.answers.set(inspection_id, "TST-04", "2")  # below the minimum of 4 课时: a problem
    assert first.problem is not None
    with pytest.raises(InvalidAnswerError, match=message) as caught:
        wb.answers.set(inspection_id, "TST-04", given)
    assert "TST-04" in caught.value.message
    assert wb.answers.all(inspection_id)["TST-04"].value == "2"
    assert [p.id for p in wb.ledger.all(inspection_id)] == [first.problem.id]  # the problem is not silently removed


def test_not_applicable_by_its_label_on_a_choice(wb: Workbook, inspection_id: int) -> None:
    assert wb.answers.set(inspection_id, "TST-03", "不适用").answer.value == "na"
