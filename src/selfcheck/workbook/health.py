"""The full integrity check after open, and what follows from it.

Opening checks only what does not grow with photos and history (migrations.quick_integrity), so that a large
workbook opens at once. Right after, off the GUI thread (the GUI) or before the first write (the CLI), the whole file
is checked on a separate read-only connection that does not block the writer. A damaged workbook is switched to
read-only, so nothing is written into the damaged file, and the newest automatic backup that is intact is offered;
a healthy one gets its automatic backup of the day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from selfcheck.errors import WorkbookError
from selfcheck.workbook import autobackup
from selfcheck.workbook.autobackup import BackupEntry
from selfcheck.workbook.errors import WorkbookCorruptError, damage_detail
from selfcheck.workbook.migrations import full_integrity
from selfcheck.workbook.readonly import ReadOnlySource

log = logging.getLogger(__name__)


class _Checked(Protocol):
    """The part of an open Workbook this module uses."""

    @property
    def path(self) -> Path: ...

    @property
    def read_only(self) -> bool: ...

    def switch_to_read_only(self, reason: str) -> None: ...


@dataclass(frozen=True)
class HealthReport:
    """Outcome of the full check after open."""

    ok: bool
    problems: tuple[str, ...] = ()
    message: str = ""
    backup: BackupEntry | None = None  # newest intact automatic backup (offered when damaged)
    backed_up: Path | None = None  # today's automatic backup, when this open took it


def damage_message(path: Path, problems: list[str] | tuple[str, ...], backup: BackupEntry | None, *,
                   how: str = "“文件 → 从备份恢复”", outcome: str = "已切换为只读：可以查看，但不会再写入") -> str:
    offer = (f"最新的完好备份是 {backup.taken:%Y-%m-%d %H:%M} 的自动备份（{backup.path}），可用{how}恢复。"
             if backup is not None else f"请用{how}选择一份备份恢复。")
    return (f"工作簿“{path.name}”的完整性检查未通过（{damage_detail(problems[0]) if problems else '文件已损坏'}），"
            f"{outcome}，以免损坏扩大。{offer}")


def check_file(path: Path) -> tuple[list[str], str | None]:
    """Full integrity check of the workbook at `path` on its own read-only connection: (problems, workbook id);
    no problems when it is intact, no id when even that cannot be read."""
    try:
        source = ReadOnlySource(path)
    except WorkbookError as err:
        return [err.message], None  # without its hint: it is quoted inside the damage message
    try:
        problems = full_integrity(source.db)
        try:
            workbook_id: str | None = autobackup.workbook_id_of(source)
        except Exception:  # noqa: BLE001 - a damaged meta table: fall back to finding backups by name
            workbook_id = None
        return problems, workbook_id
    finally:
        source.db.close()


def check_after_open(workbook: _Checked, backup_root: Path | None) -> HealthReport:
    """Run the full check for an open workbook. Damaged: switch it to read-only and find the newest good backup.
    Intact and writable: take the day's automatic backup into `backup_root` (when given)."""
    path = workbook.path
    problems, workbook_id = check_file(path)
    if problems:
        log.warning("integrity check failed for %s: %s", path, problems[:5])
        name = path.name[: -len(autobackup.SUFFIX)] if path.name.endswith(autobackup.SUFFIX) else path.stem
        good = (autobackup.newest_good(backup_root, workbook_id=workbook_id, workbook_name=name)
                if backup_root is not None else None)
        message = damage_message(path, problems, good)
        workbook.switch_to_read_only(message)
        return HealthReport(ok=False, problems=tuple(problems[:50]), message=message, backup=good)
    backed_up = None
    if backup_root is not None and not workbook.read_only:
        try:
            backed_up = autobackup.backup_if_due(path, backup_root)
        except (WorkbookError, OSError) as err:  # a full or read-only data disk must not stop the user from working
            log.warning("automatic backup of %s failed: %s", path, err)
    return HealthReport(ok=True, backed_up=backed_up)


def require_intact(workbook: _Checked, backup_root: Path | None = None) -> None:
    """Before a write from the command line: raise WorkbookCorruptError (and write nothing) when damaged."""
    report = check_after_open(workbook, backup_root)
    if not report.ok:
        raise WorkbookCorruptError(
            damage_message(workbook.path, report.problems, report.backup, how=" selfcheck workbook restore ",
                           outcome="这次没有做任何修改，也不会写入"),
            hint="请先从备份恢复（selfcheck workbook restore 备份文件 工作簿），再重试。",
        )
