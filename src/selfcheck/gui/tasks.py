"""The one way slow work runs: on a thread pool, with a cancellable progress dialog, results back on the GUI thread."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from selfcheck.errors import UserError

log = logging.getLogger(__name__)

T = TypeVar("T")
_NEVER_MS = 2**31 - 1  # a progress dialog minimum duration that never elapses


class TaskCancelled(Exception):
    """Raised by `Progress.check()` inside a worker when the user pressed 取消."""


class Progress:
    """Handed to the worker function: report progress and notice cancellation. Safe to use from the worker."""

    def __init__(self, emit: Callable[[int, int, str], None], cancel_event: threading.Event) -> None:
        self._emit = emit
        self._cancel = cancel_event

    def update(self, done: int, total: int, text: str = "") -> None:
        self._emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise TaskCancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise TaskCancelled


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals, cancel_event: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals
        self._cancel = cancel_event

    def run(self) -> None:
        # Only signals leave this thread: widgets are touched in the slots, on the GUI thread.
        progress = Progress(self._emit_progress, self._cancel)
        try:
            result = self._fn(progress)
        except TaskCancelled:
            self._deliver(self._signals.cancelled.emit)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self._deliver(lambda error=exc: self._signals.failed.emit(error))  # `exc` is unbound after the block
        else:
            self._deliver(lambda: self._signals.finished.emit(result))

    def _emit_progress(self, done: int, total: int, text: str) -> None:
        self._deliver(lambda: self._signals.progress.emit(done, total, text))

    @staticmethod
    def _deliver(emit: Callable[[], object]) -> None:
        try:
            emit()
        except RuntimeError:  # the application is shutting down and the receiver is gone
            log.debug("background task result dropped at shutdown")


class Task(QObject, Generic[T]):
    """One background job and its progress dialog; emits `done` once, whatever the outcome."""

    done = Signal()

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
        super().__init__()
        self._fn = fn
        self._on_success = on_success
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self._cancel_event = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_task_cancelled)
        self.finished = False
        self.cancellable = cancellable
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
        self._label = label

    def start(self, pool: QThreadPool) -> None:
        self.dialog.setValue(0)  # starts the minimum-duration timer; short tasks never show the dialog
        pool.start(_Runnable(self._fn, self._signals, self._cancel_event))

    def cancel(self) -> None:
        """Ask the worker to stop at its next check; the dialog says so meanwhile."""
        if not self.finished:
            self._cancel_event.set()
            self.dialog.setLabelText("正在取消，请稍候……")

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.finished:
            return
        if self.dialog.maximum() != max(total, 0):
            self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        if text and not self._cancel_event.is_set():
            self.dialog.setLabelText(text)

    def _close(self) -> None:
        self.finished = True
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()

    def _on_finished(self, result: T) -> None:
        self._close()
        try:
            if self._on_success is not None:
                self._on_success(result)
        finally:
            self.done.emit()

    def _on_task_cancelled(self) -> None:
        self._close()
        try:
            if self._on_cancelled is not None:
                self._on_cancelled()
        finally:
            self.done.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._close()
        try:
            if self._on_error is not None and self._on_error(exc):
                return
            if isinstance(exc, UserError):
                from selfcheck.gui.errors import show_user_error

                show_user_error(self.dialog.parentWidget(), exc)
                return
            # A bug in the worker: the global handler logs it and says, in Chinese, which task failed.
            from selfcheck.gui.errors import ACTION_NOTE

            exc.add_note(f"{ACTION_NOTE}{self.title}")
            sys.excepthook(type(exc), exc, exc.__traceback__)
        finally:
            self.done.emit()


class TaskRunner(QObject):
    """Starts background tasks; keeps them alive until they end. One per application."""

    def __init__(self, pool: QThreadPool | None = None, show_after_ms: int = 400) -> None:
        super().__init__()
        self._pool = pool or QThreadPool.globalInstance()
        self._tasks: set[Task[Any]] = set()
        self._show_after_ms = show_after_ms

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

        `on_success(result)` runs on the GUI thread. A UserError raised by `fn` becomes a Chinese dialog
        unless `on_error(exc)` returns True; any other exception goes to the global error handler.
        `quiet`: never show the progress dialog (checks the user need not wait for).
        """
        task: Task[T] = Task(fn, title=title, label=label, parent=parent, on_success=on_success,
                             on_error=on_error, on_cancelled=on_cancelled, cancellable=cancellable,
                             show_after_ms=_NEVER_MS if quiet else self._show_after_ms)
        self._tasks.add(task)
        task.done.connect(lambda: self._tasks.discard(task))
        task.start(self._pool)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    @property
    def long_work_running(self) -> bool:
        """A cancellable task (photo import, export) is running: worth asking before quitting."""
        return any(task.cancellable for task in self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until the pool's threads are done (used when the window closes). Slots still run later."""
        return self._pool.waitForDone(msecs)
