"""Run a `selfcheck` command in this process, with the result shaped like subprocess.run's.

Each command keeps one test that starts a real process (the entry point, exit code and streams as a script sees
them); the rest run in-process, which costs milliseconds instead of an interpreter start and imports.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

from selfcheck.cli.main import run


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [str(arg) for arg in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run(argv)
        except SystemExit as exit_:  # argparse's usage errors and --help
            code = exit_.code if isinstance(exit_.code, int) else 0
    return subprocess.CompletedProcess(["selfcheck", *argv], code, out.getvalue(), err.getvalue())
