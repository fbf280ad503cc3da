"""The narrow repository every room uses: the open database, its path, read-only flag and write transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from selfcheck.district.db import transaction, write_failure
from selfcheck.district.errors import ReadOnlyError


class Store:
    """Shared by the rooms of one workspace; nothing outside the district package runs SQL."""

    def __init__(self, db: sqlite_utils.Database, path: Path, *, read_only: bool) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only

    @property
    def reports_dir(self) -> Path:
        """The folder beside the workspace that holds the district's own copy of every accepted report."""
        return self.path.with_name(f"{self.path.stem}.报告")

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One committed transaction; a read-only workspace refuses, a failed save says so in Chinese."""
        if self.read_only:
            raise ReadOnlyError(f"区县工作区“{self.path.name}”是以只读方式打开的，不能修改。")
        try:
            with transaction(self.db) as db:
                yield db
        except sqlite3.OperationalError as err:
            raise write_failure(self.path, err) from None

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def row(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       (key, value))


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
