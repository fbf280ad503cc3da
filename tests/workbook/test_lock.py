"""The writer's `.lock`: gone after a clean close, a stale one left by a dead writer is taken over, probes create
nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from selfcheck.workbook.lock import WriterLock, is_locked, lock_path
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR
from .sandbox import SRC


def test_no_lock_file_after_a_clean_close(wb: Workbook, wb_path: Path) -> None:
    assert lock_path(wb_path).exists()  # held while open for writing
    wb.close()
    assert not lock_path(wb_path).exists()
    with Workbook.open(wb_path, actor=ACTOR):
        pass
    assert sorted(os.listdir(wb_path.parent)) == [wb_path.name]


def test_stale_lock_of_a_killed_writer_is_taken_over_and_removed(wb: Workbook, wb_path: Path) -> None:
    wb.close()
    code = f"""
import os, signal
from selfcheck.workbook.service import Workbook
Workbook.open({str(wb_path)!r}, actor="x")
os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=60)
    assert lock_path(wb_path).exists()  # left behind by the dead writer, but nobody holds it
    assert not is_locked(wb_path)
    with Workbook.open(wb_path, actor=ACTOR) as again:
        again.info()
    assert not lock_path(wb_path).exists()


def test_probe_creates_no_lock_file(wb_path: Path) -> None:
    Workbook.create(wb_path, actor=ACTOR).close()
    assert not is_locked(wb_path)
    assert not lock_path(wb_path).exists()


def test_a_lock_taken_after_the_file_was_removed_is_exclusive(wb_path: Path) -> None:
    first = WriterLock(wb_path)
    first.acquire()
    first.release()
    second, third = WriterLock(wb_path), WriterLock(wb_path)
    second.acquire()
    assert is_locked(wb_path)
    try:
        third.acquire()
    except Exception as err:  # noqa: BLE001
        assert "另一个" in str(err)
    else:
        raise AssertionError("two writers held the lock")
    finally:
        second.release()
