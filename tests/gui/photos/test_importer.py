"""Photo import in the window: the slow decode runs on the worker without holding the workbook."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from selfcheck.evidence import photos as evidence_photos


def _jpeg(path: Path, colour: str) -> Path:
    Image.new("RGB", (1200, 900), colour).save(path, "JPEG", quality=90)
    return path


def test_the_workbook_stays_usable_while_a_photo_is_being_processed(
        opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    real = evidence_photos.normalize_photo

    def slow_normalize(path: Path, *args: Any, **kwargs: Any) -> Any:  # a large phone photo, as seen by the GUI
        started.set()
        release.wait(timeout=20)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(evidence_photos, "normalize_photo", slow_normalize)
    files = [str(_jpeg(tmp_path / "陪餐1.jpg", "#3070b0")), str(_jpeg(tmp_path / "陪餐2.jpg", "#b07030"))]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: (files, "")))
    try:
        session = opened.test_context.session
        workbook = session.require()
        page = opened.page("fill")
        page.select_item("GTM-02")
        qtbot.mouseClick(page.item_view.strip.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(started.is_set, timeout=10_000)

        # While the worker is inside the decode, the GUI thread reads and writes the workbook without waiting.
        began = time.monotonic()
        workbook.answers.set(opened.inspection_id, "GTM-01", "是")
        assert workbook.answers.all(opened.inspection_id)["GTM-01"].value == "yes"
        assert workbook.photos.all(opened.inspection_id, "GTM-02") == []  # the import is still in its first photo
        assert time.monotonic() - began < 10  # had it waited for the worker, it would have waited for `release`
    finally:  # never leave the worker waiting (closing the window would then ask to cancel the import)
        release.set()
        qtbot.waitUntil(lambda: not opened.test_context.tasks.busy, timeout=30_000)
    stored = workbook.photos.all(opened.inspection_id, "GTM-02")
    assert [p.original_name for p in stored] == ["陪餐1.jpg", "陪餐2.jpg"]
    assert page.item_view.strip.list.count() == 2


def test_a_rejected_file_is_reported_and_the_rest_are_imported(
        opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.gui.photos.importer import PhotoTarget, import_files
    from selfcheck.gui.tasks import Progress

    broken = tmp_path / "损坏.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    good = _jpeg(tmp_path / "食堂.jpg", "#30a070")
    workbook = opened.test_context.session.require()
    target = PhotoTarget(opened.inspection_id, "GTM-02")
    outcome = import_files(workbook, target, [broken, good], Progress(lambda *_: None, threading.Event()))
    assert [p.original_name for p in outcome.added] == ["食堂.jpg"]
    assert len(outcome.problems) == 1 and outcome.problems[0].startswith("损坏.jpg：")
    assert outcome.summary() == "已添加 1 张照片，1 个文件未导入。"
    assert [p.original_name for p in workbook.photos.all(opened.inspection_id, "GTM-02")] == ["食堂.jpg"]
