"""Paragraph markup parsed once per shape: the report's ~700 cells share a few dozen tag layouts.

reportlab parses every Paragraph's markup with an HTMLParser subclass (a fifth of the text layout time). The
report's markup is generated from a few templates (`id<br/><font color=…>severity · score</font>`, photo captions,
…) filled with user text. `parsed_frags` splits the markup into its tags and text runs, parses the tags once per
style with a placeholder standing for each run, and fills the runs into copies of the cached fragments — the same
fragments reportlab's own parser returns (tests/report/test_markup.py compares them). Markup it cannot reproduce
exactly (entities, tags other than font/b/i/u/br, parse errors) returns None: the caller parses it as usual.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from reportlab.lib.abag import ABag

_TAG = re.compile(r"<[^<>]*>")
_SIMPLE_TAG = re.compile(r"</?(?:font|b|i|u|br)(?:\s[^<>]*)?/?>\Z", re.IGNORECASE)
_FIRST = 0xF0000  # placeholders: one supplementary private-use character per text run
_MAX_RUNS = 0xFFFD
_LIMIT = 512  # shapes kept per style

_SHAPES: weakref.WeakKeyDictionary[Any, dict[str, list[Any] | None]] = weakref.WeakKeyDictionary()


def copy_frag(frag: Any, **changes: Any) -> Any:
    """frag.clone(**changes) — a fragment's attributes in a new object of its class — without passing its ~30
    attributes through keyword arguments (ABag.clone does: a third of the time the report's lines took)."""
    cls = type(frag)
    if cls.clone is not ABag.clone or cls.__init__ is not ABag.__init__:
        return frag.clone(**changes)
    new = object.__new__(cls)
    attributes = frag.__dict__.copy()
    attributes.update(changes)
    new.__dict__ = attributes
    return new


def parsed_frags(cleaned: str, style: Any) -> list[Any] | None:
    """The fragments reportlab's ParaParser returns for the (already whitespace-cleaned) markup, or None."""
    if "&" in cleaned:
        return None  # entities become fragments of their own; leave them to the parser
    tags = _TAG.findall(cleaned)
    runs = _TAG.split(cleaned)
    if len(runs) > _MAX_RUNS or not all(_SIMPLE_TAG.match(tag) for tag in tags):
        return None
    parts = []
    filled = 0
    for n, run in enumerate(runs):
        if run:
            if "<" in run or ">" in run:
                return None
            parts.append(chr(_FIRST + n))
            filled += 1
        if n < len(tags):
            parts.append(tags[n])
    shape = "".join(parts)
    shapes = _SHAPES.get(style)
    if shapes is None:
        shapes = _SHAPES[style] = {}
    if shape not in shapes:
        if len(shapes) >= _LIMIT:
            shapes.clear()
        shapes[shape] = _parse(shape, style)
    template = shapes[shape]
    if template is None:
        return None
    frags = []
    used = 0
    for frag in template:
        text = frag.text
        if len(text) == 1 and _FIRST <= ord(text) < _FIRST + len(runs):
            frags.append(copy_frag(frag, text=runs[ord(text) - _FIRST]))
            used += 1
        elif text:
            return None  # the parser produced text of its own: not a shape this cache can fill
        else:
            frags.append(copy_frag(frag))
    return frags if used == filled else None


def _parse(shape: str, style: Any) -> list[Any] | None:
    from reportlab.platypus.paraparser import ParaParser

    if getattr(style, "textTransform", None):
        return None  # the transform would apply to the placeholders, not the text

    parser = ParaParser()
    parser.caseSensitive = 1  # as Paragraph sets it
    try:
        parsed_style, frags, bullet = parser.parse(shape, style)
    except ValueError:
        return None
    if frags is None or bullet or parsed_style is not style:
        return None
    return frags
