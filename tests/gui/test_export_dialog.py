"""导出签名报告: a new school key made in the dialog, a wrong password refused, a signed PDF written; a key made out
to another school is flagged and needs a 是 before it signs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from selfcheck.gui.export_dialog import ExportReportDialog, KeyCreateDialog, default_report_name
from tests.gui.helpers import drive_dialog, type_text, record_user_errors

PASSWORD = "校园餐2026-secret"


@pytest.mark.slow
def test_create_key_then_export_signed_report(opened: Any, qtbot: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    wb = opened.test_context.session.require()
    wb.answers.set(opened.inspection_id, "GTM-01", "yes")
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: infos.append(f"{title}：{text}"))
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    errors: list[str] = []
    record_user_errors(monkeypatch, errors)
    out = tmp_path / "报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def make_key(dialog: KeyCreateDialog) -> None:
        assert dialog.school_edit.text() == "城关第一小学"
        create = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        type_text(dialog.password_edit, PASSWORD)
        type_text(dialog.confirm_edit, PASSWORD + "x")
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)  # a typo in the confirmation: refused, still open
        # the reason beside the field, the dialog still open
        assert "不一致" in dialog.error_label.text() and dialog.error_label.isVisible() and dialog.isVisible()
        dialog.confirm_edit.clear()
        type_text(dialog.confirm_edit, PASSWORD)
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)

    def export(dialog: ExportReportDialog) -> None:
        f = dialog.form
        ok = f.button_box.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled() and "还没有学校密钥" in f.key_info_label.text()
        assert f.out_edit.text().endswith("城关第一小学关于秋季自查情况的报告.pdf")
        assert "还有" in f.readiness_label.text()  # unanswered items are reported, not hidden
        qtbot.mouseClick(f.key_create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(infos), timeout=30_000)
        assert infos[0].startswith("密钥已新建") and ok.isEnabled()
        assert "证书单位：城关第一小学" in f.key_info_label.text()
        assert "不一致" not in f.key_info_label.text()  # the school's own key: no warning
        qtbot.mouseClick(f.out_button, Qt.MouseButton.LeftButton)
        assert f.out_edit.text() == str(out)

        f.password_edit.clear()
        type_text(f.password_edit, "wrong-password")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
        assert "密码" in errors[0] and not out.exists() and dialog.isVisible()

        f.password_edit.clear()
        type_text(f.password_edit, PASSWORD)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(boxes), timeout=60_000)

    seen = drive_dialog(monkeypatch, ExportReportDialog, export)
    drive_dialog(monkeypatch, KeyCreateDialog, make_key)
    opened.form.action_export_report.trigger()
    assert len(seen) == 1
    assert len(boxes) == 1 and boxes[0].startswith("已导出并签名") and str(out) in boxes[0]  # no school warning
    assert out.read_bytes().startswith(b"%PDF")
    assert not seen[0].isVisible()


def test_key_rules_shown_rejected_password_kept_and_not_asked_again(opened: Any, qtbot: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The password rules show before typing; a short or mistyped password keeps the dialog open with the reason
    beside the fields; right after creating the key, 导出并签名 does not ask for the password again."""
    from selfcheck.signing.keys import MIN_PASSWORD_LENGTH, PASSWORD_RULES_TEXT

    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: boxes.append(f"{title}：{text}"))
    out = tmp_path / "报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    outcomes: list[str] = []

    def make_key(dialog: KeyCreateDialog) -> None:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert dialog.rules_label.isVisible() and dialog.rules_label.text() == PASSWORD_RULES_TEXT
        assert str(MIN_PASSWORD_LENGTH) in dialog.rules_label.text()
        type_text(dialog.password_edit, "abc")
        type_text(dialog.confirm_edit, "abc")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.error_label.isVisible() and "太短" in dialog.error_label.text()
        dialog.password_edit.clear()
        type_text(dialog.password_edit, PASSWORD)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "不一致" in dialog.error_label.text()
        dialog.confirm_edit.clear()
        type_text(dialog.confirm_edit, PASSWORD)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        outcomes.append("created")

    def export(dialog: ExportReportDialog) -> None:
        f = dialog.form
        qtbot.mouseClick(f.key_create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(b.startswith("密钥已新建") for b in boxes), timeout=30_000)
        fingerprint_box = next(b for b in boxes if b.startswith("密钥已新建"))
        assert re.search(r"([0-9A-F]{2}:){15}[0-9A-F]{2}\n([0-9A-F]{2}:){15}[0-9A-F]{2}", fingerprint_box)
        assert re.search(r"([0-9A-F]{2}:){15}[0-9A-F]{2}<br/>", f.key_info_label.text())  # the same look
        qtbot.mouseClick(f.out_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(f.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: out.exists() and any(b.startswith("已导出并签名") for b in boxes), timeout=60_000)

    drive_dialog(monkeypatch, KeyCreateDialog, make_key)
    drive_dialog(monkeypatch, ExportReportDialog, export)
    opened.form.action_export_report.trigger()
    assert outcomes == ["created"] and out.read_bytes().startswith(b"%PDF")


def test_report_path_can_be_typed(opened: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.gui.export_dialog import ExportReportDialog as Dialog

    dialog = Dialog(opened.test_context, opened.inspection_id, opened)
    edit = dialog.form.out_edit
    assert not edit.isReadOnly()
    assert Path(edit.text()).parent == opened.test_context.settings.output_folder("report")
    edit.clear()
    type_text(edit, str(tmp_path / "给区县的报告"))
    edit.editingFinished.emit()  # what Enter or leaving the field does
    assert dialog.out_path == tmp_path / "给区县的报告.pdf" and edit.text() == str(tmp_path / "给区县的报告.pdf")
    dialog.deleteLater()


def test_export_needs_an_open_inspection(make_window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: told.append(text))
    from selfcheck.gui.export_dialog import run_export_report

    run_export_report(window.test_context, window)
    assert told == ["请先在首页打开一次自查，再导出它的报告。"]


@pytest.mark.parametrize("title, name", [
    ("2026年秋季学期1+3+N专项自查", "某校关于2026年秋季学期1+3+N专项自查情况的报告.pdf"),
    ("专项自查（第二轮）", "某校关于专项自查（第二轮）情况的报告.pdf"),
    ("食堂检查 9/1", "某校关于食堂检查 9_1自查情况的报告.pdf"),
])
def test_default_report_name(title: str, name: str) -> None:
    assert default_report_name("某校", title) == name


NEIGHBOUR = "城关第二小学"


def _make_key(folder: Path, school: str, *, with_cer: bool = True) -> Path:
    from selfcheck.signing.keys import certificate_path_for, create_school_key

    folder.mkdir(parents=True, exist_ok=True)
    p12 = create_school_key(folder / "school.p12", school, PASSWORD).path
    if not with_cer:  # only the .p12 was copied over: the certificate can be read only with the password
        certificate_path_for(p12).unlink()
    return p12


class Boxes:
    """Stands in for QMessageBox.exec: shows each box, records it, and clicks the button the test chose."""

    def __init__(self, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[dict[str, Any]] = []
        self.answers: list[str] = []  # texts of the buttons to click, in order, for the school confirmation
        boxes = self

        def fake_exec(box: QMessageBox) -> int:
            box.show()
            buttons = {b.text(): b for b in box.buttons()}
            default = box.defaultButton()
            boxes.seen.append({"title": box.windowTitle(), "text": box.text(), "info": box.informativeText(),
                               "buttons": sorted(buttons), "default": default.text() if default else None})
            if "是" in buttons:
                qtbot.mouseClick(buttons[boxes.answers.pop(0)], Qt.MouseButton.LeftButton)
            else:
                box.button(QMessageBox.StandardButton.Close).click()
            return box.result()

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)

    def school_warnings(self) -> list[dict[str, Any]]:
        return [b for b in self.seen if b["title"] == "密钥与本校不一致"]


def _export_with(opened: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, out: Path, key: Path,
                 script: Any) -> list[Any]:
    opened.test_context.settings.key_file = key
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def drive(dialog: ExportReportDialog) -> None:
        qtbot.mouseClick(dialog.form.out_button, Qt.MouseButton.LeftButton)
        type_text(dialog.form.password_edit, PASSWORD)
        script(dialog)

    seen = drive_dialog(monkeypatch, ExportReportDialog, drive)
    opened.form.action_export_report.trigger()
    assert len(seen) == 1
    return seen


def _click_export(qtbot: Any, dialog: ExportReportDialog, until: Any) -> None:
    qtbot.mouseClick(dialog.form.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(until, timeout=60_000)
    tasks = dialog.parent().test_context.tasks  # the main window's
    qtbot.waitUntil(lambda: not tasks.busy, timeout=60_000)


@pytest.mark.slow
def test_a_key_of_another_school_is_flagged_and_declining_writes_nothing(
        opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.verification.report import verify_report

    key = _make_key(tmp_path / "neighbour", NEIGHBOUR)
    boxes = Boxes(qtbot, monkeypatch)
    out = tmp_path / "报告.pdf"

    def script(dialog: ExportReportDialog) -> None:
        label = dialog.form.key_info_label.text()  # the .cer beside the key is read before any password
        assert f"证书单位：{NEIGHBOUR}" in label and "⚠" in label and "城关第一小学" in label

        boxes.answers.append("否")
        _click_export(qtbot, dialog, lambda: bool(boxes.school_warnings()))
        warning = boxes.school_warnings()[0]
        assert f"密钥证书上的学校是“{NEIGHBOUR}”，与本工作簿的学校“城关第一小学”不一致" in warning["text"]
        assert "仍要用这个密钥签名并导出报告吗" in warning["info"]
        assert warning["buttons"] == ["否", "是"] and warning["default"] == "否"
        assert not out.exists() and list(tmp_path.glob("*.tmp")) == [] and dialog.isVisible()
        assert len(boxes.seen) == 1  # declined: nothing ran, nothing more was said

        boxes.answers.append("是")  # the user decides it is right after all
        _click_export(qtbot, dialog, lambda: out.exists() and not dialog.isVisible())

    _export_with(opened, qtbot, monkeypatch, out, key, script)
    assert len(boxes.school_warnings()) == 2 and boxes.seen[-1]["title"] == "报告已导出"
    result = verify_report(out)
    # the district sees it as well: another school's certificate on this school's report never verifies
    assert result.exit_code == 1 and result.signatures[0].signer_school == NEIGHBOUR
    assert result.failure_kinds == {"other_school"}
    assert any(NEIGHBOUR in p and "城关第一小学" in p for p in result.problems)


def test_a_copied_key_without_its_certificate_is_checked_once_the_password_opens_it(
        opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _make_key(tmp_path / "copied", NEIGHBOUR, with_cer=False)
    boxes = Boxes(qtbot, monkeypatch)
    out = tmp_path / "报告.pdf"

    def script(dialog: ExportReportDialog) -> None:
        assert "输入密码后才能查看证书信息" in dialog.form.key_info_label.text()
        boxes.answers.append("否")
        _click_export(qtbot, dialog, lambda: bool(boxes.school_warnings()))
        assert NEIGHBOUR in boxes.school_warnings()[0]["text"]
        label = dialog.form.key_info_label.text()  # now read from the key itself
        assert f"证书单位：{NEIGHBOUR}" in label and "⚠" in label
        assert not out.exists() and dialog.isVisible()
        dialog.reject()

    _export_with(opened, qtbot, monkeypatch, out, key, script)
    assert not out.exists()


@pytest.mark.slow
def test_the_schools_own_key_signs_without_asking(opened: Any, qtbot: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    key = _make_key(tmp_path / "own", "城关 第一小学")  # typed with a space on the certificate: the same school
    boxes = Boxes(qtbot, monkeypatch)
    out = tmp_path / "报告.pdf"

    def script(dialog: ExportReportDialog) -> None:
        assert "⚠" not in dialog.form.key_info_label.text()
        _click_export(qtbot, dialog, lambda: out.exists() and not dialog.isVisible())

    _export_with(opened, qtbot, monkeypatch, out, key, script)
    assert [b["title"] for b in boxes.seen] == ["报告已导出"]
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_a_100_character_school_name_goes_on_the_key_whole_and_the_report_verifies(
        opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbook's school is as long as it may be: the dialog offers it uncut, the key is made (O whole, CN
    shortened), the report signs without asking about another school and verifies against the pinned certificate."""
    from selfcheck.signing.keys import load_key
    from selfcheck.verification.identity import pins_from_certificates
    from selfcheck.verification.report import verify_report
    from selfcheck.workbook.models import SchoolProfile
    from tests.report.fixtures import LONG_SCHOOL

    opened.test_context.session.require().save_school(SchoolProfile(name=LONG_SCHOOL, principal="王校长"))
    boxes = Boxes(qtbot, monkeypatch)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: infos.append(f"{title}：{text}"))
    errors: list[str] = []
    record_user_errors(monkeypatch, errors)
    out = tmp_path / "报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def make_key(dialog: KeyCreateDialog) -> None:
        assert dialog.school_edit.text() == LONG_SCHOOL  # the whole name, not cut to fit a field
        type_text(dialog.password_edit, PASSWORD)
        type_text(dialog.confirm_edit, PASSWORD)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        assert not dialog.isVisible() and not dialog.error_label.isVisible()

    def export(dialog: ExportReportDialog) -> None:
        f = dialog.form
        assert LONG_SCHOOL in f.header_label.text()
        qtbot.mouseClick(f.key_create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(infos) or bool(errors), timeout=30_000)
        assert errors == [] and infos[0].startswith("密钥已新建")
        assert f"证书单位：{LONG_SCHOOL}" in f.key_info_label.text() and "⚠" not in f.key_info_label.text()
        qtbot.mouseClick(f.out_button, Qt.MouseButton.LeftButton)
        _click_export(qtbot, dialog, lambda: out.exists() and not dialog.isVisible())

    drive_dialog(monkeypatch, KeyCreateDialog, make_key)
    drive_dialog(monkeypatch, ExportReportDialog, export)
    opened.form.action_export_report.trigger()
    assert [b["title"] for b in boxes.seen] == ["报告已导出"] and errors == []  # no 密钥与本校不一致
    key = load_key(opened.test_context.settings.key_file, PASSWORD)
    assert key.info.school == LONG_SCHOOL
    result = verify_report(out, pins_from_certificates([key.certificate]))
    assert result.exit_code == 0 and result.problems == [], result.problems
    assert result.signer_school == LONG_SCHOOL and result.report_data.school.name == LONG_SCHOOL


@pytest.mark.parametrize("school", ["𠀀" * 100, "城关第一小学" * 16 + "东校区一", "城关第一小学" * 16 + "东校区一部"],
                         ids=["100-rare", "100", "101"])
def test_the_key_dialog_never_cuts_a_name_and_refuses_one_too_long_in_chinese(qtbot: Any, school: str) -> None:
    """Qt counts a rare character (CJK Extension B) as two: a 100-character name of them still fits whole. A name
    longer than a workbook's keeps the dialog open with the reason beside the field."""
    dialog = KeyCreateDialog(school)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.school_edit.text() == school
    type_text(dialog.password_edit, PASSWORD)
    type_text(dialog.confirm_edit, PASSWORD)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    if len(school) <= 100:
        assert dialog.result() == KeyCreateDialog.DialogCode.Accepted and not dialog.error_label.isVisible()
    else:
        assert dialog.isVisible() and dialog.error_label.isVisible()
        assert dialog.error_label.text() == f"⚠ 学校名称过长：最多 100 个字，现在有 {len(school)} 个字。"
        assert dialog.school_edit.selectedText() == school  # the field to fix, selected
