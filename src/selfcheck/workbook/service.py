"""The Workbook service: the only way the GUI and the CLI read and change a workbook file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import TracebackType

from selfcheck.checklists.models import Checklist
from selfcheck.workbook.models import (
    UNCHANGED,
    Answer,
    AnswerChange,
    AuditEntry,
    AuditReport,
    Blocker,
    FollowUp,
    Inspection,
    InspectionProgress,
    InspectionSummary,
    InspectionUpdate,
    NewInspection,
    NewProblem,
    Photo,
    PhotoKind,
    Problem,
    ProblemStatus,
    ProblemUpdate,
    SchoolProfile,
    StepData,
    Unchanged,
    WorkbookInfo,
)


class Workbook:
    """One open workbook file. Use as a context manager; every mutating method has committed when it returns.

    Errors meant for the user are WorkbookError / EvidenceError (Chinese messages); see selfcheck.workbook.errors
    for the subclasses (WorkbookLockedError, DuplicatePhotoError, ...).
    """

    # --- opening and closing -------------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, actor: str) -> Workbook:
        """Create a new, empty workbook at `path` (which must not exist) and open it for writing."""
        raise NotImplementedError

    @classmethod
    def open(cls, path: str | Path, *, actor: str, read_only: bool = False) -> Workbook:
        """Open an existing workbook.

        Writers take the single-writer lock: if another SelfCheck holds it, WorkbookLockedError is raised (the caller
        may offer read_only=True). Checks integrity (no writes if it fails), refuses a newer schema, and migrates an
        older one after copying it to `<name>.v<N>-backup-<time><suffix>` beside it. Read-only opens never write.
        """
        raise NotImplementedError

    @classmethod
    def restore(cls, backup_path: str | Path, path: str | Path) -> None:
        """Replace (or create) the workbook at `path` with a validated copy of `backup_path`.

        The backup is checked (SQLite, integrity, schema, audit chain) first; the copy is written to a temporary file,
        fsynced and atomically moved into place, so `path` is never half-written. Refused if `path` is open elsewhere.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection and release the lock (idempotent)."""
        raise NotImplementedError

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def path(self) -> Path:
        raise NotImplementedError

    @property
    def read_only(self) -> bool:
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    @property
    def actor(self) -> str:
        raise NotImplementedError

    def info(self) -> WorkbookInfo:
        """Counts and identity of the workbook (cheap: no photo bytes are read)."""
        raise NotImplementedError

    # --- school ----------------------------------------------------------------------------------------------------

    def get_school(self) -> SchoolProfile | None:
        """The school profile, or None before the first-run form was filled in."""
        raise NotImplementedError

    def save_school(self, profile: SchoolProfile) -> SchoolProfile:
        """Create or replace the school profile."""
        raise NotImplementedError

    # --- inspections -------------------------------------------------------------------------------------------------

    def list_inspections(self, include_archived: bool = False) -> list[InspectionSummary]:
        """Inspections, newest period first, with progress and problem counts."""
        raise NotImplementedError

    def create_inspection(self, new: NewInspection, *, available: Sequence[Checklist] | None = None) -> Inspection:
        """Start an inspection, storing a snapshot of the chosen checklists.

        `available` are the checklists to choose from (default: the built-in set). With `carry_over_from`, every
        problem of that inspection not yet 已销号 is copied in (source 回头看, linked to its origin).
        Raises WorkbookError for unknown checklist ids or an unknown carry-over inspection.
        """
        raise NotImplementedError

    def get_inspection(self, inspection_id: int) -> Inspection:
        """One inspection; WorkbookError if there is no such inspection."""
        raise NotImplementedError

    def update_inspection(
        self, inspection_id: int, update: InspectionUpdate, *, available: Sequence[Checklist] | None = None
    ) -> Inspection:
        """Apply the fields set in `update`. Adding a checklist snapshots it from `available` (default built-in);
        removing one that already has answers, photos or problems is refused."""
        raise NotImplementedError

    def set_archived(self, inspection_id: int, archived: bool) -> Inspection:
        """Archive (hide from the default list) or unarchive an inspection; nothing is deleted."""
        raise NotImplementedError

    def inspection_checklists(self, inspection_id: int) -> list[Checklist]:
        """The checklist SNAPSHOT stored with the inspection (not the current files), in the inspection's order."""
        raise NotImplementedError

    # --- answers -----------------------------------------------------------------------------------------------------

    def answers(self, inspection_id: int) -> dict[str, Answer]:
        """Stored answers by item id (including note-only entries whose value is None)."""
        raise NotImplementedError

    def set_answer(
        self, inspection_id: int, item_id: str, value: str, *, note: str | Unchanged = UNCHANGED
    ) -> AnswerChange:
        """Store an answer (normalised: 是/否/不适用, option labels, numbers, dates, text).

        Non-compliant → a problem is created (source 自查, description from question and note) or kept.
        Compliant again → a problem still 待整改 with nothing filled in is removed; otherwise it is kept and the
        result says so. Raises InvalidAnswerError (a UserError) for a value that does not fit the item,
        WorkbookError for an unknown item or a checklist marked 不适用.
        """
        raise NotImplementedError

    def set_note(self, inspection_id: int, item_id: str, note: str) -> AnswerChange:
        """Change only the note of an item (an unanswered item may carry a note)."""
        raise NotImplementedError

    def clear_answer(self, inspection_id: int, item_id: str) -> AnswerChange:
        """Remove an item's answer and note; the problem follows the same rule as answering compliant."""
        raise NotImplementedError

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
        raise NotImplementedError

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
        raise NotImplementedError

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
        raise NotImplementedError

    def photo_counts(self, inspection_id: int) -> dict[str, int]:
        """Evidence photos per item id (removed photos excluded); one indexed query."""
        raise NotImplementedError

    def get_photo(self, photo_id: int) -> Photo:
        """Metadata of one photo; WorkbookError if unknown."""
        raise NotImplementedError

    def photo_image(self, photo_id: int) -> bytes:
        """The stored normalised JPEG."""
        raise NotImplementedError

    def photo_thumbnail(self, photo_id: int) -> bytes:
        """The stored JPEG thumbnail (≤ 320 px)."""
        raise NotImplementedError

    def set_photo_caption(self, photo_id: int, caption: str) -> Photo:
        """Change a photo's caption."""
        raise NotImplementedError

    def remove_photo(self, photo_id: int) -> Photo:
        """Mark a photo removed (kept in the file; restore_photo undoes it)."""
        raise NotImplementedError

    def restore_photo(self, photo_id: int) -> Photo:
        """Undo remove_photo."""
        raise NotImplementedError

    # --- problems and the ledger ---------------------------------------------------------------------------------------

    def problems(
        self,
        inspection_id: int | None = None,
        *,
        status: ProblemStatus | str | Sequence[ProblemStatus | str] | None = None,
        overdue: bool | None = None,
    ) -> list[Problem]:
        """Problems (all inspections when inspection_id is None), filtered by status and overdue-ness."""
        raise NotImplementedError

    def get_problem(self, problem_id: int) -> Problem:
        """One problem; WorkbookError if unknown."""
        raise NotImplementedError

    def problem_for_item(self, inspection_id: int, item_id: str) -> Problem | None:
        """The problem raised by an item in an inspection, if any."""
        raise NotImplementedError

    def add_problem(self, inspection_id: int, new: NewProblem) -> Problem:
        """Add a problem by hand (e.g. from 信访 or 巡察), status 待整改."""
        raise NotImplementedError

    def delete_problem(self, problem_id: int) -> None:
        """Delete a problem still 待整改 (a mistaken entry); later statuses are refused."""
        raise NotImplementedError

    def update_problem(self, problem_id: int, update: ProblemUpdate) -> Problem:
        """Edit ledger fields (only those set). Refused if it would blank a field the current status needs."""
        raise NotImplementedError

    def advance_problem(self, problem_id: int, to_status: ProblemStatus | str, step: StepData | None = None) -> Problem:
        """Move a problem forward (one or more steps), merging `step` first. Each step needs:
        待整改→整改中: measures, rect_type, leader, department, person, deadline;
        整改中→已整改: done_description and completed_on;
        已整改→已销号: verified_by/verified_on (现场查验) and closed_by/closed_on (销号).
        Missing data → WorkbookError listing what is missing. Going backwards: use reopen_problem.
        """
        raise NotImplementedError

    def reopen_problem(
        self, problem_id: int, reason: str, *, to_status: ProblemStatus | str = ProblemStatus.IN_PROGRESS
    ) -> Problem:
        """Move a problem back (e.g. 已销号 → 整改中) with a reason; clears the verification/closing data that
        no longer holds."""
        raise NotImplementedError

    def add_follow_up(self, problem_id: int, follow_up: FollowUp) -> Problem:
        """Record a 回头看 round on a 已整改/已销号 problem. A relapse (出现反弹) reopens it to 整改中."""
        raise NotImplementedError

    # --- progress and review -------------------------------------------------------------------------------------------

    def inspection_progress(self, inspection_id: int) -> InspectionProgress:
        """Done/total per checklist and section, problem counts, photo counts per item."""
        raise NotImplementedError

    def review(self, inspection_id: int, *, today: date | None = None) -> list[Blocker]:
        """What is left before the report: unanswered visible items, required photos missing (evidence.photo
        required, or required_if_noncompliant when answered non-compliant), problems without a rectification plan."""
        raise NotImplementedError

    # --- audit, backup -------------------------------------------------------------------------------------------------

    def verify_audit(self) -> AuditReport:
        """Walk the hash chain and compare the stored answers, photos (metadata and image bytes) and ledger with the
        replayed log; the report names the first bad entry or row. Also runs a full integrity check."""
        raise NotImplementedError

    def audit_head(self) -> tuple[str, int]:
        """(hash of the last entry, number of entries) — recorded in the report."""
        raise NotImplementedError

    def audit_entries(self, *, target: str | None = None, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Audit log entries, newest first (optionally only one target, e.g. 'problem/3')."""
        raise NotImplementedError

    def backup(self, dest: str | Path) -> Path:
        """Write a consistent copy to `dest` (a file, or a folder to put a dated file in) with SQLite's online
        backup API, verify it and return its path. Never overwrites this workbook itself."""
        raise NotImplementedError
