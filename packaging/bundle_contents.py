"""What the Windows bundle must and must not hold: an allow-list (files the app loads) and a deny-list (files it
provably never loads, dropped from the bundle). Pure standard library; shared by the spec, the build and the tests.

Paths are relative to the bundle's `_internal` folder, POSIX separators, lower case, fnmatch patterns.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

# PySide6 Python modules the app imports. QtCharts (dashboard and district charts) is the only one from
# PySide6-Addons; every other Addons module is left out.
QT_PYTHON_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtUiTools", "QtCharts")
# Qt libraries those modules and the kept plugins link against. Qt6Charts.dll and Qt6UiTools.dll import
# Qt6OpenGL.dll and Qt6OpenGLWidgets.dll (the libraries, not the Python modules of the same name).
QT_LIBRARIES = ("Qt6Core", "Qt6Gui", "Qt6Widgets", "Qt6UiTools", "Qt6Charts", "Qt6OpenGL", "Qt6OpenGLWidgets", "Qt6Svg")

# Must be in the bundle: the build fails without them.
ALLOW = (
    *(f"pyside6/{name.lower()}.pyd" for name in QT_PYTHON_MODULES),
    *(f"pyside6/{name.lower()}.dll" for name in QT_LIBRARIES),
    "pyside6/plugins/platforms/qwindows.dll",  # the desktop
    "pyside6/plugins/platforms/qoffscreen.dll",  # --smoke-test
    "pyside6/plugins/imageformats/qjpeg.dll",  # photos and thumbnails
    "pyside6/plugins/styles/qmodernwindowsstyle.dll",  # the Windows 10/11 look
    "pyside6/translations/qtbase_zh_cn.qm",  # Qt's own dialogs and buttons in Chinese (loaded by gui/app.py)
    "pil/_imaging.*.pyd",
    "pil/_webp.*.pyd",  # WebP photos are accepted
    "_pi_heif.*.pyd",  # HEIC photos from phones
    "_sqlite3.pyd",
    "sqlite3.dll",
    "pyhanko/*",
    "reportlab/*",
    "aiohttp/*",  # imported (never used) by pyhanko.sign.timestamps at import time: provably loaded
)

# Never loaded by the app, so never shipped.
DENY = (
    # Qt networking: the app is offline. Qt6Network.dll was only pulled in by Qt Pdf, Qml and Quick below.
    "pyside6/qtnetwork.pyd",
    "pyside6/qt6network.dll",
    "pyside6/plugins/tls/*",
    "pyside6/plugins/networkinformation/*",
    # The OpenGL Python modules (the DLLs stay: Qt Charts links them).
    "pyside6/qtopengl.pyd",
    "pyside6/qtopenglwidgets.pyd",
    # Mesa's software OpenGL fallback (20 MB) only serves OpenGL/Qt Quick.
    "pyside6/opengl32sw.dll",
    # Platform plugins other than qwindows (desktop) and qoffscreen (smoke test).
    "pyside6/plugins/platforms/qdirect2d.dll",
    "pyside6/plugins/platforms/qminimal.dll",
    # The virtual keyboard (touch screens) and the PDF image plugin drag in Qt Quick, Qml and Qt Pdf (Addons).
    "pyside6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll",
    "pyside6/qt6virtualkeyboard*.dll",
    "pyside6/qt6quick*.dll",
    "pyside6/qt6qml*.dll",
    "pyside6/plugins/imageformats/qpdf.dll",
    "pyside6/qt6pdf*.dll",
    # Every other PySide6-Addons module (only QtCharts is used).
    *(f"pyside6/{name.lower()}.pyd" for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
        "QtBluetooth", "QtCanvasPainter", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets",
        "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc",
        "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQuick3D", "QtRemoteObjects", "QtScxml", "QtSensors",
        "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtStateMachine", "QtTextToSpeech", "QtWebChannel",
        "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtQml",
        "QtQuick", "QtQuickControls2", "QtQuickWidgets", "QtQuickTest")),
    "pyside6/qt6webengine*", "pyside6/qt6multimedia*", "pyside6/qt63d*", "pyside6/qt6datavisualization*",
    "pyside6/qt6graphs*", "pyside6/qt6location*", "pyside6/qt6positioning*", "pyside6/qt6chartsqml.dll",
    # Pillow's AVIF codec (7.9 MB): AVIF photos are not accepted.
    "pil/_avif.*.pyd",
    # lxml's objectify API: nothing uses it.
    "lxml/objectify.*.pyd",
    # ReportLab's test and demo fonts (reports use the Windows Chinese fonts).
    "reportlab/fonts/darkgarden*",
    "reportlab/fonts/hb-test.ttf",
    "reportlab/fonts/callig15.*",
)

# Python modules PyInstaller must not even analyse (their files would match DENY).
EXCLUDED_MODULES = ("PySide6.QtNetwork", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "lxml.objectify", "PIL._avif",
                    "PIL.AvifImagePlugin")


def _norm(dest: str) -> str:
    return dest.replace("\\", "/").lower()


def denied(dest: str) -> bool:
    """Whether a bundle file (its path inside _internal) is on the deny-list."""
    dest = _norm(dest)
    return any(fnmatchcase(dest, pattern) for pattern in DENY)


def content_problems(paths: list[str]) -> list[str]:
    """Problems with a bundle's file list (paths inside _internal): denied files present, allowed ones missing."""
    normalised = [_norm(p) for p in paths]
    problems = [f"{path} is on the deny-list (never loaded) but is in the bundle" for path in normalised if denied(path)]
    for pattern in ALLOW:
        if not any(fnmatchcase(path, pattern) for path in normalised):
            problems.append(f"nothing matching {pattern} in the bundle (the app loads it)")
    return problems
