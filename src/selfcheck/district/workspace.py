"""A district workspace: one SQLite file holding the roster, the certificate registry, campaigns and every received
report, plus a folder beside it with the district's copy of each accepted report."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path
from types import TracebackType

from selfcheck.district import migrations
from selfcheck.district.campaigns import Campaigns
from selfcheck.district.db import WriterLock, check_sqlite_file, connect, now_iso, transaction
from selfcheck.district.errors import DistrictError
from selfcheck.district.registry import Registry
from selfcheck.district.reports import Reports
from selfcheck.district.roster import Roster
from selfcheck.district.store import Store
from selfcheck.district.summary import Summary
from selfcheck.workbook.errors import sqlite_reason

log = logging.getLogger(__name__)

SUFFIX = ".district"


class DistrictWorkspace:
    """Open with `create` or `open`; use as a context manager (or call close)."""

    def __init__(self, store: Store, lock: WriterLock | None) -> None:
        self._store = store
        self._lock = lock
        self.roster = Roster(store)
        self.registry = Registry(store, self.roster)
        self.campaigns = Campaigns(store)
        self.reports = Reports(store, self.roster, self.registry, self.campaigns)
        self.summary = Summary(store, self.roster, self.campaigns)

    # --- opening -------------------------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, name: str) -> DistrictWorkspace:
        """Create a new workspace at `path` (must not exist) for the district `name` (e.g. 示例区教育局)."""
        path = Path(path)
        name = name.strip()
        if not name:
            raise DistrictError("请填写区县（教育局）名称。")
        if path.exists():
            raise DistrictError(f"文件已存在：{path}。", hint="请换一个文件名，或用“打开”打开已有的区县工作区。")
        if not path.parent.is_dir():
            raise DistrictError(f"保存区县工作区的文件夹不存在：{path.parent}")
        lock = WriterLock(path)
        lock.acquire(creating=True)
        try:
            db = connect(path, read_only=False, create=True)
            try:
                with transaction(db):  # a new file gets every step at once: nothing to back up or upgrade
                    for version in range(1, migrations.CURRENT_VERSION + 1):
                        migrations.apply_step(db, version)
                    db.execute("INSERT INTO meta (key, value) VALUES ('name', ?), ('created_at', ?)", (name, now_iso()))
            except BaseException:
                db.close()
                raise
        except sqlite3.Error as err:
            lock.release()
            with contextlib.suppress(OSError):
                path.unlink()
            log.warning("creating district workspace %s failed: %s", path, err)
            raise DistrictError(f"无法创建区县工作区“{path.name}”：{sqlite_reason(err)}。") from None
        except BaseException:
            lock.release()
            raise
        return cls(Store(db, path, read_only=False), lock)

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> DistrictWorkspace:
        """Open an existing workspace; an older schema is migrated (after a backup), or, when `read_only`, read
        through an upgraded copy in memory (the file itself is left for a writable open to upgrade)."""
        path = Path(path)
        check_sqlite_file(path)
        lock = None
        if not read_only:
            lock = WriterLock(path)
            lock.acquire()
        try:
            db = connect(path, read_only=read_only)
            try:
                migrations.check_identity(db, path)
                if not read_only:
                    migrations.migrate(db, path)
                elif migrations.schema_version(db) < migrations.CURRENT_VERSION:
                    db = migrations.upgraded_copy(db, path)  # the file stays as it is; it is upgraded when opened
            except BaseException:
                db.close()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(Store(db, path, read_only=read_only), lock)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._store.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> DistrictWorkspace:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # --- properties ----------------------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    @property
    def reports_dir(self) -> Path:
        return self._store.reports_dir

    @property
    def name(self) -> str:
        return self._store.meta("name") or ""

    def rename(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise DistrictError("请填写区县（教育局）名称。")
        self._store.set_meta("name", name)
