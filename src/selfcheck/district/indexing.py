"""Index an accepted report's data into the summary tables (areas, items, problems), so that every summary is an
indexed SQL query instead of parsing hundreds of JSON documents. The rows are made where the report was verified
(a worker process) and only inserted by the receiving process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfcheck.report.data import ReportData


@dataclass(frozen=True)
class IndexRows:
    areas: list[tuple[Any, ...]]
    items: list[tuple[Any, ...]]
    problems: list[tuple[Any, ...]]


def rows_of(data: ReportData) -> IndexRows:
    """The summary rows of one report (without the received id, added on insert)."""
    areas = [(a.area, a.tally) for a in data.areas] + [("total", data.totals)]
    as_of = data.generated_at.date()  # overdue as of the report, as the school's PDF shows it
    return IndexRows(
        areas=[(area, t.items, t.answered, t.noncompliant, t.score, t.max_score) for area, t in areas],
        items=[(c.id, c.version, c.title, c.area, i.id, i.question, i.status, i.answer_value, i.answer_label, i.note,
                i.severity, i.score) for c in data.checklists for i in c.items()],
        problems=[(p.id, p.item_id, p.checklist_id, p.severity, p.source, p.description, p.measures, p.rect_type,
                   p.person, p.department, p.deadline.isoformat() if p.deadline else None,
                   p.completed_on.isoformat() if p.completed_on else None, p.status, int(p.is_overdue(as_of)),
                   (as_of - p.deadline).days if p.is_overdue(as_of) and p.deadline else 0) for p in data.problems])


def insert_rows(db: Any, received_id: int, rows: IndexRows) -> None:
    """Insert the rows of one report inside the caller's transaction."""
    conn = db.conn
    conn.executemany(
        "INSERT INTO report_areas (received_id, area, items, answered, noncompliant, score, max_score) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", [(received_id, *row) for row in rows.areas])
    conn.executemany(
        "INSERT INTO report_items (received_id, checklist_id, checklist_version, checklist_title, area, item_id, question, "
        "status, answer_value, answer_label, note, severity, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(received_id, *row) for row in rows.items])
    conn.executemany(
        "INSERT INTO report_problems (received_id, problem_id, item_id, checklist_id, severity, source, description, "
        "measures, rect_type, person, department, deadline, completed_on, status, overdue, overdue_days) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(received_id, *row) for row in rows.problems])


def index_report(db: Any, received_id: int, data: ReportData) -> None:
    """Insert the rows of `data` inside the caller's transaction."""
    insert_rows(db, received_id, rows_of(data))
