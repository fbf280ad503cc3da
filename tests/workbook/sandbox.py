"""Run a Python snippet where the file system misbehaves: a read-only bind mount, a tiny tmpfs, or without root's
right to ignore file permissions. Needs root (a private mount namespace via `unshare -m`); skips otherwise."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def require_root_tools(*tools: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (private mount namespace / dropping capabilities)")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


def _python(code: str, *args: str) -> str:
    script = textwrap.dedent(code)
    return " ".join(shlex.quote(part) for part in (sys.executable, "-c", script, *args))


def _run(command: list[str], timeout: int = 120) -> dict:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def in_namespace(setup: str, code: str, *args: str, timeout: int = 120) -> dict:
    """Run `setup` (shell, e.g. mounts) then `code` in a private mount namespace; `code` prints one JSON line."""
    require_root_tools("unshare", "mount")
    return _run(["unshare", "-m", "sh", "-ec", f"{setup}\nexec {_python(code, *args)}"], timeout)


def read_only_bind(folder: Path) -> str:
    """Shell lines that make `folder` a read-only mount (only inside the namespace)."""
    q = shlex.quote(str(folder))
    return f"mount --bind {q} {q}\nmount -o remount,bind,ro {q}"


def without_root_rights(code: str, *args: str, timeout: int = 120) -> dict:
    """Run `code` as root but with every capability dropped, so file permissions apply as to an ordinary user."""
    require_root_tools("setpriv")
    command = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", "sh", "-c", _python(code, *args)]
    return _run(command, timeout)
