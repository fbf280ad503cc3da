"""Logging to a rotating file in the user's log folder; bugs are logged with their traceback."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from selfcheck.paths import log_dir

LOG_FILE_NAME = "selfcheck.log"
MAX_BYTES = 2_000_000
BACKUPS = 3


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


class RotatingLog(logging.FileHandler):
    """The log file, kept under `max_bytes`: when a record would make it bigger, it becomes selfcheck.log.1 (the
    older ones move on to .2 and .3, the oldest is dropped) and a new file starts.

    What logging.handlers.RotatingFileHandler does, without importing logging.handlers: that module brings in
    socket, pickle and queue for its other handlers, ~7 ms on every start of the window."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
            super().emit(record)
        except Exception:  # noqa: BLE001 (as every logging handler: a failing log never stops the program)
            self.handleError(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):  # only a regular file rotates
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() + len(self.format(record) + self.terminator) >= self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        if self.backups > 0:
            for n in range(self.backups - 1, 0, -1):
                older, oldest = f"{self.baseFilename}.{n}", f"{self.baseFilename}.{n + 1}"
                if os.path.exists(older):
                    os.replace(older, oldest)
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def setup_logging(level: int = logging.INFO) -> Path:
    """Attach a rotating file handler to the root logger once; returns the log file path."""
    path = log_file()
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingLog) and Path(handler.baseFilename) == path:
            return path
    try:
        handler = RotatingLog(path)
    except OSError:
        return path  # an unwritable log folder must never stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
