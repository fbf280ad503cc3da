"""`selfcheck workbook info|verify-audit|backup|restore`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("workbook", help="工作簿：查看、校验审计日志、备份、恢复")
    commands = group.add_subparsers(dest="workbook_command", metavar="ACTION", required=True)

    info = commands.add_parser("info", help="显示工作簿概况（只读）")
    info.add_argument("path", type=Path, metavar="PATH", help="工作簿文件")
    info.add_argument("--json", action="store_true", help="以 JSON 输出")
    info.set_defaults(func=_info)

    verify = commands.add_parser("verify-audit", help="校验审计日志哈希链及其与当前数据是否一致（只读）")
    verify.add_argument("path", type=Path, metavar="PATH", help="工作簿文件")
    verify.set_defaults(func=_verify)

    backup = commands.add_parser("backup", help="备份工作簿（可在程序打开工作簿时进行）")
    backup.add_argument("path", type=Path, metavar="PATH", help="工作簿文件")
    backup.add_argument("dest", type=Path, metavar="DEST", help="备份文件，或存放备份的文件夹")
    backup.add_argument("--force", action="store_true", help="覆盖已存在的备份文件")
    backup.set_defaults(func=_backup)

    restore = commands.add_parser("restore", help="用备份恢复工作簿（先校验备份；被替换的工作簿会保留一份）")
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="备份文件")
    restore.add_argument("path", type=Path, metavar="PATH", help="要恢复到的工作簿文件")
    restore.set_defaults(func=_restore)


def _info(args: argparse.Namespace) -> int:
    from selfcheck.workbook.service import Workbook

    with Workbook.open(args.path, actor="", read_only=True) as wb:
        info = wb.info()
        inspections = wb.inspections.all(include_archived=True)
    if args.json:
        data = {
            "path": info.path,
            "schema_version": info.schema_version,
            "workbook_id": info.workbook_id,
            "created_at": info.created_at.isoformat(),
            "school": info.school.model_dump() if info.school else None,
            "inspections": [i.model_dump(mode="json") for i in inspections],
            "answers": info.answers,
            "photos": info.photos,
            "removed_photos": info.removed_photos,
            "problems": info.problems,
            "open_problems": info.open_problems,
            "audit_entries": info.audit_entries,
            "audit_head": info.audit_head,
            "file_size": info.file_size,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    school = info.school.name if info.school else "（尚未填写学校信息）"
    print(f"工作簿：{info.path}")
    print(f"学校：{school}")
    print(f"格式版本：{info.schema_version}    文件大小：{info.file_size / 1024 / 1024:.1f} MB")
    print(f"自查 {info.inspections} 次，答案 {info.answers} 条，照片 {info.photos} 张"
          f"（另有已删除 {info.removed_photos} 张），问题 {info.problems} 个（未销号 {info.open_problems} 个）")
    print(f"审计日志 {info.audit_entries} 条，末条哈希 {info.audit_head[:16]}…")
    for item in inspections:
        archived = "（已归档）" if item.archived else ""
        print(f"  #{item.id} {item.title}{archived}  {item.period_start}～{item.period_end}  "
              f"{'已完成' if item.answered == item.total else '未完成'}：已完成 {item.answered}/{item.total}，不合规 {item.noncompliant}，未销号问题 {item.open_problems}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from selfcheck.workbook.service import Workbook

    with Workbook.open(args.path, actor="", read_only=True) as wb:
        report = wb.audit.verify()
    if report.ok:
        print(report.message)
        print(f"末条哈希：{report.head}")
        return 0
    print(report.message, file=sys.stderr)
    if report.first_bad is not None:
        print(f"第一条有问题的日志：第 {report.first_bad} 条", file=sys.stderr)
    if report.bad_row is not None:
        print(f"与日志不符的数据：{report.bad_row}", file=sys.stderr)
    for problem in report.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def _backup(args: argparse.Namespace) -> int:
    from selfcheck.workbook.service import Workbook

    with Workbook.open(args.path, actor="", read_only=True) as wb:
        dest = wb.backup(args.dest, overwrite=args.force)
    print(f"已备份到 {dest}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from selfcheck.workbook.service import Workbook

    Workbook.restore(args.backup, args.path)
    print(f"已用备份“{args.backup}”恢复工作簿 {args.path}")
    return 0
