"""The background task helper: results on the GUI thread, cancellation, errors shown as dialogs."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from selfcheck.errors import EvidenceError
from selfcheck.gui.tasks import Progress, TaskRunner
from tests.gui.helpers import record_user_errors


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner(show_after_ms=0)
    yield task_runner
    task_runner.cancel_all()
    task_runner.wait_idle()


def test_result_arrives_on_the_gui_thread(qtbot: Any, runner: TaskRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[int, bool]] = []

    def work(progress: Progress) -> int:
        for i in range(3):
            progress.update(i, 3, f"第 {i + 1} 步")
        return 42

    runner.run(work, title="测试", label="……", parent=parent,
               on_success=lambda r: seen.append((r, threading.current_thread() is threading.main_thread())))
    qtbot.waitUntil(lambda: not runner.busy)
    assert seen == [(42, True)]


def test_cancel_stops_the_worker(qtbot: Any, runner: TaskRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    steps: list[int] = []
    outcome: list[str] = []

    def work(progress: Progress) -> None:
        started.set()
        for i in range(500):
            progress.check()
            steps.append(i)
            time.sleep(0.01)

    task = runner.run(work, title="测试", label="……", parent=parent, on_success=lambda _r: outcome.append("done"),
                      on_cancelled=lambda: outcome.append("cancelled"))
    started.wait(5)
    qtbot.waitUntil(task.dialog.isVisible)
    task.dialog.findChild(QPushButton).click()  # the dialog's 取消 button
    assert "正在取消" in task.dialog.labelText()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert outcome == ["cancelled"] and len(steps) < 500


def test_user_error_becomes_a_dialog(qtbot: Any, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    record_user_errors(monkeypatch, shown)

    def work(_progress: Progress) -> None:
        raise EvidenceError("“a.jpg”不是图片文件。")

    runner.run(work, title="测试", label="……", parent=None)
    qtbot.waitUntil(lambda: not runner.busy)
    assert shown == ["“a.jpg”不是图片文件。"]


def test_bug_goes_to_the_global_handler(qtbot: Any, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    caught: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: caught.append(exc))

    def work(_progress: Progress) -> None:
        raise KeyError("bug")

    runner.run(work, title="测试", label="……", parent=None)
    qtbot.waitUntil(lambda: not runner.busy)
    assert len(caught) == 1 and isinstance(caught[0], KeyError)
