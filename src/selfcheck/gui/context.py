"""The services the composition root builds once and hands to every window (no globals)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from selfcheck.gui.catalog import ChecklistCatalog
from selfcheck.gui.session import Session
from selfcheck.gui.settings import AppSettings
from selfcheck.gui.tasks import TaskRunner


@dataclass
class AppContext:
    """Everything a window needs from outside itself. `checklists()` loads the catalog on first use (start-up
    with a workbook does not need it)."""

    settings: AppSettings
    checklists: Callable[[], ChecklistCatalog]
    session: Session
    tasks: TaskRunner
    log_file: Path


def current_actor() -> str:
    """Who is making changes, for the audit log: the computer's login name."""
    try:
        return getpass.getuser() or "本机用户"
    except Exception:  # no login name on some systems (e.g. services); the audit log still needs one
        return "本机用户"
