"""Automatic backups: at the first open of each day a verified copy goes to the data folder, rotated so that the
last KEEP_DAILY days and one backup per earlier month are kept. A damaged or deleted workbook then costs at most a
day's work.

Layout: `<root>/<workbook id>/<workbook name>-<YYYY-MM-DD>.selfcheck`, where root is the data folder's 自动备份. The
copy is taken through a separate read-only connection (SQLite's online backup API), so it never blocks the writer,
and it is integrity-checked before it is renamed into place; a workbook that fails its check is never backed up, so
the good backups it would rotate out stay.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from selfcheck.errors import WorkbookError
from selfcheck.workbook.backup import copy_database, remove_quietly
from selfcheck.workbook.db import check_sqlite_file
from selfcheck.workbook.migrations import full_integrity
from selfcheck.workbook.readonly import ReadOnlySource

FOLDER_NAME = "自动备份"
KEEP_DAILY = 7
SUFFIX = ".selfcheck"
_NAME = re.compile(r"^(?P<name>.+)-(?P<day>\d{4}-\d{2}-\d{2})\.selfcheck$")


@dataclass(frozen=True)
class BackupEntry:
    """One automatic backup file."""

    path: Path
    day: date
    taken: datetime
    size: int
    workbook_name: str  # the file name of the workbook it was taken from, without the suffix
    workbook_id: str


def backup_root(data_dir: Path) -> Path:
    return data_dir / FOLDER_NAME


def _entry(path: Path, workbook_id: str) -> BackupEntry | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        day = date.fromisoformat(match.group("day"))
        stat = path.stat()
    except (ValueError, OSError):
        return None
    return BackupEntry(path=path, day=day, taken=datetime.fromtimestamp(stat.st_mtime), size=stat.st_size,
                       workbook_name=match.group("name"), workbook_id=workbook_id)


def list_backups(root: Path, *, workbook_id: str | None = None, workbook_name: str | None = None) -> list[BackupEntry]:
    """Automatic backups, newest first: of one workbook (by id, or by name when its id cannot be read) or of all."""
    entries: list[BackupEntry] = []
    try:
        folders = [f for f in root.iterdir() if f.is_dir()]
    except OSError:
        return []
    for folder in folders:
        if workbook_id is not None and folder.name != workbook_id:
            continue
        with contextlib.suppress(OSError):
            for file in folder.iterdir():
                entry = _entry(file, folder.name)
                if entry is None or (workbook_name is not None and entry.workbook_name != workbook_name):
                    continue
                entries.append(entry)
    return sorted(entries, key=lambda e: (e.day, e.taken), reverse=True)


def is_good(path: Path) -> bool:
    """Whether a backup file is still an intact workbook (full integrity check, read-only)."""
    try:
        check_sqlite_file(path)
        source = ReadOnlySource(path)
    except WorkbookError:
        return False
    try:
        return not full_integrity(source.db)
    finally:
        source.db.close()


def newest_good(root: Path, *, workbook_id: str | None, workbook_name: str) -> BackupEntry | None:
    """The newest automatic backup of a workbook that passes the integrity check."""
    candidates = list_backups(root, workbook_id=workbook_id) if workbook_id else []
    if not candidates:
        candidates = list_backups(root, workbook_name=workbook_name)
    return next((entry for entry in candidates if is_good(entry.path)), None)


def to_keep(entries: list[BackupEntry], *, keep_daily: int = KEEP_DAILY) -> set[Path]:
    """The rotation: the newest `keep_daily` days, and the newest backup of every month before them."""
    newest_first = sorted(entries, key=lambda e: (e.day, e.taken), reverse=True)
    keep = {e.path for e in newest_first[:keep_daily]}
    months: set[tuple[int, int]] = set()
    for entry in newest_first:
        month = (entry.day.year, entry.day.month)
        if month not in months:
            months.add(month)
            keep.add(entry.path)
    return keep


def rotate(folder: Path, *, keep_daily: int = KEEP_DAILY) -> list[Path]:
    """Delete the backups in one workbook's folder that the rotation does not keep; returns them."""
    entries = [e for e in (_entry(p, folder.name) for p in folder.iterdir()) if e is not None]
    keep = to_keep(entries, keep_daily=keep_daily)
    removed = [e.path for e in entries if e.path not in keep]
    for path in removed:
        remove_quietly(path)
    return removed


def workbook_id_of(source: ReadOnlySource) -> str:
    row = source.db.execute("SELECT value FROM meta WHERE key = 'workbook_id'").fetchone()
    if not row or not row[0]:
        raise WorkbookError("工作簿缺少编号，无法自动备份。")
    return str(row[0])


def backup_if_due(path: Path, root: Path, *, today: date | None = None,
                  source: ReadOnlySource | None = None) -> Path | None:
    """Take today's backup of the workbook at `path` unless there is one already; then rotate. Returns the new file.

    The caller has checked the workbook's integrity (see health.check_after_open); the copy is checked again.
    """
    today = today or date.today()
    own = source is None
    source = source or ReadOnlySource(path)
    try:
        folder = root / workbook_id_of(source)
        stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
        if any(e.day == today for e in list_backups(root, workbook_id=folder.name)):
            return None
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / f"{stem}-{today.isoformat()}{SUFFIX}"
        copy_database(source.db, dest)
    finally:
        if own:
            source.db.close()
    rotate(folder)
    return dest
