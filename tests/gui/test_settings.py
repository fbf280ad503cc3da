"""What the window remembers between runs, and the folders it suggests for saving."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from selfcheck.gui.settings import AppSettings


def test_a_report_is_suggested_where_the_last_one_went_while_that_folder_exists(settings: AppSettings,
                                                                                tmp_path: Path) -> None:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    fallback = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    assert settings.output_folder("report") == fallback  # nothing remembered yet: 文档, else home
    folder = tmp_path / "报告"
    folder.mkdir()
    settings.set_last_folder("report", folder)
    assert settings.output_folder("report") == folder
    assert settings.output_folder("export") == fallback  # each purpose remembers its own folder
    folder.rmdir()  # e.g. a USB stick that is no longer there
    assert settings.output_folder("report") == fallback
