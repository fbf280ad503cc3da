"""A realistic demo workbook: a school, one inspection over the built-in checklists, a ledger in every state, photos."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.models import (
    NA,
    Checklist,
    ChoiceAnswer,
    DateAnswer,
    Item,
    NumberAnswer,
    PhotoRequirement,
    TextAnswer,
    YesNoAnswer,
)
from selfcheck.checklists.scoring import is_visible
from selfcheck.workbook.models import (
    FollowUp,
    FollowUpResult,
    NewInspection,
    PhotoKind,
    ProblemStatus,
    ProblemUpdate,
    RectificationType,
    SchoolProfile,
    StepData,
)
from selfcheck.workbook.service import Workbook

DEMO_ACTOR = "李明（总务处）"
SCHOOL = SchoolProfile(name="示例市第一实验中学", stage="初中", province="示例省", city="示例市", county="示例区",
                       principal="王建国", preparer="李明", phone="0000-12345678")
TEXT_ANSWERS = ("已建立相关制度并按要求存档，抽查记录完整。", "经核查，相关台账齐全，责任人已明确。", "已在校务公开栏公示，家长可查询。")
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)
LEDGER_PLAN = (ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS, ProblemStatus.RECTIFIED, ProblemStatus.CLOSED)

Progress = Callable[[str], None]


def _pick_value(item: Item, rng: random.Random, noncompliant: bool, period_start: date) -> str:
    spec = item.answer
    if isinstance(spec, YesNoAnswer):
        return "no" if noncompliant else "yes"
    if isinstance(spec, ChoiceAnswer):
        good = [o.value for o in spec.options if o.compliant is not False]
        bad = [o.value for o in spec.options if o.compliant is False]
        return rng.choice(bad if noncompliant and bad else good or bad)
    if isinstance(spec, NumberAnswer):
        low = spec.min if spec.min is not None else 0
        high = spec.max if spec.max is not None else low + 10
        below_allowed = spec.min is not None and (spec.input_min is None or low - 1 >= spec.input_min)
        if noncompliant and not below_allowed and spec.max is None:
            return str(int(round(low)))  # no non-compliant value can be typed: answer it compliant
        value = (low - 1 if below_allowed else high + 1) if noncompliant else rng.uniform(low, high)
        return str(int(round(value))) if spec.integer or noncompliant else f"{value:.1f}"
    if isinstance(spec, DateAnswer):
        return (period_start + timedelta(days=rng.randint(0, 30))).isoformat()
    if isinstance(spec, TextAnswer):
        return rng.choice(TEXT_ANSWERS)
    return NA


def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            try:
                return ImageFont.truetype(candidate, size, index=0), True
            except OSError:
                continue
    return ImageFont.load_default(size), False


def demo_photo(rng: random.Random, label: str, taken: datetime, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG that looks like a photo of a room with a posted notice: wall, floor, cabinets, a label, sensor noise,
    and an EXIF capture time."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    wall = [rng.randint(170, 225) for _ in range(3)]
    floor = [rng.randint(90, 150) for _ in range(3)]
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.58, 0.7))
    light_x = rng.uniform(0.2, 0.8) * width
    for y in range(height):  # wall lit from a window, floor darkening towards the camera
        if y < horizon:
            shade = 0.85 + 0.15 * (y / horizon)
            colour = tuple(int(c * shade) for c in wall)
        else:
            shade = 1 - 0.4 * (y - horizon) / max(1, height - horizon)
            colour = tuple(int(c * shade) for c in floor)
        draw.line([(0, y), (width, y)], fill=colour)
    wx = int(light_x) - 200
    draw.rectangle([wx, 60, wx + 400, 360], fill=(215, 232, 245), outline=(235, 235, 235), width=14)
    draw.line([(wx + 200, 60), (wx + 200, 360)], fill=(235, 235, 235), width=10)
    x0 = rng.randint(width // 2, width - 600)
    for _ in range(rng.randint(2, 3)):  # cabinets with things on their shelves
        w, h = rng.randint(180, 300), rng.randint(300, 560)
        colour = tuple(rng.randint(60, 200) for _ in range(3))
        draw.polygon([(x0 + 10, horizon + 20), (x0 + w + 60, horizon + 20), (x0 + w + 10, horizon + 45),
                      (x0 - 20, horizon + 45)], fill=tuple(int(c * 0.6) for c in floor))
        draw.rectangle([x0, horizon - h, x0 + w, horizon + 20], fill=colour, outline=(40, 40, 40), width=4)
        for shelf in range(1, 4):
            y = horizon - h + shelf * h // 4
            draw.line([(x0, y), (x0 + w, y)], fill=(50, 50, 50), width=3)
            bx = x0 + 12
            while bx < x0 + w - 40:
                bw, bh = rng.randint(18, 40), rng.randint(30, h // 4 - 12)
                draw.rectangle([bx, y - bh, bx + bw, y - 2], fill=tuple(rng.randint(30, 240) for _ in range(3)))
                bx += bw + rng.randint(4, 14)
        x0 += w + rng.randint(10, 40)
        if x0 > width - 200:
            break
    font, cjk = _font(46)
    small, _ = _font(30)
    sx, sy = rng.randint(60, max(61, width // 2 - 740)), rng.randint(400, max(401, horizon - 320))
    draw.rectangle([sx, sy, sx + 700, sy + 300], fill=(250, 250, 245), outline=(180, 20, 20), width=8)
    draw.text((sx + 30, sy + 30), label if cjk else label.encode("ascii", "ignore").decode() or "SelfCheck",
              fill=(150, 10, 10), font=font)
    draw.text((sx + 30, sy + 120), ("检查日期 " if cjk else "Date ") + taken.strftime("%Y-%m-%d"), fill=(30, 30, 30),
              font=small)
    draw.text((sx + 30, sy + 180), "示例照片" if cjk else "demo photo", fill=(90, 90, 90), font=small)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(size, 18).convert("RGB")
    image = Image.blend(image, noise, 0.08)
    vignette = Image.radial_gradient("L").resize(size).point(lambda v: 255 - v // 3)
    image = Image.composite(image, Image.new("RGB", size, (0, 0, 0)), vignette)
    exif = Image.Exif()
    stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = stamp
    exif[0x010F] = "SelfCheck Demo"
    exif.get_ifd(0x8769)[0x9003] = stamp
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def _answer_all(wb: Workbook, inspection_id: int, checklists: Sequence[Checklist], rng: random.Random,
                period_start: date, bad_rate: float = 0.14) -> list[Item]:
    """Answer most visible items; returns the items answered non-compliant."""
    bad: list[Item] = []
    values: dict[str, str] = {}
    for checklist in checklists:
        for item in checklist.all_items():
            if not is_visible(item, values) or rng.random() < 0.1:
                continue
            noncompliant = rng.random() < bad_rate
            value = _pick_value(item, rng, noncompliant, period_start)
            if rng.random() < 0.04:
                value = NA
            note = "现场抽查发现不符合要求，已拍照留存。" if noncompliant else ""
            change = wb.answers.set(inspection_id, item.id, value, note=note)
            values[item.id] = change.answer.value if change.answer and change.answer.value else value
            if change.compliance is Compliance.NONCOMPLIANT:
                bad.append(item)
    return bad


def _ensure_problems(wb: Workbook, inspection_id: int, checklists: Sequence[Checklist], found: int,
                     rng: random.Random, wanted: int = 2 * len(LEDGER_PLAN)) -> None:
    """Make sure the ledger has enough problems to show every status, whatever the random answers were (the items
    turned non-compliant are picked at random, so that many demo schools do not all fail the same first items)."""
    answers = wb.answers.all(inspection_id)
    items = [item for checklist in checklists for item in checklist.all_items()]
    rng.shuffle(items)
    for item in items:
        if found >= wanted:
            return
        answer = answers.get(item.id)
        if isinstance(item.answer, YesNoAnswer) and answer is not None and answer.value == "yes":
            wb.answers.set(inspection_id, item.id, "no", note="复核发现不符合要求。")
            found += 1


def _ledger(wb: Workbook, inspection_id: int, today: date) -> None:
    """Walk the problems through every status: some pending, in progress (one overdue), rectified, closed."""
    people = [("王建国", "总务处", "李明"), ("张副校长", "食堂管理办公室", "赵强"), ("陈副校长", "教务处", "孙丽")]
    for index, problem in enumerate(wb.ledger.all(inspection_id)):
        target = LEDGER_PLAN[index % len(LEDGER_PLAN)]
        if index == 0:
            continue  # one problem stays 待整改 without a plan, as the review screen should show
        leader, department, person = people[index % len(people)]
        overdue = index == 1
        deadline = today - timedelta(days=5) if overdue else today + timedelta(days=15 + index)
        plan = dict(measures="完善制度，明确责任人，逐项对照整改并留存佐证材料。",
                    rect_type=RectificationType.IMMEDIATE if index % 2 else RectificationType.LONG_TERM,
                    leader=leader, department=department, person=person, deadline=deadline)
        if target is ProblemStatus.PENDING:
            wb.ledger.update(problem.id, ProblemUpdate(**plan))
            continue
        wb.ledger.advance(problem.id, ProblemStatus.IN_PROGRESS, StepData(**plan, progress="已制定整改方案，正在落实。"))
        if target is ProblemStatus.IN_PROGRESS:
            continue
        done = today - timedelta(days=6)
        wb.ledger.advance(problem.id, ProblemStatus.RECTIFIED, StepData(
            done_description="已按整改措施完成整改，相关制度已印发，台账已补齐。", completed_on=done))
        if target is ProblemStatus.RECTIFIED:
            continue
        wb.ledger.advance(problem.id, ProblemStatus.CLOSED, StepData(
            verified_by="学校自查组", verified_on=done + timedelta(days=2), verification_note="现场查验属实，整改到位。",
            closed_by="王建国", closed_on=done + timedelta(days=3)))
        wb.ledger.add_follow_up(problem.id, FollowUp(date=today - timedelta(days=1), by="学校纪检委员",
                                              finding="复查未发现反弹。", result=FollowUpResult.HELD))


def _photo_targets(checklists: Sequence[Checklist], wb: Workbook, inspection_id: int) -> list[Item]:
    """Items that want photos first (required, or non-compliant when required then), then any answered item."""
    answers = wb.answers.all(inspection_id)
    first, rest = [], []
    for checklist in checklists:
        for item in checklist.all_items():
            answer = answers.get(item.id)
            if answer is None or answer.value in (None, NA):
                continue
            rule = item.evidence.photo
            wanted = rule is PhotoRequirement.REQUIRED or (
                rule is PhotoRequirement.REQUIRED_IF_NONCOMPLIANT
                and compliance_of(item, answer.value) is Compliance.NONCOMPLIANT)
            (first if wanted else rest).append(item)
    return first + rest


def build_demo(path: Path, *, photos: int = 12, checklists: Sequence[Checklist] | None = None, seed: int = 20260901,
               progress: Progress | None = None, school: SchoolProfile | None = None,
               noncompliant_rate: float = 0.14) -> Path:
    """Create a demo workbook at `path` (must not exist) for `school` (the demo school by default) and return
    its path. `noncompliant_rate` is the share of items answered non-compliant (the size of the ledger)."""
    from selfcheck.checklists.loader import load_builtin_checklists

    say = progress or (lambda _message: None)
    rng = random.Random(seed)
    chosen = list(checklists) if checklists is not None else load_builtin_checklists()
    today = date.today()
    start = today - timedelta(days=40)
    with Workbook.create(path, actor=DEMO_ACTOR) as wb:
        wb.save_school(school or SCHOOL)
        inspection = wb.inspections.create(NewInspection(
            title=f"{start.year}年1+3+N专项自查（示例）", period_start=start, period_end=today + timedelta(days=20),
            team=["王建国（组长）", "李明", "赵强", "孙丽"], checklist_ids=[c.id for c in chosen]), available=chosen)
        say(f"已创建自查：{inspection.title}")
        bad = _answer_all(wb, inspection.id, chosen, rng, start, noncompliant_rate)
        _ensure_problems(wb, inspection.id, chosen, len(bad), rng)
        say(f"已作答 {len(wb.answers.all(inspection.id))} 项，其中不合规 {len(bad)} 项")
        _ledger(wb, inspection.id, today)
        targets = _photo_targets(chosen, wb, inspection.id)
        problems = [p for p in wb.ledger.all(inspection.id) if p.status in (ProblemStatus.RECTIFIED, ProblemStatus.CLOSED)]
        for number in range(photos):
            taken = datetime.combine(start + timedelta(days=rng.randint(0, 35)), datetime.min.time()) + timedelta(
                hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
            if problems and number % 5 == 4:
                problem = problems[number % len(problems)]
                data = demo_photo(rng, f"整改后 问题#{problem.id}", taken)
                wb.photos.add_bytes(inspection.id, None, data, f"IMG_{number + 1:04d}.jpg", problem_id=problem.id,
                                   kind=PhotoKind.AFTER, caption="整改完成后现场照片")
            elif targets:
                item = targets[number % len(targets)]
                data = demo_photo(rng, f"{item.id} 现场", taken)
                wb.photos.add_bytes(inspection.id, item.id, data, f"IMG_{number + 1:04d}.jpg",
                                   caption=f"{item.id} 现场照片")
            if (number + 1) % 10 == 0:
                say(f"已生成照片 {number + 1}/{photos}")
    return path
