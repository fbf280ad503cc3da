"""Scoring: counts and points per section, checklist, area and inspection."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.checklists.answers import Compliance, InvalidAnswerError, answer_label, normalize_answer
from selfcheck.checklists.loader import load_checklist_file
from selfcheck.checklists.models import Checklist
from selfcheck.checklists.scoring import Tally, is_visible, score_checklist, score_inspection

from .test_loader import VALID, write

SECOND = """\
id: second
version: "1"
title: 第二份
area: "1"
order: 1
documents: [{key: d, title: 文件}]
sections:
  - id: only
    title: 唯一章节
    items:
      - id: SEC-01
        question: 是否公示？
        guidance: 看公示栏。
        evidence: {description: 公示照片}
        severity: 一般
        score: 2
        basis: [{doc: d}]
      - id: SEC-02
        question: 最近一次演练日期
        guidance: 查记录。
        evidence: {description: 记录}
        severity: 一般
        score: 1
        basis: [{doc: d}]
        answer: {type: date}
"""


@pytest.fixture
def demo(tmp_path: Path) -> Checklist:
    return load_checklist_file(write(tmp_path, VALID))


@pytest.fixture
def second(tmp_path: Path) -> Checklist:
    return load_checklist_file(write(tmp_path, SECOND, "second.yaml"))


def test_unanswered_checklist(demo: Checklist) -> None:
    result = score_checklist(demo, {})
    # DEMO-02 is hidden until DEMO-01 is answered 是, so it counts as not applicable.
    assert result.tally == Tally(unanswered=2, not_applicable=1, max_score=4, deducted=0)
    assert result.tally.score == 4 and result.tally.total == 3


def test_show_if_reveals_item(demo: Checklist) -> None:
    item = demo.item("DEMO-02")
    assert not is_visible(item, {"DEMO-01": "no"})
    assert is_visible(item, {"DEMO-01": "yes"})


def test_mixed_answers(demo: Checklist) -> None:
    answers = {"DEMO-01": "yes", "DEMO-02": "contracted", "DEMO-03": "45"}
    tally = score_checklist(demo, answers).tally
    # DEMO-02 contracted is non-compliant (5), DEMO-03 below the minimum of 60 is non-compliant (3).
    assert (tally.compliant, tally.noncompliant, tally.not_applicable, tally.unanswered) == (1, 2, 0, 0)
    assert (tally.max_score, tally.deducted, tally.score) == (9, 8, 1)


def test_number_in_range_and_na(demo: Checklist) -> None:
    tally = score_checklist(demo, {"DEMO-01": "na", "DEMO-03": "80"}).tally
    assert (tally.compliant, tally.not_applicable, tally.max_score) == (1, 2, 3)


def test_inspection_by_area_and_not_applicable_checklist(demo: Checklist, second: Checklist) -> None:
    answers = {"DEMO-01": "yes", "DEMO-02": "self", "DEMO-03": "60", "SEC-01": "no"}
    result = score_inspection([demo, second], answers)
    assert result.areas["N"].compliant == 3
    assert result.areas["1"].noncompliant == 1 and result.areas["1"].unanswered == 1
    assert result.tally.total == 5 and result.tally.deducted == 2
    excluded = score_inspection([demo, second], answers, not_applicable=["second"])
    assert excluded.checklists["second"].not_applicable
    assert excluded.areas["1"] == Tally(not_applicable=2)
    assert excluded.checklists["second"].sections["only"].not_applicable == 2


@pytest.mark.parametrize(
    ("item_id", "given", "stored", "label"),
    [
        ("DEMO-01", "是", "yes", "是"),
        ("DEMO-01", "no", "no", "否"),
        ("DEMO-01", "不适用", "na", "不适用"),
        ("DEMO-02", "承包", "contracted", "承包"),
        ("DEMO-03", " 75 ", "75", "75 天"),
        ("DEMO-03", "1,200", "1200", "1200 天"),
    ],
)
def test_normalize_and_label(demo: Checklist, item_id: str, given: str, stored: str, label: str) -> None:
    item = demo.item(item_id)
    assert normalize_answer(item, given) == stored
    assert answer_label(item, stored) == label


@pytest.mark.parametrize(
    ("item_id", "given", "fragment"),
    [("DEMO-01", "maybe", "是、否"), ("DEMO-02", "外包", "自营、承包"), ("DEMO-03", "十", "不是数字"),
     ("DEMO-03", "7.5", "整数"), ("DEMO-03", "nan", "有效的数字")],
)
def test_invalid_answers_are_explained(demo: Checklist, item_id: str, given: str, fragment: str) -> None:
    with pytest.raises(InvalidAnswerError, match=fragment):
        normalize_answer(demo.item(item_id), given)


def test_date_answers(second: Checklist) -> None:
    item = second.item("SEC-02")
    assert normalize_answer(item, "2026-09-01") == "2026-09-01"
    with pytest.raises(InvalidAnswerError, match="日期"):
        normalize_answer(item, "九月一日")
    assert score_checklist(second, {"SEC-02": "2026-09-01"}).tally.compliant == 1
    assert Compliance.COMPLIANT.value == "compliant"
