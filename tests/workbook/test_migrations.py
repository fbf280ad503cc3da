"""Migrations from the first schema version (a frozen v1 workbook), each step in one transaction, backup first."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from selfcheck.errors import WorkbookError
from selfcheck.workbook import migrations
from selfcheck.workbook.db import APPLICATION_ID
from selfcheck.workbook.models import ProblemStatus
from selfcheck.workbook.schema import CURRENT_VERSION, V1
from selfcheck.workbook.service import Workbook

FIXTURE = Path(__file__).parent / "fixtures" / "workbook_v1.sql"


@pytest.fixture
def v1_path(tmp_path: Path) -> Path:
    path = tmp_path / "旧工作簿.selfcheck"
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return path


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return names


def test_v1_workbook_is_migrated_after_a_backup(v1_path: Path) -> None:
    with Workbook.open(v1_path, actor="新版用户") as wb:
        assert wb.schema_version == CURRENT_VERSION
        assert wb.get_school().name == "旧版示例小学"
        [inspection] = wb.inspections.all()
        answers = wb.answers.all(inspection.id)
        assert {k: a.value for k, a in answers.items()} == {"TST-01": "yes", "TST-04": "3", "TST-08": "no"}
        assert answers["TST-04"].note == "只有三课时" and answers["TST-01"].answered_by == "旧版用户"
        problems = {p.item_id: p for p in wb.ledger.all(inspection.id)}
        assert problems["TST-04"].status is ProblemStatus.PENDING
        assert problems["TST-08"].status is ProblemStatus.IN_PROGRESS and problems["TST-08"].person == "钱老师"
        photos = wb.photos.all(inspection.id)
        assert [p.caption for p in photos] == ["制度上墙", ""]
        for photo in photos:
            assert hashlib.sha256(wb.photos.image(photo.id)).hexdigest() == photo.image_sha256
            assert wb.photos.thumbnail(photo.id)[:2] == b"\xff\xd8"
        report = wb.audit.verify()
        assert report.ok, report.message
        wb.answers.set(inspection.id, "TST-02", "是")  # and it keeps working
    assert "photo_blobs" not in _tables(v1_path) and {"photo_images", "photo_thumbs"} <= _tables(v1_path)
    [copy] = list(v1_path.parent.glob("旧工作簿.v1-升级前备份-*.selfcheck"))
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM photo_blobs").fetchone()[0] == 2
    conn.close()


def test_v1_workbook_read_only_asks_for_a_writable_open(v1_path: Path) -> None:
    digest = hashlib.sha256(v1_path.read_bytes()).hexdigest()
    with pytest.raises(WorkbookError, match="旧版本格式"):
        Workbook.open(v1_path, actor="", read_only=True)
    assert hashlib.sha256(v1_path.read_bytes()).hexdigest() == digest


def test_failed_step_leaves_the_previous_version(v1_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = "CREATE TABLE photo_images (photo_id INTEGER PRIMARY KEY, data BLOB NOT NULL);\nINSERT INTO nowhere VALUES (1);\n"
    monkeypatch.setattr(migrations, "STEPS", (V1, broken))
    with pytest.raises(WorkbookError, match="升级到格式版本 2 时失败.*已保持原样"):
        Workbook.open(v1_path, actor="新版用户")
    conn = sqlite3.connect(v1_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert "photo_images" not in _tables(v1_path) and "photo_blobs" in _tables(v1_path)
    monkeypatch.undo()
    with Workbook.open(v1_path, actor="新版用户") as wb:  # the real migration still works afterwards
        assert wb.schema_version == CURRENT_VERSION and wb.audit.verify().ok


def test_fresh_workbook_is_the_same_as_a_migrated_one(v1_path: Path, tmp_path: Path) -> None:
    Workbook.open(v1_path, actor="x").close()
    fresh = tmp_path / "新.selfcheck"
    Workbook.create(fresh, actor="x").close()

    def schema(path: Path) -> list[tuple[str, str]]:
        conn = sqlite3.connect(path)
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").fetchall()
        conn.close()
        return [(name, " ".join(sql.split())) for name, sql in rows]

    assert schema(v1_path) == schema(fresh)


def _stamp(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT stamp FROM changes WHERE id = 1").fetchone()[0]
    finally:
        conn.close()


def test_every_table_renews_the_change_stamp(v1_path: Path, tmp_path: Path) -> None:
    """Version 3's change stamp: every table (a migrated and a new workbook alike) has a trigger for each kind of
    write, so no write, whatever makes it, leaves the stamp as it was."""
    Workbook.open(v1_path, actor="x").close()
    fresh = tmp_path / "新.selfcheck"
    Workbook.create(fresh, actor="x").close()
    for path in (v1_path, fresh):
        conn = sqlite3.connect(path)
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'changes'")}
        triggers = {(r[0], r[1].split()[4]) for r in conn.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")}
        conn.close()
        assert tables and triggers == {(t, e) for t in tables for e in ("INSERT", "UPDATE", "DELETE")}
    before = _stamp(fresh)
    conn = sqlite3.connect(fresh)
    conn.execute("UPDATE meta SET value = value WHERE key = 'created_with'")  # even a write that changes nothing
    conn.commit()
    conn.close()
    assert _stamp(fresh) != before and len(before) == 16
