"""The background task helper: results on the GUI thread, cancellation, errors shown as dialogs."""

from __future__ import annotations

import sys
from pathlib import Path
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


@pytest.mark.parametrize("quiet", [False, True])
def test_a_task_gone_quiet_never_shows_its_dialog(qtbot: Any, quiet: bool) -> None:
    """go_quiet: the window shows what is going on itself (the start-up snapshot while the workbook opens)."""
    runner = TaskRunner(show_after_ms=100)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    task = runner.run(lambda _progress: release.wait(10), title="测试", label="……", parent=parent,
                      cancellable=False)
    if quiet:
        task.go_quiet()
    qtbot.wait(400)
    assert task.dialog.isVisible() is not quiet
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    runner.wait_idle()


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


class _Witness:
    """Captured by a worker's closure: records the thread that finally frees it (must be the GUI thread)."""

    def __init__(self, freed_on: list[bool]) -> None:
        self._freed_on = freed_on

    def __del__(self) -> None:
        self._freed_on.append(threading.current_thread() is threading.main_thread())


def test_stress_every_outcome_through_the_real_mechanism(qtbot: Any, runner: TaskRunner,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """240 short tasks at once: results, progress floods, user errors, cancellations, and windows closed while
    their task runs. Every callback runs once on the GUI thread, none for a closed window, and every closure a
    worker held is freed on the GUI thread (a widget freed on a worker thread is a native crash)."""
    import gc

    shown = record_user_errors(monkeypatch, [])  # each user error in the real message box, only its exec stubbed
    outcomes: list[tuple[str, int]] = []
    on_gui: list[bool] = []
    freed_on: list[bool] = []
    parents: list[QWidget] = []
    closed: set[int] = set()
    release = threading.Event()

    for n in range(240):
        parent = QWidget()
        parents.append(parent)
        witness = _Witness(freed_on)
        kind = n % 4

        def work(progress: Progress, n: int = n, kind: int = kind, witness: _Witness = witness) -> int:
            assert witness is not None
            for i in range(50):
                progress.update(i, 50, f"{n}-{i}")
            if kind == 1:
                raise EvidenceError("坏照片")
            if kind == 2:
                release.wait(5)
                progress.check()
            if kind == 3:
                release.wait(5)
            return n

        def record(result: object, n: int = n) -> None:
            on_gui.append(threading.current_thread() is threading.main_thread())
            outcomes.append(("done", n))

        task = runner.run(work, title="压力测试", label="……", parent=parent, on_success=record,
                          on_cancelled=lambda n=n: outcomes.append(("cancelled", n)))
        if kind == 2:
            task.cancel()
        del witness, work, record, task
    for n, parent in enumerate(parents):
        if n % 4 == 3:  # the window goes away while its task still runs
            closed.add(n)
            parent.deleteLater()
    qtbot.wait(10)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)
    assert runner.started == runner.ended == 240
    assert sorted(n for what, n in outcomes if what == "done") == [n for n in range(240) if n % 4 == 0]
    assert sorted(n for what, n in outcomes if what == "cancelled") == [n for n in range(240) if n % 4 == 2]
    assert shown == ["坏照片"] * 60
    assert all(on_gui)
    parents.clear()
    gc.collect()
    assert len(freed_on) == 240 and all(freed_on), "a worker freed what the GUI thread owns"


def test_stress_real_background_tasks(opened: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's own tasks, started the way the user starts them, over and over, several at a time: export the
    ledger to Excel, back up, check the workbook, import photos. None is lost and the window survives."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from selfcheck.gui.ledger.export import export_ledger_dialog

    ctx = opened.test_context
    tasks = ctx.tasks
    wb = ctx.session.require()
    wb.answers.set(opened.inspection_id, "GTM-01", "no")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: told.append(box.windowTitle()) or 0)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, *a, **k: told.append(title))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, *a, **k: told.append(title))
    photos = []
    for n in range(6):  # six different pictures (the same one twice is recognised and kept once)
        photos.append(tmp_path / f"现场{n}.jpg")
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(0x3366AA + 40 * n)
        assert image.save(str(photos[-1]))
    strip = opened.page("fill").item_view.strip
    names = iter(range(10_000))

    def save_name(*_a: Any, **_k: Any) -> tuple[str, str]:
        return str(tmp_path / "out" / f"文件{next(names)}.xlsx"), ""

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    before = tasks.started
    for photo in photos:
        export_ledger_dialog(ctx, opened.page("ledger"), inspection_id=None)
        opened.files.verify_workbook()
        strip.add_paths([photo])
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, **k: (str(tmp_path / "out" / f"备份{next(names)}.selfcheck"), ""))
        opened.files.backup()
        monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
        qtbot.waitUntil(lambda: not tasks.busy, timeout=30_000)
    assert tasks.ended - before == 24
    assert told.count("导出完成") == 6 and told.count("备份完成") == 6 and told.count("工作簿完整") == 6
    assert len(wb.photos.all(opened.inspection_id)) == 6
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 6
    # Opening a workbook in the background (as at start-up), back and forth between two.
    from selfcheck.workbook.service import Workbook as Book

    other = tmp_path / "另一个.selfcheck"
    with Book.create(other, actor="测试") as book:
        from selfcheck.workbook.models import SchoolProfile

        book.save_school(SchoolProfile(name="城关第二小学"))
    first = ctx.session.path
    for path in (other, first, other, first):
        opened.files._open_at_start(path)
        qtbot.waitUntil(lambda path=path: not tasks.busy and ctx.session.path == path, timeout=30_000)
    assert tasks.ended - before >= 28 and not ctx.session.read_only  # opening may start quiet checks too
    assert opened.isVisible()
