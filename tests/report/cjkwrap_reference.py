"""The line breaking of selfcheck.report.cjkwrap as first written (glyph objects, per-character width lookups).

Kept as the reference the faster breaking is compared with (tests/report/test_cjkwrap.py): for any paragraph and
widths both must give exactly the same lines.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, ParaLines, imgNormV, imgVRange
from reportlab.rl_config import _FUZZ

from selfcheck.report.cjkwrap import CANNOT_START, break_opportunities


class _Glyph(str):
    """One character with its fragment and width (reportlab's cjkU, with the width looked up once per font)."""

    frag: Any
    width: Any


_WIDTHS: dict[tuple[str, str, float], float] = {}


def _glyph(ch: str, frag: Any) -> _Glyph:
    glyph = _Glyph(ch)
    glyph.frag = frag
    if hasattr(frag, "cbDefn"):
        glyph.width = getattr(frag.cbDefn, "width", 0)
    else:
        glyph.width = _char_width(ch, frag)
    return glyph


def _width(glyph: Any, max_width: float) -> float:
    width = glyph.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = max_width
        width = width.normalizedValue(max_width)
    return width


def _bounds(frag: Any, calc_bounds: bool) -> tuple[float, float]:
    size = frag.fontSize
    cb = getattr(frag, "cbDefn", None) if calc_bounds else None
    if cb is not None and getattr(cb, "width", 0):
        descent, ascent = imgVRange(imgNormV(cb.height, size), cb.valign, size)
        return ascent, descent
    return getAscentDescent(frag.fontName, size)


def _make_line(glyphs: list[Any], max_width: float, used: float, line_break: bool, calc_bounds: bool) -> Any:
    """reportlab's makeCJKParaLine, grouping glyphs by fragment instead of comparing styles glyph by glyph."""
    words = []
    max_size = max_ascent = min_descent = 0.0
    frag = None
    run: list[str] = []
    for glyph in glyphs:
        if glyph.frag is not frag:
            if run:
                words.append(frag.clone(text="".join(run)))
            frag, run = glyph.frag, []
            ascent, descent = _bounds(frag, calc_bounds)
            max_size, max_ascent, min_descent = (max(max_size, frag.fontSize), max(max_ascent, ascent),
                                                 min(min_descent, descent))
        run.append(glyph)
    if run:
        words.append(frag.clone(text="".join(run)))
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words, fontSize=max_size,
                    ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=used,
                    lineBreak=line_break)


def _char_width(ch: str, frag: Any) -> float:
    key = (ch, frag.fontName, frag.fontSize)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = stringWidth(ch, frag.fontName, frag.fontSize)
    return width


def _short_lines(frags: list[Any], texts: list[str], max_widths: list[float], calc_bounds: bool) -> list[Any] | None:
    """The lines of a paragraph whose every piece between line breaks fits on its line (most table cells, one
    line or a few <br/>-separated ones), built as the glyph-by-glyph breaking would build them but without glyph
    objects or a search for break points; None when some piece must be broken."""
    lines: list[Any] = []
    last = len(max_widths) - 1
    piece: list[tuple[Any, str]] = []
    get = _WIDTHS.get
    previous = None
    for frag, text in [*zip(frags, texts, strict=True), (None, "")]:
        if frag is not None and frag is previous:
            return None  # the glyph path would merge the two into one word
        previous = frag
        line_break = frag is not None and hasattr(frag, "lineBreak")
        if frag is not None and not line_break:
            if not text or hasattr(frag, "cbDefn"):
                return None
            piece.append((frag, text))
            continue
        if frag is None and not piece:
            break  # nothing after the last line break
        limit = max_widths[min(len(lines), last)]
        widths: list[float] = []
        for piece_frag, piece_text in piece:
            font, size = piece_frag.fontName, piece_frag.fontSize
            for ch in piece_text:
                width = get((ch, font, size))
                widths.append(width if width is not None else _char_width(ch, piece_frag))
        used = sum(widths)
        if used > limit + _FUZZ:
            return None
        if line_break:
            piece.append((frag, ""))
            used += _char_width("", frag)
        words = []
        max_size = max_ascent = min_descent = 0.0
        for piece_frag, piece_text in piece:
            ascent, descent = _bounds(piece_frag, calc_bounds)
            max_size, max_ascent, min_descent = (max(max_size, piece_frag.fontSize), max(max_ascent, ascent),
                                                 min(min_descent, descent))
            words.append(piece_frag.clone(text=piece_text))
        lines.append(FragLine(kind=1, extraSpace=limit - used, wordCount=1, words=words, fontSize=max_size,
                              ascent=max_ascent, descent=min_descent, maxWidth=limit, currentWidth=used,
                              lineBreak=line_break))
        piece = []
    return lines


def cjk_frag_split(frags: list[Any], max_widths: list[float], calc_bounds: bool, encoding: str = "utf8") -> ParaLines:
    """Break a paragraph's fragments into lines (the replacement of reportlab's cjkFragSplit)."""
    texts = [frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text for frag in frags]
    short = _short_lines(frags, texts, max_widths, calc_bounds)
    if short is not None:
        return ParaLines(kind=1, lines=short)
    return _glyph_lines(frags, texts, max_widths, calc_bounds)


def _glyph_lines(frags: list[Any], texts: list[str], max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Break glyph by glyph at the allowed break points."""
    glyphs: list[Any] = []
    for frag, text in zip(frags, texts, strict=True):
        if text:
            glyphs.extend(_glyph(ch, frag) for ch in text)
        else:
            glyphs.append(_glyph("", frag))
    # Empty glyphs (line breaks, images) stand for one neutral character in the text the rules read.
    allowed = break_opportunities("".join(str(g) or "\u2060" for g in glyphs))
    for k, glyph in enumerate(glyphs):
        if not str(glyph):
            allowed[k] = allowed[k + 1] = True

    lines: list[Any] = []
    n = len(glyphs)
    start = i = 0
    used = 0.0
    widths: list[float] = []  # widths of the glyphs start … i - 1 on the current line
    limit = max_widths[0]
    last = len(max_widths) - 1

    def emit(end: int, line_break: bool) -> None:
        count = end - start
        width = sum(widths[:count]) if count <= len(widths) else sum(widths) + sum(
            _width(g, limit) for g in glyphs[start + len(widths):end])
        lines.append(_make_line(glyphs[start:end], limit, width, line_break, calc_bounds))

    while i < n:
        glyph = glyphs[i]
        if hasattr(glyph.frag, "lineBreak"):
            emit(i + 1, True)
            start = i = i + 1
            used, widths = 0.0, []
            limit = max_widths[min(len(lines), last)]
            continue
        width = glyph.width
        if not isinstance(width, (int, float)):
            width = _width(glyph, limit)
        if used + width > limit + _FUZZ and i > start:
            cut = i
            while cut > start and not allowed[cut]:
                cut -= 1
            if cut == start:  # one unbreakable run wider than the line: hang a closing mark, else cut it
                cut = i + 1 if str(glyph) in CANNOT_START else i
            emit(cut, False)
            start = cut
            while start < n and str(glyphs[start]).isspace():
                start += 1
            i = start
            used, widths = 0.0, []
            limit = max_widths[min(len(lines), last)]
            continue
        used += width
        widths.append(width)
        i += 1
    if start < n:
        emit(n, False)
    return ParaLines(kind=1, lines=lines)
