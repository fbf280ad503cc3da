"""The Windows smoke script verifies the smoke test's report as a district would: with the school's certificate
(exit 0, 通过 first) and without it (exit 3, never 通过)."""

from __future__ import annotations

import re
from pathlib import Path

SMOKE = (Path(__file__).resolve().parents[2] / "packaging" / "smoke_windows.sh").read_text(encoding="utf-8")


def test_the_smoke_script_verifies_with_the_trusted_certificate_and_expects_exit_0() -> None:
    assert re.search(r'selfcheck-cli\.exe verify "\$report" --trust "\$cer"', SMOKE)
    assert 'test "$rc" = 0' in SMOKE and 'test "$first" = "通过"' in SMOKE
    assert 'test "$rc" = 3' in SMOKE and 'test "$first" = "签名完好，但未核对签名者身份"' in SMOKE
    assert 'verify_run "$SMOKE_ROOT/smoke-selfcheck-cli"' in SMOKE


def test_the_files_it_verifies_are_the_ones_the_smoke_test_writes() -> None:
    from selfcheck import smoke

    source = Path(smoke.__file__).read_text(encoding="utf-8")
    assert '"report.pdf"' in source and '"school.p12"' in source  # the .cer is written beside the .p12
    assert '"$dir_unix/report.pdf"' in SMOKE and '"$dir_unix/school.cer"' in SMOKE
