"""The one way slow work runs: on a thread pool, with a cancellable progress dialog, results back on the GUI thread.

Thread rules, which keep native crashes out (a QObject deleted off its thread, a signal object outliving its
receiver, a widget freed by a worker dropping the last reference to a closure that captured it):

* the worker side (`_Job`) holds no Qt object: it runs a plain Python callable and talks to the GUI thread only
  by emitting one long-lived `_Mailbox` signal that the runner owns on the GUI thread (a queued connection);
* outcomes are stored in the runner under a lock and picked up on the GUI thread, and the worker drops its own
  reference to the task's function before it posts, so every last reference (the function's closure, the result,
  the exception's traceback) is released on the GUI thread;
* a task stays registered, with its progress dialog and callbacks, until the GUI thread has handled its outcome;
* the progress dialog's parent may be closed while the task runs: nothing is touched once it is gone.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from selfcheck.errors import UserError

log = logging.getLogger(__name__)

T = TypeVar("T")
_NEVER_MS = 2**31 - 1  # a progress dialog minimum duration that never elapses

_PROGRESS_INTERVAL = 0.05  # seconds between progress messages a worker posts (the dialog needs no more)


class TaskCancelled(Exception):
    """Raised by `Progress.check()` inside a worker when the user pressed 取消."""


class Progress:
    """Handed to the worker function: report progress and notice cancellation. Safe to use from the worker."""

    def __init__(self, emit: Callable[[int, int, str], None], cancel_event: threading.Event) -> None:
        self._emit = emit
        self._cancel = cancel_event
        self._last = 0.0

    def update(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last < _PROGRESS_INTERVAL and not (total > 0 and done >= total):
            return  # a flood of queued messages would only slow the GUI thread down
        self._last = now
        self._emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise TaskCancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise TaskCancelled


class _Mailbox(QObject):
    """Lives on the GUI thread as long as its runner; workers emit, the runner's slot runs on the GUI thread."""

    posted = Signal(int, str, object)  # task id, "progress" | "outcome", payload (plain Python data)


class _Job:
    """What a pool thread runs: the task's function and a way to post back. No Qt object in here."""

    def __init__(self, task_id: int, fn: Callable[[Progress], Any], cancel: threading.Event,
                 store: Callable[[int, str, Any], None], post: Callable[[int, str, object], None]) -> None:
        self._task_id = task_id
        self._fn: Callable[[Progress], Any] | None = fn
        self._cancel = cancel
        self._store = store
        self._post = post

    def __call__(self) -> None:
        fn, self._fn = self._fn, None
        assert fn is not None
        try:
            result = fn(Progress(self._progress, self._cancel))
        except TaskCancelled:
            self._store(self._task_id, "cancelled", None)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self._store(self._task_id, "failed", exc)
            del exc
        else:
            self._store(self._task_id, "finished", result)
            del result
        del fn  # the GUI-side Task still holds it: its closure is released on the GUI thread
        self._post(self._task_id, "outcome", None)

    def _progress(self, done: int, total: int, text: str) -> None:
        self._post(self._task_id, "progress", (done, total, text))


class Task(Generic[T]):
    """One background job and its progress dialog, on the GUI thread. Ends once, whatever the outcome."""

    def __init__(
        self,
        fn: Callable[[Progress], T],
        *,
        title: str,
        label: str,
        parent: QWidget | None,
        on_success: Callable[[T], None] | None,
        on_error: Callable[[BaseException], bool] | None,
        on_cancelled: Callable[[], None] | None,
        cancellable: bool,
        show_after_ms: int,
    ) -> None:
        self.fn: Callable[[Progress], T] | None = fn
        self._on_success = on_success
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self.cancel_event = threading.Event()
        self.finished = False
        self.cancellable = cancellable
        self._parent = parent
        self.dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.title = title
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(show_after_ms)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.setValue(0)  # starts the minimum-duration timer; short tasks never show the dialog

    def go_quiet(self) -> None:
        """Never show the progress dialog from now on (the window itself shows what is going on)."""
        if self._dialog_alive() and not self.dialog.isVisible():
            self.dialog.setMinimumDuration(_NEVER_MS)  # restarts its not-yet-fired timer with the new duration

    def _dialog_alive(self) -> bool:
        return shiboken6.isValid(self.dialog)

    @property
    def parent_gone(self) -> bool:
        """The widget the task was started from was destroyed while it ran (its dialog went with it)."""
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def cancel(self) -> None:
        """Ask the worker to stop at its next check; the dialog says so meanwhile."""
        if not self.finished:
            self.cancel_event.set()
            if self._dialog_alive():
                self.dialog.setLabelText("正在取消，请稍候……")

    @property
    def cancel_requested(self) -> bool:
        return self.cancel_event.is_set()

    def show_progress(self, done: int, total: int, text: str) -> None:
        if self.finished or not self._dialog_alive():
            return
        if self.dialog.maximum() != max(total, 0):
            self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        if text and not self.cancel_event.is_set():
            self.dialog.setLabelText(text)

    def _close(self) -> None:
        self.finished = True
        if self._dialog_alive():
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()

    def end(self, kind: str, payload: Any) -> None:
        """Close the dialog and run the callback for the outcome (GUI thread)."""
        self._close()
        if self.parent_gone:
            # Whoever asked is gone (its window was closed): nobody to tell, and its widgets must not be touched.
            log.info("background task ended (%s) after its window closed", kind)
            if kind == "failed" and not isinstance(payload, UserError):
                log.error("background task failed", exc_info=(type(payload), payload, payload.__traceback__))
            close = getattr(payload, "close", None) if kind == "finished" else None
            if callable(close):
                close()  # e.g. a workbook opened for a closed window must not keep its lock
            return
        if kind == "finished":
            if self._on_success is not None:
                self._on_success(payload)
        elif kind == "cancelled":
            if self._on_cancelled is not None:
                self._on_cancelled()
        else:
            self._failed(payload)

    def _failed(self, exc: BaseException) -> None:
        if self._on_error is not None and self._on_error(exc):
            return
        if isinstance(exc, UserError):
            from selfcheck.gui.errors import show_user_error

            show_user_error(self._parent, exc)
            return
        # A bug in the worker: the global handler logs it and says, in Chinese, which task failed.
        from selfcheck.gui.errors import ACTION_NOTE

        exc.add_note(f"{ACTION_NOTE}{self.title}")
        sys.excepthook(type(exc), exc, exc.__traceback__)


class TaskRunner(QObject):
    """Starts background tasks; keeps them alive until their outcome was handled. One per application, living
    longer than every task it starts (the window waits for them when it closes)."""

    def __init__(self, pool: QThreadPool | None = None, show_after_ms: int = 400) -> None:
        super().__init__()
        self._pool = pool or QThreadPool.globalInstance()
        self._tasks: dict[int, Task[Any]] = {}
        self._outcomes: dict[int, tuple[str, Any]] = {}
        self._outcomes_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._show_after_ms = show_after_ms
        self._mailbox = _Mailbox(self)
        self._mailbox.posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.started = 0  # counts for tests and diagnostics
        self.ended = 0

    def run(
        self,
        fn: Callable[[Progress], T],
        *,
        title: str,
        label: str,
        parent: QWidget | None,
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], bool] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        cancellable: bool = True,
        quiet: bool = False,
    ) -> Task[T]:
        """Run `fn(progress)` off the GUI thread.

        `fn` must not touch Qt widgets (copy what it needs first). `on_success(result)` runs on the GUI thread.
        A UserError raised by `fn` becomes a Chinese dialog unless `on_error(exc)` returns True; any other
        exception goes to the global error handler. If `parent` is destroyed before the task ends, no callback runs.
        `quiet`: never show the progress dialog (checks the user need not wait for).
        """
        task_id = next(self._ids)
        task: Task[T] = Task(fn, title=title, label=label, parent=parent, on_success=on_success,
                             on_error=on_error, on_cancelled=on_cancelled, cancellable=cancellable,
                             show_after_ms=_NEVER_MS if quiet else self._show_after_ms)
        self._tasks[task_id] = task
        self.started += 1
        self._pool.start(_Job(task_id, fn, task.cancel_event, self._store, self._mailbox.posted.emit))
        return task

    def _store(self, task_id: int, kind: str, payload: Any) -> None:
        """Worker thread: park the outcome for the GUI thread."""
        with self._outcomes_lock:
            self._outcomes[task_id] = (kind, payload)

    def _deliver(self, task_id: int, message: str, payload: object) -> None:
        """GUI thread: show progress, or end the task."""
        task = self._tasks.get(task_id)
        if message == "progress":
            if task is not None:
                task.show_progress(*payload)  # type: ignore[misc]
            return
        with self._outcomes_lock:
            kind, result = self._outcomes.pop(task_id, ("failed", RuntimeError("task outcome lost")))
        if task is None:
            return
        try:
            task.end(kind, result)
        finally:
            del self._tasks[task_id]  # the function and callbacks are released here, on the GUI thread
            task.fn = None
            self.ended += 1

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    @property
    def long_work_running(self) -> bool:
        """A cancellable task (photo import, export) is running: worth asking before quitting."""
        return any(task.cancellable and not task.finished for task in self._tasks.values())

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until the pool's threads are done (used when the window closes). Outcomes are handled later,
        by the event loop."""
        return self._pool.waitForDone(msecs)
