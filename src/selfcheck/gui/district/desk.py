"""The open district workspace, shared by every district page; announces opening, closing and changes."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from selfcheck.district.workspace import DistrictWorkspace


class Locked:
    """The workspace (and its rooms: roster, registry, reports, …) with every call under one lock, so a background
    receive and the window never interleave on the one SQLite connection. Models pass through untouched."""

    def __init__(self, target: Any, lock: threading.RLock) -> None:
        self._target = target
        self._lock = lock

    @property
    def unwrapped(self) -> Any:
        return self._target

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            value = getattr(self._target, name)
        if callable(value):
            @functools.wraps(value)
            def locked(*args: Any, **kwargs: Any) -> Any:
                with self._lock:
                    return value(*args, **kwargs)

            return locked
        if _is_room(value):
            return Locked(value, self._lock)
        return value


def _is_room(value: Any) -> bool:
    """A room of the workspace (an object of the district package that is not a data model)."""
    module = type(value).__module__
    return module.startswith("selfcheck.district") and not hasattr(value, "model_dump")


class DistrictDesk(QObject):
    """Holds at most one open district workspace. Opening, creating and closing go through here."""

    workspace_changed = Signal()  # opened, replaced or closed
    data_changed = Signal(str)  # what changed: roster, registry, campaigns, reports

    def __init__(self, actor: str) -> None:
        super().__init__()
        self.actor = actor
        self._lock = threading.RLock()
        self._workspace: DistrictWorkspace | None = None
        self._wrapped: Locked | None = None
        self.path: Path | None = None

    @property
    def workspace(self) -> Any:
        """The open workspace (calls locked), or None."""
        return self._wrapped

    def require(self) -> Any:
        """The open workspace. Every page and action that calls this exists only while one is open (the window
        disables them otherwise), so none open here is a bug, not something a user can do."""
        if self._wrapped is None:
            raise RuntimeError("no district workspace is open")
        return self._wrapped

    @property
    def read_only(self) -> bool:
        return bool(self._workspace is not None and getattr(self._workspace, "read_only", False))

    def create(self, path: Path, name: str) -> None:
        from selfcheck.district.workspace import DistrictWorkspace

        self.adopt(DistrictWorkspace.create(path, name), path)

    def open(self, path: Path, *, read_only: bool = False) -> None:
        from selfcheck.district.workspace import DistrictWorkspace

        self.adopt(DistrictWorkspace.open(path, read_only=read_only), path)

    def adopt(self, workspace: DistrictWorkspace, path: Path) -> None:
        """Make an opened workspace the current one (closing the previous one)."""
        with self._lock:
            old = self._workspace
            self._workspace = workspace
            self._wrapped = Locked(workspace, self._lock)
            self.path = Path(path)
        if old is not None:
            old.close()
        self.workspace_changed.emit()

    def close(self) -> None:
        with self._lock:
            old = self._workspace
            self._workspace = None
            self._wrapped = None
            self.path = None
        if old is not None:
            old.close()
            self.workspace_changed.emit()

    def changed(self, what: str) -> None:
        """Call after a successful write so the pages that show `what` refresh."""
        self.data_changed.emit(what)
