"""Hypothesis strategies for report text: paragraph markup as the report builds it, from words that exercise the
line-breaking rules (closing and opening marks, dates, times, numbers, Latin words, spaces, emoji)."""

from __future__ import annotations

from hypothesis import strategies as st

from selfcheck.report.fonts import report_fonts
from selfcheck.report.styles import ALERT, MUTED, colored, esc

FONTS = report_fonts()

WORDS = st.sampled_from([
    "合规", "经查", "，", "。", "（", "）", "「", "」", "：", "、", "？", "！", "“", "”", "2026-12-03 09:17",
    "2026年12月3日", "12月3日", "09:17:05", "MEAL-11", "1,200.5", " ", "  ", "IMG_20261203.jpg", "食堂晨检记录齐全",
    "留样柜温度 4℃", "A", "(x)", "\\", "…", "——", "陪餐记录？已补齐！", "《学校食品安全与营养健康管理规定》", "Ω",
    "é", "🙂", "supercalifragilisticexpialidocious", "3c58a1f0e2b94d17",
])


@st.composite
def markup(draw: st.DrawFn, max_runs: int = 12) -> str:
    """Paragraph markup: runs of words, some coloured, in 黑体, or followed by a line break."""
    parts = []
    for _ in range(draw(st.integers(1, max_runs))):
        text = esc("".join(draw(st.lists(WORDS, min_size=1, max_size=6))))
        wrap = draw(st.sampled_from(["plain", "color", "hei", "bold_alert", "br"]))
        if wrap == "color":
            text = colored(text, draw(st.sampled_from([MUTED, ALERT, "#1e6b34"])))
        elif wrap == "hei":
            text = f'<font name="{FONTS.hei}">{text}</font>'
        elif wrap == "bold_alert":
            text = colored(text, ALERT, bold_font=FONTS.hei)
        elif wrap == "br":
            text += "<br/>"
        parts.append(text)
    return "".join(parts)
