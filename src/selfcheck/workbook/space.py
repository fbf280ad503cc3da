"""Keeping the WAL small, and what a full disk means for the user.

Without care the WAL grows to the size of the largest photo import and is folded into the main file only at close; on
a full disk that close then eats the space the user has just freed, and every later save fails again. So the writer
caps the WAL (journal_size_limit, wal_autocheckpoint) and folds it into the main file after every change that made it
larger than WAL_CHECKPOINT_ABOVE. A save that fails for lack of space says how much space it needs.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from selfcheck.errors import WorkbookError
from selfcheck.workbook.db import pragma_value

MB = 1024 * 1024
# The WAL file is cut back to this size whenever it is reset.
WAL_SIZE_LIMIT = 1 * MB
# SQLite's own automatic checkpoint, in pages (256 × 4 KiB = 1 MiB).
WAL_AUTOCHECKPOINT_PAGES = 256
# After a commit that left more than this in the WAL, fold it into the main file and truncate it at once.
WAL_CHECKPOINT_ABOVE = 512 * 1024
# Head-room a save needs beyond what the failed one had written: a large photo (image and thumbnail in the WAL, then
# the same pages again in the main file) and SQLite's page bookkeeping.
SAVE_HEADROOM = 4 * MB


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def wal_size(path: Path) -> int:
    try:
        return wal_path(path).stat().st_size
    except OSError:
        return 0


def configure_writer(db: sqlite_utils.Database) -> None:
    """WAL mode with a capped WAL file (called on every open for writing)."""
    if str(pragma_value(db, "journal_mode")).lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")


def checkpoint(db: sqlite_utils.Database) -> bool:
    """Fold the WAL into the main file and truncate it; False when that could not complete (readers, full disk)."""
    try:
        row = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == 0


def after_commit(db: sqlite_utils.Database, path: Path) -> None:
    """Keep the WAL small after a committed change (a failed checkpoint is retried after the next one)."""
    if not db.conn.in_transaction and wal_size(path) > WAL_CHECKPOINT_ABOVE:
        checkpoint(db)


def free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _mb(n: int) -> int:
    return max(1, math.ceil(n / MB))


def disk_full_error(db: sqlite_utils.Database | None, path: Path, *, opening: bool = False) -> WorkbookError:
    """The message for a save that failed with SQLITE_FULL, naming the space to free. The unfinished change's
    pages are dropped from the WAL first, so they hold no space. `opening`: the write was part of opening the
    workbook (upgrading an older one), not a change the user made."""
    written = wal_size(path)
    if db is not None:
        with contextlib.suppress(sqlite3.Error):
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
        checkpoint(db)
    needed = 2 * written + SAVE_HEADROOM
    free = free_space(path.parent)
    have = f"，现在只有 {free / MB:.1f} MB" if free is not None else ""
    failed = (f"无法打开工作簿“{path.name}”：打开时需要写入（例如升级旧版工作簿），但磁盘空间不足。" if opening
              else f"保存到工作簿“{path.name}”失败（磁盘空间不足），这次修改没有保存。")
    return WorkbookError(
        f"{failed}工作簿所在的磁盘至少需要 {_mb(needed)} MB 可用空间{have}。",
        hint=f"请在工作簿所在的磁盘（或U盘）上删除不需要的文件，腾出至少 {_mb(needed)} MB 后重试；"
        "已经保存的内容不受影响。",
    )
