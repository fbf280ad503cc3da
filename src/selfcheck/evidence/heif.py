"""Optional HEIC/HEIF decoding (iPhone photos) through pi-heif, used only when that package is installed."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image


@lru_cache(maxsize=1)
def available() -> bool:
    """True when the HEIF decoder can be imported. Never registers a Pillow plugin (no global state changes)."""
    try:
        import pi_heif  # noqa: F401
    except Exception:  # ImportError, or a native library that fails to load
        return False
    return True


def open_file(data: bytes) -> Any:
    """Parse the container without decoding pixels; `.size` is the primary image's declared size."""
    import pi_heif

    return pi_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)


def to_image(heif_file: Any) -> Image.Image:
    """Decode the primary image. libheif applies the container's rotation and mirroring, and the returned EXIF
    says orientation 1, so the caller's EXIF orientation step leaves the picture as it is."""
    image = heif_file.to_pillow()
    # Keep only what the pipeline reads; depth maps, thumbnails and XMP are not needed downstream.
    image.info = {key: image.info[key] for key in ("exif", "icc_profile") if image.info.get(key)}
    return image
