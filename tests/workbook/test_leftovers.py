"""An interrupted create leaves a `.X.creating` file; it is removed at the next create or open in that folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from selfcheck.workbook.service import Workbook

from .conftest import ACTOR
from .sandbox import SRC


def _interrupted_create(path: Path) -> None:
    """A create killed while it builds the new file (power cut, task manager)."""
    code = f"""
import os, signal
from selfcheck.workbook import backup
from selfcheck.workbook.service import Workbook
real = backup.build_new
def build_then_die(temp, **kwargs):
    real(temp, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
backup.build_new = build_then_die
Workbook.create({str(path)!r}, actor="x")
"""
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=60)


def test_interrupted_create_leaves_nothing_after_the_next_create(tmp_path: Path) -> None:
    path = tmp_path / "新工作簿.selfcheck"
    _interrupted_create(path)
    assert [n for n in os.listdir(tmp_path) if n.endswith(".creating")]  # what the killed process left
    assert not path.exists()
    Workbook.create(path, actor=ACTOR).close()
    assert sorted(os.listdir(tmp_path)) == [path.name]


def test_leftover_is_removed_when_another_workbook_in_the_folder_opens(tmp_path: Path) -> None:
    other = tmp_path / "在用的.selfcheck"
    Workbook.create(other, actor=ACTOR).close()
    _interrupted_create(tmp_path / "没建成的.selfcheck")
    assert any(n.endswith(".creating") for n in os.listdir(tmp_path))
    with Workbook.open(other, actor=ACTOR):
        pass
    assert sorted(os.listdir(tmp_path)) == [other.name]


def test_a_create_in_progress_is_not_swept(tmp_path: Path) -> None:
    from selfcheck.workbook import leftovers
    from selfcheck.workbook.lock import WriterLock

    target = tmp_path / "正在建.selfcheck"
    temp = tmp_path / f".{target.name}.0123abcd.creating"
    temp.write_bytes(b"x")
    lock = WriterLock(target)
    lock.acquire()
    try:
        assert leftovers.sweep(tmp_path) == []
        assert temp.exists()
    finally:
        lock.release()
    assert leftovers.sweep(tmp_path) == [temp]
