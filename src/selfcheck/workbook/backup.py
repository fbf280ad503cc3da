"""New files, backups (SQLite online backup API) and restore — always via a temporary file and an atomic rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

import sqlite_utils

from selfcheck.errors import WorkbookError
from selfcheck.workbook import audit
from selfcheck.workbook.db import check_sqlite_file, connect, file_uri, transaction
from selfcheck.workbook.errors import damage_detail, sqlite_reason
from selfcheck.workbook.lock import WriterLock, lock_path
from selfcheck.workbook.migrations import apply_step, check_identity, full_integrity, migrate
from selfcheck.workbook.schema import CURRENT_VERSION
from selfcheck.workbook.writer import Tx
from selfcheck.oserrors import os_reason

SIDE_FILES = ("-wal", "-shm", "-journal")


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open folders and needs nothing here."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_quietly(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            candidate.unlink()


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def build_new(path: Path, *, actor: str, app_version: str) -> None:
    """Write an empty workbook (every schema step, identity, first audit entry) to `path`."""
    db = connect(path, read_only=False, create=True)
    try:
        db.execute("PRAGMA journal_mode = DELETE")
        with transaction(db):
            for version in range(1, CURRENT_VERSION + 1):
                apply_step(db, version)
            tx = Tx(db, actor)
            workbook_id = str(uuid.uuid4())
            for key, value in (("workbook_id", workbook_id), ("created_at", tx.now), ("created_with", app_version)):
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            tx.log_event("workbook.create", "workbook", {"workbook_id": workbook_id, "created_with": app_version})
    finally:
        db.close()


def _copy_into(source: sqlite3.Connection, dest: Path) -> None:
    """Online backup of `source` into a new single-file database at `dest`, integrity-checked and fsynced."""
    target = sqlite3.connect(str(dest), isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        damage = [r[0] for r in target.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        if damage:
            raise WorkbookError(f"备份副本未通过完整性检查（{damage_detail(damage[0])}），请换一个位置重试。")
    finally:
        target.close()
    fsync_file(dest)


def copy_database(db: sqlite_utils.Database, dest: Path) -> None:
    """Consistent copy of an open workbook to `dest` via a temporary file and an atomic rename."""
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        _copy_into(db.conn, temp)
        os.replace(temp, dest)
        fsync_dir(dest.parent)
    except OSError as err:
        raise WorkbookError(f"无法写入备份“{dest}”：{os_reason(err)}。") from None
    finally:
        remove_quietly(temp)


def backup_workbook(db: sqlite_utils.Database, source: Path, dest: Path, *, overwrite: bool) -> Path:
    """Back up the open workbook at `source` to `dest` (a file, or a folder for a dated file); returns the file."""
    if dest.is_dir():
        dest = dest / f"{source.stem}-备份-{_stamp()}{source.suffix or '.selfcheck'}"
    if dest.resolve() == source.resolve() or dest.resolve() == lock_path(source).resolve():
        raise WorkbookError("备份不能写到工作簿自身，请选择其他文件名或文件夹。")
    if not dest.parent.is_dir():
        raise WorkbookError(f"文件夹“{dest.parent}”不存在。")
    if dest.exists() and not overwrite:
        raise WorkbookError(f"“{dest}”已存在；如要覆盖，请明确选择覆盖。")
    copy_database(db, dest)
    return dest


def _validate_copy(temp: Path, backup_name: str) -> None:
    """Open the restored copy, bring it to the current schema and require a clean integrity and audit check."""
    db = connect(temp, read_only=False)
    try:
        check_identity(db, temp)
        damage = full_integrity(db)
        if damage:
            raise WorkbookError(f"备份“{backup_name}”已损坏，不能用于恢复（{damage_detail(damage[0])}）。")
        # The backup file itself stays untouched, so this migration needs no extra copy.
        migrate(db, temp, backup=lambda _dest: None)
        report = audit.verify(db)
        if not report.ok:
            raise WorkbookError(f"备份“{backup_name}”未通过审计校验，不能用于恢复。{report.message}")
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()


def _fold_wal(path: Path) -> None:
    """Checkpoint a leftover WAL of the workbook about to be replaced, so its last changes are in the kept copy."""
    if not path.with_name(path.name + "-wal").exists():
        return
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(str(path), isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()


def restore(backup_path: Path, path: Path) -> None:
    """Validate `backup_path` and put a copy of it at `path` atomically (see Workbook.restore)."""
    check_sqlite_file(backup_path)
    if path.exists() and backup_path.resolve() == path.resolve():
        raise WorkbookError("备份文件和要恢复到的工作簿是同一个文件。")
    if not path.parent.is_dir():
        raise WorkbookError(f"文件夹“{path.parent}”不存在。")
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.restoring")
    lock = WriterLock(path)
    lock.acquire()
    try:
        try:
            source = sqlite3.connect(file_uri(backup_path, "ro"), uri=True)
        except sqlite3.Error as err:
            raise WorkbookError(f"无法读取备份“{backup_path.name}”（{sqlite_reason(err)}）。") from None
        try:
            _copy_into(source, temp)
        except sqlite3.DatabaseError as err:
            raise WorkbookError(f"备份“{backup_path.name}”不是有效的工作簿（{damage_detail(str(err))}）。") from None
        finally:
            source.close()
        _validate_copy(temp, backup_path.name)
        fsync_file(temp)
        if path.exists():
            _fold_wal(path)
            aside = path.with_name(f"{path.stem}.恢复前-{_stamp()}{path.suffix}")
            try:
                os.link(path, aside)
            except OSError:
                shutil.copy2(path, aside)
            for suffix in SIDE_FILES:
                side = path.with_name(path.name + suffix)
                if side.exists():
                    # Never let an old WAL be replayed onto the restored file; keep it beside the old copy.
                    os.replace(side, aside.with_name(aside.name + suffix))
        os.replace(temp, path)
        fsync_dir(path.parent)
    except OSError as err:
        raise WorkbookError(f"恢复失败：{os_reason(err)}。原工作簿未被改动。") from None
    finally:
        remove_quietly(temp)
        lock.release()
