"""The services the composition root builds once for the district window (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selfcheck.gui.district.desk import DistrictDesk
from selfcheck.gui.settings import AppSettings
from selfcheck.gui.tasks import TaskRunner


@dataclass
class DistrictContext:
    settings: AppSettings
    desk: DistrictDesk
    tasks: TaskRunner
    log_file: Path
