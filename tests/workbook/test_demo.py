"""The demo workbook: a school, one inspection over the built-in checklists, a ledger in every state, photos."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from selfcheck.checklists.loader import load_builtin_checklists
from selfcheck.errors import WorkbookError
from selfcheck.workbook.demo import build_demo, demo_photo
from selfcheck.workbook.models import PhotoKind, ProblemStatus
from selfcheck.workbook.service import Workbook


@pytest.mark.slow
def test_demo_workbook_is_realistic(tmp_path: Path) -> None:
    path = build_demo(tmp_path / "demo.selfcheck", photos=6)
    builtin = load_builtin_checklists()
    with Workbook.open(path, actor="", read_only=True) as wb:
        assert wb.get_school() is not None and wb.get_school().name
        [inspection] = wb.inspections.all()
        assert [c.id for c in wb.inspections.checklists(inspection.id)] == [c.id for c in builtin]
        assert inspection.answered >= 0.8 * inspection.total and inspection.answered < inspection.total
        problems = wb.ledger.all(inspection.id)
        assert {p.status for p in problems} == set(ProblemStatus)
        assert any(p.overdue for p in problems) and any(not p.has_plan for p in problems)
        assert any(p.follow_ups for p in problems)
        photos = wb.photos.all(inspection.id)
        assert len(photos) == 6 and {p.kind for p in photos} == {PhotoKind.EVIDENCE, PhotoKind.AFTER}
        assert all(p.captured_at is not None and p.width == 1600 for p in photos)
        assert wb.audit.verify().ok


def test_demo_photo_looks_like_a_photo() -> None:
    import random
    from datetime import datetime

    from PIL import Image

    data = demo_photo(random.Random(1), "MEAL-01 现场", datetime(2026, 9, 10, 9, 30))
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (1600, 1200)
    assert image.getexif().get_ifd(0x8769)[0x9003] == "2026:09:10 09:30:00"
    colours = image.convert("RGB").resize((64, 48)).getcolors(64 * 48)
    assert colours is not None and len(colours) > 500  # textured, not flat fills
    assert len(data) > 50_000


def test_demo_refuses_an_existing_path(tmp_path: Path) -> None:
    path = tmp_path / "x.selfcheck"
    path.write_bytes(b"")
    with pytest.raises(WorkbookError, match="已存在"):
        build_demo(path, photos=0)
