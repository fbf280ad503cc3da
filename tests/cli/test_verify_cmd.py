"""`selfcheck verify`: exit codes, Chinese output, --json and --trust, as a district's script would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from tests.report.fixtures import (  # noqa: F401
    Exported,
    exported,
    other_key,
    sample,
    school_key,
    seal_png,
    session_home,
    signature_png,
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "selfcheck", *args], capture_output=True, text=True, timeout=120)


def test_a_good_report_passes_with_chinese_output(exported: Exported, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert run(["verify", str(exported.path), "--trust", str(exported.key.cer)]) == 0
    out = capsys.readouterr().out
    assert "签名：完好（签名后未被改动）；覆盖整个文件" in out
    assert "信任：受信任" in out
    assert exported.key.fingerprint in out
    assert "某某市第一中学" in out and "结论：通过。" in out


def test_json_output_carries_verdict_and_full_data(exported: Exported, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert run(["verify", str(exported.path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True and payload["trust_checked"] is False
    assert payload["signatures"][0]["trusted"] is None
    assert payload["data"]["schema"] == "selfcheck-report/1"
    from selfcheck.report.data import ReportData

    assert ReportData.model_validate(payload["report_data"]) == exported.data


def test_wrong_trust_anchor_fails(exported: Exported, other_key, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert run(["verify", str(exported.path), "--trust", str(other_key.cer)]) == 1
    out = capsys.readouterr().out
    assert "信任：不受信任" in out and "结论：未通过。" in out


def test_a_changed_byte_or_appended_data_fails_in_a_real_process(exported: Exported, tmp_path: Path) -> None:  # noqa: F811
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


def test_a_folder_of_registered_certificates_is_a_trust_list(exported: Exported, other_key,  # noqa: F811
                                                               tmp_path: Path) -> None:
    (tmp_path / "a.cer").write_bytes(other_key.cer.read_bytes())
    (tmp_path / "b.cer").write_bytes(exported.key.cer.read_bytes())
    assert run(["verify", str(exported.path), "--trust", str(tmp_path)]) == 0
