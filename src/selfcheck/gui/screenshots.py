"""`python -m selfcheck.gui.screenshots OUT`: render every main screen offscreen at 1366×768 from a demo workbook.

Also renders two screens at 150 % (1920×1080 physical, the common high-DPI laptop) in a second process.
Everything it writes (demo workbook, settings, keys) stays in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfcheck.checklists.models import Checklist

SIZE = (1366, 768)
HIDPI = (1280, 720, 1.5)


def longest_reference_item(checklists: Iterable[Checklist]) -> str:
    """The id of the item whose guidance and policy basis are longest together: the fill-in page's hardest case."""
    from selfcheck.gui.item_text import basis_text

    best: tuple[int, str] | None = None
    for checklist in checklists:
        for item in checklist.all_items():
            length = len(item.guidance) + len("；".join(basis_text(checklist, b) for b in item.basis))
            if best is None or length > best[0]:
                best = (length, item.id)
    if best is None:
        raise ValueError("no checklist items")
    return best[1]


def _setup_environment(home: Path, scale: float) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SELFCHECK_HOME"] = str(home)
    if scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(scale)


def _pump(ms: int = 50) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def render(out: Path, *, scale: float = 1.0, only: set[str] | None = None) -> list[Path]:
    """Render the screens into `out` (PNG files); returns the files written."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from selfcheck.gui.app import build_context, create_application
    from selfcheck.gui.settings import AppSettings
    from selfcheck.paths import data_dir

    app = create_application([])  # noqa: F841 - held for the whole run: every widget below needs it
    home = Path(os.environ["SELFCHECK_HOME"])
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    width, height = (HIDPI[0], HIDPI[1]) if scale != 1.0 else SIZE
    suffix = "@150%" if scale != 1.0 else ""

    def shot(name: str, widget: QWidget) -> None:
        if only is not None and name not in only:
            return
        widget.show()
        _pump()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        written.append(path)

    from selfcheck.gui.main_window import MainWindow

    settings = AppSettings(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    settings.first_run_done = True
    context = build_context(settings=settings, actor="李明（总务处）")
    window = MainWindow(context)
    window.resize(width, height)
    shot("01-欢迎", window)

    from selfcheck.gui.profile import FirstRunDialog

    first = FirstRunDialog(data_dir() / "自查工作簿.selfcheck", lambda _p, _s: None, window)
    shot("02-首次使用", first)
    first.form.pages.setCurrentWidget(first.form.profile_page)
    shot("03-首次使用-学校信息", first)
    first.close()

    demo = home / "示例工作簿.selfcheck"
    if not demo.exists():
        from selfcheck.workbook.demo import build_demo

        build_demo(demo, photos=30)
    window.start(demo)
    _pump()
    shot("04-首页", window)

    session = context.session
    workbook = session.require()
    inspection_id = workbook.inspections.all()[0].id
    window.open_inspection(inspection_id)
    fill = window.page("fill")
    with_photos = sorted(workbook.photos.counts(inspection_id).items(), key=lambda kv: -kv[1])
    if with_photos:
        fill.select_item(with_photos[0][0])
    shot("05-填报-照片", window)
    checklists = workbook.inspections.checklists(inspection_id)
    for answer_type, name in (("choice", "06-填报-单选"), ("number", "07-填报-数字")):
        first = next((item.id for c in checklists for item in c.all_items() if item.answer.type == answer_type), None)
        if first:
            fill.select_item(first)
            shot(name, window)
    problems = workbook.ledger.all(inspection_id)
    problem_items = [p.item_id for p in problems if p.item_id]
    if problem_items:
        fill.select_item(problem_items[0])
    fill.form.filter_combo.setCurrentIndex(2)
    shot("08-填报-不合规筛选", window)
    fill.form.filter_combo.setCurrentIndex(0)
    fill.select_item(longest_reference_item(checklists))
    shot("08b-填报-长文字", window)

    window.show_page("review")
    shot("09-完成情况", window)
    window.show_page("ledger")
    shot("10-整改台账", window)

    from selfcheck.gui.ledger.problem_dialog import ProblemDialog, next_status

    if problems:
        pending = next((p for p in problems if next_status(p.status) is not None), problems[0])
        step = ProblemDialog(pending, lambda v: pending, step=next_status(pending.status), parent=window)
        shot("11-整改台账-推进状态", step)
        step.close()
        edit = ProblemDialog(problems[0], lambda v: problems[0], parent=window)
        shot("12-整改信息", edit)
        edit.close()

    from selfcheck.gui.new_inspection import NewInspectionDialog

    catalog = context.checklists().checklists
    new = NewInspectionDialog(catalog, lambda _f: None, parent=window)
    if catalog:
        new.set_checklist_state(catalog[0].id, included=True, not_applicable_reason="本校没有食堂，学生不在校用餐")
    shot("13-新建自查", new)
    new.close()

    window.show_page("library")
    shot("14-清单库", window)

    from selfcheck.gui.export_dialog import ExportReportDialog

    export = ExportReportDialog(context, inspection_id, window)
    shot("15-导出签名报告", export)
    export.close()

    photos = workbook.photos.all(inspection_id)
    if photos:
        from selfcheck.gui.photos.viewer import PhotoViewer

        viewer = PhotoViewer(photos, 0, workbook.photos.image, workbook.photos.set_caption, window)
        viewer.resize(1000, 680)
        shot("16-查看照片", viewer)
        viewer.close()

    from selfcheck.gui.errors import ErrorDialog, describe_failure, format_details

    try:
        raise RuntimeError("示例：渲染截图时演示的意外错误")
    except RuntimeError as exc:
        exc.add_note("操作：导出签名报告")
        what, todo = describe_failure(exc, exc.__traceback__)
        error = ErrorDialog(format_details(type(exc), exc, exc.__traceback__), context.log_file, window, what=what,
                            todo=todo)
    shot("17-程序出错", error)
    error.close()

    from selfcheck.gui.profile import SchoolProfileDialog

    profile = SchoolProfileDialog(workbook.get_school(), lambda _p: None, window)
    shot("18-学校信息", profile)
    profile.close()

    from selfcheck.gui.help import HelpWindow

    help_window = HelpWindow(window)
    shot("19-使用帮助", help_window)
    help_window.close()

    from selfcheck.gui.export_dialog import KeyCreateDialog

    key = KeyCreateDialog(workbook.get_school().name if workbook.get_school() else "", window)
    shot("20-新建学校密钥", key)
    key.close()

    window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把主要界面渲染成 PNG 截图（1366×768，另加 150% 缩放）。")
    parser.add_argument("out", type=Path, help="保存截图的文件夹")
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="selfcheck-shots-") as home:
        _setup_environment(Path(home), args.scale)
        fill_in = {"05-填报-照片", "06-填报-单选", "08b-填报-长文字"}
        only = ({"04-首页", *fill_in, "07-填报-数字", "10-整改台账", "15-导出签名报告", "19-使用帮助", "20-新建学校密钥"}
                if args.scale != 1.0 else None)
        written = render(args.out, scale=args.scale, only=only)
    for path in written:
        print(path)
    if args.scale == 1.0:
        # High-DPI needs its own process: the scale factor is fixed when Qt starts.
        code = subprocess.call([sys.executable, "-m", "selfcheck.gui.screenshots", str(args.out),
                                "--scale", str(HIDPI[2])])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
