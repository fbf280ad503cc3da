"""SQLite connection for a district workspace: file checks, pragmas (WAL, foreign keys, synchronous=FULL),
explicit transactions and the single-writer lock."""

from __future__ import annotations

import errno
import logging
import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils
from filelock import FileLock, Timeout

from selfcheck.district.errors import (
    DistrictCorruptError,
    DistrictError,
    DistrictLockedError,
)
from selfcheck.oserrors import os_reason
from selfcheck.storage import transaction  # noqa: F401 - re-exported for this desk's modules
from selfcheck.workbook.errors import sqlite_reason
from selfcheck.workbook.lock import location_kind

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# PRAGMA application_id marks a file as a SelfCheck district workspace ("SCDW").
APPLICATION_ID = 0x53434457
BUSY_TIMEOUT_MS = 5000


def now_iso() -> str:
    """Local time with its UTC offset, millisecond precision (what every *_at column holds)."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def check_sqlite_file(path: Path) -> None:
    """Refuse missing files, folders and files that are not SQLite databases, with a Chinese message."""
    if not path.exists():
        raise DistrictError(f"找不到区县工作区文件“{path}”。")
    if path.is_dir():
        raise DistrictError(f"“{path}”是文件夹，不是区县工作区文件。")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise DistrictError(f"无法读取区县工作区“{path}”：{os_reason(err)}。") from None
    if header != SQLITE_HEADER:
        raise DistrictCorruptError(f"“{path.name}”不是 SelfCheck 区县工作区（文件格式不对，可能已损坏或选错了文件）。",
                                   hint="请确认选择的是区县工作区文件（.district）；如文件已损坏，请从备份恢复。")


def connect(path: Path, *, read_only: bool, create: bool = False) -> sqlite_utils.Database:
    """Open `path` with the workspace pragmas. Autocommit at the driver level; transactions are explicit."""
    mode = "rwc" if create else "ro" if read_only else "rw"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as err:
        log.warning("cannot open district workspace %s: %s", path, err)
        raise DistrictError(f"无法打开区县工作区“{path.name}”：{sqlite_reason(err)}。") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # a report shown as received survives power loss
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        return sqlite_utils.Database(conn, execute_plugins=False)
    except sqlite3.DatabaseError as err:
        conn.close()
        log.warning("district workspace %s refused by SQLite: %s", path, err)
        raise DistrictCorruptError(f"“{path.name}”不是 SelfCheck 区县工作区或已损坏（{sqlite_reason(err)}）。",
                                   hint="请从备份恢复，或确认选择的是区县工作区文件（.district）。") from None


def write_failure(path: Path, err: sqlite3.OperationalError) -> DistrictError:
    """A failed save (disk full, read-only drive, busy file) as a message; nothing of it was saved."""
    log.warning("saving to district workspace %s failed: %s", path, err)
    text = str(err).lower()
    if "full" in text:
        reason = "磁盘空间不足"
    elif "readonly" in text or "read-only" in text:
        reason = "工作区所在位置是只读的"
    elif "locked" in text or "busy" in text:
        reason = "工作区正被其他程序占用"
    else:
        reason = sqlite_reason(err)
    return DistrictError(f"保存到区县工作区“{path.name}”失败（{reason}），这次修改没有保存。", hint="请处理后重试。")


def pragma_value(db: sqlite_utils.Database, name: str) -> object:
    row = db.execute(f"PRAGMA {name}").fetchone()
    return row[0] if row else None


class WriterLock:
    """An OS file lock on `<workspace>.lock`, held by the one process allowed to write; dropped if it dies."""

    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=0, thread_local=False)
        self._path = path

    def acquire(self, *, creating: bool = False) -> None:
        """Take the lock; `creating` when the workspace is being made (a failure then concerns the folder)."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise DistrictLockedError(
                f"区县工作区“{self._path.name}”正在被另一个 SelfCheck 窗口（或程序）使用，不能同时修改。",
                hint="请先关闭另一个窗口；如只需查看，可以只读方式打开。") from None
        except OSError as err:
            raise self._failure(err, creating) from None

    def _failure(self, err: OSError, creating: bool) -> DistrictError:
        read_only = err.errno in (errno.EACCES, errno.EROFS, errno.EPERM)
        if creating:
            reason = f"这个位置是只读的（{location_kind(self._path)}）" if read_only else os_reason(err)
            return DistrictError(f"无法在“{self._path.parent}”中新建区县工作区：{reason}。",
                                 hint="请选择一个可写的文件夹（例如“文档”）。")
        if read_only:
            return DistrictError(f"区县工作区“{self._path.name}”所在的位置是只读的（{location_kind(self._path)}），"
                                 "不能在这里修改它。",
                                 hint="可以只读方式打开查看；要修改，请把工作区复制到可写的文件夹（例如“文档”）后再打开。")
        return DistrictError(f"无法在“{self._path.parent}”中创建锁文件：{os_reason(err)}。",
                             hint="可以只读方式打开查看，或把工作区复制到可写的文件夹。")

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)
