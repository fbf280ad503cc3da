"""`selfcheck key create|info|import|export-cert`: the school's signing key on the command line."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from selfcheck.errors import SigningError

PASSWORD_ENV = "SELFCHECK_KEY_PASSWORD"


def read_password(*, confirm: bool = False, prompt: str = "请输入密钥密码：", rules: str | None = None) -> str:
    """The key password from SELFCHECK_KEY_PASSWORD, else from a hidden prompt (asked twice when `confirm`;
    `rules`, when given, are shown before the first prompt).

    Raises SigningError when there is no terminal to ask on and the variable is not set, or the two entries differ.
    """
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise SigningError(f"未提供密钥密码：请在终端中运行以输入密码，或设置环境变量 {PASSWORD_ENV}。")
    import getpass

    if rules:
        print(rules, file=sys.stderr)
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("请再次输入密码：") != first:
        raise SigningError("两次输入的密码不一致，未创建密钥。")
    return first


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("key", help="学校签名密钥：创建、查看、导入、导出证书")
    commands = group.add_subparsers(dest="key_command", metavar="ACTION", required=True)

    from selfcheck.signing.keys import PASSWORD_RULES_TEXT

    create = commands.add_parser("create", help="创建学校密钥（.p12）和证书（.cer）",
                                 description=f"密码从终端输入，或取自环境变量 {PASSWORD_ENV}。{PASSWORD_RULES_TEXT}")
    create.add_argument("--out", type=Path, required=True, metavar="school.p12", help="密钥文件（证书写在同一文件夹，扩展名 .cer）")
    create.add_argument("--school", required=True, metavar="NAME", help="学校名称（写入证书）")
    create.add_argument("--years", type=int, default=5, choices=range(1, 21), metavar="N", help="有效年数（默认 5）")
    create.add_argument("--force", action="store_true", help="覆盖已有的同名文件")
    create.set_defaults(func=_create)

    info = commands.add_parser("info", help="查看密钥或证书的信息和指纹")
    info.add_argument("path", type=Path, metavar="FILE", help=".p12 密钥文件或 .cer 证书文件")
    info.set_defaults(func=_info)

    imp = commands.add_parser("import", help="导入教育局颁发的 .p12 密钥（检查密码、私钥、证书和有效期）")
    imp.add_argument("source", type=Path, metavar="ISSUED.p12", help="教育局签发的 .p12 密钥文件")
    imp.add_argument("--out", type=Path, required=True, metavar="school.p12", help="保存到此处（证书写在旁边）")
    imp.add_argument("--force", action="store_true", help="覆盖已有的同名文件")
    imp.set_defaults(func=_import)

    export = commands.add_parser("export-cert", help="从密钥导出证书（.cer），用于向教育局登记")
    export.add_argument("path", type=Path, metavar="school.p12", help="学校的 .p12 密钥文件")
    export.add_argument("--out", type=Path, required=True, metavar="school.cer", help="证书保存位置（交给教育局登记）")
    export.set_defaults(func=_export_cert)


def _print_info(info: object) -> None:
    from selfcheck.signing.keys import KeyInfo

    assert isinstance(info, KeyInfo)
    now = datetime.now(UTC)
    state = "已过期" if info.not_valid_after < now else ("尚未生效" if info.not_valid_before > now else "有效")
    print(f"证书主体：{info.subject}")
    print(f"颁发者：{info.issuer}{'（自签名）' if info.self_signed else ''}")
    print(f"有效期：{info.not_valid_before.astimezone():%Y-%m-%d} 至 {info.not_valid_after.astimezone():%Y-%m-%d}（{state}）")
    print(f"证书指纹（SHA-256）：{info.fingerprint}")
    if info.legacy:
        from selfcheck.signing.keys import LEGACY_CERTIFICATE_ADVICE

        print(f"注意：{LEGACY_CERTIFICATE_ADVICE}")
        print("  创建新密钥：selfcheck key create --out 新密钥.p12 --school 学校名称；再把新的 .cer 证书交教育局登记。")


def _create(args: argparse.Namespace) -> int:
    from selfcheck.signing.keys import PASSWORD_RULES_TEXT, create_school_key

    password = read_password(confirm=True, prompt="请设置密钥密码：", rules=PASSWORD_RULES_TEXT)
    info = create_school_key(args.out, args.school, password, years=args.years, overwrite=args.force)
    print(f"已创建学校密钥：{info.path}")
    print(f"证书（用于向教育局登记）：{info.certificate_path}")
    _print_info(info)
    print("请妥善保管密钥文件和密码，并备份；密码遗失后无法找回。")
    return 0


def _info(args: argparse.Namespace) -> int:
    from selfcheck.signing.keys import CERTIFICATE_SUFFIXES, key_info, load_key, read_certificate

    path: Path = args.path
    if path.suffix.lower() in CERTIFICATE_SUFFIXES:
        _print_info(key_info(read_certificate(path), path))
        return 0
    key = load_key(path, read_password(), check_dates=False)
    print(f"密钥文件：{path}")
    if key.chain:
        print(f"证书链：另含 {len(key.chain)} 个上级证书")
    _print_info(key.info)
    return 0


def _import(args: argparse.Namespace) -> int:
    from selfcheck.signing.keys import import_key

    info = import_key(args.source, read_password(), args.out, overwrite=args.force)
    print(f"已导入密钥：{info.path}")
    print(f"证书：{info.certificate_path}")
    _print_info(info)
    return 0


def _export_cert(args: argparse.Namespace) -> int:
    from selfcheck.signing.keys import export_certificate, load_key

    key = load_key(args.path, read_password(), check_dates=False)
    out = export_certificate(key.certificate, args.out)
    print(f"已导出证书：{out}")
    print(f"证书指纹（SHA-256）：{key.info.fingerprint}")
    return 0
