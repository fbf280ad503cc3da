"""Per-user window settings (geometry, last and recent workbooks) kept in QSettings."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from selfcheck import APP_NAME

MAX_RECENT = 8
SCHOOL_DESK, DISTRICT_DESK = "school", "district"


def open_qsettings() -> QSettings:
    """The app's QSettings: the registry (Windows) or an ini file, under SELFCHECK_HOME when that is set."""
    home = os.environ.get("SELFCHECK_HOME")  # same override as selfcheck.paths: tests and portable use
    if home:
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(APP_NAME, APP_NAME)


class AppSettings:
    """Typed access to the few things the window remembers between runs."""

    def __init__(self, qsettings: QSettings) -> None:
        self._s = qsettings

    def sync(self) -> None:
        self._s.sync()

    # --- workbooks -------------------------------------------------------------------------------
    @property
    def last_workbook(self) -> Path | None:
        value = self._s.value("workbook/last", "", type=str)
        return Path(value) if value else None

    @last_workbook.setter
    def last_workbook(self, path: Path | None) -> None:
        self._s.setValue("workbook/last", str(path) if path else "")

    def recent_workbooks(self) -> list[Path]:
        raw = self._s.value("workbook/recent", [], type=list) or []
        return [Path(p) for p in raw if p]

    def add_recent_workbook(self, path: Path) -> None:
        """Put `path` first in the recent list (no duplicates, at most MAX_RECENT) and make it the last one."""
        path = Path(path)
        entries = [p for p in self.recent_workbooks() if p != path]
        entries.insert(0, path)
        self._s.setValue("workbook/recent", [str(p) for p in entries[:MAX_RECENT]])
        self.last_workbook = path

    def remove_recent_workbook(self, path: Path) -> None:
        entries = [p for p in self.recent_workbooks() if p != Path(path)]
        self._s.setValue("workbook/recent", [str(p) for p in entries])
        if self.last_workbook == Path(path):
            self.last_workbook = None

    def clear_recent_workbooks(self) -> None:
        self._s.setValue("workbook/recent", [])

    # --- desk (学校 / 区县) -------------------------------------------------------------------------
    @property
    def desk(self) -> str:
        """Which desk the app opens: SCHOOL_DESK (学校自查) or DISTRICT_DESK (区县汇总核验)."""
        value = self._s.value("app/desk", SCHOOL_DESK, type=str)
        return value if value in (SCHOOL_DESK, DISTRICT_DESK) else SCHOOL_DESK

    @desk.setter
    def desk(self, value: str) -> None:
        if value not in (SCHOOL_DESK, DISTRICT_DESK):
            raise ValueError(f"unknown desk {value!r}")
        self._s.setValue("app/desk", value)

    @property
    def last_district(self) -> Path | None:
        value = self._s.value("district/last", "", type=str)
        return Path(value) if value else None

    @last_district.setter
    def last_district(self, path: Path | None) -> None:
        self._s.setValue("district/last", str(path) if path else "")

    def recent_districts(self) -> list[Path]:
        raw = self._s.value("district/recent", [], type=list) or []
        return [Path(p) for p in raw if p]

    def add_recent_district(self, path: Path) -> None:
        """Put `path` first among the recent district workspaces and make it the last one."""
        path = Path(path)
        entries = [p for p in self.recent_districts() if p != path]
        entries.insert(0, path)
        self._s.setValue("district/recent", [str(p) for p in entries[:MAX_RECENT]])
        self.last_district = path

    def remove_recent_district(self, path: Path) -> None:
        self._s.setValue("district/recent", [str(p) for p in self.recent_districts() if p != Path(path)])
        if self.last_district == Path(path):
            self.last_district = None

    # --- window ----------------------------------------------------------------------------------
    def window_geometry(self, key: str) -> QByteArray | None:
        value = self._s.value(f"window/{key}/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_geometry(self, key: str, geometry: QByteArray) -> None:
        self._s.setValue(f"window/{key}/geometry", geometry)

    def window_state(self, key: str) -> QByteArray | None:
        value = self._s.value(f"window/{key}/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, key: str, state: QByteArray) -> None:
        self._s.setValue(f"window/{key}/state", state)

    def column_keys(self, table: str) -> list[str] | None:
        """The columns the user chose to show in `table` (None: the default set)."""
        raw = self._s.value(f"columns/{table}", None)
        if raw is None or raw == "":
            return None
        keys = [raw] if isinstance(raw, str) else [str(k) for k in raw]
        return [k for k in keys if k] or None

    def set_column_keys(self, table: str, keys: list[str]) -> None:
        self._s.setValue(f"columns/{table}", list(keys))

    # --- misc ------------------------------------------------------------------------------------
    def last_folder(self, purpose: str) -> str:
        """The folder a file dialog for `purpose` (photos, backup, export) last used; '' when none."""
        return self._s.value(f"folders/{purpose}", "", type=str)

    def output_folder(self, purpose: str) -> Path:
        """Where to suggest saving a file for `purpose` (report, export): the folder last used for it while it
        exists, else the user's 文档 folder (where office staff look for files), else the home folder."""
        last = self.last_folder(purpose)
        if last and Path(last).is_dir():
            return Path(last)
        return self.documents_folder()

    @staticmethod
    def documents_folder() -> Path:
        """The user's 文档 folder, else the home folder."""
        # Imported on use: its enums are not needed before the window shows.
        from PySide6.QtCore import QStandardPaths

        found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(found) if found and Path(found).is_dir() else Path.home()

    def set_last_folder(self, purpose: str, folder: Path | str) -> None:
        self._s.setValue(f"folders/{purpose}", str(folder))

    @property
    def key_file(self) -> str:
        """The school key file last used for signing ('' = the default place)."""
        return self._s.value("signing/key_file", "", type=str)

    @key_file.setter
    def key_file(self, path: Path | str) -> None:
        self._s.setValue("signing/key_file", str(path))

    @property
    def auto_advance(self) -> bool:
        """Answering with the number keys moves on to the next item."""
        return self._s.value("fill/auto_advance", True, type=bool)

    @auto_advance.setter
    def auto_advance(self, on: bool) -> None:
        self._s.setValue("fill/auto_advance", bool(on))

    @property
    def first_run_done(self) -> bool:
        return self._s.value("app/first_run_done", False, type=bool)

    @first_run_done.setter
    def first_run_done(self, done: bool) -> None:
        self._s.setValue("app/first_run_done", bool(done))
