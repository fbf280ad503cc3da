"""Cases for the district desk: workspaces that are missing, locked, damaged, from a newer SelfCheck or on a
read-only stick; a bureau's roster file with bad rows; a wrong or unreadable certificate; campaigns; receiving
reports; exports onto a full disk or into a file open in Excel; the district command line."""

from __future__ import annotations

import csv
import errno
import io
import sqlite3
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tests.messages.support import Env, T, failing, os_error

ROSTER = [["学校代码", "学校名称", "学段", "学区/片区", "联系人", "联系电话"],
          ["001", "某某市第一中学", "初中", "城东学区", "张老师", "0571-1234567"],
          ["002", "某某市实验小学", "小学", "城西学区", "李老师", "0571-7654321"],
          ["003", "某某市第三幼儿园", "幼儿园", "城东学区", "王老师", ""]]
NOT_A_FINGERPRINT = "AB" * 32
STICK_REMOVED = "读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道"
WRITE_PROTECTED = "没有写入这个文件夹的权限，或U盘处于写保护状态"


# --- workspaces ----------------------------------------------------------------------------------------------------


def _path(env: Env) -> Path:
    return env.tmp / "示例区.district"


def _made(env: Env, *, roster: bool = True, campaigns: bool = True) -> Path:
    """A closed workspace with the three schools of ROSTER and a campaign."""
    from selfcheck.district.workspace import DistrictWorkspace

    path = _path(env)
    with DistrictWorkspace.create(path, "示例区教育局") as ws:
        if roster:
            ws.roster.import_file(_csv(env, ROSTER))
        if campaigns:
            ws.campaigns.create("2026年秋季“1+3+N”专项自查", date(2026, 9, 1), date(2026, 12, 31))
    return path


def _ws(env: Env, *, read_only: bool = False, roster: bool = True, campaigns: bool = True) -> Any:
    from selfcheck.district.workspace import DistrictWorkspace

    path = _path(env) if _path(env).exists() else _made(env, roster=roster, campaigns=campaigns)
    ws = DistrictWorkspace.open(path, read_only=read_only)
    env.opened.append(ws)
    return ws


def _open(env: Env, path: Path, *, read_only: bool = False) -> None:
    from selfcheck.district.workspace import DistrictWorkspace

    env.opened.append(DistrictWorkspace.open(path, read_only=read_only))


def _create(env: Env, path: Path, name: str = "示例区教育局") -> None:
    from selfcheck.district.workspace import DistrictWorkspace

    env.opened.append(DistrictWorkspace.create(path, name))


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
    _open(env, _path(env))


def _lock_fails(env: Env, err: OSError, *, creating: bool = False) -> None:
    from filelock import FileLock

    path = _path(env) if creating else _made(env)
    env.monkeypatch.setattr(FileLock, "acquire", failing(err))
    if creating:
        _create(env, path)
    else:
        _open(env, path)


def _damaged_root_page(env: Env) -> None:
    """The roster table's root page overwritten (a bad sector, a copy cut short): SQLite cannot walk the table."""
    from selfcheck.district.workspace import DistrictWorkspace

    path = _path(env)
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
    _create(env, _path(env))


def _existing(env: Env) -> None:
    _path(env).write_bytes(b"keep me")
    _create(env, _path(env))


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


# --- roster ----------------------------------------------------------------------------------------------------------


def _csv(env: Env, rows: list[list[str]], name: str = "名册.csv", encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = env.tmp / name
    path.write_text(buffer.getvalue(), encoding=encoding)
    return path


def _xlsx(env: Env, rows: list[list[Any]], name: str = "名册.xlsx") -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("学校名册")
    for row in rows:
        sheet.append(row)
    path = env.tmp / name
    book.save(path)
    return path


def _import(env: Env, make: Callable[[Env], Path]) -> None:
    ws = _ws(env, roster=False)
    ws.roster.import_file(make(env))


def _bad_rows(env: Env) -> Path:
    return _xlsx(env, [["示例区2026年学校名册"], ROSTER[0],
                       ["001", "某某市第一中学", "初中", "城东学区", "张老师", "0571-1234567"],
                       ["", "某某市实验小学", "小学", "城西学区", "李老师", ""],
                       ["001", "某某市第二中学", "初中", "", "", ""],
                       ["004", "某某市第一中学", "初中", "", "", ""],
                       ["005", "某某市第五中学" + "附属" * 60, "初中", "", "", ""]])


def _name_taken_on_roster(env: Env) -> None:
    ws = _ws(env)
    ws.roster.import_file(_csv(env, [ROSTER[0], ["009", "某某市第一中学", "初中", "", "", ""]], "新名册.csv"))


def _renamed_text(env: Env) -> Path:
    path = env.tmp / "名册.xlsx"
    path.write_text("学校代码,学校名称\n001,某某市第一中学\n", encoding="utf-8")
    return path


def _damaged_sheet(env: Env) -> Path:
    """A real .xlsx whose worksheet XML was cut off (a download that did not finish)."""
    good = _xlsx(env, ROSTER, "完好.xlsx")
    path = env.tmp / "名册.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[:len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    return path


def _xlsx_unreadable(env: Env) -> Path:
    import openpyxl

    env.monkeypatch.setattr(openpyxl, "load_workbook", failing(os_error(errno.EIO)))
    return _xlsx(env, ROSTER)


def _csv_unreadable(env: Env) -> Path:
    from pathlib import Path as RealPath

    path = _csv(env, ROSTER)
    env.monkeypatch.setattr(RealPath, "read_bytes", failing(os_error(errno.EIO)))
    return path


def _too_big(env: Env) -> Path:
    path = env.tmp / "名册.csv"
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    return path


def _too_many_rows(env: Env, suffix: str) -> Path:
    from selfcheck.district.roster import MAX_ROWS

    rows = [ROSTER[0]] + [[f"{n:05}", f"学校{n}"] for n in range(MAX_ROWS + 1)]
    return _xlsx(env, rows) if suffix == ".xlsx" else _csv(env, rows)


def _school(code: str = "004", name: str = "某某市第四中学", **more: str) -> Any:
    from selfcheck.district.models import School

    return School(code=code, name=name, **more)


def _used_school_removed(env: Env) -> None:
    ws = _ws(env)
    ws.registry.register(env.school_key.cer)
    ws.roster.remove("001")


# --- certificates ----------------------------------------------------------------------------------------------------


def _register(env: Env, cert: Path | None = None, *, roster: bool = True, **kwargs: Any) -> None:
    ws = _ws(env, roster=roster)
    ws.registry.register(cert or env.school_key.cer, **kwargs)


def _cert_unreadable(env: Env) -> None:
    from pathlib import Path as RealPath

    ws = _ws(env)
    cert = env.tmp / "学校.cer"
    cert.write_bytes(env.school_key.cer.read_bytes())
    env.monkeypatch.setattr(RealPath, "read_bytes", failing(os_error(errno.EIO)))
    ws.registry.register(cert)


def _big_cert(env: Env) -> None:
    path = env.tmp / "大.cer"
    path.write_bytes(b"0" * 100_000)
    _register(env, path)


def _p12_as_cert(env: Env) -> None:
    """The school sent its key file (.p12) instead of the exported certificate."""
    path = env.tmp / "学校密钥.p12"
    path.write_bytes(env.school_key.p12.read_bytes())
    _register(env, path)


def _pdf_as_cert(env: Env) -> None:
    """A file named .cer that holds something else (the school's report, renamed)."""
    path = env.tmp / "一中.cer"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    _register(env, path)


def _registered_elsewhere(env: Env) -> None:
    ws = _ws(env)
    ws.registry.register(env.school_key.cer, school_code="001")
    ws.registry.register(env.school_key.cer, school_code="002")


def _second_certificate(env: Env) -> None:
    ws = _ws(env)
    ws.registry.register(env.school_key.cer, school_code="001")
    ws.registry.register(env.other_key.cer, school_code="001", allow_name_mismatch=True)


def _revoke_twice(env: Env) -> None:
    ws = _ws(env)
    ws.registry.register(env.school_key.cer)
    ws.registry.revoke(env.school_key.fingerprint, "密钥丢失", at=datetime(2026, 10, 1, 9, 30))
    ws.registry.revoke(env.school_key.fingerprint, "再次吊销")


# --- reports ---------------------------------------------------------------------------------------------------------


def _received(env: Env) -> tuple[Any, str]:
    """A workspace that has accepted school A's report; (workspace, report id)."""
    from selfcheck.district.workspace import DistrictWorkspace
    from tests.district.fixtures import make_workspace

    files = env.fixture("district_files")
    ws = DistrictWorkspace.open(make_workspace(env.tmp, files))
    env.opened.append(ws)
    [outcome] = ws.reports.receive([files.a1.path], workers=1)
    assert outcome.verdict == "accepted", outcome.reasons
    return ws, outcome.report.report_id


def _copy_missing(env: Env) -> None:
    ws, report_id = _received(env)
    stored = ws.reports_dir / ws.reports.get(1).stored_file
    stored.chmod(0o644)
    stored.unlink()
    ws.reports.stored_pdf(report_id)


def _copy_swapped(env: Env) -> None:
    ws, report_id = _received(env)
    stored = ws.reports_dir / ws.reports.get(1).stored_file
    stored.chmod(0o644)
    stored.write_bytes(env.fixture("district_files").b1.path.read_bytes())
    ws.reports.stored_pdf(report_id)


def _period_moved_after_receiving(env: Env) -> None:
    ws, _ = _received(env)
    campaign = ws.campaigns.current()
    ws.campaigns.update(campaign.id, campaign.title, date(2026, 10, 1), campaign.period_end)


def _die(*_args: object) -> None:
    """A verifying process killed by the system (out of memory)."""
    import os

    os._exit(137)


def _worker_dies(env: Env) -> None:
    from selfcheck.district import reports

    files = env.fixture("district_files")
    ws = _ws(env)
    env.monkeypatch.setattr(reports, "classify_file", _die)
    ws.reports.receive([files.a1.path, files.b1.path], workers=2)


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


def _cli(*argv: str | Path) -> None:
    """Run a command as `selfcheck` would, but let its UserError through (the CLI prints it as 错误：…)."""
    from selfcheck.cli.main import build_parser

    args = [str(a) for a in argv]
    parsed = build_parser(args).parse_args(args)
    parsed.func(parsed)


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

NOT_ON_ROSTER = ("不在名册中。仍要登记吗？登记后，该证书签署的报告会因学校不在名册中而被拒收，直到把学校加入名册。")

CASES: list[tuple[str, Callable[[Env], None], str]] = [
    # district/workspace.py
    ("district without a name", lambda e: _create(e, _path(e), "  "), "请填写区县（教育局）名称。"),
    ("district renamed to nothing", lambda e: _ws(e).rename(" "), "请填写区县（教育局）名称。"),
    ("district workspace exists", _existing, f"文件已存在：{T}/示例区.district。"),
    ("district folder missing", lambda e: _create(e, e.tmp / "无" / "示例区.district"),
     f"保存区县工作区的文件夹不存在：{T}/无"),
    ("district create: disk full", _create_fails, "无法创建区县工作区“示例区.district”：磁盘空间不足。"),
    ("district create in a read-only folder", lambda e: _lock_fails(e, os_error(errno.EROFS), creating=True),
     f"无法在“{T}”中新建区县工作区：这个位置是只读的（{WRITE_PROTECTED}）。"),
    ("district create: stick removed", lambda e: _lock_fails(e, os_error(errno.EIO), creating=True),
     f"无法在“{T}”中新建区县工作区：{STICK_REMOVED}。"),
    ("district read-only open needs an upgrade", lambda e: _open(e, _previous_version(e), read_only=True),
     "区县工作区“示例区.district”是旧版 SelfCheck 的格式，需要先升级才能只读打开。"),
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
     "区县工作区“示例区.district”已损坏（完整性检查未通过），程序没有对它做任何修改。"),
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
    ("campaign period moved after receiving", _period_moved_after_receiving,
     ("本轮自查已接收 1 份报告，不能再修改自查时段：这些报告是按原时段核验的。"
      "名称和报送截止时间仍可修改；时段确有错误时，请新建一轮自查后重新接收报告。")),
    # district/roster.py
    ("roster file missing", lambda e: _import(e, lambda env: env.tmp / "名册.xlsx"), f"找不到名册文件：{T}/名册.xlsx"),
    ("roster file too big", lambda e: _import(e, _too_big), "名册文件“名册.csv”过大（超过 50 MB），不像是学校名册。"),
    ("roster in the old .xls format",
     lambda e: _import(e, lambda env: (env.tmp / "名册.xls").write_bytes(b"\xd0\xcf\x11\xe0") and env.tmp / "名册.xls"),
     "名册文件应为 .xlsx 或 .csv：名册.xls"),
    ("roster .xlsx that is text", lambda e: _import(e, _renamed_text),
     "名册文件“名册.xlsx”无法读取：它不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件）。"),
    ("roster .xlsx cut off", lambda e: _import(e, _damaged_sheet),
     "名册文件“名册.xlsx”无法读取：它不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件）。"),
    ("roster .xlsx: stick removed", lambda e: _import(e, _xlsx_unreadable), f"无法读取名册文件“{T}/名册.xlsx”（{STICK_REMOVED}）。"),
    ("roster .csv: stick removed", lambda e: _import(e, _csv_unreadable), f"无法读取名册文件“{T}/名册.csv”（{STICK_REMOVED}）。"),
    ("roster .xlsx too long", lambda e: _import(e, lambda env: _too_many_rows(env, ".xlsx")),
     "名册文件“名册.xlsx”超过 20000 行。"),
    ("roster .csv too long", lambda e: _import(e, lambda env: _too_many_rows(env, ".csv")),
     "名册文件“名册.csv”超过 20000 行。"),
    ("roster .csv in no known encoding",
     lambda e: _import(e, lambda env: (env.tmp / "名册.csv").write_bytes(b"\xff\xfe\xff\x00\x81") and env.tmp / "名册.csv"),
     "名册文件“名册.csv”的编码无法识别。"),
    ("roster empty", lambda e: _import(e, lambda env: _csv(env, [[], ["", " "]])), "名册文件“名册.csv”是空的。"),
    ("roster without the code column", lambda e: _import(e, lambda env: _xlsx(env, [["序号", "学校名称", "联系人"],
                                                                                  [1, "某某市第一中学", "张老师"]])),
     "名册文件“名册.xlsx”第 1 行（表头）缺少列：学校代码。"),
    ("roster with bad rows", lambda e: _import(e, _bad_rows),
     ("名册文件“名册.xlsx”有 4 处问题，未导入任何学校：\n第 4 行“学校代码”：不能为空。\n第 5 行“学校代码”：001 与第 3 行重复。\n"
      "第 6 行“学校名称”：某某市第一中学 与第 3 行重复。\n第 7 行“学校名称”：过长（最多 100 个字）。")),
    ("roster name taken by another code", _name_taken_on_roster,
     "名册文件“新名册.csv”有 1 处问题，未导入任何学校：\n第 2 行“学校名称”：名册中已有同名学校（代码 001）。"),
    ("roster with headings only", lambda e: _import(e, lambda env: _csv(env, [ROSTER[0]])),
     "名册文件“名册.csv”只有表头，没有学校。"),
    ("school not on the roster", lambda e: _ws(e).roster.remove("999"), "名册中没有学校代码为“999”的学校。"),
    ("school code taken", lambda e: _ws(e).roster.add(_school("001")), "学校代码“001”已在名册中。"),
    ("school code changed to a taken one", lambda e: _ws(e).roster.update("003", _school("002", "某某市第三幼儿园")),
     "学校代码“002”已在名册中。"),
    ("school with reports removed", _used_school_removed,
     "“某某市第一中学”已有登记的证书或收到的报告，不能从名册中删除（以免丢失记录）。"),
    ("school name taken", lambda e: _ws(e).roster.add(_school(name="某某市实验小学")),
     "名册中已有名为“某某市实验小学”的学校（代码 002），学校名称不能重复。"),
    ("school name only spaces", lambda e: _ws(e).roster.add(_school(name=" \u3000 ")),
     "学校信息不完整：“学校名称”不能为空。"),
    # district/registry.py
    ("not a fingerprint", lambda e: _ws(e).registry.revoke("12:34:56"),
     "“12:34:56”不是 SHA-256 证书指纹（应为 64 位十六进制数字，可用冒号分隔）。"),
    ("fingerprint not registered", lambda e: _ws(e).registry.revoke(NOT_A_FINGERPRINT),
     f"没有登记指纹为 {NOT_A_FINGERPRINT} 的证书。"),
    ("certificate revoked twice", _revoke_twice, "此证书已于 2026-10-01 09:30 吊销。"),
    ("certificate file missing", lambda e: _register(e, e.tmp / "无.cer"), f"找不到证书文件：{T}/无.cer"),
    ("certificate file too big", _big_cert, "“大.cer”过大，不是证书文件。"),
    ("certificate: stick removed", _cert_unreadable, f"无法读取证书文件“{T}/学校.cer”（{STICK_REMOVED}）。"),
    ("key file sent instead of the certificate", _p12_as_cert,
     "“学校密钥.p12”是学校的密钥文件，不是证书。密钥文件含有学校的私钥，不应交给他人。"),
    ("report sent instead of the certificate", _pdf_as_cert, "“一中.cer”不是有效的证书（.cer/.crt/.pem）。"),
    ("certificate registered to another school", _registered_elsewhere,
     "此证书已登记给学校代码 001，不能再登记给“某某市实验小学”。"),
    ("certificate of a school not on the roster", lambda e: _register(e, roster=False),
     "证书上的学校“某某市第一中学”" + NOT_ON_ROSTER),
    ("certificate for a school name not on the roster", lambda e: _register(e, roster=False, school_name="一中"),
     "证书上的学校“某某市第一中学”（登记为“一中”）" + NOT_ON_ROSTER),
    ("certificate names another school", lambda e: _register(e, school_code="002"),
     "证书上的学校名称是“某某市第一中学”，名册中代码 002 的学校是“某某市实验小学”。确认这是同一所学校的证书吗？"),
    ("second active certificate", _second_certificate,
     ("“某某市第一中学”已有一张有效的登记证书（指纹 {fingerprint}，登记于 {today}）。再登记一张后两张都可签署报告；"
      "如学校换了密钥，请先吊销旧证书。仍要登记吗？")),
    # district/reports.py
    ("received record unknown", lambda e: _ws(e).reports.get(99), "没有编号为 99 的接收记录。"),
    ("report data unknown", lambda e: _ws(e).reports.report_data("R-2026-0001"), "没有编号为 R-2026-0001 的已接收报告。"),
    ("report copy unknown", lambda e: _ws(e).reports.stored_pdf("R-2026-0001"), "没有编号为 R-2026-0001 的已接收报告。"),
    ("report copy deleted", _copy_missing, f"报告副本不见了：{T}/示例区.报告/{{stored}}"),
    ("report copy swapped", _copy_swapped,
     "报告副本“{stored_name}”与接收时的文件不一致：接收之后它被替换或改动过，不能作为学校报送的原件。"),
    ("receive while read-only", lambda e: _ws(e, read_only=True).reports.receive([e.tmp]),
     "区县工作区“示例区.district”是以只读方式打开的，不能接收报告。"),
    ("verifying process killed", _worker_dies, "核验进程意外退出（可能是内存不足），接收已中止。已接收的文件都已保存。"),
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
    ("demo --workers 65", lambda e: _cli("district", "demo", e.tmp / "示例", "--workers", "65"), "--workers 应在 1 到 64 之间。"),
    ("demo --schools 0", lambda e: _cli("district", "demo", e.tmp / "示例", "--schools", "0"), "--schools 应在 1 到 2000 之间。"),
    ("demo into a folder in use", _demo_into, f"文件夹不是空的：{T}"),
]

SLOW = {_copy_missing, _copy_swapped, _worker_dies, _period_moved_after_receiving}  # these sign and receive real reports


def values(env: Env) -> dict[str, str]:
    """The values of this module's placeholders in a pinned message."""
    from selfcheck.district.schema import CURRENT_VERSION

    stored = ""
    if (env.tmp / "示例区.报告").is_dir():  # where the district keeps its copy of the accepted report
        conn = sqlite3.connect(f"{_path(env).as_uri()}?mode=ro", uri=True)
        stored = conn.execute("SELECT stored_file FROM received WHERE stored_file IS NOT NULL").fetchone()[0]
        conn.close()
    return {"current": str(CURRENT_VERSION), "fingerprint": env.school_key.fingerprint,
            "today": f"{date.today():%Y-%m-%d}", "stored": stored, "stored_name": Path(stored).name}
