"""Backup with SQLite's online backup API, and restore that validates first and never half-writes the target."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from selfcheck.errors import WorkbookError
from selfcheck.workbook.errors import WorkbookLockedError
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR, jpeg_bytes


@pytest.fixture
def filled(wb: Workbook, inspection_id: int) -> Workbook:
    wb.answers.set(inspection_id, "TST-01", "否", note="缺制度")
    wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes((800, 600)), "p.jpg")
    return wb


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_while_open_and_restore_round_trip(filled: Workbook, inspection_id: int, tmp_path: Path) -> None:
    dest = filled.backup(tmp_path / "备份.selfcheck")
    head = filled.audit.head()
    filled.answers.set(inspection_id, "TST-01", "是")  # a change after the backup
    filled.close()
    with Workbook.open(dest, actor="", read_only=True) as copy:
        assert copy.audit.head() == head and copy.answers.all(inspection_id)["TST-01"].value == "no"
        assert copy.audit.verify().ok
    target = tmp_path / "学校.selfcheck"
    Workbook.restore(dest, target)
    with Workbook.open(target, actor=ACTOR) as restored:
        assert restored.answers.all(inspection_id)["TST-01"].value == "no"
        assert restored.audit.head() == head and restored.audit.verify().ok
        assert len(restored.photos.all(inspection_id)) == 1
    # the replaced workbook (with the later change) is kept beside it
    [kept] = list(tmp_path.glob("学校.恢复前-*.selfcheck"))
    with Workbook.open(kept, actor="", read_only=True) as old:
        assert old.answers.all(inspection_id)["TST-01"].value == "yes"


def test_backup_into_a_folder_gets_a_dated_name(filled: Workbook, tmp_path: Path) -> None:
    folder = tmp_path / "备份"
    folder.mkdir()
    made = filled.backup(folder)
    assert made.parent == folder and made.name.startswith("学校-备份-") and made.suffix == ".selfcheck"
    with pytest.raises(WorkbookError, match="已存在"):
        filled.backup(made)
    assert filled.backup(made, overwrite=True) == made
    with pytest.raises(WorkbookError, match="工作簿自身"):
        filled.backup(filled.path, overwrite=True)


def test_restore_to_a_new_path(filled: Workbook, inspection_id: int, tmp_path: Path) -> None:
    dest = filled.backup(tmp_path / "b.selfcheck")
    target = tmp_path / "新位置" / "学校.selfcheck"
    target.parent.mkdir()
    Workbook.restore(dest, target)
    with Workbook.open(target, actor=ACTOR) as restored:
        assert restored.answers.all(inspection_id)["TST-01"].note == "缺制度"


def _tamper_answer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE answers SET value = 'yes'")
    conn.commit()
    conn.close()


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize(
    ("damage", "message"),
    [(_tamper_answer, "未通过审计校验"), (_truncate, "损坏|不是有效的工作簿"),
     (lambda p: p.write_bytes(b"not a database at all" * 50), "不是 SelfCheck 工作簿")],
)
def test_bad_backup_is_refused_and_the_target_untouched(filled: Workbook, tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    dest = filled.backup(tmp_path / "b.selfcheck")
    filled.close()
    damage(dest)
    target = filled.path
    digest = _sha(target)
    with pytest.raises(WorkbookError, match=message):
        Workbook.restore(dest, target)
    assert _sha(target) == digest
    assert not list(tmp_path.glob(".*restoring*")) and not list(tmp_path.glob("*.恢复前-*"))


def test_restore_onto_an_open_workbook_is_refused(filled: Workbook, tmp_path: Path) -> None:
    dest = filled.backup(tmp_path / "b.selfcheck")
    with pytest.raises(WorkbookLockedError):
        Workbook.restore(dest, filled.path)


def test_restore_from_a_v1_backup_migrates_the_copy(tmp_path: Path) -> None:
    from .test_migrations import FIXTURE
    from selfcheck.workbook.db import APPLICATION_ID
    from selfcheck.workbook.schema import CURRENT_VERSION

    old = tmp_path / "old.selfcheck"
    conn = sqlite3.connect(old)
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    digest = _sha(old)
    target = tmp_path / "restored.selfcheck"
    Workbook.restore(old, target)
    assert _sha(old) == digest  # the backup itself is never changed
    with Workbook.open(target, actor=ACTOR) as wb:
        assert wb.schema_version == CURRENT_VERSION and wb.audit.verify().ok
