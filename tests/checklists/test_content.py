"""The built-in checklists: they cover every requirement of the campaign plan and cite only verified articles."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from selfcheck.checklists.loader import load_builtin_checklists
from selfcheck.checklists.models import (
    ChoiceAnswer,
    DateAnswer,
    Item,
    NumberAnswer,
    PhotoRequirement,
    Severity,
    TextAnswer,
    YesNoAnswer,
)
from selfcheck.checklists.scoring import is_visible

# Part 二、整治重点 of seed document S000 (up to 三、工作举措), copied verbatim into the repository.
S000_FOCUS = Path(__file__).parent / "data" / "s000_focus.txt"
S000_TITLE = "全市教育领域群众身边不正之风和腐败问题集中整治专项工作实施方案"
S004_TITLE = "涪陵区教育系统推进清廉学校建设实施方案"

# Every requirement of S000 part 二、整治重点, as a short phrase quoted from the seed, with the items covering it.
# Keys are (part of S000 二, phrase); the part decides which checklist must hold at least one covering item.
S000_REQUIREMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    # (一)“校园餐”突出问题
    ("二（一）1", "校长负责制"): ("MEAL-03",),
    ("二（一）1", "集中用餐制度"): ("MEAL-05", "MEAL-37"),
    ("二（一）1", "食堂安全管理制度"): ("MEAL-04",),
    ("二（一）2", "食材采购"): ("MEAL-15", "MEAL-16"),
    ("二（一）2", "加工贮存"): ("MEAL-17", "MEAL-18"),
    ("二（一）2", "供餐"): ("MEAL-23", "MEAL-33"),
    ("二（一）2", "三防"): ("MEAL-21",),
    ("二（一）2", "后厨及就餐环境卫生"): ("MEAL-22",),
    ("二（一）2", "从业人员健康管理"): ("MEAL-13", "MEAL-14"),
    ("二（一）2", "食品留样"): ("MEAL-19",),
    ("二（一）2", "餐具消毒"): ("MEAL-20",),
    ("二（一）2", "应急机制"): ("MEAL-24",),
    ("二（一）3", "财务账目混乱"): ("MEAL-26",),
    ("二（一）3", "白条入账"): ("MEAL-26",),
    ("二（一）3", "虚报克扣学生餐费"): ("MEAL-29",),
    ("二（一）3", "违规套取膳食补助"): ("MEAL-30",),
    ("二（一）3", "勾结供应商利益输送"): ("MEAL-35",),
    ("二（一）4", "虚假招标"): ("MEAL-32",),
    ("二（一）4", "违规承包"): ("MEAL-31", "MEAL-32"),
    ("二（一）4", "摊派费用"): ("MEAL-36",),
    ("二（一）4", "暗箱操作"): ("MEAL-35",),
    ("二（一）4", "收受回扣"): ("MEAL-35",),
    ("二（一）4", "优亲厚友"): ("MEAL-35",),
    ("二（一）4", "家长监督及投诉机制"): ("MEAL-07", "MEAL-38"),
    # (二)教辅材料征订及课外读物进校园管理突出问题
    ("二（二）1", "强制或变相强制征订教辅材料"): ("BOOK-03", "BOOK-08"),
    ("二（二）1", "一教一辅"): ("BOOK-02",),
    ("二（二）1", "省级审定目录外"): ("BOOK-01", "BOOK-07"),
    ("二（二）1", "入校宣传推销教辅材料"): ("BOOK-06",),
    ("二（二）1", "教材发行搭售"): ("BOOK-07",),
    ("二（二）1", "校园书店违规销售"): ("BOOK-07",),
    ("二（二）1", "代购流程不规范"): ("BOOK-04",),
    ("二（二）1", "指定购买渠道或版本"): ("BOOK-06",),
    ("二（二）1", "牟取回扣"): ("BOOK-05", "ETH-04"),
    ("二（二）2", "强制或变相强制学生购买课外读物"): ("BOOK-12",),
    ("二（二）2", "统一代购"): ("BOOK-12",),
    ("二（二）2", "推荐程序"): ("BOOK-09",),
    ("二（二）2", "公示备案制度"): ("BOOK-11",),
    ("二（二）2", "未审核读物"): ("BOOK-10", "BOOK-13", "BOOK-15"),
    ("二（二）2", "一刀切"): ("BOOK-16",),
    ("二（二）2", "推荐、采购环节利益输送"): ("BOOK-17",),
    # (三)校服定制采购突出问题
    ("二（三）1", "未公开透明化操作"): ("UNIF-05", "UNIF-06"),
    ("二（三）1", "自愿选择原则"): ("UNIF-01", "UNIF-03"),
    ("二（三）1", "采购责任主体"): ("UNIF-04",),
    ("二（三）1", "选用程序"): ("UNIF-02", "UNIF-03"),
    ("二（三）2", "国家校服生产标准"): ("UNIF-07", "UNIF-08", "UNIF-10"),
    ("二（三）2", "双检"): ("UNIF-09",),
    ("二（三）3", "超标准收费或搭车收费"): ("UNIF-11",),
    ("二（三）3", "省级校服管理规定"): ("UNIF-11",),
    ("二（三）3", "售后服务机制"): ("UNIF-12",),
    ("二（三）3", "问题反馈渠道"): ("UNIF-12",),
    ("二（三）4", "暗箱操作"): ("UNIF-05", "UNIF-14"),
    ("二（三）4", "程序缺失"): ("UNIF-02", "UNIF-15"),
    ("二（三）4", "检测流于形式"): ("UNIF-09",),
    # (四)学校工程项目建设和设备采购突出问题
    ("二（四）", "内控机制缺失"): ("PROC-02",),
    ("二（四）", "重大事项决策程序"): ("PROC-03",),
    ("二（四）", "隐性壁垒"): ("PROC-08",),
    ("二（四）", "歧视性条款"): ("PROC-08",),
    ("二（四）", "公平性原则"): ("PROC-08", "PROC-09"),
    ("二（四）", "非公开招标方式规避竞争"): ("PROC-05", "PROC-06", "PROC-07"),
    ("二（四）", "评标过程标准模糊"): ("PROC-11",),
    ("二（四）", "程序失范"): ("PROC-10", "PROC-11"),
    ("二（四）", "项目验收流于形式"): ("PROC-14",),
    ("二（四）", "监管缺位"): ("PROC-15",),
    ("二（四）", "全流程公开透明"): ("PROC-09", "PROC-13"),
    # (五)违规择校(选班)、教育乱收费、“双减”、防范中小学生溺水、师德师风等其他突出问题
    ("二（五）1", "择校"): ("FEE-03",),
    ("二（五）1", "选班"): ("FEE-03", "FEE-04"),
    ("二（五）1", "教育乱收费"): ("FEE-06", "FEE-13"),
    ("二（五）1", "超范围、超标准"): ("FEE-06",),
    ("二（五）1", "擅自增设服务性收费、代收费项目"): ("FEE-06",),
    ("二（五）2", "“双减”"): ("TRAIN-04", "TRAIN-07"),
    ("二（五）2", "学科类培训机构安全隐患"): ("TRAIN-09",),
    ("二（五）2", "托管"): ("TRAIN-08",),
    ("二（五）3", "防范中小学生溺水"): ("DROWN-01", "DROWN-02"),
    ("二（五）3", "过度留痕"): ("DROWN-04", "DROWN-05"),
    ("二（五）3", "检查频次过高"): ("DROWN-06",),
    ("二（五）3", "弱化实际成效"): ("DROWN-01", "DROWN-03"),
    ("二（五）4", "收受礼品礼金"): ("ETH-01", "ETH-02"),
    ("二（五）4", "违规有偿补课"): ("ETH-05", "TRAIN-01"),
    ("二（五）4", "学术不端"): ("ETH-08",),
    ("二（五）4", "师德监管及查处机制"): ("ETH-10", "ETH-11", "ETH-13"),
}

# Which built-in checklist answers for each part of S000 二.
S000_PART_CHECKLIST = {
    "二（一）": "meals",
    "二（二）": "books",
    "二（三）": "uniforms",
    "二（四）": "procurement",
    "二（五）1": "fees",
    "二（五）2": "tutoring",
    "二（五）3": "drowning",
    "二（五）4": "ethics",
}
S000_PARTS = {
    "二（一）1", "二（一）2", "二（一）3", "二（一）4",
    "二（二）1", "二（二）2",
    "二（三）1", "二（三）2", "二（三）3", "二（三）4",
    "二（四）",
    "二（五）1", "二（五）2", "二（五）3", "二（五）4",
}

# Articles verified against the text (domain-reference.md §〇, and the seed documents read directly).
# A document missing here may be cited by name only; an article not listed here must not appear.
VERIFIED_ARTICLES: dict[str, set[str]] = {
    "学校食品安全与营养健康管理规定": {"第十三条", "第十四条", "第十五条", "第十六条"},
    "中华人民共和国食品安全法": {"第四十五条", "第五十三条", "第五十六条", "第五十七条"},
    "中华人民共和国食品安全法实施条例": {"第二十八条"},
    "中华人民共和国政府采购法": {"第二十六条", "第二十七条", "第二十八条", "第四十一条", "第四十二条"},
    "中华人民共和国政府采购法实施条例": {
        "第八条", "第九条", "第十一条", "第十五条", "第二十条", "第二十八条", "第二十九条", "第三十条",
        "第三十九条", "第四十一条", "第四十五条", "第五十条",
    },
    "中华人民共和国招标投标法": {"第三条", "第四条", "第十八条", "第二十条"},
    "必须招标的工程项目规定": {"第二条", "第五条"},
    "中华人民共和国义务教育法": {"第二条", "第二十二条"},
    "中华人民共和国未成年人保护法": {"第三十三条"},
    "中小学教师违反职业道德行为处理办法": {"第四条（七）", "第四条（八）", "第四条（九）"},
    "新时代中小学教师职业行为十项准则": {"第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条"},
    S000_TITLE: S000_PARTS | {
        "三（二）5", "三（三）7", "三（三）8", "三（四）9", "三（四）10", "三（五）14", "三（五）15",
        "四（二）", "四（四）",
    },
    S004_TITLE: {"三（三）8", "三（三）9", "三（四）11", "三（四）12", "三（五）13", "三（六）16", "三（六）17", "三（六）18"},
}

EXPECTED_CHECKLISTS = {
    "meals": ("1", "MEAL"),
    "books": ("3", "BOOK"),
    "uniforms": ("3", "UNIF"),
    "procurement": ("3", "PROC"),
    "fees": ("N", "FEE"),
    "tutoring": ("N", "TRAIN"),
    "drowning": ("N", "DROWN"),
    "ethics": ("N", "ETH"),
    "governance": ("N", "GOV"),
}

SCORE_BY_SEVERITY = {Severity.GRAVE: {5}, Severity.SERIOUS: {3}, Severity.GENERAL: {1, 2}}


@pytest.fixture(scope="module")
def checklists():  # noqa: ANN201 - list[Checklist]
    return load_builtin_checklists()


@pytest.fixture(scope="module")
def items_by_id(checklists) -> dict[str, tuple[str, Item]]:  # noqa: ANN001
    return {item.id: (checklist.id, item) for checklist in checklists for item in checklist.all_items()}


def _is_record_item(item: Item) -> bool:
    """Items that only record facts (dates, text, a situation to choose) and can never be non-compliant."""
    if isinstance(item.answer, (DateAnswer, TextAnswer)):
        return True
    return isinstance(item.answer, ChoiceAnswer) and all(o.compliant is not False for o in item.answer.options)


def test_the_whole_1_3_n_set_is_shipped(checklists) -> None:  # noqa: ANN001
    found = {c.id: (c.area.value, c) for c in checklists}
    assert len(checklists) >= 9
    for checklist_id, (area, prefix) in EXPECTED_CHECKLISTS.items():
        assert checklist_id in found, f"missing built-in checklist {checklist_id}"
        assert found[checklist_id][0] == area
        assert all(item.id.startswith(prefix + "-") for item in found[checklist_id][1].all_items())
    assert {c.area.value for c in checklists} == {"1", "3", "N"}


def test_enough_items_with_unique_ids(checklists) -> None:  # noqa: ANN001
    ids = [item.id for c in checklists for item in c.all_items()]
    assert len(ids) >= 110
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert duplicates == []


def test_items_are_numbered_consecutively(checklists) -> None:  # noqa: ANN001
    """Guidance and reports refer to items by number, so a checklist reads MEAL-01, MEAL-02, ... without gaps."""
    for checklist in checklists:
        numbers = [int(item.id.split("-")[1]) for item in checklist.all_items()]
        assert numbers == list(range(1, len(numbers) + 1)), checklist.id


def test_every_answer_type_and_photo_requirement_is_used(checklists) -> None:  # noqa: ANN001
    items = [item for c in checklists for item in c.all_items()]
    types = {type(item.answer) for item in items}
    assert types == {YesNoAnswer, ChoiceAnswer, NumberAnswer, DateAnswer, TextAnswer}
    assert {item.evidence.photo for item in items} == set(PhotoRequirement)
    assert any(item.show_if is not None for item in items)


@pytest.mark.parametrize(("part", "phrase"), sorted(S000_REQUIREMENTS))
def test_s000_requirement_is_covered(part: str, phrase: str, items_by_id) -> None:  # noqa: ANN001
    ids = S000_REQUIREMENTS[(part, phrase)]
    missing = [i for i in ids if i not in items_by_id]
    assert not missing, f"{part}「{phrase}」refers to unknown items {missing}"
    expected = next(cl for prefix, cl in S000_PART_CHECKLIST.items() if part.startswith(prefix))
    owners = {items_by_id[i][0] for i in ids}
    assert expected in owners, f"{part}「{phrase}」should be covered in checklist {expected}, got {sorted(owners)}"


def test_requirement_table_spans_every_part_of_s000() -> None:
    assert {part for part, _ in S000_REQUIREMENTS} == S000_PARTS


def test_requirement_phrases_are_quoted_from_s000() -> None:
    focus = S000_FOCUS.read_text(encoding="utf-8")
    assert focus.startswith("二、整治重点")
    # The seed numbers its parts with ASCII brackets: (一) … (五).
    numerals = "一二三四五"
    bounds = [focus.index(f"({n})") for n in numerals] + [len(focus)]
    for (part, phrase) in S000_REQUIREMENTS:
        section = numerals.index(part[2])
        body = focus[bounds[section] : bounds[section + 1]]
        assert phrase in body, f"「{phrase}」is not in S000 二（{part[2]}）"


def test_only_verified_articles_are_cited(checklists) -> None:  # noqa: ANN001
    problems = []
    for checklist in checklists:
        for item in checklist.all_items():
            for basis in item.basis:
                if basis.article is None:
                    continue
                title = checklist.document(basis.doc).title
                if basis.article not in VERIFIED_ARTICLES.get(title, set()):
                    problems.append(f"{item.id}: {title} {basis.article}")
    assert problems == []


def test_documents_are_consistent_and_all_cited(checklists) -> None:  # noqa: ANN001
    seen: dict[str, tuple[str | None, int | None]] = {}
    for checklist in checklists:
        cited = {basis.doc for item in checklist.all_items() for basis in item.basis}
        for doc in checklist.documents:
            assert "《" not in doc.title and "》" not in doc.title, doc.title
            assert doc.key in cited, f"{checklist.id}: document {doc.key} is listed but never cited"
            details = (doc.number, doc.year)
            assert seen.setdefault(doc.title, details) == details, f"{doc.title} differs between checklists"


def test_severity_and_score_agree(checklists) -> None:  # noqa: ANN001
    for checklist in checklists:
        for item in checklist.all_items():
            if _is_record_item(item):
                assert item.score == 0, f"{item.id} only records facts and cannot deduct points"
                assert item.evidence.photo in (PhotoRequirement.NONE, PhotoRequirement.OPTIONAL), item.id
            else:
                assert item.score in SCORE_BY_SEVERITY[item.severity], item.id


def test_questions_and_guidance_read_as_finished_chinese(checklists, items_by_id) -> None:  # noqa: ANN001
    for checklist in checklists:
        for item in checklist.all_items():
            assert item.question.endswith("？"), item.id
            assert item.question.count("？") == 1, f"{item.id} asks more than one question"
            assert item.guidance.endswith("。"), item.id
            if isinstance(item.answer, YesNoAnswer):
                assert item.question.startswith("是否") or "是否" in item.question, item.id
            for ref in re.findall(r"\b[A-Z]+-\d{2,3}\b", item.guidance):
                assert ref in items_by_id, f"{item.id} guidance refers to unknown item {ref}"


def test_number_items_have_a_compliant_range(checklists) -> None:  # noqa: ANN001
    for checklist in checklists:
        for item in checklist.all_items():
            if isinstance(item.answer, NumberAnswer):
                assert item.answer.min is not None or item.answer.max is not None, item.id


def test_canteen_mode_shows_only_the_items_that_apply(checklists) -> None:  # noqa: ANN001
    meals = next(c for c in checklists if c.id == "meals")
    outsourced = {"MEAL-32", "MEAL-33"}

    def visible(answers: dict[str, str]) -> set[str]:
        return {item.id for item in meals.all_items() if is_visible(item, answers)}

    self_run = visible({"MEAL-01": "self_operated", "MEAL-02": "not_implemented"})
    assert "MEAL-27" in self_run and not outsourced & self_run and "MEAL-23" not in self_run
    assert "MEAL-30" not in self_run and "MEAL-31" not in self_run

    contracted = visible({"MEAL-01": "contracted", "MEAL-02": "implemented"})
    assert outsourced <= contracted and "MEAL-27" not in contracted
    assert {"MEAL-30", "MEAL-31"} <= contracted

    catered = visible({"MEAL-01": "catered", "MEAL-02": "not_implemented"})
    assert "MEAL-23" in catered and outsourced <= catered


def test_no_project_this_period_hides_the_procurement_steps(checklists) -> None:  # noqa: ANN001
    procurement = next(c for c in checklists if c.id == "procurement")
    shown = {item.id for item in procurement.all_items() if is_visible(item, {"PROC-01": "none"})}
    # Internal control and integrity stay, whatever the school bought.
    assert shown == {"PROC-01", "PROC-02", "PROC-17", "PROC-18", "PROC-19"}
    goods_only = {item.id for item in procurement.all_items() if is_visible(item, {"PROC-01": "goods"})}
    assert "PROC-07" not in goods_only and "PROC-15" not in goods_only and "PROC-05" in goods_only


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "checklist-format.md"


def test_authoring_guide_example_validates(tmp_path: Path) -> None:
    """The complete example in docs/checklist-format.md is a file authors may copy: it must load."""
    from selfcheck.checklists.loader import load_checklist_file

    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"<!-- complete-example[^>]*-->\n```yaml\n(.*?)```", text, re.S)
    assert match, "the guide must keep its complete example after a <!-- complete-example --> marker"
    path = tmp_path / "example.yaml"
    path.write_text(match.group(1), encoding="utf-8")
    example = load_checklist_file(path)
    assert {type(item.answer) for item in example.all_items()} == {
        YesNoAnswer, ChoiceAnswer, NumberAnswer, DateAnswer, TextAnswer,
    }


def test_authoring_guide_describes_every_field() -> None:
    from selfcheck.checklists import models

    text = GUIDE.read_text(encoding="utf-8")
    fields = set()
    for model in (models.Checklist, models.Document, models.Section, models.Item, models.Basis, models.Evidence,
                  models.ChoiceOption, models.NumberAnswer, models.ShowIf):
        fields |= {info.alias or name for name, info in model.model_fields.items()}
    values = {p.value for p in PhotoRequirement} | {s.value for s in Severity}
    values |= {"yes_no", "choice", "number", "date", "text"}
    missing = sorted(name for name in fields | values if f"`{name}`" not in text and f"`{name}（" not in text)
    assert missing == [], f"docs/checklist-format.md does not describe {missing}"
