"""Hash-chained audit log: append an entry per change; verify the chain and replay it against the stored data."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from selfcheck.workbook.models import AuditEntry, AuditReport
from selfcheck.workbook.states import all_states, describe_target

GENESIS = "0" * 64
# Targets that record events (the workbook's creation), not entities with a stored state.
EVENT_TARGETS = frozenset({"workbook"})
MAX_LISTED_PROBLEMS = 50


def canonical_json(value: object) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 text (no floats are ever stored)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(seq: int, at: str, actor: str, action: str, target: str,
               before: dict | None, after: dict | None, prev_hash: str) -> str:
    payload = {"seq": seq, "at": at, "actor": actor, "action": action, "target": target,
               "before": before, "after": after, "prev_hash": prev_hash}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def head(db: sqlite_utils.Database) -> tuple[int, str]:
    """(seq, hash) of the last entry; (0, GENESIS) for an empty log. One primary-key lookup."""
    row = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append(db: sqlite_utils.Database, *, at: str, actor: str, action: str, target: str,
           before: dict | None, after: dict | None) -> tuple[int, str]:
    """Append one entry inside the caller's transaction and record the new head in meta; returns (seq, hash)."""
    prev_seq, prev_hash = head(db)
    seq = prev_seq + 1
    digest = entry_hash(seq, at, actor, action, target, before, after, prev_hash)
    db.execute(
        "INSERT INTO audit_log (seq, at, actor, action, target, before, after, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, target,
         None if before is None else canonical_json(before),
         None if after is None else canonical_json(after), prev_hash, digest),
    )
    # The head is also kept in meta so that deleting the newest entries is caught too.
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", (f"{seq}:{digest}",))
    return seq, digest


def _load(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


def entries(db: sqlite_utils.Database, *, target: str | None, limit: int, offset: int) -> list[AuditEntry]:
    sql = "SELECT seq, at, actor, action, target, before, after, prev_hash, hash FROM audit_log"
    params: list[object] = []
    if target is not None:
        sql += " WHERE target = ?"
        params.append(target)
    sql += " ORDER BY seq DESC LIMIT ? OFFSET ?"
    params += [limit, offset]
    return [
        AuditEntry(seq=r[0], at=datetime.fromisoformat(r[1]), actor=r[2], action=r[3], target=r[4],
                   before=_load(r[5]), after=_load(r[6]), prev_hash=r[7], hash=r[8])
        for r in db.execute(sql, params).fetchall()
    ]


@dataclass
class _Findings:
    problems: list[tuple[int | None, str | None, str]] = field(default_factory=list)

    def add(self, seq: int | None, row: str | None, message: str) -> None:
        self.problems.append((seq, row, message))


def _describe_value(value: object) -> str:
    if value is None:
        return "空"
    text = str(value)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _state_difference(logged: dict, stored: dict) -> str:
    keys = sorted(set(logged) | set(stored))
    diffs = [k for k in keys if logged.get(k) != stored.get(k)]
    if not diffs:
        return ""
    first = diffs[0]
    return (f"字段 {first}：日志为{_describe_value(logged.get(first))}，"
            f"数据库中为{_describe_value(stored.get(first))}" + ("等" if len(diffs) > 1 else ""))


def _walk_chain(db: sqlite_utils.Database, findings: _Findings) -> tuple[int, int, str, dict, dict]:
    """Check seq continuity, hashes and each entry's `before`; returns count, last seq, head, replayed state."""
    replay: dict[str, dict] = {}
    last_seq_of: dict[str, int] = {}
    prev_hash, expected, count = GENESIS, 1, 0
    cursor = db.execute(
        "SELECT seq, at, actor, action, target, before, after, prev_hash, hash FROM audit_log ORDER BY seq"
    )
    for seq, at, actor, action, target, before_text, after_text, stored_prev, stored_hash in cursor:
        count += 1
        if seq != expected:
            missing = f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}–{seq - 1} 条"
            findings.add(seq, None, f"审计日志{missing}缺失（被删除）。")
        if stored_prev != prev_hash:
            findings.add(seq, None, f"第 {seq} 条日志的前序哈希与上一条不符（之前的日志被删除或修改）。")
        try:
            before, after = _load(before_text), _load(after_text)
        except (ValueError, TypeError):
            findings.add(seq, target, f"第 {seq} 条日志内容无法解析（被修改）。")
            before = after = None
        else:
            if entry_hash(seq, at, actor, action, target, before, after, stored_prev) != stored_hash:
                findings.add(seq, None, f"第 {seq} 条日志（{action}，{describe_target(target)}）的内容与其哈希不符（被修改）。")
            if target not in EVENT_TARGETS and before != replay.get(target):
                findings.add(seq, target, f"第 {seq} 条日志记录的修改前状态与此前的日志不一致（{describe_target(target)}），"
                                          "中间的日志可能被删除。")
        if target in EVENT_TARGETS:
            pass
        elif after is None:
            replay.pop(target, None)
        else:
            replay[target] = after
        last_seq_of[target] = seq
        prev_hash, expected = stored_hash, seq + 1
    return count, expected - 1, prev_hash, replay, last_seq_of


def _check_head(db: sqlite_utils.Database, last_seq: int, head_hash: str, findings: _Findings) -> None:
    row = db.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if row is None:
        if last_seq:
            findings.add(last_seq, None, "工作簿缺少审计日志末条记录的登记（被修改）。")
        return
    recorded_seq, _, recorded_hash = str(row[0]).partition(":")
    if recorded_seq != str(last_seq) or recorded_hash != head_hash:
        if recorded_seq.isdigit() and int(recorded_seq) > last_seq:
            first, last = last_seq + 1, int(recorded_seq)
            span = f"第 {first} 条" if first == last else f"第 {first}–{last} 条"
            findings.add(first, None, f"审计日志最后的{span}缺失（被删除）。")
        else:
            findings.add(last_seq or None, None, "审计日志的末条记录与工作簿登记的不符（日志被修改）。")


def _check_state(db: sqlite_utils.Database, replay: dict, last_seq_of: dict, findings: _Findings) -> None:
    current = dict(all_states(db))
    mismatches: list[tuple[int, str, str]] = []
    for target in set(current) | set(replay):
        logged, stored = replay.get(target), current.get(target)
        if logged == stored:
            continue
        name = describe_target(target)
        seq = last_seq_of.get(target)
        if logged is None:
            message = f"{name} 在审计日志中没有记录（可能被直接写入数据库）。"
        elif stored is None:
            message = f"{name} 已不在数据库中，但审计日志中没有删除记录（第 {seq} 条最后记录了它）。"
        else:
            message = (f"{name} 与审计日志第 {seq} 条记录的不符（{_state_difference(logged, stored)}），"
                       "可能被直接修改。")
        mismatches.append((seq if seq is not None else 1 << 62, target, message))
    for seq, target, message in sorted(mismatches):
        findings.add(seq if seq < 1 << 62 else None, target, message)


def _check_blobs(db: sqlite_utils.Database, findings: _Findings) -> None:
    for table, column, label in (("photo_images", "image_sha256", "图像"), ("photo_thumbs", "thumb_sha256", "缩略图")):
        cursor = db.execute(
            f"SELECT p.id, p.{column}, b.data FROM photos p LEFT JOIN {table} b ON b.photo_id = p.id ORDER BY p.id"
        )
        for photo_id, expected, data in cursor:
            if data is None:
                findings.add(None, f"photo/{photo_id}", f"照片 #{photo_id} 的{label}数据缺失。")
            elif hashlib.sha256(data).hexdigest() != expected:
                findings.add(None, f"photo/{photo_id}", f"照片 #{photo_id} 的{label}数据与记录的哈希不符（被替换或损坏）。")
    for iid, cid, content, sha in db.execute(
        "SELECT inspection_id, checklist_id, content, sha256 FROM checklist_snapshots"
    ):
        if hashlib.sha256(content.encode("utf-8")).hexdigest() != sha:
            findings.add(None, f"inspection/{iid}", f"自查 #{iid} 保存的清单 {cid} 内容与其哈希不符（被修改）。")


def verify(db: sqlite_utils.Database) -> AuditReport:
    """Walk the chain, then compare the replayed state with every stored answer, photo, problem and inspection."""
    findings = _Findings()
    count, last_seq, head_hash, replay, last_seq_of = _walk_chain(db, findings)
    _check_head(db, last_seq, head_hash, findings)
    _check_state(db, replay, last_seq_of, findings)
    _check_blobs(db, findings)
    if not findings.problems:
        return AuditReport(ok=True, entries=count, head=head_hash,
                           message=f"审计日志完整：共 {count} 条记录，哈希链与当前数据一致。")
    seq, row, message = findings.problems[0]
    listed = [m for _, _, m in findings.problems[:MAX_LISTED_PROBLEMS]]
    more = len(findings.problems) - len(listed)
    summary = f"审计校验未通过：发现 {len(findings.problems)} 处问题。首个问题：{message}"
    if more > 0:
        listed.append(f"……另有 {more} 处问题未列出。")
    return AuditReport(ok=False, entries=count, head=head_hash, message=summary, first_bad=seq, bad_row=row,
                       problems=listed)
