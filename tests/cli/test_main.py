"""The top-level command line: help lists every command, the window's path loads none of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.cli.main import COMMANDS, build_parser
from tests.fresh_python import fresh_python_output


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "selfcheck", *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_command() -> None:
    result = cli("--help")
    assert result.returncode == 0, result.stderr
    for name in COMMANDS:
        assert name in result.stdout


def test_a_command_s_own_help_works() -> None:
    result = cli("report", "export", "--help")
    assert result.returncode == 0, result.stderr
    assert "--inspection" in result.stdout


def test_an_unknown_command_is_a_chinese_usage_error_listing_the_commands() -> None:
    result = cli("reprot")
    assert result.returncode == 2
    assert result.stderr.endswith(f"selfcheck: 参数错误：参数 COMMAND 的值“reprot”无效，可选：{'、'.join(COMMANDS)}。\n")


@pytest.mark.parametrize(("argv", "command"), [
    (["checklists", "list"], "checklists"),
    (["--workbook", "a.selfcheck", "verify", "x.pdf"], "verify"),
])
def test_the_named_command_is_registered(argv: list[str], command: str) -> None:
    args, _ = build_parser(argv).parse_known_args(argv)
    assert args.command == command


def test_a_workbook_path_named_like_a_command_is_not_taken_for_one() -> None:
    args, unknown = build_parser(["--workbook", "report"]).parse_known_args(["--workbook", "report"])
    assert (args.command, args.workbook, unknown) == (None, "report", [])


def test_opening_the_window_loads_no_command_and_no_heavy_library() -> None:
    """`selfcheck --workbook PATH` parses its arguments without importing the command modules or pydantic."""
    code = (
        "import sys\n"
        "from selfcheck.cli.main import build_parser, split_qt_args\n"
        "ours, qt = split_qt_args(['--workbook', 'x.selfcheck', '-platform', 'offscreen'])\n"
        "args, _ = build_parser(ours).parse_known_args(ours)\n"
        "assert args.command is None and args.workbook == 'x.selfcheck'\n"
        "heavy = ('reportlab', 'pyhanko', 'PIL', 'openpyxl', 'cryptography', 'yaml', 'pydantic', 'sqlite_utils',\n"
        "         'importlib.metadata')\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "loaded += [m for m in sys.modules if m.startswith('selfcheck.cli.') and m.endswith('_cmd')]\n"
        "print(','.join(sorted(loaded)))\n"
    )
    assert fresh_python_output(code) == ""


def test_a_reader_that_stops_reading_is_not_an_internal_error(tmp_path: Path) -> None:
    """`selfcheck checklists list | head -1`: the pipe closes early; the command stops quietly (exit 141, as a shell
    reports SIGPIPE) instead of printing 程序内部错误 and a log path."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is already gone: the first write fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "selfcheck", "checklists", "list", "--json"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "SELFCHECK_HOME": str(tmp_path)})
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == ""
