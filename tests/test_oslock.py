"""The OS file lock the run records use: one holder at a time, dropped when the holder releases it or dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from selfcheck.oslock import OsLock

HOLDER = """
import sys, time
from pathlib import Path
from selfcheck.oslock import OsLock
lock = OsLock(Path(sys.argv[1]))
print("held" if lock.try_acquire() else "busy", flush=True)
time.sleep(60)
"""


def test_one_holder_at_a_time_until_released(tmp_path: Path) -> None:
    first, second = OsLock(tmp_path / "run.lock"), OsLock(tmp_path / "run.lock")
    assert first.try_acquire() and first.held
    assert not second.try_acquire() and not second.held
    first.release()
    assert not first.held
    assert second.try_acquire()
    second.release()


def test_a_killed_holder_leaves_the_lock_free(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    src = str(Path(__file__).resolve().parents[1] / "src")
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                             env={"PYTHONPATH": src, "PATH": ""})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        assert not OsLock(path).try_acquire()  # another process holds it
    finally:
        child.kill()
        child.wait(30)
        if child.stdout is not None:
            child.stdout.close()
    mine = OsLock(path)
    assert mine.try_acquire()
    mine.release()
