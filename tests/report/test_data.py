"""ReportData: derived tallies, consistency checks, references, JSON round trip."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from selfcheck.report.data import SCHEMA_ID, ChecklistResult, ItemResult, ReportData, SectionResult, Tally
from tests.report.factory import Sample


def _item(item_id: str, status: str, score: int = 4) -> dict:
    value = {"compliant": "yes", "noncompliant": "no", "na": "na", "unanswered": None}[status]
    return {"id": item_id, "question": "是否……？", "answer_value": value, "answer_label": "是", "status": status,
            "severity": "较重", "score": score}


def test_section_tally_is_derived_from_items() -> None:
    section = SectionResult.model_validate({"id": "s1", "title": "分节", "items": [
        _item("A-01", "compliant"), _item("A-02", "noncompliant", 6), _item("A-03", "na"), _item("A-04", "unanswered")]})
    # Only answered compliant / non-compliant items are scored: the unanswered A-04 earns nothing.
    assert section.tally == Tally(items=4, compliant=1, noncompliant=1, na=1, unanswered=1, max_score=10,
                                  deducted=6, score=4, answered=3, excluded=0)


def test_items_hidden_or_in_a_not_applicable_checklist_are_not_counted() -> None:
    hidden = dict(_item("A-02", "na"), counted=False)
    section = SectionResult.model_validate({"id": "s1", "title": "分节", "items": [_item("A-01", "compliant"), hidden]})
    assert (section.tally.items, section.tally.na, section.tally.excluded, section.tally.answered) == (1, 0, 1, 1)


def test_a_report_made_with_the_first_rules_still_reads() -> None:
    """A tally without `answered` was written before this version's rules: it is checked with the first ones."""
    old = {"items": 4, "compliant": 1, "noncompliant": 1, "na": 1, "unanswered": 1, "max_score": 14,
           "deducted": 6, "score": 8}
    items = [_item("A-01", "compliant"), _item("A-02", "noncompliant", 6), _item("A-03", "na"),
             _item("A-04", "unanswered")]
    section = SectionResult.model_validate({"id": "s1", "title": "分节", "items": items, "tally": old})
    assert section.tally.legacy and section.tally.score == 8
    with pytest.raises(ValidationError, match="统计与检查项不一致"):
        SectionResult.model_validate({"id": "s1", "title": "分节", "items": items,
                                      "tally": dict(old, score=9, deducted=5)})


def test_a_tally_that_contradicts_the_items_is_rejected() -> None:
    wrong = Tally(items=1, compliant=1, max_score=4, score=4)
    with pytest.raises(ValidationError, match="统计与检查项不一致"):
        SectionResult.model_validate({"id": "s1", "title": "分节", "items": [_item("A-01", "noncompliant")],
                                      "tally": wrong})


def test_checklist_and_report_totals_add_up(sample: Sample) -> None:
    data = sample.data
    assert data.totals == Tally.total(c.tally for c in data.checklists)
    assert data.totals.items == sum(i.counted for c in data.checklists for i in c.items())
    assert [a.area for a in data.areas] == ["1", "3", "N"]
    assert sum(a.tally.items for a in data.areas) == data.totals.items
    not_applicable = [c for c in data.checklists if c.not_applicable]
    assert not_applicable and all(c.tally.items == 0 and c.tally.excluded == len(list(c.items()))
                                  for c in not_applicable)


@pytest.mark.parametrize(("where", "message"), [
    ("totals", "总计与清单统计不一致"), ("area", "领域汇总与清单统计不一致"), ("checklist", "的统计与分节不一致")])
@pytest.mark.parametrize("edit", ["swap", "score"])
def test_a_hand_edited_summary_is_rejected(sample: Sample, where: str, message: str, edit: str) -> None:
    payload = json.loads(sample.data.to_json())
    tally = {"totals": payload["totals"], "area": payload["areas"][0]["tally"],
             "checklist": payload["checklists"][0]["tally"]}[where]
    if edit == "swap":  # one non-compliant item passed off as compliant: same item count
        assert tally["noncompliant"] > 0
        tally["noncompliant"] -= 1
        tally["compliant"] += 1
    else:  # a score that is not max_score − deducted
        tally["score"] += 1
    with pytest.raises(ValidationError, match=message):
        ReportData.model_validate(payload)


def test_tally_mirrors_the_scorer() -> None:
    from selfcheck.checklists import scoring

    scored = scoring.Tally(compliant=3, noncompliant=2, not_applicable=4, unanswered=1, max_score=20, deducted=7)
    tally = Tally.from_scoring(scored)
    assert tally == Tally(items=10, compliant=3, noncompliant=2, na=4, unanswered=1, max_score=20, deducted=7,
                          score=13, answered=9, excluded=0)
    assert tally.to_scoring() == scored and tally.answered == 9
    assert Tally.total([tally, tally]) == Tally(items=20, compliant=6, noncompliant=4, na=8, unanswered=2,
                                                max_score=40, deducted=14, score=26, answered=18, excluded=0)
    assert Tally.total([]) == Tally.from_scoring(scoring.Tally())


def test_json_round_trip_is_exact(sample: Sample) -> None:
    text = sample.data.to_json()
    payload = json.loads(text)
    assert payload["schema"] == SCHEMA_ID
    assert "schema_" not in payload
    assert set(payload["photos"][0]) == {  # metadata only: the JPEG bytes never travel in the model
        "id", "kind", "item_id", "problem_id", "caption", "captured_at", "imported_at", "original_name",
        "original_sha256", "image_sha256", "width", "height"}
    assert ReportData.from_json(text) == sample.data


def test_unknown_schema_is_rejected(sample: Sample) -> None:
    payload = json.loads(sample.data.to_json())
    payload["schema"] = "selfcheck-report/2"
    with pytest.raises(ValidationError):
        ReportData.model_validate(payload)


def test_dangling_references_are_rejected(sample: Sample) -> None:
    payload = json.loads(sample.data.to_json())
    payload["problems"][0]["item_id"] = "NOPE-99"
    with pytest.raises(ValidationError, match="不存在的检查项 NOPE-99"):
        ReportData.model_validate(payload)
    payload = json.loads(sample.data.to_json())
    payload["problems"][0]["after_photo_ids"] = [123456]
    with pytest.raises(ValidationError, match="不存在的照片"):
        ReportData.model_validate(payload)


def test_duplicate_item_ids_are_rejected(sample: Sample) -> None:
    payload = json.loads(sample.data.to_json())
    first = payload["checklists"][0]["sections"][0]["items"]
    first[1] = dict(first[1], id=first[0]["id"])
    with pytest.raises(ValidationError, match="检查项编号重复"):
        ReportData.model_validate(payload)


@pytest.mark.parametrize(("inspection_title", "report_title"), [
    ("2026年秋季学期“1+3+N”专项自查", "某某市第一中学关于2026年秋季学期“1+3+N”专项自查情况的报告"),
    ("2026年1+3+N专项自查（第二轮）", "某某市第一中学关于2026年1+3+N专项自查（第二轮）情况的报告"),
    ("校园餐专项整治", "某某市第一中学关于校园餐专项整治自查情况的报告"),
])
def test_title_reads_like_an_official_report(sample: Sample, inspection_title: str, report_title: str) -> None:
    inspection = sample.data.inspection.model_copy(update={"title": inspection_title})
    assert sample.data.model_copy(update={"inspection": inspection}).title == report_title


def test_overdue_means_open_and_past_deadline(sample: Sample) -> None:
    today = sample.data.generated_at.date()
    overdue = sample.data.overdue_problems()
    assert overdue, "the factory makes some problems overdue"
    for problem in sample.data.problems:
        expected = (problem.deadline is not None and problem.deadline < today
                    and problem.status in ("待整改", "整改中"))
        assert (problem in overdue) == expected
    closed = next(p for p in sample.data.problems if p.status == "已销号")
    assert not closed.model_copy(update={"deadline": date(2000, 1, 1)}).is_overdue(today)


def test_every_ledger_state_is_in_the_sample(sample: Sample) -> None:
    assert {p.status for p in sample.data.problems} == {"待整改", "整改中", "已整改", "已销号"}
    assert any(p.follow_ups for p in sample.data.problems)
    assert any(p.after_photo_ids for p in sample.data.problems)


def test_item_result_rejects_an_unknown_status() -> None:
    with pytest.raises(ValidationError):
        ItemResult.model_validate(_item("A-01", "compliant") | {"status": "maybe"})


def test_checklist_area_must_be_known() -> None:
    section = {"id": "s1", "title": "分节", "items": [_item("A-01", "compliant")]}
    with pytest.raises(ValidationError):
        ChecklistResult.model_validate({"id": "x", "version": "1", "title": "清单", "area": "X",
                                        "sections": [section]})


def test_every_field_is_documented() -> None:
    """docs/report-data.md describes the attachment field by field; a new field must be documented."""
    from pathlib import Path

    from pydantic import BaseModel

    from selfcheck.report import data as module

    doc = (Path(__file__).resolve().parents[2] / "docs" / "report-data.md").read_text(encoding="utf-8")
    models = [m for m in vars(module).values()
              if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == module.__name__]
    assert len(models) >= 12
    missing = sorted({f"{m.__name__}.{info.alias or name}" for m in models for name, info in m.model_fields.items()
                      if f"`{info.alias or name}`" not in doc})
    assert missing == [], f"undocumented fields: {missing}"
