"""An exclusive OS lock on a file, taken without waiting and held until released or until the process ends (the
OS drops the lock of a dead process, crashed or killed).

The run records (selfcheck.runs) use this rather than `filelock`: it is taken before the window shows, and
importing `filelock` costs start-up about as much as building the window's menus. It is the same OS lock
`filelock` takes (flock on Unix, msvcrt.locking on Windows), so either can tell the other's lock is held.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class OsLock:
    """`try_acquire()` → True when this process now holds the lock on `path` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if no process holds it; False when another process (or another handle) does. OSError
        when the file cannot be opened (a read-only folder)."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError:
            pass  # closing the file drops the lock anyway
        finally:
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
