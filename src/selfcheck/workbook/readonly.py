"""Read-only opens that never write beside the workbook and work where nothing can be written.

SQLite's ordinary read-only mode still creates `-wal` and `-shm` files next to a WAL database (and fails outright on a
write-protected USB stick or a read-only share, where it cannot create them). So a read-only open picks one of:

- ``shared``: another SelfCheck is writing the workbook right now. Its `-wal`/`-shm` files exist already; read
  through them (``mode=ro``) to see its latest saved changes.
- ``immutable``: nobody is writing and no unsaved WAL is left over: read the file as it is (``immutable=1``), which
  creates no files at all. Should a writer appear later (another window opens it for writing), the connection is
  switched to ``shared`` before the next read, so it never reads a file changing underneath it.
- ``copy``: a WAL left by a writer that died holds saved changes the main file lacks, but this open may not fold
  them in: the two files are copied to a private temporary folder and the copy is read (and removed on close).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import sqlite_utils

from selfcheck.workbook.db import BUSY_TIMEOUT_MS, display_name, file_uri
from selfcheck.workbook.errors import WorkbookError, corrupt_error, sqlite_reason
from selfcheck.workbook.lock import is_locked, location_kind
from selfcheck.oserrors import os_reason

# How often an immutable reader looks whether a writer has appeared (seconds).
WRITER_PROBE_INTERVAL = 0.5


def writable_location(path: Path) -> bool:
    """Whether the workbook file and its folder may be written by this process (False on read-only media)."""
    try:
        if hasattr(os, "statvfs") and os.statvfs(path.parent).f_flag & getattr(os, "ST_RDONLY", 1):
            return False
    except OSError:
        return False
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def read_only_location_reason(path: Path) -> str:
    return f"工作簿所在的位置是只读的（{location_kind(path)}），所以只能查看，不能修改。"


class TempCopyConnection(sqlite3.Connection):
    """A connection to a private copy; closing it removes the copy's folder."""

    temp_dir: str | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.temp_dir:
                shutil.rmtree(self.temp_dir, ignore_errors=True)
                self.temp_dir = None


def _wal_has_data(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _finish(conn: sqlite3.Connection, path: Path) -> sqlite_utils.Database:
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return sqlite_utils.Database(conn, execute_plugins=False)
    except sqlite3.DatabaseError as err:
        conn.close()
        raise corrupt_error(path, str(err)) from None


def _connect_uri(path: Path, mode: str, extra: str = "") -> sqlite3.Connection:
    try:
        return sqlite3.connect(file_uri(path, mode) + extra, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise WorkbookError(f"无法打开工作簿“{display_name(path)}”：{sqlite_reason(err)}。") from None


def _private_copy(path: Path) -> sqlite3.Connection:
    temp_dir = tempfile.mkdtemp(prefix="selfcheck-readonly-")
    try:
        copy = Path(temp_dir) / "workbook.selfcheck"
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    except OSError as err:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise WorkbookError(
            f"无法读取工作簿“{display_name(path)}”（{os_reason(err)}）。",
            hint="如果工作簿在U盘或网络共享上，请确认它仍然可以访问。",
        ) from None
    conn = sqlite3.connect(str(copy), isolation_level=None, check_same_thread=False, factory=TempCopyConnection)
    conn.temp_dir = temp_dir  # type: ignore[attr-defined]
    return conn


class ReadOnlySource:
    """The read-only connection of one open workbook, and why it is read-only when that is not the user's choice."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reason: str | None = None
        self._checked = 0.0
        if is_locked(path):
            self.mode = "shared"
            self.reason = "另一个 SelfCheck 窗口（或程序）正在修改它，所以这里只能查看。"
            conn = _connect_uri(path, "ro")
        elif _wal_has_data(path):
            self.mode = "copy"
            conn = _private_copy(path)
        else:
            self.mode = "immutable"
            conn = _connect_uri(path, "ro", "&immutable=1")
        if not writable_location(path):
            self.reason = read_only_location_reason(path)
        self.db = _finish(conn, path)

    def current(self) -> sqlite_utils.Database:
        """The connection to read through now: an immutable one turns shared once a writer has the workbook."""
        if self.mode != "immutable":
            return self.db
        now = time.monotonic()
        if now - self._checked < WRITER_PROBE_INTERVAL:
            return self.db
        self._checked = now
        if is_locked(self.path):
            old = self.db
            self.db = _finish(_connect_uri(self.path, "ro"), self.path)
            self.mode = "shared"
            self.reason = self.reason or "另一个 SelfCheck 窗口（或程序）正在修改它，所以这里只能查看。"
            old.close()
        return self.db
