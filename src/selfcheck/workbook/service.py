"""The Workbook service: the only way the GUI and the CLI read and change a workbook file."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import sqlite_utils

from selfcheck import __version__
from selfcheck.checklists.answers import Compliance, compliance_of, normalize_answer
from selfcheck.checklists.models import Checklist, Item
from selfcheck.checklists.scoring import is_visible
from selfcheck.errors import WorkbookError
from selfcheck.workbook import answering, audit, backup, leftovers, ledger, space
from selfcheck.workbook import progress as progress_mod
from selfcheck.workbook import repository as repo
from selfcheck.workbook.answering import sync_problem
from selfcheck.workbook.db import check_sqlite_file, connect, transaction
from selfcheck.workbook.errors import (
    NotFoundError,
    ReadOnlyError,
    ReadOnlyLocationError,
    WorkbookCorruptError,
    WorkbookLockedError,
    corrupt_error,
    write_failure,
)
from selfcheck.workbook.lock import WriterLock
from selfcheck.workbook.migrations import check_identity, full_integrity, migrate, quick_integrity
from selfcheck.workbook.models import (
    UNCHANGED,
    Answer,
    AnswerChange,
    AuditEntry,
    AuditReport,
    Blocker,
    FollowUp,
    FollowUpResult,
    Inspection,
    InspectionChange,
    InspectionProgress,
    InspectionSummary,
    InspectionUpdate,
    NewInspection,
    NewProblem,
    Photo,
    PhotoKind,
    Problem,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    ProblemSync,
    ProblemUpdate,
    SchoolProfile,
    StepData,
    Unchanged,
    WorkbookInfo,
)
from selfcheck.workbook.photostore import PhotoStore
from selfcheck.workbook.readonly import ReadOnlySource, read_only_location_reason, writable_location
from selfcheck.workbook.schema import CURRENT_VERSION
from selfcheck.workbook.states import target_of
from selfcheck.workbook.writer import Tx, write

if TYPE_CHECKING:
    from selfcheck.evidence.models import NormalizedPhoto

MAX_NOTE = 5000
MAX_ACTOR = 100


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise WorkbookError("请先填写使用者姓名（用于记录谁作答、谁修改）。")
    return actor[:MAX_ACTOR]


def snapshot_json(checklist: Checklist) -> str:
    """The stored form of a checklist snapshot (parses back to an equal Checklist)."""
    return checklist.model_dump_json(by_alias=True, exclude_none=False)


class Workbook:
    """One open workbook file. Use as a context manager; every mutating method has committed when it returns.

    Errors meant for the user are WorkbookError / EvidenceError (Chinese messages); see selfcheck.workbook.errors
    for the subclasses (WorkbookLockedError, DuplicatePhotoError, ...).
    """

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
        self._photos = PhotoStore(self)
        self._writing = threading.RLock()

    # --- opening and closing -------------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, actor: str) -> Workbook:
        """Create a new, empty workbook at `path` (which must not exist) and open it for writing.

        The file is built under a temporary name and renamed into place, so a crash never leaves half a workbook.
        """
        path = Path(path)
        actor = _actor(actor)
        if path.exists():
            raise WorkbookError(f"“{path}”已存在，不能在此新建工作簿。")
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
                raise WorkbookError(f"“{path}”已存在，不能在此新建工作簿。")
            os.replace(temp, path)
            backup.fsync_dir(path.parent)
        except OSError as err:
            raise WorkbookError(f"无法创建工作簿“{path}”：{err.strerror or err}。") from None
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
                raise space.disk_full_error(None, path) from None
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

    def close(self) -> None:
        """Close the connection and release the lock (idempotent)."""
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None
                if self._lock is not None:
                    self._lock.release()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_db", None) is not None:
            try:
                self.close()
            except Exception:  # interpreter shutdown: nothing sensible left to do
                pass

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
        return self._actor

    @property
    def db(self) -> sqlite_utils.Database:
        """The open connection (for this package's modules only)."""
        if self._db is None:
            raise WorkbookError("工作簿已关闭。")
        if self._reader is not None:
            self._db = self._reader.current()
        return self._db

    @contextmanager
    def batch(self) -> Iterator[Workbook]:
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
    def _write(self) -> Iterator[Tx]:
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

    # --- school ----------------------------------------------------------------------------------------------------

    def get_school(self) -> SchoolProfile | None:
        """The school profile, or None before the first-run form was filled in."""
        return repo.school(self.db)

    def save_school(self, profile: SchoolProfile) -> SchoolProfile:
        """Create or replace the school profile."""
        with self._write() as tx:
            before = tx.state("school")
            tx.db.table("school").upsert({"id": 1, **profile.model_dump(), "updated_at": tx.now}, pk="id")
            tx.log("school.save", "school", before)
        return self.get_school()  # type: ignore[return-value]

    # --- inspections -------------------------------------------------------------------------------------------------

    def latest_inspection_id(self) -> int | None:
        """The inspection list_inspections() puts first (newest period, not archived); None when there is none."""
        row = repo.one(self.db, "SELECT id FROM inspections WHERE NOT archived ORDER BY period_start DESC, id DESC"
                                " LIMIT 1", ())
        return None if row is None else int(row["id"])

    def list_inspections(self, include_archived: bool = False) -> list[InspectionSummary]:
        """Inspections, newest period first, with progress and problem counts."""
        db = self.db
        by_status = repo.problem_counts(db)
        overdue = repo.overdue_counts(db, date.today())
        photos = {r[0]: r[1] for r in db.execute(
            "SELECT inspection_id, COUNT(*) FROM photos WHERE removed_at IS NULL GROUP BY inspection_id").fetchall()}
        result = []
        for row in repo.inspection_rows(db):
            if row["archived"] and not include_archived:
                continue
            iid = row["id"]
            values = {k: a.value for k, a in repo.answers(db, iid).items()}
            done, total, bad = progress_mod.counts(self.inspection_checklists(iid), json.loads(row["not_applicable"]),
                                                   values)
            statuses = by_status.get(iid, {})
            result.append(InspectionSummary(
                id=iid, title=row["title"], period_start=date.fromisoformat(row["period_start"]),
                period_end=date.fromisoformat(row["period_end"]), archived=bool(row["archived"]), answered=done,
                total=total, noncompliant=bad,
                open_problems=sum(n for s, n in statuses.items() if s != ProblemStatus.CLOSED.value),
                overdue_problems=overdue.get(iid, 0), photos=photos.get(iid, 0),
                updated_at=datetime.fromisoformat(row["updated_at"]),
            ))
        return result

    def create_inspection(self, new: NewInspection, *, available: Sequence[Checklist] | None = None) -> Inspection:
        """Start an inspection, storing a snapshot of the chosen checklists.

        `available` are the checklists to choose from (default: the built-in set). With `carry_over_from`, every
        problem of that inspection not yet 已销号 is copied in (source 回头看, linked to its origin).
        Raises WorkbookError for unknown checklist ids or an unknown carry-over inspection.
        """
        chosen = self._choose(new.checklist_ids, available)
        if new.carry_over_from is not None:
            self._inspection_row(new.carry_over_from)
        with self._write() as tx:
            iid = tx.insert("inspections", {
                "title": new.title, "period_start": new.period_start.isoformat(),
                "period_end": new.period_end.isoformat(), "team": json.dumps(new.team, ensure_ascii=False),
                "checklist_ids": json.dumps(new.checklist_ids), "carried_over_from": new.carry_over_from,
                "not_applicable": json.dumps(new.not_applicable, ensure_ascii=False, sort_keys=True),
                "archived": 0, "created_at": tx.now, "created_by": tx.actor, "updated_at": tx.now,
            })
            for checklist in chosen:
                self._store_snapshot(tx, iid, checklist)
            tx.log("inspection.create", target_of("inspection", iid), None)
            if new.carry_over_from is not None:
                self._carry_over(tx, new.carry_over_from, iid)
        return self.get_inspection(iid)

    def _choose(self, ids: Sequence[str], available: Sequence[Checklist] | None) -> list[Checklist]:
        if available is None:
            from selfcheck.checklists.loader import load_builtin_checklists

            available = load_builtin_checklists()
        by_id = {c.id: c for c in available}
        unknown = [cid for cid in ids if cid not in by_id]
        if unknown:
            raise NotFoundError(f"找不到检查清单：{'、'.join(unknown)}。")
        return [by_id[cid] for cid in ids]

    def _store_snapshot(self, tx: Tx, iid: int, checklist: Checklist) -> None:
        content = snapshot_json(checklist)
        tx.insert("checklist_snapshots", {
            "inspection_id": iid, "checklist_id": checklist.id, "version": checklist.version, "content": content,
            "sha256": hashlib.sha256(content.encode("utf-8")).hexdigest(),
        })

    def _carry_over(self, tx: Tx, origin: int, iid: int) -> None:
        copied = ("item_id", "checklist_id", "severity", "description", "measures", "rect_type", "leader",
                  "department", "person", "deadline", "progress", "done_description", "completed_on", "verified_by",
                  "verified_on", "verification_note", "closed_by", "closed_on", "status", "reopen_reason")
        for row in repo.rows(tx.db, "SELECT * FROM problems WHERE inspection_id = ? AND status != '已销号' ORDER BY id",
                             (origin,)):
            pid = tx.insert("problems", {
                **{k: row[k] for k in copied}, "inspection_id": iid, "source": ProblemSource.FOLLOW_UP.value,
                "origin_problem_id": row["id"], "description_auto": 0, "created_at": tx.now,
                "created_by": tx.actor, "updated_at": tx.now,
            })
            tx.log("problem.carry_over", target_of("problem", pid), None)

    def _inspection_row(self, inspection_id: int) -> dict:
        row = repo.inspection_row(self.db, inspection_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {inspection_id} 的自查。")
        return row

    def get_inspection(self, inspection_id: int) -> Inspection:
        """One inspection; WorkbookError if there is no such inspection."""
        row = self._inspection_row(inspection_id)
        return repo.to_inspection(row, repo.snapshot_versions(self.db, inspection_id))

    def update_inspection(
        self, inspection_id: int, update: InspectionUpdate, *, available: Sequence[Checklist] | None = None
    ) -> InspectionChange:
        """Apply the fields set in `update`. Adding a checklist snapshots it from `available` (default built-in);
        removing one that already has answers, photos or problems is refused.

        Marking a checklist 不适用 treats each of its items' 自查 problems as if the item were answered compliant
        again: an untouched one is removed, a worked-on one kept; un-marking it re-creates the problem of every
        stored non-compliant answer (answers are kept either way). All in the same transaction; the result lists
        the problems removed, kept and re-created with a sentence for the user.
        """
        current, ids, na, values, new_lists, removed = self._inspection_changes(inspection_id, update, available)
        # Checklists added by this update have no answers yet; removing one that has any was refused above.
        lists = [c for c in self.inspection_checklists(inspection_id) if c.id in ids]
        with self._write() as tx:
            target = target_of("inspection", inspection_id)
            before = tx.state(target)
            for cid in removed:
                tx.db.execute("DELETE FROM checklist_snapshots WHERE inspection_id = ? AND checklist_id = ?",
                              (inspection_id, cid))
            for checklist in new_lists:
                self._store_snapshot(tx, inspection_id, checklist)
            tx.update("inspections", inspection_id, {**values, "updated_at": tx.now})
            tx.log("inspection.update", target, before)
            flips = self._not_applicable_flips(tx.db, inspection_id, lists, current, na)
            outcome = answering.resync(tx, inspection_id, flips)
        self._forget(inspection_id)
        return InspectionChange(inspection=self.get_inspection(inspection_id),
                                problems=self._problem_sync(outcome, current, na))

    def preview_inspection_update(self, inspection_id: int, update: InspectionUpdate, *,
                                  available: Sequence[Checklist] | None = None) -> ProblemSync:
        """What update_inspection would do to the items' problems (removed and kept; re-created ones have no id
        yet and are not listed), without writing. Same checks and errors as update_inspection."""
        current, ids, na, _values, _new, _removed = self._inspection_changes(inspection_id, update, available)
        lists = [c for c in self.inspection_checklists(inspection_id) if c.id in ids]
        flips = self._not_applicable_flips(self.db, inspection_id, lists, current, na)
        return self._problem_sync(answering.plan(self.db, inspection_id, flips), current, na, planned=True)

    @staticmethod
    def _not_applicable_flips(db: sqlite_utils.Database, inspection_id: int, lists: Sequence[Checklist],
                              current: Inspection, na: dict[str, str]) -> list[answering.Flip]:
        if set(na) == set(current.not_applicable):
            return []
        values = {k: a.value for k, a in repo.answers(db, inspection_id).items()}
        return answering.flips(lists, values, current.not_applicable, na)

    def _problem_sync(self, outcome: answering.Resync, current: Inspection, na: dict[str, str], *,
                      planned: bool = False) -> ProblemSync:
        titles = {c.id: c.title for c in self.inspection_checklists(current.id)}

        def named(cids: set[str]) -> str:
            return "".join(f"“{titles.get(cid, cid)}”" for cid in current.checklist_ids if cid in cids)

        marked, unmarked = set(na) - set(current.not_applicable), set(current.not_applicable) - set(na)
        message = outcome.message(hidden=f"清单{named(marked)}标为不适用", shown=f"清单{named(unmarked)}取消不适用",
                                  planned=planned)
        return self._sync_result(outcome, message)

    def _sync_result(self, outcome: answering.Resync, message: str) -> ProblemSync:
        db = self.db
        return ProblemSync(removed=repo.to_problems(db, outcome.removed), kept=repo.to_problems(db, outcome.kept),
                           recreated=repo.to_problems(db, outcome.recreated), message=message)

    def _inspection_changes(self, inspection_id: int, update: InspectionUpdate,
                            available: Sequence[Checklist] | None
                            ) -> tuple[Inspection, list[str], dict[str, str], dict[str, object], list[Checklist],
                                       list[str]]:
        """Validate `update` against the stored inspection: (current, new ids, new 不适用, column values, checklists
        to snapshot, checklist ids to drop)."""
        current = self.get_inspection(inspection_id)
        fields = update.model_fields_set
        start = update.period_start if "period_start" in fields and update.period_start else current.period_start
        end = update.period_end if "period_end" in fields and update.period_end else current.period_end
        if end < start:
            raise WorkbookError("自查时段的结束日期不能早于开始日期。")
        ids = update.checklist_ids if "checklist_ids" in fields and update.checklist_ids is not None \
            else current.checklist_ids
        if not ids:
            raise WorkbookError("一次自查至少要选择一份检查清单。")
        if len(set(ids)) != len(ids):
            raise WorkbookError("检查清单不能重复选择。")
        added = [cid for cid in ids if cid not in current.checklist_ids]
        removed = [cid for cid in current.checklist_ids if cid not in ids]
        new_lists = self._choose(added, available) if added else []
        self._check_removable(inspection_id, removed)
        na = update.not_applicable if "not_applicable" in fields and update.not_applicable is not None \
            else {k: v for k, v in current.not_applicable.items() if k in ids}
        stray = sorted(set(na) - set(ids))
        if stray:
            raise WorkbookError(f"标为不适用的清单不在本次自查中：{'、'.join(stray)}。")
        values: dict[str, object] = {
            "period_start": start.isoformat(), "period_end": end.isoformat(), "checklist_ids": json.dumps(ids),
            "not_applicable": json.dumps(na, ensure_ascii=False, sort_keys=True),
        }
        if "title" in fields and update.title:
            values["title"] = update.title
        if "team" in fields and update.team is not None:
            values["team"] = json.dumps(update.team, ensure_ascii=False)
        return current, list(ids), na, values, new_lists, removed

    def _check_removable(self, inspection_id: int, removed: Sequence[str]) -> None:
        if not removed:
            return
        items = self._item_index(inspection_id)
        for cid in removed:
            ids = [iid for iid, (c, _) in items.items() if c.id == cid]
            marks = ",".join("?" * len(ids)) or "''"
            used = sum(int(repo.scalar(self.db, f"SELECT COUNT(*) FROM {table} WHERE inspection_id = ?"
                                                f" AND item_id IN ({marks})", [inspection_id, *ids]) or 0)
                       for table in ("answers", "photos", "problems"))
            if used:
                raise WorkbookError(f"清单 {cid} 已有答案、照片或问题，不能从本次自查中移除；如不适用，请标为“不适用”。")

    def set_archived(self, inspection_id: int, archived: bool) -> Inspection:
        """Archive (hide from the default list) or unarchive an inspection; nothing is deleted."""
        self._inspection_row(inspection_id)
        with self._write() as tx:
            target = target_of("inspection", inspection_id)
            before = tx.state(target)
            tx.update("inspections", inspection_id, {"archived": int(archived), "updated_at": tx.now})
            tx.log("inspection.archive" if archived else "inspection.unarchive", target, before)
        return self.get_inspection(inspection_id)

    def inspection_checklists(self, inspection_id: int) -> list[Checklist]:
        """The checklist SNAPSHOT stored with the inspection (not the current files), in the inspection's order."""
        cached = self._snapshots.get(inspection_id)
        if cached is not None:
            return list(cached)
        row = self._inspection_row(inspection_id)
        contents = repo.snapshot_contents(self.db, inspection_id)
        result = []
        for cid in json.loads(row["checklist_ids"]):
            if cid not in contents:
                raise WorkbookCorruptError(f"自查 #{inspection_id} 缺少清单 {cid} 的内容快照，工作簿可能已损坏。")
            text = contents[cid]
            parsed = self._parsed.get(text)
            if parsed is None:
                parsed = self._parsed[text] = Checklist.model_validate_json(text)
            result.append(parsed)
        self._snapshots[inspection_id] = result
        return list(result)

    def _forget(self, inspection_id: int) -> None:
        self._snapshots.pop(inspection_id, None)
        self._items.pop(inspection_id, None)

    def _item_index(self, inspection_id: int) -> dict[str, tuple[Checklist, Item]]:
        index = self._items.get(inspection_id)
        if index is None:
            index = {item.id: (c, item) for c in self.inspection_checklists(inspection_id) for item in c.all_items()}
            self._items[inspection_id] = index
        return index

    def _item(self, inspection_id: int, item_id: str) -> tuple[Checklist, Item]:
        found = self._item_index(inspection_id).get(item_id)
        if found is None:
            raise NotFoundError(f"自查 #{inspection_id} 中没有检查项“{item_id}”。")
        return found

    def _not_applicable(self, inspection_id: int) -> dict[str, str]:
        return json.loads(self._inspection_row(inspection_id)["not_applicable"])

    # --- answers -----------------------------------------------------------------------------------------------------

    def answers(self, inspection_id: int) -> dict[str, Answer]:
        """Stored answers by item id (including note-only entries whose value is None)."""
        self._inspection_row(inspection_id)
        return repo.answers(self.db, inspection_id)

    def set_answer(
        self, inspection_id: int, item_id: str, value: str, *, note: str | Unchanged = UNCHANGED
    ) -> AnswerChange:
        """Store an answer (normalised: 是/否/不适用, option labels, numbers, dates, text).

        Non-compliant → a problem is created (source 自查, description from question and note) or kept.
        Compliant again → a problem still 待整改 with nothing filled in is removed; otherwise it is kept and the
        result says so. An item hidden by its show_if counts as 不适用, so its answer raises no problem; items this
        answer hides or shows again have their problems synced the same way (result.dependents). Raises
        InvalidAnswerError (a UserError) for a value that does not fit the item, WorkbookError for an unknown item
        or a checklist marked 不适用.
        """
        checklist, item = self._answerable(inspection_id, item_id)
        normalized = normalize_answer(item, value)
        return self._store_answer(inspection_id, checklist, item, normalized, note, "answer.set")

    def set_note(self, inspection_id: int, item_id: str, note: str) -> AnswerChange:
        """Change only the note of an item (an unanswered item may carry a note)."""
        checklist, item = self._answerable(inspection_id, item_id)
        row = repo.answer_row(self.db, inspection_id, item_id)
        return self._store_answer(inspection_id, checklist, item, row["value"] if row else None, note, "answer.note")

    def clear_answer(self, inspection_id: int, item_id: str) -> AnswerChange:
        """Remove an item's answer and note; the problem follows the same rule as answering compliant, and so do
        the problems of items the cleared answer hides (result.dependents)."""
        checklist, item = self._answerable(inspection_id, item_id)
        return self._store_answer(inspection_id, checklist, item, None, "", "answer.clear")

    def _answerable(self, inspection_id: int, item_id: str) -> tuple[Checklist, Item]:
        checklist, item = self._item(inspection_id, item_id)
        if checklist.id in self._not_applicable(inspection_id):
            raise WorkbookError(f"清单“{checklist.title}”在本次自查中已标为不适用，不能作答；如需作答，请先取消“不适用”。")
        return checklist, item

    def _store_answer(self, inspection_id: int, checklist: Checklist, item: Item, value: str | None,
                      note: str | Unchanged, action: str) -> AnswerChange:
        if not isinstance(note, Unchanged):
            note = (note or "").strip()
            if len(note) > MAX_NOTE:
                raise WorkbookError(f"备注过长（最多 {MAX_NOTE} 字）。")
        with self._write() as tx:
            row = repo.answer_row(tx.db, inspection_id, item.id)
            new_note = (row["note"] if row else "") if isinstance(note, Unchanged) else note
            target = target_of("answer", inspection_id, item.id)
            before = tx.state(target)
            if value is None and not new_note:
                if row is not None:
                    tx.db.execute("DELETE FROM answers WHERE inspection_id = ? AND item_id = ?",
                                  (inspection_id, item.id))
            elif row is None or row["value"] != value or row["note"] != new_note:
                tx.db.execute(
                    "INSERT INTO answers (inspection_id, item_id, value, note, answered_by, answered_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (inspection_id, item_id) DO UPDATE SET"
                    " value = excluded.value, note = excluded.note, answered_by = excluded.answered_by,"
                    " answered_at = excluded.answered_at",
                    (inspection_id, item.id, value, new_note, tx.actor, tx.now))
            changed = tx.log(action, target, before)
            # The problem follows the effective answer: none while show_if hides the item (it counts as 不适用).
            hidden = item.show_if is not None and not is_visible(
                item, {item.show_if.item: answering.stored_answer(tx.db, inspection_id, item.show_if.item)[0]})
            action_taken, pid, message, removed = sync_problem(tx, inspection_id, checklist, item,
                                                               None if hidden else value, new_note)
            flips = answering.dependent_flips(checklist, item, row["value"] if row else None, value)
            dependents = answering.resync(tx, inspection_id, flips) if flips else answering.Resync()
            if changed or tx.logged:
                tx.touch_inspection(inspection_id)
            stored = repo.answer_row(tx.db, inspection_id, item.id)
            problem_row = repo.problem_row(tx.db, pid) if pid is not None else None
        shown = problem_row if problem_row is not None else removed
        problem = repo.to_problems(self.db, [shown])[0] if shown is not None else None
        if action_taken is ProblemAction.NONE and pid is None:
            message = "已保存。" if changed else "答案未变化。"
            if hidden and changed and compliance_of(item, value) is Compliance.NONCOMPLIANT:
                message = "已保存。该项当前不显示（按不适用计），不列入问题清单。"
        hidden_ids = "、".join(r["item_id"] for r in [*dependents.removed, *dependents.kept])
        shown_ids = "、".join(r["item_id"] for r in dependents.recreated)
        return AnswerChange(
            inspection_id=inspection_id, item_id=item.id, answer=repo.to_answer(stored) if stored else None,
            compliance=compliance_of(item, stored["value"] if stored else None), problem=problem,
            problem_action=action_taken, message=message,
            dependents=self._sync_result(dependents, dependents.message(
                hidden=f"检查项 {hidden_ids} 随之隐藏（按不适用计）", shown=f"检查项 {shown_ids} 重新显示")),
        )

    # --- photos ------------------------------------------------------------------------------------------------------

    def add_photo(
        self,
        inspection_id: int,
        item_id: str | None,
        path: str | Path,
        *,
        caption: str = "",
        problem_id: int | None = None,
        kind: PhotoKind | str = PhotoKind.EVIDENCE,
    ) -> Photo:
        """Import a photo file (normalised by selfcheck.evidence.photos). Evidence photos belong to an item;
        after-photos (kind "after") to a problem (item_id may then be None: the problem's item is used).

        Raises EvidenceError for rejected files (workbook unchanged), DuplicatePhotoError when the same file
        (original SHA-256) is already on this item/problem.
        """
        from selfcheck.evidence.photos import normalize_photo

        return self._photos.add(inspection_id, item_id, lambda: normalize_photo(Path(path)), caption=caption,
                                problem_id=problem_id, kind=kind)

    def add_photo_bytes(
        self,
        inspection_id: int,
        item_id: str | None,
        data: bytes,
        name: str,
        *,
        caption: str = "",
        problem_id: int | None = None,
        kind: PhotoKind | str = PhotoKind.EVIDENCE,
    ) -> Photo:
        """Like add_photo for bytes (clipboard paste); `name` is recorded as the original name."""
        from selfcheck.evidence.photos import normalize_photo_bytes

        return self._photos.add(inspection_id, item_id, lambda: normalize_photo_bytes(data, name), caption=caption,
                                problem_id=problem_id, kind=kind)

    def add_normalized_photo(
        self,
        inspection_id: int,
        item_id: str | None,
        photo: NormalizedPhoto,
        *,
        caption: str = "",
        problem_id: int | None = None,
        kind: PhotoKind | str = PhotoKind.EVIDENCE,
    ) -> Photo:
        """Store a photo the caller normalised with selfcheck.evidence.photos (normalize_photo/_bytes).

        The slow decode and re-encode then happens wherever the caller chose (the app does it on a worker
        thread without holding the workbook), and only the short insert runs here. Same rules and errors as
        add_photo.
        """
        return self._photos.add(inspection_id, item_id, lambda: photo, caption=caption, problem_id=problem_id,
                                kind=kind)

    def photos(
        self,
        inspection_id: int,
        item_id: str | None = None,
        *,
        problem_id: int | None = None,
        kind: PhotoKind | str | None = None,
        include_removed: bool = False,
    ) -> list[Photo]:
        """Photo metadata (no bytes), in the order added."""
        return self._photos.list(inspection_id, item_id, problem_id=problem_id, kind=kind,
                                 include_removed=include_removed)

    def photo_counts(self, inspection_id: int) -> dict[str, int]:
        """Evidence photos per item id (removed photos excluded); one indexed query."""
        return self._photos.counts(inspection_id)

    def get_photo(self, photo_id: int) -> Photo:
        """Metadata of one photo; WorkbookError if unknown."""
        return self._photos.get(photo_id)

    def photo_image(self, photo_id: int) -> bytes:
        """The stored normalised JPEG."""
        return self._photos.blob("photo_images", photo_id)

    def photo_thumbnail(self, photo_id: int) -> bytes:
        """The stored JPEG thumbnail (≤ 320 px)."""
        return self._photos.blob("photo_thumbs", photo_id)

    def set_photo_caption(self, photo_id: int, caption: str) -> Photo:
        """Change a photo's caption."""
        return self._photos.set_caption(photo_id, caption)

    def remove_photo(self, photo_id: int) -> Photo:
        """Mark a photo removed (kept in the file; restore_photo undoes it)."""
        return self._photos.set_removed(photo_id, True)

    def restore_photo(self, photo_id: int) -> Photo:
        """Undo remove_photo."""
        return self._photos.set_removed(photo_id, False)

    # --- problems and the ledger ---------------------------------------------------------------------------------------

    def problems(
        self,
        inspection_id: int | None = None,
        *,
        status: ProblemStatus | str | Sequence[ProblemStatus | str] | None = None,
        overdue: bool | None = None,
    ) -> list[Problem]:
        """Problems (all inspections when inspection_id is None), filtered by status and overdue-ness."""
        where, params = ["1 = 1"], []
        if inspection_id is not None:
            self._inspection_row(inspection_id)
            where.append("inspection_id = ?")
            params.append(inspection_id)
        if status is not None:
            wanted = [status] if isinstance(status, (str, ProblemStatus)) else list(status)
            statuses = [ledger.parse_status(s).value for s in wanted]
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            params += statuses
        found = repo.to_problems(self.db, repo.rows(
            self.db, f"SELECT * FROM problems WHERE {' AND '.join(where)} ORDER BY inspection_id, id", params))
        if overdue is not None:
            found = [p for p in found if p.overdue == overdue]
        return found

    def get_problem(self, problem_id: int) -> Problem:
        """One problem; WorkbookError if unknown."""
        return repo.to_problems(self.db, [self._problem_row(problem_id)])[0]

    def _problem_row(self, problem_id: int) -> dict:
        row = repo.problem_row(self.db, problem_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {problem_id} 的问题。")
        return row

    def problem_for_item(self, inspection_id: int, item_id: str) -> Problem | None:
        """The problem raised by an item in an inspection, if any."""
        row = repo.item_problem_row(self.db, inspection_id, item_id)
        return repo.to_problems(self.db, [row])[0] if row else None

    def add_problem(self, inspection_id: int, new: NewProblem) -> Problem:
        """Add a problem by hand (e.g. from 信访 or 巡察), status 待整改."""
        self._inspection_row(inspection_id)
        checklist_id = severity = None
        if new.item_id is not None:
            checklist, item = self._item(inspection_id, new.item_id)
            checklist_id, severity = checklist.id, item.severity.value
            existing = repo.item_problem_row(self.db, inspection_id, new.item_id)
            if new.source is ProblemSource.SELF_CHECK and existing is not None:
                raise WorkbookError(f"检查项 {new.item_id} 已有自查问题 #{existing['id']}，请直接编辑该问题。")
        with self._write() as tx:
            pid = tx.insert("problems", {
                "inspection_id": inspection_id, "item_id": new.item_id, "checklist_id": checklist_id,
                "severity": severity, "source": new.source.value, "description": new.description,
                "description_auto": 0, "status": ProblemStatus.PENDING.value, "created_at": tx.now,
                "created_by": tx.actor, "updated_at": tx.now,
            })
            tx.log("problem.create", target_of("problem", pid), None)
            tx.touch_inspection(inspection_id)
        return self.get_problem(pid)

    def delete_problem(self, problem_id: int) -> None:
        """Delete a problem still 待整改 (a mistaken entry); later statuses are refused."""
        row = self._problem_row(problem_id)
        if row["status"] != ProblemStatus.PENDING.value:
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已是“{row['status']}”，不能删除；整改台账需保留记录。")
        if repo.scalar(self.db, "SELECT COUNT(*) FROM photos WHERE problem_id = ?", (problem_id,)) or \
                repo.scalar(self.db, "SELECT COUNT(*) FROM follow_ups WHERE problem_id = ?", (problem_id,)):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已关联照片或回头看记录，不能删除。")
        if repo.scalar(self.db, "SELECT COUNT(*) FROM problems WHERE origin_problem_id = ?", (problem_id,)):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已被后续自查带入（回头看），不能删除。")
        with self._write() as tx:
            target = target_of("problem", problem_id)
            before = tx.state(target)
            tx.delete("problems", problem_id)
            tx.log("problem.delete", target, before)
            tx.touch_inspection(row["inspection_id"])

    def _ledger_change(self, problem_id: int, action: str, values: dict) -> Problem:
        row = self._problem_row(problem_id)
        with self._write() as tx:
            target = target_of("problem", problem_id)
            before = tx.state(target)
            tx.update("problems", problem_id, {**values, "updated_at": tx.now})
            tx.log(action, target, before)
            tx.touch_inspection(row["inspection_id"])
        return self.get_problem(problem_id)

    @staticmethod
    def _ledger_values(fields: ProblemUpdate | StepData) -> dict:
        values: dict[str, object] = {}
        for name in fields.model_fields_set:
            value = getattr(fields, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif hasattr(value, "value"):
                value = value.value
            elif value is None and name not in ("rect_type", "deadline", "completed_on", "verified_on", "closed_on"):
                value = ""
            values[name] = value
        if "description" in values:
            if not values["description"]:
                raise ledger.LedgerRuleError("问题描述不能为空。")
            values["description_auto"] = 0
        return values

    def update_problem(self, problem_id: int, update: ProblemUpdate) -> Problem:
        """Edit ledger fields (only those set). Refused if it would blank a field the current status needs."""
        row = self._problem_row(problem_id)
        values = self._ledger_values(update)
        ledger.check_edit(ProblemStatus(row["status"]), {**row, **values}, today=date.today())
        return self._ledger_change(problem_id, "problem.update", values)

    def advance_problem(self, problem_id: int, to_status: ProblemStatus | str, step: StepData | None = None) -> Problem:
        """Move a problem forward (one or more steps), merging `step` first. Each step needs:
        待整改→整改中: measures, rect_type, leader, department, person, deadline;
        整改中→已整改: done_description and completed_on;
        已整改→已销号: verified_by/verified_on (现场查验) and closed_by/closed_on (销号).
        Missing data → LedgerRuleError listing what is missing. Going backwards: use reopen_problem.
        """
        row = self._problem_row(problem_id)
        target = ledger.parse_status(to_status)
        values = self._ledger_values(step or StepData())
        ledger.check_step(ProblemStatus(row["status"]), target, {**row, **values}, today=date.today())
        return self._ledger_change(problem_id, "problem.advance", {**values, "status": target.value})

    def reopen_problem(
        self, problem_id: int, reason: str, *, to_status: ProblemStatus | str = ProblemStatus.IN_PROGRESS
    ) -> Problem:
        """Move a problem back (e.g. 已销号 → 整改中) with a reason; clears the verification/closing data that
        no longer holds."""
        row = self._problem_row(problem_id)
        reason = (reason or "").strip()
        if not reason:
            raise ledger.LedgerRuleError("重新打开问题需要说明原因。")
        target = ledger.parse_status(to_status)
        cleared = ledger.reopen_clears(ProblemStatus(row["status"]), target)
        values: dict[str, object] = {name: None if name.endswith("_on") else "" for name in cleared}
        values.update({"status": target.value, "reopen_reason": reason[:MAX_NOTE]})
        return self._ledger_change(problem_id, "problem.reopen", values)

    def add_follow_up(self, problem_id: int, follow_up: FollowUp) -> Problem:
        """Record a 回头看 round on a 已整改/已销号 problem. A relapse (出现反弹) reopens it to 整改中."""
        row = self._problem_row(problem_id)
        status = ProblemStatus(row["status"])
        if status not in (ProblemStatus.RECTIFIED, ProblemStatus.CLOSED):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 尚未整改完成（{status.value}），还不能“回头看”。")
        if follow_up.date > date.today():
            raise ledger.LedgerRuleError("回头看日期不能晚于今天。")
        last = int(repo.scalar(self.db, "SELECT MAX(round) FROM follow_ups WHERE problem_id = ?", (problem_id,)) or 0)
        number = follow_up.round or last + 1
        if repo.scalar(self.db, "SELECT 1 FROM follow_ups WHERE problem_id = ? AND round = ?", (problem_id, number)):
            raise ledger.LedgerRuleError(f"问题 #{problem_id} 已有第 {number} 轮回头看记录。")
        with self._write() as tx:
            fid = tx.insert("follow_ups", {
                "problem_id": problem_id, "round": number, "date": follow_up.date.isoformat(), "by_name": follow_up.by,
                "finding": follow_up.finding, "result": follow_up.result.value, "recorded_by": tx.actor,
                "recorded_at": tx.now,
            })
            tx.log("followup.add", target_of("followup", fid), None)
            if follow_up.result is FollowUpResult.RELAPSED:
                target = target_of("problem", problem_id)
                before = tx.state(target)
                cleared = ledger.reopen_clears(status, ProblemStatus.IN_PROGRESS)
                values: dict[str, object] = {name: None if name.endswith("_on") else "" for name in cleared}
                tx.update("problems", problem_id, {
                    **values, "status": ProblemStatus.IN_PROGRESS.value, "updated_at": tx.now,
                    "reopen_reason": f"第 {number} 轮回头看发现反弹：{follow_up.finding}"[:MAX_NOTE],
                })
                tx.log("problem.reopen", target, before)
            tx.touch_inspection(row["inspection_id"])
        return self.get_problem(problem_id)

    # --- progress and review -------------------------------------------------------------------------------------------

    def _review_inputs(self, inspection_id: int) -> tuple[list[Checklist], dict[str, str], dict[str, str | None],
                                                           list[Problem], dict[str, int]]:
        checklists = self.inspection_checklists(inspection_id)
        values = {k: a.value for k, a in repo.answers(self.db, inspection_id).items()}
        return (checklists, self._not_applicable(inspection_id), values, self.problems(inspection_id),
                self.photo_counts(inspection_id))

    def inspection_progress(self, inspection_id: int) -> InspectionProgress:
        """Done/total per checklist and section, problem counts, photo counts per item."""
        return progress_mod.progress(inspection_id, *self._review_inputs(inspection_id))

    def review(self, inspection_id: int, *, today: date | None = None) -> list[Blocker]:
        """What is left before the report: unanswered visible items, required photos missing (evidence.photo
        required, or required_if_noncompliant when answered non-compliant), problems without a rectification plan."""
        return progress_mod.review(*self._review_inputs(inspection_id))

    # --- audit, backup -------------------------------------------------------------------------------------------------

    def verify_audit(self) -> AuditReport:
        """Walk the hash chain and compare the stored answers, photos (metadata and image bytes) and ledger with the
        replayed log; the report names the first bad entry or row. Also runs a full integrity check."""
        damage = full_integrity(self.db)
        if damage:
            seq, head = audit.head(self.db)
            return AuditReport(ok=False, entries=seq, head=head,
                               message="工作簿文件完整性检查未通过：" + "；".join(damage[:3]), problems=damage[:50])
        return audit.verify(self.db)

    def audit_head(self) -> tuple[str, int]:
        """(hash of the last entry, number of entries) — recorded in the report."""
        seq, head = audit.head(self.db)
        return head, seq

    def audit_entries(self, *, target: str | None = None, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Audit log entries, newest first (optionally only one target, e.g. 'problem/3')."""
        return audit.entries(self.db, target=target, limit=limit, offset=offset)

    def backup(self, dest: str | Path, *, overwrite: bool = False) -> Path:
        """Write a consistent copy to `dest` (a file, or a folder to put a dated file in) with SQLite's online
        backup API, verify it and return its path. Never overwrites this workbook itself; an existing file only
        with overwrite=True."""
        return backup.backup_workbook(self.db, self._path, Path(dest), overwrite=overwrite)

