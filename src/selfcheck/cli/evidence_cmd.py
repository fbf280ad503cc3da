"""`selfcheck evidence add`: import photos into a workbook item (each rejected file is reported, the rest imported)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfcheck.cli.actor import add_actor_argument, open_as_actor


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("evidence", help="照片佐证：导入照片到检查项")
    commands = group.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)

    add = commands.add_parser("add", help="把照片导入到某次自查的某个检查项")
    add.add_argument("--workbook", type=Path, required=True, metavar="PATH", help="工作簿文件")
    add.add_argument("--inspection", type=int, required=True, metavar="ID", help="自查编号（见 workbook info）")
    add.add_argument("--item", required=True, metavar="ITEM_ID", help="检查项编号，如 MEAL-03")
    add.add_argument("--caption", default="", help="照片说明（每张照片相同）")
    add_actor_argument(add)
    add.add_argument("files", nargs="+", type=Path, metavar="FILE", help="照片文件（JPEG、PNG、BMP、WebP）")
    add.set_defaults(func=_add)


def _add(args: argparse.Namespace) -> int:
    from selfcheck.errors import EvidenceError
    from selfcheck.paths import data_dir
    from selfcheck.workbook.autobackup import backup_root
    from selfcheck.workbook.health import require_intact

    imported = rejected = 0
    with open_as_actor(args.workbook, args) as wb:
        require_intact(wb, backup_root(data_dir()))  # never write into a damaged file
        wb.inspections.get(args.inspection)
        for file in args.files:
            try:
                photo = wb.photos.add(args.inspection, args.item, file, caption=args.caption)
            except EvidenceError as err:
                rejected += 1
                print(f"错误：{err}", file=sys.stderr)
                continue
            imported += 1
            print(f"已导入 {file.name} → 照片 #{photo.id}（{photo.width}×{photo.height}）")
    print(f"共导入 {imported} 张" + (f"，{rejected} 张未导入。" if rejected else "。"))
    return 1 if rejected else 0
