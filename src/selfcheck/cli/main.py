"""Top-level argument parsing and error handling shared by every command."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from selfcheck import APP_TITLE, __version__
from selfcheck.errors import UserError

log = logging.getLogger(__name__)

# Each module registers its sub-commands through `register(subparsers)`.
COMMAND_MODULES = [
    "selfcheck.cli.checklists_cmd",
    "selfcheck.cli.workbook_cmd",
    "selfcheck.cli.evidence_cmd",
    "selfcheck.cli.demo_cmd",
    "selfcheck.cli.key_cmd",
    "selfcheck.cli.verify_cmd",
    "selfcheck.cli.report_cmd",
]

# Qt's own command-line options (single dash); those in the first set take a value.
QT_VALUE_OPTIONS = frozenset({
    "-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-qwindowgeometry", "-qwindowicon",
    "-qwindowtitle", "-style", "-stylesheet", "-display", "-geometry", "-session", "-qmljsdebugger",
})
QT_FLAG_OPTIONS = frozenset({"-reverse", "-nograb", "-dograb", "-sync", "-widgetcount"})

EXIT_USER_ERROR = 2
EXIT_BUG = 70


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are Chinese and exit with EXIT_USER_ERROR."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 参数错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="selfcheck", description=f"{APP_TITLE}：不带子命令时打开桌面程序。")
    parser.add_argument("--version", action="version", version=f"selfcheck {__version__}")
    parser.add_argument("--workbook", metavar="PATH", help="打开指定的工作簿（桌面程序）")
    parser.add_argument("--smoke-test", metavar="DIR", help="安装后自检：在 DIR 中完成一次建簿、作答、导入照片、签名导出和核验")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


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
    parser = build_parser()
    ours, qt_args = split_qt_args(argv)
    args, unknown = parser.parse_known_args(ours)
    unknown = qt_args + unknown
    if args.command is None and args.smoke_test:
        from selfcheck.gui.smoke import run_gui_smoke

        return run_gui_smoke(args.smoke_test, unknown)
    if args.command is None:
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
    except Exception:  # a bug: log it with the traceback, tell the user where
        log.exception("unexpected error in command %r", args.command)
        print(f"程序内部错误，操作未完成。详细信息已写入日志文件：{log_file()}", file=sys.stderr)
        return EXIT_BUG
