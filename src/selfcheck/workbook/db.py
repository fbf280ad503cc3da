"""SQLite connection for a workbook: file checks, pragmas (WAL, foreign keys, synchronous=FULL) and transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from selfcheck.storage import transaction  # noqa: F401 - re-exported for this desk's modules

from selfcheck.workbook.errors import (
    WorkbookCorruptError,
    WorkbookError,
    WorkbookLockedError,
    corrupt_error,
    sqlite_reason,
)
from selfcheck.oserrors import os_reason
from selfcheck.workbook.schema import APPLICATION_ID  # noqa: F401 - re-exported

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def display_name(path: Path) -> str:
    return path.name


def check_sqlite_file(path: Path) -> None:
    """Refuse missing files, folders and files that are not SQLite databases, with a Chinese message."""
    if not path.exists():
        raise WorkbookError(f"找不到工作簿文件“{path}”。")
    if path.is_dir():
        raise WorkbookError(f"“{path}”是文件夹，不是工作簿文件。")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise WorkbookError(f"无法读取工作簿“{path}”：{os_reason(err)}。") from None
    if header != SQLITE_HEADER:
        raise WorkbookCorruptError(
            f"“{display_name(path)}”不是 SelfCheck 工作簿（文件格式不对，可能已损坏或选错了文件）。"
        )


def file_uri(path: Path, mode: str) -> str:
    """SQLite URI for `path` (percent-encoded, so '?', '#' and Chinese names are safe on every platform)."""
    return f"{path.resolve().as_uri()}?mode={mode}"


def connect(path: Path, *, read_only: bool, create: bool = False) -> sqlite_utils.Database:
    """Open `path` with the workbook pragmas. Autocommit at the driver level; transactions are explicit."""
    uri = file_uri(path, "rwc" if create else "ro" if read_only else "rw")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise WorkbookError(f"无法打开工作簿“{display_name(path)}”：{sqlite_reason(err)}。") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # A change shown as saved must survive power loss: fsync the WAL on every commit.
        conn.execute("PRAGMA synchronous = FULL")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        return sqlite_utils.Database(conn, execute_plugins=False)
    except sqlite3.DatabaseError as err:
        conn.close()
        if isinstance(err, sqlite3.OperationalError):
            if "locked" in str(err) or "busy" in str(err):
                # Another program (a database tool, a sync client) holds the file locked: busy, not damaged.
                raise WorkbookLockedError(f"工作簿“{display_name(path)}”正被其他程序占用，请稍后再试。") from None
            # It cannot be read now (a stick pulled out, no permission): that says nothing about damage.
            raise WorkbookError(f"无法打开工作簿“{display_name(path)}”：{sqlite_reason(err)}。") from None
        raise corrupt_error(path, str(err)) from None


def pragma_value(db: sqlite_utils.Database, name: str) -> object:
    row = db.execute(f"PRAGMA {name}").fetchone()
    return row[0] if row else None
