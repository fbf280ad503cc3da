"""上次程序意外退出: how an earlier run's abnormal end is announced in whichever window opens first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from selfcheck.runs import UnfinishedRun


def crash_notice_text(unfinished: list[UnfinishedRun], log_folder: Path) -> str:
    last = unfinished[-1]
    when = f"（{last.started:%m月%d日 %H:%M} 启动的那次）" if last.started else ""
    lock = "，已清理它留下的工作簿锁文件" if any(r.lock_removed for r in unfinished) else ""
    return (f"上次程序意外退出{when}{lock}。每次修改都已随时保存，请核对最后几项填写。"
            f"如需报告问题，请把日志文件夹中的文件发给技术支持：{log_folder}")


def announce_unfinished_runs(window: QWidget, unfinished: list[UnfinishedRun], log_file: Path) -> None:
    """A banner in the school window (it has one); a message box over any other window."""
    show = getattr(window, "show_crash_notice", None)
    if callable(show):
        show(unfinished)
        return
    text = crash_notice_text(unfinished, log_file.parent)
    QTimer.singleShot(0, lambda: QMessageBox.information(window, "上次程序意外退出", text))
