"""The rectification ledger (整改台账) as .xlsx: title, header, widths, wrapping, frozen header, real date cells."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from selfcheck.errors import UserError
from selfcheck.exports.ledger_table import COLUMNS
from selfcheck.workbook.models import Problem
from selfcheck.oserrors import os_reason

SHEET_TITLE = "整改台账"
HEADER_ROW = 3  # row 1: title, row 2: subtitle, row 3: column headers
OVERDUE_FILL = "FDECEA"
HEADER_FILL = "DDE6F0"


def default_file_name(school: str, today: date | None = None) -> str:
    today = today or date.today()
    return f"{school or '学校'}整改台账-{today:%Y%m%d}.xlsx"


def write_ledger_xlsx(
    problems: Sequence[Problem],
    out: Path,
    *,
    school: str,
    inspection_titles: Mapping[int, str],
    subtitle: str = "",
    generated_at: datetime | None = None,
) -> Path:
    """Write `problems` to `out` (.xlsx) atomically and return the path.

    Opens cleanly in Excel and WPS: one sheet, a title row, a bold header row that stays in view, column widths,
    wrapped long text, real date cells (yyyy-mm-dd), overdue rows tinted, landscape A4 fitting the page width.
    Raises UserError with a Chinese message when the file cannot be written (e.g. it is open in Excel).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"台账文件名应以 .xlsx 结尾：{out.name}")
    if not out.parent.is_dir():
        raise UserError(f"保存台账的文件夹不存在：{out.parent}")
    generated_at = generated_at or datetime.now()

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    last_col = get_column_letter(len(COLUMNS))
    thin = Side(style="thin", color="A0A8B0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    sheet["A1"] = f"{school}整改台账" if school else "整改台账"
    sheet["A1"].font = Font(size=16, bold=True)
    sheet.merge_cells(f"A1:{last_col}1")
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    note = f"导出时间：{generated_at:%Y-%m-%d %H:%M}　共 {len(problems)} 个问题"
    sheet["A2"] = f"{subtitle}　{note}" if subtitle else note
    sheet.merge_cells(f"A2:{last_col}2")
    sheet["A2"].font = Font(color="5F6B7A")

    for col, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(col)].width = column.width + 2
    sheet.row_dimensions[HEADER_ROW].height = 24

    overdue_fill = PatternFill("solid", fgColor=OVERDUE_FILL)
    for row, problem in enumerate(problems, start=HEADER_ROW + 1):
        for col, column in enumerate(COLUMNS, start=1):
            value = column.value(problem, inspection_titles)
            cell = sheet.cell(row=row, column=col, value=value if value != "" else None)
            cell.border = border
            if column.kind == "date" and value is not None:
                cell.number_format = "yyyy-mm-dd"
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif column.kind == "int":
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            if problem.overdue:
                cell.fill = overdue_fill

    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    if problems:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + len(problems)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    book.properties.title = sheet["A1"].value
    book.properties.creator = "SelfCheck"

    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".xlsx.tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        book.save(tmp)
        os.replace(tmp, out)
    except PermissionError:
        raise UserError(f"无法写入“{out.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。") from None
    except OSError as err:
        raise UserError(f"无法写入“{out}”（{os_reason(err)}）。") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return out
