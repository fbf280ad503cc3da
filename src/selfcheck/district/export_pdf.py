"""The summary report (PDF, official-document style): 「XX区教育局关于全区……自查情况的汇总报告」 with overview tables,
charts (reportlab.graphics), the schools not yet reported and an appendix of every accepted report."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from selfcheck.district.models import AREA_LABELS, STATE_LABELS
from selfcheck.district.output import atomic_target, check_target
from selfcheck.district.tiers import ALL_TIERS, TierThresholds

TOP_ITEMS = 15
STATUSES = ("待整改", "整改中", "已整改", "已销号")
PALETTE = ("#2f5597", "#c55a11", "#548235", "#7f6000", "#7030a0", "#b3261e")
NUMERALS = "一二三四五六七八九十"


def report_title(district: str, campaign: Any) -> str:
    """「示例区教育局关于全区2026年“1+3+N”专项自查情况的汇总报告」."""
    subject = campaign.title.strip() if campaign else "专项自查"
    if "自查" not in subject:
        subject += "自查"
    return f"{district}关于全区{subject}情况的汇总报告"


def export_pdf(ws: Any, campaign_id: int | None, out: Path | str) -> Path:
    """Lay out and write the summary report of a campaign (atomically); returns the path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from selfcheck.report.fonts import report_fonts
    from selfcheck.report.styles import PAGE_MARGINS, make_styles

    out = check_target(out, ".pdf")
    fonts = report_fonts()
    styles = make_styles(fonts)
    summary = ws.summary
    overview = summary.overview(campaign_id)
    title = report_title(ws.name, overview.campaign)
    story = _Story(styles)
    _opening(story, ws, overview, title)
    _reporting(story, overview, summary.roster_status(campaign_id))
    _comparison(story, summary.comparison(campaign_id), summary.tier_thresholds())
    _items(story, summary.failing_items(campaign_id))
    _rectification(story, summary.rectification(campaign_id))
    _missing(story, summary.to_urge(campaign_id))
    _appendix(story, ws, campaign_id)

    def page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.song, 9)
        canvas.drawCentredString(A4[0] / 2, 36, f"— {doc.page} —")
        canvas.drawString(PAGE_MARGINS["left"], A4[1] - 48, title if len(title) < 48 else title[:47] + "…")
        canvas.restoreState()

    with atomic_target(out) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=PAGE_MARGINS["left"],
                                rightMargin=PAGE_MARGINS["right"], topMargin=PAGE_MARGINS["top"],
                                bottomMargin=PAGE_MARGINS["bottom"], title=title, author=ws.name,
                                creator="SelfCheck 区县汇总核验")
        doc.build(story.flowables, onFirstPage=page, onLaterPages=page)
    return out


class _Story:
    def __init__(self, styles: Any) -> None:
        self.styles = styles
        self.flowables: list[Any] = []
        self.section = 0

    def h1(self, text: str) -> None:
        from reportlab.lib.styles import ParagraphStyle

        from selfcheck.report.cjkwrap import CJKParagraph as Paragraph

        # A heading never stands alone at the foot of a page: it goes over with what follows it.
        style = ParagraphStyle(f"{self.styles.h1.name}-kept", parent=self.styles.h1, keepWithNext=1)
        self.flowables.append(Paragraph(f"{NUMERALS[self.section]}、{text}", style))
        self.section += 1

    def para(self, text: str, style: str = "body") -> None:
        from selfcheck.report.cjkwrap import CJKParagraph as Paragraph

        self.flowables.append(Paragraph(text, getattr(self.styles, style)))

    def table(self, header: list[str], rows: list[list[Any]], widths: list[float], *,
              alert: list[bool] | None = None) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        from selfcheck.report.cjkwrap import CJKParagraph as Paragraph

        from selfcheck.report.styles import ALERT_FILL, GRID, HEAD_FILL, esc

        s = self.styles
        data = [[Paragraph(esc(h), s.head) for h in header]]
        data += [[Paragraph(esc(v if v is not None else "—"), s.cell) for v in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=1)
        commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(GRID)),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEAD_FILL)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for index, flag in enumerate(alert or []):
            if flag:
                commands.append(("BACKGROUND", (0, index + 1), (-1, index + 1), colors.HexColor(ALERT_FILL)))
        table.setStyle(TableStyle(commands))
        self.flowables.append(table)

    def space(self, height: float = 8) -> None:
        from reportlab.platypus import Spacer

        self.flowables.append(Spacer(1, height))

    def chart(self, drawing: Any) -> None:
        """A chart kept on one page with the paragraph that introduces it."""
        from reportlab.platypus import KeepTogether

        kept = [drawing]
        # The paragraph that introduces it, and a section heading right before that (reportlab's keepWithNext
        # does not reach into a KeepTogether, so the heading joins the group itself).
        if self.flowables and hasattr(self.flowables[-1], "text"):
            kept.insert(0, self.flowables.pop())
        if self.flowables and getattr(self.flowables[-1], "style", None) is not None \
                and self.flowables[-1].style.keepWithNext:
            kept.insert(0, self.flowables.pop())
        self.flowables.append(KeepTogether(kept))


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return "100%" if value >= 0.9995 else f"{value:.1%}"


def _time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


# --- charts ------------------------------------------------------------------------------------------------------


def _bar_chart(styles: Any, categories: list[str], series: list[list[float]], names: list[str], *,
               horizontal: bool = False, percent: bool = False, height: float = 200) -> Any:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    width = 465
    drawing = Drawing(width, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (90 if horizontal else 40), 30
    chart.width = width - chart.x - 20
    chart.height = height - 60
    chart.data = series
    chart.categoryAxis.categoryNames = categories
    font = styles.fonts.song
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    if percent:
        chart.valueAxis.valueMax = 1
        chart.valueAxis.valueStep = 0.2
        chart.valueAxis.labelTextFormat = lambda v: f"{v:.0%}"
    else:
        top = max((max(s) for s in series if s), default=1) or 1
        chart.valueAxis.valueMax = top * 1.1 + 0.5
        chart.valueAxis.labelTextFormat = "%d"
    if horizontal:
        chart.categoryAxis.reverseDirection = 1
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        # Up to two per row, so a long area name never runs off the page; the plot gives up the second row's room.
        rows = (len(series) + 1) // 2
        chart.height -= 11 * (rows - 1)
        legend = Legend()
        legend.x, legend.y = chart.x, height - 4
        legend.fontName = font
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = rows
        legend.deltay = 11
        legend.deltax = (width - chart.x) / 2
        legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), names[i]) for i in range(len(series))]
        drawing.add(legend)
    return drawing


def _pie_chart(styles: Any, labels: list[str], values: list[int]) -> Any:
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(465, 170)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 160, 15, 140, 140
    shown = [(label, value) for label, value in zip(labels, values, strict=True) if value]
    pie.data = [v for _, v in shown] or [1]
    pie.labels = [f"{label} {value}" for label, value in shown] or ["无数据"]
    pie.sideLabels = True
    pie.simpleLabels = False
    for index in range(len(pie.data)):
        pie.slices[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        pie.slices[index].fontName = styles.fonts.song
        pie.slices[index].fontSize = 8.5
        pie.slices[index].strokeColor = colors.white
    drawing.add(pie)
    return drawing


# --- sections ----------------------------------------------------------------------------------------------------


def _opening(story: _Story, ws: Any, overview: Any, title: str) -> None:
    from reportlab.platypus import Paragraph

    from selfcheck.report.styles import cn_date, esc

    story.flowables.append(Paragraph(esc(title), story.styles.title))
    story.space(6)
    campaign = overview.campaign
    period = f"（自查时段 {cn_date(campaign.period_start)}至{cn_date(campaign.period_end)}）" if campaign else ""
    deadline = f"，报送截止时间为{_time(campaign.deadline)}" if campaign and campaign.deadline else ""
    rate = f"，全区平均得分率{_pct(overview.average_score_rate)}" if overview.average_score_rate is not None else ""
    story.para(esc(
        f"根据{campaign.title if campaign else '专项自查'}工作安排{period}{deadline}，全区共有{overview.schools}所学校参加。"
        f"截至{cn_date(datetime.now())}，收到并核验通过的学校报告{overview.received + overview.late}份"
        f"（其中逾期报送{overview.late}份），{overview.rejected}所学校报送的文件未通过核验，{overview.missing}所学校尚未报送{rate}。"
        f"各校自查发现问题{overview.problems}个，已销号{overview.closed_problems}个，尚未销号{overview.open_problems}个，"
        f"其中逾期未整改{overview.overdue_problems}个。现将有关情况报告如下。"))
    story.para(esc("本汇总只采用数字签名完好、签名后未被改动、且签名证书为该校在教育局登记的证书的报告；"
                   "同一学校报送多份时以最新一份为准。"), "note")


def _reporting(story: _Story, overview: Any, statuses: list[Any]) -> None:
    story.h1("报送情况")
    labels = [STATE_LABELS[s] for s in ("received", "late", "rejected", "missing")]
    values = [overview.received, overview.late, overview.rejected, overview.missing]
    story.table(["学校总数", *labels], [[overview.schools, *values]], [93] * 5)
    story.chart(_pie_chart(story.styles, labels, values))
    by_zone: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for status in statuses:
        by_zone[status.school.zone or "未分片区"][status.state] += 1
    rows = [[zone, sum(c.values()), c["received"], c["late"], c["rejected"], c["missing"]]
            for zone, c in sorted(by_zone.items())]
    story.para("各学区（片区）报送情况：", "body_plain")
    story.table(["学区/片区", "学校数", *labels], rows, [115, 70, 70, 70, 70, 70])


def _comparison(story: _Story, rows: list[Any], thresholds: TierThresholds) -> None:
    story.h1("各校比晒")
    totals = [r for r in rows if r.area == "total"]
    if not totals:
        story.para("尚无计入汇总的报告。")
        return
    by_stage: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.score_rate is not None:
            by_stage[row.stage or "未填学段"][row.area].append(row.score_rate)
    stages = sorted(by_stage)
    areas = ("1", "3", "N", "total")
    series = [[(sum(v) / len(v)) if (v := by_stage[s][a]) else 0 for s in stages] for a in areas]
    story.para("各学段在“1+3+N”各领域的平均得分率：", "body_plain")
    story.chart(_bar_chart(story.styles, stages, series, [AREA_LABELS[a] for a in areas], percent=True))
    tiers = defaultdict(int)
    for row in totals:
        tiers[row.tier] += 1
    story.para(
        f"按总得分率分为三级梯队（{thresholds.text()}）："
        + "，".join(f"{t}{tiers.get(t, 0)}所" for t in ALL_TIERS) + "。", "body_plain")
    rates = {(r.school_code, r.area): r.score_rate for r in rows}
    ordered = sorted(totals, key=lambda r: (-(r.score_rate or 0), r.school_code))
    table = [[index + 1, r.school_name, r.stage, r.zone, *(_pct(rates.get((r.school_code, a))) for a in ("1", "3", "N")),
              _pct(r.score_rate), r.tier, r.open_problems, r.overdue_problems] for index, r in enumerate(ordered)]
    story.table(["名次", "学校", "学段", "学区/片区", "“1”", "“3”", "“N”", "总得分率", "梯队", "未销号问题", "逾期问题"],
                table, [24, 88, 36, 50, 40, 40, 40, 42, 30, 34, 30], alert=[r.tier == "未达标" for r in ordered])


def _items(story: _Story, items: list[Any]) -> None:
    story.h1("问题集中的检查项")
    failing = [i for i in items if i.schools_noncompliant][:TOP_ITEMS]
    if not failing:
        story.para("各校均未发现不合规的检查项。")
        return
    story.para(f"不合规学校最多的{len(failing)}个检查项如下，建议作为下一阶段督导检查的重点。", "body_plain")
    story.chart(_bar_chart(story.styles, [i.item_id for i in failing], [[i.schools_noncompliant for i in failing]],
                           ["不合规学校数"], horizontal=True, height=max(160, 18 * len(failing) + 60)))
    story.table(["检查项", "内容", "不合规学校", "作答学校", "比例"],
                [[i.item_id, i.question, i.schools_noncompliant, i.schools_reporting, _pct(i.rate)] for i in failing],
                [58, 257, 50, 50, 50])


def _rectification(story: _Story, problems: list[Any]) -> None:
    story.h1("整改进度")
    counts = [sum(1 for p in problems if p.status == s) for s in STATUSES]
    overdue = [p for p in problems if p.overdue]
    story.table([*STATUSES, "合计", "其中逾期"], [[*counts, len(problems), len(overdue)]], [66] * 4 + [67, 68])
    story.chart(_bar_chart(story.styles, list(STATUSES), [counts], ["问题数"], height=170))
    if overdue:
        story.para(f"逾期未整改的问题（{len(overdue)}个，按逾期天数排列）：", "body_plain")
        story.table(["学校", "问题", "责任人", "整改时限", "状态", "逾期天数"],
                    [[p.school_name, p.description, p.person, p.deadline.isoformat() if p.deadline else "—", p.status,
                      p.overdue_days] for p in overdue], [90, 185, 45, 68, 42, 35], alert=[True] * len(overdue))


def _missing(story: _Story, statuses: list[Any]) -> None:
    story.h1("尚未报送或需督促的学校")
    if not statuses:
        story.para("全部学校均已按时报送有效报告。")
        return
    story.table(["学校代码", "学校", "学区/片区", "情况", "联系人", "联系电话"],
                [[s.school.code, s.school.name, s.school.zone, STATE_LABELS[s.state], s.school.contact,
                  s.school.phone] for s in statuses], [70, 130, 70, 55, 55, 85])


def _appendix(story: _Story, ws: Any, campaign_id: int | None) -> None:
    from reportlab.platypus import PageBreak, Paragraph

    story.flowables.append(PageBreak())
    story.flowables.append(Paragraph("附件：已接收的学校报告", story.styles.h1))
    story.para("下列报告均经核验：签名完好、签名后未被改动、签名证书为该校登记的证书（按证书 SHA-256 指纹核对）。", "note")
    reports = [r for r in ws.reports.list(campaign_id=campaign_id) if r.verdict in ("accepted", "superseded")]
    reports.sort(key=lambda r: (r.school_code or "", r.received_at))
    story.table(["学校", "报告编号", "证书指纹（SHA-256）", "签名时间", "计入"],
                [[r.school_name, r.report_id, r.signer_fingerprint, _time(r.signed_at),
                  "是" if r.verdict == "accepted" else "已被取代"] for r in reports], [80, 105, 180, 55, 45])
