"""How a certificate fingerprint looks in every dialog: SHA-256 as upper-case hex pairs joined by colons (as on
the report's last page and in the district's guide), in two lines of 16 pairs so it fits a narrow dialog."""

from __future__ import annotations

from html import escape

_PAIRS_PER_LINE = 16


def fingerprint_lines(fingerprint: str) -> list[str]:
    """“3C:58:…” in lines of 16 pairs, whatever the input's separators or case."""
    digits = "".join(ch for ch in fingerprint.upper() if ch in "0123456789ABCDEF")
    pairs = [digits[i:i + 2] for i in range(0, len(digits), 2)]
    return [":".join(pairs[i:i + _PAIRS_PER_LINE]) for i in range(0, len(pairs), _PAIRS_PER_LINE)]


def fingerprint_text(fingerprint: str) -> str:
    """For plain-text message boxes."""
    return "\n".join(fingerprint_lines(fingerprint))


def fingerprint_html(fingerprint: str) -> str:
    """For rich-text labels: monospaced, selectable lines."""
    return "<span style='font-family:monospace'>" + "<br/>".join(map(escape, fingerprint_lines(fingerprint))) + "</span>"
