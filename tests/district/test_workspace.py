"""The district workspace file: create/open round trip, one writer, read-only, refusing foreign or newer files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from selfcheck.district.errors import DistrictCorruptError, DistrictError, DistrictLockedError, ReadOnlyError
from selfcheck.district.models import School
from selfcheck.district.schema import CURRENT_VERSION
from selfcheck.district.workspace import DistrictWorkspace


def test_create_and_reopen_keep_everything(tmp_path: Path) -> None:
    path = tmp_path / "示例区.district"
    with DistrictWorkspace.create(path, " 示例区教育局 ") as ws:
        assert ws.name == "示例区教育局" and ws.path == path
        ws.roster.add(School(code="001", name="示例一中", stage="初中", zone="东片", contact="张老师"))
    with DistrictWorkspace.open(path) as ws:
        assert ws.name == "示例区教育局"
        assert ws.roster.list() == [School(code="001", name="示例一中", stage="初中", zone="东片", contact="张老师")]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".district") == ["示例区.district"]  # no upgrade backup
    with DistrictWorkspace.open(path, read_only=True) as ws:  # a new workspace is current: readable read-only at once
        assert ws.name == "示例区教育局"


def test_only_one_writer_at_a_time_but_readers_may_look(tmp_path: Path) -> None:
    path = tmp_path / "a.district"
    with DistrictWorkspace.create(path, "示例区教育局"):
        with pytest.raises(DistrictLockedError, match="另一个"):
            DistrictWorkspace.open(path)
        with DistrictWorkspace.open(path, read_only=True) as reader:
            assert reader.name == "示例区教育局"
            with pytest.raises(ReadOnlyError):
                reader.roster.add(School(code="9", name="不应写入"))
    with DistrictWorkspace.open(path) as ws:  # the lock went with the first writer
        assert ws.roster.list() == []


def test_creating_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.district"
    path.write_text("keep me")
    with pytest.raises(DistrictError, match="已存在"):
        DistrictWorkspace.create(path, "示例区教育局")
    assert path.read_text() == "keep me"


@pytest.mark.parametrize("content", [b"", b"hello, not sqlite", b"PK\x03\x04zip"])
def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.district"
    path.write_bytes(content)
    with pytest.raises(DistrictError):
        DistrictWorkspace.open(path)


def test_a_workbook_or_other_sqlite_file_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(DistrictCorruptError, match="不是 SelfCheck 区县工作区"):
        DistrictWorkspace.open(path)


def test_a_workspace_from_a_newer_selfcheck_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.district"
    DistrictWorkspace.create(path, "示例区教育局").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DistrictError, match="更新版本"):
        DistrictWorkspace.open(path)
    assert path.read_bytes() == before


def test_an_empty_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DistrictError, match="名称"):
        DistrictWorkspace.create(tmp_path / "a.district", "  ")
    assert not (tmp_path / "a.district").exists()
