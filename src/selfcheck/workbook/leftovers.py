"""Temporary files an interrupted create or restore leaves beside workbooks, removed at the next chance.

`Workbook.create` builds `.<name>.<random>.creating` and `restore` builds `.<name>.<random>.restoring`, each renamed
into place when done. Both hold the target's writer lock while they work, so such a file whose target is not locked
belongs to a process that died (power cut, killed): it is removed when a workbook in that folder is next created or
opened for writing, as is a `<name>.lock` nobody holds (left by a writer that died).
"""

from __future__ import annotations

import re
from pathlib import Path

from selfcheck.workbook.backup import remove_quietly
from selfcheck.workbook.lock import is_locked

_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[0-9a-f]{8}\.(?:creating|restoring)$")


def stale_temp_files(folder: Path, holding: Path | None = None) -> list[Path]:
    """Leftover temporary workbook files in `folder` whose create or restore is no longer running. `holding`: a
    workbook whose writer lock the caller holds (its temporary files are leftovers too)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.name.endswith(".lock") and entry.name != ".lock":
            # A writer that died leaves its lock file behind (holding no OS lock any more).
            workbook = entry.with_name(entry.name[: -len(".lock")])
            if workbook != holding and not is_locked(workbook):
                found.append(entry)
            continue
        match = _TEMP_NAME.match(entry.name)
        target = folder / match.group("target") if match else None
        if target is not None and (target == holding or not is_locked(target)):
            found.append(entry)
    return found


def sweep(folder: Path, holding: Path | None = None) -> list[Path]:
    """Remove the stale temporary files in `folder` (and their -wal/-shm/-journal); returns what was removed."""
    removed = stale_temp_files(folder, holding)
    for path in removed:
        remove_quietly(path)
    return removed
