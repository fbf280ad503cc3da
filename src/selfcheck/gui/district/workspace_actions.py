"""File-menu work on district workspaces: start, new, open, recent, close."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.errors import show_user_error
from selfcheck.paths import data_dir

log = logging.getLogger(__name__)

SUFFIX = ".district"  # selfcheck.district.workspace.SUFFIX (not imported: the window starts without the storage)
WORKSPACE_FILTER = "区县工作区 (*.district)"


class WorkspaceActions(QObject):
    """Opens, creates and closes district workspaces on behalf of the district window."""

    def __init__(self, context: DistrictContext, window: Any) -> None:
        super().__init__(window)
        self._ctx = context
        self._desk = context.desk
        self._window: Any = window

    @property
    def _parent(self) -> QWidget:
        return self._window

    # --- start ------------------------------------------------------------------------------------------------------
    def start(self, path: Path | None) -> None:
        """Open `path`, else the last workspace when it still exists; otherwise the welcome page stays."""
        path = path or self._ctx.settings.last_district
        if path is not None and path.exists():
            self._open_in_background(path)

    def _open_in_background(self, path: Path) -> None:
        """Open on a worker so the window paints at once; trouble (in use, damaged) goes to the ordinary open."""
        from selfcheck.district.workspace import DistrictWorkspace

        def opened(workspace: Any) -> None:
            if self._window.closing:
                workspace.close()
                return
            self._desk.adopt(workspace, path)
            self._after_open(path)

        def failed(_exc: BaseException) -> bool:
            if not self._window.closing:
                self.open_path(path)
            return True

        self._ctx.tasks.run(lambda _p: DistrictWorkspace.open(path), title="打开区县工作区",
                            label=f"正在打开区县工作区“{path.name}”……", parent=self._parent,
                            on_success=opened, on_error=failed, cancellable=False)

    # --- new / open / close -----------------------------------------------------------------------------------------
    def new_workspace(self) -> None:
        name, ok = QInputDialog.getText(self._parent, "新建区县工作区", "区县（教育局）名称，例如“城关区教育局”：",
                                        QLineEdit.EchoMode.Normal, "")
        name = name.strip()
        if not ok or not name:
            return
        suggested = self._suggest_folder() / f"{name}{SUFFIX}"
        while True:
            chosen, _ = QFileDialog.getSaveFileName(self._parent, "保存区县工作区", str(suggested), WORKSPACE_FILTER,
                                                    options=QFileDialog.Option.DontConfirmOverwrite)
            if not chosen:
                return
            path = Path(chosen)
            if path.suffix.lower() != SUFFIX:
                path = path.with_name(path.name + SUFFIX)
            if not path.exists():
                break
            QMessageBox.warning(self._parent, "文件已存在",
                                f"“{path.name}”已经存在。为避免覆盖已有数据，请换一个文件名，或用“打开区县工作区”打开它。")
            suggested = path
        try:
            self._desk.create(path, name)
        except UserError as err:
            show_user_error(self._parent, err, "无法新建区县工作区")
            return
        self._after_open(path)
        self._window.show_status_message("区县工作区已建立。下一步：在“名册与证书”中导入学校名册、登记各校的证书。", 10_000)
        self._window.show_page("roster")

    def open_workspace_dialog(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self._parent, "打开区县工作区", str(self._suggest_folder()),
                                                WORKSPACE_FILTER)
        if chosen:
            self.open_path(Path(chosen))

    def open_path(self, path: Path) -> bool:
        """Open `path` for writing; offers read-only when another window holds it. False when nothing opened."""
        from selfcheck.district.errors import DistrictLockedError

        if not path.exists():
            answer = QMessageBox.question(
                self._parent, "找不到区县工作区",
                f"找不到区县工作区文件：\n{path}\n\n它可能已被移动、改名或删除。要把它从“最近打开”列表中移除吗？")
            if answer == QMessageBox.StandardButton.Yes:
                self._ctx.settings.remove_recent_district(path)
            return False
        try:
            self._desk.open(path)
        except DistrictLockedError as err:
            answer = QMessageBox.question(self._parent, "区县工作区正在使用", f"{err.message}\n\n要以只读方式打开查看吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return False
            try:
                self._desk.open(path, read_only=True)
            except UserError as err2:
                show_user_error(self._parent, err2, "无法打开区县工作区")
                return False
        except UserError as err:
            show_user_error(self._parent, err, "无法打开区县工作区")
            return False
        self._after_open(path)
        return True

    def _after_open(self, path: Path) -> None:
        self._ctx.settings.add_recent_district(path)
        self._ctx.settings.set_last_folder("district", path.parent)

    def close_workspace(self) -> None:
        if self._ctx.tasks.busy:
            QMessageBox.information(self._parent, "请稍候", "后台任务完成后才能关闭区县工作区。")
            return
        self._desk.close()
        self._ctx.settings.last_district = None

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self._ctx.settings.recent_districts()
        for index, path in enumerate(recent, start=1):
            missing = "" if path.exists() else "（找不到）"
            action = QAction(f"&{index} {path.name}{missing}", menu)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            menu.addAction(action)
        if not recent:
            menu.addAction("（没有）").setEnabled(False)

    def _suggest_folder(self) -> Path:
        last = self._ctx.settings.last_folder("district")
        return Path(last) if last and Path(last).is_dir() else data_dir()

    # --- campaigns ------------------------------------------------------------------------------------------------
    def new_campaign(self) -> None:
        from selfcheck.gui.district.campaign_dialog import CampaignDialog

        workspace = self._desk.require()

        def create(title: str, start: Any, end: Any, deadline: Any) -> Any:
            return workspace.campaigns.create(title, start, end, deadline=deadline)

        dialog = CampaignDialog(create, self._parent)
        if dialog.exec() == CampaignDialog.DialogCode.Accepted:
            self._desk.changed("campaigns")
            self._window.show_status_message(f"已新建本轮自查“{dialog.campaign.title}”，之后收到的报告都计入这一轮。")

    def edit_campaign(self) -> None:
        from selfcheck.gui.district.campaign_dialog import CampaignDialog

        try:
            workspace = self._desk.require()
        except UserError as err:
            show_user_error(self._parent, err)
            return
        campaign = workspace.campaigns.current()
        if campaign is None:
            return
        received = workspace.campaigns.accepted_reports(campaign.id)

        def update(title: str, start: Any, end: Any, deadline: Any) -> Any:
            return workspace.campaigns.update(campaign.id, title, start, end, deadline=deadline)

        dialog = CampaignDialog(update, self._parent, campaign=campaign, received=received)
        if dialog.exec() == CampaignDialog.DialogCode.Accepted:
            self._desk.changed("campaigns")
            self._window.show_status_message(f"已修改本轮自查“{dialog.campaign.title}”。")

    def edit_tier_thresholds(self) -> None:
        from selfcheck.gui.district.tier_dialog import TierDialog

        summary = self._desk.require().summary
        dialog = TierDialog(summary.tier_thresholds(), summary.set_tier_thresholds, self._parent)
        if dialog.exec() == TierDialog.DialogCode.Accepted and dialog.thresholds is not None:
            self._desk.changed("tiers")  # the pages that show 梯队 rank again
            self._window.show_status_message(f"梯队划分已更新：{dialog.thresholds.text()}。")

    # --- exports --------------------------------------------------------------------------------------------------
    def export(self, kind: str) -> None:
        from selfcheck.gui.district.exports import run_export

        run_export(self._ctx, self._parent, kind)
