"""Shared set-up of the district-desk message cases: a workspace with a roster and a campaign, roster files, the
command line run in-process. (Not a cases module: its name does not start with cases_.)"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from tests.messages.support import Env

ROSTER = [["学校代码", "学校名称", "学段", "学区/片区", "联系人", "联系电话"],
          ["001", "某某市第一中学", "初中", "城东学区", "张老师", "0571-1234567"],
          ["002", "某某市实验小学", "小学", "城西学区", "李老师", "0571-7654321"],
          ["003", "某某市第三幼儿园", "幼儿园", "城东学区", "王老师", ""]]
STICK_REMOVED = "读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道"
WRITE_PROTECTED = "没有写入这个文件夹的权限，或U盘处于写保护状态"
NOT_ON_ROSTER = "不在名册中。仍要登记吗？登记后，该证书签署的报告会因学校不在名册中而被拒收，直到把学校加入名册。"


def path_of(env: Env) -> Path:
    return env.tmp / "示例区.district"


def _made(env: Env, *, roster: bool = True, campaigns: bool = True) -> Path:
    """A closed workspace with the three schools of ROSTER and a campaign."""
    from selfcheck.district.workspace import DistrictWorkspace

    path = path_of(env)
    with DistrictWorkspace.create(path, "示例区教育局") as ws:
        if roster:
            ws.roster.import_file(_csv(env, ROSTER))
        if campaigns:
            ws.campaigns.create("2026年秋季“1+3+N”专项自查", date(2026, 9, 1), date(2026, 12, 31))
    return path


def _ws(env: Env, *, read_only: bool = False, roster: bool = True, campaigns: bool = True) -> Any:
    from selfcheck.district.workspace import DistrictWorkspace

    path = path_of(env) if path_of(env).exists() else _made(env, roster=roster, campaigns=campaigns)
    ws = DistrictWorkspace.open(path, read_only=read_only)
    env.opened.append(ws)
    return ws


def _open(env: Env, path: Path, *, read_only: bool = False) -> None:
    from selfcheck.district.workspace import DistrictWorkspace

    env.opened.append(DistrictWorkspace.open(path, read_only=read_only))


def _create(env: Env, path: Path, name: str = "示例区教育局") -> None:
    from selfcheck.district.workspace import DistrictWorkspace

    env.opened.append(DistrictWorkspace.create(path, name))


def _csv(env: Env, rows: list[list[str]], name: str = "名册.csv", encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = env.tmp / name
    path.write_text(buffer.getvalue(), encoding=encoding)
    return path


def _xlsx(env: Env, rows: list[list[Any]], name: str = "名册.xlsx") -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("学校名册")
    for row in rows:
        sheet.append(row)
    path = env.tmp / name
    book.save(path)
    return path


def _cli(*argv: str | Path) -> None:
    """Run a command as `selfcheck` would, but let its UserError through (the CLI prints it as 错误：…)."""
    from selfcheck.cli.main import build_parser

    args = [str(a) for a in argv]
    parsed = build_parser(args).parse_args(args)
    parsed.func(parsed)


def _school(code: str = "004", name: str = "某某市第四中学", **more: str) -> Any:
    from selfcheck.district.models import School

    return School(code=code, name=name, **more)
