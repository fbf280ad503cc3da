"""Cases for the workbook's own rules and failures: who is answering, closed and read-only workbooks, inspections,
answers, the problem ledger, creating and opening (newer, older, damaged, busy files), failed saves and full disks."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.messages.support import Env, T, failing, os_error

ACTOR = "测试员"


def _wb(env: Env, *, inspection: bool = True) -> tuple[Any, int]:
    """A workbook with one inspection of two checklists (tst, oth), TST-01 answered 否 (problem #1)."""
    from selfcheck.workbook.models import NewInspection
    from selfcheck.workbook.service import Workbook
    from tests.workbook.conftest import make_checklist, make_other_checklist

    wb = Workbook.create(env.tmp / "学校.selfcheck", actor=ACTOR)
    env.opened.append(wb)
    if not inspection:
        return wb, 0
    iid = wb.inspections.create(NewInspection(
        title="秋季自查", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31), checklist_ids=["tst", "oth"]),
        available=[make_checklist(), make_other_checklist()]).id
    wb.answers.set(iid, "TST-01", "no")
    return wb, iid


def _sql(path: Path, *statements: str) -> None:
    """Change the file with another program (a database tool, a sync client), as a user might."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


# --- workbook/core.py and workbook/service.py: the actor, closed and read-only workbooks --------------------------


def _set_actor_blank(env: Env) -> None:
    wb, _ = _wb(env, inspection=False)
    wb.set_actor("  \u3000 ")


def _closed(env: Env) -> None:
    wb, _ = _wb(env, inspection=False)
    wb.close()
    wb.info()


def _read_only(env: Env, change: Callable[[Any], object]) -> None:
    from selfcheck.workbook.service import Workbook

    path = env.workbook()
    wb = Workbook.open(path, actor=ACTOR, read_only=True)
    env.opened.append(wb)
    change(wb)


def _batch(wb: Any) -> None:
    with wb.batch():
        pass


def _save_school(wb: Any) -> None:
    from selfcheck.workbook.models import SchoolProfile

    wb.save_school(SchoolProfile(name="城关第一小学"))


def _snapshot_missing(env: Env) -> None:
    wb, iid = _wb(env)
    wb.close()
    _sql(env.tmp / "学校.selfcheck", "DELETE FROM checklist_snapshots WHERE checklist_id = 'oth'")
    from selfcheck.workbook.service import Workbook

    wb = Workbook.open(env.tmp / "学校.selfcheck", actor=ACTOR)
    env.opened.append(wb)
    wb.inspections.checklists(iid)


def _create(env: Env, name: str = "学校.selfcheck", *, actor: str = ACTOR) -> None:
    from selfcheck.workbook.service import Workbook

    Workbook.create(env.tmp / name, actor=actor).close()


def _create_over_existing(env: Env) -> None:
    (env.tmp / "学校.selfcheck").write_bytes(b"keep me")
    _create(env)


def _create_race(env: Env) -> None:
    """Another program (or a second window) puts a file of the same name there while the workbook is built."""
    from selfcheck.workbook import backup

    real = backup.fsync_file

    def fsync_and_someone_else_writes(path: Path) -> None:
        real(path)
        (env.tmp / "学校.selfcheck").write_bytes(b"another program's file")

    env.monkeypatch.setattr(backup, "fsync_file", fsync_and_someone_else_writes)
    _create(env)


def _create_disk_full(env: Env) -> None:
    from selfcheck.workbook import backup

    env.monkeypatch.setattr(backup.os, "fsync", failing(os_error(errno.ENOSPC)))
    _create(env)


def _create_sqlite_disk_full(env: Env) -> None:
    """SQLite itself runs out of space while writing the new workbook's tables."""
    from selfcheck.workbook import backup

    env.monkeypatch.setattr(backup, "apply_step", failing(sqlite3.OperationalError("database or disk is full")))
    _create(env)


# --- workbook/inspections.py -------------------------------------------------------------------------------------


def _update(**fields: object) -> Callable[[Env], None]:
    def run(env: Env) -> None:
        from selfcheck.workbook.models import InspectionUpdate

        wb, iid = _wb(env)
        wb.inspections.update(iid, InspectionUpdate(**fields))

    return run


def _unknown_checklist(env: Env) -> None:
    from selfcheck.workbook.models import NewInspection
    from tests.workbook.conftest import make_checklist

    wb, _ = _wb(env, inspection=False)
    wb.inspections.create(NewInspection(title="春季自查", period_start=date(2027, 3, 1), period_end=date(2027, 6, 30),
                                        checklist_ids=["tst", "xyz", "abc"]), available=[make_checklist()])


# --- workbook/answers.py -----------------------------------------------------------------------------------------


def _answer_in_not_applicable(env: Env) -> None:
    from selfcheck.workbook.models import InspectionUpdate

    wb, iid = _wb(env)
    wb.inspections.update(iid, InspectionUpdate(not_applicable={"oth": "本校无此情况"}))
    wb.answers.set(iid, "OTH-01", "yes")


def _note_too_long(env: Env) -> None:
    from selfcheck.workbook.core import MAX_NOTE

    wb, iid = _wb(env)
    wb.answers.set_note(iid, "TST-02", "字" * (MAX_NOTE + 1))


def _no_item(env: Env) -> None:
    wb, iid = _wb(env)
    wb.answers.set(iid, "TST-99", "yes")


def _no_inspection(env: Env) -> None:
    wb, _ = _wb(env)
    wb.answers.set(7, "TST-01", "yes")


# --- workbook/problems.py ----------------------------------------------------------------------------------------

PLAN = {"measures": "制定制度", "rect_type": "长效机制", "leader": "王校长", "department": "总务处", "person": "李老师",
        "deadline": date.today() + timedelta(days=30)}


def _problem(env: Env, *steps: str) -> tuple[Any, int]:
    """Problem #1 (TST-01 answered 否) moved through `steps` (整改中, 已整改, 已销号)."""
    from selfcheck.workbook.ledger_models import StepData

    wb, iid = _wb(env)
    today = date.today()
    data = {"整改中": PLAN, "已整改": {"done_description": "已整改", "completed_on": today},
            "已销号": {"verified_by": "王校长", "verified_on": today, "closed_by": "王校长", "closed_on": today}}
    for step in steps:
        wb.ledger.advance(1, step, StepData(**data[step]))
    return wb, iid


def _follow_up(env: Env, *, steps: tuple[str, ...] = ("整改中", "已整改"), when: date | None = None,
               twice: bool = False) -> None:
    from selfcheck.workbook.ledger_models import FollowUp, FollowUpResult

    wb, _ = _problem(env, *steps)
    round_one = FollowUp(round=1, date=when or date.today(), by="王校长", finding="制度仍在执行", result=FollowUpResult.HELD)
    wb.ledger.add_follow_up(1, round_one)
    if twice:
        wb.ledger.add_follow_up(1, round_one)


def _delete_in_progress(env: Env) -> None:
    wb, _ = _problem(env, "整改中")
    wb.ledger.delete(1)


def _delete_with_photo(env: Env) -> None:
    from tests.workbook.conftest import jpeg_bytes

    wb, iid = _problem(env)
    wb.photos.add_bytes(iid, None, jpeg_bytes(), "整改后.jpg", problem_id=1, kind="after")
    wb.ledger.delete(1)


def _delete_carried_over(env: Env) -> None:
    from selfcheck.workbook.models import NewInspection
    from tests.workbook.conftest import make_checklist, make_other_checklist

    wb, iid = _problem(env)
    wb.inspections.create(NewInspection(title="春季自查", period_start=date(2027, 3, 1), period_end=date(2027, 6, 30),
                                        checklist_ids=["tst", "oth"], carry_over_from=iid),
                          available=[make_checklist(), make_other_checklist()])
    wb.ledger.delete(1)


def _second_self_check_problem(env: Env) -> None:
    from selfcheck.workbook.ledger_models import NewProblem

    wb, iid = _problem(env)
    wb.ledger.add(iid, NewProblem(description="制度未上墙", item_id="TST-01"))


def _blank_description(env: Env) -> None:
    from selfcheck.workbook.ledger_models import ProblemUpdate

    wb, _ = _problem(env)
    wb.ledger.update(1, ProblemUpdate(description=None))


def _reopen_without_reason(env: Env) -> None:
    wb, _ = _problem(env, "整改中", "已整改")
    wb.ledger.reopen(1, "  ")


# --- workbook/migrations.py, workbook/errors.py, workbook/service.py: files that cannot be opened as they are -----


def _open(env: Env, path: Path, *, read_only: bool = False) -> None:
    from selfcheck.workbook.service import Workbook

    wb = Workbook.open(path, actor=ACTOR, read_only=read_only)
    env.opened.append(wb)


def _other_database(env: Env) -> None:
    """Another program's SQLite database, renamed to .selfcheck (or chosen by mistake)."""
    path = env.tmp / "通讯录.selfcheck"
    _sql(path, "CREATE TABLE contacts (name TEXT, phone TEXT)", "INSERT INTO contacts VALUES ('张三', '123')")
    _open(env, path)


def _newer_schema(env: Env) -> None:
    from selfcheck.workbook.schema import CURRENT_VERSION

    path = env.workbook()
    _sql(path, f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    _open(env, path)


def _v1_workbook(env: Env) -> Path:
    from selfcheck.workbook.db import APPLICATION_ID

    path = env.tmp / "旧工作簿.selfcheck"
    fixture = Path(__file__).parents[1] / "workbook" / "fixtures" / "workbook_v1.sql"
    conn = sqlite3.connect(path)
    conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return path


def _unfinished(env: Env) -> None:
    """A workbook whose creation never finished (the program was killed before the first schema step)."""
    from selfcheck.workbook.db import APPLICATION_ID

    path = env.tmp / "学校.selfcheck"
    _sql(path, f"PRAGMA application_id = {APPLICATION_ID}", "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    _open(env, path)


def _page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return size


def _scribbled(env: Env) -> None:
    """A workbook whose pages were overwritten (a failing disk, a bad copy): every page after the first is noise."""
    import random

    path = env.workbook()
    data = bytearray(path.read_bytes())
    page = _page_size(path)
    noise = random.Random(7).randbytes(len(data) - page)
    data[page:] = noise
    path.write_bytes(bytes(data))
    _open(env, path)


def _cut_short(env: Env) -> None:
    """An interrupted copy: the file stops a few pages early, inside the photo stored last."""
    import random

    from PIL import Image

    wb, iid = _wb(env)
    noise = Image.frombytes("RGB", (200, 200), random.Random(3).randbytes(200 * 200 * 3))
    noise.save(env.tmp / "现场.png")
    wb.photos.add(iid, "TST-01", env.tmp / "现场.png")
    wb.close()
    path = env.tmp / "学校.selfcheck"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3 * _page_size(path)])
    _open(env, path)


def _rows_break_the_schema(env: Env) -> None:
    """Rows that break the workbook's own rules (a tool edited the schema and left a required value empty), found
    by the quick check at open."""
    wb, _ = _wb(env)
    wb.close()
    path = env.tmp / "学校.selfcheck"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'deadline TEXT', 'deadline TEXT NOT NULL')"
                 " WHERE name = 'problems'")
    conn.commit()
    conn.close()
    _open(env, path)


def _held_by_another_program(env: Env) -> None:
    """A database tool (or a sync client) holds an exclusive lock on the file while SelfCheck opens it."""
    from selfcheck.workbook import db as workbook_db

    path = env.workbook()
    env.monkeypatch.setattr(workbook_db, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        _open(env, path)
    finally:
        other.execute("ROLLBACK")
        other.close()


def _locked_after_connecting(env: Env) -> None:
    """The other program takes its lock just after SelfCheck connected, while the workbook's identity is read."""
    from selfcheck.workbook import db as workbook_db
    from selfcheck.workbook import service

    path = env.workbook()
    env.monkeypatch.setattr(workbook_db, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")  # its own journal: its exclusive lock then keeps readers out too
    env.opened.append(other)
    real_connect = service.connect

    def connect_then_locked(*args: Any, **kwargs: Any) -> Any:
        db = real_connect(*args, **kwargs)
        other.execute("BEGIN EXCLUSIVE")
        return db

    env.monkeypatch.setattr(service, "connect", connect_then_locked)
    _open(env, path)


def _require_intact(env: Env) -> None:
    """A command-line change to a workbook whose audit log index (checked in full only after open) is damaged."""
    from selfcheck.workbook.health import require_intact
    from selfcheck.workbook.service import Workbook

    wb, _ = _wb(env)
    wb.close()
    path = env.tmp / "学校.selfcheck"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, '(', '(hash, ') WHERE name = 'audit_target'")
    conn.commit()
    conn.close()
    wb = Workbook.open(path, actor=ACTOR)
    env.opened.append(wb)
    require_intact(wb, env.tmp / "自动备份")


def _backup_without_id(env: Env) -> None:
    from selfcheck.workbook.autobackup import backup_if_due

    path = env.workbook()
    _sql(path, "DELETE FROM meta WHERE key = 'workbook_id'")
    backup_if_due(path, env.tmp / "自动备份")


# --- workbook/errors.py and workbook/space.py: a save that fails -------------------------------------------------


def _save_fails(env: Env, prepare: Callable[[Any], None]) -> None:
    wb, iid = _wb(env)
    prepare(wb)
    wb.answers.set(iid, "TST-02", "yes", note="公示栏位于校门口。" * 400)  # a change that needs new pages


def _query_only(wb: Any) -> None:
    """SQLite refuses to write (the file was made read-only under the open workbook)."""
    wb.db.execute("PRAGMA query_only = ON")


def _another_writer(env: Env) -> Callable[[Any], None]:
    def hold(wb: Any) -> None:
        wb.db.execute("PRAGMA busy_timeout = 0")
        other = sqlite3.connect(env.tmp / "学校.selfcheck", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        env.opened.append(other)

    return hold


def _writer_fails(env: Env, message: str) -> Callable[[Any], None]:
    def fault(_wb: Any) -> None:
        from selfcheck.workbook import core

        env.monkeypatch.setattr(core, "write", failing(sqlite3.OperationalError(message)))

    return fault


def _table_dropped(wb: Any) -> None:
    """Another program removed a table the save writes to (an unforeseen SQLite error)."""
    wb.db.execute("DROP TRIGGER IF EXISTS answers_touch")
    wb.db.execute("ALTER TABLE answers RENAME TO answers_old")


def _disk_full(env: Env, free: int | None) -> Callable[[Any], None]:
    """The disk fills up: SQLite cannot grow the file (max_page_count is what a full disk looks like to it)."""

    def fill(wb: Any) -> None:
        from selfcheck.workbook import space

        pages = wb.db.execute("PRAGMA page_count").fetchone()[0]
        wb.db.execute(f"PRAGMA max_page_count = {pages}")
        env.monkeypatch.setattr(space, "wal_size", lambda _path: 3 * space.MB)
        env.monkeypatch.setattr(space, "free_space", lambda _folder: free)

    return fill


def _open_disk_full(env: Env) -> None:
    """Upgrading an old workbook needs space the disk does not have."""
    from selfcheck.workbook import migrations, space

    path = _v1_workbook(env)
    env.monkeypatch.setattr(migrations, "run_migrations",
                            failing(sqlite3.OperationalError("database or disk is full")))
    env.monkeypatch.setattr(space, "free_space", lambda _folder: 300 * 1024)
    _open(env, path)


# --- the cases ---------------------------------------------------------------------------------------------------

_DAMAGED = "工作簿“学校.selfcheck”已损坏，无法打开（{}）。为避免进一步损坏，程序没有对它做任何修改。"
_EXISTS = f"“{T}/学校.selfcheck”已存在，不能在此新建工作簿。请换一个文件名，或直接打开这个工作簿。"
_SAVE = "保存到工作簿“学校.selfcheck”失败（{}），这次修改没有保存。"

CASES: list[tuple[str, Callable[[Env], None], str]] = [
    # workbook/core.py, workbook/service.py
    ("workbook created without a name", lambda e: _create(e, actor=" "), "请先填写使用者姓名（用于记录谁作答、谁修改）。"),
    ("answering person left blank", _set_actor_blank, "请选择或填写作答人的姓名（用于记录谁作答、谁修改）。"),
    ("workbook already closed", _closed, "工作簿已关闭，请重新打开后再操作。"),
    ("change to a read-only workbook", lambda e: _read_only(e, _save_school),
     "工作簿“学校.selfcheck”以只读方式打开，不能修改。"),
    ("bulk change to a read-only workbook", lambda e: _read_only(e, _batch),
     "工作簿“学校.selfcheck”以只读方式打开，不能修改。"),
    ("no such inspection", _no_inspection, "找不到编号为 7 的自查。"),
    ("no such item", _no_item, "自查 #1 中没有检查项“TST-99”。"),
    ("checklist snapshot missing", _snapshot_missing, "自查 #1 缺少清单 oth 的内容快照，工作簿可能已损坏。"),
    ("new workbook over an existing file", _create_over_existing, _EXISTS),
    ("new workbook: file appears meanwhile", _create_race, _EXISTS),
    ("new workbook in a missing folder", lambda e: _create(e, "无/学校.selfcheck"), f"文件夹“{T}/无”不存在。"),
    ("new workbook: disk full", _create_disk_full, f"无法创建工作簿“{T}/学校.selfcheck”：磁盘空间不足。"),
    ("new workbook: SQLite disk full", _create_sqlite_disk_full, f"无法创建工作簿“{T}/学校.selfcheck”：磁盘空间不足。"),
    # workbook/inspections.py
    ("unknown checklists", _unknown_checklist, "找不到检查清单：xyz、abc。"),
    ("period ends before it starts", _update(period_end=date(2026, 8, 31)), "自查时段的结束日期不能早于开始日期。"),
    ("inspection without checklists", _update(checklist_ids=[]), "一次自查至少要选择一份检查清单。"),
    ("checklist chosen twice", _update(checklist_ids=["tst", "oth", "tst"]), "检查清单不能重复选择。"),
    ("not-applicable checklist not chosen", _update(not_applicable={"abc": "无"}), "标为不适用的清单不在本次自查中：abc。"),
    ("remove a checklist with answers", _update(checklist_ids=["oth"]),
     "清单 tst 已有答案、照片或问题，不能从本次自查中移除；如不适用，请标为“不适用”。"),
    # workbook/answers.py
    ("answer in a not-applicable checklist", _answer_in_not_applicable,
     "清单“其他清单”在本次自查中已标为不适用，不能作答；如需作答，请先取消“不适用”。"),
    ("note too long", _note_too_long, "备注过长（最多 {note_limit} 字）。"),
    # workbook/problems.py
    ("no such problem", lambda e: (_wb(e)[0].ledger.get(9)), "找不到编号为 9 的问题。"),
    ("second self-check problem for an item", _second_self_check_problem,
     "检查项 TST-01 已有自查问题 #1，请直接编辑该问题。"),
    ("delete a problem being rectified", _delete_in_progress, "问题 #1 已是“整改中”，不能删除；整改台账需保留记录。"),
    ("delete a problem with photos", _delete_with_photo, "问题 #1 已关联照片或回头看记录，不能删除。"),
    ("delete a carried-over problem", _delete_carried_over, "问题 #1 已被后续自查带入（回头看），不能删除。"),
    ("problem description emptied", _blank_description, "问题描述不能为空。"),
    ("reopen without a reason", _reopen_without_reason, "重新打开问题需要说明原因。"),
    ("follow-up before rectified", lambda e: _follow_up(e, steps=("整改中",)),
     "问题 #1 尚未整改完成（整改中），还不能“回头看”。"),
    ("follow-up in the future", lambda e: _follow_up(e, when=date.today() + timedelta(days=1)), "回头看日期不能晚于今天。"),
    ("follow-up round twice", lambda e: _follow_up(e, twice=True), "问题 #1 已有第 1 轮回头看记录。"),
    # workbook/migrations.py, workbook/service.py: opening
    ("another program's database", _other_database,
     "“通讯录.selfcheck”是一个数据库文件，但不是 SelfCheck 工作簿。请选择 SelfCheck 工作簿文件（.selfcheck）。"),
    ("workbook from a newer SelfCheck", _newer_schema,
     "此工作簿由更新版本的 SelfCheck 创建（格式版本 {newer}，本程序只支持到版本 {current}），请升级 SelfCheck 后再打开。"),
    ("old workbook opened read-only", lambda e: _open(e, _v1_workbook(e), read_only=True),
     "工作簿“旧工作簿.selfcheck”是旧版本格式，需要先升级才能打开；请以可写方式打开（升级前会自动备份）。"),
    ("workbook held by another program", _held_by_another_program, "工作簿“学校.selfcheck”正被其他程序占用，请稍后再试。"),
    ("workbook locked while it opens", _locked_after_connecting, "工作簿“学校.selfcheck”正被其他程序占用，请稍后再试。"),
    ("old workbook: disk full on upgrade", _open_disk_full,
     ("无法打开工作簿“旧工作簿.selfcheck”：打开时需要写入（例如升级旧版工作簿），但磁盘空间不足。"
      "工作簿所在的磁盘至少需要 4 MB 可用空间，现在只有 0.3 MB。")),
    # workbook/errors.py: damaged workbooks
    ("workbook creation never finished", _unfinished, _DAMAGED.format("创建过程没有完成")),
    ("workbook pages overwritten", _scribbled, _DAMAGED.format("文件内部结构已损坏")),
    ("workbook cut short", _cut_short, _DAMAGED.format("文件内部结构已损坏")),
    ("workbook rows break its schema", _rows_break_the_schema, _DAMAGED.format("文件内部数据不一致")),
    # workbook/health.py, workbook/autobackup.py
    ("command-line change to a damaged workbook", _require_intact,
     ("工作簿“学校.selfcheck”的完整性检查未通过（文件内部数据不一致），这次没有做任何修改，也不会写入，以免损坏扩大。"
      "请用 selfcheck workbook restore 选择一份备份恢复。")),
    ("automatic backup of a workbook without id", _backup_without_id, "工作簿缺少编号，无法自动备份。"),
    # workbook/errors.py, workbook/space.py: saving
    ("save: file became read-only", lambda e: _save_fails(e, _query_only), _SAVE.format("工作簿所在位置是只读的")),
    ("save: another program writes", lambda e: _save_fails(e, _another_writer(e)), _SAVE.format("工作簿正被其他程序占用")),
    ("save: stick removed", lambda e: _save_fails(e, _writer_fails(e, "disk I/O error")), _SAVE.format("读写文件时出错")),
    ("save: file gone", lambda e: _save_fails(e, _writer_fails(e, "unable to open database file")),
     _SAVE.format("读写文件时出错")),
    ("save: unforeseen SQLite error", lambda e: _save_fails(e, _table_dropped), _SAVE.format("工作簿数据出错")),
    ("save: disk full", lambda e: _save_fails(e, _disk_full(e, 512 * 1024)),
     "保存到工作簿“学校.selfcheck”失败（磁盘空间不足），这次修改没有保存。工作簿所在的磁盘至少需要 10 MB 可用空间，现在只有 0.5 MB。"),
    ("save: disk full, free space unknown", lambda e: _save_fails(e, _disk_full(e, None)),
     "保存到工作簿“学校.selfcheck”失败（磁盘空间不足），这次修改没有保存。工作簿所在的磁盘至少需要 10 MB 可用空间。"),
]


def values(env: Env) -> dict[str, str]:
    from selfcheck.workbook.core import MAX_NOTE
    from selfcheck.workbook.schema import CURRENT_VERSION

    return {"note_limit": str(MAX_NOTE), "newer": str(CURRENT_VERSION + 1), "current": str(CURRENT_VERSION)}
    return values
