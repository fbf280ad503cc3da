"""The start-up snapshot of the home page ("glance"): what the home page shows for a workbook — the school, its
inspections and the newest one's dashboard — kept from the last time the workbook was open, so that at start the
home page is filled before the workbook stack (sqlite-utils, pydantic, the checklist models) has even loaded.

It is shown only when it is provably the workbook's current state. Its key, all of which must match:

- the workbook's change stamp (schema 3: a random value that a trigger on every table renews with each written
  row, in the same transaction — no way of writing can miss it, and two states with the same stamp are one state;
  a file's mtime is no stamp in WAL mode, and the audit chain does not cover every column);
- the workbook's id, path, schema version and SQLite application id;
- the app version and the snapshot format (figures are computed by this version's code).

Overdue and due-soon problems depend on the date as well: the snapshot keeps the deadlines of the problems not yet
rectified, and on another day those figures are worked out again for that day by the dashboard's own rule
(figures.overdue_on / due_soon_on) — a snapshot kept in the evening is as good the next morning, the start when it
matters most.

When it is kept: by the app, after it opened a workbook at start and read its home page on the worker thread, and
when a workbook closes if it changed since (gui/session.py).

Where it is kept: a small JSON file per workbook in the app's cache folder (`paths.glance_dir()`), named by
checksums of the workbook's full path — not inside the workbook. Writing it into the workbook would be a write of its
own (it would have to leave the stamp alone, and could not happen for a workbook opened read-only or on read-only
media), it would travel with every copy and backup, and closing would have to write the workbook once more. A file
in the app's own folder costs the workbook nothing; a workbook on a write-protected stick gets its snapshot too.

Reading it never writes anything and never raises: a missing, damaged, stale or foreign snapshot, or a workbook
that is in use or was not closed cleanly (its `.lock`, `-wal` or `-shm` beside it), just means None — the normal
open. The workbook is read with `immutable=1` (no side files created), as ReadOnlySource does when nobody writes.

This module imports only the standard library and the two stdlib-only modules figures.py and schema.py: reading
and showing a snapshot must not load sqlite-utils or pydantic. `capture` takes an open Workbook, so saving one
uses what the workbook already loaded.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import zlib
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from selfcheck import __version__
from selfcheck.workbook.figures import (
    RECTIFYING,
    AreaCompletion,
    Dashboard,
    due_soon_on,
    overdue_on,
)
from selfcheck.workbook.schema import APPLICATION_ID, CURRENT_VERSION

log = logging.getLogger(__name__)

FORMAT = 2
SIDE_FILES = (".lock", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class SchoolFacts:
    """The school profile's fields the home page shows (the same names as SchoolProfile's)."""

    name: str
    stage: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    principal: str = ""
    preparer: str = ""
    phone: str = ""


@dataclass(frozen=True)
class InspectionLine:
    """One line of the home page's inspection list (the same names as InspectionSummary's)."""

    id: int
    title: str
    period_start: date
    period_end: date
    archived: bool
    answered: int
    total: int
    noncompliant: int
    open_problems: int
    overdue_problems: int
    photos: int
    updated_at: datetime


@dataclass(frozen=True)
class Deadline:
    """A problem not yet rectified that has a deadline: what overdue and due-soon figures of any day come from."""

    problem_id: int
    inspection_id: int
    status: str
    deadline: date


@dataclass(frozen=True)
class Glance:
    """A snapshot of the home page and the key it is current under."""

    path: str
    workbook_id: str
    stamp: str
    schema_version: int
    app_version: str
    today: date  # the day its overdue and due-soon figures are for
    school: SchoolFacts | None
    inspections: list[InspectionLine]  # archived ones left out, newest period first
    latest_id: int | None
    dashboard: Dashboard | None  # of latest_id
    deadlines: list[Deadline]  # by inspection, then problem id (the ledger's order)


def snapshot_file(folder: Path, workbook: Path) -> Path:
    """Where the snapshot of `workbook` is kept in `folder`, named by checksums of its full path (zlib's, loaded
    already, where hashlib would cost the start a few ms; two paths with the same name only replace each other's
    snapshot, since the path inside is checked)."""
    name = str(workbook.resolve()).encode("utf-8")
    return folder / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.json"


def change_stamp(db: Any) -> str | None:
    """The workbook's change stamp (hex), None before schema 3. `db`: a sqlite3 or sqlite-utils connection."""
    try:
        row = db.execute("SELECT stamp FROM changes WHERE id = 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return bytes(row[0]).hex() if row and row[0] is not None else None


def kept_stamp(workbook: Path, folder: Path) -> str | None:
    """The change stamp of the snapshot kept for `workbook` (current or not); None when there is none."""
    try:
        data = json.loads(snapshot_file(folder, workbook).read_text(encoding="utf-8"))
        return str(data["stamp"]) if data.get("format") == FORMAT and data.get("app_version") == __version__ else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


# --- reading ---------------------------------------------------------------------------------------------------------


def read_current(workbook: Path, folder: Path, *, today: date | None = None) -> Glance | None:
    """The snapshot of `workbook` kept in `folder` if it is the workbook's current state, with its date-dependent
    figures for `today` (default: today); else None."""
    try:
        return _read_current(workbook.resolve(), folder, today or date.today())
    except (OSError, ValueError, TypeError, KeyError, AttributeError, sqlite3.Error) as err:
        log.info("start-up snapshot of %s not used: %s", workbook, err)
        return None


def _read_current(path: Path, folder: Path, today: date) -> Glance | None:
    file = snapshot_file(folder, path)
    if not file.is_file() or not path.is_file():
        return None
    if any(path.with_name(path.name + side).exists() for side in SIDE_FILES):
        return None  # in use, or not closed cleanly: its latest state may be in a WAL the snapshot has not seen
    data = json.loads(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("app_version") != __version__:
        return None
    if data.get("path") != str(path):
        return None
    if data.get("schema_version") != CURRENT_VERSION:
        return None
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        if conn.execute("PRAGMA user_version").fetchone()[0] != CURRENT_VERSION:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'workbook_id'").fetchone()
        stamp = change_stamp(conn)
    finally:
        conn.close()
    if row is None or row[0] != data.get("workbook_id") or stamp is None or stamp != data.get("stamp"):
        return None
    snapshot = _from_json(data)
    return snapshot if snapshot.today == today else on_day(snapshot, today)


def on_day(snapshot: Glance, today: date) -> Glance:
    """`snapshot` with its date-dependent figures (overdue, due soon) worked out for `today`."""
    lines = [replace(line, overdue_problems=sum(1 for d in snapshot.deadlines if d.inspection_id == line.id
                                                and overdue_on(d.status, d.deadline, today)))
             for line in snapshot.inspections]
    board = snapshot.dashboard
    if board is not None:
        mine = [d for d in snapshot.deadlines if d.inspection_id == board.inspection_id]
        board = replace(board, today=today,
                        overdue_problems=[d.problem_id for d in mine if overdue_on(d.status, d.deadline, today)],
                        due_soon_problems=[d.problem_id for d in mine if due_soon_on(d.status, d.deadline, today)])
    return replace(snapshot, today=today, inspections=lines, dashboard=board)


def _from_json(data: dict) -> Glance:
    school = data["school"]
    board = data["dashboard"]
    return Glance(
        path=str(data["path"]), workbook_id=str(data["workbook_id"]), stamp=str(data["stamp"]),
        schema_version=int(data["schema_version"]), app_version=str(data["app_version"]),
        today=date.fromisoformat(data["today"]),
        school=None if school is None else SchoolFacts(**{f.name: str(school[f.name]) for f in fields(SchoolFacts)}),
        inspections=[_line(row) for row in data["inspections"]],
        latest_id=None if data["latest_id"] is None else int(data["latest_id"]),
        dashboard=None if board is None else _dashboard(board),
        deadlines=[Deadline(problem_id=int(d["problem_id"]), inspection_id=int(d["inspection_id"]),
                            status=str(d["status"]), deadline=date.fromisoformat(d["deadline"]))
                   for d in data["deadlines"]],
    )


def _line(row: dict) -> InspectionLine:
    return InspectionLine(
        id=int(row["id"]), title=str(row["title"]), period_start=date.fromisoformat(row["period_start"]),
        period_end=date.fromisoformat(row["period_end"]), archived=bool(row["archived"]),
        answered=int(row["answered"]), total=int(row["total"]), noncompliant=int(row["noncompliant"]),
        open_problems=int(row["open_problems"]), overdue_problems=int(row["overdue_problems"]),
        photos=int(row["photos"]), updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _dashboard(board: dict) -> Dashboard:
    return Dashboard(
        inspection_id=int(board["inspection_id"]), today=date.fromisoformat(board["today"]),
        areas=[AreaCompletion(area=str(a["area"]), title=str(a["title"]), done=int(a["done"]), total=int(a["total"]),
                              noncompliant=int(a["noncompliant"]), checklists=int(a["checklists"]),
                              not_applicable=int(a["not_applicable"])) for a in board["areas"]],
        done=int(board["done"]), total=int(board["total"]),
        noncompliant_items=[str(i) for i in board["noncompliant_items"]],
        open_problems=[int(i) for i in board["open_problems"]],
        overdue_problems=[int(i) for i in board["overdue_problems"]],
        due_soon_problems=[int(i) for i in board["due_soon_problems"]],
        photos_missing_items=[str(i) for i in board["photos_missing_items"]],
    )


# --- writing -----------------------------------------------------------------------------------------------------------


def capture(workbook: Any, *, stamp: str | None, today: date, inspections: list[Any], latest_id: int | None,
            dashboard: Dashboard | None) -> Glance | None:
    """The snapshot of an open Workbook's home page from what was read of it: `stamp` is its change stamp and
    `today` the date, both taken BEFORE `inspections` (InspectionSummary or InspectionLine), `latest_id` and
    `dashboard` (computed for `today`) were read. None when the workbook or the date changed since (the figures
    might mix two states) or the workbook has no stamp."""
    db = workbook.db
    school = workbook.get_school()
    row = db.execute("SELECT value FROM meta WHERE key = 'workbook_id'").fetchone()
    marks = ", ".join("?" * len(RECTIFYING))
    deadlines = [Deadline(problem_id=int(r[0]), inspection_id=int(r[1]), status=str(r[2]),
                          deadline=date.fromisoformat(r[3])) for r in db.execute(
        f"SELECT id, inspection_id, status, deadline FROM problems WHERE deadline IS NOT NULL AND status IN ({marks})"
        " ORDER BY inspection_id, id", RECTIFYING).fetchall()]
    if stamp is None or row is None or change_stamp(db) != stamp or date.today() != today:
        return None
    if dashboard is not None and (dashboard.today != today or dashboard.inspection_id != latest_id):
        return None
    lines = [InspectionLine(**{f.name: getattr(s, f.name) for f in fields(InspectionLine)})
             for s in inspections if not s.archived]
    shown = {line.id for line in lines}
    return Glance(
        path=str(Path(workbook.path).resolve()), workbook_id=str(row[0]), stamp=stamp,
        schema_version=int(workbook.schema_version), app_version=__version__, today=today,
        school=None if school is None else SchoolFacts(**{f.name: getattr(school, f.name) for f in fields(SchoolFacts)}),
        inspections=lines,
        latest_id=latest_id, dashboard=dashboard,
        deadlines=[d for d in deadlines if d.inspection_id in shown],
    )


def save(glance: Glance, folder: Path) -> bool:
    """Keep `glance` as its workbook's snapshot in `folder` (replacing the old one whole); False if it could not be
    written (a full or read-only disk only costs the next start its head start)."""
    file = snapshot_file(folder, Path(glance.path))
    temp = file.with_name(f"{file.stem}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps({"format": FORMAT, **asdict(glance)}, ensure_ascii=False, default=_plain),
                        encoding="utf-8")
        os.replace(temp, file)
        return True
    except OSError as err:
        log.warning("start-up snapshot of %s not saved: %s", glance.path, err)
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        return False


def _plain(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
