"""Photo evidence import: validate untrusted image files and normalise them for storage (no database here)."""

from __future__ import annotations

from selfcheck.evidence.formats import sniff_image_format
from selfcheck.evidence.models import NormalizedPhoto, PhotoLimits
from selfcheck.evidence.photos import (
    normalize_photo,
    normalize_photo_bytes,
    photo_file_patterns,
    supported_formats,
)

__all__ = [
    "NormalizedPhoto",
    "PhotoLimits",
    "normalize_photo",
    "normalize_photo_bytes",
    "photo_file_patterns",
    "sniff_image_format",
    "supported_formats",
]
