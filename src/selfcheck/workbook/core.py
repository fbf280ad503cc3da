"""The open workbook's shared state: connection, writer lock, transactions and the parsed checklist snapshots.

The rooms (inspections, answers, photos, ledger, audit) each hold this core; none of them imports the facade in
service.py.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

import sqlite_utils

from selfcheck.checklists.models import Checklist, Item
from selfcheck.errors import WorkbookError
from selfcheck.workbook import answering, space
from selfcheck.workbook import repository as repo
from selfcheck.workbook.db import transaction
from selfcheck.workbook.errors import NotFoundError, ReadOnlyError, WorkbookCorruptError, write_failure
from selfcheck.workbook.lock import WriterLock
from selfcheck.workbook.models import ProblemSync
from selfcheck.workbook.readonly import ReadOnlySource
from selfcheck.workbook.writer import Tx, write

MAX_NOTE = 5000


class WorkbookCore:
    """Connection, lock, single-writer transactions and snapshot caches of one open workbook file."""

    def __init__(self, path: Path, db: sqlite_utils.Database, lock: WriterLock | None, actor: str,
                 version: int, reader: ReadOnlySource | None = None) -> None:
        self._path = path
        self._db: sqlite_utils.Database | None = db
        self._lock = lock
        self._reader = reader
        # Why a workbook is read-only when the user did not simply ask for it (shown in the window).
        self._read_only_reason: str | None = None
        self._actor = actor
        self._version = version
        self._snapshots: dict[int, list[Checklist]] = {}
        # Parsed checklists by snapshot text: successive inspections mostly store the same checklist versions, so
        # listing 20 inspections parses each distinct checklist once (the models are frozen, hence shareable).
        self._parsed: dict[str, Checklist] = {}
        self._items: dict[int, dict[str, tuple[Checklist, Item]]] = {}
        self._writing = threading.RLock()

    def close(self) -> None:
        """Close the connection and release the lock (idempotent)."""
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None
                if self._lock is not None:
                    self._lock.release()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def read_only(self) -> bool:
        return self._lock is None

    @property
    def read_only_reason(self) -> str | None:
        """Why the workbook is read-only when that was not just the caller's choice (read-only place, another
        writer, failed integrity check); None otherwise."""
        if self._read_only_reason is None and self._reader is not None:
            return self._reader.reason
        return self._read_only_reason

    def switch_to_read_only(self, reason: str) -> None:
        """Stop writing (e.g. after a failed integrity check): release the writer lock, refuse every later change."""
        with self._writing:
            if self._db is not None and self._lock is not None:
                self._db.execute("PRAGMA query_only = ON")
                self._lock.release()
                self._lock = None
            self._read_only_reason = reason

    @property
    def schema_version(self) -> int:
        return self._version

    @property
    def actor(self) -> str:
        """The person recorded as making changes (answered_by, created_by, the audit log)."""
        return self._actor

    def set_actor(self, name: str) -> str:
        """Record the changes from now on as made by `name` (the 填报人 or a member of the inspection team).

        Raises WorkbookError for an empty name. Returns the name as stored (spaces tidied, at most 100 characters).
        """
        name = " ".join((name or "").split())
        if not name:
            raise WorkbookError("请选择或填写作答人的姓名（用于记录谁作答、谁修改）。")
        self._actor = name[:100]
        return self._actor

    @property
    def db(self) -> sqlite_utils.Database:
        """The open connection (for this package's modules only)."""
        if self._db is None:
            raise WorkbookError("工作簿已关闭，请重新打开后再操作。")
        if self._reader is not None:
            self._db = self._reader.current()
        return self._db

    @contextmanager
    def batch(self) -> Iterator[Self]:
        """Group many changes into one transaction (bulk imports, demo data): each call inside still validates and
        audits as usual, but nothing is committed until the block ends, and an exception rolls all of it back."""
        if self.read_only:
            raise ReadOnlyError(f"工作簿“{self._path.name}”以只读方式打开，不能修改。")
        try:
            with self._writing, transaction(self.db):
                yield self
            space.after_commit(self.db, self._path)
        except sqlite3.OperationalError as err:
            self._snapshots.clear()
            self._items.clear()
            raise self._write_failure(err) from err
        except BaseException:
            # Cached snapshots may describe rows that were rolled back.
            self._snapshots.clear()
            self._items.clear()
            raise

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One committed change; writes from several threads are serialised, SQLite failures become messages."""
        if self.read_only:
            raise ReadOnlyError(f"工作簿“{self._path.name}”以只读方式打开，不能修改。")
        with self._writing:
            try:
                with write(self.db, self._actor) as tx:
                    yield tx
            except sqlite3.OperationalError as err:
                raise self._write_failure(err) from err
            space.after_commit(self.db, self._path)

    def _write_failure(self, err: sqlite3.OperationalError) -> WorkbookError:
        if "full" in str(err).lower():
            return space.disk_full_error(self._db, self._path)
        return write_failure(self._path, err)

    def inspection_row(self, inspection_id: int) -> dict:
        row = repo.inspection_row(self.db, inspection_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {inspection_id} 的自查。")
        return row

    def inspection_checklists(self, inspection_id: int) -> list[Checklist]:
        """The checklist SNAPSHOT stored with the inspection (not the current files), in the inspection's order."""
        cached = self._snapshots.get(inspection_id)
        if cached is not None:
            return list(cached)
        row = self.inspection_row(inspection_id)
        contents = repo.snapshot_contents(self.db, inspection_id)
        result = []
        for cid in json.loads(row["checklist_ids"]):
            if cid not in contents:
                raise WorkbookCorruptError(f"自查 #{inspection_id} 缺少清单 {cid} 的内容快照，工作簿可能已损坏。",
                                           hint="请从备份恢复（“文件 → 从备份恢复”），或把此文件交给技术人员检查。")
            text = contents[cid]
            parsed = self._parsed.get(text)
            if parsed is None:
                parsed = self._parsed[text] = Checklist.model_validate_json(text)
            result.append(parsed)
        self._snapshots[inspection_id] = result
        return list(result)

    def forget(self, inspection_id: int) -> None:
        self._snapshots.pop(inspection_id, None)
        self._items.pop(inspection_id, None)

    def item_index(self, inspection_id: int) -> dict[str, tuple[Checklist, Item]]:
        index = self._items.get(inspection_id)
        if index is None:
            index = {item.id: (c, item) for c in self.inspection_checklists(inspection_id) for item in c.all_items()}
            self._items[inspection_id] = index
        return index

    def item(self, inspection_id: int, item_id: str) -> tuple[Checklist, Item]:
        found = self.item_index(inspection_id).get(item_id)
        if found is None:
            raise NotFoundError(f"自查 #{inspection_id} 中没有检查项“{item_id}”。")
        return found

    def not_applicable(self, inspection_id: int) -> dict[str, str]:
        return json.loads(self.inspection_row(inspection_id)["not_applicable"])

    def sync_result(self, outcome: answering.Resync, message: str) -> ProblemSync:
        db = self.db
        return ProblemSync(removed=repo.to_problems(db, outcome.removed), kept=repo.to_problems(db, outcome.kept),
                           recreated=repo.to_problems(db, outcome.recreated), message=message)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_db", None) is not None:
            try:
                self.close()
            except Exception:  # interpreter shutdown: nothing sensible left to do
                pass
