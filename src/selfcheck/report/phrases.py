"""The report's recurring phrases: Chinese ordinals, score and completion figures, a title split in two lines."""

from __future__ import annotations

from typing import Any

from selfcheck.report.data import Tally
from selfcheck.report.styles import esc

CHINESE_NUMERALS = "一二三四五六七八九十"

def ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (for （一）-style headings)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


TITLE_BREAKS_AFTER = ("关于", "学期", "年度", "”", "\"", "专项", "工作")
TITLE_BREAKS_BEFORE = ("自查情况的报告", "情况的报告", "专项", "“")


def balanced_title(title: str, font: str, size: float, width: float) -> list[str]:
    """Split a long title into two lines at a natural break (after 关于, before 自查情况的报告, …), as even as possible.

    Returns [title] when it fits on one line or no natural break makes two fitting lines (reportlab then wraps).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(title, font, size) <= width:
        return [title]
    candidates = set()
    for token in TITLE_BREAKS_AFTER:
        start = 0
        while (i := title.find(token, start)) >= 0:
            candidates.add(i + len(token))
            start = i + 1
    for token in TITLE_BREAKS_BEFORE:
        start = 0
        while (i := title.find(token, start)) >= 0:
            candidates.add(i)
            start = i + 1
    best: tuple[float, int] | None = None
    for cut in sorted(c for c in candidates if 0 < c < len(title)):
        first, second = stringWidth(title[:cut], font, size), stringWidth(title[cut:], font, size)
        if first <= width and second <= width:
            score = abs(first - second)
            if best is None or score < best[0]:
                best = (score, cut)
    if best is None:
        return [title]
    return [title[:best[1]], title[best[1]:]]


def score_text(tally: Tally) -> str:
    """Points over the answered items (“—” while none is scored)."""
    return f"{tally.score}/{tally.max_score}" if tally.max_score else "—"


def done_text(tally: Tally) -> str:
    """“12/17”: answered of counted items."""
    return f"{tally.answered}/{tally.items}"


def number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def basis_text(basis: Any) -> str:
    text = f"《{esc(basis.document)}》" + (esc(basis.article) if basis.article else "")
    return text + (f"〔{esc(basis.kind)}〕" if basis.kind else "")


def clause(text: str) -> str:
    """User text joined into a longer sentence: drop its final full stop so "。；" never appears."""
    return text.strip().rstrip("。；;.，,")


def short_tally(t: Tally) -> str:
    return (f"（{t.items} 项，已完成 {done_text(t)}：合规 {t.compliant}，不合规 {t.noncompliant}，"
            f"不适用 {t.na}，未作答 {t.unanswered}）")
