"""Cases for the district desk's workspaces: missing, locked, damaged, from a newer or older SelfCheck, on a
read-only or removed stick, a full disk; campaigns; exports onto a full disk or into a file open in Excel; the
district command line. (Roster, certificates and received reports: cases_district_roster.py.)"""

from __future__ import annotations

import errno
import io
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from tests.messages.district_support import (
    NOT_ON_ROSTER,
    ROSTER,
    STICK_REMOVED,
    WRITE_PROTECTED,
    _cli,
    _create,
    _csv,
    _made,
    _open,
    _school,
    _ws,
    path_of,
)
from tests.messages.support import Env, T, failing, os_error

# --- workspaces ----------------------------------------------------------------------------------------------------


def _sqlite_file(env: Env, name: str, **pragmas: int) -> Path:
    path = env.tmp / name
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text TEXT)")
    for pragma, value in pragmas.items():
        conn.execute(f"PRAGMA {pragma} = {value}")
    conn.commit()
    conn.close()
    return path


def _set_version(env: Env, version: int) -> Path:
    path = _made(env)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def _header_unreadable(env: Env) -> None:
    from pathlib import Path as RealPath

    path = _made(env)
    env.monkeypatch.setattr(RealPath, "open", failing(os_error(errno.EIO)))
    _open(env, path)


def _sqlite_cannot_open(env: Env) -> None:
    from selfcheck.district import db

    path = _made(env)
    env.monkeypatch.setattr(db.sqlite3, "connect", failing(sqlite3.OperationalError("unable to open database file")))
    _open(env, path)


def _garbage_after_header(env: Env) -> None:
    """A copy cut short or overwritten: the SQLite header, then nothing SQLite can read."""
    path = env.tmp / "坏.district"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    _open(env, path)


def _locked_by_another_window(env: Env) -> None:
    _ws(env)
    _open(env, path_of(env))


def _lock_fails(env: Env, err: OSError, *, creating: bool = False) -> None:
    from filelock import FileLock

    path = path_of(env) if creating else _made(env)
    env.monkeypatch.setattr(FileLock, "acquire", failing(err))
    if creating:
        _create(env, path)
    else:
        _open(env, path)


def _damaged_root_page(env: Env) -> None:
    """The roster table's root page overwritten (a bad sector, a copy cut short): SQLite cannot walk the table."""
    from selfcheck.district.workspace import DistrictWorkspace

    path = path_of(env)
    with DistrictWorkspace.create(path, "示例区教育局") as ws:
        rows = [ROSTER[0]] + [[f"{n:04}", f"示例区第{n}学校", "小学", "", "", ""] for n in range(1, 301)]
        ws.roster.import_file(_csv(env, rows))
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'schools'").fetchone()[0]
    conn.close()
    raw = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    raw[start + 8:start + 40] = b"\xff" * 32
    path.write_bytes(bytes(raw))
    _open(env, path)


def _damage_reported(env: Env) -> None:
    """SQLite's integrity check lists damage (what it printed for a leaf page of the roster with broken cell
    pointers; whether it lists or stops at such a page varies, so its report is given here)."""
    from selfcheck.district import migrations

    path = _made(env)
    env.monkeypatch.setattr(migrations, "quick_check", lambda _db: [
        "*** in database main ***\nOn tree page 29 cell 15: Offset 65535 out of range 190..4092",
        "database disk image is malformed"])
    _open(env, path)


def _identity_unreadable(env: Env) -> None:
    """The file becomes unreadable between opening it and reading its identity (the stick is failing)."""
    from selfcheck.district import migrations

    path = _made(env)
    env.monkeypatch.setattr(migrations, "pragma_value",
                            failing(sqlite3.DatabaseError("database disk image is malformed")))
    _open(env, path)


def _previous_version(env: Env) -> Path:
    """A workspace made by the previous SelfCheck (its schema one step behind), closed."""
    from selfcheck.district import migrations

    with env.monkeypatch.context() as patch:
        patch.setattr(migrations, "CURRENT_VERSION", migrations.CURRENT_VERSION - 1)
        return _made(env)


def _read_only_upgrade_fails(env: Env) -> None:
    """Upgrading the in-memory copy of an older workspace fails (memory exhausted while the step runs)."""
    from selfcheck.district import migrations

    path = _previous_version(env)
    env.monkeypatch.setattr(migrations, "apply_step", failing(sqlite3.OperationalError("database or disk is full")))
    _open(env, path, read_only=True)


def _upgrade_step_fails(env: Env) -> None:
    """The upgrade's last step runs out of disk space."""
    from selfcheck.district import migrations

    path = _previous_version(env)
    real_step = migrations.apply_step

    def apply_step(db: Any, version: int) -> None:
        if version == migrations.CURRENT_VERSION:
            raise sqlite3.OperationalError("database or disk is full")
        real_step(db, version)

    env.monkeypatch.setattr(migrations, "apply_step", apply_step)
    _open(env, path)


def _upgrade_backup_fails(env: Env) -> None:
    from selfcheck.district import migrations

    path = _previous_version(env)
    env.monkeypatch.setattr(migrations.shutil, "copy2", failing(os_error(errno.ENOSPC)))
    _open(env, path)


def _create_fails(env: Env) -> None:
    from selfcheck.district import migrations

    env.monkeypatch.setattr(migrations, "apply_step", failing(sqlite3.OperationalError("database or disk is full")))
    _create(env, path_of(env))


def _existing(env: Env) -> None:
    path_of(env).write_bytes(b"keep me")
    _create(env, path_of(env))


def _save_fails(env: Env, text: str) -> None:
    """The commit of a change fails (the stick is pulled, the share goes read-only, another program holds it)."""
    from contextlib import contextmanager

    from selfcheck.district import store

    ws = _ws(env)

    @contextmanager
    def failing_commit(db: Any) -> Any:
        yield db
        raise sqlite3.OperationalError(text)

    env.monkeypatch.setattr(store, "transaction", failing_commit)
    ws.rename("示例区教育体育局")


def _disk_full(env: Env) -> None:
    """A full disk, for real: the file may not grow by a single page."""
    from selfcheck.district.models import School

    ws = _ws(env)
    db = ws._store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    for n in range(200):
        ws.roster.add(School(code=f"9{n:03}", name=f"新建学校{n}" + "校" * 80))


# --- exports ---------------------------------------------------------------------------------------------------------


def _export(env: Env, name: str, fault: Callable[[], None] = lambda: None) -> None:
    from selfcheck.district.export_csv import export_csv

    ws = _ws(env)
    fault()
    export_csv(ws, None, env.tmp / name)


def _replace_fails(env: Env, err: OSError, name: str = "汇总.csv") -> None:
    from selfcheck.district import output

    env.monkeypatch.setattr(output.os, "replace", failing(err))
    if name.endswith(".csv"):
        _export(env, name)
        return
    with output.atomic_target(env.tmp / name) as tmp:
        tmp.write_bytes(b"%PDF-1.7")


def _folder_read_only(env: Env) -> None:
    from selfcheck.district import output

    _export(env, "汇总.csv", lambda: env.monkeypatch.setattr(output.tempfile, "mkstemp",
                                                           failing(os_error(errno.EROFS))))


# --- the command line ----------------------------------------------------------------------------------------------

def _register_cli(env: Env, *extra: str) -> None:
    env.monkeypatch.setattr("sys.stdin", io.StringIO())  # a script, not a clerk at a terminal
    _cli("district", "register", _made(env), env.school_key.cer, *extra)


def _register_cli_twice(env: Env) -> None:
    env.monkeypatch.setattr("sys.stdin", io.StringIO())
    path = _made(env)
    _cli("district", "register", path, env.school_key.cer, "--code", "001")
    _cli("district", "register", path, env.other_key.cer, "--code", "001")


def _demo_into(env: Env) -> None:
    (env.tmp / "旧文件.txt").write_text("别删我", encoding="utf-8")
    _cli("district", "demo", env.tmp)


# --- the district window ---------------------------------------------------------------------------------------------

# gui/district/desk.py: DistrictDesk.require() is only called by pages and actions that exist while a workspace is
# open (the window disables them otherwise); without one it is a bug (RuntimeError), not a user message.


# --- the cases -------------------------------------------------------------------------------------------------------

CASES: list[tuple[str, Callable[[Env], None], str]] = [
    # district/workspace.py
    ("district without a name", lambda e: _create(e, path_of(e), "  "), "请填写区县（教育局）名称。"),
    ("district renamed to nothing", lambda e: _ws(e).rename(" "), "请填写区县（教育局）名称。"),
    ("district workspace exists", _existing, f"文件已存在：{T}/示例区.district。"),
    ("district folder missing", lambda e: _create(e, e.tmp / "无" / "示例区.district"),
     f"保存区县工作区的文件夹不存在：{T}/无"),
    ("district create: disk full", _create_fails, "无法创建区县工作区“示例区.district”：磁盘空间不足。"),
    ("district create in a read-only folder", lambda e: _lock_fails(e, os_error(errno.EROFS), creating=True),
     f"无法在“{T}”中新建区县工作区：这个位置是只读的（{WRITE_PROTECTED}）。"),
    ("district create: stick removed", lambda e: _lock_fails(e, os_error(errno.EIO), creating=True),
     f"无法在“{T}”中新建区县工作区：{STICK_REMOVED}。"),
    ("district read-only view cannot be upgraded", _read_only_upgrade_fails,
     "区县工作区“示例区.district”是旧版 SelfCheck 的格式，只读打开时无法在内存中升级（磁盘空间不足）。"),
    # district/db.py
    ("district workspace missing", lambda e: _open(e, e.tmp / "无.district"), f"找不到区县工作区文件“{T}/无.district”。"),
    ("district workspace is a folder", lambda e: _open(e, e.tmp), f"“{T}”是文件夹，不是区县工作区文件。"),
    ("district header unreadable", _header_unreadable, f"无法读取区县工作区“{T}/示例区.district”：{STICK_REMOVED}。"),
    ("district workspace is a text file",
     lambda e: (e.tmp.joinpath("笔记.district").write_text("不是工作区", encoding="utf-8"), _open(e, e.tmp / "笔记.district")),
     "“笔记.district”不是 SelfCheck 区县工作区（文件格式不对，可能已损坏或选错了文件）。"),
    ("SQLite cannot open the district workspace", _sqlite_cannot_open,
     "无法打开区县工作区“示例区.district”：无法打开文件（文件夹可能不可写、文件正被占用，或U盘已被拔出）。"),
    ("district workspace cut short", _garbage_after_header,
     "“坏.district”不是 SelfCheck 区县工作区或已损坏（文件内容不是完整的数据库）。"),
    ("district workspace open in another window", _locked_by_another_window,
     "区县工作区“示例区.district”正在被另一个 SelfCheck 窗口（或程序）使用，不能同时修改。"),
    ("district workspace in a read-only folder", lambda e: _lock_fails(e, os_error(errno.EROFS)),
     f"区县工作区“示例区.district”所在的位置是只读的（{WRITE_PROTECTED}），不能在这里修改它。"),
    ("district workspace on a write-protected stick", lambda e: _lock_fails(e, PermissionError(errno.EACCES, "denied")),
     f"区县工作区“示例区.district”所在的位置是只读的（{WRITE_PROTECTED}），不能在这里修改它。"),
    ("district lock: stick removed", lambda e: _lock_fails(e, os_error(errno.ENODEV)),
     f"无法在“{T}”中创建锁文件：设备已不存在，U盘或移动硬盘可能已被拔出。"),
    ("district save: disk full", _disk_full, "保存到区县工作区“示例区.district”失败（磁盘空间不足），这次修改没有保存。"),
    ("district save: read-only share", lambda e: _save_fails(e, "attempt to write a readonly database"),
     "保存到区县工作区“示例区.district”失败（工作区所在位置是只读的），这次修改没有保存。"),
    ("district save: busy", lambda e: _save_fails(e, "database is locked"),
     "保存到区县工作区“示例区.district”失败（工作区正被其他程序占用），这次修改没有保存。"),
    ("district save: stick removed", lambda e: _save_fails(e, "disk I/O error"),
     "保存到区县工作区“示例区.district”失败（读写文件时出错，U盘可能已被拔出），这次修改没有保存。"),
    # district/migrations.py
    ("district identity unreadable", _identity_unreadable,
     "区县工作区“示例区.district”已损坏，无法打开（文件内部结构已损坏）。程序没有对它做任何修改。"),
    ("school workbook opened as a district workspace", lambda e: _open(e, e.workbook()),
     "“学校.selfcheck”是学校的自查工作簿，不是区县工作区。"),
    ("another database opened as a district workspace", lambda e: _open(e, _sqlite_file(e, "台账.db")),
     "“台账.db”是一个数据库文件，但不是 SelfCheck 区县工作区。"),
    ("district workspace from a newer SelfCheck", lambda e: _open(e, _set_version(e, 99)),
     "此区县工作区由更新版本的 SelfCheck 创建（格式版本 99，本程序只支持到版本 {current}），请升级 SelfCheck 后再打开。"),
    ("district upgrade: disk full", _upgrade_step_fails,
     "区县工作区“示例区.district”升级到格式版本 {current} 时失败（磁盘空间不足），已保持原样。"),
    ("district upgrade: no room for the backup", _upgrade_backup_fails,
     "区县工作区“示例区.district”需要升级格式，但升级前的备份无法保存：磁盘空间不足。工作区没有被修改。"),
    ("district workspace never finished", lambda e: _open(e, _sqlite_file(e, "半成品.district",
                                                                          application_id=0x53434457)),
     "区县工作区“半成品.district”的创建过程没有完成，无法打开。"),
    ("district integrity check lists damage", _damage_reported,
     "区县工作区“示例区.district”已损坏（文件内部数据不一致），程序没有对它做任何修改。"),
    ("district roster root page damaged", _damaged_root_page,
     "区县工作区“示例区.district”已损坏，无法打开（文件内部结构已损坏）。程序没有对它做任何修改。"),
    # district/store.py
    ("district change while read-only", lambda e: _ws(e, read_only=True).roster.add(_school()),
     "区县工作区“示例区.district”是以只读方式打开的，不能修改。"),
    # district/campaigns.py
    ("campaign without a title", lambda e: _ws(e).campaigns.create("  ", date(2026, 9, 1), date(2026, 12, 31)),
     "请填写专项名称。"),
    ("campaign ends before it starts", lambda e: _ws(e).campaigns.create("秋季专项", date(2026, 12, 31), date(2026, 9, 1)),
     "自查时段的结束日期（2026-09-01）早于开始日期（2026-12-31），请改正日期。"),
    ("campaign unknown", lambda e: _ws(e).campaigns.get(9), "没有编号为 9 的专项（现有专项编号：1）。"),
    ("no campaign yet", lambda e: _ws(e, campaigns=False).campaigns.get(1),
     "没有编号为 1 的专项（区县工作区中还没有专项，请先新建专项）。"),
    # district/output.py
    ("export name without .csv", lambda e: _export(e, "汇总.txt"), f"导出文件名应以 .csv 结尾：{T}/汇总.txt"),
    ("export path is a folder", lambda e: (e.tmp.joinpath("汇总.csv").mkdir(), _export(e, "汇总.csv")),
     f"该路径是一个文件夹：{T}/汇总.csv"),
    ("export folder missing", lambda e: _export(e, "无/汇总.csv"), f"保存导出文件的文件夹不存在：{T}/无"),
    ("export into a read-only folder", _folder_read_only,
     f"无法在“{T}”中保存导出文件：所在位置是只读的（只读磁盘、写保护的U盘或只读的网络共享）。"),
    ("export open in Excel", lambda e: _replace_fails(e, PermissionError(errno.EACCES, "denied")),
     "无法写入“汇总.csv”：文件可能正在 Excel/WPS 或其他程序中打开。"),
    ("export open in a PDF reader", lambda e: _replace_fails(e, PermissionError(errno.EACCES, "denied"), "汇总.pdf"),
     "无法写入“汇总.pdf”：文件可能正在 PDF 阅读器或其他程序中打开。"),
    ("export: disk full", lambda e: _replace_fails(e, os_error(errno.ENOSPC)), f"无法写入“{T}/汇总.csv”（磁盘空间不足）。"),
    # cli/district_cmd.py, cli/verify_registry.py, district_demo.py
    ("receive --workers 0", lambda e: _cli("district", "receive", _made(e), e.tmp, "--workers", "0"),
     "--workers 应在 1 到 64 之间。"),
    ("receive a file that is not there", lambda e: _cli("district", "receive", _made(e), e.tmp / "无.pdf"),
     f"找不到文件或文件夹：{T}/无.pdf"),
    ("register without a terminal", lambda e: _register_cli(e, "--school", "一中"),
     "证书上的学校“某某市第一中学”（登记为“一中”）" + NOT_ON_ROSTER),
    ("register a second certificate without a terminal", _register_cli_twice,
     "证书上的学校名称是“另一所中学”，名册中代码 001 的学校是“某某市第一中学”。确认这是同一所学校的证书吗？"),
    ("verify with --trust and --registry",
     lambda e: _cli("verify", e.tmp / "r.pdf", "--registry", _made(e), "--trust", e.school_key.cer),
     "--trust 与 --registry 不能同时使用：--registry 已按区县登记的证书核对。"),
    ("campaign-edit with nothing to change", lambda e: _cli("district", "campaign-edit", _made(e)),
     "没有给出要修改的内容。"),
    ("campaign-edit before any campaign",
     lambda e: _cli("district", "campaign-edit", _made(e, campaigns=False), "--title", "新名称"),
     "区县工作区中还没有专项。"),
    ("tiers: only one threshold given", lambda e: _cli("district", "tiers", _made(e), "--demo", "90"),
     "请同时给出 --demo、--standard 和 --pass 三个下限。"),
    ("tiers: a threshold above 100",
     lambda e: _cli("district", "tiers", _made(e), "--demo", "120", "--standard", "85", "--pass", "70"),
     "“示范”的得分率下限应大于 0、不超过 100（%），实际是 120。"),
    ("tiers: thresholds not falling",
     lambda e: _cli("district", "tiers", _made(e), "--demo", "80", "--standard", "85", "--pass", "70"),
     "三级梯队的得分率下限应从高到低：示范（80%）> 规范（85%）> 达标（70%）。"),
    ("demo --workers 65", lambda e: _cli("district", "demo", e.tmp / "示例", "--workers", "65"), "--workers 应在 1 到 64 之间。"),
    ("demo --schools 0", lambda e: _cli("district", "demo", e.tmp / "示例", "--schools", "0"), "--schools 应在 1 到 2000 之间。"),
    ("demo into a folder in use", _demo_into, f"文件夹不是空的：{T}"),
]


def values(env: Env) -> dict[str, str]:
    """The values of this module's placeholders in a pinned message."""
    from selfcheck.district.schema import CURRENT_VERSION

    return {"current": str(CURRENT_VERSION)}
