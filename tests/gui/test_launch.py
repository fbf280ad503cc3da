"""launch(): the window shows at once and the workbook given on the command line opens in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfcheck.gui.app import launch
from selfcheck.workbook.models import SchoolProfile
from selfcheck.workbook.service import Workbook
from tests.fresh_python import fresh_python_output


def test_launch_opens_the_workbook_after_the_window_shows(qtbot: Any, settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "命令行.selfcheck"
    with Workbook.create(path, actor="别人") as wb:
        wb.save_school(SchoolProfile(name="城关第一小学"))
    window = launch(path, [], settings=settings)
    qtbot.addWidget(window)
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.windowTitle().startswith("命令行.selfcheck"), timeout=30_000)
    assert window.page("home").form.school_label.text() == "城关第一小学"
    window.close()


def test_start_path_does_not_load_heavy_libraries() -> None:
    """The window's modules import neither the report, signing and image libraries nor the workbook stack."""
    code = (
        "import sys\n"
        "import selfcheck.gui.app, selfcheck.gui.main_window, selfcheck.gui.home\n"
        "heavy = ('reportlab', 'pyhanko', 'PIL', 'openpyxl', 'cryptography', 'yaml', 'pydantic', 'sqlite_utils')\n"
        "print(','.join(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    assert fresh_python_output(code) == ""


def test_start_after_a_killed_run_says_so(qtbot: Any, settings: Any, tmp_path: Path) -> None:
    """A run killed outright (SIGKILL, as a native crash ends it): the next start says 上次程序意外退出, points to
    the log folder and has cleaned up the workbook's stale lock."""
    import os
    import signal
    import subprocess
    import sys

    from selfcheck.logs import log_file
    from selfcheck.runs import start_run

    path = tmp_path / "学校.selfcheck"
    with Workbook.create(path, actor="别人") as wb:
        wb.save_school(SchoolProfile(name="城关第一小学"))
    folder = tmp_path / "logs"
    child_code = ("import sys, time; from pathlib import Path; from selfcheck.runs import start_run\n"
                  "from selfcheck.workbook.service import Workbook\n"
                  "run, _ = start_run(Path(sys.argv[1])); wb = Workbook.open(Path(sys.argv[2]), actor='x')\n"
                  "run.set_workbook(Path(sys.argv[2])); print('ready', flush=True); time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", child_code, str(folder), str(path)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM)
    child.wait(10)
    child.stdout.close()

    run, unfinished = start_run(folder)
    window = launch(path, [], settings=settings, run=run, unfinished=unfinished)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("学校.selfcheck"), timeout=30_000)
    banner = window.form.banner_label.text()
    assert window.form.banner.isVisible() and "上次程序意外退出" in banner
    assert str(log_file().parent) in banner and "锁文件" in banner
    assert "只读" not in window.windowTitle()  # the stale lock did not make the workbook look in use
    assert window.form.banner_action_button.isVisible() and window.form.banner_action_button.text() == "打开日志文件夹"
    window.close()
    run.finish()
