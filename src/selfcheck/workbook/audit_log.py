"""The workbook's hash-chained audit log: verify, head, entries."""

from __future__ import annotations

from typing import TYPE_CHECKING


from selfcheck.workbook import audit
from selfcheck.workbook.core import WorkbookCore
from selfcheck.workbook.errors import damage_detail
from selfcheck.workbook.migrations import full_integrity
from selfcheck.workbook.models import (
    AuditEntry, AuditReport,
)

if TYPE_CHECKING:
    pass


class AuditLog:
    """The audit room of a Workbook (`wb.audit`)."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def verify(self) -> AuditReport:
        """Walk the hash chain and compare the stored answers, photos (metadata and image bytes) and ledger with the
        replayed log; the report names the first bad entry or row. Also runs a full integrity check."""
        damage = full_integrity(self._core.db)
        if damage:
            seq, head = audit.head(self._core.db)
            return AuditReport(ok=False, entries=seq, head=head,
                               message="工作簿文件完整性检查未通过："
                               + "；".join(dict.fromkeys(damage_detail(d) for d in damage[:3])),
                               problems=damage[:50])
        return audit.verify(self._core.db)

    def head(self) -> tuple[str, int]:
        """(hash of the last entry, number of entries) — recorded in the report."""
        seq, head = audit.head(self._core.db)
        return head, seq

    def entries(self, *, target: str | None = None, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Audit log entries, newest first (optionally only one target, e.g. 'problem/3')."""
        return audit.entries(self._core.db, target=target, limit=limit, offset=offset)
