"""Who is acting, for commands that change a workbook (recorded as 作答人 and in the audit log)."""

from __future__ import annotations

import argparse
import getpass
import os


def add_actor_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actor", metavar="NAME", help="操作人姓名（记入审计日志；默认为当前系统用户）")


def actor_of(args: argparse.Namespace) -> str:
    """--actor, else SELFCHECK_ACTOR, else the system user name, else 命令行."""
    if getattr(args, "actor", None):
        return str(args.actor)
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = ""
    return os.environ.get("SELFCHECK_ACTOR") or user or "命令行"
