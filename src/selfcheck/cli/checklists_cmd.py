"""`selfcheck checklists list|validate|schema`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path



def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("checklists", help="检查清单：列出、校验、导出 JSON Schema")
    commands = group.add_subparsers(dest="checklists_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="列出已加载的检查清单")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.add_argument("--extra", action="append", type=Path, default=[], metavar="DIR",
                         help="同时加载此文件夹中的检查清单（可重复）")
    listing.set_defaults(func=_list)

    validate = commands.add_parser("validate", help="校验检查清单文件（报告全部错误及行号）")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="YAML 文件或文件夹")
    validate.set_defaults(func=_validate)

    schema = commands.add_parser("schema", help="输出检查清单文件的 JSON Schema（供编辑器补全）")
    schema.add_argument("--out", type=Path, help="写入此文件（默认输出到屏幕）")
    schema.set_defaults(func=_schema)


def _list(args: argparse.Namespace) -> int:
    from selfcheck.checklists.loader import load_checklists

    checklists = load_checklists(args.extra)
    if args.json:
        rows = [
            {
                "id": c.id,
                "version": c.version,
                "title": c.title,
                "area": c.area.value,
                "items": len(c.all_items()),
                "item_ids": [item.id for item in c.all_items()],
            }
            for c in checklists
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from selfcheck.checklists.models import AREA_TITLES

    current_area = None
    for checklist in checklists:
        if checklist.area.value != current_area:
            current_area = checklist.area.value
            print(AREA_TITLES[current_area])
        print(f"  {checklist.id:<12} {checklist.title}（版本 {checklist.version}，{len(checklist.all_items())} 项）")
    total = sum(len(c.all_items()) for c in checklists)
    print(f"共 {len(checklists)} 份清单，{total} 个检查项。")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from selfcheck.checklists.loader import expand_paths, validate_files

    if not expand_paths(args.paths):
        print("没有找到检查清单文件（.yaml 或 .yml）。", file=sys.stderr)
        return 1
    problems = validate_files(args.paths)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        files = len({p.file for p in problems})
        print(f"校验未通过：{files} 个文件共 {len(problems)} 处错误。", file=sys.stderr)
        return 1
    print(f"校验通过：{len(expand_paths(args.paths))} 个文件。")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from selfcheck.checklists.models import checklist_json_schema

    text = json.dumps(checklist_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        from selfcheck.errors import UserError

        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as err:
            reason = ("所在的文件夹不存在" if isinstance(err, FileNotFoundError) else
                      "没有写入权限" if isinstance(err, PermissionError) else "磁盘或文件夹无法写入")
            raise UserError(f"无法写入“{args.out}”：{reason}。请确认文件夹存在且可以写入。") from None
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return 0
