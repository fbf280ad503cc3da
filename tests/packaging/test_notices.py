"""THIRD-PARTY-NOTICES.txt: the generator on fake and real site-packages, and how the installer ships it."""

from __future__ import annotations

import csv
import platform
import re
import sys
import sysconfig
from pathlib import Path

import pytest

from selfcheck import resources

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))

import bundle_config  # noqa: E402
import notices  # noqa: E402
import notices_text  # noqa: E402

NSI = (PACKAGING / "installer.nsi").read_text(encoding="utf-8")
LGPL3_HEADING = "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007"
GPL3_HEADING = "GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007"


def make_dist(
    site: Path,
    name: str,
    version: str,
    headers: list[tuple[str, str]] = (),
    dist_files: dict[str, str | bytes] | None = None,
    package_files: dict[str, str | bytes] | None = None,
) -> Path:
    """Write a *.dist-info folder (METADATA, RECORD) plus package files, as an installed wheel leaves them."""
    dist_info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir(parents=True)
    metadata = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}"]
    metadata += [f"{key}: {value}" for key, value in headers]
    (dist_info / "METADATA").write_text("\n".join(metadata) + "\n\nLong description.\n", encoding="utf-8")
    record = [f"{dist_info.name}/METADATA", f"{dist_info.name}/RECORD"]
    for base, files in ((dist_info, dist_files or {}), (site, package_files or {})):
        for relative, content in files.items():
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            record.append(path.relative_to(site).as_posix())
    with (dist_info / "RECORD").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[entry, "", ""] for entry in record])
    return dist_info


@pytest.fixture()
def reference_dir(tmp_path: Path) -> Path:
    """Stand-ins for Debian's /usr/share/common-licenses with the real headings."""
    folder = tmp_path / "common-licenses"
    folder.mkdir()
    (folder / "LGPL-3").write_text(f"                   {LGPL3_HEADING}\n\n LGPL-3 body\n", encoding="utf-8")
    (folder / "GPL-3").write_text(f"                    {GPL3_HEADING}\n\n GPL-3 body\n", encoding="utf-8")
    (folder / "MPL-2.0").write_text("Mozilla Public License Version 2.0\n=====\n\n MPL body\n", encoding="utf-8")
    return folder


@pytest.fixture()
def python_licence(tmp_path: Path) -> Path:
    path = tmp_path / "LICENSE.txt"
    path.write_text("PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2\n(fake)\n", encoding="utf-8")
    return path


def collect(site: Path, python_licence: Path, reference_dir: Path, **kwargs) -> notices.Notices:
    return notices.collect_notices(
        site, python_licence=python_licence, python_version="3.11.9", product="学校专项自查",
        product_version="0.1.0", publisher="SelfCheck team", reference_dir=reference_dir, **kwargs,
    )


def section(text: str, title: str) -> str:
    """Return the part of the notices between the heading `title` and the next heading."""
    rule = "=" * 78
    pattern = rf"^{rule}\n{re.escape(title)}\n{rule}\n(.*?)(?=^{rule}\n[^\n]+\n{rule}\n|\Z)"
    match = re.search(pattern, text, re.S | re.M)
    assert match, f"no section {title!r} in the notices"
    return match.group(1)


MIT_TEXT = "Copyright (c) 2024 Alpha Authors\n\nPermission is hereby granted, free of charge, ..."


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """Three distributions: License-Expression + licence file, classifiers only, old-style licence files."""
    site = tmp_path / "site-packages"
    make_dist(site, "alpha", "1.0", [("License-Expression", "MIT"), ("License-File", "LICENSE")],
              dist_files={"licenses/LICENSE": MIT_TEXT}, package_files={"alpha/__init__.py": ""})
    make_dist(site, "beta", "2.0", [("Classifier", "License :: OSI Approved :: BSD License"),
                                    ("Classifier", "Programming Language :: Python")],
              package_files={"beta.py": ""})
    make_dist(site, "gamma-lib", "3.0", [("License", "UNKNOWN")],
              dist_files={"LICENSE.txt": "Gamma licence: do what you like.", "COPYING": "Gamma copying terms."},
              package_files={"gamma/__init__.py": "", "gamma/NOTICE": "Gamma bundles zlib (zlib licence)."})
    return site


def test_each_distribution_gets_name_version_licence_and_texts(
    site: Path, python_licence: Path, reference_dir: Path
) -> None:
    collected = collect(site, python_licence, reference_dir)
    text = notices_text.render(collected)
    assert [d.name for d in collected.distributions] == ["alpha", "beta", "gamma-lib"]

    alpha = section(text, "alpha 1.0")
    assert "许可证 / Licence: MIT" in alpha
    assert "alpha-1.0.dist-info/licenses/LICENSE" in alpha and MIT_TEXT in alpha

    beta = section(text, "beta 2.0")
    assert "许可证分类 / Licence classifiers: BSD License" in beta
    assert "Programming Language" not in beta
    # Declared but without any text: the build is told, the notices still list it.
    assert collected.warnings == ["beta 2.0 declares BSD License but carries no licence text"]

    gamma = section(text, "gamma-lib 3.0")
    for expected in ("Gamma licence: do what you like.", "Gamma copying terms.", "Gamma bundles zlib",
                     "----- gamma/NOTICE -----"):
        assert expected in gamma
    assert "UNKNOWN" not in gamma

    assert "  alpha 1.0  —  MIT" in text and "  beta 2.0  —  BSD License" in text  # the contents list
    assert text.startswith("学校专项自查 —— 第三方软件许可声明\n学校专项自查 — Third-party software notices\n")
    assert "附录" not in text  # nothing needed a standard licence text


def test_python_runtime_licence_comes_first(site: Path, python_licence: Path, reference_dir: Path) -> None:
    text = notices_text.render(collect(site, python_licence, reference_dir))
    python = section(text, "Python 3.11.9")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in python
    assert text.index("\nPython 3.11.9\n") < text.index("\nalpha 1.0\n")


def test_a_distribution_without_any_licence_information_stops_the_build(
    site: Path, python_licence: Path, reference_dir: Path
) -> None:
    make_dist(site, "mystery", "0.3", [("Summary", "no licence anywhere")], package_files={"mystery.py": ""})
    with pytest.raises(notices.NoticesError) as error:
        collect(site, python_licence, reference_dir)
    message = str(error.value)
    assert "no licence information for mystery 0.3" in message
    assert "mystery-0.3.dist-info" in message
    assert "must not ship" in message


def test_only_shipped_distributions_are_listed(site: Path, python_licence: Path, reference_dir: Path) -> None:
    # An unlicensed build tool that does not ship is no reason to fail.
    make_dist(site, "buildtool", "1.0", [], package_files={"buildtool.py": ""})
    shipped = [("", str(site / "alpha" / "__init__.py")), ("gamma/NOTICE", str(site / "gamma" / "NOTICE")),
               ("", str(site.parent / "elsewhere" / "app.py"))]
    collected = collect(site, python_licence, reference_dir, shipped=shipped)
    assert [d.name for d in collected.distributions] == ["alpha", "gamma-lib"]
    assert "\nbeta 2.0\n" not in notices_text.render(collected)


QT_CORE_DLL = b"MZ\0\0" + "FileVersion".encode("utf-16-le") + b"\0\0" + "6.9.1.0".encode("utf-16-le") + b"\0\0\0\0"


def _qt_site(site: Path) -> None:
    make_dist(site, "PySide6_Essentials", "6.9.1",
              [("License", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"), ("License-File", "Commercial.txt")],
              dist_files={"licenses/Commercial.txt": "Licensees holding valid commercial Qt licenses ..."},
              package_files={"PySide6/Qt6Core.dll": QT_CORE_DLL, "PySide6/QtCore.pyd": b"MZ",
                             "PySide6/msvcp140.dll": b"MZ", "PySide6/__init__.py": ""})


def test_lgpl_qt_is_used_under_lgpl_with_the_full_texts_and_replaceable_dlls(
    site: Path, python_licence: Path, reference_dir: Path
) -> None:
    _qt_site(site)
    shipped = [("PySide6/Qt6Core.dll", str(site / "PySide6" / "Qt6Core.dll")),
               ("PySide6/QtCore.pyd", str(site / "PySide6" / "QtCore.pyd")),
               ("PySide6/msvcp140.dll", str(site / "PySide6" / "msvcp140.dll"))]
    collected = collect(site, python_licence, reference_dir, shipped=shipped)
    text = notices_text.render(collected)
    qt = section(text, "PySide6_Essentials 6.9.1")
    assert "本程序依据 LGPL-3.0-only 的条款使用该软件" in qt
    # The Qt version is the one Qt6Core.dll reports, and the source is named by project and version.
    assert "【动态链接的 LGPL 组件】Qt 6.9.1（许可证：LGPL-3.0-only）" in qt
    assert "上游项目 Qt / Qt for Python (PySide6) 的 6.9.1 版源代码发布包" in qt
    assert "source release for version 6.9.1" in qt
    assert "You may replace these files" in qt and "替换这些文件" in qt
    files = qt.split("文件 / Files:\n", 1)[1].split("\n\n", 1)[0]
    assert files.split() == ["_internal\\PySide6\\Qt6Core.dll", "_internal\\PySide6\\QtCore.pyd"]
    assert "Microsoft Visual C++" in qt and "_internal\\PySide6\\msvcp140.dll" in qt
    # The wheel carries no LGPL text: it comes once, in the appendix, with the GPL it supplements.
    assert list(collected.appendix) == ["LGPL-3.0", "GPL-3.0"]
    assert "附录 A" in qt and "附录 B" in qt
    assert "GPL-2" not in " ".join(collected.appendix)  # the licence not chosen is not needed
    appendix = text.split("附录 / Appendix A: GNU Lesser General Public License v3.0 (LGPL-3.0)\n", 1)[1]
    assert LGPL3_HEADING in appendix and GPL3_HEADING in appendix
    assert "其中 Qt 按 GNU 宽通用公共许可证（LGPL）提供" in text  # the header names it


def test_no_urls_or_hosts_in_the_generated_statements(
    site: Path, python_licence: Path, reference_dir: Path
) -> None:
    _qt_site(site)
    text = notices_text.render(collect(site, python_licence, reference_dir))
    assert not re.search(r"https?://|www\.", text)


def test_lgpl_library_version_must_be_known(site: Path, python_licence: Path, reference_dir: Path) -> None:
    make_dist(site, "pi-heif", "1.4.0",
              [("License", "BSD-3-Clause"),
               ("Classifier", "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)")],
              dist_files={"licenses/LICENSE.txt": "Copyright (c) Pillow-Heif contributors. BSD terms."},
              package_files={"libheif-0123abcd.dll": b"MZ", "libde265-0-4567.dll": b"MZ",
                             "libstdc++-6-89ab.dll": b"MZ", "pi_heif/__init__.py": ""})
    with pytest.raises(notices.NoticesError, match="which libheif version"):
        collect(site, python_licence, reference_dir)

    collected = collect(site, python_licence, reference_dir,
                        native_versions={"libheif": "1.23.0", "libde265": "1.1.0"})
    heif = section(notices_text.render(collected), "pi-heif 1.4.0")
    assert "【动态链接的 LGPL 组件】libheif 1.23.0（许可证：LGPL-3.0）" in heif
    assert "上游项目 libheif 的 1.23.0 版源代码发布包" in heif
    assert "the upstream libde265 project's source release for version 1.1.0" in heif
    assert "libheif-0123abcd.dll" in heif and "libde265-0-4567.dll" in heif
    assert "GCC-exception-3.1" in heif and "libstdc++-6-89ab.dll" in heif
    assert list(collected.appendix) == ["LGPL-3.0", "GPL-3.0"]


def test_missing_standard_licence_text_is_an_error(site: Path, python_licence: Path, tmp_path: Path) -> None:
    make_dist(site, "certs", "2026.1", [("License", "MPL-2.0")],
              dist_files={"licenses/LICENSE": "This Source Code Form is subject to the terms of the MPL, v. 2.0."})
    with pytest.raises(notices.NoticesError, match=r"MPL-2\.0.*MPL-2\.0 does not exist"):
        collect(site, python_licence, tmp_path / "empty")


def test_licence_text_already_in_the_wheel_is_not_repeated(
    site: Path, python_licence: Path, reference_dir: Path, tmp_path: Path
) -> None:
    lgpl_copy = (reference_dir / "LGPL-3").read_text(encoding="utf-8")
    gpl_copy = (reference_dir / "GPL-3").read_text(encoding="utf-8")
    make_dist(site, "lgpl-lib", "1.0", [("License-Expression", "LGPL-3.0-or-later")],
              dist_files={"licenses/COPYING.LESSER": lgpl_copy, "licenses/COPYING": gpl_copy})
    make_dist(site, "lgpl-twin", "1.0", [("License-Expression", "LGPL-3.0-or-later")],
              dist_files={"licenses/COPYING.LESSER": lgpl_copy, "licenses/COPYING": gpl_copy})
    collected = collect(site, python_licence, tmp_path / "no-reference-texts-needed")
    assert collected.appendix == {}
    text = notices_text.render(collected)
    twin = section(text, "lgpl-twin 1.0")
    assert "Identical to lgpl_lib-1.0.dist-info/licenses/COPYING.LESSER above" in twin
    assert "LGPL-3 body" not in twin


def test_file_is_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / notices.NOTICES_FILE
    notices_text.write_notices(path, "第三方软件许可\nline two\n")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 2 and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.decode("utf-8-sig") == "第三方软件许可\r\nline two\r\n"


def test_command_line_writes_the_file_or_says_what_is_missing(
    site: Path, python_licence: Path, reference_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / notices.NOTICES_FILE
    out.parent.mkdir()
    args = [str(site), "--python-licence", str(python_licence), "--python-version", "3.11.9",
            "--reference-dir", str(reference_dir), "--output", str(out)]
    assert notices_text.main(args) == 0
    assert "\r\nalpha 1.0\r\n" in out.read_bytes().decode("utf-8-sig")
    make_dist(site, "mystery", "0.3", [])
    assert notices_text.main(args) == 1
    assert "no licence information for mystery 0.3" in capsys.readouterr().err


def test_dll_file_version_reads_the_version_resource(tmp_path: Path) -> None:
    dll = tmp_path / "Qt6Core.dll"
    dll.write_bytes(QT_CORE_DLL)
    assert notices.dll_file_version(dll) == "6.9.1.0"
    (tmp_path / "plain.dll").write_bytes(b"MZ no resource")
    assert notices.dll_file_version(tmp_path / "plain.dll") is None


# --- the real thing -------------------------------------------------------------------------------

COMMON_LICENSES = Path("/usr/share/common-licenses")
VENV_PYTHON_LICENCE = Path(sys.base_prefix, "lib", "python{}.{}".format(*sys.version_info[:2]), "LICENSE.txt")


@pytest.mark.skipif(not (COMMON_LICENSES / "LGPL-3").is_file(), reason="Debian base-files licence texts missing")
@pytest.mark.skipif(not VENV_PYTHON_LICENCE.is_file(), reason="the interpreter has no LICENSE.txt")
def test_notices_for_the_local_venv() -> None:
    """Every package the app runs on here has its licence; PySide6 and shiboken6 get the LGPL text."""
    site = Path(sysconfig.get_paths()["purelib"])
    collected = notices.collect_notices(
        site, python_licence=VENV_PYTHON_LICENCE, python_version=platform.python_version(),
        product="学校专项自查", product_version="0.1.0", publisher="SelfCheck team",
        native_versions=notices.probe_native_versions(), exclude=["selfcheck"],
    )
    names = {d.key for d in collected.distributions}
    assert {"pyside6-essentials", "shiboken6", "pillow", "pi-heif", "reportlab", "pyhanko", "pydantic",
            "sqlite-utils", "openpyxl", "pyyaml", "cryptography"} <= names
    text = notices_text.render(collected)
    assert {"LGPL-3.0", "GPL-3.0"} <= set(collected.appendix)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text.split("附录 / Appendix A: GNU Lesser", 1)[1]
    for title in ("PySide6_Essentials", "shiboken6"):
        dist = next(d for d in collected.distributions if d.name == title)
        part = section(text, f"{dist.name} {dist.version}")
        assert "LGPL-3.0-only" in part and "GNU Lesser General Public License v3.0（LGPL-3.0）全文见" in part
    heif = next(d for d in collected.distributions if d.key == "pi-heif")
    heif_part = section(text, f"{heif.name} {heif.version}")
    assert re.search(r"LGPL 组件】libheif \d+\.\d+", heif_part)
    pillow = next(d for d in collected.distributions if d.key == "pillow")
    pillow_part = section(text, f"{pillow.name} {pillow.version}")
    assert "The FreeType Project LICENSE" in pillow_part and "Brotli Authors" in pillow_part  # bundled libraries
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in section(text, f"Python {platform.python_version()}")
    sqlite_utils = next(d for d in collected.distributions if d.key == "sqlite-utils")
    sqlite_part = section(text, f"{sqlite_utils.name} {sqlite_utils.version}")
    assert "Apache-2.0" in sqlite_part and ".dist-info/licenses/LICENSE -----" in sqlite_part


# --- installing it --------------------------------------------------------------------------------


def _nsis_block(start: str, end: str) -> list[str]:
    match = re.search(start + r"(.*?)" + end, NSI, re.S)
    assert match
    return [line.strip() for line in match.group(1).splitlines() if line.strip() and not line.strip().startswith(";")]


def test_installer_installs_the_notices_next_to_the_program() -> None:
    assert f'!define NOTICES_FILE "{bundle_config.NOTICES_FILE}"' in NSI
    assert notices.NOTICES_FILE == bundle_config.NOTICES_FILE
    assert resources.NOTICES_FILE == bundle_config.NOTICES_FILE  # where the app's About box looks for it
    section_lines = _nsis_block(r'Section "!\$\{APP_NAME\}" SecMain', r"SectionEnd")
    assert 'File "/oname=${NOTICES_FILE}" "${BUNDLE_DIR}/${NOTICES_FILE}"' in section_lines
    assert section_lines.index('SetOutPath "$INSTDIR"') < section_lines.index(
        'File "/oname=${NOTICES_FILE}" "${BUNDLE_DIR}/${NOTICES_FILE}"')


def test_finish_page_links_to_the_notices() -> None:
    finish = NSI.split("!insertmacro MUI_PAGE_INSTFILES", 1)[1].split("!insertmacro MUI_PAGE_FINISH", 1)[0]
    assert '!define MUI_FINISHPAGE_LINK "查看第三方软件许可"' in finish
    assert '!define MUI_FINISHPAGE_LINK_LOCATION "$INSTDIR\\${NOTICES_FILE}"' in finish
    assert "${NOTICES_FILE}" in finish.split("MUI_FINISHPAGE_TEXT", 1)[1]


def test_uninstall_and_upgrade_remove_the_notices() -> None:
    assert 'Delete "$INSTDIR\\${NOTICES_FILE}"' in _nsis_block(r'Section "Uninstall"', r"SectionEnd")
    assert 'Delete "${DIR}\\${NOTICES_FILE}"' in _nsis_block(r"!macro RemovePreviousProgramFiles DIR", r"!macroend")


def test_spec_and_scripts_generate_and_check_the_notices() -> None:
    spec = (PACKAGING / "selfcheck.spec").read_text(encoding="utf-8")
    assert "notices.collect_notices(" in spec and "notices_text.write_notices(" in spec
    assert "probe_native_versions()" in spec and "python_licence=Path(sys.base_prefix)" in spec
    assert spec.index("notices_text.write_notices(") < spec.index("check_bundle(")  # the check sees the file
    build = (PACKAGING / "build_windows.sh").read_text(encoding="utf-8")
    assert "packaging/notices.py packaging/notices_text.py" in build  # a generator change rebuilds
    assert "SELFCHECK_LICENSE_TEXTS" in build and "SELFCHECK_LICENSE_TEXTS" in spec
    smoke = (PACKAGING / "smoke_windows.sh").read_text(encoding="utf-8")
    for expected in ("THIRD-PARTY-NOTICES.txt installed", "PySide6", "libheif", "PYTHON SOFTWARE FOUNDATION",
                     "THIRD-PARTY-NOTICES.txt removed"):
        assert expected in smoke
