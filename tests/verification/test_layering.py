"""Verification sits above report and signing: neither of them imports it (issue 15's cycle stays broken)."""

from __future__ import annotations

import pkgutil

import selfcheck.report
import selfcheck.signing
from tests.fresh_python import fresh_python_output


def test_report_and_signing_never_import_verification() -> None:
    modules = [info.name for package in (selfcheck.report, selfcheck.signing)
               for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")]
    assert "selfcheck.report.export" in modules and "selfcheck.signing.sign" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('selfcheck.verification'))))\n"
    )
    assert fresh_python_output(code) == ""


def test_no_function_in_report_or_signing_imports_verification_lazily() -> None:
    from pathlib import Path

    for package in (selfcheck.report, selfcheck.signing):
        for path in Path(package.__path__[0]).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "from selfcheck.verification" not in text and "import selfcheck.verification" not in text, path
