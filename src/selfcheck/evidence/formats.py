"""Identify image files by their first bytes and read their declared size from the header, without decoding."""

from __future__ import annotations

import struct

# Formats the photo import accepts. HEIF joins at run time when the optional decoder is installed.
BASE_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "BMP", "WEBP")

# Display names for formats we recognise (supported or not), used in messages.
FORMAT_LABELS: dict[str, str] = {
    "JPEG": "JPEG",
    "PNG": "PNG",
    "BMP": "BMP",
    "WEBP": "WebP",
    "HEIF": "HEIC/HEIF",
    "GIF": "GIF",
    "TIFF": "TIFF",
    "AVIF": "AVIF",
    "ICO": "ICO",
    "PSD": "PSD",
    "PDF": "PDF",
}

# Bytes needed by sniff_image_format to recognise every format it knows.
SNIFF_BYTES = 32

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic...) carry the image size.
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# Markers without a length field.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def sniff_image_format(head: bytes) -> str | None:
    """Name the image format the leading bytes show, or None when they show no known image.

    Returns one of "JPEG", "PNG", "BMP", "WEBP" (accepted by the photo import) or, so messages can be specific,
    "HEIF", "AVIF", "GIF", "TIFF", "ICO", "PSD", "PDF". Pass at least SNIFF_BYTES bytes; shorter input is fine
    but may be unrecognised. The answer is a claim about the header only: the file can still be corrupt.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"BM") and len(head) >= 18:
        # The DIB header size pins BMP down; "BM" alone also starts plenty of text files.
        dib_size = struct.unpack_from("<I", head, 14)[0]
        if dib_size in (12, 16, 40, 52, 56, 64, 108, 124):
            return "BMP"
        return None
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        compatible = {head[i : i + 4] for i in range(16, min(len(head), 32), 4)}
        if brand in _AVIF_BRANDS:
            return "AVIF"
        if brand in _HEIF_BRANDS or compatible & _HEIF_BRANDS:
            return "HEIF"
        return None
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"\x00\x00\x01\x00"):
        return "ICO"
    if head.startswith(b"8BPS"):
        return "PSD"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return None


def declared_dimensions(data: bytes, image_format: str) -> tuple[int, int] | None:
    """Width and height the header of `data` declares for `image_format`, or None when it cannot be read.

    Never decodes pixel data, so it is safe on decompression bombs. None means "unknown", not "invalid".
    """
    try:
        if image_format == "PNG":
            return _png_dimensions(data)
        if image_format == "JPEG":
            return _jpeg_dimensions(data)
        if image_format == "BMP":
            return _bmp_dimensions(data)
        if image_format == "WEBP":
            return _webp_dimensions(data)
    except (struct.error, IndexError):
        return None
    return None


def _png_dimensions(data: bytes) -> tuple[int, int] | None:
    if data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack_from(">II", data, 16)
    return width, height


def _bmp_dimensions(data: bytes) -> tuple[int, int] | None:
    dib_size = struct.unpack_from("<I", data, 14)[0]
    if dib_size == 12:
        width, height = struct.unpack_from("<HH", data, 18)
    else:
        width, height = struct.unpack_from("<ii", data, 18)
    # A negative height marks a top-down bitmap.
    return abs(width), abs(height)


def _webp_dimensions(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            return None
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack_from("<HH", data, 26)
        return width & 0x3FFF, height & 0x3FFF
    return None


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    pos = 2
    size = len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        if marker == 0xDA:  # start of scan before any frame header
            return None
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if marker in _JPEG_SOF:
            height, width = struct.unpack_from(">HH", data, pos + 5)
            return width, height
        if length < 2:
            return None
        pos += 2 + length
    return None
