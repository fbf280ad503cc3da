"""The session's workbook: every call, also through its rooms (wb.ledger, wb.inspections, …), takes the one lock
a background task shares, so the GUI and a worker never interleave on the SQLite connection."""

from __future__ import annotations

import threading
from pathlib import Path

from selfcheck.gui.session import ROOMS, LockedWorkbook
from selfcheck.workbook.service import Workbook


def test_room_calls_wait_for_the_lock(tmp_path: Path) -> None:
    lock = threading.RLock()
    with Workbook.create(tmp_path / "学校.selfcheck", actor="测试") as book:
        locked = LockedWorkbook(book, lock)
        for room in ROOMS:
            assert isinstance(getattr(locked, room), LockedWorkbook), room
        held, release, done = threading.Event(), threading.Event(), threading.Event()

        def hold() -> None:  # a background task in the middle of a write
            with lock:
                held.set()
                release.wait(10)

        def read() -> None:
            locked.inspections.all()
            locked.ledger.all()
            done.set()

        holder = threading.Thread(target=hold)
        holder.start()
        held.wait(10)
        reader = threading.Thread(target=read)
        reader.start()
        assert not done.wait(0.3), "a room call ran while another thread held the workbook lock"
        release.set()
        assert done.wait(10)
        holder.join()
        reader.join()
