"""Composition root: creates the QApplication, builds the services once and opens the main window."""

from __future__ import annotations

import faulthandler
import functools
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from selfcheck import APP_NAME, APP_TITLE, __version__
from selfcheck.gui.catalog import ChecklistCatalog, load_catalog
from selfcheck.gui.context import AppContext, current_actor
from selfcheck.gui.errors import ExceptionHandler
from selfcheck.gui.fonts import apply_cjk_font
from selfcheck.gui.session import Session
from selfcheck.gui.settings import AppSettings, open_qsettings
from selfcheck.gui.tasks import TaskRunner
from selfcheck.gui.titles import TitleFitter
from selfcheck.logs import log_file, setup_logging
from selfcheck.paths import log_dir
from selfcheck.resources import resource_path

if TYPE_CHECKING:
    from selfcheck.gui.main_window import MainWindow
    from selfcheck.runs import RunRecord, UnfinishedRun

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """The app icon when the installer's icon file is present, else an empty icon."""
    try:
        path = resource_path("icons", "selfcheck.png")
    except FileNotFoundError:
        return QIcon()
    return QIcon(str(path)) if path.is_file() else QIcon()


def install_chinese_translations(app: QApplication) -> bool:
    """Qt's own texts (是/否/取消 buttons, file dialogs, context menus) in Simplified Chinese, and the Chinese
    locale for dates and numbers (the date picker's 十二月 / 周一). Installed once per application."""
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)
    QLocale.setDefault(chinese)
    if app.property("selfcheck_translations"):
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(chinese, "qtbase", "_", folder):
        app.installTranslator(translator)
        app.setProperty("selfcheck_translations", True)
        return True
    log.warning("Qt Chinese translations not found in %s", folder)
    return False


def create_application(qt_args: list[str]) -> QApplication:
    """The QApplication with names, icon and a Chinese-capable font (reused if one exists, as in tests)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt 6 scales for high-DPI itself; fractional factors (125 %, 150 %) must not be rounded to whole ones.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication([sys.argv[0] if sys.argv else "selfcheck", *qt_args])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    install_chinese_translations(app)
    apply_cjk_font(app)
    if not app.property("selfcheck_title_fitter"):
        fitter = TitleFitter(app)
        app.installEventFilter(fitter)
        app.setProperty("selfcheck_title_fitter", True)
    if sys.platform == "win32":  # own taskbar button and icon instead of python.exe's
        try:
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("SelfCheck.SelfCheck")  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            pass
    return app


def build_context(
    *,
    settings: AppSettings | None = None,
    catalog: ChecklistCatalog | None = None,
    actor: str | None = None,
    tasks: TaskRunner | None = None,
) -> AppContext:
    """Build every service once. Tests pass their own pieces; the app passes none."""
    return AppContext(
        settings=settings or AppSettings(open_qsettings()),
        checklists=(lambda: catalog) if catalog is not None else functools.cache(load_catalog),
        session=Session(actor or current_actor()),
        tasks=tasks or TaskRunner(),
        log_file=log_file(),
    )


def launch(workbook: Path | None, qt_args: list[str], *, settings: AppSettings | None = None,
           run: RunRecord | None = None, unfinished: list[UnfinishedRun] | None = None,
           record_runs_in: Path | None = None) -> MainWindow:
    """Create the application and show the main window; the workbook opens once the event loop runs.

    The window is painted first and the workbook opens on a worker thread, so a large workbook never delays
    the window. `run` records the open workbook (for the next start, should this run end abnormally);
    `unfinished` are earlier runs that did, announced in the window. With `record_runs_in` the run is recorded
    there on a worker thread first (cleaning up what an abnormal end left, such as a stale workbook lock), and
    the workbook opens after that. Returns the window (the caller runs the event loop).
    """
    from selfcheck.gui.main_window import MainWindow

    create_application(qt_args)
    window = MainWindow(build_context(settings=settings))
    if run is not None:
        window.record_run(run, unfinished or [])
    window.show()
    if record_runs_in is not None:
        window.start_run_record(record_runs_in, then=lambda: window.start(workbook))
    else:
        QTimer.singleShot(0, lambda: window.start(workbook))
    return window


def run_gui(workbook: str | None, qt_args: list[str]) -> int:
    """Open the desktop app (optionally on `workbook`) and run until the window closes; returns the exit code."""
    from selfcheck.runs import enable_crash_trace

    setup_logging()
    crash_trace = enable_crash_trace(log_dir())
    handler = ExceptionHandler(log_file())
    handler.install()
    try:
        window = launch(Path(workbook) if workbook else None, qt_args, record_runs_in=log_dir())
        app = QApplication.instance()
        assert app is not None
        code = app.exec()
        # The loop can also end without the window closing (e.g. the session ends): never leave a worker
        # writing to the workbook while Python shuts down.
        window.finish_background_work()
        window.finish_run_record()
        return code
    finally:
        handler.uninstall()
        if crash_trace is not None:
            faulthandler.disable()
            crash_trace.close()
