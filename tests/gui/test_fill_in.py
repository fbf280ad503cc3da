"""填报 details: show_if items appear with their condition, choice keys, bad numbers, 不适用 checklists are read-only."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from tests.gui.helpers import activate


def list_ids(page: Any) -> list[str]:
    return [page.form.item_list.topLevelItem(i).text(0) for i in range(page.form.item_list.topLevelItemCount())]


def test_choice_by_key_reveals_the_follow_up_item(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *a, **k: asked.append(title) or QMessageBox.StandardButton.No)
    page = opened.page("fill")
    page.select_item("GTM-04")
    assert list_ids(page) == ["GTM-04", "GTM-06", "GTM-07"]  # GTM-05 waits for 对外承包
    activate(qtbot, opened)
    page.form.item_list.setFocus()
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_2)  # 2 = 对外承包 (non-compliant: no auto-advance)
    wb = opened.test_context.session.require()
    assert wb.answers(opened.inspection_id)["GTM-04"].value == "contracted"
    assert asked == ["已列入问题清单"]
    assert list_ids(page) == ["GTM-04", "GTM-05", "GTM-06", "GTM-07"]
    assert page.item_view.ref.item.id == "GTM-04"
    nav_section = page.form.navigator.topLevelItem(0).child(1)
    assert nav_section.text(1) == "1/4" and nav_section.text(2) == "1"
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_1)  # 自主经营: compliant, the view moves on
    assert list_ids(page) == ["GTM-04", "GTM-06", "GTM-07"]
    assert wb.problem_for_item(opened.inspection_id, "GTM-04") is None  # an untouched problem goes away
    assert page.item_view.ref.item.id == "GTM-06"


def test_bad_number_is_refused_with_a_message(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr("selfcheck.gui.fill_in.page.show_user_error", lambda _p, err, _t="": errors.append(str(err)))
    page = opened.page("fill")
    page.select_item("GTM-03")
    editor = page.item_view.controls.findChild(QLineEdit, "answer_editor")
    qtbot.keyClicks(editor, "12.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert errors == ["检查项 GTM-03 需要填写整数。"]
    assert "GTM-03" not in opened.test_context.session.require().answers(opened.inspection_id)
    assert "尚未作答" in page.item_view.form.outcome_label.text()


def test_keys_move_between_items_and_sections(opened: Any, qtbot: Any) -> None:
    page = opened.page("fill")
    activate(qtbot, opened)
    page.form.item_list.setFocus()
    for _ in range(3):
        qtbot.keyClick(page.form.item_list, Qt.Key.Key_PageDown)
    assert page.item_view.ref.item.id == "GTM-04"  # on into the next section
    assert page.form.list_title_label.text().endswith("经营管理")
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert page.item_view.ref.item.id == "GTM-03"


def test_not_applicable_checklist_cannot_be_answered(opened: Any, qtbot: Any) -> None:
    from selfcheck.gui.session import Change
    from selfcheck.workbook.models import InspectionUpdate

    session = opened.test_context.session
    session.require().update_inspection(opened.inspection_id, InspectionUpdate(not_applicable={"gui-fees": "不收费"}))
    session.changed(Change("inspection", opened.inspection_id))
    opened.show_page("home")
    opened.form.action_page_fill.trigger()
    page = opened.page("fill")
    assert page.form.navigator.topLevelItem(1).text(1) == "不适用"
    assert page.form.navigator.topLevelItem(1).childCount() == 0
    page.form.filter_combo.setCurrentIndex(1)  # unanswered: nothing from the 不适用 checklist
    assert not [i for i in list_ids(page) if i.startswith("GTF")]


def test_ctrl_v_pastes_a_photo_to_the_current_item(opened: Any, qtbot: Any) -> None:
    from PySide6.QtGui import QColor, QGuiApplication, QImage

    page = opened.page("fill")
    page.select_item("GTM-02")
    image = QImage(200, 150, QImage.Format.Format_RGB32)
    image.fill(QColor("#4080c0"))
    QGuiApplication.clipboard().setImage(image)
    activate(qtbot, opened)
    page.form.item_list.setFocus()
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not opened.test_context.tasks.busy, timeout=20_000)
    photos = opened.test_context.session.require().photos(opened.inspection_id, "GTM-02")
    assert len(photos) == 1 and photos[0].original_name.startswith("粘贴的图片-")
    assert page.item_view.strip.list.count() == 1
    assert page.form.item_list.currentItem().text(3) == "1"
