"""Parameters: declared once, used as {名称} in text and {param: 名称} in ranges and tiers, overridden by a pack."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.loader import load_checklist_file, load_checklist_template, validate_files
from selfcheck.checklists.models import NumberAnswer, PackRef
from selfcheck.checklists.parameters import resolve_checklist, value_problems

TEMPLATE = textwrap.dedent(
    """\
    id: local-books
    version: "1.0"
    title: 本区教辅自查
    area: "3"
    order: 25
    documents:
      - {key: prov, title: 本省教辅征订管理规定, kind: 地方文件}
    parameters:
      - name: 一教一辅上限
        default: 1
        unit: 套
        source: 多数省份的规定
        integer: true
        min: 0
        max: 5
      - {name: 示范线, default: 90, unit: "%", source: 本区考评办法}
    tiers:
      - {name: 示范, min_percent: {param: 示范线}}
      - {name: 达标, min_percent: 60}
    sections:
      - id: supplements
        title: 教辅
        items:
          - id: LB-01
            question: 每科代购的教辅最多几套（本区上限 {一教一辅上限} 套）？
            guidance: 对照征订清单逐科统计；超过 {一教一辅上限} 套的为不合规。
            evidence:
              description: 征订清单（每科不超过 {一教一辅上限} 套）
              photo: optional
            severity: 较重
            score: 3
            basis: [{doc: prov}]
            answer: {type: number, unit: 套, integer: true, min: 0, max: {param: 一教一辅上限}}
    """
)


def _write(tmp_path: Path, text: str, name: str = "local.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_substituted_in_text_and_range(tmp_path: Path) -> None:
    checklist = load_checklist_file(_write(tmp_path, TEMPLATE))
    item = checklist.item("LB-01")
    assert item.question == "每科代购的教辅最多几套（本区上限 1 套）？"
    assert "超过 1 套" in item.guidance and "不超过 1 套" in item.evidence.description
    assert isinstance(item.answer, NumberAnswer) and item.answer.max == 1
    assert compliance_of(item, "1") is Compliance.COMPLIANT
    assert compliance_of(item, "2") is Compliance.NONCOMPLIANT
    applied = {p.name: p for p in checklist.applied.parameters}
    assert applied["一教一辅上限"].value == 1 and applied["一教一辅上限"].source == "默认值（多数省份的规定）"
    assert checklist.applied.pack is None


def test_pack_values_override_defaults_everywhere(tmp_path: Path) -> None:
    template = load_checklist_template(_write(tmp_path, TEMPLATE))
    pack = PackRef(name="某区清单包", version="2026.1")
    checklist = resolve_checklist(template, {"一教一辅上限": 2, "示范线": 95}, pack)
    item = checklist.item("LB-01")
    assert "本区上限 2 套" in item.question
    assert compliance_of(item, "2") is Compliance.COMPLIANT
    assert compliance_of(item, "3") is Compliance.NONCOMPLIANT
    assert checklist.tiers[0].min_percent == 95
    assert checklist.applied.pack == pack
    sources = {p.name: p.source for p in checklist.applied.parameters}
    assert sources["一教一辅上限"] == "区县清单包：某区清单包（版本 2026.1）"


def test_a_resolved_checklist_keeps_its_values(tmp_path: Path) -> None:
    """A snapshot is never re-resolved: an old inspection keeps the values it used."""
    resolved = load_checklist_file(_write(tmp_path, TEMPLATE))
    again = resolve_checklist(resolved, {"一教一辅上限": 3}, PackRef(name="新包", version="2"))
    assert again == resolved


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("max: {param: 一教一辅上限}", "max: {param: 一教两辅上限}"), "引用了参数“一教两辅上限”"),
        (("本区上限 {一教一辅上限} 套", "本区上限 {上限} 套"), "引用了参数“{上限}”"),
        (("本区上限 {一教一辅上限} 套", "本区上限 {一教一辅上限 套"), "不成对的花括号"),
        (("- {name: 示范线, default: 90", "- {name: 一教一辅上限, default: 90"), "参数名“一教一辅上限”重复"),
        (("min_percent: {param: 示范线}", "min_percent: 95"), "参数“示范线”已声明，但没有检查项或档次使用它"),
        (("default: 1\n", "default: 1.5\n"), "默认值应为整数"),
        (("default: 1\n", "default: 7\n"), "超出了它允许的范围"),
        (("min_percent: 60", "min_percent: 95"), "从高到低"),
        (("{name: 达标, min_percent: 60}", "{name: 未达标, min_percent: 60}"), "不能作为档次"),
        (("order: 25\n", "order: 25\napplied: {}\n"), "applied 由软件"),
        (("kind: 地方文件", "kind: 红头文件"), "依据种类"),
    ],
)
def test_broken_parameter_use_is_reported(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    old, new = edit
    assert old in TEMPLATE
    problems = validate_files([_write(tmp_path, TEMPLATE.replace(old, new, 1))])
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
    assert all(p.line is not None for p in problems), [str(p) for p in problems]


def test_pack_values_are_checked_against_the_declarations(tmp_path: Path) -> None:
    template = load_checklist_template(_write(tmp_path, TEMPLATE))
    defs = {p.name: p for p in template.parameters}
    messages = [m for _, m in value_problems(defs, {"一教一辅上限": 1.5, "示范线": "九十", "清廉课时": 4})]
    assert any("应为整数" in m for m in messages)
    assert any("应为数字" in m for m in messages)
    assert any("没有哪份清单使用" in m for m in messages)
    assert value_problems(defs, {"一教一辅上限": 9}) == [("一教一辅上限", "参数“一教一辅上限”的取值 9套 大于允许的最大值 5套。")]
    assert value_problems(defs, {"一教一辅上限": 2, "示范线": 85}) == []
