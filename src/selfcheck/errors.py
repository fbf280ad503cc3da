"""Error hierarchy: UserError carries a Chinese message meant for the user; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """An error the user can act on. `str(err)` is a complete Simplified-Chinese message."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if not hint else f"{message}\n{hint}")


class ChecklistError(UserError):
    """A checklist file (or set of files) is invalid."""


class WorkbookError(UserError):
    """A workbook cannot be opened, read or written."""


class EvidenceError(UserError):
    """A photo or other evidence file was rejected."""


class ReportError(UserError):
    """A report cannot be produced."""


class SigningError(UserError):
    """A key, certificate or signature problem."""
