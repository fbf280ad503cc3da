"""Composition root: creates the QApplication, builds the services once and opens the main window."""

from __future__ import annotations

import faulthandler
import functools
import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from selfcheck import APP_NAME, APP_TITLE, __version__
from selfcheck.gui.context import AppContext, current_actor
from selfcheck.gui.errors import ExceptionHandler
from selfcheck.gui.fonts import apply_cjk_font
from selfcheck.gui.session import Session
from selfcheck.gui.settings import AppSettings, open_qsettings
from selfcheck.gui.tasks import TaskRunner
from selfcheck.gui.titles import TitleFitter
from selfcheck.logs import log_file, setup_logging
from selfcheck.paths import glance_dir, log_dir
from selfcheck.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from selfcheck.gui.catalog import ChecklistCatalog
    from selfcheck.gui.desks import Desks
    from selfcheck.gui.district.context import DistrictContext
    from selfcheck.runs import RunRecord, UnfinishedRun

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """The app icon when the installer's icon file is present, else an empty icon."""
    try:
        path = resource_path("icons", "selfcheck.png")
    except FileNotFoundError:
        return QIcon()
    return QIcon(str(path)) if path.is_file() else QIcon()


class MnemonicFallback(QTranslator):
    """Qt 6 added keyboard mnemonics to a few texts whose Chinese translation still has the old text without one
    (the file dialog's "&Look in:" and "Files of &type:" stayed English): such a text gets the translation of its
    plain form, with the mnemonic in the Chinese style, "查找范围(&L)："."""

    def __init__(self, translations: QTranslator, parent: QObject) -> None:
        super().__init__(parent)
        self._translations = translations

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        at = source.find("&")
        if at < 0 or at + 1 >= len(source) or source[at + 1] == "&":
            return ""
        plain = self._translations.translate(context, source[:at] + source[at + 1:], disambiguation, n)
        if not plain:
            return ""
        mnemonic = f"(&{source[at + 1].upper()})"
        stem = plain.rstrip("：:")
        return stem + mnemonic + plain[len(stem):]

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False


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
        app.installTranslator(MnemonicFallback(translator, app))  # asked last: only what qtbase has not
        app.installTranslator(translator)
        app.setProperty("selfcheck_translations", True)
        return True
    log.warning("Qt Chinese translations not found in %s", folder)
    return False


TITLE_FITTER = "selfcheck_title_fitter"  # the application's TitleFitter, as an application property
DESKS = "selfcheck_desks"  # the application's Desks (start_desks), as an application property


def build_watched(build: Callable[[], QMainWindow]) -> QMainWindow:
    """Build a desk window whose dialogs get their titles fitted: from the first window on, the title fitter
    watches the windows rather than every event of the app (see TitleFitter). Building shows no dialog."""
    app = QApplication.instance()
    fitter = app.property(TITLE_FITTER) if app is not None else None
    if not isinstance(fitter, TitleFitter):
        return build()
    app.removeEventFilter(fitter)
    window = build()
    window.installEventFilter(fitter)
    return window


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
    fitter = app.property(TITLE_FITTER)
    if not isinstance(fitter, TitleFitter):
        fitter = TitleFitter(app)
        app.setProperty(TITLE_FITTER, fitter)
    app.installEventFilter(fitter)  # every dialog of the app, until a desk window is built (build_watched)
    if sys.platform == "win32":  # own taskbar button and icon instead of python.exe's
        try:
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("SelfCheck.SelfCheck")  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            pass
    return app


def _load_catalog() -> ChecklistCatalog:
    # Imported on first use: start-up with a workbook does not need the catalog.
    from selfcheck.gui.catalog import load_catalog

    return load_catalog()


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
        checklists=(lambda: catalog) if catalog is not None else functools.cache(_load_catalog),
        session=Session(actor or current_actor(), glance_folder=glance_dir()),
        tasks=tasks or TaskRunner(),
        log_file=log_file(),
    )


def build_district_context(
    *,
    settings: AppSettings | None = None,
    actor: str | None = None,
    tasks: TaskRunner | None = None,
) -> DistrictContext:
    """The district desk's services, built once like build_context's."""
    from selfcheck.gui.district.context import DistrictContext
    from selfcheck.gui.district.desk import DistrictDesk

    return DistrictContext(
        settings=settings or AppSettings(open_qsettings()),
        desk=DistrictDesk(actor or current_actor()),
        tasks=tasks or TaskRunner(),
        log_file=log_file(),
    )


def build_desks(settings: AppSettings, run: RunRecord | None = None) -> Desks:
    """The window switcher with both desks' window factories (each window gets fresh services). `run` is told
    which school workbook is open (for the next start, should this run end abnormally)."""
    from selfcheck.gui.desks import Desks
    from selfcheck.gui.settings import DISTRICT_DESK, SCHOOL_DESK

    def school() -> QMainWindow:
        from selfcheck.gui.main_window import MainWindow

        window = MainWindow(build_context(settings=settings))
        if run is not None:
            window.record_run(run)
        return window

    def district() -> QMainWindow:
        from selfcheck.gui.district.window import DistrictWindow

        return DistrictWindow(build_district_context(settings=settings))

    return Desks(settings, {SCHOOL_DESK: lambda: build_watched(school),
                            DISTRICT_DESK: lambda: build_watched(district)})


def start_desks(workbook: Path | None, qt_args: list[str], *, settings: AppSettings | None = None,
                run: RunRecord | None = None, unfinished: list[UnfinishedRun] | None = None) -> Desks:
    """Create the application and show the remembered desk's window; `workbook` (a school workbook given on the
    command line) always opens the school desk. The window is painted first; files open once the loop runs.
    `unfinished` (earlier runs that ended abnormally) are announced in the window."""
    from selfcheck.gui.settings import SCHOOL_DESK

    app = create_application(qt_args)
    settings = settings or AppSettings(open_qsettings())
    desks = build_desks(settings, run)
    desks.setParent(app)  # lives as long as the application; the windows it swaps hold no reference to it
    app.setProperty(DESKS, desks)
    window = desks.open(SCHOOL_DESK if workbook is not None else None, workbook)
    if unfinished:
        from selfcheck.gui.crash_notice import announce_unfinished_runs

        announce_unfinished_runs(window, unfinished, log_file())
    return desks


def launch(workbook: Path | None, qt_args: list[str], *, settings: AppSettings | None = None,
           run: RunRecord | None = None, unfinished: list[UnfinishedRun] | None = None) -> QMainWindow:
    """Create the application and show the desk's window; returns the window (the caller runs the event loop)."""
    return start_desks(workbook, qt_args, settings=settings, run=run, unfinished=unfinished).window


def collect_garbage_again() -> None:
    """Turn the garbage collector back on once the window takes input (the command line turned it off for the
    start). What start-up built lives as long as the app: frozen, it is not walked again by every full pass."""
    gc.freeze()
    gc.enable()


def run_gui(workbook: str | None, qt_args: list[str]) -> int:
    """Open the desktop app (optionally on `workbook`) and run until the window closes; returns the exit code."""
    from selfcheck.runs import enable_crash_trace, start_run

    setup_logging()
    crash_trace = enable_crash_trace(log_dir())
    # Before any workbook opens: a stale lock left by an abnormal end is cleaned up first.
    run, unfinished = start_run(log_dir())
    handler = ExceptionHandler(log_file())
    handler.install()
    try:
        launch(Path(workbook) if workbook else None, qt_args, run=run, unfinished=unfinished)
        QTimer.singleShot(0, collect_garbage_again)
        app = QApplication.instance()
        assert app is not None
        # start_desks kept it with the app (the user may have switched windows). Not app.findChild(Desks): that
        # wraps every child of the app in Python, the style among them, whose class has hundreds of enum values.
        desks = app.property(DESKS)
        code = app.exec()
        # The loop can also end without the window closing (e.g. the Windows session ends): never leave a worker
        # writing to the workbook while Python shuts down, and close the file as closing the window does (else
        # it keeps its lock and log, and the next start takes the slow path).
        if desks is not None and desks.window is not None:
            desks.window.shut_down()
        run.finish()
        return code
    finally:
        gc.enable()
        handler.uninstall()
        if crash_trace is not None:
            faulthandler.disable()
            crash_trace.close()
