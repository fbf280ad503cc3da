"""Cases for the district desk's roster (a bureau's .xlsx/.csv with bad rows, unreadable, too big), its certificate
registry (a wrong, unreadable or foreign certificate, a key file sent instead) and received reports (a copy deleted
or swapped, a verifying process killed)."""

from __future__ import annotations

import errno
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tests.messages.district_support import (
    NOT_ON_ROSTER,
    ROSTER,
    STICK_REMOVED,
    _csv,
    _school,
    _ws,
    _xlsx,
    path_of,
)
from tests.messages.support import Env, T, failing, os_error

NOT_A_FINGERPRINT = "AB" * 32

# --- roster ----------------------------------------------------------------------------------------------------------


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


# --- the cases -------------------------------------------------------------------------------------------------------

CASES: list[tuple[str, Callable[[Env], None], str]] = [
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
    # district/campaigns.py
    ("campaign period moved after receiving", _period_moved_after_receiving,
     ("本轮自查已接收 1 份报告，不能再修改自查时段：这些报告是按原时段核验的。"
      "名称和报送截止时间仍可修改；时段确有错误时，请新建一轮自查后重新接收报告。")),
]

SLOW = {_copy_missing, _copy_swapped, _worker_dies, _period_moved_after_receiving}  # these sign and receive real reports


def values(env: Env) -> dict[str, str]:
    """The values of this module's placeholders in a pinned message."""
    import sqlite3

    stored = ""
    if (env.tmp / "示例区.报告").is_dir():  # where the district keeps its copy of the accepted report
        conn = sqlite3.connect(f"{path_of(env).as_uri()}?mode=ro", uri=True)
        stored = conn.execute("SELECT stored_file FROM received WHERE stored_file IS NOT NULL").fetchone()[0]
        conn.close()
    return {"fingerprint": env.school_key.fingerprint, "today": f"{date.today():%Y-%m-%d}", "stored": stored,
            "stored_name": Path(stored).name}
