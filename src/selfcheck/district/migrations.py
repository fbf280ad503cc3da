"""Opening checks (is it a district workspace, which schema, integrity) and migrations, each in one transaction."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from selfcheck.district.db import APPLICATION_ID, pragma_value
from selfcheck.district.errors import DistrictCorruptError, DistrictError
from selfcheck.district.schema import CURRENT_VERSION, GROWING_TABLES, STEPS
from selfcheck.oserrors import os_reason
from selfcheck.storage import apply_schema_step, run_migrations, transaction
from selfcheck.workbook.db import APPLICATION_ID as WORKBOOK_APPLICATION_ID
from selfcheck.workbook.errors import damage_detail, sqlite_reason

log = logging.getLogger(__name__)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(pragma_value(db, "user_version") or 0)  # type: ignore[arg-type]


def quick_check(db: sqlite_utils.Database) -> list[str]:
    """Integrity problems of every table but the ones that grow with each received report (so opening stays as
    fast with 500 reports as with none); `full_check` covers the whole file."""
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
    found: list[str] = []
    for table in tables:
        if table not in GROWING_TABLES:
            found += [str(r[0]) for r in db.execute(f'PRAGMA quick_check("{table}")').fetchall()
                      if str(r[0]).lower() != "ok"]
    db.execute("SELECT id FROM received ORDER BY id DESC LIMIT 1").fetchall()
    return found


def full_check(db: sqlite_utils.Database) -> list[str]:
    """PRAGMA integrity_check over the whole file and foreign keys; [] when all is well."""
    found = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall() if str(r[0]).lower() != "ok"]
    found += [f"表 {r[0]} 第 {r[1]} 行引用了不存在的 {r[2]} 记录" for r in db.execute("PRAGMA foreign_key_check")]
    return found


def check_identity(db: sqlite_utils.Database, path: Path) -> int:
    """Refuse files that are not district workspaces, and ones from a newer SelfCheck; returns the version."""
    def corrupt(err: sqlite3.DatabaseError) -> DistrictCorruptError:
        log.warning("district workspace %s is damaged: %s", path, err)
        return DistrictCorruptError(f"区县工作区“{path.name}”已损坏，无法打开（{sqlite_reason(err)}）。程序没有对它做任何修改。",
                                    hint="请从备份恢复。")

    try:
        app_id = int(pragma_value(db, "application_id") or 0)  # type: ignore[arg-type]
        version = schema_version(db)
    except sqlite3.DatabaseError as err:
        raise corrupt(err) from None
    if app_id == WORKBOOK_APPLICATION_ID:
        raise DistrictCorruptError(f"“{path.name}”是学校的自查工作簿，不是区县工作区。",
                                   hint="请在 SelfCheck 学校版中打开它；区县汇总请打开 .district 文件。")
    if app_id != APPLICATION_ID:
        raise DistrictCorruptError(f"“{path.name}”是一个数据库文件，但不是 SelfCheck 区县工作区。",
                                   hint="请确认选择的是区县工作区文件（.district）。")
    if version > CURRENT_VERSION:
        raise DistrictError(f"此区县工作区由更新版本的 SelfCheck 创建（格式版本 {version}，本程序只支持到版本 "
                            f"{CURRENT_VERSION}），请升级 SelfCheck 后再打开。")
    if version < 1:
        raise DistrictCorruptError(f"区县工作区“{path.name}”的创建过程没有完成，无法打开。")
    try:
        problems = quick_check(db)
    except sqlite3.DatabaseError as err:
        raise corrupt(err) from None
    if problems:
        log.warning("district workspace %s failed its integrity check: %s", path, problems[:10])
        raise DistrictCorruptError(f"区县工作区“{path.name}”已损坏（{damage_detail(problems[0])}），程序没有对它做任何修改。",
                                   hint="请从备份恢复。")
    return version


def migrate(db: sqlite_utils.Database, path: Path) -> int:
    """Bring an older workspace to CURRENT_VERSION: a backup copy beside it first, then each step in its own
    transaction (a failed step leaves the file at the previous version). Returns the version migrated from."""
    start = schema_version(db)
    if start < CURRENT_VERSION:
        def backup(copy: Path) -> None:
            db.execute("PRAGMA wal_checkpoint(FULL)")
            try:
                shutil.copy2(path, copy)
            except OSError as err:  # a full or failing stick: no upgrade without its backup
                with contextlib.suppress(OSError):
                    copy.unlink()
                raise DistrictError(f"区县工作区“{path.name}”需要升级格式，但升级前的备份无法保存：{os_reason(err)}。"
                                    "工作区没有被修改。",
                                    hint="请腾出磁盘空间，或把工作区复制到可写的文件夹后再打开。") from None

        run_migrations(db, path, start=start, current=CURRENT_VERSION, apply_step=apply_step, backup=backup,
                       noun="区县工作区", error=DistrictError)
    return start


def upgraded_copy(db: sqlite_utils.Database, path: Path) -> sqlite_utils.Database:
    """A read-only view of an older workspace at the current schema: the file is copied into memory (SQLite's
    backup, consistent even while a writer works on it), upgraded there and made query-only; `db` is closed.
    The file itself is not touched (it may be on read-only media, or another window may hold it)."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        db.conn.backup(memory)
        copy = sqlite_utils.Database(memory, execute_plugins=False)
        for version in range(schema_version(copy) + 1, CURRENT_VERSION + 1):
            with transaction(copy):
                apply_step(copy, version)
        memory.execute("PRAGMA query_only = ON")
    except sqlite3.Error as err:
        memory.close()
        log.warning("upgrading a read-only view of %s failed: %s", path, err)
        raise DistrictError(f"区县工作区“{path.name}”是旧版 SelfCheck 的格式，只读打开时无法在内存中升级"
                            f"（{sqlite_reason(err)}）。",
                            hint="请在没有其他窗口使用它时以可写方式打开一次（例如在区县窗口中打开），"
                                 "程序会先备份再自动升级。") from None
    finally:
        db.close()
    return copy


def apply_step(db: sqlite_utils.Database, version: int) -> None:
    """Run schema step `version` inside the caller's transaction and record it in user_version."""
    apply_schema_step(db, version, STEPS, APPLICATION_ID)
