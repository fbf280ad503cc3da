"""接收报告: drop or choose files, folders and .zip archives; they are verified in the background, one verdict each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QWidget

from selfcheck.gui.district.common import fingerprint_text, set_up_table
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.table_model import Column
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import COLOR_BAD, COLOR_MUTED, COLOR_OK, COLOR_WARN

VERDICT_TEXT = {"accepted": "已接收", "rejected": "已拒收", "duplicate": "重复", "superseded": "已被取代"}
VERDICT_COLOR = {"accepted": COLOR_OK, "rejected": COLOR_BAD, "duplicate": COLOR_MUTED, "superseded": COLOR_WARN}


def _colour(outcome: Any) -> QColor | None:
    return VERDICT_COLOR.get(outcome.verdict)


def _school(outcome: Any) -> str:
    return outcome.report.school_name if outcome.report is not None else ""


def _explanation(outcome: Any) -> str:
    if outcome.reasons:
        return "；".join(outcome.reasons)
    if outcome.verdict == "accepted":
        return "签名有效，证书已登记，报告未被改动。"
    if outcome.verdict == "duplicate":
        return "与已收到的文件完全相同，不重复计入。"
    if outcome.verdict == "superseded":
        return "该校本轮已有更新的报告，以更新的为准（两份都保留）。"
    return ""


RESULT_COLUMNS = [
    Column("文件", lambda o: o.source_name, width=18),
    Column("结论", lambda o: VERDICT_TEXT.get(o.verdict, o.verdict), width=4, color=_colour,
           tooltip="已接收：计入汇总；已拒收：未通过核验，不计入；重复：已收到过同一个文件；已被取代：该校本轮有更新的报告"),
    Column("学校", _school, width=12),
    Column("签名证书指纹", lambda o: fingerprint_text(o.report.signer_fingerprint) if o.report else "", width=30,
           mono=True, tooltip="签署这份报告的证书的 SHA-256 指纹（四位一组）"),
    Column("说明", _explanation),
]


class ReceivePage(QWidget):
    message = Signal(str)
    school_requested = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_receive_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        self.outcomes: list[Any] = []
        self.model, self.proxy = set_up_table(self.form.results_table, RESULT_COLUMNS, sort_column=-1)
        self.form.results_table.setSortingEnabled(True)
        self.form.drop_frame.setStyleSheet("#drop_frame { border: 2px dashed #9aa7b4; border-radius: 6px; }")
        self.form.choose_files_button.clicked.connect(self.choose_files)
        self.form.choose_folder_button.clicked.connect(self.choose_folder)
        self.form.results_table.doubleClicked.connect(self._open_school)
        self.form.summary_label.setText("还没有接收报告。")

    def refresh(self) -> None:
        workspace = self._desk.require()
        campaign = workspace.campaigns.current()
        if campaign is None:
            self.form.campaign_label.setText("还没有设定本轮自查：收到的报告先按学校保存。可在“报告”菜单中新建本轮自查（设定报送截止时间）。")
        else:
            deadline = f"，报送截止 {campaign.deadline:%Y-%m-%d %H:%M}" if campaign.deadline else ""
            self.form.campaign_label.setText(f"本轮自查：{campaign.title}（{campaign.period_start} 至 {campaign.period_end}{deadline}）")
        writable = not self._desk.read_only
        self.form.choose_files_button.setEnabled(writable)
        self.form.choose_folder_button.setEnabled(writable)

    def choose_files(self) -> None:
        folder = str(self._ctx.settings.output_folder("receive"))
        chosen, _ = QFileDialog.getOpenFileNames(self, "选择要接收的报告", folder, "签名报告 (*.pdf *.zip);;所有文件 (*)")
        if chosen:
            self._ctx.settings.set_last_folder("receive", Path(chosen[0]).parent)
            self.receive([Path(p) for p in chosen])

    def choose_folder(self) -> None:
        folder = str(self._ctx.settings.output_folder("receive"))
        chosen = QFileDialog.getExistingDirectory(self, "选择装有报告的文件夹", folder)
        if chosen:
            self._ctx.settings.set_last_folder("receive", Path(chosen))
            self.receive([Path(chosen)])

    def receive(self, paths: list[Path]) -> None:
        """Verify and store `paths` in the background; the verdicts fill the table when done (or cancelled)."""
        workspace = self._desk.require()
        campaign = workspace.campaigns.current()
        campaign_id = campaign.id if campaign is not None else None

        def work(progress: Any) -> tuple[list[Any], bool]:
            def report(done: int, total: int, name: str) -> None:
                progress.update(done, total, f"正在核验第 {min(done + 1, total)}/{total} 份：{name}")

            outcomes = workspace.reports.receive(paths, campaign_id=campaign_id, progress=report,
                                                 cancel=lambda: progress.cancelled)
            return outcomes, progress.cancelled

        self._ctx.tasks.run(work, title="接收报告", label="正在核验报告……", parent=self.window(),
                            on_success=self._show_outcomes)

    def _show_outcomes(self, result: tuple[list[Any], bool]) -> None:
        outcomes, cancelled = result
        self.outcomes = outcomes
        self.model.set_rows(outcomes)
        counts = {v: sum(1 for o in outcomes if o.verdict == v) for v in VERDICT_TEXT}
        text = (f"共 {len(outcomes)} 个文件：已接收 {counts['accepted']} 份，已拒收 {counts['rejected']} 份，"
                f"重复 {counts['duplicate']} 份，被取代 {counts['superseded']} 份。")
        if cancelled:
            text = "已取消：只处理了下列文件（已处理的都已保存）。" + text
        if counts["rejected"]:
            text += " 被拒收的报告不计入汇总，请联系相关学校重新报送。"
        self.form.summary_label.setText(text)
        self.message.emit(text)
        if outcomes:
            self._desk.changed("reports")

    def _open_school(self, index: QModelIndex) -> None:
        outcome = self.proxy.row_object(index.row())
        if outcome is not None and outcome.report is not None and outcome.report.school_code:
            self.school_requested.emit(outcome.report.school_code)
