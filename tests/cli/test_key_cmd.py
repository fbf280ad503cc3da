"""`selfcheck key create|info|import|export-cert` as scripts and people use them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.signing.keys import load_key
from tests.report.fixtures import PASSWORD, SchoolKey

FINGERPRINT = re.compile(r"([0-9A-F]{2}:){31}[0-9A-F]{2}")


@pytest.fixture()
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", PASSWORD)
    return PASSWORD


@pytest.mark.slow
def test_create_writes_key_and_certificate_and_prints_the_fingerprint(
        password: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "school.p12"
    assert run(["key", "create", "--out", str(out), "--school", "某某中学"]) == 0
    printed = capsys.readouterr().out
    key = load_key(out, password)
    assert (tmp_path / "school.cer").is_file()
    assert key.info.fingerprint in printed
    assert "某某中学" in printed and "有效期" in printed


def test_create_without_a_password_source_fails_cleanly(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SELFCHECK_KEY_PASSWORD", raising=False)
    assert run(["key", "create", "--out", str(tmp_path / "s.p12"), "--school", "某某中学"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：未提供密钥密码") and "SELFCHECK_KEY_PASSWORD" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_create_refuses_to_overwrite(password: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "school.p12"
    assert run(["key", "create", "--out", str(out), "--school", "某某中学"]) == 0
    before = out.read_bytes()
    assert run(["key", "create", "--out", str(out), "--school", "某某中学"]) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert run(["key", "create", "--out", str(out), "--school", "某某中学", "--force"]) == 0
    assert out.read_bytes() != before


def test_info_reads_certificates_without_a_password(school_key: SchoolKey,  # noqa: F811
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["key", "info", str(school_key.cer)]) == 0
    out = capsys.readouterr().out
    assert school_key.fingerprint in out and "（自签名）" in out and "（有效）" in out
    assert "旧版本" not in out  # a key made by this version needs no advice


def test_info_on_a_key_checks_the_password(school_key: SchoolKey, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", "wrong password")
    assert run(["key", "info", str(school_key.p12)]) == 2
    assert "密钥文件密码错误" in capsys.readouterr().err
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", school_key.password)
    assert run(["key", "info", str(school_key.p12)]) == 0
    assert school_key.fingerprint in capsys.readouterr().out


def test_import_and_export_cert(school_key: SchoolKey, password: str, tmp_path: Path,  # noqa: F811
                                capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "imported.p12"
    assert run(["key", "import", str(school_key.p12), "--out", str(dest)]) == 0
    assert dest.read_bytes() == school_key.p12.read_bytes() and (tmp_path / "imported.cer").is_file()
    cer = tmp_path / "exported.cer"
    assert run(["key", "export-cert", str(dest), "--out", str(cer)]) == 0
    assert cer.read_bytes() == school_key.cer.read_bytes()
    assert FINGERPRINT.search(capsys.readouterr().out)


def test_missing_key_file_is_a_clear_error(password: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["key", "info", str(tmp_path / "none.p12")]) == 2
    assert "找不到密钥文件" in capsys.readouterr().err


def test_create_states_the_password_rules_before_asking(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.signing.keys import PASSWORD_RULES_TEXT

    monkeypatch.delenv("SELFCHECK_KEY_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(capsys.readouterr().err)  # what the user saw before typing
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", getpass)
    assert run(["key", "create", "--out", str(tmp_path / "s.p12"), "--school", "某某中学"]) == 0
    assert PASSWORD_RULES_TEXT in asked[0] and "至少 6 个字符" in PASSWORD_RULES_TEXT


def test_info_on_a_legacy_certificate_says_to_make_a_new_key(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from cryptography.hazmat.primitives import serialization

    from tests.verification import forgery

    legacy = forgery.make_certificate("某某中学", ca=True)
    (tmp_path / "old.cer").write_bytes(legacy.cert.public_bytes(serialization.Encoding.DER))
    assert run(["key", "info", str(tmp_path / "old.cer")]) == 0
    out = capsys.readouterr().out
    assert "注意：这个证书由旧版本 SelfCheck 创建" in out and "请尽快创建新的学校密钥" in out
    assert "selfcheck key create" in out and "重新向教育局登记" in out


@pytest.mark.slow
def test_a_100_character_school_from_workbook_to_verified_report(password: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A school name as long as the workbook allows goes on the key whole (CN shortened, O whole); the report
    exported from that workbook with that key signs without a school warning and verifies against the pinned
    certificate."""
    from selfcheck.workbook.demo import build_demo
    from selfcheck.workbook.models import SchoolProfile
    from tests.report.fixtures import LONG_SCHOOL

    workbook = build_demo(tmp_path / "学校.selfcheck", photos=0, school=SchoolProfile(name=LONG_SCHOOL))
    key, cer, report = tmp_path / "school.p12", tmp_path / "school.cer", tmp_path / "报告.pdf"
    assert run(["key", "create", "--out", str(key), "--school", LONG_SCHOOL]) == 0
    created = capsys.readouterr()
    assert created.err == "" and f"O={LONG_SCHOOL}, CN={LONG_SCHOOL[:21]}" in created.out
    assert load_key(key, password).info.school == LONG_SCHOOL

    assert run(["report", "export", "--workbook", str(workbook), "--inspection", "latest", "--key", str(key),
                "--out", str(report)]) == 0
    exported = capsys.readouterr()
    assert exported.err == "" and "已导出报告" in exported.out  # no "密钥证书上的学校……不一致"

    assert run(["verify", str(report), "--trust", str(cer)]) == 0
    verified = capsys.readouterr().out
    assert verified.splitlines()[0] == "通过" and "签名者身份：相符" in verified
    assert LONG_SCHOOL in verified and "不一致" not in verified


@pytest.mark.parametrize("school", ["某" * 101, "Chengguan No.1 Primary School, Eastern Campus and Kindergarten, "
                                               "Chengguan Town, Some County, Some City"])
def test_create_refuses_a_name_longer_than_a_workbook_allows_in_chinese(
        password: str, school: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(school) > 100
    assert run(["key", "create", "--out", str(tmp_path / "s.p12"), "--school", school]) == 2
    err = capsys.readouterr().err
    assert err == f"错误：学校名称过长：最多 100 个字，现在有 {len(school)} 个字。\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_create_with_a_100_character_school(password: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.report.fixtures import LONG_SCHOOL

    assert run(["key", "create", "--out", str(tmp_path / "s.p12"), "--school", LONG_SCHOOL]) == 0
    assert load_key(tmp_path / "s.p12", password).info.school == LONG_SCHOOL
    assert run(["key", "info", str(tmp_path / "s.cer")]) == 0
    assert f"O={LONG_SCHOOL}," in capsys.readouterr().out
