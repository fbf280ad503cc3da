"""Builds a realistic ReportData (9 checklists, ~115 items, every ledger state, generated JPEG photos) for tests and bench."""

from __future__ import annotations

import hashlib
import io
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from selfcheck.report.data import (
    AuditHead,
    ChecklistResult,
    FollowUp,
    InspectionInfo,
    ItemResult,
    PhotoInfo,
    Problem,
    ReportData,
    School,
    SectionResult,
)
from tests.report.factory_items import ITEMS

CHINA = timezone(timedelta(hours=8))
GENERATED_AT = datetime(2026, 10, 20, 15, 30, 0, tzinfo=CHINA)
SEVERITY_SCORE = {"一般": 2, "较重": 4, "严重": 6}

# checklist id prefix → (checklist id, title, area, order, [(section title, item count), ...])
CHECKLISTS = [
    ("MEAL", "meals", "校园餐管理专项自查清单", "1", 1,
     [("责任落实与民主监督", 6), ("食品安全操作规范", 8), ("膳食经费与经营管理", 6)]),
    ("BOOK", "books", "教辅材料征订及课外读物自查清单", "3", 1, [("教辅材料管理", 7), ("课外读物管理", 7)]),
    ("UNIF", "uniforms", "校服定制采购自查清单", "3", 2, [("采购决策与家长参与", 6), ("质量与收费", 6)]),
    ("PROC", "procurement", "学校工程项目建设和设备采购自查清单", "3", 3, [("项目决策与招标", 7), ("合同履约与验收", 7)]),
    ("FEE", "fees", "违规择校收费和教育乱收费自查清单", "N", 1, [("招生与收费", 10)]),
    ("TRAIN", "tutoring", "校外培训治理与“双减”自查清单", "N", 2, [("课后服务与校外培训", 8)]),
    ("DROWN", "drowning", "防溺水工作形式主义问题自查清单", "N", 3, [("减负与实效", 7)]),
    ("ETH", "ethics", "师德师风自查清单", "N", 4, [("廉洁从教", 6), ("制度与考核", 4)]),
    ("GOV", "governance", "组织保障与制度建设自查清单", "N", 5, [("组织领导与监督", 8)]),
]
NOT_APPLICABLE = {"uniforms": "本校为寄宿制职业学校实训基地分校，学生统一着实训工装，未组织校服定制采购。"}
EXTRA_ITEMS = {  # numeric / text answers, as real checklists mix answer types
    "MEAL": [("MEAL-21", "本学期开展的学生及家长满意度测评参与人数（人）", "number", 326, "人")],
    "FEE": [("FEE-11", "本学期代收费项目数（项）", "number", 3, "项")],
    "BOOK": [("BOOK-15", "本学期学校代购教辅的学科数（科）", "number", 6, "科"),
             ("BOOK-16", "征订告家长书发放日期", "date", "2026-08-28", "")],
    "PROC": [("PROC-15", "本学期在建工程项目数（个）", "number", 2, "个"),
             ("PROC-16", "最近一次设备采购验收的组织部门及参加人员", "text", "总务处牵头，财务、纪检、使用部门共5人参加", "")],
    "TRAIN": [("TRAIN-09", "本学期课后服务参与学生比例（%）", "number", 92, "%"),
              ("TRAIN-10", "校门口举报公示牌最近一次更新日期", "date", "2026-09-05", "")],
    "DROWN": [("DROWN-08", "本学期防溺水专题教育课时数（课时）", "number", 2, "课时")],
    "ETH": [("ETH-11", "本学期签订师德承诺书的教师人数（人）", "number", 128, "人"),
            ("ETH-12", "师德问题线索登记数（条）", "number", 1, "条")],
    "GOV": [("GOV-09", "本学期学生清廉专题教育课时数（不少于4课时）", "number", 4, "课时"),
            ("GOV-10", "最近一次“周调度、月研判”会议日期", "date", "2026-10-08", "")],
}
PEOPLE = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
DEPARTMENTS = ["总务处", "教务处", "财务室", "德育处", "办公室"]


@dataclass(frozen=True)
class Sample:
    """A report and the JPEG bytes behind its photos."""

    data: ReportData
    jpegs: dict[int, bytes]

    @property
    def photo_loader(self) -> Callable[[int], bytes]:
        return self.jpegs.__getitem__


def make_jpeg(n: int, size: tuple[int, int] = (1024, 768), quality: int = 85, *, base: object | None = None) -> bytes:
    """A distinct photo-like JPEG: textured background, a coloured block and the photo number drawn on it."""
    from PIL import ImageDraw

    rng = random.Random(n)
    if base is None:
        base = textured_base(size)
    image = base.copy()  # type: ignore[attr-defined]
    draw = ImageDraw.Draw(image)
    w, h = size
    colour = (rng.randrange(60, 230), rng.randrange(60, 230), rng.randrange(60, 230))
    x0, y0 = rng.randrange(0, w // 2), rng.randrange(0, h // 2)
    draw.rectangle([x0, y0, x0 + w // 3, y0 + h // 3], fill=colour)
    draw.ellipse([w // 2, h // 2, w // 2 + w // 5, h // 2 + w // 5], outline=(250, 250, 250), width=max(2, w // 200))
    for k in range(12):  # a few thin lines so every photo's bytes differ in many places
        draw.line([(rng.randrange(w), rng.randrange(h)), (rng.randrange(w), rng.randrange(h))],
                  fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)), width=2 + k % 3)
    draw.text((w // 20, h // 20), f"PHOTO {n:03d}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def textured_base(size: tuple[int, int], *, noise: float = 20.0, grain: float = 0.2) -> object:
    """A gradient with grain, so JPEG sizes resemble real photos (2048×1536 at q85 ≈ 390 KB)."""
    from PIL import Image

    w, h = size
    gradient = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    texture = Image.effect_noise((w, h), noise).convert("RGB")
    tint = Image.new("RGB", (w, h), (90, 130, 110))
    return Image.blend(Image.blend(gradient, tint, 0.45), texture, grain)


def _answer(rng: random.Random, kind: str, status_pick: str) -> tuple[str | None, str, str]:
    if status_pick == "unanswered":
        return None, "未作答", "unanswered"
    if status_pick == "na":
        return "na", "不适用", "na"
    if status_pick == "noncompliant":
        return "no", "否", "noncompliant"
    return "yes", "是", "compliant"


def make_sample(
    *,
    photos: int = 10,
    photo_size: tuple[int, int] = (1024, 768),
    quality: int = 85,
    seed: int = 7,
    school_name: str = "某某市第一中学",
    jpeg_cache: Path | None = None,
) -> Sample:
    """A realistic inspection: ~115 items over 9 checklists (one 不适用), problems in every ledger state, photos."""
    rng = random.Random(seed)
    by_prefix: dict[str, list[tuple[str, str, str, str]]] = {}
    for row in ITEMS:
        by_prefix.setdefault(row[0].split("-")[0], []).append(row)

    answered_at = datetime(2026, 9, 10, 9, 0, tzinfo=CHINA)
    checklists: list[ChecklistResult] = []
    noncompliant_items: list[ItemResult] = []
    for prefix, cid, title, area, order, sections_spec in CHECKLISTS:
        rows = list(by_prefix[prefix])
        reason = NOT_APPLICABLE.get(cid)
        sections = []
        cursor = 0
        for s_index, (s_title, count) in enumerate(sections_spec):
            items = []
            for item_id, question, evidence, severity in rows[cursor:cursor + count]:
                if reason:
                    pick = "na"
                else:
                    pick = rng.choices(["compliant", "noncompliant", "na", "unanswered"], [78, 10, 6, 6])[0]
                value, label, status = _answer(rng, "yes_no", pick)
                answered_at += timedelta(minutes=rng.randrange(3, 40))
                item = ItemResult(
                    id=item_id, question=question, answer_value=value, answer_label=label, status=status,
                    note="" if status == "compliant" and rng.random() < 0.7 else
                    f"已查阅{evidence}。" + ("发现记录不全，需补齐。" if status == "noncompliant" else ""),
                    answered_by="" if status == "unanswered" else rng.choice(PEOPLE[:4]),
                    answered_at=None if status == "unanswered" else answered_at,
                    severity=severity, score=SEVERITY_SCORE[severity], counted=not reason,
                )
                items.append(item)
                if status == "noncompliant":
                    noncompliant_items.append(item)
            cursor += count
            if s_index == len(sections_spec) - 1:
                for item_id, question, kind, value, unit in EXTRA_ITEMS.get(prefix, []):
                    items.append(ItemResult(
                        id=item_id, question=question, answer_value=None if reason else str(value),
                        answer_label="不适用" if reason else f"{value}{(' ' + unit) if unit else ''}",
                        status="na" if reason else "compliant", answered_by=PEOPLE[1], answered_at=answered_at,
                        severity="一般", score=2))
            sections.append(SectionResult.model_validate(
                {"id": f"s{s_index + 1}", "title": s_title, "items": items}))
        checklists.append(ChecklistResult.model_validate({
            "id": cid, "version": f"2026.{order}", "title": title, "area": area, "order": order,
            "not_applicable_reason": reason, "sections": sections,
        }))

    problems = _problems(rng, noncompliant_items)
    photo_infos, jpegs = _photos(rng, checklists, problems, photos, photo_size, quality, jpeg_cache)
    problems = [p.model_copy(update={"after_photo_ids": [ph.id for ph in photo_infos
                                                          if ph.kind == "after" and ph.problem_id == p.id]})
                for p in problems]
    data = ReportData.model_validate({
        "report_id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "generated_at": GENERATED_AT,
        "generator": "SelfCheck 0.1.0",
        "school": School(name=school_name, stage="初中", province="山东省", city="济宁市", county="嘉祥县",
                         principal="王建国", preparer="李秀英", phone="0537-6851234"),
        "inspection": InspectionInfo(id=3, title="2026年秋季学期“1+3+N”专项自查", period_start=date(2026, 9, 1),
                                     period_end=date(2026, 9, 30), team=["王建国（校长）", "李秀英（总务主任）",
                                                                        "张伟（财务）", "刘洋（家长代表）"],
                                     created_at=datetime(2026, 9, 1, 8, 30, tzinfo=CHINA),
                                     finished_at=datetime(2026, 10, 18, 17, 5, tzinfo=CHINA)),
        "checklists": checklists,
        "problems": problems,
        "photos": photo_infos,
        "audit": AuditHead(hash=hashlib.sha256(b"audit-head").hexdigest(), entries=1843),
    })
    return Sample(data=data, jpegs=jpegs)


def _problems(rng: random.Random, items: list[ItemResult]) -> list[Problem]:
    """One problem per non-compliant item, cycling through every ledger state (and some overdue)."""
    states = ["待整改", "整改中", "已整改", "已销号"]
    problems = []
    for n, item in enumerate(items, 1):
        status = states[(n - 1) % 4]
        deadline = date(2026, 10, 31) if n % 3 else date(2026, 10, 10)  # 10-10 is before GENERATED_AT: overdue
        leader, dept, person = PEOPLE[0], rng.choice(DEPARTMENTS), rng.choice(PEOPLE[2:])
        fields: dict[str, object] = {
            "id": 100 + n, "item_id": item.id, "checklist_id": None, "severity": item.severity, "source": "自查",
            "description": f"{item.id}：{item.question.rstrip('？')}——自查发现未落实，{item.note or '需整改。'}",
            "status": status,
        }
        if status != "待整改" or n % 2:
            fields.update(
                measures="立即补齐相关记录和公示材料，明确专人负责；修订管理制度并纳入每月检查。",
                rect_type="立行立改" if n % 2 else "长效机制", leader=leader, department=dept, person=person,
                deadline=deadline,
            )
        if status in ("整改中", "已整改", "已销号"):
            fields["progress"] = "已完成制度修订，正在组织相关人员培训。"
        if status in ("已整改", "已销号"):
            fields.update(done_description="相关记录已补齐并公示，制度已印发执行。", completed_on=date(2026, 10, 12),
                          verified_by="赵磊", verified_on=date(2026, 10, 14), verification_note="现场查验，整改到位。")
        if status == "已销号":
            fields.update(closed_by="王建国", closed_on=date(2026, 10, 16), follow_ups=[
                FollowUp(round=1, date=date(2026, 10, 18), by="黄敏", finding="复查台账和公示栏，未出现反弹。",
                         result="整改到位")])
        problems.append(Problem.model_validate(fields))
    problems.append(Problem(  # a problem from another channel, not tied to an item
        id=99, description="家长反映食堂饭菜价格公示栏内容更新不及时（来源：投诉电话）。", source="投诉", status="整改中",
        measures="每周一更新价格公示，由总务处专人负责。", rect_type="立行立改", leader=PEOPLE[0], department="总务处",
        person=PEOPLE[3], deadline=date(2026, 9, 30), progress="已更新本周公示。"))
    return problems


def _photos(rng: random.Random, checklists: list[ChecklistResult], problems: list[Problem], count: int,
            size: tuple[int, int], quality: int, cache: Path | None) -> tuple[list[PhotoInfo], dict[int, bytes]]:
    item_ids = [i.id for c in checklists if not c.not_applicable for i in c.items() if i.status != "unanswered"]
    closed = [p for p in problems if p.status in ("已整改", "已销号")]
    w, h = size
    bases = {size: textured_base(size), (h, w): textured_base((h, w))} if count else {}
    infos, jpegs = [], {}
    for n in range(1, count + 1):
        shape = (h, w) if n % 6 == 0 else (w, h)  # every sixth photo is a portrait
        jpeg = _cached_jpeg(n, shape, quality, bases.get(shape), cache)
        photo_id = 500 + n
        after = bool(closed) and n % 5 == 0
        problem = closed[(n // 5) % len(closed)] if after else None
        infos.append(PhotoInfo(
            id=photo_id, kind="after" if after else "evidence",
            item_id=problem.item_id if problem else item_ids[(n * 7) % len(item_ids)],
            problem_id=problem.id if problem else None,
            caption=("整改后现场" if after else "现场检查") + rng.choice(["：公示栏", "：留样柜", "：台账", "：库房", "：告家长书"]),
            captured_at=datetime(2026, 9, 2, 8, 0, tzinfo=CHINA) + timedelta(hours=n * 5) if n % 4 else None,
            imported_at=datetime(2026, 9, 3, 8, 0, tzinfo=UTC) + timedelta(hours=n * 5),
            original_name=f"IMG_{20260902 + n}_{n:04d}.jpg",
            original_sha256=hashlib.sha256(b"original" + jpeg).hexdigest(),
            image_sha256=hashlib.sha256(jpeg).hexdigest(),
            width=shape[0], height=shape[1],
        ))
        jpegs[photo_id] = jpeg
    return infos, jpegs


def _cached_jpeg(n: int, size: tuple[int, int], quality: int, base: object | None, cache: Path | None) -> bytes:
    if cache is None:
        return make_jpeg(n, size, quality, base=base)
    path = cache / f"photo-{n:04d}-{size[0]}x{size[1]}-q{quality}.jpg"
    if path.is_file():
        return path.read_bytes()
    data = make_jpeg(n, size, quality, base=base)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data
