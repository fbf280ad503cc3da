"""The checklist loader: valid files load, and every kind of broken file is reported with file, line and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from selfcheck.checklists.loader import (
    ChecklistLoadError,
    load_checklist_file,
    load_checklists,
    validate_files,
)
from selfcheck.checklists.models import ChoiceAnswer, NumberAnswer, PhotoRequirement, Severity

VALID = textwrap.dedent(
    """\
    id: demo
    version: "1.0"
    title: 演示清单
    area: "N"
    order: 5
    documents:
      - key: rule
        title: 某项规定
        year: 2020
    sections:
      - id: basics
        title: 基本要求
        items:
          - id: DEMO-01
            question: 是否有食堂？
            guidance: 现场查看。
            evidence:
              description: 食堂照片
              photo: required
            severity: 一般
            score: 1
            basis:
              - doc: rule
                article: 第一条
          - id: DEMO-02
            question: 经营方式
            guidance: 查合同。
            evidence: {description: 合同}
            severity: 严重
            score: 5
            basis: [{doc: rule}]
            answer:
              type: choice
              options:
                - {value: self, label: 自营, compliant: true}
                - {value: contracted, label: 承包, compliant: false}
            show_if: {item: DEMO-01, equals: yes}
          - id: DEMO-03
            question: 本学期陪餐天数
            guidance: 查陪餐记录。
            evidence: {description: 陪餐记录, photo: none}
            severity: 较重
            score: 3
            basis: [{doc: rule}]
            answer: {type: number, unit: 天, min: 60, integer: true}
    """
)


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_with_every_field(tmp_path: Path) -> None:
    checklist = load_checklist_file(write(tmp_path, VALID))
    assert checklist.id == "demo" and checklist.area.value == "N"
    items = checklist.all_items()
    assert [i.id for i in items] == ["DEMO-01", "DEMO-02", "DEMO-03"]
    assert items[0].evidence.photo is PhotoRequirement.REQUIRED
    assert items[1].evidence.photo is PhotoRequirement.OPTIONAL  # the default
    assert items[0].severity is Severity.GENERAL
    assert items[0].basis[0].article == "第一条"
    assert isinstance(items[1].answer, ChoiceAnswer)
    assert items[1].show_if is not None and items[1].show_if.values == ("yes",)  # bare YAML `yes` means the answer
    assert isinstance(items[2].answer, NumberAnswer) and items[2].answer.min == 60


def test_builtin_and_extra_folder_load_together(tmp_path: Path) -> None:
    builtin = load_checklists()
    combined = load_checklists([write(tmp_path, VALID).parent])
    assert len(combined) == len(builtin) + 1
    assert "demo" in {c.id for c in combined}


def test_missing_extra_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ChecklistLoadError, match="额外清单文件夹不存在"):
        load_checklists([tmp_path / "nope"])


# (description, replace-from, replace-to, expected line, expected message fragment)
BROKEN = [
    ("yaml tab indent", "title: 演示清单\n", "title: 演示清单\n\tbad: 1\n", 4, "Tab"),
    ("unclosed bracket", "basis: [{doc: rule}]\n        answer:\n          type: choice",
     "basis: [{doc: rule}\n        answer:\n          type: choice", 32, "第 31 行"),
    ("unknown top-level key", "order: 5\n", "order: 5\ncolour: red\n", 6, "未知字段“colour”"),
    ("missing required field", "        guidance: 现场查看。\n", "", 14, "缺少必填字段 检查指引 guidance"),
    ("wrong type for order", "order: 5", "order: 第五", 5, "应为整数"),
    ("version not text", 'version: "1.0"', "version: 1.0", 2, "应为文本"),
    ("score written as true", "score: 5", "score: true", 30, "分值 score 应为整数，实际是 true"),
    ("order written as false", "order: 5", "order: false", 5, "应为整数，实际是 false"),
    ("year written as true", "year: 2020", "year: true", 9, "应为整数，实际是 true"),
    ("number range written as true", "min: 60, integer: true", "min: true, integer: true", 45, "应为数字，实际是 true"),
    ("bad area", 'area: "N"', 'area: "4"', 4, "领域 area"),
    ("bad severity", "severity: 一般", "severity: 很轻", 20, "严重程度"),
    ("score out of range", "score: 5", "score: 500", 30, "不能大于 100"),
    ("bad item id", "id: DEMO-01", "id: demo-1", 14, "MEAL-01"),
    ("bad photo requirement", "photo: required", "photo: always", 19, "照片要求"),
    ("unknown answer type", "type: number", "type: percent", 45, "答案类型 “percent” 无效"),
    ("choice with one option", "            - {value: contracted, label: 承包, compliant: false}\n", "", 35, "至少需要 2 项"),
    ("basis to unknown document", "basis: [{doc: rule}]\n        answer:\n          type: choice",
     "basis: [{doc: ruel}]\n        answer:\n          type: choice", 31, "未在 documents 中列出"),
    ("show_if unknown item", "show_if: {item: DEMO-01, equals: yes}", "show_if: {item: DEMO-09, equals: yes}", 37,
     "没有这个检查项"),
    ("show_if invalid value", "show_if: {item: DEMO-01, equals: yes}", "show_if: {item: DEMO-01, equals: maybe}", 37,
     "不是 DEMO-01 的有效答案"),
    ("duplicate item id", "id: DEMO-03", "id: DEMO-01", 38, "重复"),
    ("duplicate key", "order: 5\n", "order: 5\norder: 6\n", 6, "写了两次，请只保留一处"),
    ("empty items list", None, None, None, None),
    ("min above max", "min: 60, integer: true", "min: 60, max: 10", 45, "不能大于 max"),
    ("top level is a list", None, None, 1, "最外层"),
]


def _broken_text(case: tuple) -> str:
    name, old, new, *_ = case
    if name == "empty items list":
        return VALID.split("    items:")[0] + "    items: []\n"
    if name == "top level is a list":
        return "- id: demo\n- title: x\n"
    assert old in VALID, name
    return VALID.replace(old, new, 1)


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_file_is_reported_with_file_and_line(tmp_path: Path, case: tuple) -> None:
    name, _, _, line, fragment = case
    path = write(tmp_path, _broken_text(case), name="broken.yaml")
    problems = validate_files([path])
    assert problems, f"{name}: no problem reported"
    first = problems[0]
    assert first.file == "broken.yaml"
    assert first.line is not None and first.column is not None
    if name == "empty items list":
        assert "至少需要 1 项" in first.message
        return
    if line is not None:
        assert first.line == line, (name, str(first))
    assert fragment in first.message, (name, str(first))
    assert str(first).startswith(f"broken.yaml:{first.line}:{first.column}: ")
    with pytest.raises(ChecklistLoadError) as raised:
        load_checklist_file(path)
    assert "broken.yaml" in str(raised.value)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (VALID.replace("order: 5", "order: x")
            .replace("severity: 一般", "severity: 很轻")
            .replace("basis: [{doc: rule}]", "basis: [{doc: nothing}]", 1)
            .replace("show_if: {item: DEMO-01, equals: yes}", "show_if: {item: DEMO-07, equals: yes}"))
    problems = validate_files([write(tmp_path, text)])
    messages = " | ".join(p.message for p in problems)
    assert len(problems) == 4, messages
    for fragment in ("排序 order", "严重程度", "未在 documents 中列出", "没有这个检查项"):
        assert fragment in messages


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "文件是空的"),
        (b"# only a comment\n", "只有注释"),
        ("id: 演示".encode("gbk"), "UTF-8"),
        (b"id: demo\n---\nid: other\n", "只能包含一份"),
        (b'title: "unterminated\n', "引号"),
    ],
    ids=["empty", "comment-only", "gbk-encoded", "two-documents", "unterminated-quote"],
)
def test_unreadable_content(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    problems = validate_files([path])
    assert problems and problems[0].file == "bad.yaml" and problems[0].line is not None
    assert fragment in problems[0].message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = validate_files([tmp_path / "missing.yaml"])
    assert "文件不存在" in missing[0].message
    assert validate_files([tmp_path]) == []  # an empty folder has nothing wrong


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    write(tmp_path, VALID.replace("id: demo\n", "id: demo2\n", 1), "b.yaml")
    write(tmp_path, VALID, "c.yaml")
    problems = validate_files([tmp_path])
    texts = [str(p) for p in problems]
    assert any(t.startswith("b.yaml:14:") and "DEMO-01" in t and "a.yaml" in t for t in texts), texts
    assert any(t.startswith("c.yaml:1:") and "清单编号“demo”" in t for t in texts), texts


def test_builtin_checklists_validate() -> None:
    from selfcheck.resources import checklists_dir

    assert validate_files([checklists_dir()]) == []


def test_hostile_yaml_does_not_execute(tmp_path: Path) -> None:
    """Bombs, deep nesting and the rest are bounded in test_safe_yaml.py (child process, memory and time caps)."""
    path = write(tmp_path, "id: !!python/object/apply:os.system ['echo hacked']\n")
    (problem,) = validate_files([path])
    assert (problem.line, problem.column) == (1, 5)
    assert problem.message.startswith("“!”开头的类型标记无法识别。")
