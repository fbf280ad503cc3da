"""Row reads and row → model conversion: the narrow layer of SQL the service builds on."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

import sqlite_utils

from selfcheck.workbook.models import (
    Answer,
    FollowUpRecord,
    Inspection,
    Photo,
    PhotoKind,
    Problem,
    ProblemStatus,
    SchoolProfile,
)

PHOTO_COLUMNS = (
    "id, inspection_id, item_id, problem_id, kind, caption, original_name, original_sha256, original_size, "
    "original_format, image_sha256, image_size, width, height, thumb_width, thumb_height, captured_at, added_at, "
    "added_by, removed_at"
)


def rows(db: sqlite_utils.Database, sql: str, params: Sequence[object] | dict = ()) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def one(db: sqlite_utils.Database, sql: str, params: Sequence[object] | dict = ()) -> dict | None:
    found = rows(db, sql, params)
    return found[0] if found else None


def scalar(db: sqlite_utils.Database, sql: str, params: Sequence[object] = ()) -> object:
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# --- school ------------------------------------------------------------------------------------------------------


def school(db: sqlite_utils.Database) -> SchoolProfile | None:
    row = one(db, "SELECT * FROM school WHERE id = 1")
    if row is None:
        return None
    return SchoolProfile(**{k: v for k, v in row.items() if k in SchoolProfile.model_fields})


# --- inspections -------------------------------------------------------------------------------------------------


def inspection_row(db: sqlite_utils.Database, inspection_id: int) -> dict | None:
    return one(db, "SELECT * FROM inspections WHERE id = ?", (inspection_id,))


def inspection_rows(db: sqlite_utils.Database) -> list[dict]:
    return rows(db, "SELECT * FROM inspections ORDER BY period_start DESC, id DESC")


def snapshot_versions(db: sqlite_utils.Database, inspection_id: int) -> dict[str, str]:
    return {r["checklist_id"]: r["version"] for r in rows(
        db, "SELECT checklist_id, version FROM checklist_snapshots WHERE inspection_id = ?", (inspection_id,))}


def snapshot_contents(db: sqlite_utils.Database, inspection_id: int) -> dict[str, str]:
    return {r["checklist_id"]: r["content"] for r in rows(
        db, "SELECT checklist_id, content FROM checklist_snapshots WHERE inspection_id = ?", (inspection_id,))}


def to_inspection(row: dict, versions: dict[str, str]) -> Inspection:
    return Inspection(
        id=row["id"],
        title=row["title"],
        period_start=date.fromisoformat(row["period_start"]),
        period_end=date.fromisoformat(row["period_end"]),
        team=json.loads(row["team"]),
        checklist_ids=json.loads(row["checklist_ids"]),
        checklist_versions=versions,
        not_applicable=json.loads(row["not_applicable"]),
        carried_over_from=row["carried_over_from"],
        archived=bool(row["archived"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        created_by=row["created_by"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


# --- answers -----------------------------------------------------------------------------------------------------


def to_answer(row: dict) -> Answer:
    return Answer(item_id=row["item_id"], value=row["value"], note=row["note"], answered_by=row["answered_by"],
                  answered_at=datetime.fromisoformat(row["answered_at"]))


def answer_row(db: sqlite_utils.Database, inspection_id: int, item_id: str) -> dict | None:
    return one(db, "SELECT * FROM answers WHERE inspection_id = ? AND item_id = ?", (inspection_id, item_id))


def answers(db: sqlite_utils.Database, inspection_id: int) -> dict[str, Answer]:
    found = rows(db, "SELECT * FROM answers WHERE inspection_id = ? ORDER BY item_id", (inspection_id,))
    return {r["item_id"]: to_answer(r) for r in found}


# --- photos ------------------------------------------------------------------------------------------------------


def to_photo(row: dict) -> Photo:
    return Photo(
        id=row["id"], inspection_id=row["inspection_id"], item_id=row["item_id"], problem_id=row["problem_id"],
        kind=PhotoKind(row["kind"]), caption=row["caption"], original_name=row["original_name"],
        original_sha256=row["original_sha256"], original_size=row["original_size"],
        original_format=row["original_format"], image_sha256=row["image_sha256"], image_size=row["image_size"],
        width=row["width"], height=row["height"], thumb_width=row["thumb_width"], thumb_height=row["thumb_height"],
        captured_at=_dt(row["captured_at"]), added_at=datetime.fromisoformat(row["added_at"]),
        added_by=row["added_by"], removed=row["removed_at"] is not None, removed_at=_dt(row["removed_at"]),
    )


def photo_row(db: sqlite_utils.Database, photo_id: int) -> dict | None:
    return one(db, f"SELECT {PHOTO_COLUMNS} FROM photos WHERE id = ?", (photo_id,))


def photo_rows(db: sqlite_utils.Database, where: str, params: Sequence[object]) -> list[dict]:
    return rows(db, f"SELECT {PHOTO_COLUMNS} FROM photos WHERE {where} ORDER BY id", params)


# --- problems ----------------------------------------------------------------------------------------------------


def follow_ups(db: sqlite_utils.Database, problem_ids: Sequence[int]) -> dict[int, list[FollowUpRecord]]:
    result: dict[int, list[FollowUpRecord]] = {pid: [] for pid in problem_ids}
    if not problem_ids:
        return result
    marks = ",".join("?" * len(problem_ids))
    for r in rows(db, f"SELECT * FROM follow_ups WHERE problem_id IN ({marks}) ORDER BY problem_id, round",
                  list(problem_ids)):
        result[r["problem_id"]].append(FollowUpRecord(
            id=r["id"], problem_id=r["problem_id"], round=r["round"], date=date.fromisoformat(r["date"]),
            by=r["by_name"], finding=r["finding"], result=r["result"], recorded_by=r["recorded_by"],
            recorded_at=datetime.fromisoformat(r["recorded_at"]),
        ))
    return result


def after_photo_counts(db: sqlite_utils.Database, problem_ids: Sequence[int]) -> dict[int, int]:
    if not problem_ids:
        return {}
    marks = ",".join("?" * len(problem_ids))
    return {r[0]: r[1] for r in db.execute(
        f"SELECT problem_id, COUNT(*) FROM photos WHERE kind = 'after' AND removed_at IS NULL"
        f" AND problem_id IN ({marks}) GROUP BY problem_id", list(problem_ids)).fetchall()}


def to_problems(db: sqlite_utils.Database, found: list[dict]) -> list[Problem]:
    ids = [r["id"] for r in found]
    rounds = follow_ups(db, ids)
    photos = after_photo_counts(db, ids)
    result = []
    for r in found:
        result.append(Problem(
            id=r["id"], inspection_id=r["inspection_id"], item_id=r["item_id"], checklist_id=r["checklist_id"],
            severity=r["severity"], source=r["source"], origin_problem_id=r["origin_problem_id"],
            description=r["description"], description_auto=bool(r["description_auto"]), measures=r["measures"],
            rect_type=r["rect_type"], leader=r["leader"], department=r["department"], person=r["person"],
            deadline=_date(r["deadline"]), progress=r["progress"], done_description=r["done_description"],
            completed_on=_date(r["completed_on"]), verified_by=r["verified_by"], verified_on=_date(r["verified_on"]),
            verification_note=r["verification_note"], closed_by=r["closed_by"], closed_on=_date(r["closed_on"]),
            status=ProblemStatus(r["status"]), reopen_reason=r["reopen_reason"], follow_ups=rounds[r["id"]],
            after_photos=photos.get(r["id"], 0), created_at=datetime.fromisoformat(r["created_at"]),
            created_by=r["created_by"], updated_at=datetime.fromisoformat(r["updated_at"]),
        ))
    return result


def problem_row(db: sqlite_utils.Database, problem_id: int) -> dict | None:
    return one(db, "SELECT * FROM problems WHERE id = ?", (problem_id,))


def item_problem_row(db: sqlite_utils.Database, inspection_id: int, item_id: str) -> dict | None:
    return one(db, "SELECT * FROM problems WHERE inspection_id = ? AND item_id = ? AND source = '自查'",
               (inspection_id, item_id))


def problem_counts(db: sqlite_utils.Database) -> dict[int, dict[str, int]]:
    """Per inspection: problems by status."""
    result: dict[int, dict[str, int]] = {}
    for iid, status, count in db.execute(
        "SELECT inspection_id, status, COUNT(*) FROM problems GROUP BY inspection_id, status"
    ).fetchall():
        result.setdefault(iid, {})[status] = count
    return result


def overdue_counts(db: sqlite_utils.Database, today: date) -> dict[int, int]:
    return {r[0]: r[1] for r in db.execute(
        "SELECT inspection_id, COUNT(*) FROM problems WHERE deadline IS NOT NULL AND deadline < ?"
        " AND status IN ('待整改', '整改中') GROUP BY inspection_id", (today.isoformat(),)).fetchall()}
