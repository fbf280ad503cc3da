"""The Workbook service: the only way the GUI and the CLI read and change a workbook file."""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from selfcheck import __version__
from selfcheck.errors import WorkbookError
from selfcheck.oserrors import os_reason
from selfcheck.workbook import audit, backup, leftovers, space
from selfcheck.workbook import repository as repo
from selfcheck.workbook.db import check_sqlite_file, connect
from selfcheck.workbook.errors import (
    ReadOnlyLocationError,
    WorkbookLockedError,
    corrupt_error,
    sqlite_reason,
)
from selfcheck.workbook.lock import WriterLock
from selfcheck.workbook.migrations import check_identity, migrate, quick_integrity
from selfcheck.workbook.models import (
    SchoolProfile,
    WorkbookInfo,
)
from selfcheck.workbook.answers import Answers
from selfcheck.workbook.audit_log import AuditLog
from selfcheck.workbook.core import WorkbookCore
from selfcheck.workbook.inspections import Inspections
from selfcheck.workbook.photos import Photos
from selfcheck.workbook.problems import Ledger
from selfcheck.workbook.readonly import ReadOnlySource, read_only_location_reason, writable_location
from selfcheck.workbook.schema import CURRENT_VERSION

if TYPE_CHECKING:
    pass

MAX_ACTOR = 100


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise WorkbookError("请先填写使用者姓名（用于记录谁作答、谁修改）。")
    return actor[:MAX_ACTOR]


class Workbook(WorkbookCore):
    """One open workbook file. Use as a context manager; every mutating method has committed when it returns.

    The workbook keeps opening, closing, transactions and the school profile, and hands out one room per concern:
    `wb.inspections`, `wb.answers`, `wb.photos`, `wb.ledger` and `wb.audit`.

    Errors meant for the user are WorkbookError / EvidenceError (Chinese messages); see selfcheck.workbook.errors
    for the subclasses (WorkbookLockedError, DuplicatePhotoError, ...).
    """

    def __init__(self, path: Path, db: sqlite_utils.Database, lock: WriterLock | None, actor: str,
                 version: int, reader: ReadOnlySource | None = None) -> None:
        super().__init__(path, db, lock, actor, version, reader)
        self.photos = Photos(self)
        self.ledger = Ledger(self)
        self.answers = Answers(self)
        self.inspections = Inspections(self, self.ledger, self.photos)
        self.audit = AuditLog(self)

    @classmethod
    def create(cls, path: str | Path, *, actor: str) -> Workbook:
        """Create a new, empty workbook at `path` (which must not exist) and open it for writing.

        The file is built under a temporary name and renamed into place, so a crash never leaves half a workbook.
        """
        path = Path(path)
        actor = _actor(actor)
        if path.exists():
            raise WorkbookError(f"“{path}”已存在，不能在此新建工作簿。请换一个文件名，或直接打开这个工作簿。")
        if not path.parent.is_dir():
            raise WorkbookError(f"文件夹“{path.parent}”不存在。")
        temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.creating")
        # Held while building, so a sweep in another process never takes this temporary file for a leftover.
        lock = WriterLock(path)
        lock.acquire()
        try:
            leftovers.sweep(path.parent, holding=path)
            backup.build_new(temp, actor=actor, app_version=__version__)
            backup.fsync_file(temp)
            if path.exists():
                raise WorkbookError(f"“{path}”已存在，不能在此新建工作簿。请换一个文件名，或直接打开这个工作簿。")
            os.replace(temp, path)
            backup.fsync_dir(path.parent)
        except OSError as err:
            raise WorkbookError(f"无法创建工作簿“{path}”：{os_reason(err)}。") from None
        except sqlite3.Error as err:
            raise WorkbookError(f"无法创建工作簿“{path}”：{sqlite_reason(err)}。") from None
        finally:
            backup.remove_quietly(temp)
            lock.release()
        return cls.open(path, actor=actor)

    @classmethod
    def open(cls, path: str | Path, *, actor: str, read_only: bool = False) -> Workbook:
        """Open an existing workbook.

        Writers take the single-writer lock: if another SelfCheck holds it, WorkbookLockedError is raised (the caller
        may offer read_only=True). Checks integrity (no writes if it fails), refuses a newer schema, and migrates an
        older one after copying it to `<name>.v<N>-升级前备份-<time><suffix>` beside it. Read-only opens never write.
        """
        path = Path(path)
        actor = actor.strip()[:MAX_ACTOR] if read_only else _actor(actor)
        check_sqlite_file(path)
        lock = None if read_only else WriterLock(path)
        if lock is not None:
            lock.acquire()
            if not writable_location(path):
                lock.release()
                raise ReadOnlyLocationError(
                    read_only_location_reason(path),
                    hint="可以只读方式打开查看；要修改，请把工作簿复制到可写的文件夹（例如“文档”）后再打开。")
            leftovers.sweep(path.parent, holding=path)
        db = None
        reader = None
        try:
            if read_only:
                reader = ReadOnlySource(path)
                db = reader.db
            else:
                db = connect(path, read_only=False)
            version = check_identity(db, path)
            quick_integrity(db, path)
            if version < CURRENT_VERSION:
                if read_only:
                    raise WorkbookError(
                        f"工作簿“{path.name}”是旧版本格式，需要先升级才能打开；请以可写方式打开（升级前会自动备份）。"
                    )
                migrate(db, path, backup=lambda dest: backup.copy_database(db, dest))  # type: ignore[arg-type]
                version = CURRENT_VERSION
            if not read_only:
                space.configure_writer(db)
        except sqlite3.DatabaseError as err:
            if db is not None:
                db.close()
            if lock is not None:
                lock.release()
            if "locked" in str(err) or "busy" in str(err):
                raise WorkbookLockedError(f"工作簿“{path.name}”正被其他程序占用，请稍后再试。") from None
            if isinstance(err, sqlite3.OperationalError) and "full" in str(err).lower():
                raise space.disk_full_error(None, path, opening=True) from None
            raise corrupt_error(path, str(err)) from None
        except BaseException:
            if db is not None:
                db.close()
            if lock is not None:
                lock.release()
            raise
        return cls(path, db, lock, actor, version, reader)

    @classmethod
    def restore(cls, backup_path: str | Path, path: str | Path) -> None:
        """Replace (or create) the workbook at `path` with a validated copy of `backup_path`.

        The backup is checked (SQLite, integrity, schema, audit chain) first; the copy is written to a temporary file,
        fsynced and atomically moved into place, so `path` is never half-written. A workbook that is replaced is
        kept beside it as `<name>.恢复前-<time><suffix>`. Refused if `path` is open in another SelfCheck.
        """
        backup.restore(Path(backup_path), Path(path))

    def info(self) -> WorkbookInfo:
        """Counts and identity of the workbook (cheap: no photo bytes are read)."""
        db = self.db
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        seq, head = audit.head(db)
        count = lambda sql: int(repo.scalar(db, sql) or 0)  # noqa: E731
        try:
            size = self._path.stat().st_size
        except OSError:
            size = 0
        return WorkbookInfo(
            path=str(self._path), schema_version=self._version, workbook_id=meta.get("workbook_id", ""),
            created_at=datetime.fromisoformat(meta["created_at"]) if "created_at" in meta else datetime.now(),
            read_only=self.read_only, school=self.get_school(),
            inspections=count("SELECT COUNT(*) FROM inspections"),
            answers=count("SELECT COUNT(*) FROM answers WHERE value IS NOT NULL"),
            photos=count("SELECT COUNT(*) FROM photos WHERE removed_at IS NULL"),
            removed_photos=count("SELECT COUNT(*) FROM photos WHERE removed_at IS NOT NULL"),
            problems=count("SELECT COUNT(*) FROM problems"),
            open_problems=count("SELECT COUNT(*) FROM problems WHERE status != '已销号'"),
            audit_entries=seq, audit_head=head, file_size=size,
        )

    def get_school(self) -> SchoolProfile | None:
        """The school profile, or None before the first-run form was filled in."""
        return repo.school(self.db)

    def save_school(self, profile: SchoolProfile) -> SchoolProfile:
        """Create or replace the school profile."""
        with self.write() as tx:
            before = tx.state("school")
            tx.db.table("school").upsert({"id": 1, **profile.model_dump(), "updated_at": tx.now}, pk="id")
            tx.log("school.save", "school", before)
        return self.get_school()  # type: ignore[return-value]

    def backup(self, dest: str | Path, *, overwrite: bool = False) -> Path:
        """Write a consistent copy to `dest` (a file, or a folder to put a dated file in) with SQLite's online
        backup API, verify it and return its path. Never overwrites this workbook itself; an existing file only
        with overwrite=True."""
        return backup.backup_workbook(self.db, self._path, Path(dest), overwrite=overwrite)
