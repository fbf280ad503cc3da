"""The services the composition root builds once and hands to every window (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.gui.session import Session
from selfcheck.gui.settings import AppSettings
from selfcheck.gui.tasks import TaskRunner
from selfcheck.workbook.people import PLACEHOLDER_ACTOR

if TYPE_CHECKING:
    from selfcheck.gui.catalog import ChecklistCatalog


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
    """Who is making changes before a workbook names anybody: a placeholder, never the computer's login name
    (root, Administrator); the session switches to the profile's 填报人 as soon as a workbook is open."""
    return PLACEHOLDER_ACTOR
