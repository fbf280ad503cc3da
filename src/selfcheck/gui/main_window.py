"""The main window: menus, page switching, status bar; pages are built on first use and refreshed when shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from selfcheck import APP_TITLE, __version__
from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.session import Change
from selfcheck.gui.settings import DISTRICT_DESK
from selfcheck.gui.workbook_actions import WorkbookActions

if TYPE_CHECKING:
    from selfcheck.gui.help import HelpWindow
    from selfcheck.runs import RunRecord, UnfinishedRun

log = logging.getLogger(__name__)

HOME, FILL, REVIEW, LEDGER, LIBRARY = "home", "fill", "review", "ledger", "library"
SETTINGS_KEY = "main"


def open_local(path: Path) -> None:
    """Open a local file or folder with the system's program for it."""
    # Imported on use: QUrl's enums are not needed before the window shows.
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class MainWindow(QMainWindow):
    """The one window. Holds no data of its own: the session has the workbook, pages show it."""

    desk_requested = Signal(str)  # the user asked for the other desk (settings.DISTRICT_DESK); the app swaps windows

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.form = load_form("main_window.ui", self)
        self._ctx = context
        self._session = context.session
        self._pages: dict[str, QWidget] = {}
        self._dirty: set[str] = set()
        self._help: HelpWindow | None = None
        self._shut_down = False
        self.files = WorkbookActions(context, self)
        self._init_pages()
        self._init_actions()
        self._init_status_bar()
        self._init_signals()
        self._restore_geometry()
        self._update_state()
        self.show_page(HOME)

    # --- set-up -----------------------------------------------------------------------------------------------------
    def _init_pages(self) -> None:
        self._page_actions: dict[str, QAction] = {
            HOME: self.form.action_page_home,
            FILL: self.form.action_page_fill,
            REVIEW: self.form.action_page_review,
            LEDGER: self.form.action_page_ledger,
            LIBRARY: self.form.action_page_library,
        }
        group = QActionGroup(self)
        group.setExclusive(True)
        for name, action in self._page_actions.items():
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, n=name: self.show_page(n))

    def _page_factories(self) -> dict[str, Callable[[], QWidget]]:
        # Imported here so start-up pays only for the pages the user opens.
        def home() -> QWidget:
            from selfcheck.gui.home import HomePage

            page = HomePage(self._ctx, self)
            page.open_requested.connect(self.open_inspection)
            page.new_requested.connect(self.new_inspection)
            page.follow_up_requested.connect(self.new_follow_up_inspection)
            page.workbook_requested.connect(self.files.handle_welcome_choice)
            page.library_requested.connect(lambda: self.show_page(LIBRARY))
            page.profile_requested.connect(self.files.edit_school_profile)
            page.dashboard_requested.connect(self.show_dashboard_target)
            page.help_requested.connect(lambda: self.show_help("start"))
            return page

        def fill() -> QWidget:
            from selfcheck.gui.fill_in.page import FillInPage

            page = FillInPage(self._ctx, self)
            page.message.connect(self.show_status_message)
            page.ledger_requested.connect(self.go_to_problem)
            return page

        def review() -> QWidget:
            from selfcheck.gui.review import ReviewPage

            page = ReviewPage(self._ctx, self)
            page.item_requested.connect(self.go_to_item)
            page.problem_requested.connect(self.go_to_problem)
            page.export_requested.connect(self.export_report)
            return page

        def ledger() -> QWidget:
            from selfcheck.gui.ledger.page import LedgerPage

            page = LedgerPage(self._ctx, self)
            page.message.connect(self.show_status_message)
            page.item_requested.connect(self.go_to_item)
            return page

        def library() -> QWidget:
            from selfcheck.gui.library import LibraryPage

            return LibraryPage(self._ctx.checklists(), self)

        return {HOME: home, FILL: fill, REVIEW: review, LEDGER: ledger, LIBRARY: library}

    def page(self, name: str) -> QWidget:
        """The page `name`, built on first use."""
        if name not in self._pages:
            widget = self._page_factories()[name]()
            self._pages[name] = widget
            self._dirty.add(name)
            self.form.stack.addWidget(widget)
        return self._pages[name]

    def _init_actions(self) -> None:
        f = self.form
        f.action_new_workbook.triggered.connect(self.files.new_workbook)
        f.action_open_workbook.triggered.connect(self.files.open_workbook_dialog)
        f.action_close_workbook.triggered.connect(self.files.close_workbook)
        f.action_backup.triggered.connect(self.files.backup)
        f.action_restore.triggered.connect(self.files.restore)
        f.action_school_profile.triggered.connect(self.files.edit_school_profile)
        f.action_export_report.triggered.connect(self.export_report)
        f.action_export_ledger.triggered.connect(self.export_ledger)
        f.action_quit.triggered.connect(self.close)
        f.action_switch_district.triggered.connect(lambda: self.desk_requested.emit(DISTRICT_DESK))
        self.files.district_requested.connect(lambda: self.desk_requested.emit(DISTRICT_DESK))
        f.action_undo.triggered.connect(self._undo)
        f.action_find.triggered.connect(self._find)
        f.action_new_inspection.triggered.connect(self.new_inspection)
        f.action_follow_up_inspection.triggered.connect(lambda: self.new_follow_up_inspection(None))
        f.action_edit_inspection.triggered.connect(self.edit_inspection)
        f.action_archive_inspection.triggered.connect(self.toggle_archive)
        f.action_auto_advance.setChecked(self._ctx.settings.auto_advance)
        f.action_auto_advance.toggled.connect(self._set_auto_advance)
        f.action_open_checklist_folder.triggered.connect(self._open_checklist_folder)
        f.action_import_pack.triggered.connect(self.import_district_pack)
        f.action_verify_workbook.triggered.connect(self.files.verify_workbook)
        f.action_open_log_folder.triggered.connect(
            lambda: open_local(self._ctx.log_file.parent))
        f.action_about.triggered.connect(self._about)
        f.action_help.triggered.connect(lambda: self.show_help())
        f.menu_recent.aboutToShow.connect(lambda: self.files.fill_recent_menu(f.menu_recent))
        f.banner_close_button.clicked.connect(lambda: f.banner.setVisible(False))
        f.banner_action_button.setVisible(False)

    def _init_status_bar(self) -> None:
        self._path_label = QLabel()
        self._saved_label = QLabel()
        self._path_label.setObjectName("status_path")
        self._saved_label.setObjectName("status_saved")
        # The path is a normal widget: a message (an answer's outcome, an import summary) takes its place while
        # shown. As a stretching permanent widget it left such messages no room at all.
        self.statusBar().addWidget(self._path_label, 1)
        self.statusBar().addPermanentWidget(self._saved_label)

    def _init_signals(self) -> None:
        self._session.workbook_changed.connect(self._on_workbook_changed)
        self._session.data_changed.connect(self._on_data_changed)
        self._session.inspection_changed.connect(lambda _id: self._update_state())

    def _restore_geometry(self) -> None:
        geometry = self._ctx.settings.window_geometry(SETTINGS_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            # First start: fit a 1366×768 office screen with room for the taskbar.
            screen = self.screen().availableGeometry()
            width, height = min(1280, screen.width() - 40), min(740, screen.height() - 40)
            self.resize(width, height)
            self.move(screen.center().x() - width // 2, screen.center().y() - height // 2)

    # --- start ------------------------------------------------------------------------------------------------------
    def start(self, workbook: Path | None) -> None:
        """Open `workbook`, else the last one, else run the first-run set-up."""
        self.files.start(workbook)

    # --- pages ------------------------------------------------------------------------------------------------------
    def current_page_name(self) -> str:
        widget = self.form.stack.currentWidget()
        return next((name for name, page in self._pages.items() if page is widget), HOME)

    def show_page(self, name: str) -> QWidget:
        if name in (FILL, REVIEW) and self._session.inspection_id is None:
            name = HOME
        if name == LEDGER and self._session.workbook is None:
            name = HOME
        page = self.page(name)
        if name in self._dirty:
            self._dirty.discard(name)
            self._refresh(page)
        self.form.stack.setCurrentWidget(page)
        self._page_actions[name].setChecked(True)
        return page

    def _refresh(self, page: QWidget) -> None:
        try:
            page.refresh()  # type: ignore[attr-defined]
        except UserError as err:
            show_user_error(self, err)

    def _on_workbook_changed(self) -> None:
        workbook = self._session.workbook
        if workbook is not None and self._session.inspection_id is None:
            # The newest inspection is the one being worked on: 填报 and 完成情况 are one click away.
            overview = self._session.overview
            try:
                latest = overview.latest_id if overview is not None else workbook.inspections.latest_id()
            except UserError as err:
                show_user_error(self, err)
                latest = None
            if latest is not None:
                self._session.set_inspection(latest)
        self._dirty.update(self._pages)
        self._update_state()
        self.show_page(HOME)

    def _on_data_changed(self, change: Change) -> None:
        current = self.current_page_name()
        for name in self._pages:
            if name != current and name != LIBRARY:
                self._dirty.add(name)
        if change.what in ("inspection", "school") and current in self._pages and current != LIBRARY:
            # The page that made an answer/photo/problem change already shows it; these change its frame.
            self._refresh(self._pages[current])
        self._update_state()

    # --- navigation requested by pages --------------------------------------------------------------------------------
    def open_inspection(self, inspection_id: int) -> None:
        self._session.set_inspection(inspection_id)
        self._dirty.update({FILL, REVIEW, HOME})
        self.show_page(FILL)

    def go_to_item(self, item_id: str, inspection_id: int | None = None) -> None:
        if inspection_id is not None and inspection_id != self._session.inspection_id:
            self._session.set_inspection(inspection_id)
            self._dirty.update({FILL, REVIEW})
        page = self.show_page(FILL)
        if page is self._pages.get(FILL):
            page.select_item(item_id)  # type: ignore[attr-defined]

    def go_to_problem(self, problem_id: int) -> None:
        page = self.show_page(LEDGER)
        if page is self._pages.get(LEDGER):
            page.select_problem(problem_id)  # type: ignore[attr-defined]

    def show_dashboard_target(self, key: str) -> None:
        """A home dashboard figure was clicked: the fill-in items or the ledger problems behind it."""
        if key in ("unanswered", "noncompliant", "photo_missing"):
            page = self.show_page(FILL)
            if page is self._pages.get(FILL):
                page.show_filter(key)  # type: ignore[attr-defined]
            return
        home = self._pages.get(HOME)
        board = getattr(getattr(home, "dashboard", None), "board", None)
        page = self.show_page(LEDGER)
        if page is self._pages.get(LEDGER) and board is not None:
            ids = {"open": board.open_problems, "overdue": board.overdue_problems,
                   "due_soon": board.due_soon_problems}[key]
            page.show_problems(key, ids, board.inspection_id)  # type: ignore[attr-defined]

    # --- inspections ----------------------------------------------------------------------------------------------------
    def new_inspection(self) -> None:
        self._run_new_inspection(follow_up=False)

    def new_follow_up_inspection(self, from_id: int | None) -> None:
        self._run_new_inspection(follow_up=True, from_id=from_id)

    def _run_new_inspection(self, *, follow_up: bool, from_id: int | None = None) -> None:
        from selfcheck.gui.new_inspection import run_new_inspection

        try:
            inspection_id = run_new_inspection(self._ctx, self, follow_up=follow_up, from_id=from_id)
        except UserError as err:
            show_user_error(self, err)
            return
        if inspection_id is not None:
            self._session.changed(Change("inspection", inspection_id))
            self.open_inspection(inspection_id)

    def edit_inspection(self) -> None:
        from selfcheck.gui.new_inspection import run_edit_inspection

        if self._session.inspection_id is None:
            return
        try:
            if run_edit_inspection(self._ctx, self, self._session.inspection_id):
                self._session.changed(Change("inspection", self._session.inspection_id))
                self._dirty.update({FILL, REVIEW, HOME})
                self.show_page(self.current_page_name())
        except UserError as err:
            show_user_error(self, err)

    def toggle_archive(self) -> None:
        inspection_id = self._session.inspection_id
        workbook = self._session.workbook
        if inspection_id is None or workbook is None:
            return
        try:
            inspection = workbook.inspections.get(inspection_id)
            workbook.inspections.set_archived(inspection_id, not inspection.archived)
        except UserError as err:
            show_user_error(self, err)
            return
        self.show_status_message("已取消归档。" if inspection.archived else "已归档。归档的自查仍可在首页勾选“显示已归档”后查看。")
        self._session.changed(Change("inspection", inspection_id))

    # --- export ---------------------------------------------------------------------------------------------------------
    def export_report(self) -> None:
        from selfcheck.gui.export_dialog import run_export_report

        run_export_report(self._ctx, self)

    def export_ledger(self) -> None:
        from selfcheck.gui.ledger.export import export_ledger_dialog

        export_ledger_dialog(self._ctx, self, inspection_id=None)

    # --- misc -----------------------------------------------------------------------------------------------------------
    def _undo(self) -> None:
        page = self._pages.get(FILL)
        if page is not None and page.undo_remove_photo():  # type: ignore[attr-defined]
            self.show_page(FILL)
        else:
            self.show_status_message("没有可以撤销的操作。")

    def _find(self) -> None:
        if self.current_page_name() == LIBRARY:
            self._pages[LIBRARY].form.search_edit.setFocus()  # type: ignore[attr-defined]
            return
        if self.current_page_name() == LEDGER:
            self._pages[LEDGER].focus_search()  # type: ignore[attr-defined]
            return
        if self._session.inspection_id is None:
            self.show_page(LIBRARY).form.search_edit.setFocus()  # type: ignore[attr-defined]
            return
        self.show_page(FILL).focus_search()  # type: ignore[attr-defined]

    def _set_auto_advance(self, on: bool) -> None:
        self._ctx.settings.auto_advance = on

    def import_district_pack(self) -> None:
        from selfcheck.gui.pack_import import import_district_pack

        import_district_pack(self, self._ctx, self._catalog_replaced)

    def _catalog_replaced(self) -> None:
        """The checklist library shows the catalog it was built with: rebuild it on next use."""
        page = self._pages.pop(LIBRARY, None)
        if page is None:
            return
        showing = self.form.stack.currentWidget() is page
        self.form.stack.removeWidget(page)
        page.deleteLater()
        if showing:
            self.show_page(LIBRARY)

    def _open_checklist_folder(self) -> None:
        from selfcheck.gui.catalog import user_checklists_dir

        folder = user_checklists_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QMessageBox.information(
            self, "自定义清单",
            f"把区县或学校自己的检查清单文件（.yaml）放进这个文件夹：\n{folder}\n\n重新启动本软件后，它们会出现在清单库和“新建自查”中。",
        )
        open_local(folder)

    def show_help(self, anchor: str = "") -> None:
        """帮助 → 使用帮助 (F1): the built-in help window, at `anchor` if given."""
        if self._help is None:
            from selfcheck.gui.help import HelpWindow

            self._help = HelpWindow(self)
        self._help.show_section(anchor)

    def _about(self) -> None:
        from selfcheck.resources import NOTICES_FILE, third_party_notices

        notices = third_party_notices()
        box = QMessageBox(QMessageBox.Icon.NoIcon, f"关于{APP_TITLE}",
                          f"<h3>{APP_TITLE}</h3><p>版本 {__version__}</p>"
                          "<p>用于学校“1+3+N”专项整治自查：逐项填写检查清单、拍照留证、管理整改台账，并导出带数字签名的自查报告。</p>"
                          "<p>所有数据保存在本机的工作簿文件中，不需要联网。</p>"
                          "<p>本软件使用了 Qt（PySide6）、Python 等第三方开源软件，其许可条款见安装目录中的文件<br>"
                          f"{NOTICES_FILE}。</p>", QMessageBox.StandardButton.Close, self)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        licences = None
        if notices is not None:
            licences = box.addButton("第三方软件许可…", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if licences is not None and box.clickedButton() is licences:
            open_local(notices)

    def show_status_message(self, text: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(text, msecs)

    def show_banner(self, text: str, *, warning: bool = False) -> None:
        self.form.banner_label.setText(text)
        self.form.banner_action_button.setVisible(False)
        color = "#fff4e5" if warning else "#e8f1fb"
        self.form.banner.setStyleSheet(f"#banner {{ background: {color}; border-bottom: 1px solid #d0d7de; }}")
        self.form.banner.setVisible(True)

    # --- this run's record (an abnormal end is noticed at the next start) ------------------------------------------------
    def record_run(self, run: RunRecord) -> None:
        """Keep this run's record told which workbook is open (the next start cleans up after an abnormal end)."""
        self._session.workbook_changed.connect(lambda: run.set_workbook(self._session.path))
        if self._session.path is not None:
            run.set_workbook(self._session.path)

    def show_crash_notice(self, unfinished: list[UnfinishedRun]) -> None:
        """上次程序意外退出: say so at the top of the window, with the way to the log for support."""
        from selfcheck.gui.crash_notice import crash_notice_text

        self.show_banner(crash_notice_text(unfinished, self._ctx.log_file.parent), warning=True)
        self.form.banner_label.setWordWrap(True)
        button = self.form.banner_action_button
        button.setText("打开日志文件夹")
        button.setToolTip(str(self._ctx.log_file.parent))
        button.clicked.connect(lambda: open_local(self._ctx.log_file.parent))
        button.setVisible(True)

    def _update_state(self) -> None:
        """Enable what makes sense now and show the workbook and saved state."""
        session = self._session
        has_wb = session.workbook is not None
        writable = has_wb and not session.read_only
        has_insp = session.inspection_id is not None
        f = self.form
        for action in (f.action_close_workbook, f.action_backup, f.action_export_ledger, f.action_verify_workbook):
            action.setEnabled(has_wb)
        for action in (f.action_school_profile, f.action_new_inspection, f.action_follow_up_inspection):
            action.setEnabled(writable)
        f.action_export_report.setEnabled(has_insp)
        f.action_edit_inspection.setEnabled(writable and has_insp)
        f.action_archive_inspection.setEnabled(writable and has_insp)
        f.action_page_fill.setEnabled(has_insp)
        f.action_page_review.setEnabled(has_insp)
        f.action_page_ledger.setEnabled(has_wb)
        title = APP_TITLE
        if session.path is not None:
            title = f"{session.path.name}{'（只读）' if session.read_only else ''} — {APP_TITLE}"
            self._path_label.setText(f"工作簿：{session.path}")
            self._path_label.setToolTip(str(session.path))
            if session.read_only:
                self._saved_label.setText("只读：修改不会保存")
            elif session.last_saved is not None:
                self._saved_label.setText(f"✔ 已保存 {session.last_saved:%H:%M:%S}")
            else:
                self._saved_label.setText("✔ 已保存")
        elif session.preview is not None:  # the start-up snapshot: the workbook is still opening
            name = Path(session.preview.path).name
            title = f"{name}（正在打开） — {APP_TITLE}"
            self._path_label.setText(f"工作簿：{session.preview.path}（正在打开……）")
            self._path_label.setToolTip(session.preview.path)
            self._saved_label.setText("")
        else:
            self._path_label.setText("未打开工作簿")
            self._saved_label.setText("")
        self.setWindowTitle(title)
        if session.read_only:
            reason = session.read_only_reason or "可以查看，不能修改。"
            self.show_banner(f"此工作簿以只读方式打开：{reason}", warning=True)
        elif f.banner.isVisible() and "只读" in f.banner_label.text():
            f.banner.setVisible(False)

    def finish_background_work(self) -> None:
        """Ask running tasks to stop and wait for their threads (what has been done is already saved)."""
        self._ctx.tasks.cancel_all()
        self._ctx.tasks.wait_idle()

    # --- closing ----------------------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._ctx.tasks.long_work_running:
            answer = QMessageBox.question(
                self, "后台任务进行中",
                "还有任务在后台进行（如导入照片或导出报告）。要取消它并退出吗？\n已经完成的部分都已保存。",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.shut_down()
        event.accept()

    def shut_down(self) -> None:
        """What closing the window does once the user agreed: stop background work, keep the window's and pages'
        state, close the workbook (its log folded in, its lock removed, its start-up snapshot kept). Also called
        when the event loop ends without the window closing (e.g. the Windows session ends); runs once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.files.closing = True
        self.finish_background_work()  # short tasks (opening, backup) just finish
        self._ctx.settings.set_window_geometry(SETTINGS_KEY, self.saveGeometry())
        for page in self._pages.values():
            save = getattr(page, "save_state", None)
            if save is not None:
                save()
        self._session.close()
        self._ctx.settings.sync()
