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
    assert "签名：完好（签名后未被改动）；覆盖整个文件" in out
    assert "信任：受信任" in out
    assert exported.key.fingerprint in out
    assert "某某市第一中学" in out and "结论：通过。" in out
    assert "不一致" not in out  # the school's own key: no school warning


def test_json_output_carries_verdict_and_full_data(exported: Exported, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", str(exported.path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True and payload["trust_checked"] is False
    assert payload["signatures"][0]["trusted"] is None
    assert payload["data"]["schema"] == "selfcheck-report/1"
    from selfcheck.report.data import ReportData

    assert ReportData.model_validate(payload["report_data"]) == exported.data


def test_wrong_trust_anchor_fails(exported: Exported, other_key, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", str(exported.path), "--trust", str(other_key.cer)]) == 1
    out = capsys.readouterr().out
    assert "信任：不受信任" in out and "结论：未通过。" in out


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


def test_missing_file_is_exit_two(tmp_path: Path) -> None:
    result = cli("verify", str(tmp_path / "none.pdf"))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：找不到报告文件")


def test_a_folder_of_registered_certificates_is_a_trust_list(exported: Exported, other_key,
                                                               tmp_path: Path) -> None:
    (tmp_path / "a.cer").write_bytes(other_key.cer.read_bytes())
    (tmp_path / "b.cer").write_bytes(exported.key.cer.read_bytes())
    assert run(["verify", str(exported.path), "--trust", str(tmp_path)]) == 0


def test_a_report_signed_with_another_schools_key_passes_with_a_warning(
        other_key, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.report.export import export_report
    from tests.report.factory import make_sample

    small = make_sample(photos=0)  # 某某市第一中学's data, signed with 另一所中学's key
    out = tmp_path / "报告.pdf"
    export_report(small.data, small.photo_loader, out, key_path=other_key.p12, password=other_key.password)
    assert run(["verify", str(out)]) == 0  # the signature itself is fine: a warning, not a failure
    printed = capsys.readouterr().out
    warning = "注意：报告中的学校“某某市第一中学”与签名证书上的单位“另一所中学”不一致"
    assert warning in printed and "结论：通过。" in printed
    assert printed.index(warning) < printed.index("结论：")

    assert run(["verify", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True
    assert any("另一所中学" in w and "某某市第一中学" in w for w in payload["warnings"])
    assert payload["signatures"][0]["signer_names"] == ["另一所中学"]
