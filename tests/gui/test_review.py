"""完成情况: blockers listed by kind, each one click (double-click or 转到) away."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from selfcheck.workbook.models import ProblemStatus


def test_blockers_and_jumps(opened: Any, qtbot: Any) -> None:
    wb = opened.test_context.session.require()
    iid = opened.inspection_id
    wb.answers.set(iid, "GTF-01", "yes")  # required photo missing
    wb.answers.set(iid, "GTM-02", "no")  # a problem without a plan; photo required when non-compliant
    opened.form.action_page_review.trigger()
    review = opened.page("review")
    tree = review.form.blockers_tree
    groups = [tree.topLevelItem(i) for i in range(3)]
    assert groups[0].text(0).startswith("未作答（6）")  # 9 items, GTM-05 hidden, 2 answered
    assert groups[1].text(0).startswith("缺少照片（2）")
    assert groups[2].text(0).startswith("未制定整改方案（1）")
    assert "还有 <b>9</b> 件事" in review.form.status_label.text()
    overview = review.form.overview_table
    assert overview.item(0, 1).text() == "未完成 1/6" and overview.item(0, 2).text() == "1"
    assert overview.item(1, 1).text() == "未完成 1/2"
    # The score counts the answered items only, with the completion beside it: GTM-02 (否) of 1 answered.
    assert overview.item(0, 4).text().endswith("（已完成 1/6）")
    assert "本次自查<b>未完成</b>" in review.form.status_label.text()

    # a missing photo → the item, in the fill-in view
    photo_blocker = groups[1].child(0)
    tree.setCurrentItem(photo_blocker)
    qtbot.mouseClick(review.form.go_button, Qt.MouseButton.LeftButton)
    assert opened.current_page_name() == "fill"
    assert opened.page("fill").item_view.ref.item.id == "GTM-02"

    # a problem without a plan → the ledger, that problem selected
    opened.form.action_page_review.trigger()
    plan_blocker = review.form.blockers_tree.topLevelItem(2).child(0)
    review.form.blockers_tree.setCurrentItem(plan_blocker)
    qtbot.keyClick(review.form.blockers_tree, Qt.Key.Key_Return)  # Enter (or a double click) activates it
    assert opened.current_page_name() == "ledger"
    ledger = opened.page("ledger")
    assert ledger.selected().item_id == "GTM-02" and ledger.selected().status is ProblemStatus.PENDING


def test_everything_done_says_so(opened: Any) -> None:
    wb = opened.test_context.session.require()
    iid = opened.inspection_id
    for checklist in wb.inspections.checklists(iid):
        for item in checklist.all_items():
            if item.id != "GTM-05":
                wb.answers.set(iid, item.id, "na")
    opened.form.action_page_review.trigger()
    review = opened.page("review")
    assert "可以导出报告" in review.form.status_label.text()
    assert review.form.blockers_tree.topLevelItem(0).text(0) == "未作答：无 ✔"
