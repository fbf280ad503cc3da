"""The summary workbook (.xlsx): overview, roster status, schools to urge, schools × areas comparison, the items
that fail most and rectification progress, with native Excel charts (openpyxl.chart) that Excel and WPS draw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfcheck.district.models import AREA_LABELS, STATE_LABELS
from selfcheck.district.output import atomic_target, check_target
from selfcheck.district.tiers import ALL_TIERS

HEAD_FILL = "DCE6F1"
ALERT_FILL = "FBE9E7"
AREAS = ("1", "3", "N", "total")
STATUSES = ("待整改", "整改中", "已整改", "已销号")
TOP_ITEMS = 15


def export_xlsx(ws: Any, campaign_id: int | None, out: Path | str) -> Path:
    """Write the summary workbook of a campaign to `out` (atomically); returns the path."""
    from openpyxl import Workbook

    out = check_target(out, ".xlsx")
    summary = ws.summary
    book = Workbook()
    _overview(book.active, ws, summary.overview(campaign_id))
    _status(book.create_sheet("报送情况"), summary.roster_status(campaign_id))
    _urge(book.create_sheet("需督促学校"), summary.to_urge(campaign_id))
    _comparison(book.create_sheet("比晒"), summary.comparison(campaign_id))
    _items(book.create_sheet("问题最多的检查项"), summary.failing_items(campaign_id))
    _rectification(book.create_sheet("整改进度"), summary.rectification(campaign_id))
    with atomic_target(out) as tmp:
        book.save(tmp)
    return out


# --- helpers -----------------------------------------------------------------------------------------------------


def _table(sheet: Any, header: list[str], rows: list[list[Any]], widths: list[int], *, start_row: int = 1,
           alert: list[bool] | None = None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=start_row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for index, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=start_row + 1 + index, column=column, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > 20)
            if alert and alert[index]:
                cell.fill = PatternFill("solid", fgColor=ALERT_FILL)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    if start_row == 1:
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{sheet.cell(row=1 + len(rows), column=len(header)).coordinate}"


def _percent(sheet: Any, column: int, first: int, last: int) -> None:
    for row in range(first, last + 1):
        sheet.cell(row=row, column=column).number_format = "0.0%"


def _time(value: Any) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


# --- sheets ------------------------------------------------------------------------------------------------------


def _overview(sheet: Any, ws: Any, overview: Any) -> None:
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.styles import Font

    sheet.title = "概况"
    sheet["A1"] = f"{ws.name} 自查情况汇总"
    sheet["A1"].font = Font(bold=True, size=14)
    campaign = overview.campaign
    sheet["A2"] = (f"专项：{campaign.title}（{campaign.period_start} 至 {campaign.period_end}）" if campaign else "专项：未设")
    rows = [["学校总数", overview.schools], ["按时报送", overview.received], ["逾期报送", overview.late],
            ["被拒收（未收到有效报告）", overview.rejected], ["未报送", overview.missing],
            ["计入汇总的报告", overview.accepted_reports], ["拒收的文件", overview.rejected_files],
            ["平均得分率", overview.average_score_rate],
            ["问题总数", overview.problems], ["未销号问题", overview.open_problems],
            ["逾期未整改问题", overview.overdue_problems], ["已销号问题", overview.closed_problems]]
    _table(sheet, ["项目", "数值"], rows, [28, 14], start_row=4)
    sheet.cell(row=12, column=2).number_format = "0.0%"
    sheet.freeze_panes = None

    # 报送情况 pie (rows 5..9 hold the four states after the total)
    pie = PieChart()
    pie.title = "报送情况"
    pie.add_data(Reference(sheet, min_col=2, min_row=6, max_row=9), titles_from_data=False)
    pie.set_categories(Reference(sheet, min_col=1, min_row=6, max_row=9))
    pie.height, pie.width = 7.5, 11
    sheet.add_chart(pie, "D4")

    tier_row = 19
    sheet.cell(row=tier_row, column=1, value=f"梯队（按总得分率：{ws.summary.tier_thresholds().text()}）").font = Font(bold=True)
    tiers = [[name, overview.tiers.get(name, 0)] for name in ALL_TIERS]
    _table(sheet, ["梯队", "学校数"], tiers, [28, 14], start_row=tier_row + 1)
    sheet.freeze_panes = None
    bar = BarChart()
    bar.title = "各梯队学校数"
    bar.y_axis.title = "学校数"
    bar.add_data(Reference(sheet, min_col=2, min_row=tier_row + 1, max_row=tier_row + 5), titles_from_data=True)
    bar.set_categories(Reference(sheet, min_col=1, min_row=tier_row + 2, max_row=tier_row + 5))
    bar.legend = None
    bar.height, bar.width = 7.5, 11
    sheet.add_chart(bar, "D20")


def _status(sheet: Any, statuses: list[Any]) -> None:
    rows = [[s.school.code, s.school.name, s.school.stage, s.school.zone, STATE_LABELS[s.state],
             _time(s.signed_at), _time(s.last_report_at), s.report_id or "", s.school.contact, s.school.phone]
            for s in statuses]
    _table(sheet, ["学校代码", "学校名称", "学段", "学区/片区", "报送情况", "签名时间", "最近收到文件", "计入汇总的报告编号",
                   "联系人", "联系电话"], rows, [14, 28, 10, 12, 10, 17, 17, 38, 10, 15],
           alert=[s.state != "received" for s in statuses])


def _urge(sheet: Any, statuses: list[Any]) -> None:
    rows = [[s.school.code, s.school.name, s.school.zone, STATE_LABELS[s.state], s.school.contact, s.school.phone]
            for s in statuses]
    _table(sheet, ["学校代码", "学校名称", "学区/片区", "情况", "联系人", "联系电话"], rows, [14, 28, 12, 10, 10, 15])


def _comparison(sheet: Any, rows: list[Any]) -> None:
    from openpyxl.chart import BarChart, Reference

    by_school: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_school.setdefault(row.school_code, {"row": row})[row.area] = row
    header = ["学校代码", "学校名称", "学段", "学区/片区"]
    header += [f"{AREA_LABELS[a]} 得分率" for a in AREAS]
    header += ["检查项", "已作答", "完成率", "不合规项", "得分", "满分", "梯队", "未销号问题", "逾期问题"]
    table = []
    for code, areas in by_school.items():
        first = areas["row"]
        total = areas.get("total")
        line = [code, first.school_name, first.stage, first.zone]
        line += [areas[a].score_rate if a in areas else None for a in AREAS]
        if total is not None:
            line += [total.items, total.answered, total.completion, total.noncompliant, total.score, total.max_score,
                     total.tier, total.open_problems, total.overdue_problems]
        table.append(line)
    _table(sheet, header, table, [14, 28, 10, 12, 12, 12, 12, 12, 8, 8, 8, 8, 8, 8, 8, 10, 10])
    last = len(table) + 1
    for column in (5, 6, 7, 8, 11):
        _percent(sheet, column, 2, last)
    if not table:
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = "各校 1+3+N 领域得分率"
    chart.y_axis.title = "得分率"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.add_data(Reference(sheet, min_col=5, max_col=7, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=last))
    chart.height = 9
    chart.width = max(16, min(60, 1.2 * len(table)))
    sheet.add_chart(chart, f"A{last + 3}")


def _items(sheet: Any, items: list[Any]) -> None:
    from openpyxl.chart import BarChart, Reference

    rows = [[i.checklist_title, i.item_id, i.question, i.schools_noncompliant, i.schools_reporting, i.rate]
            for i in items]
    _table(sheet, ["清单", "检查项编号", "检查项", "不合规学校数", "作答学校数", "不合规比例"], rows, [28, 12, 60, 12, 12, 12])
    _percent(sheet, 6, 2, len(rows) + 1)
    top = min(TOP_ITEMS, sum(1 for i in items if i.schools_noncompliant))
    if not top:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"不合规学校最多的 {top} 个检查项"
    chart.x_axis.title = "检查项"
    chart.y_axis.title = "不合规学校数"
    chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=top + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=top + 1))
    chart.x_axis.scaling.orientation = "maxMin"  # the worst on top
    chart.legend = None
    chart.height, chart.width = 10, 18
    sheet.add_chart(chart, "H2")


def _rectification(sheet: Any, problems: list[Any]) -> None:
    from openpyxl.chart import BarChart, Reference

    rows = [[p.school_code, p.school_name, p.problem_id, p.item_id or "", p.severity or "", p.source, p.description,
             p.measures, p.rect_type or "", p.person, p.deadline, p.status, "是" if p.overdue else "",
             p.overdue_days or None, p.completed_on] for p in problems]
    _table(sheet, ["学校代码", "学校名称", "问题编号", "检查项", "严重程度", "来源", "问题描述", "整改措施", "整改类型", "责任人",
                   "整改时限", "状态", "逾期", "逾期天数", "完成日期"], rows,
           [14, 26, 8, 11, 8, 8, 50, 30, 10, 10, 12, 8, 6, 8, 12], alert=[p.overdue for p in problems])
    for row in range(2, len(rows) + 2):
        for column in (11, 15):
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
    # Status counts beside the table, and a chart of them.
    column = 17
    counts = {s: sum(1 for p in problems if p.status == s) for s in STATUSES}
    sheet.cell(row=1, column=column, value="状态")
    sheet.cell(row=1, column=column + 1, value="问题数")
    for index, status in enumerate(STATUSES, start=2):
        sheet.cell(row=index, column=column, value=status)
        sheet.cell(row=index, column=column + 1, value=counts[status])
    sheet.cell(row=6, column=column, value="其中逾期")
    sheet.cell(row=6, column=column + 1, value=sum(1 for p in problems if p.overdue))
    chart = BarChart()
    chart.type = "col"
    chart.title = "整改进度（问题数）"
    chart.add_data(Reference(sheet, min_col=column + 1, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=column, min_row=2, max_row=5))
    chart.legend = None
    chart.height, chart.width = 7.5, 12
    sheet.add_chart(chart, sheet.cell(row=8, column=column).coordinate)
