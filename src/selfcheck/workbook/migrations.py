"""Opening checks (is it a workbook, which schema, integrity) and schema migrations, each in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from selfcheck.storage import apply_schema_step, run_migrations
from selfcheck.workbook.db import APPLICATION_ID, pragma_value
from selfcheck.workbook.errors import (
    NewerSchemaError,
    WorkbookCorruptError,
    WorkbookError,
    corrupt_error,
    damage_detail,
)
from selfcheck.workbook.schema import CURRENT_VERSION, GROWING_TABLES, STEPS


def schema_version(db: sqlite_utils.Database) -> int:
    return int(pragma_value(db, "user_version") or 0)  # type: ignore[arg-type]


def _corrupt(path: Path, detail: str) -> WorkbookCorruptError:
    return corrupt_error(path, detail)


def _raise_if_busy(err: sqlite3.DatabaseError) -> None:
    """A file another program holds locked is busy, not damaged: let the caller say so (WorkbookLockedError)."""
    if isinstance(err, sqlite3.OperationalError) and ("locked" in str(err) or "busy" in str(err)):
        raise err


def check_identity(db: sqlite_utils.Database, path: Path) -> int:
    """Refuse files that are not workbooks, and workbooks from a newer SelfCheck; returns the schema version."""
    try:
        app_id = int(pragma_value(db, "application_id") or 0)  # type: ignore[arg-type]
        version = schema_version(db)
    except sqlite3.DatabaseError as err:
        _raise_if_busy(err)
        raise _corrupt(path, str(err)) from None
    if app_id != APPLICATION_ID:
        raise WorkbookCorruptError(
            f"“{path.name}”是一个数据库文件，但不是 SelfCheck 工作簿。请选择 SelfCheck 工作簿文件（.selfcheck）。")
    if version > CURRENT_VERSION:
        raise NewerSchemaError(
            f"此工作簿由更新版本的 SelfCheck 创建（格式版本 {version}，本程序只支持到版本 {CURRENT_VERSION}），"
            "请升级 SelfCheck 后再打开。"
        )
    if version < 1:
        raise _corrupt(path, "创建过程没有完成")
    return version


def _problems(rows: list[tuple]) -> list[str]:
    return [str(r[0]) for r in rows if str(r[0]).lower() != "ok"]


def quick_integrity(db: sqlite_utils.Database, path: Path) -> None:
    """Integrity check made at every open, in time that does not grow with photos or history: the schema, every
    table and index except the growing ones (GROWING_TABLES, checked in full by verify_audit and backup), and the
    newest audit entry and photo being readable. A file cut short (an interrupted copy) never gets here: SQLite refuses
    it as malformed when it reads the schema, because its header declares more pages than the file holds."""
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()]
        found: list[str] = []
        for table in tables:
            if table not in GROWING_TABLES:
                found += _problems(db.execute(f'PRAGMA quick_check("{table}")').fetchall())
        db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
        if "photos" in tables:
            db.execute("SELECT * FROM photos ORDER BY id DESC LIMIT 1").fetchall()
    except sqlite3.DatabaseError as err:
        _raise_if_busy(err)
        raise _corrupt(path, str(err)) from None
    if found:
        # SQLite reports damage in English ("row 3 missing from index ..."): each is put in Chinese before it is shown.
        raise _corrupt(path, "；".join(dict.fromkeys(damage_detail(problem) for problem in found[:3])))


def full_integrity(db: sqlite_utils.Database) -> list[str]:
    """PRAGMA integrity_check over the whole file (BLOB pages included) and foreign keys; [] when all is well."""
    try:
        found = _problems(db.execute("PRAGMA integrity_check").fetchall())
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as err:
        return [str(err)]
    found += [f"表 {r[0]} 第 {r[1]} 行引用了不存在的 {r[2]} 记录" for r in fk]
    return found


def migrate(db: sqlite_utils.Database, path: Path, *, backup: Callable[[Path], None]) -> int:
    """Bring an older workbook to CURRENT_VERSION: first a backup copy beside it, then each step in its own
    transaction (a failed step leaves the file at the previous version). Returns the version migrated from."""
    start = schema_version(db)
    if start < CURRENT_VERSION:
        run_migrations(db, path, start=start, current=CURRENT_VERSION, apply_step=apply_step, backup=backup,
                       noun="工作簿", error=WorkbookError)
    return start


def apply_step(db: sqlite_utils.Database, version: int) -> None:
    """Run schema step `version` inside the caller's transaction and record it in user_version."""
    apply_schema_step(db, version, STEPS, APPLICATION_ID)
