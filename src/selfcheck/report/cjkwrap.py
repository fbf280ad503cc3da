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
from itertools import chain
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import (
    FragLine,
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    _wsc,
    cleanBlockQuotedText,
    imgNormV,
    imgVRange,
)
from reportlab.rl_config import _FUZZ

from selfcheck.report.fastdraw import drawon_code, para_code
from selfcheck.report.markup import copy_frag, parsed_frags

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


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}  # (font, size) → character → its width alone
_ASCENTS: dict[tuple[str, float], tuple[float, float]] = {}


def _char_widths(text: str, font: str, size: float) -> list[float]:
    """Each character's width as stringWidth gives it for the character alone (what the lines add up)."""
    table = _WIDTHS.get((font, size))
    if table is None:
        table = _WIDTHS[(font, size)] = {}
    try:
        return list(map(table.__getitem__, text))
    except KeyError:
        for ch in text:
            if ch not in table:
                table[ch] = stringWidth(ch, font, size)
        return list(map(table.__getitem__, text))


def _char_width(ch: str, frag: Any) -> float:
    """The width of one character ("" for a line break) in the fragment's font."""
    table = _WIDTHS.get((frag.fontName, frag.fontSize))
    width = None if table is None else table.get(ch)
    if width is None:
        width = stringWidth(ch, frag.fontName, frag.fontSize)
        _WIDTHS.setdefault((frag.fontName, frag.fontSize), {})[ch] = width
    return width


def _normalized(width: Any, max_width: float) -> Any:
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
    key = (frag.fontName, size)
    bounds = _ASCENTS.get(key)
    if bounds is None:
        bounds = _ASCENTS[key] = getAscentDescent(frag.fontName, size)
    return bounds


def _frag_line(words: list[tuple[Any, str]], max_width: float, used: float, line_break: bool,
               calc_bounds: bool) -> Any:
    """reportlab's makeCJKParaLine for runs (fragment, text): one word per run, a copy of its fragment."""
    out = []
    max_size = max_ascent = min_descent = 0.0
    for frag, text in words:
        ascent, descent = _bounds(frag, calc_bounds)
        max_size, max_ascent, min_descent = (max(max_size, frag.fontSize), max(max_ascent, ascent),
                                             min(min_descent, descent))
        out.append(copy_frag(frag, text=text))
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=out, fontSize=max_size,
                    ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=used,
                    lineBreak=line_break)


def _short_lines(frags: list[Any], texts: list[str], max_widths: list[float], calc_bounds: bool) -> list[Any] | None:
    """The lines of a paragraph whose every piece between line breaks fits on its line (most table cells, one
    line or a few <br/>-separated ones), built as the glyph-by-glyph breaking would build them but without a
    search for break points; None when some piece must be broken."""
    lines: list[Any] = []
    last = len(max_widths) - 1
    piece: list[tuple[Any, str]] = []
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
        if len(piece) == 1:
            used = sum(_char_widths(piece[0][1], piece[0][0].fontName, piece[0][0].fontSize))
        else:  # one running sum over the characters of all runs, as the glyph path adds them
            used = sum(chain.from_iterable(_char_widths(t, f.fontName, f.fontSize) for f, t in piece))
        if used > limit + _FUZZ:
            return None
        if line_break:
            piece.append((frag, ""))
            used += _char_width("", frag)
        lines.append(_frag_line(piece, limit, used, line_break, calc_bounds))
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
    """Break glyph by glyph at the allowed break points.

    A glyph is a character of a fragment's text, or an empty fragment (a line break, an image) standing for one;
    the glyphs are kept as parallel lists: character, owning fragment, width."""
    chars: list[str] = []
    owners: list[Any] = []
    widths: list[Any] = []
    breaks: list[bool] = []
    for frag, text in zip(frags, texts, strict=True):
        count = len(text) or 1
        owners.extend([frag] * count)
        breaks.extend([hasattr(frag, "lineBreak")] * count)
        if text:
            chars.extend(text)
        else:
            chars.append("")
        if hasattr(frag, "cbDefn"):
            widths.extend([getattr(frag.cbDefn, "width", 0)] * count)
        elif text:
            widths.extend(_char_widths(text, frag.fontName, frag.fontSize))
        else:
            widths.append(_char_width("", frag))
    # Empty glyphs (line breaks, images) stand for one neutral character in the text the rules read.
    allowed = break_opportunities("".join(ch or "\u2060" for ch in chars))
    for k, ch in enumerate(chars):
        if not ch:
            allowed[k] = allowed[k + 1] = True

    lines: list[Any] = []
    n = len(chars)
    start = i = 0
    used = 0.0
    line_widths: list[float] = []  # widths of the glyphs start … i - 1 on the current line
    limit = max_widths[0]
    last = len(max_widths) - 1

    def emit(end: int, line_break: bool) -> None:
        count = end - start
        width = sum(line_widths[:count]) if count <= len(line_widths) else sum(line_widths) + sum(
            _normalized(w, limit) for w in widths[start + len(line_widths):end])
        runs: list[tuple[Any, str]] = []
        run_start = start
        for k in range(start + 1, end + 1):
            if k == end or owners[k] is not owners[run_start]:
                runs.append((owners[run_start], "".join(chars[run_start:k])))
                run_start = k
        lines.append(_frag_line(runs, limit, width, line_break, calc_bounds))

    while i < n:
        if breaks[i]:
            emit(i + 1, True)
            start = i = i + 1
            used, line_widths = 0.0, []
            limit = max_widths[min(len(lines), last)]
            continue
        width = widths[i]
        if not isinstance(width, (int, float)):
            width = _normalized(width, limit)
        if used + width > limit + _FUZZ and i > start:
            cut = i
            while cut > start and not allowed[cut]:
                cut -= 1
            if cut == start:  # one unbreakable run wider than the line: hang a closing mark, else cut it
                cut = i + 1 if chars[i] in CANNOT_START else i
            emit(cut, False)
            start = cut
            while start < n and chars[start].isspace():
                start += 1
            i = start
            used, line_widths = 0.0, []
            limit = max_widths[min(len(lines), last)]
            continue
        used += width
        line_widths.append(width)
        i += 1
    if start < n:
        emit(n, False)
    return ParaLines(kind=1, lines=lines)


_OTHER_SPACE = re.compile("[%s]" % re.escape(_wsc.replace(" ", "")))


def already_clean(text: str) -> bool:
    """Whether reportlab's cleanBlockQuotedText would return `text` unchanged: no line breaks or other white space
    but single inner spaces (most cells: 是, 合规, a sentence). Found in C instead of a Python pass per line."""
    return not _OTHER_SPACE.search(text) and "  " not in text and text[:1] != " " and text[-1:] != " "


class CJKParagraph(Paragraph):
    """A Paragraph whose wordWrap='CJK' lines follow Chinese line-breaking rules (see the module docstring)."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is None and isinstance(text, str) and bulletText is None:
            cleaned = text if cleaner is cleanBlockQuotedText and already_clean(text) else cleaner(text)
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
