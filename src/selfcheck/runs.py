"""Noticing an abnormal exit: each run of the app leaves a record in the log folder that a clean exit removes.

A run holds an OS file lock on its record for as long as the process lives, so the next start can tell a record
left by a crashed (or killed) run from one of another window still running: the OS drops the lock of a dead
process. A native crash also leaves a Python `faulthandler` trace in the crash log beside the log file.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from selfcheck.oslock import OsLock

log = logging.getLogger(__name__)

CRASH_LOG_NAME = "selfcheck-crash.log"
_PREFIX = "run-"


@dataclass(frozen=True)
class UnfinishedRun:
    """A run that ended without closing cleanly: when it started and the workbook it had open."""

    started: datetime | None
    pid: int | None
    workbook: Path | None
    lock_removed: bool


class RunRecord:
    """This process's record; `finish()` on a clean exit."""

    def __init__(self, folder: Path) -> None:
        stamp = datetime.now()
        self.path = folder / f"{_PREFIX}{stamp:%Y%m%d-%H%M%S}-{os.getpid()}.json"
        self._lock = OsLock(Path(str(self.path) + ".lock"))
        self._data: dict[str, object] = {"pid": os.getpid(), "started": stamp.isoformat(timespec="seconds"),
                                          "workbook": None}

    def begin(self) -> None:
        """Hold this run's lock and write its record. OSError when the lock cannot be taken."""
        if not self._lock.try_acquire():
            raise OSError(f"the run record {self.path} is locked by another process")
        self._write()

    def set_workbook(self, workbook: Path | None) -> None:
        """Remember the open workbook, so a crash's stale `.lock` beside it can be cleaned up next time."""
        self._data["workbook"] = str(workbook) if workbook is not None else None
        self._write()

    def _write(self) -> None:
        try:
            self.path.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
        except OSError as err:
            log.warning("cannot write the run record %s: %s", self.path, err)

    def finish(self) -> None:
        """A clean exit: the record goes."""
        self.path.unlink(missing_ok=True)
        self._lock.release()
        Path(str(self.path) + ".lock").unlink(missing_ok=True)


def _read(record: Path) -> tuple[datetime | None, int | None, Path | None]:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        started = datetime.fromisoformat(data["started"]) if data.get("started") else None
        return started, data.get("pid"), Path(data["workbook"]) if data.get("workbook") else None
    except (OSError, ValueError, KeyError, TypeError):
        return None, None, None


def remove_stale_lock(workbook: Path) -> bool:
    """Delete `<workbook>.lock` when no process holds it (a crash left it behind); True if it was removed."""
    from selfcheck.workbook.lock import is_locked, lock_path

    stale = lock_path(workbook)
    if not stale.exists() or is_locked(workbook):
        return False
    try:
        stale.unlink()
    except OSError:
        return False
    return True


def start_run(folder: Path) -> tuple[RunRecord, list[UnfinishedRun]]:
    """Record this run and collect the runs that ended abnormally (their records are removed, and the stale
    workbook lock each left behind)."""
    folder.mkdir(parents=True, exist_ok=True)
    unfinished: list[UnfinishedRun] = []
    for record in sorted(folder.glob(f"{_PREFIX}*.json")):
        probe = OsLock(Path(str(record) + ".lock"))
        try:
            if not probe.try_acquire():
                continue  # another window of the app is running right now
        except OSError:
            continue
        try:
            started, pid, workbook = _read(record)
            removed = remove_stale_lock(workbook) if workbook is not None else False
            unfinished.append(UnfinishedRun(started, pid, workbook, removed))
            log.warning("the previous run (pid %s, started %s) ended abnormally; stale lock removed: %s",
                        pid, started, removed)
            record.unlink(missing_ok=True)
        finally:
            probe.release()
            Path(str(record) + ".lock").unlink(missing_ok=True)
    current = RunRecord(folder)
    try:
        current.begin()
    except OSError as err:
        log.warning("cannot record this run: %s", err)
    return current, unfinished


def enable_crash_trace(folder: Path) -> IO[str] | None:
    """Python's faulthandler writes a native crash's stack into the crash log (beside the log file, which
    rotates and so cannot be held open). Returns the open file (keep it for the process's lifetime)."""
    try:
        stream = open(folder / CRASH_LOG_NAME, "a", encoding="utf-8")  # noqa: SIM115 - open for the process life
    except OSError:
        return None
    stream.write(f"\n--- {datetime.now():%Y-%m-%d %H:%M:%S} pid {os.getpid()} ---\n")
    stream.flush()
    faulthandler.enable(stream, all_threads=True)
    return stream
