"""Cases for each way SQLite reports a damaged or unusable workbook file (workbook/errors.py: damage_detail and
sqlite_reason), as the integrity check after open and a failed creation show them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from tests.messages.support import Env, T, failing

ACTOR = "测试员"


def _damaged(env: Env, problems: list[str] | None = None) -> None:
    """A command-line change to a workbook whose full integrity check (run after open) finds `problems`; None: a
    real dangling row (an answer whose inspection another tool deleted)."""
    from selfcheck.workbook import health
    from selfcheck.workbook.health import require_intact
    from selfcheck.workbook.service import Workbook

    path = env.workbook()
    if problems is None:
        conn = sqlite3.connect(path)  # foreign keys are off by default: another tool does not check them
        conn.execute("INSERT INTO answers (inspection_id, item_id, value, note, answered_by, answered_at)"
                     " VALUES (99, 'TST-01', 'yes', '', '某人', '2026-10-01T08:00:00')")
        conn.commit()
        conn.close()
    else:
        env.monkeypatch.setattr(health, "full_integrity", lambda _db: problems)
    wb = Workbook.open(path, actor=ACTOR)
    env.opened.append(wb)
    require_intact(wb)


def _create_fails(message: str) -> Callable[[Env], None]:
    """SQLite fails while the new workbook's tables are written (stick pulled out, folder made read-only...)."""

    def run(env: Env) -> None:
        from selfcheck.workbook import backup
        from selfcheck.workbook.service import Workbook

        env.monkeypatch.setattr(backup, "apply_step", failing(sqlite3.OperationalError(message)))
        Workbook.create(env.tmp / "学校.selfcheck", actor=ACTOR)

    return run


def _connect_fails(error: type[sqlite3.DatabaseError], message: str) -> Callable[[Env], None]:
    """The workbook's first read fails inside SQLite (a damaged header, a stick pulled out)."""

    def run(env: Env) -> None:
        from selfcheck.workbook.db import connect

        path = env.workbook()
        real = sqlite3.connect

        class Failing(sqlite3.Connection):
            def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
                if sql.startswith("PRAGMA foreign_keys"):
                    raise error(message)
                return super().execute(sql, *args)  # type: ignore[arg-type]

        env.monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real(*a, factory=Failing, **k))
        connect(path, read_only=False)

    return run


def _message(detail: str) -> str:
    return (f"工作簿“学校.selfcheck”的完整性检查未通过（{detail}），这次没有做任何修改，也不会写入，以免损坏扩大。"
            "请用 selfcheck workbook restore 选择一份备份恢复。")


def _created(reason: str) -> str:
    return f"无法创建工作簿“{T}/学校.selfcheck”：{reason}。"


_OPEN = "工作簿“学校.selfcheck”已损坏，无法打开（{}）。为避免进一步损坏，程序没有对它做任何修改。"

CASES: list[tuple[str, Callable[[Env], None], str]] = [
    # workbook/errors.py: damage_detail, through the integrity check after open (workbook/health.py)
    ("damage: a row refers to nothing", _damaged, _message("表 answers 第 1 行引用了不存在的 inspections 记录")),
    ("damage: malformed", lambda e: _damaged(e, ["database disk image is malformed"]), _message("文件内部结构已损坏")),
    ("damage: not a database", lambda e: _damaged(e, ["file is not a database"]), _message("文件内容不是完整的数据库")),
    ("damage: encrypted", lambda e: _damaged(e, ["file is encrypted or is not a database"]),
     _message("文件内容不是完整的数据库")),
    ("damage: read error", lambda e: _damaged(e, ["disk I/O error"]), _message("读取文件时出错")),
    ("damage: invalid page", lambda e: _damaged(e, ["*** in database main ***\nOn tree page 7 cell 3: invalid page number 912"]),
     _message("文件内部结构已损坏")),
    ("damage: rows out of order", lambda e: _damaged(e, ["On tree page 5 cell 1: Rowid 12 out of order"]),
     _message("文件内部结构已损坏")),
    ("damage: page never used", lambda e: _damaged(e, ["*** in database main ***\nPage 31 is never used"]),
     _message("文件内部结构已损坏")),
    ("damage: corrupt", lambda e: _damaged(e, ["database corruption at line 72187 of [831d0fb283]"]),
     _message("文件内部结构已损坏")),
    ("damage: index entries missing", lambda e: _damaged(e, ["row 3 missing from index audit_target"]),
     _message("文件内部数据不一致")),
    ("damage: long Chinese detail", lambda e: _damaged(e, ["表 answers 第 1 行引用了不存在的 inspections 记录；" * 12]),
     _message(("表 answers 第 1 行引用了不存在的 inspections 记录；" * 12)[:199] + "…")),
    # workbook/errors.py: sqlite_reason, through a workbook whose creation fails (workbook/service.py)
    ("new workbook: folder made read-only", _create_fails("attempt to write a readonly database"),
     _created("所在位置是只读的")),
    ("new workbook: file taken by another program", _create_fails("database is locked"),
     _created("文件正被其他程序占用")),
    ("new workbook: stick pulled out", _create_fails("disk I/O error"), _created("读写文件时出错，U盘可能已被拔出")),
    ("new workbook: file cannot be opened", _create_fails("unable to open database file"),
     _created("无法打开文件（文件夹可能不可写、文件正被占用，或U盘已被拔出）")),
    ("new workbook: written file damaged", _create_fails("database disk image is malformed"),
     _created("文件内部结构已损坏")),
    # workbook/errors.py: corrupt_error at the first read of the file (workbook/db.py)
    ("first read: stick pulled out", _connect_fails(sqlite3.OperationalError, "disk I/O error"),
     "无法打开工作簿“学校.selfcheck”：读写文件时出错，U盘可能已被拔出。"),
    ("first read: not a database", _connect_fails(sqlite3.DatabaseError, "file is not a database"),
     _OPEN.format("文件内容不是完整的数据库")),
    ("first read: damaged", _connect_fails(sqlite3.DatabaseError, "database disk image is malformed"),
     _OPEN.format("文件内部结构已损坏")),
]
