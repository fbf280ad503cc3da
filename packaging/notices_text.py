"""Renders the collected licence data as the bilingual THIRD-PARTY-NOTICES.txt, and writes it for Windows."""

# Pure standard library, like notices.py. Run as a script it writes the notices for any site-packages folder:
#   python3 packaging/notices_text.py SITE_PACKAGES --python-licence LICENSE.txt --python-version 3.11.9

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

# packaging/ is on sys.path wherever this runs: the spec, the tests, and as a script.
from bundle_config import NOTICES_FILE, read_project
from notices import (
    DEFAULT_REFERENCE_DIR,
    REFERENCE_BY_KEY,
    USED_UNDER,
    Distribution,
    NativeComponent,
    Notices,
    NoticesError,
    collect_notices,
    probe_native_versions,
    shipped_components,
    text_digest,
)

_RULE = "=" * 78


def _windows_path(path: str) -> str:
    return path.replace("/", "\\")


def _appendix_labels(notices: Notices) -> dict[str, str]:
    return {key: chr(ord("A") + i) for i, key in enumerate(notices.appendix)}


def _lgpl_block(notices: Notices, component: NativeComponent, paths: list[str]) -> list[str]:
    version = notices.native_versions[component.name]
    project = f"{component.name} {version}"
    upstream = component.project or component.name
    lines = [
        f"【动态链接的 LGPL 组件】{project}（许可证：{component.licence}）",
        f"本程序以动态链接方式使用 {component.name}：它以独立的库文件随程序安装（见下），"
        "没有被合并进本程序的可执行文件。"
        "您可以用自己修改或重新编译的、接口兼容的版本替换这些文件（保持文件名不变），本程序会加载替换后的版本。"
        f"{component.name} 的完整源代码即上游项目 {upstream} 的 {version} 版源代码发布包；"
        f"如您无法获得，也可以向本程序的发布者（{notices.publisher}）索取。",
        f"[Dynamically linked LGPL component] {project} (licence: {component.licence})",
        f"This program uses {component.name} through dynamic linking: it is installed as separate library files"
        " (listed below), not merged into the program's executables. You may replace these files with a"
        " modified or rebuilt, interface-compatible version of your own (keeping the file names); the program"
        f" loads the replacement. The complete source code of {component.name} is the upstream {upstream}"
        f" project's source release for version {version}; it is also available on request from the"
        f" publisher of this program ({notices.publisher}).",
        "文件 / Files:",
    ]
    lines += [f"  {_windows_path(p)}" for p in paths]
    return lines


def _distribution_section(
    notices: Notices, dist: Distribution, labels: Mapping[str, str], printed: dict[str, str]
) -> list[str]:
    lines = [_RULE, f"{dist.name} {dist.version}", _RULE]
    if dist.expression:
        lines.append(f"许可证 / Licence: {dist.expression}")
    if dist.licence_field:
        lines.append(f"许可证（METADATA License 字段）/ Licence (METADATA License field): {dist.licence_field}")
    if dist.classifiers:
        lines.append(f"许可证分类 / Licence classifiers: {'; '.join(dist.classifiers)}")
    if dist.key in USED_UNDER:
        lines.append(
            f"本程序依据 {USED_UNDER[dist.key]} 的条款使用该软件。"
            f" / This program uses it under the terms of the {USED_UNDER[dist.key]}."
        )
    for component, paths in shipped_components(dist.key, notices.files.get(dist.key, [])):
        lines.append("")
        if component.lgpl:
            lines += _lgpl_block(notices, component, paths)
        else:
            lines.append(f"随附的库 / Bundled library: {component.name}（许可证 / licence: {component.licence}）")
            if component.note:
                lines.append(component.note)
            lines += [f"  {_windows_path(p)}" for p in paths]
    for key in notices.references.get(dist.key, []):
        ref = REFERENCE_BY_KEY[key]
        lines += ["", f"{ref.title}（{key}）全文见本文件末尾的附录 {labels[key]}。"
                      f" / The full text of the {ref.title} is in appendix {labels[key]} at the end of this file."]
    for text in dist.texts:
        lines += ["", f"----- {text.source} -----", ""]
        digest = text_digest(text.text)
        if digest in printed:  # the same licence file, word for word, is already printed above
            lines.append(f"（内容与上文 {printed[digest]} 完全相同。 / Identical to {printed[digest]} above.）")
        else:
            printed[digest] = text.source
            lines.append(text.text)
    lines.append("")
    return lines


def render(notices: Notices) -> str:
    """Return the notices as text (LF line ends; write_notices converts them for Windows)."""
    labels = _appendix_labels(notices)
    lgpl_names = [
        component.name
        for dist in notices.distributions
        for component, _paths in shipped_components(dist.key, notices.files.get(dist.key, []))
        if component.lgpl
    ]
    lines = [
        f"{notices.product} —— 第三方软件许可声明",
        f"{notices.product} — Third-party software notices",
        "",
        f"本文件随“{notices.product}”{notices.product_version} 一同安装，列出本程序附带的第三方软件：每个软件的名称、"
        "版本、许可证和许可证全文。这些软件的版权属于各自的作者，按各自的许可证提供，与本程序自身的许可无关。",
    ]
    if lgpl_names:
        lines.append(
            f"其中 {'、'.join(lgpl_names)} 按 GNU 宽通用公共许可证（LGPL）提供，以独立的库文件动态链接，"
            "您可以替换它们，并可获得它们的源代码，详见各自的小节。"
        )
    lines += [
        "本文件由构建脚本根据安装包实际包含的软件自动生成。",
        "",
        f"This file is installed with {notices.product} {notices.product_version}. It lists the third-party"
        " software shipped with the program: for each, its name, version, licence and full licence text(s). The"
        " software is the copyright of its respective authors and is provided under its own licence,"
        " independently of the licence of this program.",
    ]
    if lgpl_names:
        lines.append(
            f"{', '.join(lgpl_names)} are provided under the GNU Lesser General Public License (LGPL) and are"
            " dynamically linked as separate library files: you may replace them and obtain their source code,"
            " as each section explains."
        )
    lines += ["The build script generated this file from the software the installer actually contains.", ""]
    lines += ["目录 / Contents", ""]
    lines.append(f"  Python {notices.python_version}  —  PSF-2.0")
    for dist in notices.distributions:
        statements = [dist.expression] if dist.expression else [dist.licence_field, *dist.classifiers]
        summary = "; ".join(dict.fromkeys(s for s in statements if s)) or "见许可证全文 / see the text"
        lines.append(f"  {dist.name} {dist.version}  —  {summary}")
    for key, label in labels.items():
        lines.append(f"  附录 / Appendix {label}: {REFERENCE_BY_KEY[key].title}")
    lines += [
        "",
        _RULE,
        f"Python {notices.python_version}",
        _RULE,
        "许可证 / Licence: PSF-2.0 (Python Software Foundation License Version 2)",
        "本程序内含 Windows 版 Python 解释器及其标准库。"
        "以下是 Python 官方 Windows 嵌入式发行包自带的 LICENSE.txt 全文，"
        "其中也包括随 Python 一起分发的其他组件的许可条款。",
        "This program contains the Windows Python interpreter and its standard library. Below is the full"
        " LICENSE.txt of the official Windows embeddable Python distribution, including the terms of the other"
        " components shipped with Python.",
        "",
        notices.python_licence,
        "",
    ]
    printed: dict[str, str] = {}
    for dist in notices.distributions:
        lines += _distribution_section(notices, dist, labels, printed)
    for key, label in labels.items():
        ref = REFERENCE_BY_KEY[key]
        lines += [_RULE, f"附录 / Appendix {label}: {ref.title} ({key})", _RULE, "", notices.appendix[key], ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_notices(path: Path, text: str) -> None:
    """Write the notices as UTF-8 with a byte-order mark and CRLF line ends.

    The BOM and CRLF make every Notepad since Windows 10 1507 show the Chinese text correctly (without a BOM,
    Notepad before 1903 reads the file in the ANSI code page).
    """
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))


def main(argv: list[str] | None = None) -> int:
    """Write the notices for a site-packages folder; exit status 1 (with the reason on stderr) if incomplete."""
    parser = argparse.ArgumentParser(description="Write THIRD-PARTY-NOTICES.txt for a site-packages folder.")
    parser.add_argument("site_packages", type=Path)
    parser.add_argument("--python-licence", type=Path, required=True, help="the Python LICENSE.txt")
    parser.add_argument("--python-version", required=True)
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE_DIR)
    parser.add_argument("--exclude", action="append", default=[], help="distribution to leave out (repeatable)")
    parser.add_argument("--native-version", action="append", default=[], metavar="NAME=VERSION",
                        help="version of a bundled native library, e.g. libheif=1.23.0 (default: ask _pi_heif)")
    parser.add_argument("--output", type=Path, default=Path(NOTICES_FILE))
    args = parser.parse_args(argv)
    info = read_project()
    try:
        notices = collect_notices(
            args.site_packages, python_licence=args.python_licence, python_version=args.python_version,
            product="学校专项自查", product_version=info.version, publisher=info.publisher,
            reference_dir=args.reference_dir,
            native_versions=probe_native_versions() | dict(v.split("=", 1) for v in args.native_version),
            exclude=[info.name, *args.exclude],
        )
    except NoticesError as error:
        print(f"notices: {error}", file=sys.stderr)
        return 1
    for warning in notices.warnings:
        print(f"notices: warning: {warning}", file=sys.stderr)
    write_notices(args.output, render(notices))
    print(f"notices: {len(notices.distributions)} distributions written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
