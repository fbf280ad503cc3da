"""Where SelfCheck keeps its per-user files (data, logs, settings); SELFCHECK_HOME overrides all."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="SelfCheck", appauthor=False, roaming=False)


def _home_override() -> Path | None:
    value = os.environ.get("SELFCHECK_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    """Folder for workbooks and keys by default (e.g. %LOCALAPPDATA%\\SelfCheck on Windows)."""
    home = _home_override()
    path = home / "data" if home else Path(_DIRS.user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    home = _home_override()
    path = home / "logs" if home else Path(_DIRS.user_log_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_workbook_path() -> Path:
    return data_dir() / "自查工作簿.selfcheck"


def glance_dir() -> Path:
    """Where the start-up snapshots of the home page are kept (workbook/glance.py); created when one is saved."""
    home = _home_override()
    return (home / "cache" if home else Path(_DIRS.user_cache_dir)) / "glance"
