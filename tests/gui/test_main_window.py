"""The main window's own dialogs: 关于 with the third-party licence notices of the installed app."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from selfcheck.resources import NOTICES_FILE, third_party_notices
from tests.gui.helpers import drive_dialog


def _about(window: Any, monkeypatch: pytest.MonkeyPatch, click: Callable[[QMessageBox], None]) -> list[QUrl]:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    seen = drive_dialog(monkeypatch, QMessageBox, click)
    window.form.action_about.trigger()
    assert len(seen) == 1 and "版本" in seen[0].text()
    return opened


def test_about_opens_the_installed_licence_notices(make_window: Callable[..., Any], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "SelfCheck" / "SelfCheck.exe"
    exe.parent.mkdir()
    exe.write_bytes(b"MZ")
    (exe.parent / NOTICES_FILE).write_text("Third-party notices\nPySide6 …\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    window = make_window(start=False)

    def click_licences(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons() if b.text() == "第三方软件许可…"]
        button.click()

    opened = _about(window, monkeypatch, click_licences)
    assert [Path(u.toLocalFile()) for u in opened] == [exe.parent / NOTICES_FILE]


def test_about_from_a_source_tree_names_the_notices_file_without_a_button(
        make_window: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    assert third_party_notices() is None  # not frozen: no installed notices file
    window = make_window(start=False)
    texts: list[str] = []

    def close(box: QMessageBox) -> None:
        texts.extend(b.text() for b in box.buttons())
        assert NOTICES_FILE in box.text()
        box.button(QMessageBox.StandardButton.Close).click()

    assert _about(window, monkeypatch, close) == []
    assert "第三方软件许可…" not in texts


def test_a_status_message_takes_the_place_of_the_workbook_path(opened: Any, qtbot: Any) -> None:
    """Answer outcomes and import summaries go to the status bar: they must have room there to be read."""
    from PySide6.QtWidgets import QLabel

    bar = opened.statusBar()
    path = opened.findChild(QLabel, "status_path")
    saved = opened.findChild(QLabel, "status_saved")
    assert path.isVisible() and path.text().endswith("学校.selfcheck")
    message = "该项不再判为不合规，未开始整改的问题 #1 已从问题清单移除。"
    opened.show_status_message(message)
    assert bar.currentMessage() == message
    assert not path.isVisible() and saved.isVisible()  # the saved indicator stays
    room = saved.geometry().left()  # the message is drawn left of the permanent widgets
    assert room >= bar.fontMetrics().horizontalAdvance(message)
    bar.clearMessage()
    qtbot.waitUntil(path.isVisible)
