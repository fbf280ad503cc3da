"""Score tiers: the tier a checklist reaches, exactly at and just below each threshold."""

from __future__ import annotations

import pytest

from selfcheck.checklists.models import Checklist, PackRef
from selfcheck.checklists.parameters import resolve_checklist
from selfcheck.checklists.scoring import score_checklist


def _checklist(items: int = 10) -> Checklist:
    """Ten yes/no items of 10 points each, tiers 示范 ≥ {示范线}（90）, 规范 ≥ 80, 达标 ≥ 60."""
    return Checklist.model_validate({
        "id": "tiers-demo", "version": "1", "title": "档次演示", "area": "N", "order": 1,
        "documents": [{"key": "d", "title": "某办法", "kind": "地方文件"}],
        "parameters": [{"name": "示范线", "default": 90, "unit": "%", "source": "本区考评办法"}],
        "tiers": [{"name": "示范", "min_percent": {"param": "示范线"}}, {"name": "规范", "min_percent": 80},
                  {"name": "达标", "min_percent": 60}],
        "sections": [{"id": "s", "title": "节", "items": [
            {"id": f"TD-{n:02d}", "question": "是否？", "guidance": "查。", "evidence": {"description": "材料"},
             "severity": "较重", "score": 10, "basis": [{"doc": "d"}]} for n in range(1, items + 1)]}],
    })


def _answers(failed: int, na: int = 0, unanswered: int = 0, items: int = 10) -> dict[str, str]:
    answers = {}
    for n in range(1, items + 1):
        if n <= failed:
            answers[f"TD-{n:02d}"] = "no"
        elif n <= failed + na:
            answers[f"TD-{n:02d}"] = "na"
        elif n <= failed + na + unanswered:
            continue
        else:
            answers[f"TD-{n:02d}"] = "yes"
    return answers


@pytest.mark.parametrize(
    ("failed", "expected"),
    [(0, "示范"), (1, "示范"), (2, "规范"), (3, "达标"), (4, "达标"), (5, "未达标"),
     (10, "未达标")],
)
def test_tier_at_each_boundary(failed: int, expected: str) -> None:
    checklist = resolve_checklist(_checklist())
    assert score_checklist(checklist, _answers(failed)).tier == expected


def test_not_applicable_items_shrink_the_base() -> None:
    """8 applicable items, 1 failed: 70/80 = 87.5 % is 规范; 1 failed of 9 applicable = 88.9 %, still 规范."""
    checklist = resolve_checklist(_checklist())
    assert score_checklist(checklist, _answers(failed=1, na=2)).tier == "规范"
    assert score_checklist(checklist, _answers(failed=1, na=0)).tier == "示范"


def test_pack_threshold_moves_the_boundary() -> None:
    strict = resolve_checklist(_checklist(), {"示范线": 95}, PackRef(name="区包", version="1"))
    assert score_checklist(strict, _answers(failed=1)).tier == "规范"  # 90 % < 95 %
    assert score_checklist(strict, _answers(failed=0)).tier == "示范"


def test_no_tier_until_every_item_is_answered_or_for_a_checklist_marked_not_applicable() -> None:
    checklist = resolve_checklist(_checklist())
    assert score_checklist(checklist, _answers(failed=0, unanswered=1)).tier is None
    assert score_checklist(checklist, {}, not_applicable=True).tier is None
    assert score_checklist(checklist, _answers(failed=0, na=10)).tier is None


def test_checklists_without_tiers_have_none() -> None:
    plain = Checklist.model_validate({**_checklist().model_dump(by_alias=True), "tiers": [], "parameters": []})
    assert score_checklist(plain, _answers(failed=0)).tier is None


def test_uneven_points_compare_exactly() -> None:
    """Score rate exactly at a threshold reaches it: 27 of 30 points is 90 %, 26 of 30 is not."""
    checklist = resolve_checklist(_checklist(items=3))
    items = checklist.model_dump(by_alias=True)
    items["sections"][0]["items"][0]["score"] = 3
    items["sections"][0]["items"][1]["score"] = 4
    items["sections"][0]["items"][2]["score"] = 23
    checklist = Checklist.model_validate(items)
    assert score_checklist(checklist, {"TD-01": "no", "TD-02": "yes", "TD-03": "yes"}).tier == "示范"  # 27/30
    assert score_checklist(checklist, {"TD-01": "yes", "TD-02": "no", "TD-03": "yes"}).tier == "规范"  # 26/30
