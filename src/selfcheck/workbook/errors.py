"""Workbook error subclasses the GUI may want to tell apart (all carry a Chinese message)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from selfcheck.errors import EvidenceError, WorkbookError

log = logging.getLogger(__name__)


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


def write_failure(path: Path, err: sqlite3.OperationalError) -> WorkbookError:
    """A failed save (read-only or removed drive, busy file) as a message; nothing of it was saved. A full disk has
    its own message (space.disk_full_error), naming the space to free."""
    text = str(err).lower()
    if "readonly" in text or "read-only" in text:
        reason = "工作簿所在位置是只读的"
        hint = "请把工作簿复制到可写的文件夹后再打开。"
    elif "locked" in text or "busy" in text:
        reason = "工作簿正被其他程序占用"
        hint = "请稍后重试。"
    elif "i/o" in text or "unable to open" in text:
        reason = "读写文件时出错"
        hint = "如果工作簿在U盘上，请确认U盘没有被拔出。"
    else:
        log.warning("save to %s failed: %s", path, err)  # SQLite's English text goes to the log, not the message
        reason = "工作簿数据出错"
        hint = "请重试；如果问题持续，请备份工作簿并联系技术人员。"
    return WorkbookError(f"保存到工作簿“{path.name}”失败（{reason}），这次修改没有保存。", hint=hint)


class ReadOnlyLocationError(WorkbookError):
    """The workbook sits where nothing can be written (read-only folder, write-protected USB stick, read-only
    share); it may still be opened read-only."""


# SQLite's English damage reports, in words a user can act on (the English text goes to the log, not the dialog).
_DAMAGE_WORDS = (
    ("malformed", "文件内部结构已损坏"),
    ("not a database", "文件内容不是完整的数据库"),
    ("file is encrypted", "文件内容不是完整的数据库"),
    ("disk i/o error", "读取文件时出错"),
    ("invalid page number", "文件内部结构已损坏"),
    ("out of order", "文件内部结构已损坏"),
    ("never used", "文件内部结构已损坏"),
    ("corrupt", "文件内部结构已损坏"),
)


def sqlite_reason(err: sqlite3.Error) -> str:
    """Why SQLite could not open or use a file, in Chinese (SQLite's English goes to the log, not the message)."""
    text = str(err).lower()
    if "unable to open" in text or "cannot open" in text:
        return "无法打开文件（文件夹可能不可写、文件正被占用，或U盘已被拔出）"
    if "readonly" in text or "read-only" in text:
        return "所在位置是只读的"
    if "locked" in text or "busy" in text:
        return "文件正被其他程序占用"
    if "full" in text:
        return "磁盘空间不足"
    if "i/o" in text:
        return "读写文件时出错，U盘可能已被拔出"
    return damage_detail(str(err))


def damage_detail(detail: str) -> str:
    """A Chinese summary of an integrity problem or SQLite error (Chinese details are kept as they are)."""
    detail = " ".join(detail.split())
    lowered = detail.lower()
    for words, text in _DAMAGE_WORDS:
        if words in lowered:
            return text
    if detail.isascii():
        return "文件内部数据不一致"
    return detail if len(detail) <= 200 else detail[:199] + "…"


def corrupt_error(path: Path, detail: str) -> WorkbookCorruptError:
    """The designed message for a damaged workbook that was not touched."""
    return WorkbookCorruptError(
        f"工作簿“{path.name}”已损坏，无法打开（{damage_detail(detail)}）。为避免进一步损坏，程序没有对它做任何修改。",
        hint="请从备份恢复（“文件 → 从备份恢复”，或 selfcheck workbook restore），或把此文件交给技术人员检查。",
    )
