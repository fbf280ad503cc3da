"""`selfcheck checklists list|validate|schema|template|import-xlsx|import-pack|pack`."""

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

    template = commands.add_parser("template", help="生成区县编写检查清单用的 Excel 模板")
    template.add_argument("file", type=Path, metavar="FILE.xlsx", help="要写出的模板文件")
    template.add_argument("--from", dest="source", metavar="ID或文件",
                          help="用一份已有清单（清单编号或 YAML 文件）填好模板，便于改编")
    template.set_defaults(func=_template)

    importing = commands.add_parser("import-xlsx", help="把填好的 Excel 模板转换为检查清单 YAML 文件")
    importing.add_argument("file", type=Path, metavar="FILE.xlsx", help="填好的清单模板（.xlsx）")
    importing.add_argument("--out", type=Path, required=True, metavar="DIR", help="写出 YAML 文件的文件夹")
    importing.set_defaults(func=_import_xlsx)

    pack = commands.add_parser("pack", help="制作区县清单包（文件夹或 .zip）")
    pack.add_argument("out", type=Path, metavar="OUT", help="清单包文件夹，或以 .zip 结尾的压缩包")
    pack.add_argument("--name", required=True, help="清单包名称，如“某区2026年秋季自查清单包”")
    pack.add_argument("--version", required=True, dest="pack_version", help="清单包版本号，如 2026.1")
    pack.add_argument("--district", help="发布单位，如“某区教育局”")
    pack.add_argument("--set", action="append", default=[], metavar="参数名=取值", help="参数取值（可重复）")
    pack.add_argument("--checklist", dest="checklists", action="append", default=[], type=Path, metavar="YAML",
                      help="放进清单包的检查清单文件（可重复）")
    pack.set_defaults(func=_pack)

    import_pack = commands.add_parser("import-pack", help="导入区县清单包（之后新建的自查使用其清单和参数取值）")
    import_pack.add_argument("source", type=Path, metavar="PACK", help="清单包文件夹或 .zip 文件")
    import_pack.add_argument("--check", action="store_true", help="只校验，不导入")
    import_pack.set_defaults(func=_import_pack)


def _list(args: argparse.Namespace) -> int:
    from selfcheck.checklists.loader import load_checklists
    from selfcheck.checklists.packs import default_installed_root, installed_pack

    pack = installed_pack(default_installed_root())
    checklists = pack.load_checklists(args.extra) if pack else load_checklists(args.extra)
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
        if checklist.applied and checklist.applied.parameters:
            from selfcheck.checklists.parameters import format_value

            values = "，".join(f"{p.name} {format_value(p.value)}{p.unit or ''}" for p in checklist.applied.parameters)
            print(f"  {'':<12} 参数：{values}")
    total = sum(len(c.all_items()) for c in checklists)
    print(f"共 {len(checklists)} 份清单，{total} 个检查项。")
    if pack is not None:
        print(f"已使用区县清单包“{pack.name}”（版本 {pack.version}）的清单和参数取值。")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from selfcheck.checklists.loader import expand_paths, validate_files

    if not expand_paths(args.paths):
        print("错误：没有找到检查清单文件（.yaml 或 .yml）。请检查给出的文件或文件夹路径。", file=sys.stderr)
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
            from selfcheck.oserrors import os_reason

            reason = "所在的文件夹不存在" if isinstance(err, FileNotFoundError) else os_reason(err)
            raise UserError(f"无法写入“{args.out}”：{reason}。") from None
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _template(args: argparse.Namespace) -> int:
    from selfcheck.checklists.loader import load_checklist_template, load_checklist_templates
    from selfcheck.checklists.xlsx_template import write_template

    checklist = None
    if args.source:
        source = Path(args.source)
        if source.suffix.lower() in (".yaml", ".yml") or source.exists():
            checklist = load_checklist_template(source)
        else:
            checklist = next((c for c in load_checklist_templates() if c.id == args.source), None)
            if checklist is None:
                print(f"错误：找不到清单“{args.source}”：请给出内置清单编号或 YAML 文件。", file=sys.stderr)
                return 1
    write_template(args.file, checklist)
    print(f"已写出模板 {args.file}")
    return 0


def _import_xlsx(args: argparse.Namespace) -> int:
    from selfcheck.checklists.xlsx_import import XlsxImportError, import_xlsx

    try:
        target = import_xlsx(args.file, args.out)
    except XlsxImportError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"导入未完成：共 {len(err.problems)} 处问题，未写出任何文件。", file=sys.stderr)
        return 1
    print(f"已写出 {target}（已通过校验）")
    return 0


def _parse_values(pairs: list[str]) -> dict[str, float] | str:
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        try:
            values[name.strip()] = float(raw)
        except ValueError:
            return f"参数取值“{pair}”应写成 参数名=数字。"
        if not sep or not name.strip():
            return f"参数取值“{pair}”应写成 参数名=数字。"
    return values


def _pack(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from selfcheck.checklists.packs import read_pack_folder, write_pack, zip_pack

    from selfcheck.errors import UserError
    from selfcheck.oserrors import os_reason

    values = _parse_values(args.set)
    if isinstance(values, str):
        print(f"错误：{values}", file=sys.stderr)
        return 1
    missing = [str(path) for path in args.checklists if not path.is_file()]
    if missing:
        raise UserError(f"找不到检查清单文件：{'、'.join(missing)}。请检查 --checklist 给出的路径。")
    with tempfile.TemporaryDirectory(prefix="selfcheck-pack-") as tmp:
        folder = write_pack(Path(tmp) / "pack", name=args.name, version=args.pack_version, values=values,
                            district=args.district, checklist_files=args.checklists)
        read_pack_folder(folder)  # raises PackError (a UserError) listing every problem
        try:
            if args.out.suffix.lower() == ".zip":
                zip_pack(folder, args.out)
            else:
                args.out.mkdir(parents=True, exist_ok=True)
                for item in folder.iterdir():
                    shutil.copy2(item, args.out / item.name)
        except OSError as err:
            if args.out.suffix.lower() == ".zip":
                args.out.unlink(missing_ok=True)  # no half-written pack left to hand out
            raise UserError(f"无法写出清单包 {args.out}：{os_reason(err)}。") from None
    print(f"已写出清单包 {args.out}（已通过校验）")
    return 0


def _import_pack(args: argparse.Namespace) -> int:
    from selfcheck.checklists.packs import default_installed_root, import_pack, read_pack

    if args.check:
        pack = read_pack(args.source)
        print(f"清单包“{pack.name}”（版本 {pack.version}）校验通过。")
        return 0
    pack = import_pack(args.source, default_installed_root())
    settings = "、".join(f"{k}={v:g}" for k, v in pack.values.items()) or "无"
    print(f"已导入清单包“{pack.name}”（版本 {pack.version}）：{len(pack.templates)} 份清单，参数取值：{settings}。"
          "之后新建的自查将使用它。")
    return 0
