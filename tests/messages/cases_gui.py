"""Cases for the school window's dialogs: what a user leaves empty or types wrong in 学校信息, 新建自查 / 回头看,
导出签名报告 and the ledger's dialogs. Each builds the real dialog, types into its real widgets and clicks its real
buttons; the real warning box is built and shown, only its modal exec is stubbed (tests.gui.helpers), and the
message it shows is what the case pins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from tests.messages.support import Env

GUI_DATA = Path(__file__).parent.parent / "gui" / "data"


def _shown(env: Env, act: Callable[[], None]) -> None:
    """Run `act` (clicks in a dialog); the first user-error box it shows becomes the UserError the case checks."""
    from selfcheck.errors import UserError
    from tests.gui.helpers import record_user_errors

    shown: list[str] = []
    record_user_errors(env.monkeypatch, shown)
    act()
    assert shown, "no message box was shown"
    message, _, hint = shown[0].partition("\n")
    raise UserError(message, hint=hint or None)


def _context(env: Env, *, checklists: bool = True, inspection: bool = True) -> tuple[Any, int | None]:
    """The window's services over a new workbook with the school filled in and (`inspection`) one inspection."""
    from PySide6.QtCore import QSettings

    from selfcheck.checklists.loader import load_checklist_file, sort_checklists
    from selfcheck.gui.app import build_context
    from selfcheck.gui.catalog import ChecklistCatalog
    from selfcheck.gui.settings import AppSettings
    from selfcheck.workbook.models import NewInspection, SchoolProfile

    env.fixture("qtbot")
    settings = AppSettings(QSettings(str(env.tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.first_run_done = True
    loaded = sort_checklists(load_checklist_file(p) for p in sorted((GUI_DATA / "checklists").glob("*.yaml")))
    context = build_context(settings=settings, catalog=ChecklistCatalog(loaded if checklists else []), actor="测试员")
    context.session.create(env.tmp / "学校.selfcheck")
    env.opened.append(context.session)
    workbook = context.session.require()
    workbook.save_school(SchoolProfile(name="城关第一小学", principal="王校长", preparer="李老师"))
    if not inspection:
        return context, None
    created = workbook.inspections.create(NewInspection(
        title="秋季自查", period_start=date(2026, 9, 1), period_end=date(2026, 9, 30),
        checklist_ids=[c.id for c in loaded]), available=loaded)
    return context, created.id


def _parent(env: Env) -> Any:
    from PySide6.QtWidgets import QWidget

    qtbot = env.fixture("qtbot")  # the QApplication first
    widget = QWidget()
    qtbot.addWidget(widget)
    env.opened.append(widget)  # held for the case: a dialog dies with its parent
    return widget


def _click_ok(env: Env, box: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    ok = box.button(QDialogButtonBox.StandardButton.Ok) or box.button(QDialogButtonBox.StandardButton.Save)
    env.fixture("qtbot").mouseClick(ok, Qt.MouseButton.LeftButton)


def _drive(env: Env, cls: type, script: Callable[[Any], None]) -> list[Any]:
    from tests.gui.helpers import drive_dialog

    def run(dialog: Any) -> None:
        script(dialog)
        if dialog.isVisible():
            dialog.reject()

    return drive_dialog(env.monkeypatch, cls, run)


# --- gui/profile.py: 学校信息 -------------------------------------------------------------------------------------


def _profile_without_name(env: Env) -> None:
    from selfcheck.gui.profile import SchoolProfileDialog
    from selfcheck.workbook.models import SchoolProfile

    saved: list[SchoolProfile] = []
    dialog = SchoolProfileDialog(SchoolProfile(name="城关第一小学"), saved.append, _parent(env))
    dialog.show()
    dialog.profile_form.form.name_edit.clear()

    def save() -> None:
        _click_ok(env, dialog.form.button_box)
        assert dialog.isVisible() and not saved

    _shown(env, save)


def _first_run_without_name(env: Env) -> None:
    """The welcome dialog: 新建 → the school's details → 完成 with the name left empty."""
    from PySide6.QtCore import Qt

    from selfcheck.gui.profile import FirstRunDialog

    qtbot = env.fixture("qtbot")
    created: list[Path] = []
    dialog = FirstRunDialog(env.tmp / "学校.selfcheck", lambda path, _profile: created.append(path), _parent(env))
    dialog.show()
    qtbot.mouseClick(dialog.form.new_button, Qt.MouseButton.LeftButton)
    _type(dialog.profile_form.form.principal_edit, "王校长")
    _shown(env, lambda: qtbot.mouseClick(dialog.form.finish_button, Qt.MouseButton.LeftButton))
    assert dialog.isVisible() and not created and dialog.choice is None


# --- gui/new_inspection.py: 新建自查, 回头看 ---------------------------------------------------------------------


def _new_inspection(env: Env, script: Callable[[Any], None], *, follow_up: bool = False, checklists: bool = True,
                    inspection: bool = True) -> None:
    from selfcheck.gui.new_inspection import NewInspectionDialog, run_new_inspection

    context, _ = _context(env, checklists=checklists, inspection=inspection)

    def fill(dialog: Any) -> None:
        script(dialog)
        _click_ok(env, dialog.form.button_box)

    seen = _drive(env, NewInspectionDialog, fill)
    _shown(env, lambda: run_new_inspection(context, _parent(env), follow_up=follow_up))
    assert seen


def _no_checklists(env: Env) -> None:
    """The checklist library failed to load (e.g. a broken extra folder), so there is nothing to inspect against."""
    from selfcheck.gui.new_inspection import run_new_inspection

    context, _ = _context(env, checklists=False, inspection=False)
    run_new_inspection(context, _parent(env), follow_up=False)


def _follow_up_without_earlier_inspection(env: Env) -> None:
    from selfcheck.gui.new_inspection import run_new_inspection

    context, _ = _context(env, inspection=False)
    run_new_inspection(context, _parent(env), follow_up=True)


def _type(widget: Any, text: str) -> None:
    from tests.gui.helpers import type_text

    widget.clear()
    type_text(widget, text)


def _no_title(dialog: Any) -> None:
    dialog.form.title_edit.clear()


def _end_before_start(dialog: Any) -> None:
    from PySide6.QtCore import QDate

    dialog.form.start_date.setDate(QDate(2026, 9, 30))
    dialog.form.end_date.setDate(QDate(2026, 9, 1))


def _not_applicable_without_reason(dialog: Any) -> None:
    from PySide6.QtCore import Qt

    from selfcheck.gui.new_inspection import COL_NA

    dialog.form.checklist_table.item(0, COL_NA).setCheckState(Qt.CheckState.Checked)


def _not_applicable_reason_too_long(dialog: Any) -> None:
    from PySide6.QtCore import Qt

    from selfcheck.gui.new_inspection import COL_NA, COL_REASON

    table = dialog.form.checklist_table
    table.item(0, COL_NA).setCheckState(Qt.CheckState.Checked)
    table.item(0, COL_REASON).setText("本校没有食堂，" * 80)


def _nothing_ticked(dialog: Any) -> None:
    from PySide6.QtCore import Qt

    from selfcheck.gui.new_inspection import COL_TITLE

    table = dialog.form.checklist_table
    for row in range(table.rowCount()):
        table.item(row, COL_TITLE).setCheckState(Qt.CheckState.Unchecked)


def _team_without_separators(dialog: Any) -> None:
    """Names pasted from a document with spaces between them: one 'name' of 120 characters."""
    _type(dialog.form.team_edit, " ".join(["王校长（组长）", "李老师", "张会计", "赵主任"] * 8))


# --- gui/export_dialog.py: 导出签名报告 --------------------------------------------------------------------------


def _export_without_password(env: Env) -> None:
    from selfcheck.gui.export_dialog import ExportReportDialog

    context, inspection_id = _context(env)
    context.settings.key_file = env.school_key.p12
    assert inspection_id is not None
    dialog = ExportReportDialog(context, inspection_id, _parent(env))
    dialog.show()
    dialog.form.password_edit.clear()
    _shown(env, lambda: _click_ok(env, dialog.form.button_box))
    assert dialog.isVisible() and not context.tasks.busy


# --- gui/ledger: 登记问题, 回头看, 整改信息 -----------------------------------------------------------------------


def _problem(context: Any, inspection_id: int) -> Any:
    from selfcheck.workbook.models import NewProblem, ProblemSource

    return context.session.require().ledger.add(inspection_id, NewProblem(description="食堂未公示食材来源",
                                                                            source=ProblemSource.SELF_CHECK))


def _new_problem_without_description(env: Env) -> None:
    from selfcheck.gui.ledger.dialogs import NewProblemDialog

    context, inspection_id = _context(env)
    workbook = context.session.require()
    dialog = NewProblemDialog(context, workbook.inspections.all(), inspection_id, _parent(env))
    dialog.show()
    _shown(env, lambda: _click_ok(env, dialog.form.button_box))
    assert dialog.isVisible() and workbook.ledger.all(inspection_id) == []


def _follow_up_without_finding(env: Env) -> None:
    from selfcheck.gui.ledger.dialogs import FollowUpDialog

    context, inspection_id = _context(env)
    assert inspection_id is not None
    dialog = FollowUpDialog(context, _problem(context, inspection_id), _parent(env))
    dialog.show()
    _type(dialog.form.by_edit, "王校长")
    _shown(env, lambda: _click_ok(env, dialog.form.button_box))


def _problem_dialog(env: Env, script: Callable[[Any], None], *, step: bool) -> None:
    from selfcheck.gui.ledger.problem_dialog import (
        ProblemDialog,
        advance_problem_dialog,
        edit_problem_dialog,
    )

    context, inspection_id = _context(env)
    assert inspection_id is not None
    problem = _problem(context, inspection_id)

    def fill(dialog: Any) -> None:
        script(dialog)
        _click_ok(env, dialog.form.button_box)

    seen = _drive(env, ProblemDialog, fill)
    run = advance_problem_dialog if step else edit_problem_dialog
    _shown(env, lambda: run(context, _parent(env), problem))
    assert seen and context.session.require().ledger.get(problem.id).description == "食堂未公示食材来源"


def _start_rectifying_with_only_measures(dialog: Any) -> None:
    """开始整改 asks for the plan: the user wrote the measures and the person, not the rest."""
    _type(dialog.form.measures_edit, "在食堂门口设公示栏，每周更新食材来源。")
    _type(dialog.form.person_edit, "张会计")


def _description_erased(dialog: Any) -> None:
    dialog.form.description_edit.clear()


CASES = [
    ("profile-name-empty", _profile_without_name, "请填写学校名称。"),
    ("first-run-school-name-empty", _first_run_without_name, "请填写学校名称。"),
    ("new-inspection-no-checklists", _no_checklists, "没有可用的检查清单，无法新建自查。"),
    ("follow-up-without-earlier-inspection", _follow_up_without_earlier_inspection,
     "还没有做过自查，无法“回头看”。请先新建一次自查。"),
    ("new-inspection-title-empty", lambda env: _new_inspection(env, _no_title), "请填写自查名称。"),
    ("new-inspection-end-before-start", lambda env: _new_inspection(env, _end_before_start),
     "自查时段的结束日期不能早于开始日期。"),
    ("new-inspection-not-applicable-without-reason", lambda env: _new_inspection(env, _not_applicable_without_reason),
     "“校园餐（测试清单）”标为不适用，请写明理由（如：本校没有食堂）。"),
    ("new-inspection-not-applicable-reason-too-long",
     lambda env: _new_inspection(env, _not_applicable_reason_too_long),
     "“校园餐（测试清单）”不适用的理由超过 500 个字，请精简后再保存。"),
    ("new-inspection-nothing-ticked", lambda env: _new_inspection(env, _nothing_ticked), "请至少勾选一份检查清单。"),
    ("new-inspection-team-name-too-long", lambda env: _new_inspection(env, _team_without_separators),
     "自查组成员的名字超过 100 个字。几位成员之间请用顿号“、”或逗号隔开。"),
    ("export-without-password", _export_without_password, "请输入密钥密码。"),
    ("new-problem-without-description", _new_problem_without_description, "请选择所属自查并填写问题描述。"),
    ("follow-up-round-without-finding", _follow_up_without_finding, "请填写：复查情况。"),
    ("problem-step-missing-fields",
     lambda env: _problem_dialog(env, _start_rectifying_with_only_measures, step=True),
     "请填写：整改类型、责任领导、责任科室、整改时限。"),
    ("problem-description-erased", lambda env: _problem_dialog(env, _description_erased, step=False),
     "问题描述不能为空。"),
]
