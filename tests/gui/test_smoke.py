"""`selfcheck --smoke-test DIR`, the installed app's self-check, run through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_smoke_test_passes_and_records_its_result(tmp_path: Path) -> None:
    # As the installer's smoke script runs it: Qt's platform on the command line, not in the environment.
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["SELFCHECK_HOME"] = str(tmp_path / "home")
    result = subprocess.run([sys.executable, "-m", "selfcheck", "--smoke-test", str(tmp_path / "smoke"),
                             "-platform", "offscreen"], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr + (tmp_path / "smoke" / "smoke.log").read_text(encoding="utf-8")
    facts = json.loads((tmp_path / "smoke" / "smoke-result.json").read_text(encoding="utf-8"))
    assert facts["ok"] is True and facts["checklists"] >= 9 and facts["pages"] >= 1
    assert (tmp_path / "smoke" / "report.pdf").stat().st_size > 10_000
    log = (tmp_path / "smoke" / "smoke.log").read_text(encoding="utf-8")
    assert "窗口已打开工作簿" in log and "报告核验通过" in log
    assert "图表组件可用（QtCharts" in log  # the installed program carries QtCharts
    # the verify step of packaging/smoke_windows.sh: the school's certificate given, exit 0 and 通过 first
    from selfcheck.cli.main import run

    smoke = tmp_path / "smoke"
    assert run(["verify", str(smoke / "report.pdf"), "--trust", str(smoke / "school.cer")]) == 0


def test_smoke_test_failure_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SELFCHECK_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "selfcheck", "--smoke-test", str(blocker / "sub")],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
