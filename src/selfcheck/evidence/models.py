"""Pydantic models of the photo import: the limits it enforces and the normalised photo it returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PhotoLimits(BaseModel):
    """What an imported photo may be, and the size and quality of what is stored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_file_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    # 120 MP leaves room for 108 MP phone cameras (12000 x 9000) and stops decompression bombs.
    max_pixels: int = Field(default=120_000_000, gt=0)
    long_edge: int = Field(default=2048, ge=16)
    thumb_edge: int = Field(default=320, ge=16)
    jpeg_quality: int = Field(default=85, ge=1, le=95)
    thumb_quality: int = Field(default=80, ge=1, le=95)


class NormalizedPhoto(BaseModel):
    """A photo ready to store: upright, EXIF-free JPEG and thumbnail, plus the facts kept about the original.

    `image_jpeg` and `thumb_jpeg` carry no metadata at all (no EXIF, no GPS, no ICC profile; colours are sRGB).
    `captured_at` is the camera's EXIF capture time as recorded (naive local time), or None.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    original_name: str
    original_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    original_size: int = Field(gt=0)
    original_format: str
    image_jpeg: bytes = Field(repr=False)
    image_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    thumb_jpeg: bytes = Field(repr=False)
    thumb_width: int = Field(gt=0)
    thumb_height: int = Field(gt=0)
    captured_at: datetime | None = None
