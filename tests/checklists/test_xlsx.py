"""The Excel template a district fills in: template → filled with openpyxl → import-xlsx → validate → load, and
every kind of mistake reported by sheet, row and column with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.loader import (
    load_checklist_file,
    load_checklist_template,
    load_checklist_templates,
    load_checklists,
    validate_files,
)
from selfcheck.checklists.models import BasisKind, ChoiceAnswer, NumberAnswer, PackRef
from selfcheck.checklists.parameters import resolve_checklist
from selfcheck.checklists.scoring import is_visible
from selfcheck.checklists.xlsx_import import XlsxImportError, import_xlsx
from selfcheck.checklists.xlsx_layout import ITEM_COLUMNS
from selfcheck.checklists.xlsx_template import write_template
from selfcheck.cli.main import run

ITEM_HEADERS = [c.header for c in ITEM_COLUMNS]


def _row(**cells: object) -> list[object]:
    return [cells.get(h) for h in ITEM_HEADERS]


def fill(book) -> None:  # noqa: ANN001
    info = book["清单信息"]
    for row, value in zip(range(2, 8), ("district-qinglian", "2026.1", "本区清廉学校补充自查表", "N", 95, "示例")):
        info.cell(row=row, column=2, value=value)
    docs = book["依据文件"]
    docs.append(["local", "本区清廉学校建设考评办法", "地方文件", "本区教育局", None, 2026])
    docs.append(["s004", "涪陵区教育系统推进清廉学校建设实施方案", "参考做法", None, None, 2024])
    params = book["参数"]
    params.append(["清廉教育课时", 4, "课时", "涪陵区方案（参考做法）", "是", 0, 20, "每学期学生清廉专题教育课时"])
    params.append(["示范线", 90, "%", "本区考评办法", "否", None, None, None])
    tiers = book["得分档次"]
    tiers.append(["示范", "{示范线}"])
    tiers.append(["达标", 60])
    items = book["检查项"]
    items.append(_row(章节="清廉文化", 检查项编号="DQL-01", 检查问题="本检查期是否开设清廉专题教育？",
                      检查指引="查阅课表和教案。未开设的，应答“否”。", 佐证材料="课表、教案", 照片要求="可选拍照",
                      严重程度="一般", 分值=2, 依据="local；s004"))
    items.append(_row(章节="清廉文化", 检查项编号="DQL-02", 检查问题="本检查期开设了几课时清廉专题教育（不少于 {清廉教育课时} 课时）？",
                      检查指引="按课表统计，少于 {清廉教育课时} 课时为不合规。", 佐证材料="课表",
                      严重程度="一般", 分值=2, 依据="local 第五条", 答案类型="数字题", 单位="课时",
                      下限="{清廉教育课时}", 只允许整数="是", 显示条件="DQL-01：是"))
    items.append(_row(章节="家校助廉", 检查项编号="DQL-03", 检查问题="家委会参与监督的方式是？",
                      检查指引="按实际情况选择。", 佐证材料="家委会章程", 照片要求="无需照片", 严重程度="较重", 分值=3,
                      依据="local", 依据种类="地方文件", 答案类型="选择题",
                      选项="定期参与监督:合规；未参与监督:不合规；未成立家委会:不适用"))


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return write_template(tmp_path / "模板.xlsx")


def test_template_has_chinese_headers_and_drop_downs(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames == ["填写说明", "清单信息", "依据文件", "检查项", "参数", "得分档次"]
    items = book["检查项"]
    assert [c.value for c in items[1]] == ITEM_HEADERS
    lists = {rng.split(":")[0][0]: dv.formula1 for dv in items.data_validations.dataValidation
             for rng in str(dv.sqref).split() if dv.type == "list"}
    letter = {h: chr(ord("A") + i) for i, h in enumerate(ITEM_HEADERS)}
    assert "不合规时必须拍照" in lists[letter["照片要求"]]
    assert lists[letter["严重程度"]] == '"一般,较重,严重"'
    assert "参考做法" in lists[letter["依据种类"]] and "数字题" in lists[letter["答案类型"]]
    assert any(dv.type == "whole" for dv in items.data_validations.dataValidation)
    assert any("参考做法" in dv.formula1 for dv in book["依据文件"].data_validations.dataValidation)


def test_filled_template_round_trips_to_a_loadable_checklist(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    fill(book)
    book.save(template)
    target = import_xlsx(template, tmp_path / "out")
    assert target.name == "district-qinglian.yaml"
    assert validate_files([target]) == []
    checklist = load_checklist_file(target)
    assert [s.title for s in checklist.sections] == ["清廉文化", "家校助廉"]
    q2 = checklist.item("DQL-02")
    assert q2.question == "本检查期开设了几课时清廉专题教育（不少于 4 课时）？"
    assert isinstance(q2.answer, NumberAnswer) and q2.answer.min == 4 and q2.answer.integer
    assert compliance_of(q2, "3") is Compliance.NONCOMPLIANT
    assert not is_visible(q2, {"DQL-01": "no"}) and is_visible(q2, {"DQL-01": "yes"})
    q3 = checklist.item("DQL-03")
    assert isinstance(q3.answer, ChoiceAnswer)
    assert [o.compliant for o in q3.answer.options] == [True, False, None]
    assert checklist.item("DQL-01").basis[1].kind is BasisKind.PRACTICE
    assert checklist.item("DQL-02").basis[0].article == "第五条"
    assert [t.name for t in checklist.tiers] == ["示范", "达标"]
    # Loads beside the built-ins, and a pack's value reaches the text and the range.
    assert "district-qinglian" in [c.id for c in load_checklists([target.parent])]
    packed = resolve_checklist(load_checklist_template(target), {"清廉教育课时": 6}, PackRef(name="区包", version="1"))
    assert "不少于 6 课时" in packed.item("DQL-02").question


@pytest.mark.parametrize("checklist_id", [c.id for c in load_checklist_templates()])
def test_a_built_in_checklist_survives_template_and_import(tmp_path: Path, checklist_id: str) -> None:
    """A district adapts a built-in checklist in Excel: export, rename, import, and nothing is lost."""
    source = next(c for c in load_checklist_templates() if c.id == checklist_id)
    prefix = source.all_items()[0].id.split("-")[0] + "-"
    path = write_template(tmp_path / "copy.xlsx", source)
    book = load_workbook(path)
    book["清单信息"]["B2"] = f"district-{checklist_id}"
    for row in book["检查项"].iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace(prefix, "DX" + prefix)
    book.save(path)
    copy = load_checklist_file(import_xlsx(path, tmp_path / "out"))
    original = resolve_checklist(source)
    assert len(copy.all_items()) == len(original.all_items())
    assert [t.name for t in copy.tiers] == [t.name for t in original.tiers]
    assert [(p.name, p.default, p.unit) for p in copy.parameters] == [(p.name, p.default, p.unit) for p in source.parameters]
    for mine, theirs in zip(copy.all_items(), original.all_items()):
        assert mine.question == theirs.question.replace(prefix, "DX" + prefix)
        assert (mine.severity, mine.score, mine.evidence.photo) == (theirs.severity, theirs.score, theirs.evidence.photo)
        assert [(b.doc, b.article, b.kind) for b in mine.basis] == [(b.doc, b.article, b.kind) for b in theirs.basis]
        assert type(mine.answer) is type(theirs.answer)
        assert (mine.show_if is None) == (theirs.show_if is None)


def _set(book, sheet: str, row: int, column: int, value: object) -> None:  # noqa: ANN001
    book[sheet].cell(row=row, column=column).value = value


BROKEN = [
    # (what a district gets wrong, how, sheet, row, column, words of the message)
    ("empty id", lambda b: _set(b, "清单信息", 2, 2, None), "清单信息", 2, "B", "不能为空"),
    ("bad area", lambda b: _set(b, "清单信息", 5, 2, "4"), "清单信息", 5, "B", "1、3 或 N"),
    ("bad order", lambda b: _set(b, "清单信息", 6, 2, "第一"), "清单信息", 6, "B", "应为整数"),
    ("doc without kind", lambda b: _set(b, "依据文件", 2, 3, None), "依据文件", 2, "C", "不能为空"),
    ("unknown kind", lambda b: _set(b, "依据文件", 2, 3, "红头文件"), "依据文件", 2, "C", "下拉列表"),
    ("bad doc key", lambda b: _set(b, "依据文件", 3, 1, "S004"), "依据文件", 3, "A", "格式不对"),
    ("duplicate item id", lambda b: _set(b, "检查项", 3, 2, "DQL-01"), "检查项", 3, "B", "重复"),
    ("bad item id", lambda b: _set(b, "检查项", 2, 2, "dql1"), "检查项", 2, "B", "格式不对"),
    ("missing question", lambda b: _set(b, "检查项", 2, 3, None), "检查项", 2, "C", "不能为空"),
    ("unknown severity", lambda b: _set(b, "检查项", 2, 7, "很严重"), "检查项", 2, "G", "下拉列表"),
    ("score out of range", lambda b: _set(b, "检查项", 2, 8, 120), "检查项", 2, "H", "0～100"),
    ("unknown document", lambda b: _set(b, "检查项", 2, 9, "rule99"), "检查项", 2, "I", "不是“依据文件”表"),
    ("unknown parameter in text", lambda b: _set(b, "检查项", 3, 3, "几课时（{课时}）？"),
     "检查项", 3, "C", "参数“{课时}”"),
    ("unknown parameter in range", lambda b: _set(b, "检查项", 3, 14, "{课时下限}"),
     "检查项", 3, "N", "参数“课时下限”"),
    ("bad number bound", lambda b: _set(b, "检查项", 3, 14, "四"), "检查项", 3, "N", "应为数字"),
    ("bad options", lambda b: _set(b, "检查项", 4, 12, "参与；未参与"), "检查项", 4, "L", "选项文字:合规"),
    ("show_if to a later item", lambda b: _set(b, "检查项", 3, 17, "DQL-03：定期参与监督"),
     "检查项", 3, "Q", "排在本项之前"),
    ("show_if with a wrong answer", lambda b: _set(b, "检查项", 3, 17, "DQL-01：有"),
     "检查项", 3, "Q", "不是 DQL-01 的答案"),
    ("parameter without source", lambda b: _set(b, "参数", 2, 4, None), "参数", 2, "D", "不能为空"),
    ("non-integer default", lambda b: _set(b, "参数", 2, 2, 4.5), "参数", 2, "B", "应为整数"),
    ("tiers not descending", lambda b: _set(b, "得分档次", 3, 2, 95), "得分档次", 2, "B", "从高到低"),
    ("renamed header", lambda b: _set(b, "检查项", 1, 4, "指引"), "检查项", 1, "D", "缺少表头"),
]


@pytest.mark.parametrize(("case", "breaker", "sheet", "row", "column", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_every_mistake_is_reported_by_sheet_row_and_column(
    template: Path, tmp_path: Path, case: str, breaker, sheet: str, row: int, column: str, words: str,  # noqa: ANN001
) -> None:
    book = load_workbook(template)
    fill(book)
    breaker(book)
    book.save(template)
    out = tmp_path / "out"
    with pytest.raises(XlsxImportError) as caught:
        import_xlsx(template, out)
    found = [p for p in caught.value.problems if (p.sheet, p.row, p.column) == (sheet, row, column)]
    assert found and any(words in p.message for p in found), [str(p) for p in caught.value.problems]
    assert not out.exists()


def test_all_problems_are_listed_at_once_and_the_cli_writes_nothing(template: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    book = load_workbook(template)
    fill(book)
    for _, breaker, *_ in BROKEN[:12]:
        breaker(book)
    book.save(template)
    out = tmp_path / "out"
    assert run(["checklists", "import-xlsx", str(template), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") >= 10 and "“检查项”表第 2 行 G 列（严重程度）" in err and "未写出任何文件" in err
    assert not out.exists()


def test_cli_template_then_import(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "t.xlsx"
    assert run(["checklists", "template", str(path)]) == 0
    book = load_workbook(path)
    fill(book)
    book.save(path)
    assert run(["checklists", "import-xlsx", str(path), "--out", str(tmp_path / "yaml")]) == 0
    assert run(["checklists", "validate", str(tmp_path / "yaml")]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_not_an_excel_file_is_a_plain_message(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "假的.xlsx"
    path.write_bytes(b"not a zip")
    assert run(["checklists", "import-xlsx", str(path), "--out", str(tmp_path / "o")]) != 0
    assert capsys.readouterr().err == ("错误：无法打开 假的.xlsx：它不是有效的 Excel（.xlsx）文件。请用本软件生成的清单模板填写，"
                                       "在 Excel 或 WPS 中保存为 .xlsx 格式后再试。\n")
