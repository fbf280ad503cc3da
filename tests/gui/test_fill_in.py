"""填报 details: show_if items, choice keys, bad numbers, read-only 不适用 checklists; the layout at 1366×768 / 150 %."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWidget

from selfcheck.checklists.loader import load_builtin_checklists, sort_checklists
from selfcheck.gui.catalog import ChecklistCatalog
from selfcheck.gui.item_text import basis_text
from selfcheck.gui.screenshots import longest_reference_item
from selfcheck.gui.session import Change
from selfcheck.workbook.models import NewInspection, SchoolProfile
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


# --- layout at office-PC screen sizes: the photos never sit below the fold ---------------------------------------

def builtin_catalog() -> ChecklistCatalog:
    return ChecklistCatalog(sort_checklists(load_builtin_checklists()))


def visible_part(widget: QWidget) -> QRect:
    """The part of `widget` not clipped away by any of its ancestors, in window coordinates."""
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def assert_fully_visible(widget: QWidget, what: str) -> None:
    assert widget.isVisible(), f"{what} is hidden"
    whole = QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())
    assert visible_part(widget) == whole, f"{what} is cut off: {visible_part(widget)} of {whole}"


def open_on_longest_item(make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         size: tuple[int, int]) -> Any:
    """The window at `size` on the built-in item with the longest guidance + policy basis, answered 否 (its tallest
    state: outcome line and problem line shown)."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    window = make_window()
    window.resize(*size)  # before the page is first shown: that is when it shares out the width
    session = window.test_context.session
    catalog = window.test_context.checklists()
    item_id = longest_reference_item(catalog.checklists)
    session.create(tmp_path / "学校.selfcheck")
    workbook = session.require()
    workbook.save_school(SchoolProfile(name="城关第一小学", principal="王校长", preparer="李老师"))
    inspection = workbook.create_inspection(NewInspection(
        title="秋季自查", period_start=date(2026, 9, 1), period_end=date(2026, 9, 30),
        checklist_ids=[c.id for c in catalog.checklists]), available=catalog.checklists)
    item = next(i for c in catalog.checklists for i in c.all_items() if i.id == item_id)
    if item.show_if is not None:  # answer the item it depends on, so that it shows
        workbook.set_answer(inspection.id, item.show_if.item, item.show_if.equals or (item.show_if.in_ or [""])[0])
    session.changed(Change("inspection", inspection.id))
    window.open_inspection(inspection.id)
    page = window.page("fill")
    page.select_item(item_id)
    assert page.item_view.ref.item.id == item_id
    page.answer("no")
    assert page.item_view.form.problem_frame.isVisible()
    assert window.size() == QSize(*size)
    for _ in range(5):  # layouts settle over a few posted events (layout requests, then the scroll areas' resizes)
        QApplication.processEvents()
    return window


# 1280×720 is what a 1920×1080 laptop at 150 % scaling gives in device-independent pixels.
@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)], ids=["1366x768", "1280x720-is-150%"])
@pytest.mark.parametrize("catalog", [pytest.param(builtin_catalog(), id="builtin")])
def test_longest_item_keeps_answers_note_and_photos_in_view(
        make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    window = open_on_longest_item(make_window, tmp_path, monkeypatch, size)
    page = window.page("fill")
    view = page.item_view
    f = view.form
    ref = view.ref
    assert page.form.item_scroll.verticalScrollBar().maximum() == 0, "the item view itself must not need scrolling"
    assert_fully_visible(f.question_label, "the question")
    buttons = view.controls.findChildren(QPushButton)
    assert {b.text() for b in buttons} == {"是（1）", "否（2）", "不适用（3）"}
    for button in buttons:
        assert_fully_visible(button, f"answer button {button.text()}")
    assert_fully_visible(view.controls.clear_button, "清除答案")
    assert_fully_visible(f.problem_frame, "the problem line")
    assert_fully_visible(f.note_edit, "the note")
    assert_fully_visible(view.strip.add_button, "添加照片…")
    assert_fully_visible(view.strip.list, "the photo thumbnails")

    # The reference texts keep a readable box, hold every word, and scroll on their own to the last line.
    scroll, label = f.reference_scroll, f.details_label
    lines = scroll.viewport().height() / label.fontMetrics().lineSpacing()
    assert lines >= 3, f"reference box only {lines:.1f} lines tall"
    text = label.text()
    assert escape(ref.item.guidance) in text
    assert escape(ref.item.evidence.description) in text
    for basis in ref.item.basis:
        assert escape(basis_text(ref.checklist, basis)) in text
    assert label.height() >= label.heightForWidth(label.width())  # laid out whole, not clipped
    add_button_at = view.strip.add_button.mapTo(window, QPoint(0, 0))
    bar = scroll.verticalScrollBar()  # at 1366×768 the whole text fits; at 150 % it scrolls
    bar.setValue(bar.maximum())
    bottom = label.mapTo(scroll.viewport(), QPoint(0, label.height()))
    assert bottom.y() <= scroll.viewport().height(), "the end of the policy basis cannot be scrolled into view"
    assert view.strip.add_button.mapTo(window, QPoint(0, 0)) == add_button_at  # only the text moved


@pytest.mark.parametrize("catalog", [pytest.param(builtin_catalog(), id="builtin")])
def test_on_a_large_screen_the_whole_text_shows_and_the_answers_follow_it(
        make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_on_longest_item(make_window, tmp_path, monkeypatch, (1920, 1040))
    f = window.page("fill").item_view.form
    scroll = f.reference_scroll
    assert scroll.verticalScrollBar().maximum() == 0  # all of it, no scroll bar
    # No gap: the answers sit right under the text; the room left over goes below the photos.
    assert f.answer_group.y() - (scroll.y() + scroll.height()) <= f.main_layout.spacing()
