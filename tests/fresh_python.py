"""Run test code in a fresh interpreter, for what a process imports or loads before anything else does."""

from __future__ import annotations

import subprocess
import sys


def fresh_python_output(code: str, *, timeout: float = 120) -> str:
    """Run `code` with this interpreter in a new process; return its stripped stdout, failing on a non-zero exit."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
