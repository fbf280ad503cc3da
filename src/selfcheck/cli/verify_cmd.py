"""`selfcheck verify REPORT.pdf [--trust CERT_OR_FOLDER] [--json]`: is this report intact, whole and the school's?"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

EXIT_OK = 0
EXIT_NOT_VERIFIED = 1


def register(sub: argparse._SubParsersAction) -> None:
    verify = sub.add_parser(
        "verify", help="核验报告的数字签名、完整性和内嵌数据",
        description="退出码：0 = 签名完好且覆盖整个文件（给定 --trust 时还须受信任）；1 = 未通过；2 = 文件无法读取。")
    verify.add_argument("report", type=Path, metavar="REPORT.pdf")
    verify.add_argument("--trust", type=Path, metavar="CERT_OR_FOLDER",
                        help="受信任的证书文件（.cer/.crt/.pem），或存放已登记证书的文件夹")
    verify.add_argument("--registry", type=Path, metavar="PATH",
                        help="区县工作区：按其中登记的学校证书（指纹、名册、吊销、有效期）核对签名者")
    verify.add_argument("--json", action="store_true", help="以 JSON 输出（含完整的内嵌数据 report_data）")
    verify.set_defaults(func=_verify)


def _verify(args: argparse.Namespace) -> int:
    if args.registry is not None:
        from selfcheck.cli.verify_registry import verify_against_registry

        return verify_against_registry(args.report, args.registry, as_json=args.json, trust=args.trust)
    from selfcheck.signing.keys import read_certificates
    from selfcheck.signing.verify import verify_report

    trust = read_certificates(args.trust) if args.trust else None
    result = verify_report(args.report, trust)
    if args.json:
        payload = json.loads(result.model_dump_json(by_alias=True))
        payload["report_data"] = json.loads(result.report_data.to_json()) if result.report_data else None
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_human(result)
    return EXIT_OK if result.ok else EXIT_NOT_VERIFIED


def _print_human(result: object) -> None:
    from selfcheck.signing.verify import VerifyResult

    assert isinstance(result, VerifyResult)
    print(f"报告：{result.path}")
    for check in result.signatures:
        if len(result.signatures) > 1:
            print(f"签名域：{check.field}")
        integrity = "完好（签名后未被改动）" if check.intact and check.valid else "已被改动或损坏"
        coverage = "覆盖整个文件" if check.covers_whole_file else "未覆盖整个文件（签名后有追加修改）"
        print(f"签名：{integrity}；{coverage}")
        if check.signer_subject:
            print(f"签名者：{check.signer_subject}")
            print(f"证书指纹（SHA-256）：{check.fingerprint}")
        if check.signing_time:
            print(f"签名时间：{check.signing_time.astimezone():%Y-%m-%d %H:%M:%S}")
        if check.trusted is None:
            print("信任：未检查（可用 --trust 指定已登记的学校证书）")
        elif check.trusted:
            print("信任：受信任（与给定的证书相符）")
        else:
            print(f"信任：不受信任（{check.trust_problem or '与给定的证书不符'}）")
    data = result.data
    if data is not None:
        print(f"内嵌数据（{data.schema_}）：")
        print(f"  学校：{data.school}")
        print(f"  自查：{data.inspection}（{data.period}）")
        print(f"  报告编号：{data.report_id}，生成于 {data.generated_at:%Y-%m-%d %H:%M}")
        print(f"  检查项 {data.items} 个：合规 {data.compliant}，不合规 {data.noncompliant}，不适用 {data.na}，"
              f"未作答 {data.unanswered}；得分 {data.score}")
        print(f"  问题 {data.problems} 个（未销号 {data.open_problems}，逾期 {data.overdue_problems}）；照片 {data.photos} 张")
        print(f"  审计日志：{data.audit_entries} 条，链头哈希 {data.audit_head}")
    for warning in result.warnings:
        print(f"注意：{warning}")
    if result.ok:
        print("结论：通过。")
    else:
        print("结论：未通过。")
        for problem in result.problems:
            print(f"  - {problem}")
