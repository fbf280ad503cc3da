"""An abnormal exit is noticed at the next start: the run's record is left behind and the workbook's stale lock
is cleaned up; a clean exit or another running window is not reported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.runs import start_run
from selfcheck.workbook.lock import lock_path
from selfcheck.workbook.service import Workbook

CHILD = """
import sys, time
from pathlib import Path
from selfcheck.runs import start_run
from selfcheck.workbook.service import Workbook
folder, path = Path(sys.argv[1]), Path(sys.argv[2])
run, _ = start_run(folder)
wb = Workbook.open(path, actor="子进程")
run.set_workbook(path)
print("ready", flush=True)
time.sleep(60)
"""


def running_child(folder: Path, workbook: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(workbook)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_run_is_reported_and_its_lock_removed(tmp_path: Path) -> None:
    workbook = tmp_path / "学校.selfcheck"
    Workbook.create(workbook, actor="测试").close()
    folder = tmp_path / "logs"
    child = running_child(folder, workbook)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()  # type: ignore[union-attr]
    assert lock_path(workbook).exists()  # what a crash leaves behind

    run, unfinished = start_run(folder)
    try:
        assert len(unfinished) == 1
        assert unfinished[0].workbook == workbook and unfinished[0].pid == child.pid
        assert unfinished[0].lock_removed and not lock_path(workbook).exists()
        Workbook.open(workbook, actor="测试").close()  # writable again
    finally:
        run.finish()
    again, unfinished = start_run(folder)
    again.finish()
    assert unfinished == []  # reported once


def test_clean_exit_and_a_running_window_are_not_reported(tmp_path: Path) -> None:
    workbook = tmp_path / "学校.selfcheck"
    Workbook.create(workbook, actor="测试").close()
    folder = tmp_path / "logs"
    first, _ = start_run(folder)
    first.finish()
    child = running_child(folder, workbook)  # another window, still running
    try:
        run, unfinished = start_run(folder)
        run.finish()
        assert unfinished == [] and lock_path(workbook).exists()
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()  # type: ignore[union-attr]


def test_native_crash_leaves_a_trace(tmp_path: Path) -> None:
    code = ("import sys, faulthandler; from pathlib import Path; from selfcheck.runs import enable_crash_trace\n"
            "enable_crash_trace(Path(sys.argv[1])); faulthandler._sigsegv()\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False, capture_output=True, timeout=60,
                   env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    trace = (tmp_path / "selfcheck-crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in trace and "File \"<string>\", line 2" in trace
