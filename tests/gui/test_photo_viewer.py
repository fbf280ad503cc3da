"""The photo viewer and captions, driven as a user does: 查看 opens the real viewer, ←/→ and the arrow buttons page
through, 保存说明 stores the caption; 修改说明… edits it in place. Only modal exec and QInputDialog.getText are stubbed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from selfcheck.gui.photos.viewer import PhotoViewer
from tests.gui.helpers import drive_dialog, type_text
from tests.gui.test_flow import make_jpeg, wait_tasks


@pytest.fixture
def strip(opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """GTM-01's photo strip with two photos added through 添加照片…."""
    page = opened.page("fill")
    page.select_item("GTM-01")
    files = [make_jpeg(tmp_path / "食堂.jpg", "#2060a0"), make_jpeg(tmp_path / "仓库.jpg", "#a02020", (480, 640))]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    strip = page.item_view.strip
    qtbot.mouseClick(strip.add_button, Qt.MouseButton.LeftButton)
    wait_tasks(qtbot, opened)
    assert strip.list.count() == 2
    return strip


def test_viewer_pages_through_photos_and_saves_a_caption(opened: Any, strip: Any, qtbot: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def look(viewer: PhotoViewer) -> None:
        f = viewer.form
        assert f.position_label.text() == "1 / 2" and not f.prev_button.isEnabled() and f.next_button.isEnabled()
        assert f.meta_label.text().startswith("食堂.jpg　·　640×480　·　无拍摄时间信息")
        assert not f.image_label.pixmap().isNull()  # the stored JPEG is shown, not "无法显示这张照片"
        qtbot.mouseClick(f.next_button, Qt.MouseButton.LeftButton)
        assert f.position_label.text() == "2 / 2" and f.meta_label.text().startswith("仓库.jpg　·　480×640")
        qtbot.keyClick(viewer, Qt.Key.Key_Left)  # ← goes back while the caption box is not focused
        assert f.position_label.text() == "1 / 2"
        type_text(f.caption_edit, "食堂后厨全景")
        qtbot.mouseClick(f.save_caption_button, Qt.MouseButton.LeftButton)
        assert f.save_caption_button.text() == "已保存"
        assert viewer.windowTitle() == "查看照片 — 食堂后厨全景"
        qtbot.mouseClick(f.close_button, Qt.MouseButton.LeftButton)

    strip.list.setCurrentRow(0)
    seen = drive_dialog(monkeypatch, PhotoViewer, look)
    qtbot.mouseClick(strip.view_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    photos = opened.test_context.session.require().photos.all(opened.inspection_id, "GTM-01")
    assert [p.caption for p in photos] == ["食堂后厨全景", ""]
    assert strip.list.item(0).text() == "食堂后厨全景"  # the strip shows the new caption at once
    assert strip.list.item(0).toolTip() == "食堂后厨全景\n食堂.jpg"


def test_caption_button_edits_the_selected_photos_caption(opened: Any, strip: Any, qtbot: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str, str]] = []

    def get_text(_parent: Any, title: str, label: str, *args: Any, text: str = "", **kwargs: Any) -> tuple[str, bool]:
        asked.append((title, label, text))
        return "  仓库货架  ", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    strip.list.setCurrentRow(1)
    qtbot.mouseClick(strip.caption_button, Qt.MouseButton.LeftButton)
    assert asked == [("照片说明", "说明这张照片拍的是什么：", "")]
    photos = opened.test_context.session.require().photos.all(opened.inspection_id, "GTM-01")
    assert [p.caption for p in photos] == ["", "仓库货架"]  # trimmed
    assert strip.list.item(1).text() == "仓库货架" and strip.list.currentRow() == 1

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("不会保存", False))  # 取消
    qtbot.mouseClick(strip.caption_button, Qt.MouseButton.LeftButton)
    assert opened.test_context.session.require().photos.all(opened.inspection_id, "GTM-01")[1].caption == "仓库货架"
