"""导出整改台账（Excel）: pick a file, write it in the background, offer to open it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error


def export_ledger_dialog(context: AppContext, parent: QWidget, *, inspection_id: int | None) -> None:
    """Ask where to save and export the ledger (one inspection's problems, or all when `inspection_id` is None)."""
    from selfcheck.exports.ledger_xlsx import default_file_name, write_ledger_xlsx

    try:
        workbook = context.session.require()
        school = workbook.get_school()
        titles = {s.id: s.title for s in workbook.inspections.all(include_archived=True)}
    except UserError as err:
        show_user_error(parent, err)
        return
    school_name = school.name if school else ""
    suggested = context.settings.output_folder("export") / default_file_name(school_name)
    name, _ = QFileDialog.getSaveFileName(parent, "导出整改台账", str(suggested), "Excel 工作簿 (*.xlsx)")
    if not name:
        return
    out = Path(name)
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    context.settings.set_last_folder("export", out.parent)
    subtitle = titles.get(inspection_id, "") if inspection_id is not None else "全部自查"

    def work(progress: object) -> tuple[Path, int]:
        problems = workbook.ledger.all(inspection_id)
        return write_ledger_xlsx(problems, out, school=school_name, inspection_titles=titles,
                                 subtitle=subtitle), len(problems)

    def done(result: tuple[Path, int]) -> None:
        path, count = result
        box = QMessageBox(QMessageBox.Icon.Information, "导出完成",
                          f"已导出 {count} 个问题到：\n{path}", QMessageBox.StandardButton.Close, parent)
        open_button = box.addButton("打开文件", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    context.tasks.run(work, title="导出整改台账", label="正在导出整改台账……", parent=parent, on_success=done,
                      cancellable=False)
