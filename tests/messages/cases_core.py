"""Cases for report export, read-only folders and removed drives, backup and restore, school keys, answers, photos
and signing: the modules the first audit named."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.messages.support import Env, T, failing, os_error
from tests.report.fixtures import PASSWORD

# --- report/export.py --------------------------------------------------------------------------------------------


def _check_output(env: Env, name: str, *, overwrite: bool = True) -> None:
    from selfcheck.report.export import check_output_path

    check_output_path(env.tmp / name, overwrite=overwrite)


def _existing_pdf(env: Env) -> None:
    (env.tmp / "r.pdf").write_bytes(b"%PDF-1.7")
    _check_output(env, "r.pdf", overwrite=False)


def _folder_named_pdf(env: Env) -> None:
    (env.tmp / "r.pdf").mkdir()
    _check_output(env, "r.pdf")


def _replace_fails(env: Env, err: OSError) -> None:
    from selfcheck.report import export

    env.monkeypatch.setattr(export.os, "replace", failing(err))
    tmp = env.tmp / "r.pdf.tmp"
    tmp.write_bytes(b"%PDF-1.7")
    export._replace(tmp, env.tmp / "r.pdf")


def _export_small(env: Env) -> None:
    from selfcheck.report.export import export_report
    from tests.report.factory import make_sample

    small = make_sample(photos=0)
    export_report(small.data, small.photo_loader, env.tmp / "r.pdf", key_path=env.school_key.p12,
                  password=env.school_key.password)


def _export_disk_full(env: Env) -> None:
    from selfcheck.report import export

    env.monkeypatch.setattr(export.os, "fsync", failing(os_error(errno.ENOSPC)))
    _export_small(env)


def _export_reader_has_it_open(env: Env) -> None:
    """Windows: os.replace onto a PDF a reader holds open fails with a sharing violation (PermissionError)."""
    from selfcheck.report import export

    out = env.tmp / "r.pdf"
    out.write_bytes(b"%PDF-1.7 an older export, open in a reader")
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        if Path(str(dst)) == out:
            raise PermissionError(errno.EACCES, "Access is denied")
        real_replace(src, dst)  # type: ignore[arg-type]

    env.monkeypatch.setattr(export.os, "replace", replace)
    _export_small(env)


# --- workbook/lock.py: read-only folders, write-protected sticks, stale or foreign locks ---------------------------


def _lock_fails(env: Env, err: OSError) -> None:
    from filelock import FileLock

    from selfcheck.workbook.service import Workbook

    path = env.workbook()
    env.monkeypatch.setattr(FileLock, "acquire", failing(err))
    Workbook.open(path, actor="测试员")


def _locked_by_another(env: Env) -> None:
    from selfcheck.workbook.lock import WriterLock

    path = env.workbook()
    holder = WriterLock(path)
    holder.acquire()
    try:
        WriterLock(path).acquire()
    finally:
        holder.release()


# --- workbook/backup.py ------------------------------------------------------------------------------------------


def _backup(env: Env, dest: Callable[[Path], Path], *, overwrite: bool = False,
            fault: Callable[[], None] = lambda: None) -> None:
    from selfcheck.workbook.service import Workbook

    with Workbook.open(env.workbook(), actor="测试员") as wb:
        fault()
        wb.backup(dest(env.tmp), overwrite=overwrite)


def _backup_existing(env: Env) -> None:
    (env.tmp / "备份.selfcheck").write_bytes(b"old")
    _backup(env, lambda tmp: tmp / "备份.selfcheck")


def _backup_stick_removed(env: Env) -> None:
    from selfcheck.workbook import backup

    _backup(env, lambda tmp: tmp / "备份.selfcheck",
            fault=lambda: env.monkeypatch.setattr(backup.os, "replace", failing(os_error(errno.EIO))))


def _backup_copy_damaged(env: Env) -> None:
    from selfcheck.workbook import backup

    real_connect = sqlite3.connect

    class Damaged(sqlite3.Connection):
        """The copy's integrity check reports damage (a failing disk under the new file)."""

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            if sql.startswith("PRAGMA integrity_check"):
                sql = "SELECT '*** in database main *** Page 7: btreeInitPage() returns error code 11'"
            return super().execute(sql, *args)  # type: ignore[arg-type]

    _backup(env, lambda tmp: tmp / "备份.selfcheck", fault=lambda: env.monkeypatch.setattr(
        backup.sqlite3, "connect", lambda *a, **k: real_connect(*a, factory=Damaged, **k)))


def _restore(env: Env, make_backup: Callable[[Path], Path], target: str = "恢复.selfcheck",
             fault: Callable[[], None] = lambda: None) -> None:
    from selfcheck.workbook.service import Workbook

    source = make_backup(env.tmp)
    fault()
    Workbook.restore(source, env.tmp / target)


def _good_backup(tmp: Path) -> Path:
    from selfcheck.workbook.service import Workbook

    path = tmp / "备份.selfcheck"
    with Workbook.create(tmp / "源.selfcheck", actor="测试员") as wb:
        wb.backup(path)
    return path


def _restore_unreadable(env: Env) -> None:
    from selfcheck.workbook import backup

    _restore(env, _good_backup, fault=lambda: env.monkeypatch.setattr(
        backup.sqlite3, "connect", failing(sqlite3.OperationalError("unable to open database file"))))


def _restore_copy_fails(env: Env) -> None:
    from selfcheck.workbook import backup

    _restore(env, _good_backup, fault=lambda: env.monkeypatch.setattr(
        backup, "_copy_into", failing(sqlite3.DatabaseError("file is not a database"))))


def _restore_disk_full(env: Env) -> None:
    from selfcheck.workbook import backup

    _restore(env, _good_backup, fault=lambda: env.monkeypatch.setattr(backup.os, "replace",
                                                                      failing(os_error(errno.ENOSPC))))


def _restore_damaged(env: Env) -> None:
    """The copy passes SQLite's page check but not the workbook's own (indexes, foreign keys)."""
    from selfcheck.workbook import backup

    _restore(env, _good_backup, fault=lambda: env.monkeypatch.setattr(
        backup, "full_integrity", lambda _db: ["row 3 missing from index idx_answers_item"]))


def _restore_audit_broken(env: Env) -> None:
    from selfcheck.workbook import backup

    real_verify = backup.audit.verify

    def verify(db: object) -> object:
        report = real_verify(db)
        return report.model_copy(update={"ok": False, "message": "第 2 条审计记录被改动过。"})

    _restore(env, _good_backup, fault=lambda: env.monkeypatch.setattr(backup.audit, "verify", verify))


# --- signing/keys.py ---------------------------------------------------------------------------------------------


def _create(env: Env, name: str = "school.p12", school: str = "某某市第一中学", password: str = PASSWORD,
            **kwargs: object) -> None:
    from selfcheck.signing.keys import create_school_key

    create_school_key(env.tmp / name, school, password, **kwargs)  # type: ignore[arg-type]


def _create_where_a_file_is(env: Env) -> None:
    (env.tmp / "school.p12").write_bytes(b"keep me")
    _create(env)


def _create_where_a_folder_is(env: Env) -> None:
    (env.tmp / "school.p12").mkdir()
    _create(env, overwrite=True)


def _create_stick_removed(env: Env) -> None:
    from selfcheck.signing import keys

    env.monkeypatch.setattr(keys.os, "replace", failing(os_error(errno.ENODEV)))
    _create(env)


def _load(env: Env, path: Path, password: str = PASSWORD) -> None:
    from selfcheck.signing.keys import load_key

    load_key(path, password)


def _p12(env: Env, *, key: bool, cert: bool) -> Path:
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        pkcs12,
    )

    from selfcheck.signing.keys import load_key

    ours = load_key(env.school_key.p12, PASSWORD)
    data = pkcs12.serialize_key_and_certificates(b"x", ours.private_key if key else None,
                                                 ours.certificate if cert else None, None,
                                                 BestAvailableEncryption(PASSWORD.encode("utf-8")))
    path = env.tmp / "odd.p12"
    path.write_bytes(data)
    return path


def _load_mismatched(env: Env) -> None:
    """A PKCS#12 whose key is not the certificate's (cryptography refuses to write one, other tools do not)."""
    from selfcheck.signing import keys

    env.monkeypatch.setattr(keys, "_same_public_key", lambda _key, _certificate: False)
    _load(env, env.school_key.p12)


def _check_dates(env: Env, now: datetime) -> None:
    from selfcheck.signing.keys import check_validity, load_key

    check_validity(load_key(env.school_key.p12, PASSWORD).certificate, now=now)


def _read_unreadable(env: Env) -> None:
    from pathlib import Path as RealPath

    path = env.tmp / "school.p12"
    path.write_bytes(b"x")
    env.monkeypatch.setattr(RealPath, "read_bytes", failing(os_error(errno.EIO)))
    _load(env, path)


def _export_cert_existing(env: Env) -> None:
    from selfcheck.signing.keys import export_certificate, load_key

    (env.tmp / "school.cer").write_bytes(b"old")
    export_certificate(load_key(env.school_key.p12, PASSWORD).certificate, env.tmp / "school.cer", overwrite=False)


def _read_certs(env: Env, make: Callable[[Path], Path]) -> None:
    from selfcheck.signing.keys import read_certificates

    read_certificates(make(env.tmp))


def _empty_folder(tmp: Path) -> Path:
    (tmp / "certs").mkdir()
    return tmp / "certs"


def _not_a_certificate(tmp: Path) -> Path:
    (tmp / "school.cer").write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    return tmp / "school.cer"


# --- workbook/db.py and workbook/readonly.py: files that are not workbooks, drives that vanish ----------------------


def _open(env: Env, make: Callable[[Path], Path], *, read_only: bool = False) -> None:
    from selfcheck.workbook.service import Workbook

    Workbook.open(make(env.tmp), actor="测试员", read_only=read_only)


def _text_file(tmp: Path) -> Path:
    (tmp / "笔记.selfcheck").write_text("不是工作簿", encoding="utf-8")
    return tmp / "笔记.selfcheck"


def _header_unreadable(env: Env) -> None:
    from pathlib import Path as RealPath

    path = env.workbook()
    env.monkeypatch.setattr(RealPath, "open", failing(os_error(errno.EIO)))
    _open(env, lambda _tmp: path)


def _sqlite_cannot_open(env: Env, module: str) -> None:
    import importlib

    path = env.workbook()
    target = importlib.import_module(module)
    env.monkeypatch.setattr(target.sqlite3, "connect",
                            failing(sqlite3.OperationalError("unable to open database file")))
    if module.endswith("readonly"):
        target._connect_uri(path, "ro")
    else:
        target.connect(path, read_only=False)


def _private_copy_fails(env: Env) -> None:
    from selfcheck.workbook import readonly

    path = env.workbook()
    env.monkeypatch.setattr(readonly.shutil, "copyfile", failing(os_error(errno.ENODEV)))
    readonly._private_copy(path)


# --- exports/ledger_xlsx.py --------------------------------------------------------------------------------------


def _ledger_xlsx(env: Env, name: str, fault: Callable[[], None] = lambda: None) -> None:
    from selfcheck.exports.ledger_xlsx import write_ledger_xlsx

    fault()
    write_ledger_xlsx([], env.tmp / name, school="城关第一小学", inspection_titles={})


def _xlsx_replace_fails(env: Env, err: OSError) -> None:
    from selfcheck.exports import ledger_xlsx

    _ledger_xlsx(env, "台账.xlsx", lambda: env.monkeypatch.setattr(ledger_xlsx.os, "replace", failing(err)))


# --- workbook/ledger.py: the rectification ledger's rules --------------------------------------------------------

TODAY = datetime(2026, 10, 15).date()
PLAN = {"description": "未建立陪餐制度", "measures": "制定制度", "rect_type": "长效机制", "leader": "王校长", "department": "总务处", "person": "李老师",
        "deadline": "2026-11-30"}
DONE = {**PLAN, "done_description": "已整改", "completed_on": "2026-10-10"}


def _step(current: str, target: str, fields: dict[str, object]) -> Callable[[Env], None]:
    def run(_env: Env) -> None:
        from selfcheck.workbook.ledger import check_step, parse_status

        check_step(parse_status(current), parse_status(target), fields, today=TODAY)

    return run


def _edit(status: str, fields: dict[str, object]) -> Callable[[Env], None]:
    def run(_env: Env) -> None:
        from selfcheck.workbook.ledger import check_edit, parse_status

        check_edit(parse_status(status), fields, today=TODAY)

    return run


def _reopen(current: str, target: str) -> Callable[[Env], None]:
    def run(_env: Env) -> None:
        from selfcheck.workbook.ledger import parse_status, reopen_clears

        reopen_clears(parse_status(current), parse_status(target))

    return run


# --- checklists/answers.py ---------------------------------------------------------------------------------------


def _answer(item_id: str, value: str) -> Callable[[Env], None]:
    def run(_env: Env) -> None:
        from selfcheck.checklists.answers import normalize_answer
        from tests.workbook.conftest import make_checklist

        item = next(i for i in make_checklist().all_items() if i.id == item_id)
        normalize_answer(item, value)

    return run


# --- workbook/photos.py -------------------------------------------------------------------------------------------


def _with_inspection(env: Env) -> tuple[Any, int]:
    from datetime import date

    from selfcheck.workbook.models import NewInspection
    from selfcheck.workbook.service import Workbook
    from tests.workbook.conftest import make_checklist, make_other_checklist

    wb = Workbook.create(env.tmp / "学校.selfcheck", actor="测试员")
    env.opened.append(wb)
    checklists = [make_checklist(), make_other_checklist()]
    first, _second = (wb.inspections.create(NewInspection(
        title=title, period_start=date(2026, 9, 1), period_end=date(2026, 12, 31), checklist_ids=["tst", "oth"]),
        available=checklists).id for title in ("秋季自查", "春季自查"))
    wb.answers.set(first, "TST-01", "no")
    return wb, first


def _photo(env: Env, *, kind: str = "evidence", item: str | None = "TST-01", problem: str = "",
           caption: str = "") -> None:
    from tests.workbook.conftest import jpeg_bytes

    wb, iid = _with_inspection(env)
    problem_id = None
    if problem == "own":
        problem_id = wb.ledger.for_item(iid, "TST-01").id
    elif problem == "missing":
        problem_id = 999
    elif problem == "other":
        problem_id = wb.ledger.for_item(iid, "TST-01").id
        iid = iid + 1
    wb.photos.add_bytes(iid, item, jpeg_bytes(), "现场.jpg", caption=caption, problem_id=problem_id, kind=kind)


def _photo_twice(env: Env) -> None:
    from tests.workbook.conftest import jpeg_bytes

    wb, iid = _with_inspection(env)
    wb.photos.add_bytes(iid, "TST-01", jpeg_bytes(), "现场.jpg")
    wb.photos.add_bytes(iid, "TST-01", jpeg_bytes(), "现场.jpg")


def _photo_blob_missing(env: Env) -> None:
    from tests.workbook.conftest import jpeg_bytes

    wb, iid = _with_inspection(env)
    photo = wb.photos.add_bytes(iid, "TST-01", jpeg_bytes(), "现场.jpg")
    conn = sqlite3.connect(env.tmp / "学校.selfcheck")
    conn.execute("DELETE FROM photo_images WHERE photo_id = ?", (photo.id,))
    conn.commit()
    conn.close()
    wb.photos.image(photo.id)


def _no_such_photo(env: Env) -> None:
    wb, _ = _with_inspection(env)
    wb.photos.set_caption(999, "说明")


# --- report/collect.py and report/appendix.py ---------------------------------------------------------------------


def _collect(env: Env, inspection: str, *, school: bool = True, inspections: bool = True) -> None:
    from selfcheck.report.collect import build_report_data, resolve_inspection
    from selfcheck.workbook.models import SchoolProfile
    from selfcheck.workbook.service import Workbook

    if inspections:
        wb, _ = _with_inspection(env)
    else:
        wb = Workbook.create(env.tmp / "空.selfcheck", actor="测试员")
    try:
        if school:
            wb.save_school(SchoolProfile(name="城关第一小学"))
        build_report_data(wb, resolve_inspection(wb, inspection))
    finally:
        wb.close()


def _load_photo(env: Env, loader: Callable[[int], bytes], *, sha: str | None = None) -> None:
    from selfcheck.report.appendix import load_photo
    from tests.report.factory import make_sample

    photo = make_sample(photos=1).data.photos[0]
    if sha is not None:
        photo = photo.model_copy(update={"image_sha256": sha})
    load_photo(photo, loader)


def _photo_name() -> str:
    from tests.report.factory import make_sample

    photo = make_sample(photos=1).data.photos[0]
    return f"{photo.id}（{photo.original_name or photo.caption}）"


def _jpeg_that_is_not(env: Env) -> None:
    """Starts like a JPEG and matches its recorded hash, but no JPEG decoder can read it."""
    import hashlib

    from selfcheck.report.pdf import build_pdf
    from tests.report.factory import make_sample

    small = make_sample(photos=1)
    bogus = b"\xff\xd8\xff" + b"\x00" * 64
    photos = [p.model_copy(update={"image_sha256": hashlib.sha256(bogus).hexdigest()}) for p in small.data.photos]
    build_pdf(small.data.model_copy(update={"photos": photos}), lambda _id: bogus)


# --- signing/appearance.py and signing/sign.py --------------------------------------------------------------------


def _load_image(env: Env, source: object) -> None:
    from selfcheck.signing.appearance import stamp_image

    stamp_image(source, "公章")  # type: ignore[arg-type]


def _stamp_font_unreadable(env: Env) -> None:
    from selfcheck.signing.appearance import AppearanceText, make_stamp_style

    text = AppearanceText(school="城关第一小学", principal="王校长", date_text="2026年10月15日", time_text="10:00:00")
    make_stamp_style(text, env.tmp / "无.ttf")


def _sign(env: Env, pdf: bytes) -> None:
    import io

    from selfcheck.signing.keys import load_key
    from selfcheck.signing.sign import sign_pdf_in_place

    sign_pdf_in_place(io.BytesIO(pdf), load_key(env.school_key.p12, PASSWORD), page=0, box=(10, 10, 100, 60),
                      stamp_style=None)


def _sign_fails(env: Env) -> None:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import signers

    from selfcheck.report.pdf import build_pdf
    from tests.report.factory import make_sample

    env.monkeypatch.setattr(signers.PdfSigner, "sign_pdf", failing(PdfError("Cannot sign: xref broken")))
    small = make_sample(photos=0)
    _sign(env, build_pdf(small.data, small.photo_loader).pdf)


# --- the cases ---------------------------------------------------------------------------------------------------

CASES: list[tuple[str, Callable[[Env], None], str]] = [
    # report/export.py
    ("report name without .pdf", lambda e: _check_output(e, "r.txt"), f"报告文件名应以 .pdf 结尾：{T}/r.txt"),
    ("report path is a folder", _folder_named_pdf, f"该路径是一个文件夹：{T}/r.pdf"),
    ("report folder missing", lambda e: _check_output(e, "无/r.pdf"), f"保存报告的文件夹不存在：{T}/无"),
    ("report exists", _existing_pdf, f"文件已存在：{T}/r.pdf"),
    ("PDF open in a reader on Windows", _export_reader_has_it_open,
     f"无法写入 {T}/r.pdf：文件可能正被其他程序（如 PDF 阅读器）打开，请关闭后重试。"),
    ("report replace: stick removed", lambda e: _replace_fails(e, os_error(errno.EIO)),
     f"无法写入 {T}/r.pdf（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）"),
    ("report replace: Windows sharing violation", lambda e: _replace_fails(e, os_error(errno.EBUSY, winerror=32)),
     f"无法写入 {T}/r.pdf（文件正被其他程序打开（例如 PDF 阅读器或 Excel），请关闭后重试）"),
    ("report write: disk full", _export_disk_full, f"无法写入报告文件：{T}/r.pdf（磁盘空间不足）"),
    # workbook/lock.py
    ("workbook in a read-only folder", lambda e: _lock_fails(e, os_error(errno.EROFS)),
     "工作簿“学校.selfcheck”所在的位置是只读的（没有写入这个文件夹的权限，或U盘处于写保护状态），不能在这里修改它。"),
    ("workbook lock: stick removed", lambda e: _lock_fails(e, os_error(errno.EIO)),
     f"无法在“{T}”中创建锁文件（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道），工作簿所在位置可能是只读的。"),
    ("workbook open in another window", _locked_by_another,
     "工作簿“学校.selfcheck”正在被另一个 SelfCheck 窗口（或程序）使用，不能同时修改。"),
    # workbook/backup.py
    ("backup onto the workbook itself", lambda e: _backup(e, lambda tmp: tmp / "学校.selfcheck", overwrite=True),
     "备份不能写到工作簿自身，请选择其他文件名或文件夹。"),
    ("backup folder missing", lambda e: _backup(e, lambda tmp: tmp / "无" / "b.selfcheck"), f"文件夹“{T}/无”不存在。"),
    ("backup exists", _backup_existing, f"“{T}/备份.selfcheck”已存在；如要覆盖，请明确选择覆盖。"),
    ("backup: stick removed", _backup_stick_removed,
     f"无法写入备份“{T}/备份.selfcheck”：读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道。"),
    ("backup copy damaged", _backup_copy_damaged, "备份副本未通过完整性检查（文件内部数据不一致），请换一个位置重试。"),
    ("restore onto itself", lambda e: _restore(e, _good_backup, "备份.selfcheck"), "备份文件和要恢复到的工作簿是同一个文件。"),
    ("restore folder missing", lambda e: _restore(e, _good_backup, "无/r.selfcheck"), f"文件夹“{T}/无”不存在。"),
    ("restore: backup unreadable", _restore_unreadable, "无法读取备份“备份.selfcheck”（无法打开文件（文件夹可能不可写、文件正被占用，或U盘已被拔出））。"),
    ("restore: backup not a workbook", _restore_copy_fails, "备份“备份.selfcheck”不是有效的工作簿（文件内容不是完整的数据库）。"),
    ("restore: damaged backup", _restore_damaged, "备份“备份.selfcheck”已损坏，不能用于恢复（文件内部数据不一致）。"),
    ("restore: audit chain broken", _restore_audit_broken,
     "备份“备份.selfcheck”未通过审计校验，不能用于恢复。第 2 条审计记录被改动过。"),
    ("restore: disk full", _restore_disk_full, "恢复失败：磁盘空间不足。原工作簿未被改动。"),
    # signing/keys.py
    ("key without school", lambda e: _create(e, school="  "), "请填写学校名称，证书上要写明学校。"),
    ("key school too long", lambda e: _create(e, school="校" * 101), "学校名称过长：最多 {school_limit} 个字，现在有 101 个字。"),
    ("key school half a character", lambda e: _create(e, school="校\ud800"), "学校名称中有无法识别的字符，请重新输入学校名称。"),
    ("key name without .p12", lambda e: _create(e, name="school.key"), f"密钥文件名应以 .p12 结尾：{T}/school.key"),
    ("key password too short", lambda e: _create(e, password="short"), "密码至少需要 6 个字符。"),
    ("key file exists", _create_where_a_file_is, f"文件已存在，未覆盖：{T}/school.p12"),
    ("key path is a folder", _create_where_a_folder_is, f"该路径是一个文件夹：{T}/school.p12"),
    ("key folder missing", lambda e: _create(e, name="无/school.p12"), f"文件夹不存在：{T}/无"),
    ("key write: stick removed", _create_stick_removed,
     f"无法写入文件：{T}/school.p12（设备已不存在，U盘或移动硬盘可能已被拔出）"),
    ("key wrong password", lambda e: _load(e, e.school_key.p12, "wrong-password"), "密钥文件密码错误：school.p12"),
    ("key file not PKCS#12", lambda e: (e.tmp.joinpath("x.p12").write_bytes(b"\x00" * 64), _load(e, e.tmp / "x.p12")),
     f"不是有效的密钥文件（PKCS#12/.p12），文件可能已损坏：{T}/x.p12"),
    ("key file without private key", lambda e: _load(e, _p12(e, key=False, cert=True)),
     "密钥文件中没有私钥，无法用于签名：odd.p12"),
    ("key file without certificate", lambda e: _load(e, _p12(e, key=True, cert=False)),
     "密钥文件中没有证书，无法用于签名：odd.p12"),
    ("key and certificate differ", _load_mismatched,
     "密钥文件中的私钥与证书不匹配：school.p12"),
    ("certificate expired", lambda e: _check_dates(e, datetime(2999, 1, 1, tzinfo=UTC)),
     "证书已于 {expiry} 过期，不能再用于签名。"),
    ("certificate not yet valid", lambda e: _check_dates(e, datetime(2000, 1, 1, tzinfo=UTC)),
     "证书要到 {start} 才生效，请检查电脑的日期和时间。"),
    ("key file missing", lambda e: _load(e, e.tmp / "none.p12"), f"找不到密钥文件：{T}/none.p12"),
    ("key path is a folder on load", lambda e: _load(e, e.tmp), f"密钥文件路径是一个文件夹：{T}"),
    ("key file unreadable", _read_unreadable,
     f"无法读取密钥文件：{T}/school.p12（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）"),
    ("key file empty", lambda e: (e.tmp.joinpath("e.p12").write_bytes(b""), _load(e, e.tmp / "e.p12")),
     f"密钥文件是空的，可能已损坏：{T}/e.p12"),
    ("certificate export exists", _export_cert_existing, f"文件已存在：{T}/school.cer"),
    ("trust folder without certificates", lambda e: _read_certs(e, _empty_folder),
     f"文件夹中没有证书文件（.cer/.crt/.der/.pem）：{T}/certs"),
    ("not a certificate", lambda e: _read_certs(e, _not_a_certificate), f"不是有效的证书文件（.cer/.crt/.pem）：{T}/school.cer"),
    # workbook/db.py, workbook/readonly.py
    ("workbook missing", lambda e: _open(e, lambda tmp: tmp / "无.selfcheck"), f"找不到工作簿文件“{T}/无.selfcheck”。"),
    ("workbook path is a folder", lambda e: _open(e, lambda tmp: tmp), f"“{T}”是文件夹，不是工作簿文件。"),
    ("workbook header unreadable", _header_unreadable,
     f"无法读取工作簿“{T}/学校.selfcheck”：读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道。"),
    ("not a workbook", lambda e: _open(e, _text_file),
     "“笔记.selfcheck”不是 SelfCheck 工作簿（文件格式不对，可能已损坏或选错了文件）。"),
    ("SQLite cannot open the workbook", lambda e: _sqlite_cannot_open(e, "selfcheck.workbook.db"),
     "无法打开工作簿“学校.selfcheck”：无法打开文件（文件夹可能不可写、文件正被占用，或U盘已被拔出）。"),
    ("SQLite cannot open it read-only", lambda e: _sqlite_cannot_open(e, "selfcheck.workbook.readonly"),
     "无法打开工作簿“学校.selfcheck”：无法打开文件（文件夹可能不可写、文件正被占用，或U盘已被拔出）。"),
    ("read-only copy: stick removed", _private_copy_fails,
     "无法读取工作簿“学校.selfcheck”（设备已不存在，U盘或移动硬盘可能已被拔出）。"),
    # exports/ledger_xlsx.py
    ("ledger name without .xlsx", lambda e: _ledger_xlsx(e, "台账.xls"), "台账文件名应以 .xlsx 结尾：台账.xls"),
    ("ledger folder missing", lambda e: _ledger_xlsx(e, "无/台账.xlsx"), f"保存台账的文件夹不存在：{T}/无"),
    ("ledger open in Excel", lambda e: _xlsx_replace_fails(e, PermissionError(errno.EACCES, "denied")),
     "无法写入“台账.xlsx”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。"),
    ("ledger: disk full", lambda e: _xlsx_replace_fails(e, os_error(errno.ENOSPC)), f"无法写入“{T}/台账.xlsx”（磁盘空间不足）。"),
    # workbook/ledger.py
    ("unknown status", _step("待整改", "完成了", PLAN), "未知的整改状态“完成了”，应为：待整改、整改中、已整改、已销号。"),
    ("step to the same status", _step("整改中", "整改中", PLAN), "问题已是“整改中”状态。"),
    ("step backwards", _step("已整改", "整改中", DONE),
     "问题不能从“已整改”退回“整改中”；如需重新整改，请使用“重新打开”并说明原因。"),
    ("step without its fields", _step("整改中", "已整改", PLAN), "改为“已整改”前需要填写：整改完成情况、完成日期。"),
    ("completion in the future", _step("整改中", "已整改", {**DONE, "completed_on": "2026-12-01"}),
     "完成日期（2026-12-01）不能晚于今天。"),
    ("verified before completed", _step("已整改", "已销号", {**DONE, "verified_by": "王校长", "verified_on": "2026-10-01",
                                                       "closed_by": "王校长", "closed_on": "2026-10-12"}),
     "现场查验日期不能早于整改完成日期。"),
    ("closed before verified", _step("已整改", "已销号", {**DONE, "verified_by": "王校长", "verified_on": "2026-10-12",
                                                     "closed_by": "王校长", "closed_on": "2026-10-11"}),
     "销号日期不能早于现场查验日期。"),
    ("edit empties a required field", _edit("整改中", {**PLAN, "person": " "}), "问题当前为“整改中”，以下内容不能为空：具体责任人。"),
    ("reopen forwards", _reopen("整改中", "已整改"), "“重新打开”只能把问题退回到比“整改中”更早的状态。"),
    # checklists/answers.py
    ("yes/no answer", _answer("TST-01", "也许"), "检查项 TST-01 只能回答 是、否 或 不适用。"),
    ("choice answer", _answer("TST-03", "外包"), "检查项 TST-03 的答案应为以下选项之一：自主经营、违规承包、不设食堂、不适用。"),
    ("number answer", _answer("TST-04", "十二"), "检查项 TST-04 需要填写数字，“十二”不是数字。"),
    ("number answer infinite", _answer("TST-04", "1e999"), "检查项 TST-04 需要填写有效的数字。"),
    ("integer answer", _answer("TST-04", "4.5"), "检查项 TST-04 需要填写整数。"),
    ("negative head-count", _answer("TST-04", "-3"), "检查项 TST-04 的数字不能小于 0（人数、次数、金额等不能为负数）。"),
    ("number too long to keep exactly", _answer("TST-04", "1" * 24),
     "检查项 TST-04 的数字位数过多（最多 15 位有效数字），无法精确保存，请核对后重新填写。"),
    ("date answer", _answer("TST-06", "九月一日"), "检查项 TST-06 需要填写日期（如 2026-09-01），“九月一日”无法识别。"),
    ("empty text answer", _answer("TST-07", "   "), "检查项 TST-07 的回答不能为空。"),
    ("text answer too long", _answer("TST-07", "字" * 5001), "检查项 TST-07 的回答过长（最多 {text_limit} 字）。"),
    # workbook/photos.py
    ("unknown photo kind", lambda e: _photo(e, kind="before"), "未知的照片类别“before”（应为 evidence 或 after）。"),
    ("caption too long", lambda e: _photo(e, caption="字" * 501), "照片说明过长（最多 {caption_limit} 字）。"),
    ("problem of another inspection", lambda e: _photo(e, kind="after", problem="other"),
     "问题 #{problem} 不属于自查 #{other_inspection}。"),
    ("after-photo without a problem", lambda e: _photo(e, kind="after"), "整改后照片需要指明对应的问题。"),
    ("after-photo for a problem that is gone", lambda e: _photo(e, kind="after", problem="missing"),
     "找不到编号为 999 的问题。"),
    ("evidence without an item", lambda e: _photo(e, item=None), "佐证照片需要指明对应的检查项。"),
    ("same photo twice", _photo_twice, "“现场.jpg”已导入到检查项 TST-01（照片 #1），未重复导入。"),
    ("no such photo", _no_such_photo, "找不到编号为 999 的照片。"),
    ("photo data missing", _photo_blob_missing, "照片 #1 的图像数据缺失，工作簿可能已损坏。"),
    # report/collect.py
    ("report without inspections", lambda e: _collect(e, "latest", inspections=False),
     "工作簿中还没有自查，无法导出报告。请先新建一次自查。"),
    ("report inspection not a number", lambda e: _collect(e, "秋季"), "自查编号“秋季”无效：请填写数字编号或 latest。"),
    ("report inspection unknown", lambda e: _collect(e, "7"), "工作簿中没有编号为 7 的自查（现有：#2、#1）。"),
    ("report without school", lambda e: _collect(e, "1", school=False),
     "尚未填写学校基本信息，无法生成报告。请先在“学校信息”中填写学校名称等信息。"),
    # report/appendix.py
    ("report photo: stick removed", lambda e: _load_photo(e, failing(os_error(errno.EIO))),
     "无法读取照片 {photo}：读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道。"),
    ("report photo: data missing", lambda e: _load_photo(e, failing(KeyError(1))), "无法读取照片 {photo}：照片数据缺失。"),
    ("report photo not JPEG", lambda e: _load_photo(e, lambda _id: b"\x89PNG\r\n"),
     "照片 {photo}不是 JPEG 图像，无法放入报告。"),
    ("report photo altered", lambda e: _load_photo(e, lambda _id: b"\xff\xd8\xff\xe0", sha="0" * 64),
     "照片 {photo}的内容与记录的校验值不符，可能已被改动，报告未生成。"),
    ("report photo undecodable", _jpeg_that_is_not, "照片不是有效的 JPEG 图像，无法放入报告。"),
    # signing/appearance.py, signing/sign.py
    ("stamp font unreadable", _stamp_font_unreadable, f"无法读取签名外观字体：{T}/无.ttf（文件或文件夹不存在）"),
    ("seal image missing", lambda e: _load_image(e, e.tmp / "无.png"), f"找不到公章图片：{T}/无.png"),
    ("seal image unreadable", lambda e: _load_image(e, b"not an image"), "公章图片无法读取（应为 PNG 或 JPEG 图片）：所给数据"),
    ("report to sign unreadable", lambda e: _sign(e, b"%PDF-1.7 broken"), "报告文件无法读取（PDF 结构有误），未能签名。"),
    ("signing fails", _sign_fails, "签名失败：签名程序无法处理这份 PDF（详细信息已写入日志）。"),
]



SLOW = {_export_disk_full, _export_reader_has_it_open}  # these lay out and sign a real report


def values(env: Env) -> dict[str, str]:
    """The values of this module's placeholders in a pinned message."""
    from selfcheck.checklists.answers import MAX_TEXT_LENGTH
    from selfcheck.signing.keys import SCHOOL_NAME_MAX_LENGTH, load_key
    from selfcheck.workbook.photos import MAX_CAPTION

    certificate = load_key(env.school_key.p12, PASSWORD).certificate
    return {"text_limit": str(MAX_TEXT_LENGTH), "caption_limit": str(MAX_CAPTION), "problem": "1",
            "school_limit": str(SCHOOL_NAME_MAX_LENGTH),
            "other_inspection": "2", "photo": _photo_name(),
            "expiry": certificate.not_valid_after_utc.astimezone().strftime("%Y-%m-%d"),
            "start": certificate.not_valid_before_utc.astimezone().strftime("%Y-%m-%d %H:%M")}
