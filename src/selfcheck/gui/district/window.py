"""The district window: menus, the page navigator and status bar; pages are built on first use, refreshed when shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from selfcheck import __version__
from selfcheck.errors import UserError
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.workspace_actions import WorkspaceActions
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.settings import SCHOOL_DESK
from selfcheck.gui.widgets import make_heading

log = logging.getLogger(__name__)

TITLE = "区县汇总核验"
ROSTER, RECEIVE, STATUS, COMPARISON, ITEMS, RECTIFICATION, SCHOOL = (
    "roster", "receive", "status", "comparison", "items", "rectification", "school")
PAGES = (ROSTER, RECEIVE, STATUS, COMPARISON, ITEMS, RECTIFICATION, SCHOOL)
SETTINGS_KEY = "district"
# Which pages show what: a change to one of these refreshes them when next shown.
SHOWS = {
    "roster": {ROSTER, STATUS, COMPARISON, RECTIFICATION, SCHOOL},
    "registry": {ROSTER},
    "tiers": {COMPARISON, SCHOOL},
    "campaigns": {RECEIVE, STATUS, COMPARISON, ITEMS, RECTIFICATION, SCHOOL},
    "reports": {RECEIVE, STATUS, COMPARISON, ITEMS, RECTIFICATION, SCHOOL},
}


class DistrictWindow(QMainWindow):
    """The bureau's window. Holds no data: the desk has the workspace, pages show it."""

    desk_requested = Signal(str)  # the user asked for the school desk; the app swaps windows

    def __init__(self, context: DistrictContext) -> None:
        super().__init__()
        self.form = load_form("district_window.ui", self)
        self._ctx = context
        self._desk = context.desk
        self._pages: dict[str, QWidget] = {}
        self._dirty: set[str] = set()
        self.files = WorkspaceActions(context, self)
        self.closing = False
        self._shut_down = False
        self._init_widgets()
        self._init_pages()
        self._init_actions()
        self._init_signals()
        self._restore_geometry()
        self._update_state()

    # --- set-up -----------------------------------------------------------------------------------------------------
    def _init_widgets(self) -> None:
        make_heading(self.form.welcome_title_label, 1.6)
        self._path_label = QLabel()
        self._path_label.setObjectName("status_path")
        self.statusBar().addWidget(self._path_label, 1)

    def _init_pages(self) -> None:
        self._page_actions: dict[str, QAction] = {name: getattr(self.form, f"action_page_{name}") for name in PAGES}
        group = QActionGroup(self)
        group.setExclusive(True)
        for name, action in self._page_actions.items():
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, n=name: self.show_page(n))

    def _page_factories(self) -> dict[str, Callable[[], QWidget]]:
        # Imported here so start-up pays only for the pages the bureau opens (charts load QtCharts).
        def roster() -> QWidget:
            from selfcheck.gui.district.roster_page import RosterPage

            return RosterPage(self._ctx, self)

        def receive() -> QWidget:
            from selfcheck.gui.district.receive_page import ReceivePage

            return ReceivePage(self._ctx, self)

        def status() -> QWidget:
            from selfcheck.gui.district.status_page import StatusPage

            return StatusPage(self._ctx, self)

        def comparison() -> QWidget:
            from selfcheck.gui.district.comparison_page import ComparisonPage

            return ComparisonPage(self._ctx, self)

        def items() -> QWidget:
            from selfcheck.gui.district.items_page import ItemsPage

            return ItemsPage(self._ctx, self)

        def rectification() -> QWidget:
            from selfcheck.gui.district.rectification_page import RectificationPage

            return RectificationPage(self._ctx, self)

        def school() -> QWidget:
            from selfcheck.gui.district.school_page import SchoolPage

            return SchoolPage(self._ctx, self)

        return {ROSTER: roster, RECEIVE: receive, STATUS: status, COMPARISON: comparison, ITEMS: items,
                RECTIFICATION: rectification, SCHOOL: school}

    def page(self, name: str) -> QWidget:
        """The page `name`, built on first use."""
        if name not in self._pages:
            widget = self._page_factories()[name]()
            school_requested = getattr(widget, "school_requested", None)
            if school_requested is not None:
                school_requested.connect(self.show_school)
            message = getattr(widget, "message", None)
            if message is not None:
                message.connect(self.show_status_message)
            self._pages[name] = widget
            self._dirty.add(name)
            self.form.stack.addWidget(widget)
        return self._pages[name]

    def _init_actions(self) -> None:
        f = self.form
        f.action_new_workspace.triggered.connect(self.files.new_workspace)
        f.action_open_workspace.triggered.connect(self.files.open_workspace_dialog)
        f.action_close_workspace.triggered.connect(self.files.close_workspace)
        f.menu_recent.aboutToShow.connect(lambda: self.files.fill_recent_menu(f.menu_recent))
        f.welcome_new_button.clicked.connect(self.files.new_workspace)
        f.welcome_open_button.clicked.connect(self.files.open_workspace_dialog)
        f.welcome_school_button.clicked.connect(lambda: self.desk_requested.emit(SCHOOL_DESK))
        f.action_switch_school.triggered.connect(lambda: self.desk_requested.emit(SCHOOL_DESK))
        f.action_quit.triggered.connect(self.close)
        f.action_import_roster.triggered.connect(lambda: self._on_page(ROSTER, "import_roster"))
        f.action_add_school.triggered.connect(lambda: self._on_page(ROSTER, "add_school"))
        f.action_register_certificate.triggered.connect(lambda: self._on_page(ROSTER, "register_certificate"))
        f.action_receive_files.triggered.connect(lambda: self._on_page(RECEIVE, "choose_files"))
        f.action_receive_folder.triggered.connect(lambda: self._on_page(RECEIVE, "choose_folder"))
        f.action_new_campaign.triggered.connect(self.files.new_campaign)
        f.action_edit_campaign.triggered.connect(self.files.edit_campaign)
        f.action_tier_thresholds.triggered.connect(self.files.edit_tier_thresholds)
        f.action_export_xlsx.triggered.connect(lambda: self.files.export("xlsx"))
        f.action_export_pdf.triggered.connect(lambda: self.files.export("pdf"))
        f.action_export_csv.triggered.connect(lambda: self.files.export("csv"))
        f.action_open_log_folder.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._ctx.log_file.parent))))
        f.action_about.triggered.connect(self._about)

    def _init_signals(self) -> None:
        self._desk.workspace_changed.connect(self._on_workspace_changed)
        self._desk.data_changed.connect(self._on_data_changed)

    def _restore_geometry(self) -> None:
        geometry = self._ctx.settings.window_geometry(SETTINGS_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()  # first start: fit a 1366×768 office screen
            width, height = min(1280, screen.width() - 40), min(740, screen.height() - 40)
            self.resize(width, height)
            self.move(screen.center().x() - width // 2, screen.center().y() - height // 2)

    # --- start ------------------------------------------------------------------------------------------------------
    def start(self, path: Path | None = None) -> None:
        """Open `path`, else the last district workspace; else show the welcome page."""
        self.files.start(path)

    # --- pages ------------------------------------------------------------------------------------------------------
    def current_page_name(self) -> str | None:
        widget = self.form.stack.currentWidget()
        return next((name for name, page in self._pages.items() if page is widget), None)

    def show_page(self, name: str) -> QWidget | None:
        """Show page `name` (refreshed if its data changed); the welcome page while no workspace is open."""
        if self._desk.workspace is None:
            self.form.stack.setCurrentWidget(self.form.welcome_page)
            for action in self._page_actions.values():
                action.setChecked(False)
            return None
        page = self.page(name)
        # While reports are being received the workspace is busy: a page shown meanwhile keeps what it showed and
        # is refreshed when the receiving ends (waiting for it here would freeze the window).
        if name in self._dirty and not self._ctx.tasks.long_work_running:
            self._dirty.discard(name)
            self._refresh(page)
        self.form.stack.setCurrentWidget(page)
        self._page_actions[name].setChecked(True)
        return page

    def _on_page(self, name: str, method: str) -> None:
        page = self.show_page(name)
        if page is not None:
            getattr(page, method)()

    def show_school(self, code: str) -> None:
        page = self.show_page(SCHOOL)
        if page is not None:
            page.show_school(code)  # type: ignore[attr-defined]

    def _refresh(self, page: QWidget) -> None:
        try:
            page.refresh()  # type: ignore[attr-defined]
        except UserError as err:
            show_user_error(self, err)

    def _on_workspace_changed(self) -> None:
        self._dirty.update(self._pages)
        self._update_state()
        self.show_page(self.current_page_name() or STATUS)

    def _on_data_changed(self, what: str) -> None:
        affected = SHOWS.get(what, set(PAGES))
        current = self.current_page_name()
        self._dirty.update(affected & set(self._pages))
        if current in self._dirty:  # the page on screen follows at once (the receive page keeps its verdicts)
            self._dirty.discard(current)
            self._refresh(self._pages[current])
        self._update_state()

    # --- state ------------------------------------------------------------------------------------------------------
    def _update_state(self) -> None:
        desk = self._desk
        has = desk.workspace is not None
        writable = has and not desk.read_only
        f = self.form
        for action in (f.action_close_workspace, f.action_export_xlsx, f.action_export_pdf, f.action_export_csv,
                       *self._page_actions.values()):
            action.setEnabled(has)
        for action in (f.action_import_roster, f.action_add_school, f.action_register_certificate,
                       f.action_receive_files, f.action_receive_folder, f.action_new_campaign,
                       f.action_tier_thresholds):
            action.setEnabled(writable)
        f.action_edit_campaign.setEnabled(writable and desk.workspace.campaigns.current() is not None)
        self.setAcceptDrops(writable)
        if has and desk.path is not None:
            name = desk.workspace.name
            self.setWindowTitle(f"{name}{'（只读）' if desk.read_only else ''} — {TITLE}")
            self._path_label.setText(f"区县工作区：{desk.path}")
            self._path_label.setToolTip(str(desk.path))
        else:
            self.setWindowTitle(TITLE)
            self._path_label.setText("未打开区县工作区")
        if not has:
            self.show_page(STATUS)

    def show_status_message(self, text: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(text, msecs)

    # --- drag and drop: reports dropped anywhere on the window are received --------------------------------------------
    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            page = self.show_page(RECEIVE)
            if page is not None:
                page.receive(paths)  # type: ignore[attr-defined]

    # --- misc -------------------------------------------------------------------------------------------------------
    def _about(self) -> None:
        QMessageBox.about(self, f"关于{TITLE}",
                          f"<h3>学校专项自查 · {TITLE}</h3><p>版本 {__version__}</p>"
                          "<p>教育局接收各校的签名自查报告，核验、汇总、对比和督促整改。所有数据保存在本机，不需要联网。</p>")

    def finish_background_work(self) -> None:
        self._ctx.tasks.cancel_all()
        self._ctx.tasks.wait_idle()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._ctx.tasks.long_work_running:
            answer = QMessageBox.question(
                self, "后台任务进行中", "还有任务在后台进行（如接收报告或导出）。要取消它并退出吗？\n已经接收的报告都已保存。")
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.shut_down()
        event.accept()

    def shut_down(self) -> None:
        """What closing the window does once the user agreed (also when the event loop ends without the window
        closing, e.g. the Windows session ends); runs once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.closing = True
        self.finish_background_work()
        self._ctx.settings.set_window_geometry(SETTINGS_KEY, self.saveGeometry())
        self._desk.close()
        self._ctx.settings.sync()
