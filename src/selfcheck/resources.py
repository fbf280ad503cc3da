"""Locates the bundled resources folder, whether installed, editable or frozen."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    found = [_PACKAGE_DIR / "resources"]  # wheel install: mapped by the build backend
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:  # PyInstaller bundle
        found.append(Path(meipass) / "selfcheck" / "resources")
    found.append(_PACKAGE_DIR.parents[1] / "resources")  # editable / source tree: src/selfcheck/../../resources
    return found


@cache
def resources_dir() -> Path:
    """Return the resources folder; raises FileNotFoundError naming every place looked at."""
    for path in _candidates():
        if (path / "checklists").is_dir():
            return path
    tried = ", ".join(str(p) for p in _candidates())
    raise FileNotFoundError(f"找不到程序资源文件夹（已查找：{tried}），请重新安装本软件。")


def resource_path(*parts: str) -> Path:
    """Return the path of a file or folder inside the resources folder."""
    return resources_dir().joinpath(*parts)


def checklists_dir() -> Path:
    return resource_path("checklists")


def ui_dir() -> Path:
    return resource_path("ui")


NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"  # written beside SelfCheck.exe by the Windows build (packaging/notices.py)


def third_party_notices() -> Path | None:
    """The installed app's third-party licence notices, or None when not running from the installed bundle."""
    if not getattr(sys, "frozen", False):
        return None
    path = Path(sys.executable).resolve().parent / NOTICES_FILE
    return path if path.is_file() else None
