"""Read-only opens: on read-only media and folders they work, say why, and never write beside the workbook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.workbook.service import Workbook

from .conftest import ACTOR
from .sandbox import SRC, in_namespace, read_only_bind, without_root_rights

# Opens the workbook for writing (expected refused), then read-only, and reports what it saw and what files exist.
PROBE = """
    import json, os, sys
    from pathlib import Path
    from selfcheck.errors import WorkbookError
    from selfcheck.workbook.service import Workbook
    path = Path(sys.argv[1])
    out = {}
    try:
        Workbook.open(path, actor="写入者").close()
        out["write"] = "opened"
    except WorkbookError as err:
        out["write"] = [type(err).__name__, str(err)]
    try:
        with Workbook.open(path, actor="", read_only=True) as wb:
            out["reason"] = wb.read_only_reason
            out["answers"] = {k: a.value for k, a in wb.answers.all(int(sys.argv[2])).items()}
            out["during"] = sorted(os.listdir(path.parent))
    except WorkbookError as err:
        out["read"] = str(err)
    out["after"] = sorted(os.listdir(path.parent))
    print(json.dumps(out, ensure_ascii=False))
"""


def _workbook_in_folder(wb: Workbook, inspection_id: int, wb_path: Path) -> Path:
    wb.answers.set(inspection_id, "TST-01", "是")
    wb.answers.set(inspection_id, "TST-04", "6")
    wb.close()
    assert sorted(os.listdir(wb_path.parent)) == [wb_path.name]
    return wb_path


def _leave_a_wal(wb_path: Path, inspection_id: int) -> None:
    """A writer saves one more answer and dies before closing: the change lives only in the -wal file."""
    code = f"""
import os, signal
from selfcheck.workbook.service import Workbook
wb = Workbook.open({str(wb_path)!r}, actor="会被中断的人")
wb.answers.set({inspection_id}, "TST-08", "否")
os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=60,
                   capture_output=True)
    assert wb_path.with_name(wb_path.name + "-wal").stat().st_size > 0


def _check_refused_then_read(out: dict, expect: dict) -> None:
    assert out["write"][0] == "ReadOnlyLocationError", out
    assert "只读" in out["write"][1] and "只读方式打开" in out["write"][1]
    assert "read" not in out, out["read"]  # a healthy workbook is never called damaged
    assert "损坏" not in str(out)
    assert "只读" in out["reason"]
    assert out["answers"] == expect


@pytest.mark.parametrize("leftover_wal", [False, True], ids=["clean", "wal-left-by-crash"])
def test_read_only_mount(wb: Workbook, inspection_id: int, wb_path: Path, leftover_wal: bool) -> None:
    path = _workbook_in_folder(wb, inspection_id, wb_path)
    expect = {"TST-01": "yes", "TST-04": "6"}
    if leftover_wal:
        _leave_a_wal(path, inspection_id)
        expect["TST-08"] = "no"
    before = sorted(os.listdir(path.parent))
    out = in_namespace(read_only_bind(path.parent), PROBE, str(path), str(inspection_id))
    _check_refused_then_read(out, expect)
    assert out["during"] == before and out["after"] == before


def test_read_only_folder_without_root_rights(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    path = _workbook_in_folder(wb, inspection_id, wb_path)
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        out = without_root_rights(PROBE, str(path), str(inspection_id))
    finally:
        path.parent.chmod(0o755)
    _check_refused_then_read(out, {"TST-01": "yes", "TST-04": "6"})
    assert out["during"] == [path.name] and out["after"] == [path.name]


def test_read_only_open_in_a_writable_folder_leaves_no_files(wb: Workbook, inspection_id: int,
                                                             wb_path: Path) -> None:
    path = _workbook_in_folder(wb, inspection_id, wb_path)
    with Workbook.open(path, actor="", read_only=True) as viewer:
        assert viewer.answers.all(inspection_id)["TST-01"].value == "yes"
        assert viewer.read_only_reason is None  # the user asked for it; nothing to explain
        assert sorted(os.listdir(path.parent)) == [path.name]
    assert sorted(os.listdir(path.parent)) == [path.name]


def test_viewer_follows_a_writer_that_opens_later(wb: Workbook, inspection_id: int, wb_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.workbook import readonly

    monkeypatch.setattr(readonly, "WRITER_PROBE_INTERVAL", 0)
    path = _workbook_in_folder(wb, inspection_id, wb_path)
    with Workbook.open(path, actor="", read_only=True) as viewer:
        with Workbook.open(path, actor=ACTOR) as writer:
            writer.answers.set(inspection_id, "TST-08", "否")
            assert viewer.answers.all(inspection_id)["TST-08"].value == "no"
            assert "另一个" in (viewer.read_only_reason or "")


def test_viewer_sees_a_running_writer_and_says_so(wb: Workbook, inspection_id: int, wb_path: Path) -> None:
    wb.answers.set(inspection_id, "TST-01", "是")
    with Workbook.open(wb_path, actor="", read_only=True) as viewer:
        assert viewer.answers.all(inspection_id)["TST-01"].value == "yes"
        assert "另一个" in (viewer.read_only_reason or "")


def test_writer_open_of_a_read_only_file_is_refused_with_the_reason(wb: Workbook, inspection_id: int,
                                                                   wb_path: Path) -> None:
    path = _workbook_in_folder(wb, inspection_id, wb_path)
    path.chmod(0o444)
    out = without_root_rights(PROBE, str(path), str(inspection_id))
    assert out["write"][0] == "ReadOnlyLocationError"
    assert out["answers"] == {"TST-01": "yes", "TST-04": "6"}
    assert out["after"] == [path.name]
