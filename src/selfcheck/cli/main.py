"""Top-level argument parsing and error handling shared by every command."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Sequence

from selfcheck import APP_TITLE, __version__
from selfcheck.errors import UserError

log = logging.getLogger(__name__)

# Each top-level command's module registers it through `register(subparsers)`. Only the module of the command
# being run is imported: opening the window (no command) then pays for none of them.
COMMANDS = {
    "checklists": "selfcheck.cli.checklists_cmd",
    "workbook": "selfcheck.cli.workbook_cmd",
    "evidence": "selfcheck.cli.evidence_cmd",
    "demo": "selfcheck.cli.demo_cmd",
    "key": "selfcheck.cli.key_cmd",
    "verify": "selfcheck.cli.verify_cmd",
    "report": "selfcheck.cli.report_cmd",
    "district": "selfcheck.cli.district_cmd",
}
COMMAND_MODULES = list(COMMANDS.values())
# Our own top-level options that take a value (so the value is never taken for a command name).
_VALUE_OPTIONS = frozenset({"--workbook", "--smoke-test"})

# Qt's own command-line options (single dash); those in the first set take a value.
QT_VALUE_OPTIONS = frozenset({
    "-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-qwindowgeometry", "-qwindowicon",
    "-qwindowtitle", "-style", "-stylesheet", "-display", "-geometry", "-session", "-qmljsdebugger",
})
QT_FLAG_OPTIONS = frozenset({"-reverse", "-nograb", "-dograb", "-sync", "-widgetcount"})

EXIT_USER_ERROR = 2
EXIT_BUG = 70
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program whose reader went away


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are Chinese and exit with EXIT_USER_ERROR."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from selfcheck.cli.usage_messages import chinese_usage_error

        self.print_usage(sys.stderr)
        print(f"{self.prog}: 参数错误：{chinese_usage_error(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)

    def format_usage(self) -> str:
        from selfcheck.cli.usage_messages import chinese_help

        return chinese_help(super().format_usage())

    def format_help(self) -> str:
        from selfcheck.cli.usage_messages import chinese_help

        return chinese_help(super().format_help())


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser. Without `argv` every command is registered; with it, only the command `argv`
    names, none when it names none (the window opens), and all of them for a help request or an unknown name,
    so the help and the usage error list every command."""
    parser = _Parser(prog="selfcheck", description=f"{APP_TITLE}：不带子命令时打开桌面程序。")
    parser.add_argument("--version", action="version", version=f"selfcheck {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--workbook", metavar="PATH", help="打开指定的工作簿（桌面程序）")
    parser.add_argument("--smoke-test", metavar="DIR", help="安装后自检：在 DIR 中完成一次建簿、作答、导入照片、签名导出和核验")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _modules_for(argv):
        importlib.import_module(name).register(sub)
    return parser


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    if argv is None:
        return COMMAND_MODULES
    args = iter(argv)
    for arg in args:
        if arg in _VALUE_OPTIONS:
            next(args, None)
        elif not arg.startswith("-"):
            return [COMMANDS[arg]] if arg in COMMANDS else COMMAND_MODULES
    return COMMAND_MODULES if any(a in ("-h", "--help") for a in argv) else []


def split_qt_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Separate Qt's options (e.g. `-platform offscreen`) from ours, so a value is never taken for a command."""
    ours: list[str] = []
    qt: list[str] = []
    args = iter(argv)
    for arg in args:
        name = arg.split("=", 1)[0]
        if name in QT_VALUE_OPTIONS:
            qt.append(arg)
            if "=" not in arg:
                value = next(args, None)
                if value is not None:
                    qt.append(value)
        elif arg in QT_FLAG_OPTIONS:
            qt.append(arg)
        else:
            ours.append(arg)
    return ours, qt


def run(argv: Sequence[str]) -> int:
    """Run the command line; returns the process exit code and never lets a traceback reach the user."""
    from selfcheck.logs import log_file, setup_logging

    setup_logging()
    ours, qt_args = split_qt_args(argv)
    parser = build_parser(ours)
    args, unknown = parser.parse_known_args(ours)
    unknown = qt_args + unknown
    if args.command is None and args.smoke_test:
        from selfcheck.gui.smoke import run_gui_smoke

        return run_gui_smoke(args.smoke_test, unknown)
    if args.command is None:
        # Starting the window makes a great many objects and no garbage, so the collector's passes over them only
        # delay the window; run_gui turns it back on once the window takes input.
        gc.disable()
        from selfcheck.gui.app import run_gui  # Qt is imported only for the window

        return run_gui(workbook=args.workbook, qt_args=unknown)
    if unknown and unknown != qt_args:
        parser.error("无法识别的参数：" + " ".join(a for a in unknown if a not in qt_args))
    try:
        return int(args.func(args) or 0)
    except UserError as err:
        print(f"错误：{err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read our output stopped reading (`selfcheck verify X | head`): not a bug. Stop quietly, as other
        # command-line tools do, and keep Python from failing again when it flushes stdout at exit.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception:  # a bug: log it with the traceback, tell the user where
        log.exception("unexpected error in command %r", args.command)
        print(f"程序内部错误，操作未完成。详细信息已写入日志文件：{log_file()}", file=sys.stderr)
        return EXIT_BUG


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout to replace (embedded, closed): nothing will be flushed to it
        pass
