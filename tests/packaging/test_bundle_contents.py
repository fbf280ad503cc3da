"""The bundle's allow-list and deny-list: what the app loads is shipped, what it never loads is not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))

import bundle_config  # noqa: E402
import bundle_contents  # noqa: E402


NEVER_LOADED = [
    "PySide6/QtNetwork.pyd", "PySide6/QtOpenGL.pyd", "PySide6/QtOpenGLWidgets.pyd", "PySide6/Qt6Network.dll",
    "PySide6/plugins/tls/qschannelbackend.dll", "PySide6/plugins/networkinformation/qnetworklistmanager.dll",
    "PySide6/plugins/platforms/qdirect2d.dll", "PySide6/plugins/platforms/qminimal.dll",
    "PIL/_avif.cp311-win_amd64.pyd", "lxml/objectify.cp311-win_amd64.pyd", "reportlab/fonts/hb-test.ttf",
    "reportlab/fonts/DarkGardenMK.pfb", "PySide6/QtMultimedia.pyd", "PySide6/QtWebEngineCore.pyd",
    "PySide6/Qt6Pdf.dll", "PySide6/Qt6VirtualKeyboard.dll", "PySide6/Qt6Quick.dll", "PySide6/opengl32sw.dll",
]
LOADED = [
    "PySide6/QtCharts.pyd", "PySide6/Qt6Charts.dll", "PySide6/Qt6OpenGL.dll", "PySide6/Qt6OpenGLWidgets.dll",
    "PySide6/QtCore.pyd", "PySide6/QtUiTools.pyd", "PySide6/translations/qtbase_zh_CN.qm",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/platforms/qoffscreen.dll",
    "PySide6/plugins/imageformats/qjpeg.dll", "PIL/_imaging.cp311-win_amd64.pyd", "reportlab/fonts/Vera.ttf",
]


@pytest.mark.parametrize("dest", NEVER_LOADED)
def test_never_loaded_files_are_dropped(dest: str) -> None:
    assert not bundle_config.keep_in_bundle(dest)
    assert not bundle_config.keep_in_bundle(dest.replace("/", "\\"))


@pytest.mark.parametrize("dest", LOADED)
def test_loaded_files_are_kept(dest: str) -> None:
    assert bundle_config.keep_in_bundle(dest)


def test_only_qtcharts_comes_from_addons() -> None:
    assert "PySide6.QtCharts" in bundle_config.QT_HIDDEN_IMPORTS
    for name in ("PySide6.QtNetwork", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets"):
        assert name in bundle_config.EXCLUDES and name not in bundle_config.QT_HIDDEN_IMPORTS


def _allowed_tree(internal: Path) -> list[str]:
    names = []
    for pattern in bundle_contents.ALLOW:
        name = pattern.replace("*", "x.cp311-win_amd64") if pattern.endswith(".pyd") else pattern.replace("*", "a.py")
        name = name.replace("pyside6/", "PySide6/", 1).replace("pil/", "PIL/", 1)  # the case the wheels use
        (internal / name).parent.mkdir(parents=True, exist_ok=True)
        (internal / name).write_bytes(b"MZ")
        names.append(name)
    return names


def test_content_check_accepts_the_allow_list_and_reports_each_denied_file(tmp_path: Path) -> None:
    names = _allowed_tree(tmp_path)
    assert bundle_contents.content_problems(names) == []
    problems = bundle_contents.content_problems([*names, "PySide6/plugins/tls/qopensslbackend.dll"])
    assert problems == ["pyside6/plugins/tls/qopensslbackend.dll is on the deny-list (never loaded) but is in the bundle"]


@pytest.mark.parametrize("missing", ["pyside6/qtcharts.pyd", "pyside6/translations/qtbase_zh_cn.qm",
                                     "pyside6/qt6opengl.dll"])
def test_content_check_reports_a_missing_allowed_file(tmp_path: Path, missing: str) -> None:
    names = [n for n in _allowed_tree(tmp_path) if n.lower() != missing]
    assert any(missing in p for p in bundle_contents.content_problems(names))
