"""The roster: imports from what a bureau already has (.xlsx, .csv in UTF-8 or GBK), every bad row reported,
nothing half-imported; editing by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.district.errors import DistrictError, RosterImportError
from selfcheck.district.models import School
from selfcheck.district.workspace import DistrictWorkspace

HEADER = ["学校代码", "学校名称", "学段", "片区", "联系人", "联系电话"]
ROWS = [[3301001, "示例区第一中学", "初中", "城东片区", "张老师", "0571-1"],
        ["3301002", "示例区实验小学", "小学", "城西片区", "李老师", "0571-2"]]


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    with DistrictWorkspace.create(tmp_path / "a.district", "示例区教育局") as workspace:
        yield workspace


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["示例区学校名册（2026年）"])  # a title line above the headings is common
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_import_with_a_title_line_and_numeric_codes(ws: DistrictWorkspace, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "名册.xlsx", ROWS)
    result = ws.roster.import_file(book)
    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert ws.roster.get("3301001") == School(code="3301001", name="示例区第一中学", stage="初中", zone="城东片区",
                                              contact="张老师", phone="0571-1")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_import_in_the_encodings_excel_and_wps_write(ws: DistrictWorkspace, tmp_path: Path,
                                                         encoding: str) -> None:
    path = tmp_path / "名册.csv"
    path.write_text("学校名称,学校代码,学区/片区\n示例区第一中学,001,城东\n示例区实验小学,002,城西\n", encoding=encoding)
    assert ws.roster.import_file(path).added == 2
    assert [(s.code, s.name, s.zone) for s in ws.roster.list()] == [("001", "示例区第一中学", "城东"),
                                                                     ("002", "示例区实验小学", "城西")]


def test_every_broken_row_is_reported_and_nothing_is_imported(ws: DistrictWorkspace, tmp_path: Path) -> None:
    rows = [ROWS[0], ["", "无代码学校", "小学", "", "", ""], ["3301003", "", "小学", "", "", ""],
            ["3301001", "重复代码学校", "小学", "", "", ""], ["3301005", "示例区第一中学", "小学", "", "", ""],
            ["3301006", "名" * 101, "小学", "", "", ""]]
    book = write_xlsx(tmp_path / "坏名册.xlsx", rows)
    with pytest.raises(RosterImportError) as caught:
        ws.roster.import_file(book)
    problems = caught.value.problems
    assert problems == [
        "第 5 行“学校代码”：不能为空。",
        "第 6 行“学校名称”：不能为空。",
        "第 7 行“学校代码”：3301001 与第 4 行重复。",
        "第 8 行“学校名称”：示例区第一中学 与第 4 行重复。",
        "第 9 行“学校名称”：过长（最多 100 个字）。",
    ]
    assert "未导入任何学校" in str(caught.value)
    assert ws.roster.list() == []


def test_missing_required_columns_are_named(ws: DistrictWorkspace, tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_text("名字,电话\n一中,1\n", encoding="utf-8")
    with pytest.raises(DistrictError, match="缺少列：学校代码、学校名称"):
        ws.roster.import_file(path)


def test_reimport_updates_changed_schools_and_keeps_the_others(ws: DistrictWorkspace, tmp_path: Path) -> None:
    ws.roster.import_file(write_xlsx(tmp_path / "a.xlsx", ROWS))
    ws.roster.add(School(code="9", name="手工添加的学校"))
    changed = [[3301001, "示例区第一中学", "初中", "城南片区", "赵老师", "0571-9"], ROWS[1]]
    result = ws.roster.import_file(write_xlsx(tmp_path / "b.xlsx", changed))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert ws.roster.get("3301001").zone == "城南片区"
    assert len(ws.roster.list()) == 3


def test_not_a_roster_file(ws: DistrictWorkspace, tmp_path: Path) -> None:
    bad = tmp_path / "名册.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DistrictError, match="无法读取"):
        ws.roster.import_file(bad)
    old = tmp_path / "名册.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DistrictError, match="另存为 .xlsx"):
        ws.roster.import_file(old)


def test_add_update_remove(ws: DistrictWorkspace) -> None:
    ws.roster.add(School(code="1", name="一中"))
    with pytest.raises(DistrictError, match="已在名册中"):
        ws.roster.add(School(code="1", name="二中"))
    with pytest.raises(DistrictError, match="不能重复"):
        ws.roster.add(School(code="2", name="一中"))
    ws.roster.update("1", School(code="01", name="第一中学", stage="初中"))
    assert [(s.code, s.name) for s in ws.roster.list()] == [("01", "第一中学")]
    ws.roster.remove("01")
    assert ws.roster.list() == []
