"""Tables that always lay out: a cell too tall for a row moves, in full, to a numbered note after the table.

reportlab cannot split a table row across pages, so a row taller than the page fails the whole export with
LayoutError. Any text the app accepts (5,000-character notes, descriptions, measures, follow-up findings, long team
lists) must lay out: a row is kept below `MAX_ROW_HEIGHT`; the tallest cells of a taller row are replaced by their
opening words and "（全文见表后注 N）", and the full text follows the table as paragraphs, which split across
pages like any text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

MAX_ROW_HEIGHT = 220.0  # points; an A4 frame is ~700 pt, so a row never leaves more than a third of a page empty
EXCERPT_CHARS = 40
CELL_PADDING = 8.0  # left + right padding of the report's grid tables (4 + 4); top + bottom is 3 + 3


@dataclass
class Notes:
    """Full texts moved out of table cells, numbered across the whole report (注 1, 注 2, …)."""

    entries: list[tuple[int, str, Any]] = field(default_factory=list)  # (number, label, original paragraph)
    counter: int = 0

    def add(self, label: str, paragraph: Any) -> int:
        self.counter += 1
        self.entries.append((self.counter, label, paragraph))
        return self.counter

    def take(self) -> list[tuple[int, str, Any]]:
        taken, self.entries = self.entries, []
        return taken


def plain_text(paragraph: Any) -> str:
    """The text of a Paragraph without markup (line breaks as spaces)."""
    parts = [" " if hasattr(frag, "lineBreak") else (getattr(frag, "text", "") or "") for frag in paragraph.frags]
    return " ".join("".join(parts).split())


def _could_be_tall(paragraph: Any, width: float, limit: float) -> bool:
    """Cheap upper bound: no glyph is wider than 1 em, each <br/> adds a line."""
    style = paragraph.style
    chars = sum(len(getattr(f, "text", "") or "") for f in paragraph.frags)
    breaks = sum(1 for f in paragraph.frags if hasattr(f, "lineBreak"))
    per_line = max(1.0, width / style.fontSize)
    return (chars / per_line + breaks + 1) * style.leading > limit


def _height(paragraph: Any, width: float) -> float:
    return paragraph.wrap(width, 1e9)[1]


def span_widths(widths: list[float], commands: list[tuple[Any, ...]], rows: int) -> dict[tuple[int, int], float]:
    """(row, column) → width of a horizontally spanned cell, from the table's SPAN commands."""
    result: dict[tuple[int, int], float] = {}
    for command in commands:
        if command[0] != "SPAN":
            continue
        (c0, r0), (c1, r1) = command[1], command[2]
        c0, c1 = c0 % len(widths), c1 % len(widths)
        r0, r1 = r0 % rows, r1 % rows
        if r0 == r1:
            result[(r0, c0)] = sum(widths[c0:c1 + 1])
    return result


def move_tall_cells(rows: list[list[Any]], widths: list[float], commands: list[tuple[Any, ...]], notes: Notes,
                    make_paragraph: Callable[[str, Any], Any], *, header: int = 1,
                    row_label: Callable[[int], str] | None = None, limit: float = MAX_ROW_HEIGHT) -> None:
    """Replace, in place, the tallest paragraph cells of every row taller than `limit` by an excerpt and a
    pointer to a note; the full paragraphs are added to `notes` (label: the row's first cell and the column)."""
    spans = span_widths(widths, commands, len(rows))
    heads = [plain_text(cell) if hasattr(cell, "frags") else "" for cell in rows[0]] if header else []
    for r in range(header, len(rows)):
        row = rows[r]
        while True:
            tall = []
            for c, cell in enumerate(row):
                if not hasattr(cell, "frags"):
                    continue
                width = spans.get((r, c), widths[c]) - CELL_PADDING
                if _could_be_tall(cell, width, limit - 6):
                    tall.append((_height(cell, width), c))
            if not tall:
                break
            height, c = max(tall)
            if height <= limit - 6:
                break
            cell = row[c]
            label = row_label(r) if row_label is not None else _first_cell_text(rows, r, header)
            if heads and heads[c]:
                label = f"{label}·{heads[c]}" if label else heads[c]
            number = notes.add(label, cell)
            excerpt = excerpt_of(plain_text(cell))
            row[c] = make_paragraph(f"{escape(excerpt)}……（全文见表后注 {number}）", cell.style)


def excerpt_of(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The opening words of `text`, cut where a line may break (never inside a date, a number or a word)."""
    from selfcheck.report.cjkwrap import break_opportunities

    if len(text) <= limit:
        return text
    allowed = break_opportunities(text[: limit + 40])
    cut = next((k for k in range(limit, 0, -1) if allowed[k]), limit)
    return text[:cut].rstrip()


def _first_cell_text(rows: list[list[Any]], r: int, header: int) -> str:
    for k in range(r, header - 1, -1):
        cell = rows[k][0]
        if hasattr(cell, "frags"):
            text = plain_text(cell)
            if text:
                return text.split()[0][:30]
    return ""
