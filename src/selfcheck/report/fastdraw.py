"""Paragraph drawing without reportlab's per-fragment machinery: the same operators, a third of the time.

reportlab's drawPara copies the canvas state twice per paragraph (once in Flowable.drawOn, once in drawPara),
builds a text object and runs, for every fragment of every line, checks for images, links, underlines, background
colours and rises that the report's text never uses, then re-splits the text into font subsets. The report's ~1,100
cells and captions spent more time there than in anything else it controls.

`paragraph_code` returns, for a wrapped CJKParagraph whose lines hold plain text fragments (any fonts, sizes and
colours), exactly the text object drawPara would append to the page; `para_code`/`drawon_code` wrap it as drawPara
and Flowable.drawOn do. Anything else (bullets, borders, backgrounds, images, links, underlines, rises,
translucent colours, non-TrueType fonts, right-to-left text, flowing around images) returns None and reportlab
draws it. tests/report/test_fastdraw.py compares the operators with reportlab's for every paragraph of a report and
for generated ones.
"""

from __future__ import annotations

import weakref
from typing import Any

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.rl_config import paraFontSizeHeightOffset

_ALIGNMENTS = (TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY)


class _DocCache:
    """Per document: text → its subset runs as operators, subset → font resource name, colour → operator.

    A character's subset code is assigned once per document and never changes, so a text's operators, once
    computed by reportlab's splitString (which makes the assignment), stay valid for the rest of the document."""

    def __init__(self) -> None:
        self.runs: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.names: dict[tuple[str, int], str] = {}
        self.colors: dict[tuple[float, float, float], str] = {}


_CACHES: weakref.WeakKeyDictionary[Any, _DocCache] = weakref.WeakKeyDictionary()


def _cache(doc: Any) -> _DocCache:
    cache = _CACHES.get(doc)
    if cache is None:
        cache = _CACHES[doc] = _DocCache()
    return cache


def _plain(paragraph: Any, canv: Any) -> bool:
    """Whether every line is plain text reportlab would draw without extras."""
    style = paragraph.style
    if paragraph.bulletText or getattr(paragraph, "debug", 0) or hasattr(paragraph, "_offsets"):
        return False
    if style.backColor or (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None)):
        return False
    if getattr(style, "endDots", None) or style.wordWrap == "RTL" or style.alignment not in _ALIGNMENTS:
        return False
    if getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) in ("min", "max"):
        return False
    if not canv.bottomup or getattr(canv, "_enforceColorSpace", None):
        return False
    if canv._extgstate._d.get("ca", 1) != 1:
        return False
    fonts: dict[str, bool] = {}
    for line in paragraph.blPara.lines:
        if getattr(line, "wordCount", 0) != 1:
            return False
        for frag in line.words:
            if hasattr(frag, "cbDefn") or frag.us_lines or frag.link or getattr(frag, "backColor", None):
                return False
            if frag.rise or type(frag.text) is not str or "\xa0" in frag.text:  # a ShapedStr is drawn otherwise
                return False
            color = frag.textColor
            if not isinstance(color, Color) or isinstance(color, CMYKColor):
                return False
            if getattr(color, "alpha", None) not in (None, 1):
                return False
            name = frag.fontName
            dynamic = fonts.get(name)
            if dynamic is None:
                font = getFont(name)
                dynamic = fonts[name] = bool(font._dynamicFont) and hasattr(font, "splitString")
            if not dynamic:
                return False
    return True


def _move(code: list[str], dx: float) -> None:
    """PDFTextObject.moveCursor(dx, 0) as paragraph.setXPos calls it, folding a preceding move into this one."""
    if -1e-6 <= dx <= 1e-6:
        return
    dy = 0
    if code and code[-1].endswith(" Td"):
        parts = code[-1].split()
        if len(parts) == 3:
            del code[-1]
        else:
            code[-1] = "".join(parts[:-4])
        dx += float(parts[-3])
        dy -= float(parts[-2])
    code.append(f"{fp_str(dx, -dy)} Td")


def paragraph_code(paragraph: Any, canv: Any) -> str | None:
    """The text object drawPara appends for the wrapped `paragraph` ("" for no lines), or None (see module doc)."""
    bl = getattr(paragraph, "blPara", None)
    if bl is None or bl.kind != 1 or not _plain(paragraph, canv):
        return None
    lines = bl.lines
    if not lines:
        return ""
    style = paragraph.style
    doc = canv._doc
    cache = _cache(doc)
    runs, names, colors = cache.runs, cache.names, cache.colors
    escape = canv._escape
    first = lines[0]
    top = paragraph.height - (first.fontSize if paraFontSizeHeightOffset else getattr(first, "ascent", first.fontSize))
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, top)} Tm"]
    leading = style.leading
    alignment = style.alignment
    tx_leading: Any = None
    font_key: Any = None
    font: Any = None
    subset = -1
    color: Any = None
    alpha_used = False
    for n, line in enumerate(lines):
        offset = (style.firstLineIndent + 0) if n == 0 else 0  # + _offsets[0] as drawPara adds it (-0.0 → 0.0)
        if alignment == TA_CENTER:
            offset = offset + 0.5 * line.extraSpace
        elif alignment == TA_RIGHT:
            offset = offset + line.extraSpace
        _move(code, offset)
        if tx_leading != leading:
            tx_leading = leading
            code.append(f"{fp_str(leading)} TL")
        words = line.words
        last = words[-1]
        for frag in words:
            size = frag.fontSize
            if font_key != (frag.fontName, size):
                font_key = (frag.fontName, size)
                font = getFont(frag.fontName)
                subset = -1
            if color != frag.textColor:
                color = frag.textColor
                rgb = (color.red, color.green, color.blue)
                operator = colors.get(rgb)
                if operator is None:
                    operator = colors[rgb] = f"{fp_str(rgb)} rg"
                code.append(operator)
                if getattr(color, "alpha", None) is not None:
                    alpha_used = True
            text = frag.text
            key = (frag.fontName, text)
            pieces = runs.get(key)
            if pieces is None:
                pieces = runs[key] = [(s, f"({escape(t)}) Tj") for s, t in font.splitString(text, doc)]
            out = []
            template = None
            for piece_subset, shown in pieces:
                if piece_subset != subset:
                    if template is None:
                        template = f"{fp_str(size)} Tf {fp_str(tx_leading)} TL"
                    name = names.get((frag.fontName, piece_subset))
                    if name is None:
                        name = names[(frag.fontName, piece_subset)] = font.getSubsetInternalName(piece_subset, doc)
                    out.append(f"{name} {template}")
                    subset = piece_subset
                out.append(shown)
            shown_text = " ".join(out)
            code.append(shown_text + " T*" if frag is last else shown_text)
        _move(code, -offset)
    if alpha_used:
        doc.ensureMinPdfVersion("transparency")  # what setFillAlpha(1) records
    code.append("ET")
    return " ".join(code)


def para_code(paragraph: Any, canv: Any) -> list[str] | None:
    """What drawPara appends to the page: the text object inside q … Q (nothing for no lines), or None."""
    text = paragraph_code(paragraph, canv)
    if text is None:
        return None
    return ["q", text, "Q"] if text else []


def drawon_code(paragraph: Any, canv: Any, x: float, y: float) -> list[str] | None:
    """What Flowable.drawOn appends for the paragraph at (x, y) (already aligned), or None."""
    inner = para_code(paragraph, canv)
    if inner is None:
        return None
    return ["q", f"1 0 0 1 {fp_str(x, y)} cm", *inner, "Q"]
