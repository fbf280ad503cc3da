"""Paragraph and table styles of the report (official-document look: 黑体 headings, 仿宋 body, 宋体 tables)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from selfcheck.report.fonts import ReportFonts

if TYPE_CHECKING:
    from reportlab.lib.colors import Color
    from reportlab.lib.styles import ParagraphStyle

PAGE_MARGINS = {"left": 70.0, "right": 60.0, "top": 76.0, "bottom": 66.0}  # points; A4 text width ≈ 465 pt

INK = "#1a1a1a"
MUTED = "#555555"
RULE = "#8c8c8c"
GRID = "#9a9a9a"
HEAD_FILL = "#e9edf2"
AREA_FILL = "#f3f3f3"
ALERT = "#b3261e"
ALERT_FILL = "#fbe9e7"
OK = "#1e6b34"


@dataclass(frozen=True)
class Styles:
    fonts: ReportFonts
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    body_plain: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_small: ParagraphStyle
    cell_small_center: ParagraphStyle
    cell_indent: ParagraphStyle
    head: ParagraphStyle
    caption: ParagraphStyle
    caption_title: ParagraphStyle
    note: ParagraphStyle
    fingerprint: ParagraphStyle
    sign_label: ParagraphStyle
    incomplete: ParagraphStyle
    endnote: ParagraphStyle


def make_styles(fonts: ReportFonts) -> Styles:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    def style(name: str, font: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
        kw.setdefault("textColor", INK)
        for attr in ("textColor", "borderColor", "backColor"):
            if isinstance(kw.get(attr), str):
                kw[attr] = color(kw[attr])  # a Color object: reportlab parses a "#rrggbb" string on every line drawn
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

    body = style("body", fonts.fang, 12, 21, alignment=TA_JUSTIFY, firstLineIndent=24, spaceAfter=3)
    return Styles(
        fonts=fonts,
        title=style("title", fonts.hei, 19, 30, alignment=TA_CENTER, spaceBefore=6, spaceAfter=6),
        h1=style("h1", fonts.hei, 14, 22, spaceBefore=12, spaceAfter=6),
        h2=style("h2", fonts.kai, 12.5, 20, spaceBefore=8, spaceAfter=4),
        body=body,
        body_plain=style("body_plain", fonts.fang, 12, 21, alignment=TA_LEFT, spaceAfter=3),
        cell=style("cell", fonts.song, 9, 12.6),
        cell_center=style("cell_center", fonts.song, 9, 12.6, alignment=TA_CENTER),
        cell_small=style("cell_small", fonts.song, 8, 11, textColor=MUTED),
        cell_small_center=style("cell_small_center", fonts.song, 8, 11, alignment=TA_CENTER),
        cell_indent=style("cell_indent", fonts.song, 9, 12.6, leftIndent=12),
        head=style("head", fonts.hei, 9, 12.6, alignment=TA_CENTER),
        caption=style("caption", fonts.song, 8, 11),
        caption_title=style("caption_title", fonts.hei, 8.5, 12),
        note=style("note", fonts.song, 8.5, 13, textColor=MUTED),
        fingerprint=style("fingerprint", fonts.song, 8.5, 13, textColor=INK),
        sign_label=style("sign_label", fonts.fang, 12, 21),
        endnote=style("endnote", fonts.song, 9, 14, alignment=TA_JUSTIFY, spaceAfter=3),
        incomplete=style("incomplete", fonts.fang, 12, 20, textColor=ALERT, borderColor=ALERT, borderWidth=0.8,
                         borderPadding=(5, 6, 5, 6), backColor=ALERT_FILL, spaceBefore=8, spaceAfter=8),
    )


def esc(text: object) -> str:
    """Escape user text for a Paragraph; keep the line breaks the user typed."""
    return escape(str(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def color(hex_rgb: str) -> Color:
    """The reportlab Color of "#rrggbb"."""
    from reportlab.lib.colors import HexColor

    return HexColor(hex_rgb)


@lru_cache(maxsize=64)
def css_rgb(hex_rgb: str) -> str:
    """"#rrggbb" as "rgb(r,g,b)": the same colour, which reportlab's markup parser reads 3× faster."""
    return "rgb({},{},{})".format(*(int(hex_rgb[i:i + 2], 16) for i in (1, 3, 5)))


def colored(text: str, color: str, *, bold_font: str | None = None) -> str:
    inner = f'<font name="{bold_font}">{text}</font>' if bold_font else text
    return f'<font color="{css_rgb(color) if color.startswith("#") else color}">{inner}</font>'


def cn_date(value: date | datetime) -> str:
    """2026年9月1日 (official-document date style)."""
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else "—"


def local_time(value: datetime | None, tz: tzinfo | None, *, seconds: bool = False) -> str:
    """A time in the report's zone (aware values are converted; naive ones are shown as stored)."""
    if value is None:
        return "—"
    return _local_time(value, value.utcoffset(), tz, seconds)


@lru_cache(maxsize=4096)  # a report shows the same few answer and import times on hundreds of rows
def _local_time(value: datetime, offset: Any, tz: tzinfo | None, seconds: bool) -> str:
    # `offset` is part of the key: aware times at different offsets compare (and hash) equal as instants, but
    # without a report zone each is shown at its own offset.
    if value.tzinfo is not None and tz is not None:
        value = value.astimezone(tz)
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def grid_style(font: str, extra: list[tuple[Any, ...]] | None = None, *, header: bool = True) -> Any:
    from reportlab.platypus import TableStyle

    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),  # empty cells are drawn with the cell font: never Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    return TableStyle(commands + (extra or []))
