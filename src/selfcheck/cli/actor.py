"""Who is acting, for commands that change a workbook: a person (recorded as 作答人, 上传人 and in the audit log).

--actor NAME, else the SELFCHECK_ACTOR environment variable, else the 填报人 of the workbook's school profile;
never the computer's login name (root, Administrator), which says nothing about who filled in the inspection.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfcheck.workbook.service import Workbook


def add_actor_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actor", metavar="NAME",
                        help="操作人姓名（记入作答记录和审计日志；默认为学校信息中的填报人）")


def actor_of(args: argparse.Namespace) -> str:
    """--actor, else SELFCHECK_ACTOR, else "" (the workbook's 填报人 is used then: see open_as_actor)."""
    given = getattr(args, "actor", None) or os.environ.get("SELFCHECK_ACTOR") or ""
    return " ".join(str(given).split())


def open_as_actor(path: Path, args: argparse.Namespace) -> Workbook:
    """Open the workbook for writing as the person named by --actor / SELFCHECK_ACTOR, else its 填报人."""
    from selfcheck.workbook.people import default_actor
    from selfcheck.workbook.service import Workbook

    named = actor_of(args)
    workbook = Workbook.open(path, actor=named or default_actor(None))
    if not named:
        school = workbook.get_school()
        workbook.set_actor(default_actor(school.preparer if school else None))
    return workbook
