"""A report holding the longest text every field accepts, a 99-round follow-up and 30 photos on one item.

The limits are read from the code that enforces them (the workbook's input models and services), so the test
follows them when they change.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from annotated_types import MaxLen

from selfcheck.checklists.answers import MAX_TEXT_LENGTH
from selfcheck.report.data import FollowUp, PhotoInfo, ReportData
from selfcheck.workbook import models as wm
from selfcheck.workbook.core import MAX_NOTE
from selfcheck.workbook.photos import MAX_CAPTION
from selfcheck.workbook.service import MAX_ACTOR
from tests.report.factory import CHINA, Sample, make_jpeg, make_sample

# Chinese prose with every mark a line must not start or end with, dates, times, numbers and Latin words.
PROSE = ("经查，2026-12-03 09:17 抽查食堂晨检记录（共 12 人）：健康证均在有效期内；“三防”设施完好、留样柜温度 4℃。"
         "《学校食品安全与营养健康管理规定》要求的陪餐记录？已补齐！问题整改「立行立改」，2026年12月3日复查……"
         "附件 IMG_20261203_091700.jpg 已上传，校验值 3c58a1f0e2b94d17。")
MAX_FILE_NAME = 255  # what Windows and Linux file systems allow for one name
PHOTOS_ON_ONE_ITEM = 30
FOLLOW_UP_ROUNDS = 99


def max_length(model: type, name: str) -> int:
    """The max_length a workbook input model enforces on one field."""
    for meta in model.model_fields[name].metadata:
        if isinstance(meta, MaxLen):
            return meta.max_length
    annotation = model.model_fields[name].annotation
    for arg in getattr(annotation, "__args__", ()):
        for meta in getattr(arg, "__metadata__", ()):
            for inner in getattr(meta, "metadata", ()):
                if isinstance(inner, MaxLen):
                    return inner.max_length
    raise LookupError(f"{model.__name__}.{name} has no max_length")


def text(length: int, prose: str = PROSE) -> str:
    return (prose * (length // len(prose) + 1))[:length]


def longest_sample(*, photos_on_one_item: int = PHOTOS_ON_ONE_ITEM) -> Sample:
    base = make_sample(photos=0)
    data = base.data.model_dump()
    school = {name: text(max_length(wm.SchoolProfile, name), name + "：" + PROSE) for name in
              ("name", "stage", "province", "city", "county", "principal", "preparer", "phone")}
    data["school"] = school
    data["inspection"]["title"] = text(max_length(wm.NewInspection, "title"), "2026年秋季学期“1+3+N”专项自查——")
    data["inspection"]["team"] = [text(100, f"第{n}位成员（总务处）") for n in range(1, 31)]
    for checklist in data["checklists"]:
        if checklist["not_applicable_reason"]:
            checklist["not_applicable_reason"] = text(500)
    applicable = next(c for c in data["checklists"] if not c["not_applicable_reason"])
    items = [i for s in applicable["sections"] for i in s["items"]]
    first, second = items[0], items[1]
    first.update(note=text(MAX_NOTE), answered_by=text(MAX_ACTOR, "李秀英"))
    second.update(answer_value=text(MAX_TEXT_LENGTH), answer_label=text(MAX_TEXT_LENGTH), status="compliant",
                  answered_by="李秀英", answered_at=datetime(2026, 12, 3, 9, 17, tzinfo=CHINA))
    for section in applicable["sections"]:
        section.pop("tally", None)
    applicable.pop("tally", None)
    data.pop("areas", None)
    data.pop("totals", None)

    description = max_length(wm.NewProblem, "description")
    long_text = max_length(wm.ProblemUpdate, "measures")
    short = max_length(wm.ProblemUpdate, "leader")
    problem = data["problems"][0]
    problem.update(
        description=text(description), measures=text(long_text), progress=text(long_text),
        done_description=text(long_text), verification_note=text(long_text), leader=text(short, "副校长"),
        department=text(short, "总务处"), person=text(short, "张伟"), verified_by=text(short, "赵磊"),
        closed_by=text(short, "王建国"), status="已销号", verified_on=date(2026, 12, 1), closed_on=date(2026, 12, 2),
        follow_ups=[FollowUp(round=n, date=date(2026, 12, 3) + timedelta(days=n), by=text(100, "黄敏"),
                             finding=text(5000 if n in (1, FOLLOW_UP_ROUNDS) else 60), result="整改到位").model_dump()
                    for n in range(1, FOLLOW_UP_ROUNDS + 1)],
    )
    jpegs: dict[int, bytes] = {}
    photos = []
    for n in range(photos_on_one_item):
        jpeg = make_jpeg(n, (320, 240), 70)
        photo_id = 900 + n
        jpegs[photo_id] = jpeg
        photos.append(PhotoInfo(
            id=photo_id, item_id=first["id"], caption=text(MAX_CAPTION), captured_at=None,
            imported_at=datetime(2026, 12, 3, 9, 17, tzinfo=CHINA), original_name=text(MAX_FILE_NAME - 4,
                                                                                       "IMG_20261203_") + ".jpg",
            original_sha256=hashlib.sha256(b"o" + jpeg).hexdigest(), image_sha256=hashlib.sha256(jpeg).hexdigest(),
            width=320, height=240).model_dump())
    data["photos"] = photos
    return Sample(data=ReportData.model_validate(data), jpegs=jpegs)
