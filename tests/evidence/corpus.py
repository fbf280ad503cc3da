"""Builds the hostile and real-looking image corpus for the photo import tests, in memory, at test time."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from datetime import datetime

from PIL import Image, ImageDraw

RED = (220, 20, 20)
GREEN = (20, 200, 20)
BLUE = (20, 20, 220)
WHITE = (255, 255, 255)

# Pillow transposes that undo each EXIF orientation, taken from the EXIF 2.3 table (tag 274): the stored row 0
# is the visual (1) top, (2) top mirrored, (3) bottom, (4) bottom mirrored, (5) left side, (6) right side,
# (7) right side mirrored, (8) left side mirrored. Used to build raw pixels that display upright.
ORIENTATION_TO_RAW: dict[int, list[Image.Transpose]] = {
    1: [],
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_90],  # raw is the picture turned 90 degrees counter-clockwise
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_270],  # raw is the picture turned 90 degrees clockwise
}


def photo_like(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A picture with gradients and noise, so it compresses like a photo rather than like a flat colour."""
    width, height = size
    rng = random.Random(seed)
    small = (max(1, width // 8), max(1, height // 8))
    bands = []
    for _ in range(3):
        gradient = Image.linear_gradient("L").rotate(rng.randrange(360)).resize(size)
        noise = Image.effect_noise(small, rng.uniform(30, 80)).resize(size, Image.Resampling.BICUBIC)
        bands.append(Image.blend(gradient, noise, 0.5))
    return Image.merge("RGB", bands)


def marked_picture(size: tuple[int, int] = (120, 80)) -> Image.Image:
    """Blue picture with a red top-left and a green top-right corner block: shows any rotation or mirroring."""
    width, height = size
    im = Image.new("RGB", size, BLUE)
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, width // 3, height // 3), fill=RED)
    draw.rectangle((width - width // 3, 0, width - 1, height // 3), fill=GREEN)
    return im


def exif_block(
    *,
    orientation: int | None = None,
    date_time: str | None = None,
    date_time_original: str | None = None,
    gps: bool = False,
) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SelfCheckCam"  # Make
    if orientation is not None:
        exif[0x0112] = orientation
    if date_time is not None:
        exif[0x0132] = date_time
    if date_time_original is not None:
        exif.get_ifd(0x8769)[0x9003] = date_time_original
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (39.0, 54.0, 15.25)
        gps_ifd[3] = "E"
        gps_ifd[4] = (116.0, 23.0, 29.75)
    return exif


def encode(im: Image.Image, image_format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, image_format, **params)
    return buffer.getvalue()


def jpeg(im: Image.Image, *, exif: Image.Exif | None = None, quality: int = 90, **params: object) -> bytes:
    if exif is not None:
        params["exif"] = exif
    return encode(im, "JPEG", quality=quality, **params)


def oriented_jpeg(orientation: int, size: tuple[int, int] = (120, 80)) -> bytes:
    """A JPEG whose raw pixels need EXIF `orientation` applied to show marked_picture(size) upright."""
    raw = marked_picture(size)
    for step in ORIENTATION_TO_RAW[orientation]:
        raw = raw.transpose(step)
    return jpeg(raw, exif=exif_block(orientation=orientation), quality=95)


# --- Hand-built PNGs: 16-bit samples and decompression bombs -------------------------------------------------


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_file(width: int, height: int, bit_depth: int, colour_type: int, idat: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def png16(width: int, height: int, sample: Callable[[int, int], tuple[int, ...]], colour_type: int) -> bytes:
    """A 16-bit PNG (colour type 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA); `sample(x, y)` gives the 16-bit values."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            for value in sample(x, y):
                rows += struct.pack(">H", value)
    return png_file(width, height, 16, colour_type, zlib.compress(bytes(rows), 9))


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A few-kilobyte PNG declaring width x height RGB pixels, starting with well-formed all-zero rows.

    Only the first rows are present, which is enough: a reader that trusts the header before decoding allocates
    the full canvas (7.5 GB at the default size) before it finds out.
    """
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 3)
    idat = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    return png_file(width, height, 8, 2, idat)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small valid JPEG whose frame header is rewritten to claim width x height."""
    data = bytearray(jpeg(Image.new("RGB", (16, 16), RED)))
    pos = 2
    while True:
        marker, length = data[pos + 1], struct.unpack_from(">H", data, pos + 2)[0]
        if marker in (0xC0, 0xC2):
            struct.pack_into(">HH", data, pos + 5, height, width)
            return bytes(data)
        pos += 2 + length


def bmp_declaring(width: int, height: int) -> bytes:
    data = bytearray(encode(Image.new("RGB", (4, 4), RED), "BMP"))
    struct.pack_into("<ii", data, 18, width, height)
    return bytes(data)


def webp_declaring(width: int, height: int) -> bytes:
    """An extended (VP8X) WebP whose canvas size is rewritten to width x height."""
    small = Image.new("RGBA", (4, 4), (*RED, 128))
    data = bytearray(encode(small, "WEBP", lossless=True, exif=exif_block(orientation=1)))
    assert data[12:16] == b"VP8X"
    data[24:27] = (width - 1).to_bytes(3, "little")
    data[27:30] = (height - 1).to_bytes(3, "little")
    return bytes(data)


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


def mutated(data: bytes, seed: int, flips: int = 8) -> bytes:
    """`data` with a few random bytes overwritten past the signature: the fuzz cases."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(8, len(out))] = rng.randrange(256)
    return bytes(out)


def exif_time(value: datetime) -> str:
    return value.strftime("%Y:%m:%d %H:%M:%S")


# --- A hand-built ICC profile ------------------------------------------------------------------------------------

# sRGB primaries and white point, adapted to D50 as ICC profiles store them.
SRGB_RED_XYZ = (0.4361, 0.2225, 0.0139)
SRGB_GREEN_XYZ = (0.3851, 0.7169, 0.0971)
SRGB_BLUE_XYZ = (0.1431, 0.0606, 0.7141)
D50_XYZ = (0.9642, 1.0, 0.8249)


def _s15(values: tuple[float, ...]) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def rgb_icc_profile(red: tuple[float, ...], green: tuple[float, ...], blue: tuple[float, ...], name: str) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix + gamma 2.2) with the given D50 primaries.

    With red and blue swapped, a pixel stored as (255, 0, 0) means blue: a reader that honours the profile shows
    blue, one that ignores it shows red.
    """
    ascii_name = name.encode("ascii") + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(ascii_name)) + ascii_name + b"\x00" * (4 + 4 + 2 + 1 + 67)
    xyz = lambda v: b"XYZ \x00\x00\x00\x00" + _s15(v)  # noqa: E731
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\x00\x00"
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(D50_XYZ)),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\x00\x00\x00\x00" + b"none\x00"),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table = struct.pack(">I", len(tags))
    body = b""
    for signature, payload in tags:
        payload += b"\x00" * (-len(payload) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(payload))
        body += payload
    size = 128 + table_size + len(body)
    header = (
        struct.pack(">I", size)
        + b"\x00" * 4
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\x00" * 12  # creation date
        + b"acsp"
        + b"\x00" * 24  # platform, flags, manufacturer, model, attributes
        + struct.pack(">I", 0)  # rendering intent
        + _s15(D50_XYZ)
        + b"\x00" * 48  # creator, profile id, reserved
    )
    assert len(header) == 128
    return header + table + body
