"""How the app shows completion and score: 已完成 x/y beside every score, 未完成 in plain words."""

from __future__ import annotations

from selfcheck.checklists.scoring import Tally, completion_text, score_text

DONE_COLOR = "#2e7d32"
OPEN_COLOR = "#b26a00"


def completion_html(tally: Tally) -> str:
    """e.g. “<b>未完成</b> 已完成 5/113 · 得分 8/10” (rich text for a label)."""
    if tally.total == 0:
        return "<span style='font-weight:normal;color:#6b7785'>无适用的检查项</span>"
    if tally.complete:
        state = f"<span style='color:{DONE_COLOR}'>已完成</span>"
    else:
        state = f"<span style='color:{OPEN_COLOR}'>未完成</span>"
    return (f"{state}<span style='font-weight:normal'>　{completion_text(tally)} · 得分 {score_text(tally)}</span>")


def score_cell(tally: Tally) -> str:
    """A table cell: “8/10（已完成 5/17）”; the score counts only answered items."""
    return f"{score_text(tally)}（{completion_text(tally)}）"
