"""One write transaction: row changes through sqlite-utils plus an audit entry for every entity that changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlite_utils

from selfcheck.workbook import audit
from selfcheck.workbook.db import transaction
from selfcheck.workbook.states import state_of


def now_iso() -> str:
    """Local time with its UTC offset, millisecond precision (what every *_at column holds)."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


class Tx:
    """Helpers valid inside one write transaction; `now` is the one timestamp of the whole change."""

    def __init__(self, db: sqlite_utils.Database, actor: str) -> None:
        self.db = db
        self.actor = actor
        self.now = now_iso()
        self.logged = 0

    def state(self, target: str) -> dict | None:
        return state_of(self.db, target)

    def log(self, action: str, target: str, before: dict | None) -> bool:
        """Append an audit entry when `target` changed since `before`; returns whether it did."""
        after = state_of(self.db, target)
        if after == before:
            return False
        audit.append(self.db, at=self.now, actor=self.actor, action=action, target=target, before=before,
                     after=after)
        self.logged += 1
        return True

    def log_event(self, action: str, target: str, after: dict) -> None:
        """An entry that records an event rather than an entity (e.g. the workbook's creation)."""
        audit.append(self.db, at=self.now, actor=self.actor, action=action, target=target, before=None, after=after)
        self.logged += 1

    # Plain statements on the hot path (an answer is saved on every click); table and column names come from
    # this package, never from input. sqlite-utils' table helpers introspect the schema on every call.
    def insert(self, table: str, row: dict) -> int:
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def update(self, table: str, pk: object, values: dict) -> None:
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), pk])

    def delete(self, table: str, pk: object) -> None:
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", (pk,))

    def touch_inspection(self, inspection_id: int) -> None:
        self.db.execute("UPDATE inspections SET updated_at = ? WHERE id = ?", (self.now, inspection_id))


@contextmanager
def write(db: sqlite_utils.Database, actor: str) -> Iterator[Tx]:
    """A committed-on-return write: BEGIN IMMEDIATE, the caller's changes and audit entries, COMMIT."""
    with transaction(db):
        yield Tx(db, actor)
