"""Logging to a rotating file in the user's log folder; bugs are logged with their traceback."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from selfcheck.paths import log_dir

LOG_FILE_NAME = "selfcheck.log"


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Attach a rotating file handler to the root logger once; returns the log file path."""
    path = log_file()
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    try:
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return path  # an unwritable log folder must never stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
