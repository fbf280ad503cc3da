"""The audit log: every change is an entry in a hash chain, and edits made behind the service's back are named."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from selfcheck.workbook.audit import canonical_json, entry_hash
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR, jpeg_bytes


@pytest.fixture
def filled(wb: Workbook, inspection_id: int, wb_path: Path) -> Path:
    """A workbook with answers, a problem and a photo, closed so the test can edit the file directly."""
    wb.answers.set(inspection_id, "TST-01", "是")
    wb.answers.set(inspection_id, "TST-04", "5")
    wb.answers.set(inspection_id, "TST-08", "否", note="收费未公示")
    wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes(), "a.jpg")
    wb.answers.set(inspection_id, "TST-02", "是")
    wb.close()
    return wb_path


def _sql(path: Path, *statements: str | tuple[str, tuple]) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        sql, params = statement if isinstance(statement, tuple) else (statement, ())
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _verify(path: Path):  # type: ignore[no-untyped-def]
    with Workbook.open(path, actor="", read_only=True) as wb:
        return wb.audit.verify()


def test_every_change_is_chained(filled: Path) -> None:
    report = _verify(filled)
    assert report.ok and report.first_bad is None and "一致" in report.message
    with Workbook.open(filled, actor="", read_only=True) as wb:
        entries = list(reversed(wb.audit.entries(limit=1000)))
        assert wb.audit.head() == (entries[-1].hash, len(entries)) and report.head == entries[-1].hash
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].action == "workbook.create" and entries[0].prev_hash == "0" * 64
    for previous, entry in zip(entries, entries[1:]):
        assert entry.prev_hash == previous.hash
        assert entry.hash == entry_hash(entry.seq, entry.at.isoformat(timespec="milliseconds"), entry.actor,
                                        entry.action, entry.target, entry.before, entry.after, entry.prev_hash)
    actions = [e.action for e in entries]
    assert {"inspection.create", "answer.set", "problem.create", "photo.add"} <= set(actions)
    assert all(e.actor == ACTOR for e in entries)
    answer = next(e for e in entries if e.target.endswith("TST-08"))
    assert answer.before is None and answer.after["value"] == "no" and answer.after["note"] == "收费未公示"


TAMPERING: dict[str, tuple[Callable[[Path], None], str, str | None]] = {
    "answer changed": (lambda p: _sql(p, "UPDATE answers SET value = 'no' WHERE item_id = 'TST-01'"),
                       "TST-01 的答案", "answer/1/TST-01"),
    "answer inserted": (lambda p: _sql(p, "INSERT INTO answers VALUES (1, 'TST-06', '2026-01-01', '', 'x', "
                                          "'2026-01-01T00:00:00+08:00')"), "没有记录", "answer/1/TST-06"),
    "problem deleted": (lambda p: _sql(p, "DELETE FROM problems"), "删除记录", "problem/1"),
    "problem closed": (lambda p: _sql(p, "UPDATE problems SET status = '已销号'"), "问题 #1", "problem/1"),
    "photo blob swapped": (lambda p: _sql(p, ("UPDATE photo_images SET data = ?", (jpeg_bytes(colour=(0, 0, 0)),))),
                           "哈希不符", "photo/1"),
    "photo caption edited": (lambda p: _sql(p, "UPDATE photos SET caption = '换过的说明'"), "照片 #1", "photo/1"),
    "snapshot edited": (lambda p: _sql(p, "UPDATE checklist_snapshots SET content = replace(content, '是否建立制度', "
                                          "'是否有制度') WHERE checklist_id = 'tst'"), "清单 tst", "inspection/1"),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_direct_edits_are_detected_and_named(filled: Path, case: str) -> None:
    tamper, named, row = TAMPERING[case]
    tamper(filled)
    report = _verify(filled)
    assert not report.ok
    assert named in report.message, report.message
    assert report.bad_row == row


def _delete_entry(path: Path, which: str) -> int:
    conn = sqlite3.connect(path)
    count = conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0]
    seq = {"middle": count // 2, "last": count, "first": 1}[which]
    conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
    conn.commit()
    conn.close()
    return seq


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_a_deleted_entry_is_found_and_named(filled: Path, which: str) -> None:
    seq = _delete_entry(filled, which)
    report = _verify(filled)
    assert not report.ok and f"第 {seq} 条" in report.message, report.message
    assert report.first_bad in (seq, seq + 1)


def test_a_rewritten_entry_is_found(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    seq, after = conn.execute("SELECT seq, after FROM audit_log WHERE target = 'answer/1/TST-01'").fetchone()
    conn.execute("UPDATE audit_log SET after = ? WHERE seq = ?", (after.replace('"yes"', '"no"'), seq))
    conn.commit()
    conn.close()
    report = _verify(filled)
    assert not report.ok and report.first_bad == seq and "哈希不符" in report.message


def test_rebuilt_tail_after_an_edit_still_disagrees_with_the_data(filled: Path) -> None:
    """Even a forger who re-hashes the chain after dropping an entry is caught by the replay."""
    conn = sqlite3.connect(filled)
    rows = conn.execute("SELECT seq, at, actor, action, target, before, after FROM audit_log ORDER BY seq").fetchall()
    victim = next(r for r in rows if r[4] == "answer/1/TST-04")
    conn.execute("DELETE FROM audit_log")
    prev = "0" * 64
    for seq, (_, at, actor, action, target, before, after) in enumerate([r for r in rows if r != victim], start=1):
        import json

        b, a = (json.loads(before) if before else None), (json.loads(after) if after else None)
        digest = entry_hash(seq, at, actor, action, target, b, a, prev)
        conn.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (seq, at, actor, action, target, before and canonical_json(b), after and canonical_json(a),
                      prev, digest))
        prev = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{len(rows) - 1}:{prev}",))
    conn.commit()
    conn.close()
    report = _verify(filled)
    assert not report.ok and report.bad_row == "answer/1/TST-04"


def test_untampered_workbook_still_verifies_after_reopen_and_more_changes(filled: Path) -> None:
    with Workbook.open(filled, actor="另一位老师") as wb:
        wb.answers.set(1, "TST-01", "否")
        assert wb.audit.verify().ok
        assert wb.audit.entries(limit=1)[0].actor == "另一位老师"
