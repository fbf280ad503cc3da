"""File-menu work on whole workbooks: first run, new, open, recent, close, backup, restore, profile, verify."""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.profile import (
    WORKBOOK_FILTER,
    FirstRunDialog,
    SchoolProfileDialog,
    choose_new_workbook_path,
)
from selfcheck.gui.session import Change
from selfcheck.gui.settings import AppSettings
from selfcheck.gui.tasks import Progress, TaskCancelled
from selfcheck.paths import data_dir, default_workbook_path

log = logging.getLogger(__name__)


def backup_folder(settings: AppSettings, workbook: Path) -> Path:
    """Where to suggest a backup: the folder last used for backups, else 文档 — never the workbook's own folder,
    since a backup beside the workbook is lost with it (a broken disk, a deleted folder)."""
    own = workbook.parent.resolve()
    last = settings.last_folder("backup")
    if last and Path(last).is_dir() and Path(last).resolve() != own:
        return Path(last)
    documents = settings.documents_folder()
    if documents.resolve() != own:
        return documents
    return Path.home() if Path.home().resolve() != own else own


class WorkbookActions(QObject):
    """Opens, creates and looks after workbook files on behalf of the main window."""

    district_requested = Signal()  # the first-run dialog's 区县教育局 choice

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self._ctx = context
        self._session = context.session
        self._window = window
        self.closing = False  # set by the window when it closes: late results must not reopen anything

    # --- start-up ---------------------------------------------------------------------------------------------------
    def start(self, workbook: Path | None) -> None:
        """`--workbook PATH` first; else the last workbook; else (first time) the welcome dialog."""
        settings = self._ctx.settings
        if workbook is not None:
            self._open_at_start(workbook)
            return
        last = settings.last_workbook
        if last is not None and last.exists():
            self._open_at_start(last)
            return
        if not settings.first_run_done:
            self.first_run()

    def _open_at_start(self, path: Path) -> None:
        """Open on a worker thread so the window is up and painting at once, even for a large workbook.

        When the start-up snapshot of its home page is current (workbook/glance.py), the home page shows it on the
        next turn of the event loop, read-only, and the worker waits until it is painted (the two would fight for
        the interpreter otherwise); the adopted workbook then refreshes the page with the same figures.
        Anything unusual (missing file, in use, damaged) is handled by the ordinary open with its dialogs.
        """
        from selfcheck.gui.session import keep_glance, open_workbook, read_overview

        if not path.exists():
            self.open_path(path)
            return
        actor = self._session.actor
        folder = self._session.glance_folder
        current = self._session.workbook  # another one opened or created while this one opens is not replaced
        shown = threading.Event()  # the snapshot, if any, is on screen: the worker may start its imports

        def work(progress: Progress) -> object:
            waited = 0
            while not shown.wait(0.01) and not progress.cancelled and waited < 300:  # at most 3 s, come what may
                waited += 1
            progress.check()  # the window closed meanwhile: nothing to open for
            workbook = open_workbook(path, actor)
            try:
                # The checklist snapshots are parsed and the home page's figures read here, not on the GUI thread.
                overview = read_overview(workbook)
                if folder is not None:
                    keep_glance(workbook, overview, folder)
                if progress.cancelled:  # the window is closing (or the app ending): nobody will adopt it
                    raise TaskCancelled
            except BaseException:
                workbook.close()
                raise
            return workbook, overview

        def opened(result: tuple) -> None:  # type: ignore[type-arg]
            workbook, overview = result
            if self.closing or self._session.workbook is not current:
                # The window is closing, or the user opened or created another workbook meanwhile: that one stays.
                workbook.close()
                return
            self._window.statusBar().clearMessage()  # type: ignore[attr-defined]
            self._session.adopt(workbook, overview)
            self._after_open(path)

        def failed(_exc: BaseException) -> bool:
            self._session.end_preview()
            if self.closing:
                return True
            self._window.statusBar().clearMessage()  # type: ignore[attr-defined]
            self.open_path(path)  # the ordinary open explains what is wrong (in use, damaged, ...) and offers help
            return True

        def preview() -> None:
            try:
                glance = None
                if folder is not None and not self.closing and self._session.workbook is None:
                    from selfcheck.workbook.glance import read_current

                    glance = read_current(path, folder)
                if glance is not None:
                    task.go_quiet()  # no progress dialog over the page: the status bar says it is opening
                    self._session.show_preview(glance)
                    self._window.statusBar().showMessage(  # type: ignore[attr-defined]
                        f"正在打开工作簿“{path.name}”：首页已是它的最新内容，打开后即可查看和修改……")
            finally:
                QTimer.singleShot(0, shown.set)  # after the paint the preview queued

        self._window.statusBar().showMessage(f"正在打开工作簿“{path.name}”……")  # type: ignore[attr-defined]
        task = self._ctx.tasks.run(work, title="打开工作簿", label=f"正在打开工作簿“{path.name}”……",
                                   parent=self._window, on_success=opened, on_error=failed, cancellable=False)
        QTimer.singleShot(0, self, preview)  # not in this turn: the window takes input first

    def first_run(self) -> None:
        dialog = FirstRunDialog(self._free_default_path(), self._create_with_profile, self._window)
        dialog.exec()
        self._ctx.settings.first_run_done = True
        if dialog.choice == FirstRunDialog.DEMO:
            self.open_demo()
        elif dialog.choice == FirstRunDialog.OPEN:
            self.open_workbook_dialog()
        elif dialog.choice == FirstRunDialog.DISTRICT:
            self.district_requested.emit()

    def handle_welcome_choice(self, choice: str) -> None:
        """The home page's buttons when no workbook is open."""
        if choice == "new":
            self.new_workbook()
        elif choice == "open":
            self.open_workbook_dialog()
        elif choice == "demo":
            self.open_demo()
        elif choice.startswith("recent:"):
            self.open_path(Path(choice.removeprefix("recent:")))

    @staticmethod
    def _free_default_path() -> Path:
        path = default_workbook_path()
        n = 2
        while path.exists():
            path = path.with_name(f"{default_workbook_path().stem}{n}{path.suffix}")
            n += 1
        return path

    # --- new / open / close -------------------------------------------------------------------------------------------
    def _create_with_profile(self, path: Path, profile: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._session.create(path)
        workbook = self._session.require()
        workbook.save_school(profile)
        self._ctx.settings.add_recent_workbook(path)
        self._session.changed(Change("school"))

    def new_workbook(self) -> None:
        path = choose_new_workbook_path(self._window, self._suggest_folder() / default_workbook_path().name)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._session.create(path)
        except UserError as err:
            show_user_error(self._window, err, "无法新建工作簿")
            return
        self._ctx.settings.add_recent_workbook(path)
        self._ctx.settings.set_last_folder("workbook", path.parent)
        self.edit_school_profile(first_time=True)

    def open_workbook_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._window, "打开工作簿", str(self._suggest_folder()), WORKBOOK_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        """Open `path` for writing; offers read-only when another window holds it or its place cannot be written
        (write-protected USB stick, read-only folder or share). False when nothing opened."""
        from selfcheck.workbook.errors import ReadOnlyLocationError, WorkbookLockedError

        settings = self._ctx.settings
        if not path.exists():
            answer = QMessageBox.question(
                self._window, "找不到工作簿",
                f"找不到工作簿文件：\n{path}\n\n它可能已被移动、改名或删除（或所在的U盘没有插上）。要把它从“最近打开”列表中移除吗？",
            )
            if answer == QMessageBox.StandardButton.Yes:
                settings.remove_recent_workbook(path)
            return False
        try:
            self._session.open(path)
        except (WorkbookLockedError, ReadOnlyLocationError) as err:
            title = "工作簿正在使用" if isinstance(err, WorkbookLockedError) else "工作簿所在位置是只读的"
            answer = QMessageBox.question(self._window, title, f"{err.message}\n\n要以只读方式打开查看吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return False
            try:
                self._session.open(path, read_only=True)
            except UserError as err2:
                show_user_error(self._window, err2, "无法打开工作簿")
                return False
        except UserError as err:
            show_user_error(self._window, err, "无法打开工作簿")
            return False
        self._after_open(path)
        return True

    def _after_open(self, path: Path) -> None:
        settings = self._ctx.settings
        settings.add_recent_workbook(path)
        settings.set_last_folder("workbook", path.parent)
        workbook = self._session.require()
        if not workbook.read_only and workbook.get_school() is None:
            self.edit_school_profile(first_time=True)
        self.check_integrity()

    def check_integrity(self) -> None:
        """The full integrity check after open, in the background (and the day's automatic backup). A damaged
        workbook turns read-only at once; the user is told and offered the newest intact backup."""
        from selfcheck.workbook import health
        from selfcheck.workbook.autobackup import backup_root

        workbook = self._session.workbook
        if workbook is None:
            return
        root = backup_root(data_dir())

        def done(report: health.HealthReport) -> None:
            if report.ok or self.closing:
                return
            self._session.data_changed.emit(Change("workbook"))  # title, banner and buttons show read-only
            if report.backup is None:
                QMessageBox.warning(self._window, "工作簿已损坏", report.message)
                return
            answer = QMessageBox.question(self._window, "工作簿已损坏", f"{report.message}\n\n要现在用这份备份恢复吗？")
            if answer == QMessageBox.StandardButton.Yes:
                self.restore_from(report.backup.path, confirmed=True)

        self._ctx.tasks.run(lambda _progress: health.check_after_open(workbook, root), title="检查工作簿",
                            label="正在检查工作簿完整性……", parent=self._window, on_success=done,
                            cancellable=False, quiet=True)

    def open_demo(self) -> None:
        """Open the demo workbook, building it first (in the background) if it does not exist yet."""
        path = data_dir() / "示例" / "示例工作簿.selfcheck"
        if path.exists():
            self.open_path(path)
            return
        checklists = self._ctx.checklists().checklists

        def build(progress: object) -> Path:
            from selfcheck.workbook.demo import build_demo

            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                return build_demo(path, checklists=checklists or None,
                                  progress=lambda text: progress.update(0, 0, text))  # type: ignore[attr-defined]
            except BaseException:
                path.unlink(missing_ok=True)  # never leave a half-built demo to be opened later
                raise

        self._ctx.tasks.run(build, title="示例工作簿", label="正在生成示例工作簿（示例学校、照片和整改台账）……",
                            parent=self._window, on_success=self.open_path, cancellable=False)

    def close_workbook(self) -> None:
        if self._ctx.tasks.busy:
            QMessageBox.information(self._window, "请稍候", "后台任务完成后才能关闭工作簿。")
            return
        self._session.close()
        self._ctx.settings.last_workbook = None

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self._ctx.settings.recent_workbooks()
        for index, path in enumerate(recent, start=1):
            missing = "" if path.exists() else "（找不到）"
            action = QAction(f"&{index} {path.name}{missing}", menu)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            menu.addAction(action)
        if not recent:
            empty = menu.addAction("（没有）")
            empty.setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("清除列表", self._ctx.settings.clear_recent_workbooks)

    def _suggest_folder(self) -> Path:
        last = self._ctx.settings.last_folder("workbook")
        return Path(last) if last and Path(last).is_dir() else data_dir()

    # --- profile ------------------------------------------------------------------------------------------------------
    def edit_school_profile(self, first_time: bool = False) -> None:
        try:
            workbook = self._session.require()
            profile = workbook.get_school()
        except UserError as err:
            show_user_error(self._window, err)
            return

        def save(new_profile: object) -> None:
            workbook.save_school(new_profile)
            self._session.changed(Change("school"))

        dialog = SchoolProfileDialog(profile, save, self._window)
        if first_time:
            dialog.setWindowTitle("学校信息（新工作簿）")
        dialog.exec()

    # --- backup / restore / verify ----------------------------------------------------------------------------------------
    def backup(self) -> None:
        try:
            workbook = self._session.require()
        except UserError as err:
            show_user_error(self._window, err)
            return
        folder = backup_folder(self._ctx.settings, workbook.path)
        suggested = folder / f"{workbook.path.stem}-备份-{datetime.now():%Y%m%d-%H%M}{workbook.path.suffix}"
        name, _ = QFileDialog.getSaveFileName(
            self._window, "备份工作簿（建议存到 U 盘或另一个磁盘）", str(suggested), WORKBOOK_FILTER)
        if not name:
            return
        dest = Path(name)
        if dest.resolve() == workbook.path.resolve():
            QMessageBox.warning(self._window, "无法备份", "备份文件不能是当前工作簿本身，请换一个文件名或位置。")
            return
        if dest.parent.resolve() == workbook.path.parent.resolve():
            answer = QMessageBox.question(
                self._window, "备份放在同一文件夹",
                "备份和工作簿在同一个文件夹里：电脑或硬盘坏了、文件夹被误删时，两者会一起丢失。\n\n"
                "建议存到 U 盘或另一个磁盘。仍要保存在这里吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._ctx.settings.set_last_folder("backup", dest.parent)

        def done(path: Path) -> None:
            QMessageBox.information(self._window, "备份完成", f"工作簿已备份到：\n{path}\n\n备份文件已校验，可用“从备份恢复”还原。")

        self._ctx.tasks.run(lambda _progress: workbook.backup(dest), title="备份工作簿", label="正在备份并校验工作簿……",
                            parent=self._window, on_success=done, cancellable=False)

    def restore(self) -> None:
        """文件 → 从备份恢复: the automatic backups of this workbook (of all workbooks when none is open)."""
        from selfcheck.gui.backup_list import BackupListDialog

        dialog = BackupListDialog(self._backups_to_offer(),
                                  Path(self._ctx.settings.last_folder("backup") or str(self._suggest_folder())),
                                  self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected is None:
            return
        self.restore_from(dialog.selected)

    def _backups_to_offer(self) -> list:
        from selfcheck.workbook import autobackup

        root = autobackup.backup_root(data_dir())
        current = self._session.path
        if current is None:
            return autobackup.list_backups(root)
        try:
            workbook_id = self._session.require().info().workbook_id
        except UserError:
            workbook_id = ""
        entries = autobackup.list_backups(root, workbook_id=workbook_id) if workbook_id else []
        return entries or autobackup.list_backups(root, workbook_name=current.stem)

    def restore_from(self, backup: Path, *, confirmed: bool = False) -> None:
        """Restore `backup` over the open workbook (after asking) or, with none open, to a new file; the backup is
        checked and copied in the background."""
        from selfcheck.workbook.service import Workbook

        current = self._session.path
        if current is not None and backup.resolve() == current.resolve():
            QMessageBox.warning(self._window, "无法恢复", "选择的是当前打开的工作簿本身，请选择一个备份文件。")
            return
        if current is not None:
            if not confirmed:
                answer = QMessageBox.question(
                    self._window, "从备份恢复",
                    f"将用备份“{backup.name}”替换当前工作簿“{current.name}”的全部内容。\n\n"
                    "替换前的工作簿会保留一份在同一文件夹中（文件名含“恢复前”），以便需要时找回。要继续吗？",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            target = current
        else:
            name = backup.name
            match = re.match(r"^(.+)-\d{4}-\d{2}-\d{2}(\.selfcheck)$", name)
            target = choose_new_workbook_path(self._window, self._suggest_folder() /
                                              (match.group(1) + match.group(2) if match else name))
            if target is None:
                return
        if self._ctx.tasks.busy:
            QMessageBox.information(self._window, "请稍候", "后台任务完成后才能恢复工作簿。")
            return
        if target == current:
            self._session.close()  # releases the writer lock; reopened below whatever happens

        def restored(_result: object) -> None:
            self.open_path(target)
            QMessageBox.information(self._window, "恢复完成", f"已从备份“{backup.name}”恢复到：\n{target}")

        def failed(err: BaseException) -> bool:
            if isinstance(err, UserError):
                show_user_error(self._window, err, "无法从备份恢复")
                if target == current and self._session.workbook is None and not self.closing:
                    self.open_path(current)
                return True
            return False

        self._ctx.tasks.run(lambda _progress: Workbook.restore(backup, target), title="从备份恢复",
                            label="正在校验备份并恢复工作簿……", parent=self._window, on_success=restored,
                            on_error=failed, cancellable=False)

    def verify_workbook(self) -> None:
        try:
            workbook = self._session.require()
        except UserError as err:
            show_user_error(self._window, err)
            return

        def done(report: object) -> None:
            ok = getattr(report, "ok", False)
            text = f"{report.message}\n\n操作记录：{report.entries} 条\n记录链末端哈希：{report.head[:16]}…"  # type: ignore[attr-defined]
            if ok:
                QMessageBox.information(self._window, "工作簿完整", text)
            else:
                details = "\n".join(report.problems[:10])  # type: ignore[attr-defined]
                QMessageBox.warning(self._window, "发现问题", f"{text}\n\n{details}")

        self._ctx.tasks.run(lambda _progress: workbook.audit.verify(), title="检查工作簿完整性",
                            label="正在核对操作记录与数据……", parent=self._window, on_success=done, cancellable=False)
