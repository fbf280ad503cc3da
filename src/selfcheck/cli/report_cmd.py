"""`selfcheck report export`: export one inspection as a signed PDF report, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.cli.key_cmd import PASSWORD_ENV, read_password

if TYPE_CHECKING:
    from selfcheck.report.appendix import PhotoLoader
    from selfcheck.report.data import ReportData
    from selfcheck.report.export import ExportResult
    from selfcheck.signing.keys import SigningKey


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("report", help="自查报告：导出签名的 PDF")
    commands = group.add_subparsers(dest="report_command", metavar="ACTION", required=True)

    export = commands.add_parser("export", help="导出并签名一次自查的报告",
                                 description=f"密钥密码从终端输入，或取自环境变量 {PASSWORD_ENV}。")
    export.add_argument("--workbook", type=Path, required=True, metavar="PATH", help="工作簿文件")
    export.add_argument("--inspection", required=True, metavar="ID|latest", help="自查编号，或 latest（最近一次）")
    export.add_argument("--key", type=Path, required=True, metavar="school.p12", help="学校密钥文件")
    export.add_argument("--out", type=Path, required=True, metavar="report.pdf", help="报告保存位置")
    export.add_argument("--seal", type=Path, metavar="SEAL.png", help="学校公章图片（透明背景 PNG，可选）")
    export.add_argument("--signature", type=Path, metavar="SIGN.png", help="校长手写签名图片（可选）")
    export.add_argument("--allow-other-school", action="store_true",
                        help="密钥证书上的学校与工作簿的学校不一致时仍然签名（默认拒绝导出）")
    export.set_defaults(func=_export)


def parse_inspection(value: str) -> int | str:
    """"latest" or a positive inspection id; raises ReportError otherwise."""
    from selfcheck.errors import ReportError

    if value.strip().lower() == "latest":
        return "latest"
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ReportError(f"--inspection 应为自查编号（正整数）或 latest（最近一次），而不是“{value}”。")
    return number


def _export(args: argparse.Namespace) -> int:
    from selfcheck.report.collect import collect_report_data
    from selfcheck.report.export import check_output_path

    inspection = parse_inspection(args.inspection)
    out = check_output_path(args.out)
    if not args.key.is_file():
        from selfcheck.errors import SigningError

        raise SigningError(f"找不到密钥文件：{args.key}。请检查 --key 给出的路径。")
    password = read_password()
    data, photo_loader = collect_report_data(args.workbook, inspection)
    try:
        key = _check_key_school(args.key, password, data.school.name, allow=args.allow_other_school)
        result = _run_export(data, photo_loader, out, args, key)
    finally:
        close = getattr(photo_loader, "close", None)  # the workbook's loader holds a read-only connection
        if callable(close):
            close()
    print(f"已导出报告：{result.path}（{result.pages} 页，{result.size / 1024 / 1024:.1f} MB，用时 {result.seconds:.1f} 秒）")
    print(f"报告编号：{result.report_id}")
    print(f"证书指纹（SHA-256）：{result.fingerprint}")
    return 0


def _check_key_school(key_path: Path, password: str, school: str, *, allow: bool) -> SigningKey:
    """Open the key (a wrong password fails here, before any layout work) and compare its certificate's school
    with the workbook's. Raises SigningError, so nothing is written, unless `allow`; then only warns on stderr."""
    from selfcheck.errors import SigningError
    from selfcheck.signing.keys import load_key
    from selfcheck.signing.school_match import signing_school_warning

    key = load_key(key_path, password)
    warning = signing_school_warning(key.certificate, school)
    if warning is None:
        return key
    if not allow:
        raise SigningError(warning, hint="未导出报告。如确认要用这个密钥签名，请加上 --allow-other-school 重新运行。")
    print(f"注意：{warning}\n已按 --allow-other-school 继续签名。", file=sys.stderr)
    return key


def _run_export(data: ReportData, photo_loader: PhotoLoader, out: Path, args: argparse.Namespace,
                key: SigningKey) -> ExportResult:
    from selfcheck.report.export import export_report

    show = sys.stderr.isatty()
    last = [-1]

    def progress(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        if show and percent != last[0]:
            last[0] = percent
            print(f"\r{percent:3d}%  {message}\033[K", end="", file=sys.stderr, flush=True)

    try:
        return export_report(data, photo_loader, out, key=key, seal_image=args.seal, signature_image=args.signature,
                             progress=progress)
    finally:
        if show:
            print(file=sys.stderr)
