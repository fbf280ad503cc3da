"""`selfcheck verify`: exit codes, Chinese output, --json and --trust, as a district's script would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from tests.report.fixtures import Exported


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "selfcheck", *args], capture_output=True, text=True, timeout=120)


def test_a_good_report_passes_with_chinese_output(exported: Exported, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", str(exported.path), "--trust", str(exported.key.cer)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "通过"
    assert "签名：完好（签名后未被改动）；覆盖整个文件；认证签名，签名后不允许任何修改" in out
    assert "签名者身份：相符（与登记的证书指纹一致，学校一致）" in out
    assert exported.key.fingerprint in out
    assert "某某市第一中学" in out
    assert "不一致" not in out and "原因" not in out


def test_without_trust_the_verdict_never_says_passed(exported: Exported,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", str(exported.path)]) == 3
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "签名完好，但未核对签名者身份"
    assert "通过" not in out and "签名者身份：未核对" in out and "--trust" in out


def test_every_time_is_shown_in_the_readers_zone_with_its_offset(exported: Exported) -> None:
    import os

    env = {**os.environ, "TZ": "Asia/Shanghai"}
    done = subprocess.run([sys.executable, "-m", "selfcheck", "verify", str(exported.path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stdout + done.stderr
    from zoneinfo import ZoneInfo

    generated = exported.data.generated_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"生成于 {generated:%Y-%m-%d %H:%M:%S} +08:00" in done.stdout
    signed = [line for line in done.stdout.splitlines() if line.startswith("签名时间：")]
    assert len(signed) == 1 and signed[0].endswith(" +08:00")


def test_json_output_carries_verdict_and_full_data(exported: Exported, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", str(exported.path), "--json"]) == 3
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["identity_checked"] is False and payload["intact"] is True
    assert payload["exit_code"] == 3 and payload["failure_kinds"] == [] and payload["problems"] == []
    assert payload["signer_fingerprint"] == exported.key.fingerprint.replace(":", "").lower()
    assert run(["verify", str(exported.path), "--json", "--trust", str(exported.key.cer)]) == 0
    trusted = json.loads(capsys.readouterr().out)
    assert trusted["ok"] is True and trusted["identity_checked"] is True
    assert payload["data"]["schema"] == "selfcheck-report/1"
    from selfcheck.report.data import ReportData

    assert ReportData.model_validate(payload["report_data"]) == exported.data


def test_wrong_trust_anchor_fails(exported: Exported, other_key, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", str(exported.path), "--trust", str(other_key.cer)]) == 1
    out = capsys.readouterr().out
    reason = "  - 签名证书不在已登记（受信任）的证书中：无法确认签名者是报送学校。"
    assert out.splitlines()[:3] == ["未通过", "原因：", reason]
    assert "签名者身份：不相符" in out


def test_a_changed_byte_or_appended_data_fails_in_a_real_process(exported: Exported, tmp_path: Path) -> None:
    raw = exported.path.read_bytes()
    flipped = tmp_path / "flipped.pdf"
    middle = len(raw) // 3
    flipped.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0x01]) + raw[middle + 1:])
    result = cli("verify", str(flipped))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "已被改动或损坏" in result.stdout and "Traceback" not in result.stderr
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(raw + b"\n% later edit\n")
    result = cli("verify", str(appended))
    assert result.returncode == 1 and "没有覆盖整个文件" in result.stdout
    assert result.stdout.startswith("未通过\n")


def test_missing_file_is_exit_two(tmp_path: Path) -> None:
    result = cli("verify", str(tmp_path / "none.pdf"))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：找不到报告文件")


def test_a_folder_of_registered_certificates_is_a_trust_list(exported: Exported, other_key,
                                                               tmp_path: Path) -> None:
    (tmp_path / "a.cer").write_bytes(other_key.cer.read_bytes())
    (tmp_path / "b.cer").write_bytes(exported.key.cer.read_bytes())
    assert run(["verify", str(exported.path), "--trust", str(tmp_path)]) == 0


def test_a_report_signed_with_another_schools_key_fails(
        other_key, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.report.export import export_report
    from tests.report.factory import make_sample

    small = make_sample(photos=0)  # 某某市第一中学's data, signed with 另一所中学's key
    out = tmp_path / "报告.pdf"
    export_report(small.data, small.photo_loader, out, key_path=other_key.p12, password=other_key.password)
    assert run(["verify", str(out)]) == 1  # even without --trust: the certificate names another school
    printed = capsys.readouterr().out
    reason = "  - 报告中的学校“某某市第一中学”与签名证书上的单位“另一所中学”不一致"
    assert printed.splitlines()[0] == "未通过" and printed.splitlines()[2].startswith(reason)

    assert run(["verify", str(out), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["failure_kinds"] == ["other_school"]
    assert payload["signatures"][0]["signer_names"] == ["另一所中学"]
