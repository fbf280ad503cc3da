"""The three district exports (汇总表 .xlsx, 汇总报告 .pdf, 全部答案 .csv), each written in the background."""
# The export functions take no progress callback: the dialog shows a busy bar until the file is written.

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from selfcheck.gui.district.context import DistrictContext


@dataclass(frozen=True)
class ExportKind:
    title: str  # what the user chose, e.g. 汇总表
    file_label: str  # the file dialog's filter label
    suffix: str
    module: str  # selfcheck.district.<module>.<function>(workspace, campaign_id, out)
    function: str


KINDS = {
    "xlsx": ExportKind("汇总表", "Excel 工作簿", ".xlsx", "selfcheck.district.export_xlsx", "export_xlsx"),
    "pdf": ExportKind("汇总报告", "PDF 文件", ".pdf", "selfcheck.district.export_pdf", "export_pdf"),
    "csv": ExportKind("全部答案", "CSV 文件（Excel 可打开）", ".csv", "selfcheck.district.export_csv", "export_csv"),
}


def suggested_name(district: str, kind: ExportKind, today: date | None = None) -> str:
    return f"{district}-{kind.title}-{(today or date.today()):%Y%m%d}{kind.suffix}"


def run_export(context: DistrictContext, parent: QWidget, kind_name: str) -> None:
    """Ask where to save, then write the export on a worker with progress and cancel; tells the user where it is."""
    kind = KINDS[kind_name]
    workspace = context.desk.require()
    folder = context.settings.output_folder("export")
    chosen, _ = QFileDialog.getSaveFileName(parent, f"导出{kind.title}", str(folder / suggested_name(workspace.name, kind)),
                                            f"{kind.file_label} (*{kind.suffix})")
    if not chosen:
        return
    out = Path(chosen)
    if out.suffix.lower() != kind.suffix:
        out = out.with_name(out.name + kind.suffix)
    context.settings.set_last_folder("export", out.parent)
    campaign = workspace.campaigns.current()
    campaign_id = campaign.id if campaign is not None else None
    export = getattr(importlib.import_module(kind.module), kind.function)

    def work(_progress: Any) -> Path:
        # The workspace's calls take the desk's lock one by one, so the window stays usable meanwhile.
        export(workspace, campaign_id, out)
        return out

    def done(path: Path) -> None:
        QMessageBox.information(parent, f"{kind.title}已导出", f"{kind.title}已保存到：\n{path}")

    context.tasks.run(work, title=f"导出{kind.title}", label=f"正在导出{kind.title}……", parent=parent,
                      on_success=done, cancellable=False)
