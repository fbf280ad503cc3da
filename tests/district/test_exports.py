"""Exports: the summary workbook reopens with its charts, the PDF renders and names every school, the CSV holds
every answer of every counting report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from selfcheck.district.workspace import DistrictWorkspace
from selfcheck.report.data import ReportData
from tests.district.fixtures import DistrictFiles, make_workspace
from tests.report.fixtures import poppler


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, district_files: DistrictFiles) -> Path:
    path = make_workspace(tmp_path_factory.mktemp("exports"), district_files)
    with DistrictWorkspace.open(path) as ws:
        ws.reports.receive([district_files.a1.path, district_files.tampered], workers=1)
    return path


def test_xlsx_reopens_with_every_sheet_and_native_charts(workspace: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from selfcheck.district.export_xlsx import export_xlsx

    out = tmp_path / "汇总.xlsx"
    with DistrictWorkspace.open(workspace, read_only=True) as ws:
        export_xlsx(ws, ws.campaigns.current().id, out)
    book = load_workbook(out)
    assert book.sheetnames == ["概况", "报送情况", "需督促学校", "比晒", "问题最多的检查项", "整改进度"]
    charts = {sheet.title: len(sheet._charts) for sheet in book.worksheets}
    assert charts["概况"] == 2 and charts["比晒"] == 1 and charts["问题最多的检查项"] == 1 and charts["整改进度"] == 1
    status = {row[1]: row[4] for row in book["报送情况"].iter_rows(min_row=2, values_only=True)}
    assert status == {"某某市第一中学": "已报送", "某某市实验小学": "被拒收", "某某市第三幼儿园": "未报送"}
    assert [row[1] for row in book["需督促学校"].iter_rows(min_row=2, values_only=True)] == ["某某市第三幼儿园",
                                                                                        "某某市实验小学"]
    comparison = list(book["比晒"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in comparison] == ["某某市第一中学"]
    checklists = {row[0] for row in book["问题最多的检查项"].iter_rows(min_row=2, values_only=True)}
    assert "校园餐管理专项自查清单" in checklists and "meals" not in checklists  # titles, not ids


def test_pdf_renders_and_names_every_school_and_report(workspace: Path, tmp_path: Path,
                                                       district_files: DistrictFiles) -> None:
    from selfcheck.district.export_pdf import export_pdf

    out = tmp_path / "汇总报告.pdf"
    with DistrictWorkspace.open(workspace, read_only=True) as ws:
        export_pdf(ws, ws.campaigns.current().id, out)
    text = "".join(poppler("pdftotext", "-raw", str(out), "-").split())  # content order: wrapped cells stay whole
    assert "示例区教育局关于全区2026年秋季“1+3+N”专项自查情况的汇总报告" in text
    for school in ("某某市第一中学", "某某市实验小学", "某某市第三幼儿园"):
        assert school in text
    assert str(district_files.a1.data.report_id) in text
    assert district_files.key_a.fingerprint.replace(":", "")[:16] in text.replace(":", "")
    poppler("pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page"))
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3 and all(p.stat().st_size > 1000 for p in pages)


def test_csv_has_one_row_per_school_and_item(workspace: Path, tmp_path: Path,
                                             district_files: DistrictFiles) -> None:
    from selfcheck.district.export_csv import HEADER, export_csv

    out = tmp_path / "答案.csv"
    with DistrictWorkspace.open(workspace, read_only=True) as ws:
        count = export_csv(ws, ws.campaigns.current().id, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    data: ReportData = district_files.a1.data
    items = [i for c in data.checklists for i in c.items()]
    assert count == len(rows) == len(items)
    assert list(rows[0]) == list(HEADER)
    by_item = {r["检查项编号"]: r for r in rows}
    titles = {i.id: c.title for c in data.checklists for i in c.items()}
    for item in items:
        row = by_item[item.id]
        assert (row["学校代码"], row["结论代码"], row["答案"], row["分值"]) == ("001", item.status, item.answer_label,
                                                                      str(item.score))
        assert row["清单名称"] == titles[item.id]


def test_an_export_to_a_missing_folder_is_refused(workspace: Path, tmp_path: Path) -> None:
    from selfcheck.district.errors import DistrictError
    from selfcheck.district.export_csv import export_csv

    with DistrictWorkspace.open(workspace, read_only=True) as ws, pytest.raises(DistrictError, match="不存在"):
        export_csv(ws, ws.campaigns.current().id, tmp_path / "无" / "a.csv")
