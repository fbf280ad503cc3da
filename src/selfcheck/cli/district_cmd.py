"""`selfcheck district create|roster|register|revoke|campaign|campaign-edit|tiers|receive|summary|demo`: the district desk, headless."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from selfcheck.errors import UserError

EXIT_OK = 0
EXIT_REJECTED = 1
_WORKSPACE = "区县工作区文件（.district）"


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("district", help="区县汇总核验：名册、证书登记、接收报告、汇总导出")
    commands = group.add_subparsers(dest="district_command", metavar="ACTION", required=True)

    create = commands.add_parser("create", help="创建区县工作区")
    create.add_argument("path", type=Path, metavar="PATH", help="区县工作区文件（如 示例区.district，不能已存在）")
    create.add_argument("--name", required=True, metavar="NAME", help="区县教育局名称，如 示例区教育局")
    create.set_defaults(func=_create)

    roster = commands.add_parser("roster", help="从 .xlsx 或 .csv 导入（或更新）学校名册",
                                 description="表头须有 学校代码、学校名称，可选 学段、学区/片区、联系人、联系电话。"
                                             "有任何一行有误时列出所有问题，不导入任何学校。")
    roster.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    roster.add_argument("file", type=Path, metavar="FILE.xlsx|FILE.csv", help="学校名册（Excel 或 CSV）")
    roster.set_defaults(func=_roster)

    reg = commands.add_parser("register", help="登记学校交来的证书（.cer）",
                              description="证书的学校不在名册中、或学校已有有效证书时，会先询问；"
                                          "不在终端中运行时拒绝，可加 --yes 确认。")
    reg.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    reg.add_argument("cert", type=Path, metavar="CERT.cer", help="学校交来的证书文件")
    reg.add_argument("--school", metavar="NAME", help="名册中的学校名称（默认取证书上的学校名称）")
    reg.add_argument("--code", metavar="CODE", help="名册中的学校代码")
    reg.add_argument("--yes", action="store_true", help="对“不在名册中/已有有效证书/名称不一致”的询问一律回答“是”")
    reg.set_defaults(func=_register)

    revoke = commands.add_parser("revoke", help="吊销已登记的证书（吊销前签署的报告仍然有效）")
    revoke.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    revoke.add_argument("fingerprint", metavar="FINGERPRINT", help="证书的 SHA-256 指纹")
    revoke.add_argument("--reason", default="", metavar="TEXT", help="吊销原因，如 密钥丢失、经办人调离")
    revoke.set_defaults(func=_revoke)

    campaign = commands.add_parser("campaign", help="新建一次专项（名称、自查时段、要求的清单、报送截止日期）")
    campaign.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    campaign.add_argument("--title", required=True, metavar="TEXT", help="专项名称，如 2026年秋季学期专项自查")
    campaign.add_argument("--start", required=True, type=_date, metavar="YYYY-MM-DD", help="自查期开始日期")
    campaign.add_argument("--end", required=True, type=_date, metavar="YYYY-MM-DD", help="自查期结束日期")
    campaign.add_argument("--deadline", type=_date, metavar="YYYY-MM-DD", help="报送截止日期（当天 24 时前签署的不算逾期）")
    campaign.add_argument("--checklists", default="", metavar="ID[@VERSION],…", help="要求的清单，如 meals,ethics@2026.1")
    campaign.set_defaults(func=_campaign)

    edit = commands.add_parser("campaign-edit", help="修改已有专项的名称、报送截止日期或自查时段（未给出的项保持不变）",
                                description="名称和报送截止日期随时可改（逾期按新的截止日期计算）；"
                                            "自查时段只能在该专项还没有接收报告时修改。")
    edit.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    edit.add_argument("--campaign", type=int, metavar="ID", help="要修改的专项编号（默认当前专项）")
    edit.add_argument("--title", metavar="TEXT", help="新的专项名称")
    edit.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help="新的自查期开始日期")
    edit.add_argument("--end", type=_date, metavar="YYYY-MM-DD", help="新的自查期结束日期")
    deadline = edit.add_mutually_exclusive_group()
    deadline.add_argument("--deadline", type=_date, metavar="YYYY-MM-DD", help="新的报送截止日期（当天 24 时前签署的不算逾期）")
    deadline.add_argument("--no-deadline", action="store_true", help="取消报送截止日期（不再计算逾期）")
    edit.set_defaults(func=_campaign_edit)

    tiers = commands.add_parser("tiers", help="查看或设定三级梯队（示范、规范、达标）的总得分率下限",
                                description="不给出下限时显示当前设定；给出时须三项都给，且从高到低。默认 95、85、70。")
    tiers.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    tiers.add_argument("--demo", type=float, metavar="PERCENT", help="“示范”的总得分率下限（%，含）")
    tiers.add_argument("--standard", type=float, metavar="PERCENT", help="“规范”的总得分率下限（%，含）")
    tiers.add_argument("--pass", dest="passing", type=float, metavar="PERCENT", help="“达标”的总得分率下限（%，含）")
    tiers.set_defaults(func=_tiers)

    receive = commands.add_parser("receive", help="接收并核验学校报告（文件、文件夹或 .zip）",
                                  description="每个文件输出一行结论。退出码：0 = 全部接收（或重复）；1 = 有文件被拒收；"
                                              "2 = 参数错误或工作区无法打开。")
    receive.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    receive.add_argument("reports", type=Path, nargs="+", metavar="REPORT_OR_FOLDER_OR_ZIP",
                         help="学校报告：PDF 文件、存放报告的文件夹或 .zip 压缩包，可给多个")
    receive.add_argument("--campaign", type=int, metavar="ID", help="计入的专项编号（默认当前专项）")
    receive.add_argument("--workers", type=int, metavar="N", help="并行核验的进程数（默认 CPU 核数）")
    receive.set_defaults(func=_receive)

    summary = commands.add_parser("summary", help="汇总：报送情况、比晒、问题最多的检查项、整改进度；可导出")
    summary.add_argument("path", type=Path, metavar="PATH", help=_WORKSPACE)
    summary.add_argument("--campaign", type=int, metavar="ID", help="专项编号（默认当前专项）")
    summary.add_argument("--xlsx", type=Path, metavar="FILE", help="导出汇总工作簿（.xlsx，含图表）")
    summary.add_argument("--pdf", type=Path, metavar="FILE", help="导出汇总报告（PDF）")
    summary.add_argument("--csv", type=Path, metavar="FILE", help="导出每校每项答案明细（CSV，UTF-8）")
    summary.add_argument("--json", action="store_true", help="以 JSON 输出汇总")
    summary.set_defaults(func=_summary)

    demo = commands.add_parser("demo", help="生成一个示例区县：N 所学校的名册、证书、签名报告和已接收的工作区")
    demo.add_argument("dir", type=Path, metavar="DIR", help="新的或空的文件夹")
    demo.add_argument("--schools", type=int, default=20, metavar="N", help="学校数（默认 20）")
    demo.add_argument("--workers", type=int, metavar="N", help="并行进程数（默认 CPU 核数）")
    demo.add_argument("--no-receive", action="store_true", help="只生成文件，不接收到工作区")
    demo.set_defaults(func=_demo)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _open(path: Path, *, read_only: bool = False) -> Any:
    from selfcheck.district.workspace import DistrictWorkspace

    return DistrictWorkspace.open(path, read_only=read_only)


def _create(args: argparse.Namespace) -> int:
    from selfcheck.district.workspace import DistrictWorkspace

    with DistrictWorkspace.create(args.path, args.name) as ws:
        print(f"已创建区县工作区：{ws.path}（{ws.name}）")
        print(f"接收的报告副本将保存在：{ws.reports_dir}")
    return EXIT_OK


def _roster(args: argparse.Namespace) -> int:
    with _open(args.path) as ws:
        result = ws.roster.import_file(args.file)
        print(f"名册已导入：新增 {result.added} 所，更新 {result.updated} 所，未变 {result.unchanged} 所；"
              f"名册共 {ws.roster.count()} 所学校。")
    return EXIT_OK


def _register(args: argparse.Namespace) -> int:
    from selfcheck.district.errors import NeedsConfirmation

    flags = {"allow_not_on_roster": args.yes, "allow_second_active": args.yes, "allow_name_mismatch": args.yes}
    with _open(args.path) as ws:
        while True:
            try:
                cert = ws.registry.register(args.cert, school_code=args.code, school_name=args.school, **flags)
                break
            except NeedsConfirmation as question:
                flag = {"not_on_roster": "allow_not_on_roster", "second_active": "allow_second_active",
                        "name_mismatch": "allow_name_mismatch"}[question.kind]
                if not sys.stdin.isatty():
                    raise UserError(question.message, hint="未登记。确认无误时请加上 --yes 重新运行。") from None
                answer = input(f"{question.message} [y/N] ").strip().lower()
                if answer not in ("y", "yes", "是"):
                    print("未登记。")
                    return EXIT_REJECTED
                flags[flag] = True
        where = f"学校代码 {cert.school_code}" if cert.school_code else "不在名册中"
        print(f"已登记证书：{cert.school_name}（{where}）")
        print(f"证书指纹（SHA-256）：{cert.fingerprint}")
        print(f"有效期：{cert.valid_from.astimezone():%Y-%m-%d} 至 {cert.valid_until.astimezone():%Y-%m-%d}")
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    with _open(args.path) as ws:
        cert = ws.registry.revoke(args.fingerprint, args.reason)
        print(f"已吊销 {cert.school_name} 的证书（指纹 {cert.fingerprint}），吊销时间 "
              f"{cert.revoked_at.astimezone():%Y-%m-%d %H:%M:%S}。此前签署的报告仍然有效，此后签署的报告将被拒收。")
    return EXIT_OK


def _campaign(args: argparse.Namespace) -> int:
    from selfcheck.district.models import ExpectedChecklist

    expected = []
    for part in filter(None, (p.strip() for p in args.checklists.split(","))):
        ident, _, version = part.partition("@")
        expected.append(ExpectedChecklist(id=ident.strip(), version=version.strip()))
    with _open(args.path) as ws:
        campaign = ws.campaigns.create(args.title, args.start, args.end, checklists=expected, deadline=args.deadline)
        print(f"已新建专项 {campaign.id}：{campaign.title}")
    return EXIT_OK


def _campaign_edit(args: argparse.Namespace) -> int:
    if args.title is None and args.start is None and args.end is None and args.deadline is None \
            and not args.no_deadline:
        raise UserError("没有给出要修改的内容。",
                        hint="请至少给出 --title、--start、--end、--deadline 或 --no-deadline 中的一项。")
    with _open(args.path) as ws:
        if args.campaign is not None:
            current = ws.campaigns.get(args.campaign)
        else:
            current = ws.campaigns.current()
            if current is None:
                raise UserError("区县工作区中还没有专项。", hint="请先用 selfcheck district campaign 新建专项。")
        if args.no_deadline:
            deadline = None
        else:
            deadline = args.deadline if args.deadline is not None else current.deadline
        campaign = ws.campaigns.update(
            current.id, args.title if args.title is not None else current.title,
            args.start or current.period_start, args.end or current.period_end, deadline=deadline)
        shown = f"，报送截止 {campaign.deadline.astimezone():%Y-%m-%d %H:%M}" if campaign.deadline else "，不设报送截止日期"
        print(f"已修改专项 {campaign.id}：{campaign.title}（{campaign.period_start} 至 {campaign.period_end}{shown}）")
    return EXIT_OK


def _tiers(args: argparse.Namespace) -> int:
    from selfcheck.district.tiers import TierThresholds

    given = [args.demo, args.standard, args.passing]
    if all(v is None for v in given):
        with _open(args.path, read_only=True) as ws:
            print(f"三级梯队（按总得分率）：{ws.summary.tier_thresholds().text()}，以下为未达标。")
        return EXIT_OK
    if any(v is None for v in given):
        raise UserError("请同时给出 --demo、--standard 和 --pass 三个下限。", hint="例如：--demo 95 --standard 85 --pass 70")
    thresholds = TierThresholds.checked(args.demo, args.standard, args.passing)
    with _open(args.path) as ws:
        ws.summary.set_tier_thresholds(thresholds)
        print(f"已设定三级梯队（按总得分率）：{thresholds.text()}，以下为未达标。")
    return EXIT_OK


def _receive(args: argparse.Namespace) -> int:
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise UserError("--workers 应在 1 到 64 之间。")
    missing = [str(p) for p in args.reports if not p.exists()]
    if missing:
        raise UserError("找不到文件或文件夹：" + "、".join(missing), hint="未接收任何文件。")
    show = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if show:
            print(f"\r[{done}/{total}] {name}\033[K", end="", file=sys.stderr, flush=True)

    with _open(args.path) as ws:
        outcomes = ws.reports.receive(args.reports, campaign_id=args.campaign, progress=progress,
                                      workers=args.workers)
    if show:
        print(file=sys.stderr)
    for outcome in outcomes:
        print(outcome.line)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.verdict] = counts.get(outcome.verdict, 0) + 1
    from selfcheck.district.models import VERDICT_LABELS

    print("合计：" + "，".join(f"{VERDICT_LABELS[v]} {counts[v]} 份" for v in VERDICT_LABELS if v in counts)
          if counts else "没有找到要接收的文件。")
    return EXIT_REJECTED if counts.get("rejected") else EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    with _open(args.path, read_only=True) as ws:
        campaign = ws.campaigns.get(args.campaign) if args.campaign is not None else ws.campaigns.current()
        campaign_id = campaign.id if campaign else None
        doubts = ws.reports.audit()
        if doubts:
            print(f"警告：区县工作区中有 {len(doubts)} 处接收记录与收到的报告对不上（工作区文件或报告副本可能被改动过），"
                  "下面的汇总不可全信：", file=sys.stderr)
            for doubt in doubts:
                print(f"  {doubt}", file=sys.stderr)
        if args.json:
            print(json.dumps(summary_json(ws, campaign_id), ensure_ascii=False, indent=2, default=str))
        else:
            _print_summary(ws, campaign_id)
        if args.xlsx:
            from selfcheck.district.export_xlsx import export_xlsx

            print(f"已导出汇总工作簿：{export_xlsx(ws, campaign_id, args.xlsx)}", file=sys.stderr if args.json else sys.stdout)
        if args.pdf:
            from selfcheck.district.export_pdf import export_pdf

            print(f"已导出汇总报告：{export_pdf(ws, campaign_id, args.pdf)}", file=sys.stderr if args.json else sys.stdout)
        if args.csv:
            from selfcheck.district.export_csv import export_csv

            rows = export_csv(ws, campaign_id, args.csv)
            print(f"已导出答案明细：{args.csv}（{rows} 行）", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def summary_json(ws: Any, campaign_id: int | None) -> dict[str, Any]:
    summary = ws.summary
    return {
        "district": ws.name,
        "overview": summary.overview(campaign_id).model_dump(mode="json"),
        "roster_status": [{"code": s.school.code, "name": s.school.name, "state": s.state,
                           "last_report_at": s.last_report_at.isoformat() if s.last_report_at else None,
                           "report_id": s.report_id} for s in summary.roster_status(campaign_id)],
        "to_urge": [s.school.code for s in summary.to_urge(campaign_id)],
        "comparison": [r.model_dump(mode="json") for r in summary.comparison(campaign_id)],
        "failing_items": [i.model_dump(mode="json") for i in summary.failing_items(campaign_id)],
        "rectification": [p.model_dump(mode="json") for p in summary.rectification(campaign_id)],
    }


def _print_summary(ws: Any, campaign_id: int | None) -> None:
    from selfcheck.district.models import STATE_LABELS

    overview = ws.summary.overview(campaign_id)
    print(f"{ws.name}")
    if overview.campaign is not None:
        c = overview.campaign
        deadline = f"，截止 {c.deadline.astimezone():%Y-%m-%d %H:%M}" if c.deadline else ""
        print(f"专项：{c.title}（{c.period_start} 至 {c.period_end}{deadline}）")
    print(f"学校 {overview.schools} 所：按时报送 {overview.received}，逾期报送 {overview.late}，被拒收 {overview.rejected}，"
          f"未报送 {overview.missing}")
    if overview.average_score_rate is not None:
        tiers = "，".join(f"{k} {v} 所" for k, v in overview.tiers.items())
        print(f"平均得分率 {overview.average_score_rate:.1%}（{tiers}；梯队按 {ws.summary.tier_thresholds().text()}）")
    print(f"问题 {overview.problems} 个：未销号 {overview.open_problems}，逾期 {overview.overdue_problems}，"
          f"已销号 {overview.closed_problems}")
    urge = ws.summary.to_urge(campaign_id)
    if urge:
        print("需督促的学校：")
        for status in urge:
            contact = " ".join(filter(None, (status.school.contact, status.school.phone)))
            print(f"  {status.school.code} {status.school.name}：{STATE_LABELS[status.state]}"
                  + (f"（{contact}）" if contact else ""))
    failing = [i for i in ws.summary.failing_items(campaign_id) if i.schools_noncompliant][:10]
    if failing:
        print("不合规学校最多的检查项：")
        for item in failing:
            print(f"  {item.item_id} {item.schools_noncompliant}/{item.schools_reporting} 所：{item.question}")


def _demo(args: argparse.Namespace) -> int:
    from selfcheck.district_demo import build_district

    if args.workers is not None and not 1 <= args.workers <= 64:
        raise UserError("--workers 应在 1 到 64 之间。")
    result = build_district(args.dir, args.schools, workers=args.workers, receive=not args.no_receive, say=print)
    print(f"示例区县已生成：{result.workspace}（{result.schools} 所学校，用时 {result.seconds:.0f} 秒）")
    print(f"学校报送的报告：{result.reports}")
    if result.outcomes:
        from selfcheck.district.models import VERDICT_LABELS

        print("接收结果：" + "，".join(f"{VERDICT_LABELS[v]} {n} 份" for v, n in result.outcomes.items()))
    return EXIT_OK



