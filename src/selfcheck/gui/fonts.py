"""Picks a font that shows Simplified Chinese well on Windows, macOS and Linux."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# Order matters: the usual Windows UI face first, then common fallbacks on other systems.
CJK_UI_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "SimSun",
)
MIN_POINT_SIZE = 9.0


def cjk_families() -> list[str]:
    """The installed CJK UI families, best first."""
    installed = set(QFontDatabase.families())
    return [family for family in CJK_UI_FAMILIES if family in installed]


def apply_cjk_font(app: QApplication) -> QFont:
    """Make the application font prefer an installed CJK face (keeping the system size); returns it."""
    font = QFont(app.font())
    found = cjk_families()
    if found:
        # Latin text keeps the system face where the CJK face has none; Chinese uses the CJK face.
        font.setFamilies([found[0], *[f for f in font.families() if f not in found], *found[1:]])
    if 0 < font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)
    return font
