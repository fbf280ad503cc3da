"""Workbook error subclasses the GUI may want to tell apart (all carry a Chinese message)."""

from __future__ import annotations

from selfcheck.errors import EvidenceError, WorkbookError


class WorkbookLockedError(WorkbookError):
    """Another SelfCheck instance is writing to this workbook; it may still be opened read-only."""


class WorkbookCorruptError(WorkbookError):
    """The file is not a workbook, or its integrity check failed."""


class NewerSchemaError(WorkbookError):
    """The workbook was written by a newer SelfCheck."""


class ReadOnlyError(WorkbookError):
    """A change was attempted on a workbook opened read-only."""


class NotFoundError(WorkbookError):
    """An inspection, item, photo or problem id that does not exist."""


class LedgerRuleError(WorkbookError):
    """A status step or edit the rectification ledger does not allow (missing data, wrong order)."""


class DuplicatePhotoError(EvidenceError, WorkbookError):
    """The same original file is already attached to this item or problem."""

    def __init__(self, message: str, *, existing_photo_id: int, removed: bool = False) -> None:
        self.existing_photo_id = existing_photo_id
        self.removed = removed
        super().__init__(message)
