"""Signed reports for the district tests, built once per session: two schools' keys, a key the district never
registered, genuine reports (one school twice, the later one newer), a forgery and a tampered copy."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from selfcheck.report.data import ReportData
from tests.report.factory import make_sample
from tests.report.fixtures import SchoolKey, create_key

SCHOOL_A = "某某市第一中学"
SCHOOL_B = "某某市实验小学"


@dataclass(frozen=True)
class Signed:
    path: Path
    data: ReportData  # as embedded (signer filled in)
    key: SchoolKey


@dataclass(frozen=True)
class DistrictFiles:
    key_a: SchoolKey
    key_b: SchoolKey
    key_stranger: SchoolKey  # names school A, never registered
    a1: Signed
    a2: Signed  # school A again, generated a day later: supersedes a1
    b1: Signed
    forged: Signed  # claims school A, signed with B's registered key
    unregistered: Signed  # school A's name, signed with the stranger's key
    tampered: Path  # b1 with one byte changed after signing

    def copy(self, path: Path, folder: Path, name: str | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (name or path.name)
        shutil.copy2(path, target)
        return target


def _sign(folder: Path, name: str, school: str, seed: int, key: SchoolKey, *, later: timedelta = timedelta()) -> Signed:
    from selfcheck.report.data import SignerInfo
    from selfcheck.report.export import export_report
    from selfcheck.signing.keys import load_key

    sample = make_sample(photos=0, seed=seed, school_name=school)
    data = sample.data.model_copy(update={"generated_at": sample.data.generated_at + later})
    out = folder / name
    export_report(data, sample.photo_loader, out, key_path=key.p12, password=key.password)
    info = load_key(key.p12, key.password).info
    data = data.model_copy(update={"signer": SignerInfo(subject=info.subject, fingerprint_sha256=info.fingerprint,
                                                        not_valid_after=info.not_valid_after)})
    return Signed(path=out, data=data, key=key)


def tamper(source: Path, target: Path) -> Path:
    """Change one byte inside a content stream of a signed report."""
    raw = bytearray(source.read_bytes())
    start = raw.find(b"stream\n", len(raw) // 10)
    raw[start + len(b"stream\n") + 40] ^= 0x20
    target.write_bytes(bytes(raw))
    return target


def _build(tmp_path_factory: pytest.TempPathFactory, home: Path) -> DistrictFiles:
    key_a = create_key(tmp_path_factory.mktemp("key-a"), school=SCHOOL_A)
    key_b = create_key(tmp_path_factory.mktemp("key-b"), school=SCHOOL_B)
    key_s = create_key(tmp_path_factory.mktemp("key-stranger"), school=SCHOOL_A)
    out = tmp_path_factory.mktemp("district-reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_HOME", str(home))
        a1 = _sign(out, "一中.pdf", SCHOOL_A, 7, key_a)
        a2 = _sign(out, "一中-更正.pdf", SCHOOL_A, 8, key_a, later=timedelta(days=1))
        b1 = _sign(out, "实验小学.pdf", SCHOOL_B, 9, key_b)
        forged = _sign(out, "冒名.pdf", SCHOOL_A, 10, key_b)
        unregistered = _sign(out, "未登记.pdf", SCHOOL_A, 11, key_s)
    return DistrictFiles(key_a=key_a, key_b=key_b, key_stranger=key_s, a1=a1, a2=a2, b1=b1, forged=forged,
                         unregistered=unregistered, tampered=tamper(b1.path, out / "实验小学-改动.pdf"))


def build_district_files(tmp_path_factory: pytest.TempPathFactory, home: Path) -> DistrictFiles:
    """The signed reports of the district tests (the session fixture `district_files` is in tests/conftest.py)."""
    return _build(tmp_path_factory, home)


ROSTER_CSV = "学校代码,学校名称,学段,学区,联系人,联系电话\n001,某某市第一中学,初中,城东学区,张老师,0571-1234567\n" \
             "002,某某市实验小学,小学,城西学区,李老师,0571-7654321\n003,某某市第三幼儿园,幼儿园,城东学区,王老师,\n"


def make_workspace(folder: Path, files: DistrictFiles, *, register: bool = True,
                   deadline: datetime | None = None) -> Path:
    """A workspace with schools 001 (A), 002 (B), 003 on the roster, A's and B's certificates registered, and one
    campaign; returns its path (closed)."""
    from datetime import date

    from selfcheck.district.workspace import DistrictWorkspace

    roster = folder / "名册.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8-sig")
    path = folder / "示例区.district"
    with DistrictWorkspace.create(path, "示例区教育局") as ws:
        ws.roster.import_file(roster)
        if register:
            ws.registry.register(files.key_a.cer)
            ws.registry.register(files.key_b.cer)
        ws.campaigns.create("2026年秋季“1+3+N”专项自查", date(2026, 9, 1), date(2026, 12, 31), deadline=deadline)
    return path


def now() -> datetime:
    return datetime.now().astimezone()
