"""Receiving: every verdict a clerk can meet, the district's own copy, duplicates, supersession, folders and zips."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from selfcheck.district.workspace import DistrictWorkspace
from tests.district.fixtures import DistrictFiles, make_workspace, now


@pytest.fixture
def ws(tmp_path: Path, district_files: DistrictFiles):  # type: ignore[no-untyped-def]
    path = make_workspace(tmp_path, district_files)
    with DistrictWorkspace.open(path) as workspace:
        yield workspace


def one(ws: DistrictWorkspace, path: Path):  # type: ignore[no-untyped-def]
    outcomes = ws.reports.receive([path], workers=1)
    assert len(outcomes) == 1
    return outcomes[0]


def test_a_genuine_report_is_accepted_and_the_district_keeps_an_identical_copy(
        ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    before = district_files.a1.path.read_bytes()
    outcome = one(ws, district_files.a1.path)
    assert outcome.verdict == "accepted" and outcome.reasons == []
    report = outcome.report
    assert report is not None and report.school_code == "001" and report.school_name == "某某市第一中学"
    assert report.report_id == str(district_files.a1.data.report_id)
    assert report.signer_fingerprint == district_files.key_a.fingerprint
    stored = ws.reports.stored_pdf(report.report_id)
    assert stored.read_bytes() == before == district_files.a1.path.read_bytes()  # the school's file untouched
    assert stored.is_relative_to(ws.reports_dir)
    assert report.file_sha256 == hashlib.sha256(before).hexdigest()
    assert ws.reports.report_data(report.report_id) == district_files.a1.data


@pytest.mark.parametrize(("name", "kind", "words"), [
    ("tampered", "tampered", "改动"),
    ("unregistered", "unregistered", "登记"),
    ("forged", "other_school", "某某市实验小学"),
])
def test_bad_reports_are_rejected_with_the_reason_in_chinese(ws: DistrictWorkspace, district_files: DistrictFiles,
                                                             name: str, kind: str, words: str) -> None:
    path = getattr(district_files, name)
    outcome = one(ws, path if isinstance(path, Path) else path.path)
    assert outcome.verdict == "rejected"
    assert outcome.report is not None and kind in outcome.report.failure_kinds
    assert any(words in reason for reason in outcome.reasons), outcome.reasons
    assert outcome.report.stored_file is None  # nothing kept of a rejected file
    assert ws.summary.comparison(ws.campaigns.current().id) == []


def test_a_file_that_is_no_report_is_rejected(ws: DistrictWorkspace, tmp_path: Path) -> None:
    junk = tmp_path / "通知.pdf"
    junk.write_bytes(b"not a pdf at all")
    outcome = one(ws, junk)
    assert outcome.verdict == "rejected" and outcome.report is not None
    assert outcome.report.failure_kinds and outcome.reasons


def test_a_school_not_on_the_roster_is_rejected(tmp_path: Path, district_files: DistrictFiles) -> None:
    path = make_workspace(tmp_path, district_files, register=False)
    with DistrictWorkspace.open(path) as ws:
        ws.roster.update("001", ws.roster.get("001").model_copy(update={"name": "另一所学校"}))
        ws.registry.register(district_files.key_a.cer, allow_not_on_roster=True)
        outcome = one(ws, district_files.a1.path)
    assert outcome.verdict == "rejected" and "not_on_roster" in outcome.report.failure_kinds  # type: ignore[union-attr]
    assert "名册" in outcome.reasons[0]


def test_revocation_keeps_reports_signed_before_and_rejects_later_ones(tmp_path: Path,
                                                                      district_files: DistrictFiles) -> None:
    signed = district_files.b1
    for at, verdict in ((now() + timedelta(hours=1), "accepted"), (now() - timedelta(days=1), "rejected")):
        folder = tmp_path / verdict
        folder.mkdir()
        with DistrictWorkspace.open(make_workspace(folder, district_files)) as ws:
            ws.registry.revoke(signed.key.fingerprint, "密钥丢失", at=at)
            outcome = one(ws, signed.path)
            assert outcome.verdict == verdict, outcome.reasons
            if verdict == "rejected":
                assert "revoked" in outcome.report.failure_kinds  # type: ignore[union-attr]
                assert any("作废" in r or "吊销" in r for r in outcome.reasons)


def test_the_same_file_again_is_a_duplicate_and_counts_once(ws: DistrictWorkspace, district_files: DistrictFiles,
                                                           tmp_path: Path) -> None:
    assert one(ws, district_files.a1.path).verdict == "accepted"
    again = district_files.copy(district_files.a1.path, tmp_path / "again", "重新发送.pdf")
    outcome = one(ws, again)
    assert outcome.verdict == "duplicate" and "同一个文件" in outcome.reasons[0]
    campaign = ws.campaigns.current().id
    assert len([r for r in ws.summary.comparison(campaign) if r.area == "total"]) == 1


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_a_newer_report_supersedes_the_older_one_both_kept(ws: DistrictWorkspace, district_files: DistrictFiles,
                                                          order: str) -> None:
    first, second = (district_files.a1, district_files.a2)[:: 1 if order == "older first" else -1]
    one(ws, first.path)
    one(ws, second.path)
    reports = {r.report_id: r for r in ws.reports.list()}
    old, new = reports[str(district_files.a1.data.report_id)], reports[str(district_files.a2.data.report_id)]
    assert new.verdict == "accepted"
    assert old.verdict == "superseded" and old.superseded_by == new.id
    status = {s.school.code: s for s in ws.summary.roster_status(ws.campaigns.current().id)}
    assert status["001"].report_id == new.report_id
    assert ws.reports.stored_pdf(old.report_id).is_file()  # both kept
    assert [r.report_id for r in ws.reports.school_history("001")].count(old.report_id) == 1


@pytest.mark.slow
def test_a_folder_and_a_zip_are_received_in_parallel_with_progress(ws: DistrictWorkspace,
                                                                   district_files: DistrictFiles,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "收件"
    district_files.copy(district_files.a1.path, folder)
    district_files.copy(district_files.tampered, folder / "子文件夹")
    (folder / "说明.txt").write_text("not a report")
    archive = tmp_path / "报告.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(district_files.b1.path, "学校/实验小学.pdf")
        zf.writestr("../../逃逸.pdf", b"%PDF-1.7 junk")
    seen: list[tuple[int, int, str]] = []
    outcomes = ws.reports.receive([folder, archive], workers=2, progress=lambda d, t, n: seen.append((d, t, n)))
    verdicts = sorted((o.source_name, o.verdict) for o in outcomes)
    assert verdicts == sorted([
        ("收件/一中.pdf", "accepted"), ("收件/子文件夹/实验小学-改动.pdf", "rejected"),
        ("报告.zip/实验小学.pdf", "accepted"), ("报告.zip/逃逸.pdf", "rejected")])
    assert [d for d, _, _ in seen] == [1, 2, 3, 4] and {t for _, t, _ in seen} == {4}
    assert not (tmp_path.parent / "逃逸.pdf").exists() and not (tmp_path / "逃逸.pdf").exists()


def test_a_zip_bomb_is_refused_without_inflating_it(ws: DistrictWorkspace, tmp_path: Path) -> None:
    archive = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.pdf", b"\0" * (40 * 1024 * 1024))
    outcome = one(ws, archive)
    assert outcome.verdict == "rejected" and "压缩" in outcome.reasons[0]


def test_cancel_stops_before_the_next_file(ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1

    outcomes = ws.reports.receive([district_files.a1.path, district_files.b1.path], workers=1, cancel=cancel)
    assert len(outcomes) == 1
    assert len(ws.reports.list()) == 1


def test_a_read_only_workspace_refuses_to_receive(tmp_path: Path, district_files: DistrictFiles) -> None:
    from selfcheck.district.errors import ReadOnlyError

    path = make_workspace(tmp_path, district_files)
    with DistrictWorkspace.open(path, read_only=True) as ws, pytest.raises(ReadOnlyError):
        ws.reports.receive([district_files.a1.path])


def test_receiving_on_a_worker_thread_as_the_window_does(ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    import threading

    found: list[object] = []
    worker = threading.Thread(target=lambda: found.extend(
        ws.reports.receive([district_files.a1.path, district_files.b1.path], workers=2)))
    worker.start()
    worker.join(timeout=600)
    assert sorted(o.verdict for o in found) == ["accepted", "accepted"]  # type: ignore[attr-defined]
