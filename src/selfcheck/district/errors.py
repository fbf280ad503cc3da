"""District-desk errors; every one carries a complete Chinese message."""

from __future__ import annotations

from typing import Literal

from selfcheck.errors import UserError

ConfirmationKind = Literal["not_on_roster", "second_active", "name_mismatch"]


class DistrictError(UserError):
    """A district workspace cannot be opened, read or written, or an input was refused."""


class DistrictLockedError(DistrictError):
    """Another SelfCheck window or program is writing to this workspace."""


class DistrictCorruptError(DistrictError):
    """The file is not a district workspace, or it is damaged."""


class ReadOnlyError(DistrictError):
    """A change was attempted on a workspace opened read-only."""


class NotFoundError(DistrictError):
    """A school, certificate, campaign or report that does not exist."""


class NeedsConfirmation(DistrictError):
    """The change is possible but unusual; ask the user and call again with the matching allow_… flag.

    `kind` is "not_on_roster" (allow_not_on_roster), "second_active" (allow_second_active) or
    "name_mismatch" (allow_name_mismatch: the certificate names a different school than the roster entry)."""

    def __init__(self, message: str, *, kind: ConfirmationKind) -> None:
        self.kind: ConfirmationKind = kind
        super().__init__(message)


class RosterImportError(DistrictError):
    """A roster file with bad rows; `problems` lists every one ("第 N 行“列”：…"), one a line at the end of the
    message. Nothing was imported."""

    def __init__(self, message: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(message)
