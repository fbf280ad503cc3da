"""Inspections of a workbook: create, list, change, archive; their checklist snapshots, progress and review."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlite_utils

from selfcheck.checklists.models import Checklist
from selfcheck.errors import WorkbookError
from selfcheck.workbook import answering
from selfcheck.workbook import dashboard as dashboard_mod
from selfcheck.workbook import progress as progress_mod
from selfcheck.workbook import repository as repo
from selfcheck.workbook.core import WorkbookCore
from selfcheck.workbook.dashboard import Dashboard
from selfcheck.workbook.errors import NotFoundError
from selfcheck.workbook.models import (
    Blocker, Inspection,
    InspectionChange, InspectionProgress, InspectionSummary, InspectionUpdate, NewInspection, Problem, ProblemSource, ProblemStatus, ProblemSync,
)
from selfcheck.workbook.states import target_of
from selfcheck.workbook.writer import Tx

if TYPE_CHECKING:
    from selfcheck.workbook.photos import Photos
    from selfcheck.workbook.problems import Ledger


def snapshot_json(checklist: Checklist) -> str:
    """The stored form of a checklist snapshot (parses back to an equal Checklist)."""
    return checklist.model_dump_json(by_alias=True, exclude_none=False)


class Inspections:
    """The inspections room of a Workbook (`wb.inspections`)."""

    def __init__(self, core: WorkbookCore, ledger_room: Ledger, photos_room: Photos) -> None:
        self._core = core
        self._ledger = ledger_room
        self._photos = photos_room

    def latest_id(self) -> int | None:
        """The inspection list_inspections() puts first (newest period, not archived); None when there is none."""
        row = repo.one(self._core.db, "SELECT id FROM inspections WHERE NOT archived ORDER BY period_start DESC, id DESC"
                                " LIMIT 1", ())
        return None if row is None else int(row["id"])

    def all(self, include_archived: bool = False) -> list[InspectionSummary]:
        """Inspections, newest period first, with progress and problem counts."""
        db = self._core.db
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
            done, total, bad = progress_mod.counts(self._core.inspection_checklists(iid), json.loads(row["not_applicable"]),
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

    def create(self, new: NewInspection, *, available: Sequence[Checklist] | None = None) -> Inspection:
        """Start an inspection, storing a snapshot of the chosen checklists.

        `available` are the checklists to choose from (default: the built-in set). With `carry_over_from`, every
        problem of that inspection not yet 已销号 is copied in (source 回头看, linked to its origin).
        Raises WorkbookError for unknown checklist ids or an unknown carry-over inspection.
        """
        chosen = self._choose(new.checklist_ids, available)
        if new.carry_over_from is not None:
            self._core.inspection_row(new.carry_over_from)
        with self._core.write() as tx:
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
        return self.get(iid)

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

    def get(self, inspection_id: int) -> Inspection:
        """One inspection; WorkbookError if there is no such inspection."""
        row = self._core.inspection_row(inspection_id)
        return repo.to_inspection(row, repo.snapshot_versions(self._core.db, inspection_id))

    def update(
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
        lists = [c for c in self._core.inspection_checklists(inspection_id) if c.id in ids]
        with self._core.write() as tx:
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
        self._core.forget(inspection_id)
        return InspectionChange(inspection=self.get(inspection_id),
                                problems=self._problem_sync(outcome, current, na))

    def preview_update(self, inspection_id: int, update: InspectionUpdate, *,
                                  available: Sequence[Checklist] | None = None) -> ProblemSync:
        """What update_inspection would do to the items' problems (removed and kept; re-created ones have no id
        yet and are not listed), without writing. Same checks and errors as update_inspection."""
        current, ids, na, _values, _new, _removed = self._inspection_changes(inspection_id, update, available)
        lists = [c for c in self._core.inspection_checklists(inspection_id) if c.id in ids]
        flips = self._not_applicable_flips(self._core.db, inspection_id, lists, current, na)
        return self._problem_sync(answering.plan(self._core.db, inspection_id, flips), current, na, planned=True)

    @staticmethod
    def _not_applicable_flips(db: sqlite_utils.Database, inspection_id: int, lists: Sequence[Checklist],
                              current: Inspection, na: dict[str, str]) -> list[answering.Flip]:
        if set(na) == set(current.not_applicable):
            return []
        values = {k: a.value for k, a in repo.answers(db, inspection_id).items()}
        return answering.flips(lists, values, current.not_applicable, na)

    def _problem_sync(self, outcome: answering.Resync, current: Inspection, na: dict[str, str], *,
                      planned: bool = False) -> ProblemSync:
        titles = {c.id: c.title for c in self._core.inspection_checklists(current.id)}

        def named(cids: set[str]) -> str:
            return "".join(f"“{titles.get(cid, cid)}”" for cid in current.checklist_ids if cid in cids)

        marked, unmarked = set(na) - set(current.not_applicable), set(current.not_applicable) - set(na)
        message = outcome.message(hidden=f"清单{named(marked)}标为不适用", shown=f"清单{named(unmarked)}取消不适用",
                                  planned=planned)
        return self._core.sync_result(outcome, message)

    def _inspection_changes(self, inspection_id: int, update: InspectionUpdate,
                            available: Sequence[Checklist] | None
                            ) -> tuple[Inspection, list[str], dict[str, str], dict[str, object], list[Checklist],
                                       list[str]]:
        """Validate `update` against the stored inspection: (current, new ids, new 不适用, column values, checklists
        to snapshot, checklist ids to drop)."""
        current = self.get(inspection_id)
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
        items = self._core.item_index(inspection_id)
        for cid in removed:
            ids = [iid for iid, (c, _) in items.items() if c.id == cid]
            marks = ",".join("?" * len(ids)) or "''"
            used = sum(int(repo.scalar(self._core.db, f"SELECT COUNT(*) FROM {table} WHERE inspection_id = ?"
                                                f" AND item_id IN ({marks})", [inspection_id, *ids]) or 0)
                       for table in ("answers", "photos", "problems"))
            if used:
                raise WorkbookError(f"清单 {cid} 已有答案、照片或问题，不能从本次自查中移除；如不适用，请标为“不适用”。")

    def set_archived(self, inspection_id: int, archived: bool) -> Inspection:
        """Archive (hide from the default list) or unarchive an inspection; nothing is deleted."""
        self._core.inspection_row(inspection_id)
        with self._core.write() as tx:
            target = target_of("inspection", inspection_id)
            before = tx.state(target)
            tx.update("inspections", inspection_id, {"archived": int(archived), "updated_at": tx.now})
            tx.log("inspection.archive" if archived else "inspection.unarchive", target, before)
        return self.get(inspection_id)

    def checklists(self, inspection_id: int) -> list[Checklist]:
        """The checklist SNAPSHOT stored with the inspection (not the current files), in the inspection's order."""
        return self._core.inspection_checklists(inspection_id)

    def _review_inputs(self, inspection_id: int) -> tuple[list[Checklist], dict[str, str], dict[str, str | None],
                                                           list[Problem], dict[str, int]]:
        checklists = self._core.inspection_checklists(inspection_id)
        values = {k: a.value for k, a in repo.answers(self._core.db, inspection_id).items()}
        return (checklists, self._core.not_applicable(inspection_id), values, self._ledger.all(inspection_id),
                self._photos.counts(inspection_id))

    def progress(self, inspection_id: int) -> InspectionProgress:
        """Done/total per checklist and section, problem counts, photo counts per item."""
        return progress_mod.progress(inspection_id, *self._review_inputs(inspection_id))

    def dashboard(self, inspection_id: int, *, today: date | None = None) -> Dashboard:
        """The home page's overview: completion per 1+3+N area, non-compliant items, open, overdue and soon-due
        problems, items missing a required photo (each as the ids behind the figure)."""
        return dashboard_mod.dashboard(inspection_id, *self._review_inputs(inspection_id), today or date.today())

    def review(self, inspection_id: int, *, today: date | None = None) -> list[Blocker]:
        """What is left before the report: unanswered visible items, required photos missing (evidence.photo
        required, or required_if_noncompliant when answered non-compliant), problems without a rectification plan."""
        return progress_mod.review(*self._review_inputs(inspection_id))
