"""The home page at start: while the workbook opens in the background, its start-up snapshot (when current) is shown
read-only; once the workbook is adopted the page shows the workbook itself, with the same figures."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from selfcheck.gui import session as session_module
from selfcheck.gui.main_window import FILL, HOME
from selfcheck.workbook.models import SchoolProfile
from selfcheck.workbook.service import Workbook
from tests.fresh_python import fresh_python_output
from tests.gui.helpers import create_school_workbook, record_user_errors

HELD_OPEN = ("new_button", "open_button", "archive_button", "follow_up_button", "edit_profile_button",
             "show_archived_check")


@pytest.fixture
def closed_workbook(make_window: Callable[..., Any], catalog: Any, tmp_path: Path) -> tuple[Path, int]:
    """A school workbook with answers and a problem, used in a window and closed there (which keeps its snapshot)."""
    path = tmp_path / "学校.selfcheck"
    first = make_window()
    iid = create_school_workbook(first, path, catalog.checklists)
    wb = first.test_context.session.require()
    wb.answers.set(iid, "GTM-01", "no")
    wb.answers.set(iid, "GTM-02", "yes")
    first.test_context.session.close()
    return path, iid


class Held(threading.Event):
    """Set by the test to let the background open go on; `entered` is set once the open is waiting for it."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    """The background open waits until the test sets the event (the snapshot stays on screen meanwhile)."""
    release = Held()
    real = session_module.open_workbook

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        release.entered.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(session_module, "open_workbook", slow_open)
    yield release
    release.set()


def _texts(home: Any) -> list[list[str]]:
    table = home.form.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _figures(home: Any) -> dict[str, int]:
    return {key: button.count for key, button in home.dashboard.figures.items()}


def test_the_snapshot_is_listed_read_only_until_the_workbook_is_adopted(
        make_window: Callable[..., Any], closed_workbook: tuple[Path, int], held_open: Held,
        qtbot: Any) -> None:
    path, iid = closed_workbook
    window = make_window(start=False)
    session = window.test_context.session
    home = window.page(HOME)
    window.start(path)
    qtbot.waitUntil(lambda: home.form.table.rowCount() == 1, timeout=10_000)

    assert session.workbook is None and session.preview is not None  # still opening
    assert home.form.school_label.text() == "城关第一小学" and "校长：王校长" in home.form.school_info_label.text()
    [row] = _texts(home)
    assert row[0] == "秋季自查" and row[2].startswith("2/") and row[3] == "1" and row[4] == "1"
    snapshot_figures = _figures(home)
    assert home.dashboard.isVisible() and home.dashboard.chart_view is not None
    assert snapshot_figures["noncompliant"] == 1 and snapshot_figures["open"] == 1
    assert "正在打开工作簿" in window.statusBar().currentMessage()
    assert window.windowTitle().startswith(f"{path.name}（正在打开）")  # whose snapshot it is, before it opens
    assert not any(getattr(home.form, name).isEnabled() for name in HELD_OPEN)
    assert not any(button.isEnabled() for button in home.dashboard.figures.values())
    home.form.table.itemActivated.emit(home.form.table.item(0, 0))  # a double-click on the row: nothing opens yet
    assert window.current_page_name() == HOME and not window.form.action_new_inspection.isEnabled()
    qtbot.wait(600)  # longer than a task waits before it shows its progress dialog: none covers the page
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]

    held_open.set()
    qtbot.waitUntil(lambda: session.workbook is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not window.test_context.tasks.busy, timeout=30_000)
    wb = session.require()
    assert window.windowTitle().startswith(path.name) and "正在打开" not in window.windowTitle()
    assert _texts(home) == [row]  # the same figures, now the workbook's own
    assert _figures(home) == snapshot_figures
    board = wb.inspections.dashboard(iid)
    assert snapshot_figures["unanswered"] == board.total - board.done
    assert all(getattr(home.form, name).isEnabled() for name in HELD_OPEN)
    assert home.dashboard.figures["noncompliant"].isEnabled()
    qtbot.mouseClick(home.dashboard.figures["noncompliant"], Qt.MouseButton.LeftButton)
    assert window.current_page_name() == FILL


def test_a_stale_snapshot_is_not_shown(make_window: Callable[..., Any], closed_workbook: tuple[Path, int],
                                       held_open: Held, qtbot: Any) -> None:
    path, _iid = closed_workbook
    with Workbook.open(path, actor="别人") as wb:  # changed since: e.g. by a copy of SelfCheck without snapshots
        wb.save_school(SchoolProfile(name="城关第二小学"))
    window = make_window(start=False)
    session = window.test_context.session
    home = window.page(HOME)
    window.start(path)
    qtbot.wait(300)
    assert session.preview is None and home.form.panels.currentWidget() is home.form.welcome_panel
    assert home.form.school_label.text() != "城关第一小学"

    held_open.set()
    qtbot.waitUntil(lambda: session.workbook is not None, timeout=30_000)
    assert home.form.school_label.text() == "城关第二小学" and home.form.table.rowCount() == 1


def test_an_open_that_fails_after_the_snapshot_takes_it_away(
        make_window: Callable[..., Any], closed_workbook: tuple[Path, int], monkeypatch: pytest.MonkeyPatch,
        qtbot: Any) -> None:
    from selfcheck.workbook.errors import WorkbookError

    path, _iid = closed_workbook
    release = threading.Event()

    def failing_open(*_args: Any, **_kwargs: Any) -> Any:
        assert release.wait(30)
        raise WorkbookError(f"无法打开工作簿“{path.name}”：磁盘读取错误。")

    monkeypatch.setattr(session_module, "open_workbook", failing_open)
    shown = record_user_errors(monkeypatch, [])
    window = make_window(start=False)
    home = window.page(HOME)
    window.start(path)
    qtbot.waitUntil(lambda: home.form.table.rowCount() == 1, timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "磁盘读取错误" in shown[0]
    assert window.test_context.session.preview is None
    assert home.form.panels.currentWidget() is home.form.welcome_panel


def test_a_change_made_in_the_window_is_in_the_next_snapshot(
        make_window: Callable[..., Any], closed_workbook: tuple[Path, int], held_open: Held,
        qtbot: Any) -> None:
    path, iid = closed_workbook
    held_open.set()
    window = make_window(path)
    window.test_context.session.require().answers.set(iid, "GTM-03", "2")
    window.test_context.session.close()  # closing keeps the snapshot of what it holds now
    held_open.clear()

    again = make_window(start=False)
    home = again.page(HOME)
    again.start(path)
    qtbot.waitUntil(lambda: home.form.table.rowCount() == 1, timeout=10_000)
    assert again.test_context.session.workbook is None and _texts(home)[0][2].startswith("3/")
    held_open.set()


def test_showing_the_snapshot_loads_neither_pydantic_nor_sqlite_utils(closed_workbook: tuple[Path, int],
                                                                      tmp_path: Path) -> None:
    """What makes the snapshot fast: the home page fills before the workbook stack is imported (the background
    open is held back here, so nothing else loads it)."""
    path, _iid = closed_workbook
    code = f"""
import json, os, sys, threading, time
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from selfcheck.gui import session
from selfcheck.gui.app import build_context, create_application
from selfcheck.gui.settings import AppSettings
session.open_workbook = lambda *a, **k: threading.Event().wait()  # held back for good
app = create_application([])
from selfcheck.gui.main_window import MainWindow
settings = AppSettings(QSettings({str(tmp_path / "child.ini")!r}, QSettings.Format.IniFormat))
window = MainWindow(build_context(settings=settings))
window.show()
window.start(Path({str(path)!r}))
home = window.page("home")
deadline = time.monotonic() + 60
while home.form.table.rowCount() == 0 and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
loaded = sorted(m for m in ("pydantic", "sqlite_utils") if m in sys.modules)
print(json.dumps([home.form.table.rowCount(), home.dashboard is not None and home.dashboard.isVisible(), loaded]))
sys.stdout.flush()
os._exit(0)
"""
    assert fresh_python_output(code).splitlines()[-1] == "[1, true, []]"


def test_closing_the_window_while_the_workbook_opens_leaves_it_closed(
        make_window: Callable[..., Any], closed_workbook: tuple[Path, int], held_open: Held,
        qtbot: Any) -> None:
    """The window closes before the workbook it was opening is adopted: the workbook is closed all the same (no
    lock or WAL left beside it), so the next start shows its snapshot again."""
    from selfcheck.paths import glance_dir
    from selfcheck.workbook.glance import read_current

    path, _iid = closed_workbook
    window = make_window(start=False)
    home = window.page(HOME)
    window.start(path)
    qtbot.waitUntil(lambda: home.form.table.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(held_open.entered.is_set, timeout=10_000)  # the worker is opening it
    timer = threading.Timer(0.3, held_open.set)  # the open goes on while the window waits for it
    timer.start()
    window.close()
    timer.join()
    assert not window.test_context.tasks.busy or window.test_context.tasks.wait_idle()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(path.name + ".") or
            p.name.startswith(path.name + "-")] == []
    assert read_current(path, glance_dir()) is not None


def test_a_workbook_opened_from_the_menu_while_the_start_up_open_runs_stays_open(
        make_window: Callable[..., Any], closed_workbook: tuple[Path, int], catalog: Any,
        tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _iid = closed_workbook
    other = tmp_path / "另一所.selfcheck"
    maker = make_window()
    create_school_workbook(maker, other, catalog.checklists)
    maker.test_context.session.close()
    held = Held()
    real = session_module.open_workbook

    def slow_open(target: Path, *args: Any, **kwargs: Any) -> Any:
        if target == path:  # only the start-up open waits
            held.entered.set()
            assert held.wait(30)
        return real(target, *args, **kwargs)

    monkeypatch.setattr(session_module, "open_workbook", slow_open)
    window = make_window(start=False)
    session = window.test_context.session
    window.start(path)
    qtbot.waitUntil(held.entered.is_set, timeout=30_000)
    session.open(other)  # the clerk chose another workbook in 文件 → 打开 before the start-up one was ready
    held.set()
    qtbot.waitUntil(lambda: not window.test_context.tasks.busy, timeout=30_000)
    assert session.path == other  # not replaced by the late start-up open
    assert not path.with_name(path.name + ".lock").exists()  # and that one was closed again, not left locked
