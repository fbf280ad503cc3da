"""Opening safely: one writer at a time, newer schemas refused, damaged or foreign files refused without writes."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from selfcheck.errors import WorkbookError
from selfcheck.workbook.errors import NewerSchemaError, WorkbookCorruptError, WorkbookLockedError
from selfcheck.workbook.schema import CURRENT_VERSION
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_writer_in_the_same_process_is_refused(wb: Workbook, wb_path: Path) -> None:
    with pytest.raises(WorkbookLockedError, match="另一个 SelfCheck") as caught:
        Workbook.open(wb_path, actor="第二个窗口")
    assert "只读" in str(caught.value)
    wb.close()
    Workbook.open(wb_path, actor="第二个窗口").close()


@pytest.mark.slow
def test_second_writer_in_another_process_is_refused_and_reader_allowed(wb: Workbook, inspection_id: int,
                                                                        wb_path: Path) -> None:
    wb.answers.set(inspection_id, "TST-01", "是")
    code = textwrap.dedent(f"""
        from selfcheck.workbook.service import Workbook
        from selfcheck.workbook.errors import WorkbookLockedError
        try:
            Workbook.open({str(wb_path)!r}, actor="别人")
        except WorkbookLockedError as err:
            print("LOCKED")
        with Workbook.open({str(wb_path)!r}, actor="", read_only=True) as viewer:
            print(viewer.answers.all({inspection_id})["TST-01"].value)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["LOCKED", "yes"]


@pytest.mark.slow
def test_lock_is_released_when_the_writer_process_dies(wb_path: Path) -> None:
    Workbook.create(wb_path, actor=ACTOR).close()
    code = f"""
import sys
from selfcheck.workbook.service import Workbook
wb = Workbook.open({str(wb_path)!r}, actor="x")
print("HELD", flush=True)
sys.stdin.read()  # hold the lock until killed
"""
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "HELD\n", child.stderr
        with pytest.raises(WorkbookLockedError):  # the child really holds the writer lock
            Workbook.open(wb_path, actor=ACTOR)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=60)
    with Workbook.open(wb_path, actor=ACTOR) as wb:
        assert wb.audit.verify().ok


def test_newer_schema_is_refused_without_change(wb: Workbook, wb_path: Path) -> None:
    wb.close()
    conn = sqlite3.connect(wb_path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.close()
    digest = _sha(wb_path)
    for read_only in (False, True):
        with pytest.raises(NewerSchemaError, match="更新版本的 SelfCheck.*请升级"):
            Workbook.open(wb_path, actor=ACTOR, read_only=read_only)
    assert _sha(wb_path) == digest


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("zero.selfcheck", lambda p: p.write_bytes(b""), "不是 SelfCheck 工作簿"),
        ("text.selfcheck", lambda p: p.write_text("我是一个文本文件\n" * 100, encoding="utf-8"), "不是 SelfCheck 工作簿"),
        ("random.selfcheck", lambda p: p.write_bytes(bytes(range(256)) * 64), "不是 SelfCheck 工作簿"),
        ("other.db", _other_sqlite, "不是 SelfCheck 工作簿"),
        ("folder.selfcheck", lambda p: p.mkdir(), "文件夹"),
        ("missing.selfcheck", lambda p: None, "找不到"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(tmp_path: Path, name: str, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    make(path)
    with pytest.raises(WorkbookError, match=message):
        Workbook.open(path, actor=ACTOR)


def _root_page(path: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return root, page_size


def test_damaged_table_is_refused_and_nothing_is_written(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    for item in ("TST-01", "TST-02", "TST-08"):
        wb.answers.set(inspection_id, item, "是", note="备注" * 20)
    wb.close()
    root, page_size = _root_page(wb_path, "answers")
    data = bytearray(wb_path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8: start + 40] = b"\xff" * 32  # smash the cell pointer array of the answers table
    wb_path.write_bytes(bytes(data))
    digest = _sha(wb_path)
    with pytest.raises(WorkbookCorruptError, match="已损坏.*没有对它做任何修改") as caught:
        Workbook.open(wb_path, actor=ACTOR)
    assert "restore" in str(caught.value)
    assert _sha(wb_path) == digest
    with pytest.raises(WorkbookCorruptError):
        Workbook.open(wb_path, actor=ACTOR, read_only=True)
    # the single-writer lock was released: a later open reports the damage again instead of "in use"
    with pytest.raises(WorkbookCorruptError):
        Workbook.open(wb_path, actor=ACTOR)


def test_truncated_file_is_refused(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    from .conftest import jpeg_bytes

    wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes((1500, 1000)), "big.jpg")
    wb.close()
    data = wb_path.read_bytes()
    wb_path.write_bytes(data[: len(data) // 2])
    for read_only in (False, True):
        with pytest.raises(WorkbookCorruptError) as caught:
            Workbook.open(wb_path, actor=ACTOR, read_only=read_only)
        message = str(caught.value)
        assert "已损坏" in message and "程序没有对它做任何修改" in message and "请从备份恢复" in message
        assert "malformed" not in message and "database" not in message


def test_photo_blob_damage_is_found_by_verify_not_at_open(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    from .conftest import jpeg_bytes

    wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes((1500, 1000)), "big.jpg")
    wb.close()
    root, page_size = _root_page(wb_path, "photo_images")
    data = bytearray(wb_path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8: start + 40] = b"\xff" * 32
    wb_path.write_bytes(bytes(data))
    with Workbook.open(wb_path, actor=ACTOR, read_only=True) as viewer:
        report = viewer.audit.verify()
    assert not report.ok and "完整性" in report.message
