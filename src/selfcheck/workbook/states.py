"""Audited state of each stored entity: what an audit entry's before/after records and what verify compares."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class Kind:
    """One kind of audited entity: its table, key columns and the columns left out of its state."""

    name: str
    table: str
    keys: tuple[str, ...]
    excluded: frozenset[str]
    label: str


# updated_at columns are bookkeeping (bumped by changes audited elsewhere), not audited state.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("school", "school", ("id",), frozenset({"id", "updated_at"}), "学校信息"),
        Kind("inspection", "inspections", ("id",), frozenset({"id", "updated_at"}), "自查"),
        Kind("answer", "answers", ("inspection_id", "item_id"), frozenset({"inspection_id", "item_id"}), "答案"),
        Kind("problem", "problems", ("id",), frozenset({"id", "updated_at"}), "问题"),
        Kind("followup", "follow_ups", ("id",), frozenset({"id"}), "回头看记录"),
        Kind("photo", "photos", ("id",), frozenset({"id"}), "照片"),
    )
}


def target_of(kind: str, *key: object) -> str:
    """e.g. target_of('answer', 3, 'MEAL-01') == 'answer/3/MEAL-01'; the school is just 'school'."""
    if kind == "school":
        return "school"
    return "/".join([kind, *(str(k) for k in key)])


def parse_target(target: str) -> tuple[Kind, tuple[object, ...]]:
    parts = target.split("/")
    kind = KINDS.get(parts[0])
    if kind is None:
        raise ValueError(f"unknown audit target {target!r}")
    if kind.name == "school":
        return kind, (1,)
    values = parts[1:]
    if len(values) != len(kind.keys):
        raise ValueError(f"bad audit target {target!r}")
    typed: list[object] = [int(values[0])] + values[1:]
    return kind, tuple(typed)


def describe_target(target: str) -> str:
    """A target as a person reads it: 自查 #3 检查项 MEAL-01 的答案, 问题 #7, 照片 #12, 学校信息."""
    if target == "workbook":
        return "工作簿"
    try:
        kind, key = parse_target(target)
    except ValueError:
        return target
    if kind.name == "school":
        return kind.label
    if kind.name == "answer":
        return f"自查 #{key[0]} 检查项 {key[1]} 的答案"
    return f"{kind.label} #{key[0]}"


def _state(kind: Kind, columns: list[str], row: tuple) -> dict:
    return {col: value for col, value in zip(columns, row, strict=True) if col not in kind.excluded}


def _snapshot_hashes(db: sqlite_utils.Database, inspection_id: object | None) -> dict[int, dict[str, str]]:
    sql = "SELECT inspection_id, checklist_id, sha256 FROM checklist_snapshots"
    params: tuple = ()
    if inspection_id is not None:
        sql += " WHERE inspection_id = ?"
        params = (inspection_id,)
    result: dict[int, dict[str, str]] = {}
    for iid, cid, sha in db.execute(sql, params).fetchall():
        result.setdefault(iid, {})[cid] = sha
    return result


def state_of(db: sqlite_utils.Database, target: str) -> dict | None:
    """Current audited state of one target, or None when it does not exist."""
    kind, key = parse_target(target)
    where = " AND ".join(f"{col} = ?" for col in kind.keys)
    cursor = db.execute(f"SELECT * FROM {kind.table} WHERE {where}", key)
    row = cursor.fetchone()
    if row is None:
        return None
    columns = [d[0] for d in cursor.description]
    state = _state(kind, columns, row)
    if kind.name == "inspection":
        state["snapshots"] = _snapshot_hashes(db, key[0]).get(int(key[0]), {})  # type: ignore[call-overload]
    return state


def all_states(db: sqlite_utils.Database) -> Iterator[tuple[str, dict]]:
    """Every audited entity currently stored, as (target, state)."""
    snapshots = _snapshot_hashes(db, None)
    for kind in KINDS.values():
        cursor = db.execute(f"SELECT * FROM {kind.table}")
        columns = [d[0] for d in cursor.description]
        index = [columns.index(k) for k in kind.keys]
        for row in cursor:
            key = [row[i] for i in index]
            state = _state(kind, columns, row)
            if kind.name == "inspection":
                state["snapshots"] = snapshots.get(row[index[0]], {})
            yield target_of(kind.name, *key), state
