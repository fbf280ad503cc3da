"""Single-writer lock: an OS file lock on `<workbook>.lock` beside the workbook, held while it is open for writing.

The lock file exists only while a writer holds it: the writer removes it before letting go, so a workbook copied to a
USB stick after a clean close carries no `.lock`. A `.lock` left by a writer that died (power cut, killed) holds no
OS lock any more; the next writer takes it over and removes it in turn. Probing whether a workbook is in use never
creates a lock file (read-only opens must not write beside the workbook).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from filelock import FileLock, Timeout

from selfcheck.workbook.errors import ReadOnlyLocationError, WorkbookError, WorkbookLockedError
from selfcheck.oserrors import os_reason

# errno values meaning "this place cannot be written" (read-only medium, permissions), not "in use".
_READ_ONLY_ERRNOS = {13, 30, 1}  # EACCES, EROFS, EPERM


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class WriterLock:
    """Held by the one process allowed to write a workbook; the OS drops it if that process dies."""

    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(lock_path(path)), timeout=0, thread_local=False)
        self._path = path

    def acquire(self) -> None:
        """Take the lock or raise at once (never waits): WorkbookLockedError when another writer holds it,
        ReadOnlyLocationError when the folder cannot be written."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise WorkbookLockedError(
                f"工作簿“{self._path.name}”正在被另一个 SelfCheck 窗口（或程序）使用，不能同时修改。",
                hint="请先关闭另一个窗口；如只需查看，可以只读方式打开。",
            ) from None
        except OSError as err:
            if err.errno in _READ_ONLY_ERRNOS:
                raise ReadOnlyLocationError(
                    f"工作簿“{self._path.name}”所在的位置是只读的（{location_kind(self._path)}），不能在这里修改它。",
                    hint="可以只读方式打开查看；要修改，请把工作簿复制到可写的文件夹（例如“文档”）后再打开。",
                ) from None
            raise WorkbookError(
                f"无法在“{self._path.parent}”中创建锁文件（{os_reason(err)}），工作簿所在位置可能是只读的。",
                hint="可以只读方式打开，或把工作簿复制到可写的文件夹。",
            ) from None

    def release(self) -> None:
        """Remove the lock file (while still holding it, so no other writer can be holding it) and let go."""
        if not self._lock.is_locked:
            return
        if sys.platform != "win32":
            # Windows deletes it on release itself; on POSIX a writer that opened the old file before this unlink
            # notices the unlinked inode after taking the lock and does not count it as held.
            with contextlib.suppress(OSError):
                os.unlink(lock_path(self._path))
        self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked


def location_kind(path: Path) -> str:
    """A short Chinese phrase for why `path`'s folder cannot be written (for messages)."""
    folder = path.parent
    try:
        vfs = os.statvfs(folder) if hasattr(os, "statvfs") else None
    except OSError:
        vfs = None
    if vfs is not None and vfs.f_flag & getattr(os, "ST_RDONLY", 1):
        return "只读的磁盘、写保护的U盘或只读的网络共享"
    return "没有写入这个文件夹的权限，或U盘处于写保护状态"


def is_locked(path: Path) -> bool:
    """Whether another writer holds the workbook right now. Never creates a lock file."""
    target = lock_path(path)
    if not target.exists():
        return False
    if sys.platform == "win32":
        probe = WriterLock(path)
        try:
            probe.acquire()
        except WorkbookLockedError:
            return True
        except WorkbookError:
            return False
        probe.release()
        return False
    import fcntl

    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing drops the probe's shared lock
    return False
