"""The whole flow through real widgets: first run → inspection → answers, photos, problem → ledger → reopen."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from selfcheck.gui.fill_in.page import FillInPage
from selfcheck.gui.ledger.problem_dialog import ProblemDialog
from selfcheck.gui.new_inspection import COL_NA, COL_REASON, COL_TITLE, NewInspectionDialog
from selfcheck.gui.profile import FirstRunDialog
from selfcheck.paths import default_workbook_path
from selfcheck.workbook.models import PhotoKind, ProblemStatus
from tests.gui.helpers import activate, drive_dialog, type_text, record_user_errors

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


def make_jpeg(path: Path, color: str, size: tuple[int, int] = (640, 480)) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


class Answers:
    """QMessageBox.question answers, in order; records each question's title."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.queue: list[QMessageBox.StandardButton] = []
        self.asked: list[str] = []
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _question(self, _parent: Any, title: str, _text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        self.asked.append(title)
        assert self.queue, f"unexpected question: {title}"
        return self.queue.pop(0)


def click_ok(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def wait_tasks(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: not window.test_context.tasks.busy, timeout=20_000)


def press(qtbot: Any, widget: Any, key: Qt.Key) -> None:
    """A key press as on a desktop: the window is active again once a dialog has closed (offscreen, it is not)."""
    activate(qtbot, widget.window())
    widget.setFocus()
    qtbot.keyClick(widget, key)


def drop_files(widget: Any, paths: list[Path]) -> None:
    """A real drag-and-drop of files onto `widget` (enter, then drop)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(widget.rect().center())
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()


def test_whole_flow(make_window: Any, settings: Any, qtbot: Any, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    answers = Answers(monkeypatch)
    settings.first_run_done = False

    # --- first run: welcome → new workbook → school profile -----------------------------------------------------
    def first_run(dialog: FirstRunDialog) -> None:
        qtbot.mouseClick(dialog.form.new_button, Qt.MouseButton.LeftButton)
        assert dialog.form.pages.currentWidget() is dialog.form.profile_page
        qtbot.mouseClick(dialog.form.finish_button, Qt.MouseButton.LeftButton)  # name missing: refused
        assert dialog.isVisible()
        type_text(dialog.profile_form.form.name_edit, "城关第一小学")
        type_text(dialog.profile_form.form.principal_edit, "王校长")
        type_text(dialog.profile_form.form.preparer_edit, "李老师")
        qtbot.mouseClick(dialog.form.finish_button, Qt.MouseButton.LeftButton)

    errors: list[str] = []
    record_user_errors(monkeypatch, errors)
    seen = drive_dialog(monkeypatch, FirstRunDialog, first_run)
    window = make_window()
    context = window.test_context
    assert len(seen) == 1 and errors == ["请填写学校名称。"]
    assert settings.first_run_done
    workbook_path = default_workbook_path()
    assert context.session.path == workbook_path
    workbook = context.session.require()
    assert workbook.get_school().name == "城关第一小学"
    home = window.page("home")
    assert home.form.school_label.text() == "城关第一小学"
    assert home.form.empty_label.isVisible()

    # --- new inspection: fees marked 不适用 with a reason -------------------------------------------------------------
    def new_inspection(dialog: NewInspectionDialog) -> None:
        assert "王校长（组长）" in dialog.form.team_edit.text()
        dialog.form.title_edit.clear()
        type_text(dialog.form.title_edit, "2026年秋季学期自查")
        table = dialog.form.checklist_table
        row = next(r for r in range(table.rowCount()) if table.item(r, COL_TITLE).data(Qt.ItemDataRole.UserRole) == "gui-fees")
        table.item(row, COL_NA).setCheckState(Qt.CheckState.Checked)
        assert table.item(row, COL_REASON).flags() & Qt.ItemFlag.ItemIsEditable
        table.item(row, COL_REASON).setText("本校不收取任何费用")
        click_ok(qtbot, dialog)

    drive_dialog(monkeypatch, NewInspectionDialog, new_inspection)
    qtbot.mouseClick(home.form.new_button, Qt.MouseButton.LeftButton)
    assert window.current_page_name() == "fill"
    [inspection] = workbook.inspections.all()
    assert inspection.title == "2026年秋季学期自查"
    assert workbook.inspections.get(inspection.id).not_applicable == {"gui-fees": "本校不收取任何费用"}
    page: FillInPage = window.page("fill")
    nav = page.form.navigator
    assert nav.topLevelItem(1).text(1) == "不适用"
    assert page.item_view.form.question_label.text().startswith("是否落实校长")

    # --- answer by keys: 1 = 是, and the view moves on -----------------------------------------------------------------
    press(qtbot, page.form.item_list, Qt.Key.Key_1)
    assert workbook.answers.all(inspection.id)["GTM-01"].value == "yes"
    assert page.item_view.ref.item.id == "GTM-02"
    assert nav.topLevelItem(0).child(0).text(1) == "1/3"

    # --- answer 否 by clicking: the problem is created and its plan filled in at once --------------------------------------
    def fill_plan(dialog: ProblemDialog) -> None:
        type_text(dialog.form.measures_edit, "建立陪餐制度，每天安排校领导陪餐并记录")
        dialog.form.rect_type_combo.setCurrentText("长效机制")
        type_text(dialog.form.leader_edit, "王校长")
        type_text(dialog.form.department_edit, "总务处")
        type_text(dialog.form.person_edit, "李老师")
        dialog.form.deadline_edit.setDate(dialog.form.deadline_edit.date().currentDate().addDays(30))
        click_ok(qtbot, dialog)

    drive_dialog(monkeypatch, ProblemDialog, fill_plan)
    answers.queue.append(YES)
    qtbot.mouseClick(page.item_view.controls._buttons["no"], Qt.MouseButton.LeftButton)
    assert answers.asked == ["已列入问题清单"]
    problem = workbook.ledger.for_item(inspection.id, "GTM-02")
    assert problem is not None and problem.has_plan and problem.person == "李老师"
    assert page.item_view.form.problem_frame.isVisible()
    assert "问题 #" in page.item_view.form.problem_label.text()
    assert nav.topLevelItem(0).child(0).text(2) == "1"

    # --- a note is saved when the user moves on -------------------------------------------------------------------------------
    type_text(page.item_view.form.note_edit, "陪餐记录本缺失")
    qtbot.mouseClick(page.item_view.form.prev_button, Qt.MouseButton.LeftButton)
    assert workbook.answers.all(inspection.id)["GTM-02"].note == "陪餐记录本缺失"

    # --- photos on GTM-01: file dialog, drop, paste ----------------------------------------------------------------------------
    assert page.item_view.ref.item.id == "GTM-01"
    assert "尚缺照片" in page.item_view.form.evidence_group.title()
    first = make_jpeg(tmp_path / "任命文件.jpg", "#2060a0")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(first)], ""))
    strip = page.item_view.strip
    qtbot.mouseClick(strip.add_button, Qt.MouseButton.LeftButton)
    wait_tasks(qtbot, window)
    assert strip.list.count() == 1
    assert "尚缺照片" not in page.item_view.form.evidence_group.title()

    dropped = [make_jpeg(tmp_path / "职责1.jpg", "#a02020"), make_jpeg(tmp_path / "职责2.jpg", "#20a020")]
    drop_files(strip.list.viewport(), dropped)
    wait_tasks(qtbot, window)
    assert strip.list.count() == 3

    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0a040"))
    QGuiApplication.clipboard().setImage(image)

    qtbot.mouseClick(strip.paste_button, Qt.MouseButton.LeftButton)
    wait_tasks(qtbot, window)
    photos = workbook.photos.all(inspection.id, "GTM-01")
    assert [p.original_name for p in photos][:3] == ["任命文件.jpg", "职责1.jpg", "职责2.jpg"]
    assert photos[3].original_name.startswith("粘贴的图片-") and len(photos) == 4
    assert strip.list.count() == 4
    assert page.form.item_list.topLevelItem(0).text(3) == "4"

    # the same file again is refused with a clear message, nothing is added
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: warnings.append(box.informativeText()) or 0)
    drop_files(strip.list.viewport(), [first])
    wait_tasks(qtbot, window)
    assert len(workbook.photos.all(inspection.id, "GTM-01")) == 4
    assert warnings and "任命文件.jpg" in warnings[0]

    # --- remove a photo, then undo ----------------------------------------------------------------------------------------------
    strip.list.setCurrentRow(1)
    answers.queue.append(YES)
    qtbot.mouseClick(strip.remove_button, Qt.MouseButton.LeftButton)
    assert strip.list.count() == 3 and strip.undo_bar.isVisible()
    assert len(workbook.photos.all(inspection.id, "GTM-01")) == 3
    activate(qtbot, window)
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert strip.list.count() == 4
    assert len(workbook.photos.all(inspection.id, "GTM-01")) == 4

    # --- a number below the compliant range: 否 without filling the plan now ---------------------------------------------------------
    page.select_item("GTM-03")
    editor = page.item_view.controls.findChild(type(page.form.search_edit), "answer_editor")
    qtbot.keyClicks(editor, "8")
    answers.queue.append(NO)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert workbook.answers.all(inspection.id)["GTM-03"].value == "8"
    assert workbook.ledger.for_item(inspection.id, "GTM-03") is not None
    assert "不合规" in page.item_view.form.outcome_label.text()

    # --- filters: unanswered shows the rest; Ctrl+F search ------------------------------------------------------------------------------
    page.form.filter_combo.setCurrentIndex(1)
    shown = [page.form.item_list.topLevelItem(i).text(0) for i in range(page.form.item_list.topLevelItemCount())]
    assert shown == ["GTM-04", "GTM-06", "GTM-07"]
    page.form.filter_combo.setCurrentIndex(2)
    shown = [page.form.item_list.topLevelItem(i).text(0) for i in range(page.form.item_list.topLevelItemCount())]
    assert shown == ["GTM-02", "GTM-03"]
    page.form.filter_combo.setCurrentIndex(0)
    activate(qtbot, window)
    qtbot.keyClick(page.form.item_list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.form.search_edit.hasFocus()
    type_text(page.form.search_edit, "满意度")
    assert page.form.item_list.topLevelItemCount() == 1
    assert page.form.item_list.topLevelItem(0).text(0) == "GTM-06"
    page.form.search_edit.clear()

    # --- ledger: every status step, each asking for what it needs -----------------------------------------------------------------------
    page.select_item("GTM-02")
    qtbot.mouseClick(page.item_view.form.problem_ledger_button, Qt.MouseButton.LeftButton)
    ledger = window.page("ledger")
    assert window.current_page_name() == "ledger"
    assert ledger.selected().id == problem.id
    assert ledger.form.advance_button.text() == "开始整改…"

    def step(dialog: ProblemDialog) -> None:
        if dialog.step is ProblemStatus.RECTIFIED:
            qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok),
                             Qt.MouseButton.LeftButton)  # 完成情况 missing: refused, dialog stays
            assert dialog.isVisible()
            type_text(dialog.form.done_description_edit, "已建立陪餐制度并公示，陪餐记录完整")
        if dialog.step is ProblemStatus.CLOSED:
            assert not dialog.form.plan_group.isVisibleTo(dialog)
            type_text(dialog.form.verified_by_edit, "王校长")
            type_text(dialog.form.closed_by_edit, "王校长")
        click_ok(qtbot, dialog)

    errors.clear()
    record_user_errors(monkeypatch, errors)
    drive_dialog(monkeypatch, ProblemDialog, step)
    for expected in (ProblemStatus.IN_PROGRESS, ProblemStatus.RECTIFIED, ProblemStatus.CLOSED):
        qtbot.mouseClick(ledger.form.advance_button, Qt.MouseButton.LeftButton)
        assert workbook.ledger.get(problem.id).status is expected
    assert errors == ["请填写：完成情况。"]
    closed = workbook.ledger.get(problem.id)
    assert closed.closed_on == date.today() and closed.verified_by == "王校长"
    status_col = next(c for c in range(ledger.model.columnCount()) if ledger.model.headerData(
        c, Qt.Orientation.Horizontal) == "整改状态")
    assert ledger.proxy.index(ledger.form.table.currentIndex().row(), status_col).data() == "已销号"
    assert not ledger.form.advance_button.isEnabled()

    # after-photo on the closed problem
    after = make_jpeg(tmp_path / "整改后.jpg", "#208080")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(after)], ""))

    def after_photos(dialog: Any) -> None:
        qtbot.mouseClick(dialog.strip.add_button, Qt.MouseButton.LeftButton)
        wait_tasks(qtbot, window)
        assert dialog.strip.list.count() == 1

    from selfcheck.gui.ledger.dialogs import AfterPhotosDialog

    drive_dialog(monkeypatch, AfterPhotosDialog, after_photos)
    qtbot.mouseClick(ledger.form.photos_button, Qt.MouseButton.LeftButton)
    assert workbook.ledger.get(problem.id).after_photos == 1
    assert len(workbook.photos.all(inspection.id, problem_id=problem.id, kind=PhotoKind.AFTER)) == 1

    # status-bar saved indicator
    assert window.findChild(type(home.form.school_label), "status_saved").text().startswith("✔ 已保存")

    # --- close and reopen: everything is there ------------------------------------------------------------------------------------------
    window.close()
    assert context.session.workbook is None
    settings.first_run_done = True
    again = make_window()
    assert again.test_context.session.path == workbook_path  # the last workbook opens by itself
    home2 = again.page("home")
    assert home2.form.table.rowCount() == 1
    assert home2.form.table.item(0, 0).text() == "2026年秋季学期自查"
    assert home2.form.table.item(0, 2).text() == "3/6"  # GTM-05 only shows when GTM-04 is 对外承包
    wb2 = again.test_context.session.require()
    assert wb2.ledger.get(problem.id).status is ProblemStatus.CLOSED
    assert len(wb2.photos.all(inspection.id, "GTM-01")) == 4
    again.form.action_page_fill.trigger()
    page2 = again.page("fill")
    assert page2.state.value("GTM-01") == "yes"
    assert page2.item_view.strip.list.count() == 4
    assert wb2.audit.verify().ok

