"""A full disk: the WAL stays small, the message names the space needed, and saving resumes once it is freed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .sandbox import in_namespace

SCENARIO = r"""
    import io, json, os, random, sys
    from pathlib import Path
    from PIL import Image
    from selfcheck.checklists.models import Checklist
    from selfcheck.errors import WorkbookError
    from selfcheck.workbook.models import NewInspection
    from selfcheck.workbook.service import Workbook
    from datetime import date

    folder = Path(sys.argv[1])
    path = folder / "学校.selfcheck"
    MB = 1024 * 1024
    checklist = Checklist.model_validate({
        "id": "tst", "version": "1.0", "title": "测试清单", "area": "1", "order": 1,
        "documents": [{"key": "d", "title": "测试文件"}],
        "sections": [{"id": "a", "title": "第一部分", "items": [
            {"id": f"T-{n:02d}", "question": "是否？", "guidance": "看", "severity": "较重", "score": 1,
             "evidence": {"description": "照片", "photo": "optional"}, "basis": [{"doc": "d"}]}
            for n in range(1, 41)]}]})

    def photo(seed):
        rnd = random.Random(seed)
        image = Image.frombytes("RGB", (900, 700), rnd.randbytes(900 * 700 * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        return out.getvalue()

    wb = Workbook.create(path, actor="测试员")
    iid = wb.inspections.create(NewInspection(title="自查", period_start=date(2026, 9, 1),
                               period_end=date(2026, 12, 31), checklist_ids=["tst"]), available=[checklist]).id
    filler = folder / "其他文件.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    filler.write_bytes(b"\0" * (free - 3 * MB))
    out = {"wal_max": 0, "saved": 0}
    error = None
    steps = []
    for n in range(200):
        item = f"T-{n % 40 + 1:02d}"
        steps.append(lambda n=n, item=item: wb.photos.add_bytes(iid, item, photo(n), f"p{n}.jpg"))
        steps.append(lambda item=item: wb.answers.set(iid, item, "是"))
    for step in steps:
        try:
            step()
            out["saved"] += 1
        except WorkbookError as err:
            error = err
            failed = step
            break
        wal = path.with_name(path.name + "-wal")
        out["wal_max"] = max(out["wal_max"], wal.stat().st_size if wal.exists() else 0)
    out["message"] = str(error)
    needed = int(__import__("re").search(r"至少需要 (\d+) MB", str(error)).group(1))
    # The user frees exactly what the message asked for.
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - needed * MB))
    try:
        failed()
        out["retry"] = "saved"
        out["saved"] += 1
    except WorkbookError as err:
        out["retry"] = str(err)
    wb.close()
    out["files_after_close"] = sorted(os.listdir(folder))
    # Closing must not have eaten the freed space again: after reopening, saving still works.
    with Workbook.open(path, actor="测试员") as again:
        try:
            again.answers.set(iid, "T-40", "否")
            again.photos.add_bytes(iid, "T-39", photo(999), "after.jpg")
            out["after_reopen"] = "saved"
        except WorkbookError as err:
            out["after_reopen"] = str(err)
        out["photos"] = again.info().photos
        out["answers"] = again.info().answers
        out["audit_ok"] = again.audit.verify().ok
    print(json.dumps(out, ensure_ascii=False))
"""


@pytest.mark.slow
def test_full_disk_then_space_freed_saving_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "u盘"
    folder.mkdir()
    mount = f"mount -t tmpfs -o size=24m tmpfs {shlex.quote(str(folder))}"
    out = in_namespace(mount, SCENARIO, str(folder), timeout=300)
    assert out["saved"] >= 6, out  # photos were saved before the disk filled up
    assert "磁盘空间不足" in out["message"] and "这次修改没有保存" in out["message"]
    assert re.search(r"至少需要 \d+ MB 可用空间，现在只有 [\d.]+ MB", out["message"]), out["message"]
    assert out["wal_max"] <= 1024 * 1024, out  # the WAL is folded in after every change, never hoarding the data
    assert out["retry"] == "saved", out
    assert out["after_reopen"] == "saved", out
    assert out["photos"] + out["answers"] == out["saved"] + 2
    assert out["audit_ok"]
    assert "学校.selfcheck-wal" not in out["files_after_close"]
