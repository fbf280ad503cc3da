"""The open workbook and the current inspection, shared by every screen; announces changes so screens can react."""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from selfcheck.workbook.figures import Dashboard
    from selfcheck.workbook.glance import Glance
    from selfcheck.workbook.models import InspectionSummary
    from selfcheck.workbook.service import Workbook

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """What changed, so screens refresh only what they show. `what`: answer, photo, problem, inspection, school,
    workbook (its state, e.g. turned read-only after a failed integrity check)."""

    what: str
    inspection_id: int | None = None
    item_id: str | None = None
    problem_id: int | None = None


@dataclass(frozen=True)
class Overview:
    """What the home page shows first, read on the worker thread that opened the workbook (so the GUI thread does
    not read it all again): the inspections (archived ones left out), the newest one and its dashboard."""

    inspections: list[InspectionSummary]
    latest_id: int | None
    dashboard: Dashboard | None
    stamp: str | None = None  # the workbook's change stamp and the date, taken before the rest was read
    today: date | None = None


def read_overview(workbook: Workbook) -> Overview:
    """The Overview of a just opened workbook; safe on a worker thread (no other thread has the workbook yet)."""
    from selfcheck.workbook.glance import change_stamp

    today = date.today()
    stamp = change_stamp(workbook.db)
    latest = workbook.inspections.latest_id()
    return Overview(inspections=workbook.inspections.all(), latest_id=latest,
                    dashboard=workbook.inspections.dashboard(latest, today=today) if latest is not None else None,
                    stamp=stamp, today=today)


def keep_glance(workbook: Workbook, overview: Overview, folder: Path) -> bool:
    """Save the start-up snapshot of the home page from `overview` (see workbook/glance.py); False when it is not
    the workbook's current state any more or could not be saved. Safe where read_overview is."""
    from selfcheck.workbook import glance

    if overview.today is None:
        return False
    snapshot = glance.capture(workbook, stamp=overview.stamp, today=overview.today, inspections=overview.inspections,
                              latest_id=overview.latest_id, dashboard=overview.dashboard)
    return snapshot is not None and glance.save(snapshot, folder)


# The workbook's rooms (wb.inspections.all(), wb.ledger.update(), …): their calls take the same lock.
ROOMS = frozenset({"inspections", "answers", "photos", "ledger", "audit"})


class LockedWorkbook:
    """The Workbook with each call under one lock, so a background import and the GUI never interleave on the
    single SQLite connection; its rooms (`wb.ledger`, …) are locked the same way. Attribute access is otherwise
    transparent."""

    def __init__(self, workbook: Any, lock: threading.RLock) -> None:
        self._workbook = workbook
        self._lock = lock

    @property
    def unwrapped(self) -> Workbook:
        return self._workbook

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            value = getattr(self._workbook, name)
        if name in ROOMS and isinstance(self._workbook, _WORKBOOK_TYPES()):
            return LockedWorkbook(value, self._lock)
        if not callable(value):
            return value

        @functools.wraps(value)
        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return locked


def _WORKBOOK_TYPES() -> tuple[type, ...]:  # noqa: N802 - the Workbook class, imported when first needed
    from selfcheck.workbook.service import Workbook

    return (Workbook,)


def open_workbook(path: Path, actor: str, *, read_only: bool = False) -> Workbook:
    """Open a workbook; safe on a worker thread (the connection may be used from any thread under the lock)."""
    from selfcheck.workbook.service import Workbook

    return Workbook.open(path, actor=actor, read_only=read_only)


class Session(QObject):
    """Holds at most one open workbook. Opening, creating and closing go through here."""

    workbook_changed = Signal()  # a workbook was opened, replaced or closed, or its start-up snapshot shown or gone
    actor_changed = Signal(str)  # the person recorded as answering
    data_changed = Signal(object)  # a Change
    inspection_changed = Signal(object)  # the current inspection id (or None)

    def __init__(self, actor: str, glance_folder: Path | None = None) -> None:
        super().__init__()
        self.actor = actor
        # Where the start-up snapshots of the home page are kept (None: not kept, e.g. in tests that say so).
        self.glance_folder = glance_folder
        self._lock = threading.RLock()
        self._workbook: Workbook | None = None
        self._wrapped: LockedWorkbook | None = None
        self._inspection_id: int | None = None
        self._overview: Overview | None = None
        self._preview: Glance | None = None
        self.last_saved: datetime | None = None

    # --- workbook -------------------------------------------------------------------------------------------------
    @property
    def workbook(self) -> LockedWorkbook | None:
        return self._wrapped

    def require(self) -> LockedWorkbook:
        """The open workbook; WorkbookError (shown to the user) when none is open."""
        if self._wrapped is None:
            from selfcheck.workbook.errors import WorkbookError

            raise WorkbookError("还没有打开工作簿。请先在“文件”菜单中新建或打开一个工作簿。")
        return self._wrapped

    @property
    def path(self) -> Path | None:
        return self._workbook.path if self._workbook is not None else None

    @property
    def read_only(self) -> bool:
        return bool(self._workbook is not None and self._workbook.read_only)

    @property
    def read_only_reason(self) -> str | None:
        """Why the open workbook is read-only, when that was not simply the user's choice."""
        return self._workbook.read_only_reason if self._workbook is not None else None

    def open(self, path: Path, *, read_only: bool = False) -> None:
        """Open `path` (closing the current workbook only once the new one opened)."""
        self.adopt(open_workbook(path, self.actor, read_only=read_only))

    def create(self, path: Path) -> None:
        from selfcheck.workbook.service import Workbook

        self.adopt(Workbook.create(path, actor=self.actor))

    def adopt(self, workbook: Workbook, overview: Overview | None = None) -> None:
        """Make an already opened workbook (e.g. opened on a worker thread) the current one. `overview`: what the
        home page shows first, read with it (see read_overview)."""
        with self._lock:
            old = self._workbook
            if old is not None:
                self._keep_glance(old)
            self._workbook = workbook
            self._wrapped = LockedWorkbook(workbook, self._lock)
            self._inspection_id = None
            self._overview = overview
            self._preview = None
            self.last_saved = None
        if old is not None:
            old.close()
        self._adopt_default_actor()
        self.workbook_changed.emit()  # listeners pick the inspection to show (the current one was reset)

    # --- who answers -----------------------------------------------------------------------------------------------
    def people(self) -> list[str]:
        """The 填报人 and the current inspection's team: who can be recorded as answering."""
        from selfcheck.workbook.people import people_of

        if self._workbook is None or self.read_only:
            return []
        with self._lock:
            return people_of(self._workbook, self._inspection_id)

    def set_actor(self, name: str) -> None:
        """Record changes from now on as made by `name` (WorkbookError for an empty name)."""
        with self._lock:
            if self._workbook is not None and not self._workbook.read_only:
                name = self._workbook.set_actor(name)
            self.actor = name
        self.actor_changed.emit(name)

    def _adopt_default_actor(self) -> None:
        """The profile's 填报人, unless the person answering is already one of the school's people."""
        if self._workbook is None or self._workbook.read_only:
            return
        school = self._workbook.get_school()
        if school is None or not school.preparer.strip() or self.actor in self.people():
            return
        self.set_actor(school.preparer)

    @property
    def overview(self) -> Overview | None:
        """The overview read with the workbook, until the home page has shown it or anything changed."""
        return self._overview

    def take_overview(self) -> Overview | None:
        """The overview read with the workbook, once (later readers read the workbook itself)."""
        overview, self._overview = self._overview, None
        return overview

    def close(self) -> None:
        with self._lock:
            old = self._workbook
            if old is not None:
                self._keep_glance(old)
            self._workbook = None
            self._wrapped = None
            self._inspection_id = None
            self._overview = None
            previewing, self._preview = self._preview is not None, None
        if old is not None:
            old.close()
        if old is not None or previewing:
            self.workbook_changed.emit()
        if old is not None:
            self.inspection_changed.emit(None)

    # --- the start-up snapshot of the home page --------------------------------------------------------------------
    @property
    def preview(self) -> Glance | None:
        """The snapshot the home page shows while the workbook is still opening (no workbook is open yet)."""
        return self._preview

    def show_preview(self, glance: Glance) -> None:
        """Show `glance` until the workbook itself is adopted (or the open fails: end_preview)."""
        if self._workbook is None:
            self._preview = glance
            self.workbook_changed.emit()

    def end_preview(self) -> None:
        if self._preview is not None:
            self._preview = None
            self.workbook_changed.emit()

    def _keep_glance(self, workbook: Workbook) -> None:
        """Before `workbook` closes: save its snapshot for the next start, unless the one kept is still current.
        Never stands in the way of closing (what fails is logged; the next start just opens the normal way)."""
        if self.glance_folder is None:
            return
        try:
            from selfcheck.workbook.glance import change_stamp, kept_stamp

            stamp = change_stamp(workbook.db)
            if stamp is None or stamp == kept_stamp(workbook.path, self.glance_folder):
                return
            keep_glance(workbook, read_overview(workbook), self.glance_folder)
        except Exception:  # a snapshot only saves time: closing must go on whatever failed
            log.warning("start-up snapshot of %s not saved", workbook.path, exc_info=True)

    # --- current inspection --------------------------------------------------------------------------------------------
    @property
    def inspection_id(self) -> int | None:
        return self._inspection_id

    def set_inspection(self, inspection_id: int | None) -> None:
        if inspection_id != self._inspection_id:
            self._inspection_id = inspection_id
            self.inspection_changed.emit(inspection_id)


    # --- changes -----------------------------------------------------------------------------------------------------
    def changed(self, change: Change) -> None:
        """Call after a successful write: the workbook committed it, so it is saved."""
        self.last_saved = datetime.now()
        self._overview = None  # no longer what the workbook holds
        if change.what == "school":
            self._adopt_default_actor()  # the 填报人 named or renamed: answers are recorded under the new name
        self.data_changed.emit(change)
