"""What goes into the Windows bundle: project metadata, data files, version resource and bundle checks."""

# Pure standard library, so the PyInstaller spec (Windows Python under Wine), the build script (Debian
# Python) and the tests (no Wine) all share one definition of the bundle.

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import bundle_contents

REPO_ROOT = Path(__file__).resolve().parent.parent

# Inside the bundle the resources folder sits where src/selfcheck/resources.py looks for it first when frozen.
RESOURCES_DEST = "selfcheck/resources"

ENTRY_MODULE = "selfcheck.__main__"
ENTRY_FUNCTION = "main"


@dataclass(frozen=True)
class Executable:
    """One program in the bundle folder; both run the same entry point."""

    name: str
    console: bool


EXECUTABLES = (
    Executable("SelfCheck-app", console=False),  # the window program (started through SelfCheck.exe)
    Executable("selfcheck-cli", console=True),  # command line and smoke test: stdout/stderr work
)
# What the shortcuts start: packaging/launcher/launcher.c, which runs SelfCheck-app.exe with the NUL device as its
# standard handles, so the window program never depends on a usable stdout (embedded Python refuses to start
# with an unusable one, e.g. a redirect to a file under Wine).
LAUNCHER = "SelfCheck"
LAUNCHER_SOURCE = Path(__file__).resolve().parent / "launcher" / "launcher.c"

# Interpreter options baked into both executables. UTF-8 mode: open() without an encoding and piped
# stdout/stderr use UTF-8 as on Linux, instead of the ANSI code page (cp936 on Chinese Windows, cp1252 on
# others, where printing Chinese to a pipe raised UnicodeEncodeError in the Wine smoke test).
PYTHON_OPTIONS = ("X utf8",)

# Qt platform plugins the frozen app must carry: qwindows for the desktop, qoffscreen for the smoke test.
REQUIRED_QT_PLUGINS = ("platforms/qwindows.dll", "platforms/qoffscreen.dll")
# Qt's own Chinese texts (date picker, file dialogs, standard buttons); the app loads them at start.
REQUIRED_QT_TRANSLATIONS = ("translations/qtbase_zh_CN.qm",)

# Third-party licence notices, written by the spec next to the executables (packaging/notices.py) and
# installed with them.
NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"

# Build-machine-only DLLs that must never end up in the bundle (see packaging/wine_standins.py).
FORBIDDEN_FILES = ("icuuc.dll", "icuin.dll", "icu.dll", "bcryptprimitives.dll")

# Packages whose submodules are imported by name or lazily and so are collected whole.
COLLECT_SUBMODULES = ("selfcheck",)
# Packages whose non-Python files (fonts, certificates, templates) the app needs at run time.
COLLECT_DATA = ("pyhanko", "pyhanko_certvalidator", "reportlab", "openpyxl", "tzdata", "certifi")
# Never needed at run time; keeps test and build tooling out of the bundle.
EXCLUDES = ("tkinter", "_tkinter", "pytest", "_pytest", "pytestqt", "PyInstaller", "pip", "setuptools", "IPython",
            "hypothesis", *bundle_contents.EXCLUDED_MODULES)
# PySide6 modules imported lazily or only through .ui files; QtCharts is the one module used from PySide6-Addons.
# reportlab imports its accelerator inside exec(), which PyInstaller cannot see.
ACCEL_HIDDEN_IMPORTS = ("_rl_accel",)
QT_HIDDEN_IMPORTS = tuple(f"PySide6.{name}" for name in bundle_contents.QT_PYTHON_MODULES)

# Bundle files left out on purpose: everything on bundle_contents.DENY.
# The app's own text is Chinese; Qt's dialogs (file chooser, message boxes) need only Qt's zh_CN catalogues.
_QT_TRANSLATIONS_DIR = "pyside6/translations/"
_KEPT_TRANSLATION_SUFFIX = "_zh_cn.qm"


def keep_in_bundle(dest_name: str) -> bool:
    """Return False for a bundle file (its destination path) that the app never needs on Windows."""
    dest = dest_name.replace("\\", "/").lower()
    if bundle_contents.denied(dest):
        return False
    if dest.startswith(_QT_TRANSLATIONS_DIR) and dest.endswith(".qm"):
        return dest.endswith(_KEPT_TRANSLATION_SUFFIX)
    return True


# Files in resources/ that are editor or build junk, not resources.
_JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_JUNK_DIRS = {"__pycache__"}
_JUNK_SUFFIXES = {".pyc", ".pyo", ".swp", "~"}


@dataclass(frozen=True)
class ProjectInfo:
    """Name, version and publisher as declared in pyproject.toml."""

    name: str
    version: str
    description: str
    publisher: str


def read_project(pyproject: Path = REPO_ROOT / "pyproject.toml") -> ProjectInfo:
    """Read pyproject.toml; raises KeyError if [project] lacks name or version."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    authors = project.get("authors") or []
    publisher = next((a.get("name") for a in authors if a.get("name")), project["name"])
    return ProjectInfo(
        name=project["name"],
        version=str(project["version"]),
        description=project.get("description", ""),
        publisher=publisher,
    )


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Return the four numbers Windows version resources need ("1.2.3rc1" -> (1, 2, 3, 0)).

    Raises ValueError if the version does not start with a number.
    """
    match = re.match(r"^v?(\d+(?:\.\d+)*)", version.strip())
    if not match:
        raise ValueError(f"version {version!r} does not start with a number")
    parts = [int(p) for p in match.group(1).split(".")][:4]
    parts += [0] * (4 - len(parts))
    if any(p > 65535 for p in parts):
        raise ValueError(f"version {version!r} has a part above 65535")
    return (parts[0], parts[1], parts[2], parts[3])


def _is_junk(relative: Path) -> bool:
    if any(part in _JUNK_DIRS for part in relative.parts[:-1]):
        return True
    name = relative.name
    return name in _JUNK_NAMES or any(name.endswith(s) for s in _JUNK_SUFFIXES)


def resource_files(resources_dir: Path = REPO_ROOT / "resources") -> list[Path]:
    """Return every resource file (sorted, relative to `resources_dir`) that ships in the bundle."""
    return sorted(
        p.relative_to(resources_dir)
        for p in resources_dir.rglob("*")
        if p.is_file() and not _is_junk(p.relative_to(resources_dir))
    )


def resource_datas(
    resources_dir: Path = REPO_ROOT / "resources", files: list[Path] | None = None
) -> list[tuple[str, str]]:
    """Return PyInstaller `datas` entries (source file, destination folder) for every resource file.

    Each file is listed on its own so the bundle matches the tree exactly, down to empty-looking folders
    that hold only a placeholder file. `files` (from resource_files) pins the list taken at build start.
    """
    datas = []
    for relative in resource_files(resources_dir) if files is None else files:
        dest = Path(RESOURCES_DEST, *relative.parts[:-1]).as_posix()
        datas.append((str(resources_dir / relative), dest))
    return datas


def metadata_text(info: ProjectInfo) -> str:
    """Return a minimal core-metadata file so importlib.metadata.version("selfcheck") works when frozen."""
    return f"Metadata-Version: 2.1\nName: {info.name}\nVersion: {info.version}\nSummary: {info.description}\n"


def version_file_text(info: ProjectInfo, exe_name: str, description: str, product_name: str) -> str:
    """Return a PyInstaller version-resource file (the VSVersionInfo text format) for one executable."""
    numbers = numeric_version(info.version)

    def quoted(text: str) -> str:
        return repr(text)  # the file is evaluated as Python, so repr() escapes safely

    strings = [
        ("CompanyName", info.publisher),
        ("FileDescription", description),
        ("FileVersion", info.version),
        ("InternalName", exe_name),
        ("LegalCopyright", f"© {info.publisher}"),
        ("OriginalFilename", f"{exe_name}.exe"),
        ("ProductName", product_name),
        ("ProductVersion", info.version),
    ]
    string_structs = ",\n".join(f"          StringStruct({quoted(k)}, {quoted(v)})" for k, v in strings)
    # 0x0804 = Simplified Chinese (PRC), 1200 = Unicode code page.
    return f"""# Generated by packaging/bundle_config.py from pyproject.toml; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def launcher_rc_text(info: ProjectInfo, icon: Path) -> str:
    """Resource script (windres, UTF-8) for the launcher: the app icon and the same version strings."""
    numbers = ",".join(str(n) for n in numeric_version(info.version))

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    strings = [
        ("CompanyName", info.publisher), ("FileDescription", "学校专项自查"), ("FileVersion", info.version),
        ("InternalName", LAUNCHER), ("LegalCopyright", f"© {info.publisher}"),
        ("OriginalFilename", f"{LAUNCHER}.exe"), ("ProductName", "学校专项自查"), ("ProductVersion", info.version),
    ]
    values = "\n".join(f"      VALUE {quoted(k)}, {quoted(v)}" for k, v in strings)
    return f"""// Generated by packaging/bundle_config.py from pyproject.toml; do not edit.
#pragma code_page(65001)
1 ICON {quoted(icon.as_posix())}
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404B0"
    BEGIN
{values}
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
"""


def check_bundle(
    bundle_dir: Path, resources_dir: Path = REPO_ROOT / "resources", expected_resources: list[Path] | None = None
) -> list[str]:
    """Return the problems found in a built one-folder bundle (an empty list means it is complete).

    Resources are compared with `expected_resources` (the list the build used) or else with the tree.
    """
    problems: list[str] = []
    if not bundle_dir.is_dir():
        return [f"bundle folder {bundle_dir} does not exist"]
    for name in (*(exe.name for exe in EXECUTABLES), LAUNCHER):
        if not (bundle_dir / f"{name}.exe").is_file():
            problems.append(f"missing {name}.exe")
    notices = bundle_dir / NOTICES_FILE
    if not notices.is_file() or notices.stat().st_size == 0:
        problems.append(f"missing {NOTICES_FILE} (third-party licences, see packaging/notices.py)")
    files = [p for p in bundle_dir.rglob("*") if p.is_file()]
    posix = [p.relative_to(bundle_dir).as_posix().lower() for p in files]
    for plugin in REQUIRED_QT_PLUGINS:
        if not any(path.endswith("/" + plugin.lower()) for path in posix):
            problems.append(f"missing Qt plugin {plugin} (PyInstaller could not import QtCore while building?)")
    for catalogue in REQUIRED_QT_TRANSLATIONS:
        if not any(path.endswith("/" + catalogue.lower()) for path in posix):
            problems.append(f"missing Qt translation {catalogue} (Qt's dialogs would be in English)")
    for forbidden in FORBIDDEN_FILES:
        hits = [path for path in posix if path.rsplit("/", 1)[-1] == forbidden]
        if hits:
            problems.append(f"build-machine-only {forbidden} leaked into the bundle: {hits}")
    internal = bundle_dir / "_internal"
    if internal.is_dir():
        inside = [p.relative_to(internal).as_posix() for p in files if internal in p.parents]
        problems += bundle_contents.content_problems(inside)
    expected = resource_files(resources_dir) if expected_resources is None else expected_resources
    for relative in expected:
        if not (internal / RESOURCES_DEST / relative).is_file():
            problems.append(f"missing resource {RESOURCES_DEST}/{relative.as_posix()}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Query the bundle definition (used by build_windows.sh).")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the project version")
    sub.add_parser("version4", help="print the four-part numeric version")
    sub.add_parser("publisher", help="print the publisher")
    rc = sub.add_parser("launcher-rc", help="print the launcher's resource script (icon, version)")
    rc.add_argument("icon", type=Path)
    check = sub.add_parser("check", help="check a built bundle folder; exit 1 listing problems")
    check.add_argument("bundle_dir", type=Path)
    args = parser.parse_args(argv)
    info = read_project()
    if args.command == "version":
        print(info.version)
    elif args.command == "version4":
        print(".".join(str(n) for n in numeric_version(info.version)))
    elif args.command == "publisher":
        print(info.publisher)
    elif args.command == "launcher-rc":
        sys.stdout.write(launcher_rc_text(info, args.icon))
    else:
        problems = check_bundle(args.bundle_dir)
        for problem in problems:
            print(f"bundle check: {problem}", file=sys.stderr)
        if problems:
            return 1
        print(f"bundle check: {args.bundle_dir} is complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
