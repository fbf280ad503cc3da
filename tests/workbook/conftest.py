"""Fixtures for workbook tests: small checklists of every answer type, a fresh workbook per test, photo bytes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from selfcheck.checklists.models import Checklist
from selfcheck.workbook.models import NewInspection
from selfcheck.workbook.service import Workbook

ACTOR = "测试员"


def _item(item_id: str, question: str, *, photo: str = "optional", answer: dict | None = None,
          show_if: dict | None = None, score: int = 5) -> dict:
    data: dict = {
        "id": item_id, "question": question, "guidance": "查看台账和现场。",
        "evidence": {"description": f"{item_id} 的现场照片", "photo": photo},
        "severity": "较重", "score": score, "basis": [{"doc": "d"}],
    }
    if answer is not None:
        data["answer"] = answer
    if show_if is not None:
        data["show_if"] = show_if
    return data


def make_checklist() -> Checklist:
    """Every answer type, every photo rule, and a show_if."""
    return Checklist.model_validate({
        "id": "tst", "version": "1.0", "title": "测试清单", "area": "1", "order": 1,
        "documents": [{"key": "d", "title": "测试文件"}],
        "sections": [
            {"id": "a", "title": "第一部分", "items": [
                _item("TST-01", "是否建立制度？", photo="required"),
                _item("TST-02", "是否公示？", photo="required_if_noncompliant"),
                _item("TST-03", "经营方式是？", answer={"type": "choice", "options": [
                    {"value": "self", "label": "自主经营", "compliant": True},
                    {"value": "outsourced", "label": "违规承包", "compliant": False},
                    {"value": "none", "label": "不设食堂", "compliant": None},
                ]}),
                _item("TST-04", "每学期课时数？", answer={"type": "number", "min": 4, "integer": True, "unit": "课时"}),
                _item("TST-05", "制度是否上墙？", show_if={"item": "TST-01", "equals": "yes"}),
            ]},
            {"id": "b", "title": "第二部分", "items": [
                _item("TST-06", "最近一次检查日期？", answer={"type": "date"}),
                _item("TST-07", "情况说明", answer={"type": "text"}),
                _item("TST-08", "是否无违规收费？", photo="none"),
            ]},
        ],
    })


def make_other_checklist() -> Checklist:
    return Checklist.model_validate({
        "id": "oth", "version": "2.0", "title": "其他清单", "area": "N", "order": 1,
        "documents": [{"key": "d", "title": "测试文件"}],
        "sections": [{"id": "x", "title": "唯一部分", "items": [
            _item("OTH-01", "是否开展专项教育？"), _item("OTH-02", "是否设立举报渠道？"),
        ]}],
    })


@pytest.fixture
def checklists() -> list[Checklist]:
    return [make_checklist(), make_other_checklist()]


@pytest.fixture
def wb_path(tmp_path: Path) -> Path:
    return tmp_path / "学校.selfcheck"


@pytest.fixture
def wb(wb_path: Path) -> Iterator[Workbook]:
    workbook = Workbook.create(wb_path, actor=ACTOR)
    try:
        yield workbook
    finally:
        workbook.close()


@pytest.fixture
def inspection_id(wb: Workbook, checklists: list[Checklist]) -> int:
    return wb.inspections.create(NewInspection(
        title="2026年秋季学期自查", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
        team=["张三", "李四"], checklist_ids=["tst", "oth"]), available=checklists).id


def jpeg_bytes(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30), *,
               exif: bytes | None = None, mode: str = "RGB") -> bytes:
    from PIL import Image

    image = Image.new(mode, size, colour if mode == "RGB" else tuple(colour) + (0,))
    out = io.BytesIO()
    if exif is not None:
        image.save(out, "JPEG", quality=90, exif=exif)
    else:
        image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "现场.jpg"
    path.write_bytes(jpeg_bytes())
    return path
