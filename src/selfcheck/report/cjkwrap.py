"""Chinese line breaking for the report: kinsoku (禁则) and unbreakable dates, times, numbers and Latin words.

reportlab's CJK wrap breaks between any two characters and only pushes a few closing marks back; lines then start
with ，or ：and dates split as "2026-12-" / "03 09:17". `CJKParagraph` breaks lines with these rules instead:

- a line never starts with a closing or pausing mark (，。、；：？！）」』】》…) nor ends with an opening one (（「『【《“);
- a date, a time, a date with its time, a Chinese date (2026年9月1日), a number or a Latin word is never split,
  unless it alone is wider than the line;
- elsewhere Chinese text breaks between any two characters, Latin text at spaces.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import (
    FragLine,
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    imgNormV,
    imgVRange,
)
from reportlab.rl_config import _FUZZ

from selfcheck.report.fastdraw import drawon_code, para_code
from selfcheck.report.markup import parsed_frags

CANNOT_START = frozenset("，。、；：？！）」』】》〉〕］｝”’…—·．,.;:?!)]}%‰℃°・ー々〻")
CANNOT_END = frozenset("（「『【《〈〔［｛“‘([{")
UNBREAKABLE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"  # 2026-12-03, 2026-12-03 09:17(:05)
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?"  # 2026年12月3日
    r"|\d{1,2}月\d{1,2}日"
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # 09:17
    r"|[A-Za-z0-9][A-Za-z0-9_.,:/@#%+\-]*[A-Za-z0-9%]"  # numbers 1,200.5, ids MEAL-11, words, file names
)


def _is_wide(ch: str) -> bool:
    """A character of a CJK script or a full-width form: a line may break before or after it."""
    return bool(ch) and ord(ch[0]) >= 0x2E80


def break_opportunities(text: str) -> list[bool]:
    """allowed[k]: a line may break before character k (k = 1 … len(text) - 1; index 0 and len are False/True)."""
    n = len(text)
    allowed = [False] * (n + 1)
    allowed[n] = True
    for k in range(1, n):
        before, after = text[k - 1], text[k]
        if after in CANNOT_START or before in CANNOT_END:
            continue
        if before.isspace():
            allowed[k] = True
        elif after.isspace():
            continue  # break after the space, so the next line never starts with one
        elif _is_wide(before) or _is_wide(after):
            allowed[k] = True
    for match in UNBREAKABLE.finditer(text):
        for k in range(match.start() + 1, match.end()):
            allowed[k] = False
    return allowed


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


class CJKParagraph(Paragraph):
    """A Paragraph whose wordWrap='CJK' lines follow Chinese line-breaking rules (see the module docstring)."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is None and isinstance(text, str) and bulletText is None:
            cleaned = cleaner(text)
            frags = parsed_frags(cleaned, style)  # the markup's shape parsed once per report, or None
            if frags is not None:
                text = cleaned
        super()._setup(text, style, bulletText, frags, cleaner)

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - reportlab API
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        presplit = getattr(self, "_presplit", None)
        if presplit is not None and presplit[0] == maxWidths[-1]:
            return presplit[1]  # the rest of a paragraph split at a page end: its lines were broken already
        if not self.frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor,
                             lines=[], ascent=style.fontSize, descent=-0.2 * style.fontSize)
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return cjk_frag_split(self.frags, maxWidths, auto_leading not in ("", "off"))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # Tables wrap every cell again on every page they split across: the lines depend on the width only.
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth and hasattr(self, "blPara"):
            self.width, self.height = availWidth, cached[1]
            return availWidth, cached[1]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, height)
        return width, height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 - reportlab API
        if not getattr(self, "_showBoundary", False):
            x = self._hAlignAdjust(x, _sW)
            code = drawon_code(self, canvas, x, y)
            if code is not None:
                canvas._code.extend(code)
                return
            _sW = 0  # already applied to x
        super().drawOn(canvas, x, y, _sW)

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab API
        code = None if debug else para_code(self, self.canv)
        if code is None:
            super().drawPara(debug)
        else:
            self.canv._code.extend(code)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and getattr(self, "blPara", None) is not None and self.blPara.kind == 1:
            # reportlab re-breaks the rest from scratch on the next page (quadratic for a long note); hand it
            # the lines already broken, for the same width.
            first, rest = parts
            done = len(first.blPara.lines)
            style = rest.style
            width = availWidth - style.leftIndent - style.rightIndent
            rest._presplit = (width, ParaLines(kind=1, lines=self.blPara.lines[done:]))
        return parts
