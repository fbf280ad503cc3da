"""`selfcheck demo PATH [--photos N]`: create a filled-in demo workbook to look around in."""

from __future__ import annotations

import argparse
from pathlib import Path

MAX_DEMO_PHOTOS = 5000


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="生成一个填写好的示例工作簿（学校、自查、整改台账、照片）")
    demo.add_argument("path", type=Path, metavar="PATH", help="要创建的工作簿文件（不能已存在）")
    demo.add_argument("--photos", type=int, default=12, metavar="N", help="生成的示例照片数（默认 12）")
    demo.add_argument("--school", metavar="NAME", help="示例学校的名称（默认“示例市第一实验中学”）")
    demo.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    from selfcheck.errors import UserError
    from selfcheck.workbook.demo import build_demo

    if not 0 <= args.photos <= MAX_DEMO_PHOTOS:
        raise UserError(f"--photos 应在 0 到 {MAX_DEMO_PHOTOS} 之间。")
    school = None
    if args.school is not None:
        from pydantic import ValidationError

        from selfcheck.workbook.demo import SCHOOL

        try:
            school = SCHOOL.model_validate({**SCHOOL.model_dump(), "name": args.school})
        except ValidationError:
            raise UserError("--school 应为 1 到 100 个字的学校名称。") from None
    build_demo(args.path, photos=args.photos, progress=print, school=school)
    print(f"示例工作簿已生成：{args.path}")
    return 0
