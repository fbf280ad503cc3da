"""`selfcheck verify REPORT.pdf [--trust CERT_OR_FOLDER] [--json]`: is this report intact, unchanged and the school's?

The exit code and the first line of the human output are an interface:
0 通过 · 3 签名完好，但未核对签名者身份 · 1 未通过 (every reason listed) · 2 the file cannot be read / usage error.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from selfcheck.verification.report import EXIT_FAILED, EXIT_IDENTITY_UNCHECKED, EXIT_PASSED, VerifyResult

__all__ = ["EXIT_FAILED", "EXIT_IDENTITY_UNCHECKED", "EXIT_PASSED", "register"]


def register(sub: argparse._SubParsersAction) -> None:
    verify = sub.add_parser(
        "verify", help="核验报告：签名完好、签名后未被改动、确为登记的学校证书所签",
        description=("退出码：0 = 通过（完好、未改动，且签名证书与 --trust 给定的证书指纹相符、学校一致）；"
                     "3 = 签名完好，但未核对签名者身份（没有给 --trust）；1 = 未通过（列出全部原因）；"
                     "2 = 文件无法读取或用法错误。"))
    verify.add_argument("report", type=Path, metavar="REPORT.pdf", help="要核验的签名报告（PDF）")
    verify.add_argument("--trust", type=Path, metavar="CERT_OR_FOLDER",
                        help="学校登记的证书文件（.cer/.crt/.pem），或存放已登记证书的文件夹；按证书指纹核对，不认证书链")
    verify.add_argument("--registry", type=Path, metavar="PATH",
                        help="区县工作区：按其中登记的学校证书（指纹、名册、吊销、有效期）核对签名者")
    verify.add_argument("--json", action="store_true", help="以 JSON 输出（含完整的内嵌数据 report_data）")
    verify.set_defaults(func=_verify)


def _verify(args: argparse.Namespace) -> int:
    if args.registry is not None:
        from selfcheck.cli.verify_registry import verify_against_registry

        return verify_against_registry(args.report, args.registry, as_json=args.json, trust=args.trust)
    from selfcheck.signing.keys import read_certificates
    from selfcheck.verification.identity import pins_from_certificates
    from selfcheck.verification.report import verify_report

    pins = pins_from_certificates(read_certificates(args.trust)) if args.trust else None
    result = verify_report(args.report, pins)
    if args.json:
        payload = json.loads(result.model_dump_json(by_alias=True))
        payload["report_data"] = json.loads(result.report_data.to_json()) if result.report_data else None
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("\n".join(human_lines(result)))
    return result.exit_code


def human_lines(result: VerifyResult) -> list[str]:
    """The verdict first, then every reason, then what the file says; all times in this computer's time zone."""
    from selfcheck.verification.times import local_time_text

    lines = [result.verdict]
    if result.problems:
        lines.append("原因：")
        lines.extend(f"  - {problem}" for problem in result.problems)
    elif not result.identity_checked:
        lines.append("  没有核对签名证书是否为报送学校登记的证书：请用 --trust 指定教育局登记的该校证书（.cer）后再核验。")
    lines.append(f"报告：{result.path}")
    for index, check in enumerate(result.signatures):
        if len(result.signatures) > 1:
            lines.append(f"第 {index + 1} 个签名（{check.field}）：")
        if check.damaged:
            lines.append("签名：已损坏，无法核验")
            continue
        integrity = "完好（签名后未被改动）" if check.intact and check.valid else "已被改动或损坏"
        coverage = "覆盖整个文件" if check.covers_whole_file else "未覆盖整个文件（签名后有追加修改）"
        kind = "认证签名，签名后不允许任何修改" if check.certification else "批准签名（旧版本导出）"
        lines.append(f"签名：{integrity}；{coverage}；{kind}")
        lines.append(f"签名者：{check.signer_subject}")
        lines.append(f"证书指纹（SHA-256）：{check.fingerprint}")
        if check.signing_time:
            lines.append(f"签名时间：{local_time_text(check.signing_time)}")
    lines.append(f"签名者身份：{_identity_text(result)}")
    data = result.data
    if data is not None:
        lines.append(f"内嵌数据（{data.schema_}）：")
        lines.append(f"  学校：{data.school}")
        lines.append(f"  自查：{data.inspection}（{data.period}）")
        lines.append(f"  报告编号：{data.report_id}，生成于 {local_time_text(data.generated_at)}")
        lines.append(f"  检查项 {data.items} 个：合规 {data.compliant}，不合规 {data.noncompliant}，不适用 {data.na}，"
                     f"未作答 {data.unanswered}；得分 {data.score}")
        lines.append(f"  问题 {data.problems} 个（未销号 {data.open_problems}，逾期 {data.overdue_problems}）；"
                     f"照片 {data.photos} 张")
        lines.append(f"  审计日志：{data.audit_entries} 条，链头哈希 {data.audit_head}")
    for warning in result.warnings:
        lines.append(f"注意：{warning}")
    return lines


def _identity_text(result: VerifyResult) -> str:
    from selfcheck.verification.report import IDENTITY_KINDS

    if not result.identity_checked:
        return "未核对"
    if result.signer_fingerprint is None:
        return "无法核对（没有可读的签名证书）"
    if result.failure_kinds & IDENTITY_KINDS:
        return "不相符"
    return "相符（与登记的证书指纹一致，学校一致）"
