"""Scoring: counts and points per section, checklist, area and inspection."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.checklists.answers import (
    Compliance,
    InvalidAnswerError,
    answer_label,
    compliance_of,
    normalize_answer,
    number_problem,
)
from selfcheck.checklists.loader import load_checklist_file
from selfcheck.checklists.models import Checklist
from selfcheck.checklists.scoring import (
    Tally,
    is_visible,
    item_outcome,
    not_applicable_tally,
    score_checklist,
    score_inspection,
    completion_text,
    score_text,
    tally_outcomes,
)

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



def _item(item_id: str, score: int, answer: dict | None = None, show_if: dict | None = None) -> dict:
    item = {"id": item_id, "question": f"{item_id} 是否符合要求？", "guidance": "现场查看。",
            "evidence": {"description": "记录"}, "severity": "一般", "score": score, "basis": [{"doc": "rule"}]}
    if answer is not None:
        item["answer"] = answer
    if show_if is not None:
        item["show_if"] = show_if
    return item


def _checklist(checklist_id: str, area: str, order: int, sections: dict[str, list[dict]]) -> Checklist:
    return Checklist.model_validate({
        "id": checklist_id, "version": "1", "title": f"清单 {checklist_id}", "area": area, "order": order,
        "documents": [{"key": "rule", "title": "某项规定"}],
        "sections": [{"id": sid, "title": f"分节 {sid}", "items": items} for sid, items in sections.items()]})


_SUPPLY = {"type": "choice", "options": [{"value": "self", "label": "自营", "compliant": True},
                                         {"value": "contracted", "label": "承包", "compliant": False},
                                         {"value": "none", "label": "不供餐", "compliant": None}]}


def known_checklists() -> list[Checklist]:
    """A known inspection's checklists, in the (area-mixed) order the inspection lists them.

    canteen (area 1): show_if gates, a choice option that counts as 不适用, a number below its minimum;
    uniforms (area 3): one unanswered item; fees (area N): marked 不适用 for the whole inspection although it has
    answers; ethics (area N): a non-compliant item worth 0 points.
    """
    return [
        _checklist("fees", "N", 1, {
            "charges": [_item("FEE-01", 5), _item("FEE-02", 2)],
            "refunds": [_item("FEE-03", 3)]}),
        _checklist("canteen", "1", 1, {
            "supply": [_item("CAN-01", 2),
                       _item("CAN-02", 5, _SUPPLY, {"item": "CAN-01", "equals": "yes"}),
                       _item("CAN-03", 4, _SUPPLY, {"item": "CAN-01", "equals": "yes"}),
                       _item("CAN-04", 3, {"type": "number", "unit": "天", "min": 60, "integer": True})],
            "hygiene": [_item("CAN-05", 4),
                        _item("CAN-06", 6, show_if={"item": "CAN-05", "equals": "yes"}),
                        _item("CAN-07", 1),
                        _item("CAN-08", 2)]}),
        _checklist("ethics", "N", 2, {"conduct": [_item("ETH-01", 0), _item("ETH-02", 10)]}),
        _checklist("uniforms", "3", 1, {"buy": [_item("UNI-01", 3), _item("UNI-02", 3)]}),
    ]


# The stored answers at the end: CAN-06 keeps the "no" given while CAN-05 was "yes" (now hidden), and fees keeps the
# answers given before it was marked 不适用. CAN-07 and UNI-02 are unanswered.
KNOWN_ANSWERS = {
    "CAN-01": "yes", "CAN-02": "contracted", "CAN-03": "none", "CAN-04": "45", "CAN-05": "no", "CAN-06": "no",
    "CAN-08": "na", "UNI-01": "yes", "FEE-01": "no", "FEE-03": "yes", "ETH-01": "no", "ETH-02": "yes",
}
KNOWN_NOT_APPLICABLE = {"fees": "学校不收取任何费用"}
# (items, compliant, noncompliant, not applicable, unanswered, max_score, deducted, score, excluded)
# Items of a 不适用 checklist and hidden items are excluded (not items of the inspection); unanswered items count
# as items but earn no points.
KNOWN_SECTIONS = {
    "charges": (0, 0, 0, 0, 0, 0, 0, 0, 2),
    "refunds": (0, 0, 0, 0, 0, 0, 0, 0, 1),
    "supply": (4, 1, 2, 1, 0, 10, 8, 2, 0),     # CAN-02 −5, CAN-04 −3; CAN-03 不供餐 carries no points
    "hygiene": (3, 0, 1, 1, 1, 4, 4, 0, 1),     # CAN-06 hidden, CAN-08 不适用, CAN-07 unanswered: no points
    "conduct": (2, 1, 1, 0, 0, 10, 0, 10, 0),
    "buy": (2, 1, 0, 0, 1, 3, 0, 3, 0),         # UNI-02 unanswered earns nothing
}
KNOWN_CHECKLISTS = {
    "fees": (0, 0, 0, 0, 0, 0, 0, 0, 3),
    "canteen": (7, 1, 3, 2, 1, 14, 12, 2, 1),
    "ethics": (2, 1, 1, 0, 0, 10, 0, 10, 0),
    "uniforms": (2, 1, 0, 0, 1, 3, 0, 3, 0),
}
KNOWN_AREAS = {"1": KNOWN_CHECKLISTS["canteen"], "3": KNOWN_CHECKLISTS["uniforms"],
               "N": (2, 1, 1, 0, 0, 10, 0, 10, 3)}
KNOWN_TOTAL = (11, 3, 4, 2, 2, 27, 12, 15, 4)


def _numbers(tally: Tally) -> tuple[int, ...]:
    return (tally.total, tally.compliant, tally.noncompliant, tally.not_applicable, tally.unanswered,
            tally.max_score, tally.deducted, tally.score, tally.excluded)


def test_known_inspection_is_scored_to_the_point() -> None:
    result = score_inspection(known_checklists(), KNOWN_ANSWERS, KNOWN_NOT_APPLICABLE)
    assert {cid: _numbers(c.tally) for cid, c in result.checklists.items()} == KNOWN_CHECKLISTS
    sections = {sid: _numbers(t) for c in result.checklists.values() for sid, t in c.sections.items()}
    assert sections == KNOWN_SECTIONS
    assert {area: _numbers(t) for area, t in result.areas.items()} == KNOWN_AREAS
    assert _numbers(result.tally) == KNOWN_TOTAL
    assert [cid for cid, c in result.checklists.items() if c.not_applicable] == ["fees"]


def test_known_inspection_item_outcomes() -> None:
    canteen, fees = known_checklists()[1], known_checklists()[0]
    outcomes = {item.id: item_outcome(item, KNOWN_ANSWERS).value for item in canteen.all_items()}
    assert outcomes == {"CAN-01": "compliant", "CAN-02": "noncompliant", "CAN-03": "na", "CAN-04": "noncompliant",
                        "CAN-05": "noncompliant", "CAN-06": "na", "CAN-07": "unanswered", "CAN-08": "na"}
    assert {item_outcome(i, KNOWN_ANSWERS, checklist_not_applicable=True) for i in fees.all_items()} == {
        Compliance.NOT_APPLICABLE}
    assert not_applicable_tally(fees) == Tally(excluded=3)
    # Without the 不适用 mark the same answers would deduct FEE-01's 5 points; FEE-02 (unanswered) earns nothing.
    assert _numbers(score_checklist(fees, KNOWN_ANSWERS).tally) == (3, 1, 1, 0, 1, 8, 5, 3, 0)


def test_tally_outcomes_applies_the_point_rule() -> None:
    tally = tally_outcomes([(Compliance.COMPLIANT, 2), ("noncompliant", 5), ("na", 7), ("unanswered", 3),
                            (Compliance.NONCOMPLIANT, 0), (None, 9)])
    assert tally == Tally(compliant=1, noncompliant=2, not_applicable=1, unanswered=1, max_score=7, deducted=5,
                          excluded=1)
    assert (tally.total, tally.answered, tally.score, tally.complete) == (5, 4, 2, False)
    assert tally_outcomes([]) == Tally()
    with pytest.raises(ValueError):
        tally_outcomes([("maybe", 1)])


def test_tallies_add_field_by_field() -> None:
    a = Tally(compliant=1, noncompliant=2, not_applicable=3, unanswered=4, max_score=10, deducted=6)
    b = Tally(compliant=5, unanswered=1, max_score=7, deducted=0)
    assert a + b == Tally(compliant=6, noncompliant=2, not_applicable=3, unanswered=5, max_score=17, deducted=6)
    assert sum([a, b], Tally()).score == 11


@pytest.fixture
def demo(tmp_path: Path) -> Checklist:
    return load_checklist_file(write(tmp_path, VALID))


@pytest.fixture
def second(tmp_path: Path) -> Checklist:
    return load_checklist_file(write(tmp_path, SECOND, "second.yaml"))


def test_unanswered_checklist(demo: Checklist) -> None:
    result = score_checklist(demo, {})
    # DEMO-02 is hidden until DEMO-01 is answered 是, so it is not an item; nothing answered earns nothing.
    assert result.tally == Tally(unanswered=2, excluded=1, max_score=0, deducted=0)
    assert result.tally.score == 0 and result.tally.total == 2 and not result.tally.complete
    assert (completion_text(result.tally), score_text(result.tally)) == ("已完成 0/2", "—")


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
    # DEMO-02 is hidden (DEMO-01 is not 是): excluded, not counted as 不适用.
    assert (tally.compliant, tally.not_applicable, tally.excluded, tally.max_score) == (1, 1, 1, 3)


def test_inspection_by_area_and_not_applicable_checklist(demo: Checklist, second: Checklist) -> None:
    answers = {"DEMO-01": "yes", "DEMO-02": "self", "DEMO-03": "60", "SEC-01": "no"}
    result = score_inspection([demo, second], answers)
    assert result.areas["N"].compliant == 3
    assert result.areas["1"].noncompliant == 1 and result.areas["1"].unanswered == 1
    assert result.tally.total == 5 and result.tally.deducted == 2
    excluded = score_inspection([demo, second], answers, not_applicable=["second"])
    assert excluded.checklists["second"].not_applicable
    assert excluded.areas["1"] == Tally(excluded=2)
    assert excluded.checklists["second"].sections["only"].excluded == 2


@pytest.mark.parametrize(
    ("item_id", "given", "stored", "label"),
    [
        ("DEMO-01", "是", "yes", "是"),
        ("DEMO-01", "no", "no", "否"),
        ("DEMO-01", "不适用", "na", "不适用"),
        ("DEMO-02", "承包", "contracted", "承包"),
        ("DEMO-03", " 75 ", "75", "75 天"),
        ("DEMO-03", "1,200", "1200", "1200 天"),
        ("DEMO-03", "１２０", "120", "120 天"),  # full-width digits, as a Chinese input method types them
        ("DEMO-03", "不适用", "na", "不适用"),
        ("DEMO-02", "不适用", "na", "不适用"),  # a choice accepts 不适用 by its label, as its message lists it
        ("DEMO-02", "na", "na", "不适用"),
    ],
)
def test_normalize_and_label(demo: Checklist, item_id: str, given: str, stored: str, label: str) -> None:
    item = demo.item(item_id)
    assert normalize_answer(item, given) == stored
    assert answer_label(item, stored) == label


@pytest.mark.parametrize(
    ("item_id", "given", "fragment"),
    [("DEMO-01", "maybe", "是、否"), ("DEMO-02", "外包", "自营、承包"), ("DEMO-03", "十", "不是数字"),
     ("DEMO-03", "7.5", "整数"), ("DEMO-03", "nan", "有效的数字"), ("DEMO-03", "-3", "不能小于 0"),
     ("DEMO-03", "123456789012345678901234", "位数过多"), ("DEMO-03", "1e3", "有效的数字")],
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


def test_unanswered_items_are_neither_compliant_nor_scored() -> None:
    """The issue's case: a checklist of 17 items with none answered shows 0 points of 0, not 61/61."""
    items = [_item(f"ALL-{n:02d}", 5 if n % 3 == 0 else 3) for n in range(1, 18)]
    checklist = _checklist("many", "N", 1, {"all": items})
    empty = score_checklist(checklist, {}).tally
    assert (empty.total, empty.answered, empty.compliant, empty.max_score, empty.score) == (17, 0, 0, 0, 0)
    some = score_checklist(checklist, {"ALL-01": "yes", "ALL-03": "no", "ALL-04": "na"}).tally
    # Scored over ALL-01 (3) and ALL-03 (5, deducted) only; 不适用 completes ALL-04 without points.
    assert (some.answered, some.total, some.max_score, some.score) == (3, 17, 8, 3)
    assert completion_text(some) == "已完成 3/17"


def _number(**spec: object) -> Checklist:
    return _checklist("numbers", "1", 1, {"n": [_item("NUM-01", 3, {"type": "number", **spec})]})


def test_head_counts_are_never_negative_and_the_compliant_range_is_separate() -> None:
    """MEAL-13-like: 0 people without a health certificate is compliant, 2 is not, -3 is refused outright."""
    checklist = _number(unit="人", integer=True, max=0)
    item = checklist.item("NUM-01")
    assert compliance_of(item, normalize_answer(item, "0")) is Compliance.COMPLIANT
    assert compliance_of(item, normalize_answer(item, "2")) is Compliance.NONCOMPLIANT
    with pytest.raises(InvalidAnswerError, match="不能小于 0"):
        normalize_answer(item, "-3")
    assert compliance_of(item, "-3") is Compliance.UNANSWERED  # stored by an older version: asked again


def test_input_bounds_from_the_checklist() -> None:
    item = _number(input_min=-50, input_max=60, unit="℃").item("NUM-01")
    assert normalize_answer(item, "-18.5") == "-18.5"
    with pytest.raises(InvalidAnswerError, match="不能大于 60"):
        normalize_answer(item, "61")
    with pytest.raises(ValueError):
        _number(input_min=5, input_max=1)


def test_numbers_are_stored_exactly_or_refused() -> None:
    item = _number().item("NUM-01")
    assert normalize_answer(item, "0.1") == "0.1"
    assert normalize_answer(item, "12.50") == "12.5"
    assert normalize_answer(item, "123456789012345") == "123456789012345"  # 15 digits: exact
    with pytest.raises(InvalidAnswerError, match="位数过多"):
        normalize_answer(item, "1234567890123456")
    assert number_problem(item.answer, "1.5") is None and "不是数字" in number_problem(item.answer, "1.5.2")
