"""Single-writer lock: an OS file lock on `<workbook>.lock` beside the workbook, held while it is open for writing."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from selfcheck.workbook.errors import WorkbookError, WorkbookLockedError


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class WriterLock:
    """Held by the one process allowed to write a workbook; the OS drops it if that process dies."""

    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(lock_path(path)), timeout=0, thread_local=False)
        self._path = path

    def acquire(self) -> None:
        """Take the lock or raise WorkbookLockedError at once (never waits)."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise WorkbookLockedError(
                f"工作簿“{self._path.name}”正在被另一个 SelfCheck 窗口（或程序）使用，不能同时修改。",
                hint="请先关闭另一个窗口；如只需查看，可以只读方式打开。",
            ) from None
        except OSError as err:
            raise WorkbookError(
                f"无法在“{self._path.parent}”中创建锁文件（{err.strerror or err}），工作簿所在位置可能是只读的。",
                hint="可以只读方式打开，或把工作簿复制到可写的文件夹。",
            ) from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked
