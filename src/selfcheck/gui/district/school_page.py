"""单校详情: one school's received reports over time, its problems, and its signed PDF one click away."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from selfcheck.errors import UserError
from selfcheck.gui.district.common import fingerprint_text, selected_row, set_up_table, time_text
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.receive_page import VERDICT_COLOR
from selfcheck.gui.district.rectification_page import problem_columns
from selfcheck.gui.district.status_page import STATE_TEXT
from selfcheck.gui.district.table_model import Column, percent
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form

VERDICT_TEXT = {"accepted": "已接收", "rejected": "已拒收", "duplicate": "重复", "superseded": "已被取代"}


@dataclass(frozen=True)
class HistoryRow:
    """One received file of the school, with the totals of its report when it was verified (else None)."""

    report: Any
    totals: Any = None

    @property
    def score_rate(self) -> float | None:
        return self.totals.score / self.totals.max_score if self.totals is not None and self.totals.max_score else None


REPORT_COLUMNS = [
    Column("收到时间", lambda h: h.report.received_at, time_text, width=9),
    Column("结论", lambda h: VERDICT_TEXT.get(h.report.verdict, h.report.verdict), width=4,
           color=lambda h: VERDICT_COLOR.get(h.report.verdict),
           tooltip="只有“已接收”的报告计入汇总；“已被取代”是该校同一轮较早的报告"),
    Column("签名时间", lambda h: h.report.signed_at, time_text, width=9),
    Column("得分率", lambda h: h.score_rate, percent, numeric=True, width=4, tooltip="这份报告的计分检查项得分率"),
    Column("不合规项", lambda h: h.totals.noncompliant if h.totals is not None else None, numeric=True, width=4),
    Column("报告编号", lambda h: h.report.report_id or "", width=10),
    Column("文件", lambda h: h.report.source_name, width=12),
    Column("签名证书指纹", lambda h: fingerprint_text(h.report.signer_fingerprint), width=30, mono=True),
    Column("原因", lambda h: "；".join(h.report.reasons)),
]


class SchoolPage(QWidget):
    message = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_school_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        self.code: str | None = None
        f = self.form
        self.reports_model, self.reports_proxy = set_up_table(f.reports_table, REPORT_COLUMNS, sort_column=0,
                                                              descending=True)
        self.problems_model, self.problems_proxy = set_up_table(f.problems_table, problem_columns(with_school=False),
                                                                sort_column=-1)
        f.school_combo.setInsertPolicy(f.school_combo.InsertPolicy.NoInsert)
        f.school_combo.setMinimumContentsLength(24)
        completer = f.school_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # “一小” finds 城关第一小学
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        f.school_combo.activated.connect(lambda _i: self.show_school(f.school_combo.currentData()))
        f.open_pdf_button.clicked.connect(self.open_pdf)
        f.reports_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        f.reports_table.doubleClicked.connect(lambda _i: self.open_pdf())
        f.splitter.setStretchFactor(0, 2)
        f.splitter.setStretchFactor(1, 3)

    def refresh(self) -> None:
        workspace = self._desk.require()
        schools = workspace.roster.list()
        combo = self.form.school_combo
        combo.blockSignals(True)
        combo.clear()
        for school in schools:
            combo.addItem(f"{school.name}（{school.code}）", school.code)
        combo.blockSignals(False)
        codes = [s.code for s in schools]
        self.show_school(self.code if self.code in codes else (codes[0] if codes else None))

    def show_school(self, code: str | None) -> None:
        """Show the school with roster code `code` (None: nothing)."""
        self.code = code
        f = self.form
        if code is None:
            f.info_label.setText("名册中还没有学校。")
            self.reports_model.set_rows([])
            self.problems_model.set_rows([])
            self._update_buttons()
            return
        workspace = self._desk.require()
        index = f.school_combo.findData(code)
        if index >= 0:
            f.school_combo.setCurrentIndex(index)
        campaign = workspace.campaigns.current()
        campaign_id = campaign.id if campaign is not None else None
        school = workspace.roster.get(code)
        status = next((s for s in workspace.summary.roster_status(campaign_id) if s.school.code == code), None)
        total = next((r for r in workspace.summary.comparison(campaign_id, area="total") if r.school_code == code),
                     None)
        history = [HistoryRow(r, self._totals(workspace, r)) for r in workspace.reports.school_history(code)]
        self.reports_model.set_rows(history)
        self.problems_model.set_rows(workspace.summary.rectification(campaign_id, school_code=code))
        parts = [f"<b>{school.name}</b>（代码 {school.code}）",
                 "，".join(p for p in (school.stage, school.zone) if p),
                 "联系人：" + "，".join(p for p in (school.contact, school.phone) if p) if school.contact else ""]
        if status is not None:
            parts.append(f"本轮：{STATE_TEXT[status.state]}")
        if total is not None:
            parts.append(f"得分率 {percent(total.score_rate) or '—'}" + (f"（{total.tier}）" if total.tier else "")
                         + f"，不合规 {total.noncompliant} 项，未整改问题 {total.open_problems} 个"
                         + (f"，其中逾期 {total.overdue_problems} 个" if total.overdue_problems else ""))
        f.info_label.setText("　".join(p for p in parts if p))
        accepted = [r for r in history if r.report.verdict == "accepted"]
        if accepted:
            f.reports_table.selectRow(self.reports_proxy.mapFromSource(
                self.reports_model.index(history.index(accepted[0]), 0)).row())
        self._update_buttons()

    @staticmethod
    def _totals(workspace: Any, report: Any) -> Any:
        """The totals of a verified report (accepted or superseded); None for rejected files and duplicates."""
        if report.verdict not in ("accepted", "superseded") or not report.report_id:
            return None
        try:
            return workspace.reports.report_data(report.report_id).totals
        except UserError:
            return None

    def _openable(self) -> Any:
        row = selected_row(self.form.reports_table)
        report = row.report if row is not None else None
        if report is None or not report.report_id or report.verdict not in ("accepted", "superseded"):
            return None
        return report

    def _update_buttons(self) -> None:
        self.form.open_pdf_button.setEnabled(self._openable() is not None)

    def open_pdf(self) -> None:
        report = self._openable()
        if report is None:
            return
        try:
            path = self._desk.require().reports.stored_pdf(report.report_id)
        except UserError as err:
            show_user_error(self, err, "无法打开签名报告")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.emit(f"没有找到可以打开 PDF 的程序。报告文件在：{path}")
