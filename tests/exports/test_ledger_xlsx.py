"""The ledger Excel export: a clean sheet (title, header, widths, wrap, frozen header, date cells, overdue tint)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfcheck.checklists.loader import load_checklist_file, sort_checklists
from selfcheck.errors import UserError
from selfcheck.exports.ledger_table import COLUMNS
from selfcheck.exports.ledger_xlsx import HEADER_ROW, OVERDUE_FILL, default_file_name, write_ledger_xlsx
from selfcheck.workbook.models import NewInspection, ProblemUpdate, RectificationType
from selfcheck.workbook.service import Workbook

DATA = Path(__file__).parents[1] / "gui" / "data" / "checklists"


@pytest.fixture
def problems(tmp_path: Path) -> list:
    checklists = sort_checklists(load_checklist_file(p) for p in sorted(DATA.glob("*.yaml")))
    with Workbook.create(tmp_path / "wb.selfcheck", actor="测试员") as wb:
        inspection = wb.inspections.create(NewInspection(
            title="秋季自查", period_start=date(2026, 9, 1), period_end=date(2026, 9, 30),
            checklist_ids=[c.id for c in checklists]), available=checklists)
        wb.answers.set(inspection.id, "GTM-01", "否", note="未发文任命\n岗位职责未上墙")
        wb.answers.set(inspection.id, "GTF-01", "否")
        first = wb.ledger.for_item(inspection.id, "GTM-01")
        wb.ledger.update(first.id, ProblemUpdate(
            measures="发文任命食品安全管理员；\n岗位职责上墙公示", rect_type=RectificationType.IMMEDIATE,
            leader="王校长", department="总务处", person="李老师", deadline=date.today() - timedelta(days=3)))
        return wb.ledger.all(inspection.id)


def test_sheet_is_clean_and_complete(problems: list, tmp_path: Path) -> None:
    out = write_ledger_xlsx(problems, tmp_path / "台账.xlsx", school="城关第一小学",
                            inspection_titles={problems[0].inspection_id: "秋季自查"}, subtitle="秋季自查")
    sheet = load_workbook(out).active
    assert sheet.title == "整改台账"
    assert sheet["A1"].value == "城关第一小学整改台账"
    assert "共 2 个问题" in sheet["A2"].value
    headers = [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, len(COLUMNS) + 1)]
    assert headers == [c.header for c in COLUMNS]
    assert {"问题描述", "整改措施", "整改类型", "责任领导", "责任科室", "具体责任人", "整改时限", "整改状态",
            "现场查验人", "查验日期", "销号人", "销号日期", "回头看", "整改后照片"} <= set(headers)
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.cell(row=HEADER_ROW, column=1).font.bold
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(rows) == 2
    col = {c.key: i for i, c in enumerate(COLUMNS)}
    overdue_row = next(r for r in rows if r[col["item"]] == "GTM-01")
    assert overdue_row[col["deadline"]].date() == date.today() - timedelta(days=3)  # a real date cell
    assert overdue_row[col["status"]] == "待整改（逾期）"
    assert overdue_row[col["measures"]] == "发文任命食品安全管理员；\n岗位职责上墙公示"
    assert overdue_row[col["rect_type"]] == "立行立改"
    deadline_cell = sheet.cell(row=HEADER_ROW + 1 + rows.index(overdue_row), column=col["deadline"] + 1)
    assert deadline_cell.number_format == "yyyy-mm-dd"
    assert deadline_cell.fill.fgColor.rgb.endswith(OVERDUE_FILL)
    description_cell = sheet.cell(row=HEADER_ROW + 1, column=col["description"] + 1)
    assert description_cell.alignment.wrap_text
    assert sheet.column_dimensions["A"].width > 0 and sheet.column_dimensions["F"].width >= 30
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert not list(tmp_path.glob(".*.tmp"))


def test_empty_ledger_still_has_header(tmp_path: Path) -> None:
    out = write_ledger_xlsx([], tmp_path / "空.xlsx", school="", inspection_titles={})
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "整改台账"
    assert sheet.cell(row=HEADER_ROW, column=1).value == "编号"


@pytest.mark.parametrize("name, message", [("台账.csv", "应以 .xlsx 结尾"), ("没有的文件夹/台账.xlsx", "文件夹不存在")])
def test_bad_destination_is_a_chinese_error(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        write_ledger_xlsx([], tmp_path / name, school="", inspection_titles={})


def test_file_open_in_excel_is_a_chinese_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("selfcheck.exports.ledger_xlsx.os.replace", locked)
    with pytest.raises(UserError, match="正在 Excel 或 WPS 中打开"):
        write_ledger_xlsx([], tmp_path / "台账.xlsx", school="", inspection_titles={})
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_default_file_name() -> None:
    assert default_file_name("城关第一小学", date(2026, 9, 3)) == "城关第一小学整改台账-20260903.xlsx"
