"""An auditor attacking the district desk: reports built as an outsider (or a dishonest school) would build them with
pyHanko/cryptography/zipfile/sqlite3, and what the desk must say about each. A forged or altered report that the
desk accepts is the worst defect it can have."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from selfcheck.__main__ import main
from selfcheck.district.errors import DistrictError
from selfcheck.district.workspace import DistrictWorkspace
from selfcheck.report.data import ReportData
from tests.district.fixtures import SCHOOL_A, SCHOOL_B, DistrictFiles, make_workspace
from tests.report.factory import make_sample
from tests.report.fixtures import SchoolKey, create_key
from tests.verification import forgery

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Kit:
    unsigned: bytes  # the pages of a report (anyone can build pages)
    data_a: ReportData
    data_b: ReportData
    key_c: SchoolKey  # a school that is not on the roster


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    from selfcheck.report.pdf import build_pdf

    a = make_sample(photos=0, seed=21, school_name=SCHOOL_A)
    b = make_sample(photos=0, seed=22, school_name=SCHOOL_B)
    return Kit(unsigned=build_pdf(a.data, a.photo_loader).pdf, data_a=a.data, data_b=b.data,
               key_c=create_key(tmp_path_factory.mktemp("key-c"), school="某某市第九中学"))


@pytest.fixture
def path(tmp_path: Path, district_files: DistrictFiles) -> Path:
    return make_workspace(tmp_path, district_files)


@pytest.fixture
def ws(path: Path):  # type: ignore[no-untyped-def]
    with DistrictWorkspace.open(path) as workspace:
        yield workspace


def signed(key: SchoolKey, data: ReportData, folder: Path, name: str, *, at: datetime | None = None,
           **changes: object) -> Path:
    """`data` (changed) signed with the school's own key as anyone holding that key file could, at a claimed time."""
    identity = forgery.open_p12(key.p12, key.password)
    declared = data.model_copy(update={**changes, "signer": identity.signer_info()})
    out = folder / name
    out.write_bytes(forgery.sign(kit_pages(), identity, certify=True, signing_time=at,
                                 attachments=(declared.to_json().encode(),)))
    return out


_PAGES: list[bytes] = []


def kit_pages() -> bytes:
    return _PAGES[0]


@pytest.fixture(autouse=True)
def _pages(kit: Kit) -> None:
    if not _PAGES:
        _PAGES.append(kit.unsigned)


def receive(ws: DistrictWorkspace, *paths: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    return ws.reports.receive(list(paths), workers=1, **kwargs)  # type: ignore[arg-type]


def one(ws: DistrictWorkspace, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    outcomes = receive(ws, path, **kwargs)
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def verify_cli(report: Path, registry: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify", str(report), "--registry", str(registry)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out


def campaign_id(ws: DistrictWorkspace) -> int:
    current = ws.campaigns.current()
    assert current is not None
    return current.id


# --- whose report is it --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "data", "claimed"), [("key_a", "data_b", SCHOOL_B), ("key_b", "data_a", SCHOOL_A)])
def test_a_registered_key_cannot_sign_for_another_roster_school(
        ws: DistrictWorkspace, path: Path, district_files: DistrictFiles, kit: Kit, tmp_path: Path, key: str,
        data: str, claimed: str, capsys: pytest.CaptureFixture[str]) -> None:
    report = signed(getattr(district_files, key), getattr(kit, data), tmp_path, "冒名.pdf")
    outcome = one(ws, report)
    assert outcome.verdict == "rejected" and "other_school" in outcome.report.failure_kinds
    assert ws.summary.comparison(campaign_id(ws)) == []
    ws.close()
    code, text = verify_cli(report, path, capsys)
    assert code == 1 and text.startswith("未通过")


def test_a_school_not_on_the_roster_is_refused_even_with_a_registered_certificate(
        ws: DistrictWorkspace, path: Path, kit: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws.registry.register(kit.key_c.cer, allow_not_on_roster=True)
    report = signed(kit.key_c, kit.data_a, tmp_path, "九中.pdf",
                    school=kit.data_a.school.model_copy(update={"name": "某某市第九中学"}))
    outcome = one(ws, report)
    assert outcome.verdict == "rejected" and outcome.report.failure_kinds == ["not_on_roster"]
    ws.close()
    assert verify_cli(report, path, capsys)[0] == 1


def test_a_school_not_on_the_roster_and_not_registered_is_refused(ws: DistrictWorkspace, kit: Kit,
                                                                  tmp_path: Path) -> None:
    report = signed(kit.key_c, kit.data_a, tmp_path, "九中.pdf",
                    school=kit.data_a.school.model_copy(update={"name": "某某市第九中学"}))
    outcome = one(ws, report)
    assert outcome.verdict == "rejected" and "unregistered" in outcome.report.failure_kinds


# --- revocation ----------------------------------------------------------------------------------------------------


def test_a_report_received_before_the_revocation_keeps_counting(
        ws: DistrictWorkspace, path: Path, district_files: DistrictFiles, capsys: pytest.CaptureFixture[str]) -> None:
    assert one(ws, district_files.a1.path).verdict == "accepted"
    ws.registry.revoke(district_files.key_a.fingerprint, "密钥遗失")
    assert [r.verdict for r in ws.reports.list()] == ["accepted"]
    assert {c.school_code for c in ws.summary.comparison(campaign_id(ws))} == {"001"}
    assert one(ws, district_files.a1.path).verdict == "duplicate"  # the same file again is still no new report
    ws.close()
    code, text = verify_cli(district_files.a1.path, path, capsys)
    assert code == 0 and text.startswith("通过")


def test_a_revoked_key_cannot_bring_in_a_report_signed_after_the_revocation(
        ws: DistrictWorkspace, path: Path, district_files: DistrictFiles, kit: Kit, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    revoked = ws.registry.revoke(district_files.key_a.fingerprint, "密钥遗失")
    assert revoked.revoked_at is not None
    report = signed(district_files.key_a, kit.data_a, tmp_path, "旧密钥.pdf",
                    at=(revoked.revoked_at + timedelta(minutes=5)).astimezone(UTC), report_id=uuid4())
    outcome = one(ws, report)
    assert outcome.verdict == "rejected", outcome.reasons
    assert outcome.report.failure_kinds == ["revoked"]
    assert any("作废" in r or "吊销" in r for r in outcome.reasons) and all(CJK.search(r) for r in outcome.reasons)
    assert ws.summary.comparison(campaign_id(ws)) == []
    ws.close()
    code, text = verify_cli(report, path, capsys)
    assert code == 1 and text.startswith("未通过")


def test_a_report_signed_before_the_revocation_stays_valid_even_when_it_arrives_later(
        ws: DistrictWorkspace, path: Path, district_files: DistrictFiles, kit: Kit, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's rule: reports signed before the revocation stay valid, later ones fail. The signing time is the
    signer's own claim (docs/verifying-reports.md tells districts to ask for a re-signed report when in doubt)."""
    report = signed(district_files.key_a, kit.data_a, tmp_path, "吊销前签名.pdf", report_id=uuid4())
    ws.registry.revoke(district_files.key_a.fingerprint, "密钥遗失")
    assert one(ws, report).verdict == "accepted"
    ws.close()
    code, text = verify_cli(report, path, capsys)
    assert code == 0 and text.startswith("通过")


# --- campaign and validity -----------------------------------------------------------------------------------------


def test_last_years_report_does_not_count_for_this_campaign(ws: DistrictWorkspace, path: Path,
                                                            district_files: DistrictFiles, kit: Kit, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    old = kit.data_a.inspection.model_copy(update={"title": "2025年秋季专项自查", "period_start": date(2025, 9, 1),
                                                   "period_end": date(2025, 9, 30)})
    report = signed(district_files.key_a, kit.data_a, tmp_path, "去年.pdf", inspection=old, report_id=uuid4(),
                    generated_at=datetime(2025, 10, 1, tzinfo=UTC))
    outcome = one(ws, report)
    assert outcome.verdict == "rejected" and outcome.report.failure_kinds == ["campaign_mismatch"]
    assert "2025" in "".join(outcome.reasons)
    assert ws.summary.comparison(campaign_id(ws)) == []
    ws.close()
    code, text = verify_cli(report, path, capsys)  # the single-report check judges it as receiving does
    assert code == 1 and "不是本次专项的报告" in text, text


def test_receiving_into_a_campaign_that_does_not_exist_is_a_clear_error(
        path: Path, district_files: DistrictFiles, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["district", "receive", str(path), str(district_files.a1.path), "--campaign", "999"])
    out = capsys.readouterr()
    assert code == 2 and "Traceback" not in out.err and CJK.search(out.err)
    with DistrictWorkspace.open(path) as ws:
        assert ws.reports.list() == []


@pytest.mark.parametrize(("when", "kind"), [(timedelta(days=40 * 365), "cert_not_valid_at_signing"),
                                            (-timedelta(days=30), "cert_not_valid_at_signing"),
                                            (timedelta(days=300), "future_time")])
def test_a_signing_time_outside_the_certificates_validity_or_in_the_future_is_refused(
        ws: DistrictWorkspace, path: Path, district_files: DistrictFiles, kit: Kit, tmp_path: Path,
        when: timedelta, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A report dated in the future would also stay "newest" for ever and shut out the school's later reports."""
    report = signed(district_files.key_a, kit.data_a, tmp_path, "时间.pdf", at=datetime.now(UTC) + when,
                    report_id=uuid4())
    outcome = one(ws, report)
    assert outcome.verdict == "rejected" and outcome.report.failure_kinds == [kind], outcome.reasons
    assert all(CJK.search(r) for r in outcome.reasons)
    assert ws.summary.comparison(campaign_id(ws)) == []
    ws.close()
    code, text = verify_cli(report, path, capsys)  # the single-report check judges it as receiving does
    assert code == 1 and text.startswith("未通过"), text
    if kind == "future_time":
        assert "在未来" in text


# --- replay --------------------------------------------------------------------------------------------------------


def test_an_older_report_sent_after_a_newer_one_does_not_supersede_it(ws: DistrictWorkspace,
                                                                       district_files: DistrictFiles) -> None:
    assert one(ws, district_files.a2.path).verdict == "accepted"
    late = one(ws, district_files.a1.path)
    assert late.verdict == "superseded"
    counting = ws.reports.list(verdict="accepted")
    assert [r.report_id for r in counting] == [str(district_files.a2.data.report_id)]


def test_the_same_report_re_signed_counts_once(ws: DistrictWorkspace, district_files: DistrictFiles, kit: Kit,
                                               tmp_path: Path) -> None:
    first = signed(district_files.key_a, kit.data_a, tmp_path, "一.pdf", at=datetime.now(UTC) - timedelta(minutes=9))
    again = signed(district_files.key_a, kit.data_a, tmp_path, "二.pdf", at=datetime.now(UTC) - timedelta(minutes=2))
    assert first.read_bytes() != again.read_bytes()
    assert [o.verdict for o in receive(ws, first, again)] == ["superseded", "accepted"]
    assert len(ws.reports.list(verdict="accepted")) == 1
    assert ws.reports.stored_pdf(str(kit.data_a.report_id)).read_bytes() == again.read_bytes()


def test_another_schools_report_id_cannot_take_over_a_received_report(
        ws: DistrictWorkspace, path: Path, district_files: DistrictFiles, kit: Kit, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """School B copies school A's report id into its own (genuinely signed) report."""
    a = district_files.a1
    assert one(ws, a.path).verdict == "accepted"
    copycat = signed(district_files.key_b, kit.data_b, tmp_path, "同号.pdf", report_id=a.data.report_id)
    outcome = one(ws, copycat)
    assert outcome.verdict == "rejected" and all(CJK.search(r) for r in outcome.reasons)
    assert "编号" in "".join(outcome.reasons)
    # A's report still opens as A's
    assert ws.reports.report_data(str(a.data.report_id)).school.name == SCHOOL_A
    assert ws.reports.stored_pdf(str(a.data.report_id)).read_bytes() == a.path.read_bytes()
    ws.close()
    code, text = verify_cli(copycat, path, capsys)  # the single-report check judges it as receiving does
    assert code == 1 and "同一份报告不能属于两所学校" in text, text


# --- zips and hostile files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["../../逃逸.pdf", "/tmp/绝对路径.pdf", "C:\\Windows\\盘符.pdf", "a\\..\\..\\反斜杠.pdf",
                                    "..\\..\\..\\x.pdf"])
def test_zip_member_names_never_choose_where_a_file_is_written(
        ws: DistrictWorkspace, district_files: DistrictFiles, tmp_path: Path, member: str) -> None:
    inside = tmp_path / "in" / "deep"
    inside.mkdir(parents=True)
    archive = inside / "报告.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr(member, district_files.b1.path.read_bytes())
    before = {p for p in tmp_path.rglob("*")}
    outcome = one(ws, archive)
    assert outcome.verdict == "accepted"
    new = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(ws.reports_dir) for p in new), new
    assert not Path("/tmp/绝对路径.pdf").exists()


def _symlink_member(handle: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    handle.writestr(info, target)


def test_hostile_zips_are_refused_without_crashing(ws: DistrictWorkspace, district_files: DistrictFiles,
                                                   tmp_path: Path) -> None:
    archive = tmp_path / "恶意.zip"
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as handle:
        handle.writestr("套娃.pdf", district_files.a1.path.read_bytes())
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        _symlink_member(handle, "链接.pdf", "/etc/passwd")
        handle.writestr("炸弹.pdf", b"\0" * (60 * 1024 * 1024))
        handle.writestr("空.pdf", b"")
        handle.writestr("假.pdf", b"MZ\x90\x00 this is an exe")
        handle.write(inner, "嵌套.zip")
        handle.writestr("\u202eredaeh\u200b.pdf", b"%PDF-1.7\n%%EOF")
    outcomes = receive(ws, archive)
    verdicts = {o.source_name.rsplit("/", 1)[-1]: o for o in outcomes}
    assert all(o.verdict == "rejected" for o in outcomes), [(o.source_name, o.verdict) for o in outcomes]
    assert {"链接.pdf", "炸弹.pdf", "空.pdf", "假.pdf"} <= set(verdicts)
    for outcome in outcomes:
        assert outcome.reasons and all(CJK.search(r) for r in outcome.reasons), outcome.reasons
    assert ws.reports.list(verdict="accepted") == []


def test_a_zip_with_too_many_members_is_refused(ws: DistrictWorkspace, tmp_path: Path) -> None:
    archive = tmp_path / "多.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for number in range(20001):
            handle.writestr(f"{number}.pdf", b"")
    outcomes = receive(ws, archive)
    assert len(outcomes) == 1 and outcomes[0].verdict == "rejected" and "过多" in outcomes[0].reasons[0]


def test_a_huge_sparse_file_is_refused_by_its_size(ws: DistrictWorkspace, tmp_path: Path) -> None:
    huge = tmp_path / "巨大.pdf"
    with huge.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(2 * 1024**3 + 1)
    outcome = one(ws, huge)
    assert outcome.verdict == "rejected" and "过大" in outcome.reasons[0]


def test_missing_dangling_and_folder_entries_are_reported_not_crashed_on(ws: DistrictWorkspace,
                                                                         tmp_path: Path) -> None:
    dangling = tmp_path / "断链.pdf"
    dangling.symlink_to(tmp_path / "不存在.pdf")
    folder = tmp_path / "收件"
    (folder / "目录.pdf").mkdir(parents=True)
    outcomes = receive(ws, dangling, tmp_path / "没有.pdf", folder)
    assert [o.verdict for o in outcomes] == ["rejected", "rejected"]
    assert all(CJK.search(r) for o in outcomes for r in o.reasons)


def test_a_file_name_cannot_forge_a_verdict_line(path: Path, district_files: DistrictFiles, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`district receive` prints one line per file: a name with a line break must not print a fake line."""
    sneaky = tmp_path / "x.pdf：已接收（某某市第一中学）\n真的.pdf"
    sneaky.write_bytes(b"not a pdf")
    code = main(["district", "receive", str(path), str(sneaky)])
    out = capsys.readouterr().out
    assert code == 1
    assert len([line for line in out.splitlines() if line and not line.startswith("合计")]) == 1, out


# --- the district's own files --------------------------------------------------------------------------------------


def test_a_swapped_copy_of_an_accepted_report_is_not_opened_silently(ws: DistrictWorkspace,
                                                                     district_files: DistrictFiles) -> None:
    outcome = one(ws, district_files.a1.path)
    stored = ws.reports.stored_pdf(outcome.report.report_id)
    os.chmod(stored, stat.S_IWRITE | stat.S_IREAD)
    stored.write_bytes(district_files.forged.path.read_bytes())
    with pytest.raises(DistrictError) as caught:
        ws.reports.stored_pdf(outcome.report.report_id)
    assert CJK.search(str(caught.value))


def test_the_copy_kept_is_the_file_that_was_verified(ws: DistrictWorkspace, district_files: DistrictFiles,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The school's file is swapped between verification and the district's copy (e.g. on a shared folder)."""
    import selfcheck.district.reports as reports_module

    source = district_files.copy(district_files.a1.path, tmp_path / "u盘")
    genuine = reports_module.classify_file

    def swap_after(path: str, name: str, pins: list) -> object:  # type: ignore[type-arg]
        result = genuine(path, name, pins)
        Path(path).write_bytes(district_files.forged.path.read_bytes())
        return result

    monkeypatch.setattr(reports_module, "classify_file", swap_after)
    outcome = one(ws, source)
    if outcome.verdict == "accepted":
        stored = ws.reports.stored_pdf(outcome.report.report_id)
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == outcome.report.file_sha256
    else:
        assert outcome.verdict == "rejected" and all(CJK.search(r) for r in outcome.reasons)
        assert outcome.report.stored_file is None


def test_a_verdict_flipped_in_the_database_adds_nothing_to_the_summaries(
        path: Path, district_files: DistrictFiles) -> None:
    with DistrictWorkspace.open(path) as ws:
        receive(ws, district_files.forged.path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE received SET verdict = 'accepted'")
    with DistrictWorkspace.open(path) as ws:
        cid = campaign_id(ws)
        assert ws.summary.comparison(cid) == []
        assert all(item.schools == 0 for item in ws.summary.failing_items(cid))
        assert ws.summary.rectification(cid) == []
        assert list(ws.summary.answer_rows(cid)) == []


# --- exports never count what does not count -----------------------------------------------------------------------


def test_exports_hold_only_counting_reports(ws: DistrictWorkspace, district_files: DistrictFiles,
                                            tmp_path: Path) -> None:
    receive(ws, district_files.a2.path, district_files.a1.path, district_files.forged.path, district_files.b1.path,
            district_files.tampered, district_files.unregistered.path)
    counting = {r.report_id for r in ws.reports.list(verdict="accepted")}
    assert counting == {str(district_files.a2.data.report_id), str(district_files.b1.data.report_id)}
    out_csv = tmp_path / "全部.csv"
    cid = campaign_id(ws)
    from selfcheck.district.export_csv import export_csv
    from selfcheck.district.export_xlsx import export_xlsx

    export_csv(ws, cid, out_csv)
    text = out_csv.read_text(encoding="utf-8-sig")
    for excluded in (district_files.a1, district_files.forged, district_files.unregistered):
        assert str(excluded.data.report_id) not in text
    out_xlsx = tmp_path / "汇总.xlsx"
    export_xlsx(ws, cid, out_xlsx)
    from openpyxl import load_workbook

    book = load_workbook(out_xlsx, read_only=True)
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    for excluded in (district_files.a1, district_files.forged, district_files.unregistered):
        assert str(excluded.data.report_id) not in cells



def test_the_pdf_summary_lists_no_rejected_report_and_counts_only_counting_ones(
        ws: DistrictWorkspace, district_files: DistrictFiles, tmp_path: Path) -> None:
    from selfcheck.district.export_pdf import export_pdf
    from tests.report.fixtures import poppler

    receive(ws, district_files.a2.path, district_files.a1.path, district_files.forged.path, district_files.b1.path)
    out = export_pdf(ws, campaign_id(ws), tmp_path / "汇总.pdf")
    text = "".join(poppler("pdftotext", "-raw", str(out), "-").split())
    assert str(district_files.forged.data.report_id) not in text
    a1 = str(district_files.a1.data.report_id)
    if a1 in text:  # the appendix may list a superseded report, marked as not counting
        assert "已被取代" in text
    overview = ws.summary.overview(campaign_id(ws))
    assert overview.accepted_reports == 2


# --- the single-report check against the registry: exit codes as issue 10 defines them ------------------------------


@pytest.mark.parametrize(("name", "code"), [
    ("a1", 0), ("tampered", 1), ("unregistered", 1), ("forged", 1), ("not_pdf", 1), ("empty", 1), ("missing", 2),
])
def test_verify_registry_exit_codes(path: Path, district_files: DistrictFiles, tmp_path: Path, name: str, code: int,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    files = {"a1": district_files.a1.path, "tampered": district_files.tampered,
             "unregistered": district_files.unregistered.path, "forged": district_files.forged.path,
             "missing": tmp_path / "没有.pdf"}
    (tmp_path / "假.pdf").write_bytes(b"MZ not a pdf")
    (tmp_path / "空.pdf").write_bytes(b"")
    files |= {"not_pdf": tmp_path / "假.pdf", "empty": tmp_path / "空.pdf"}
    exit_code = main(["verify", str(files[name]), "--registry", str(path)])
    out = capsys.readouterr()
    assert exit_code == code, out
    assert "Traceback" not in out.err
    if code == 2:
        assert CJK.search(out.err)
    else:
        assert out.out.splitlines()[0] == ("通过" if code == 0 else "未通过")
        assert code == 0 or "原因" in out.out


def test_receive_on_the_command_line_survives_hostile_input(path: Path, district_files: DistrictFiles,
                                                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "混合.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("../../一中.pdf", district_files.a1.path.read_bytes())
        handle.writestr("炸弹.pdf", b"\0" * (30 * 1024 * 1024))
        _symlink_member(handle, "链接.pdf", "../../../etc/shadow")
    broken = tmp_path / "坏.zip"
    broken.write_bytes(b"PK\x03\x04" + os.urandom(200))
    code = main(["district", "receive", str(path), str(archive), str(broken), str(district_files.tampered)])
    out = capsys.readouterr()
    assert code == 1 and "Traceback" not in out.err and "内部错误" not in out.out + out.err
    lines = [line for line in out.out.splitlines() if line and not line.startswith("合计")]
    assert len(lines) == 5 and sum("已接收" in line for line in lines) == 1, lines


def test_edits_to_the_workspace_are_found_and_the_summary_warns(path: Path, district_files: DistrictFiles,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    with DistrictWorkspace.open(path) as ws:
        receive(ws, district_files.a1.path, district_files.b1.path, district_files.forged.path)
        assert ws.reports.audit() == []
        b1 = ws.reports.stored_pdf(str(district_files.b1.data.report_id))
    os.chmod(b1, stat.S_IWRITE | stat.S_IREAD)
    b1.write_bytes(district_files.tampered.read_bytes())
    with sqlite3.connect(path) as db:
        db.execute("UPDATE received SET verdict = 'accepted' WHERE verdict = 'rejected'")  # the forgery flipped
    with DistrictWorkspace.open(path) as ws:
        doubts = ws.reports.audit()
    assert len(doubts) >= 2 and all(CJK.search(d) for d in doubts)
    assert any("副本" in d and "不一致" in d for d in doubts) and any("没有接收时的报告数据" in d for d in doubts)
    assert main(["district", "summary", str(path)]) == 0
    err = capsys.readouterr().err
    assert "警告" in err and "不可全信" in err
