"""SQLite helpers that both desks' storage share: immediate transactions and stepwise schema migrations."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from selfcheck.errors import UserError

log = logging.getLogger(__name__)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE … COMMIT; rolls back on any exception. Nested sqlite-utils atomic() blocks become savepoints."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def run_migrations(db: sqlite_utils.Database, path: Path, *, start: int, current: int,
                   apply_step: Callable[[sqlite_utils.Database, int], None], backup: Callable[[Path], None],
                   noun: str, error: type[UserError]) -> None:
    """Bring a file from schema `start` to `current`: a backup copy beside it first (`<stem>.v<N>-升级前备份-<time>`),
    then each step in its own transaction, so a failed step leaves the file at the previous version and raises
    `error` naming the backup. `noun` names the file to the user (工作簿, 区县工作区)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.stem}.v{start}-升级前备份-{stamp}{path.suffix}")
    backup(copy)
    for version in range(start, current):
        try:
            with transaction(db):
                apply_step(db, version + 1)
        except sqlite3.Error as err:
            from selfcheck.workbook.errors import sqlite_reason  # the Chinese reason; SQLite's English goes to the log

            log.warning("migrating %s to version %d failed: %s", path, version + 1, err)
            raise error(f"{noun}“{path.name}”升级到格式版本 {version + 1} 时失败（{sqlite_reason(err)}），已保持原样。",
                        hint=f"升级前的备份在“{copy.name}”。") from None


def statements(script: str) -> list[str]:
    """Split a step into statements (executescript would commit the surrounding transaction)."""
    return [part.strip() for part in script.split(";\n") if part.strip()]


def apply_schema_step(db: sqlite_utils.Database, version: int, steps: Sequence[str], application_id: int) -> None:
    """Run schema step `version` (one SQL script per step) inside the caller's transaction and record it in
    user_version; the first step also stamps the application id."""
    for sql in statements(steps[version - 1]):
        db.execute(sql)
    if version == 1:
        db.execute(f"PRAGMA application_id = {application_id}")
    db.execute(f"PRAGMA user_version = {version}")
