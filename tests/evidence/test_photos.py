"""Photo import: real photos come out upright, small and metadata-free; hostile files are refused clearly."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageOps

from selfcheck.errors import EvidenceError, UserError
from selfcheck.evidence import (
    NormalizedPhoto,
    PhotoLimits,
    normalize_photo,
    normalize_photo_bytes,
    photo_file_patterns,
    sniff_image_format,
    supported_formats,
)
from selfcheck.evidence import heif, photos
from selfcheck.evidence.formats import declared_dimensions
from tests.evidence import corpus

LIMITS = PhotoLimits()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def decoded(jpeg_bytes: bytes) -> Image.Image:
    """The stored JPEG as a viewer would show it (asserting it really is a JPEG)."""
    im = Image.open(io.BytesIO(jpeg_bytes))
    assert im.format == "JPEG"
    im.load()
    return im


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# Peak resident memory of the running process in KiB. VmHWM belongs to the process image, so unlike
# getrusage()'s ru_maxrss it does not inherit the peak of the parent that forked it (Linux only).
PEAK_RSS_SNIPPET = (
    "def peak_kib():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1])\n"
)

needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")


def rejection(call: Callable[[], object]) -> str:
    with pytest.raises(EvidenceError) as info:
        call()
    message = str(info.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return message


# --- Format sniffing and header dimensions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "WEBP"),
        (b"BM" + b"\x00" * 12 + b"\x28\x00\x00\x00", "BMP"),
        (b"BMW is a car brand, not a bitmap header", None),
        (b"GIF89a\x01\x00", "GIF"),
        (b"II*\x00\x08\x00", "TIFF"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIF"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heic", "HEIF"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "AVIF"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", None),  # an MP4 video
        (b"%PDF-1.7\n", "PDF"),
        (b"<!DOCTYPE html><html>", None),
        (b"hello", None),
        (b"", None),
        (b"\xff\xd8", None),
    ],
)
def test_sniff_image_format(head: bytes, expected: str | None) -> None:
    assert sniff_image_format(head) == expected


DIMENSION_CASES = {
    "jpeg": lambda im: corpus.jpeg(im),
    "jpeg-progressive-exif": lambda im: corpus.jpeg(im, progressive=True, exif=corpus.exif_block(orientation=6)),
    "png": lambda im: corpus.encode(im, "PNG"),
    "bmp": lambda im: corpus.encode(im, "BMP"),
    "bmp-1bit": lambda im: corpus.encode(im.convert("1"), "BMP"),
    "webp-lossy": lambda im: corpus.encode(im, "WEBP", quality=80),
    "webp-lossless": lambda im: corpus.encode(im, "WEBP", lossless=True),
    "webp-extended": lambda im: corpus.encode(im.convert("RGBA"), "WEBP", exif=corpus.exif_block(orientation=1)),
}


@pytest.mark.parametrize("case", DIMENSION_CASES)
@pytest.mark.parametrize("size", [(1, 1), (123, 45), (45, 123), (1000, 999)])
def test_declared_dimensions_match_pillow(case: str, size: tuple[int, int]) -> None:
    data = DIMENSION_CASES[case](corpus.photo_like(size))
    fmt = sniff_image_format(data[:32])
    assert fmt is not None
    assert declared_dimensions(data, fmt) == Image.open(io.BytesIO(data)).size == size


# --- Accepted formats ------------------------------------------------------------------------------------------

SOURCE = corpus.marked_picture((300, 200))

ACCEPTED = {
    "baseline.jpg": ("JPEG", lambda: corpus.jpeg(SOURCE)),
    "progressive.jpg": ("JPEG", lambda: corpus.jpeg(SOURCE, progressive=True)),
    "grey.jpg": ("JPEG", lambda: corpus.jpeg(SOURCE.convert("L"))),
    "cmyk.jpg": ("JPEG", lambda: corpus.jpeg(SOURCE.convert("CMYK"))),
    "plain.png": ("PNG", lambda: corpus.encode(SOURCE, "PNG")),
    "rgba.png": ("PNG", lambda: corpus.encode(SOURCE.convert("RGBA"), "PNG")),
    "palette.png": ("PNG", lambda: corpus.encode(SOURCE.convert("P"), "PNG")),
    "picture.bmp": ("BMP", lambda: corpus.encode(SOURCE, "BMP")),
    "palette.bmp": ("BMP", lambda: corpus.encode(SOURCE.convert("P"), "BMP")),
    "lossy.webp": ("WEBP", lambda: corpus.encode(SOURCE, "WEBP", quality=90)),
    "lossless.webp": ("WEBP", lambda: corpus.encode(SOURCE, "WEBP", lossless=True)),
    "alpha.webp": ("WEBP", lambda: corpus.encode(SOURCE.convert("RGBA"), "WEBP", lossless=True)),
    # Identified by content: the extension lies.
    "really-a-png.jpg": ("PNG", lambda: corpus.encode(SOURCE, "PNG")),
    "no-extension": ("JPEG", lambda: corpus.jpeg(SOURCE)),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_supported_formats_import_upright_with_colours_kept(tmp_path: Path, name: str) -> None:
    fmt, build = ACCEPTED[name]
    path = write(tmp_path, name, build())
    photo = normalize_photo(path)
    assert photo.original_format == fmt
    assert photo.original_name == name
    assert (photo.width, photo.height) == (300, 200)
    stored = decoded(photo.image_jpeg)
    assert stored.mode == "RGB" and stored.size == (300, 200)
    grey = name.startswith("grey")
    assert close_to(stored.getpixel((20, 20)), (118, 118, 118) if grey else corpus.RED, 45)
    assert close_to(stored.getpixel((280, 20)), (135, 135, 135) if grey else corpus.GREEN, 45)
    assert close_to(stored.getpixel((150, 150)), (37, 37, 37) if grey else corpus.BLUE, 45)


def test_supported_formats_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(supported_formats()) >= {"JPEG", "PNG", "BMP", "WEBP"}
    assert {"*.jpg", "*.jpeg", "*.png", "*.bmp", "*.webp"} <= set(photo_file_patterns())
    monkeypatch.setattr(heif, "available", lambda: False)
    assert supported_formats() == ("JPEG", "PNG", "BMP", "WEBP")
    assert "*.heic" not in photo_file_patterns()


# --- Rejections --------------------------------------------------------------------------------------------------


def _gif() -> bytes:
    return corpus.encode(SOURCE.convert("P"), "GIF")


def _tiff() -> bytes:
    return corpus.encode(SOURCE, "TIFF")


VALID_JPEG = corpus.jpeg(corpus.photo_like((400, 300), seed=1))
VALID_PNG = corpus.encode(corpus.photo_like((200, 150), seed=2), "PNG")
VALID_WEBP = corpus.encode(corpus.photo_like((200, 150), seed=3), "WEBP", quality=80)
VALID_BMP = corpus.encode(corpus.photo_like((200, 150), seed=4), "BMP")

REJECTED: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.jpg": (lambda: b"", "是空文件（0 字节）"),
    "notes.jpg": (lambda: "这是一段文字，不是照片。\n".encode() * 20, "不是可识别的图片（支持 JPEG、PNG、BMP、WebP"),
    "page.png": (lambda: b"<!DOCTYPE html><html><body>hi</body></html>", "不是可识别的图片"),
    "random.webp": (lambda: os.urandom(4096), "不是可识别的图片"),
    "animation.gif": (_gif, "是 GIF 格式的图片，暂不支持"),
    "scan.tif": (_tiff, "是 TIFF 格式的图片，暂不支持"),
    "report.pdf": (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "是 PDF 文档，不是照片"),
    "only-magic.jpg": (lambda: b"\xff\xd8\xff", "已损坏或不完整"),
    "header-only.jpg": (lambda: VALID_JPEG[:600], "已损坏或不完整"),
    "cut-30.jpg": (lambda: corpus.truncated(VALID_JPEG, 0.3), "已损坏或不完整"),
    "cut-90.jpg": (lambda: corpus.truncated(VALID_JPEG, 0.9), "已损坏或不完整"),
    "cut-progressive.jpg": (
        lambda: corpus.truncated(corpus.jpeg(corpus.photo_like((400, 300)), progressive=True), 0.7),
        "已损坏或不完整",
    ),
    "cut.png": (lambda: corpus.truncated(VALID_PNG, 0.5), "已损坏或不完整"),
    "cut.webp": (lambda: corpus.truncated(VALID_WEBP, 0.6), "已损坏或不完整"),
    "cut.bmp": (lambda: corpus.truncated(VALID_BMP, 0.5), "已损坏或不完整"),
    "bad-crc.png": (lambda: VALID_PNG[:29] + bytes([VALID_PNG[29] ^ 0xFF]) + VALID_PNG[30:], "已损坏或不完整"),
    "bomb.png": (corpus.png_bomb, "像素过大（50000×50000，约 250000 万像素"),
    "bomb-wide.png": (lambda: corpus.png_bomb(1_000_000, 200), "像素过大（1000000×200"),
    "bomb.jpg": (lambda: corpus.jpeg_declaring(65_000, 65_000), "像素过大（65000×65000"),
    "bomb.bmp": (lambda: corpus.bmp_declaring(40_000, -40_000), "像素过大（40000×40000"),
    "bomb.webp": (lambda: corpus.webp_declaring(16_000, 16_000), "像素过大（16000×16000"),
    "just-over.png": (lambda: corpus.png_bomb(12_000, 10_001), "上限 12000 万像素），已拒绝导入"),
}


@pytest.mark.parametrize("name", REJECTED)
def test_hostile_files_are_rejected_with_a_clear_message(tmp_path: Path, name: str) -> None:
    build, expected = REJECTED[name]
    path = write(tmp_path, name, build())
    message = rejection(lambda: normalize_photo(path))
    assert f"“{name}”" in message
    assert expected in message
    assert "Traceback" not in message and "Error" not in message


@pytest.mark.parametrize("name", REJECTED)
def test_hostile_bytes_are_rejected_the_same_way(name: str) -> None:
    build, expected = REJECTED[name]
    message = rejection(lambda: normalize_photo_bytes(build(), "粘贴的图片"))
    assert "“粘贴的图片”" in message and expected in message


def test_rejections_are_user_errors() -> None:
    with pytest.raises(UserError):
        normalize_photo_bytes(b"not an image", "x.jpg")


def test_png_bomb_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The header check alone refuses it: no decoder is even constructed."""
    data = corpus.png_bomb(30_000, 30_000)
    assert len(data) < 200_000

    def no_decoding(*args: object) -> None:
        raise AssertionError("decoder reached for a decompression bomb")

    monkeypatch.setattr(photos, "_open_lazily", no_decoding)
    assert "像素过大" in rejection(lambda: normalize_photo_bytes(data, "bomb.png"))


def test_bomb_refused_even_when_header_parser_cannot_tell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Second line of defence: the size Pillow parsed is checked before any pixel is decoded."""
    monkeypatch.setattr(photos, "declared_dimensions", lambda data, fmt: None)
    for name, data in [("b.png", corpus.png_bomb()), ("b.jpg", corpus.jpeg_declaring(65_000, 65_000))]:
        assert "像素过大" in rejection(lambda: normalize_photo_bytes(data, name))  # noqa: B023


@needs_proc
def test_bomb_rejection_does_not_allocate_the_canvas(tmp_path: Path) -> None:
    """Peak memory of a fresh process refusing a 7.5 GB PNG bomb stays small."""
    path = write(tmp_path, "bomb.png", corpus.png_bomb())
    code = PEAK_RSS_SNIPPET + (
        "from selfcheck.errors import EvidenceError\n"
        "from selfcheck.evidence import normalize_photo\n"
        "try:\n"
        f"    normalize_photo({str(path)!r})\n"
        "except EvidenceError as exc:\n"
        "    print(peak_kib())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    peak_kib = int(result.stdout.strip())
    assert peak_kib < 150 * 1024, f"peak RSS {peak_kib} KiB"


def test_photo_over_50_mb_is_rejected_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as fh:
        fh.write(VALID_JPEG)
        fh.truncate(60 * 1024 * 1024)  # sparse: fast and takes no disk space

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the oversized file was opened")

    monkeypatch.setattr(photos, "open", no_open, raising=False)
    message = rejection(lambda: normalize_photo(path))
    assert "“huge.jpg”" in message and "60 MB" in message and "超过 50 MB 的上限" in message


def test_size_limit_applies_to_pasted_bytes_too() -> None:
    limits = PhotoLimits(max_file_bytes=1000)
    message = rejection(lambda: normalize_photo_bytes(VALID_JPEG, "paste", limits))
    assert "超过" in message and "上限" in message


def test_file_exactly_at_the_limit_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "edge.jpg", VALID_JPEG)
    photo = normalize_photo(path, PhotoLimits(max_file_bytes=len(VALID_JPEG)))
    assert photo.original_size == len(VALID_JPEG)


def test_missing_file(tmp_path: Path) -> None:
    message = rejection(lambda: normalize_photo(tmp_path / "gone.jpg"))
    assert "找不到文件“gone.jpg”" in message


def test_directory_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "照片.jpg"
    folder.mkdir()
    assert "是一个文件夹" in rejection(lambda: normalize_photo(folder))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "没有读取权限"),
        (OSError(errno.EIO, "Input/output error"), "无法读取文件“locked.jpg”（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）"),
    ],
)
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, expected: str) -> None:
    path = write(tmp_path, "locked.jpg", VALID_JPEG)

    def failing_open(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(photos, "open", failing_open, raising=False)
    message = rejection(lambda: normalize_photo(path))
    assert "“locked.jpg”" in message and expected in message


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "private.jpg", VALID_JPEG)
    path.chmod(0)
    assert "没有读取权限" in rejection(lambda: normalize_photo(path))


def test_out_of_memory_becomes_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(photos, "_fit", exhausted)
    assert "内存不足" in rejection(lambda: normalize_photo_bytes(VALID_JPEG, "big.jpg"))


@pytest.mark.parametrize("source", ["jpeg", "png", "webp", "bmp"])
@pytest.mark.parametrize("seed", range(25))
def test_fuzzed_files_never_escape_as_anything_but_evidence_error(source: str, seed: int) -> None:
    data = corpus.mutated({"jpeg": VALID_JPEG, "png": VALID_PNG, "webp": VALID_WEBP, "bmp": VALID_BMP}[source], seed)
    try:
        photo = normalize_photo_bytes(data, "fuzz")
    except EvidenceError as exc:
        assert "“fuzz”" in str(exc)
    else:
        assert decoded(photo.image_jpeg).size == (photo.width, photo.height)


# --- Orientation --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_all_exif_orientations_are_applied_to_the_stored_pixels(tmp_path: Path, orientation: int) -> None:
    data = corpus.oriented_jpeg(orientation, (120, 80))
    raw = Image.open(io.BytesIO(data))
    assert raw.getexif()[0x0112] == orientation
    assert raw.size == ((80, 120) if orientation >= 5 else (120, 80))

    photo = normalize_photo(write(tmp_path, f"o{orientation}.jpg", data))
    stored = decoded(photo.image_jpeg)
    assert (photo.width, photo.height) == stored.size == (120, 80)
    assert close_to(stored.getpixel((8, 8)), corpus.RED), "red block belongs top-left"
    assert close_to(stored.getpixel((111, 8)), corpus.GREEN), "green block belongs top-right"
    assert close_to(stored.getpixel((8, 71)), corpus.BLUE)
    assert close_to(stored.getpixel((111, 71)), corpus.BLUE)
    # Same answer as Pillow's reference implementation, and the thumbnail is upright too.
    reference = ImageOps.exif_transpose(raw)
    assert reference is not None and close_to(reference.getpixel((111, 8)), stored.getpixel((111, 8)))
    thumb = decoded(photo.thumb_jpeg)
    assert thumb.size == (120, 80) and close_to(thumb.getpixel((8, 8)), corpus.RED)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_orientation_in_png_and_webp_exif(fmt: str) -> None:
    raw = corpus.marked_picture((120, 80)).transpose(Image.Transpose.ROTATE_90)
    extra = {"lossless": True} if fmt == "WEBP" else {}
    data = corpus.encode(raw, fmt, exif=corpus.exif_block(orientation=6), **extra)
    stored = decoded(normalize_photo_bytes(data, "x").image_jpeg)
    assert stored.size == (120, 80)
    assert close_to(stored.getpixel((8, 8)), corpus.RED) and close_to(stored.getpixel((111, 8)), corpus.GREEN)


def test_orientation_applied_after_reduced_decode() -> None:
    """A big portrait phone photo (stored sideways, orientation 6) comes out upright and reduced."""
    raw = corpus.marked_picture((3000, 4000)).transpose(Image.Transpose.ROTATE_90)  # 4000 x 3000 on disk
    data = corpus.jpeg(raw, exif=corpus.exif_block(orientation=6))
    photo = normalize_photo_bytes(data, "portrait.jpg")
    assert photo.height <= 2048 and photo.width < photo.height
    stored = decoded(photo.image_jpeg)
    assert close_to(stored.getpixel((20, 20)), corpus.RED)
    assert close_to(stored.getpixel((stored.width - 20, 20)), corpus.GREEN)


# --- Colour modes -------------------------------------------------------------------------------------------------


def _palette_with_transparency() -> bytes:
    im = Image.new("P", (60, 40), 0)
    im.putpalette([0, 0, 0, *corpus.RED, *corpus.BLUE] + [0] * (256 * 3 - 9))
    im.paste(1, (0, 0, 30, 40))  # left half red, right half transparent index 0
    return corpus.encode(im, "PNG", transparency=0)


def _rgba_half() -> bytes:
    im = Image.new("RGBA", (60, 40), (255, 0, 0, 0))
    im.paste((255, 0, 0, 128), (0, 0, 30, 40))  # left half 50 % red, right half fully transparent
    return corpus.encode(im, "PNG")


def _la() -> bytes:
    im = Image.new("LA", (60, 40), (0, 0))
    im.paste((0, 255), (0, 0, 30, 40))  # left half opaque black, right half transparent
    return corpus.encode(im, "PNG")


def _one_bit_bmp() -> bytes:
    im = Image.new("1", (60, 40), 1)
    im.paste(0, (0, 0, 30, 40))
    return corpus.encode(im, "BMP")


COLOUR_CASES: dict[str, tuple[Callable[[], bytes], tuple[int, int, int], tuple[int, int, int]]] = {
    # name: (builder, colour at left, colour at right)
    "cmyk-red.jpg": (lambda: corpus.jpeg(Image.new("CMYK", (60, 40), (0, 230, 230, 0))), (255, 25, 25), (255, 25, 25)),
    "grey16.png": (
        lambda: corpus.png16(60, 40, lambda x, y: (0x8000 if x < 30 else 0xFFFF,), 0),
        (128, 128, 128),
        (255, 255, 255),
    ),
    "rgb16.png": (
        lambda: corpus.png16(60, 40, lambda x, y: (0xDC00, 0x1400, 0x1400) if x < 30 else (0x1400, 0x1400, 0xDC00), 2),
        corpus.RED,
        corpus.BLUE,
    ),
    "grey-alpha16.png": (
        lambda: corpus.png16(60, 40, lambda x, y: (0, 0xFFFF) if x < 30 else (0, 0), 4),
        (0, 0, 0),
        (255, 255, 255),
    ),
    "rgba16.png": (
        lambda: corpus.png16(60, 40, lambda x, y: (0xFFFF, 0, 0, 0xFFFF if x < 30 else 0), 6),
        (255, 0, 0),
        (255, 255, 255),
    ),
    "palette-transparent.png": (_palette_with_transparency, corpus.RED, (255, 255, 255)),
    "rgba-half.png": (_rgba_half, (255, 127, 127), (255, 255, 255)),
    "grey-alpha.png": (_la, (0, 0, 0), (255, 255, 255)),
    "one-bit.bmp": (_one_bit_bmp, (0, 0, 0), (255, 255, 255)),
    "alpha.webp": (
        lambda: corpus.encode(Image.new("RGBA", (60, 40), (0, 0, 255, 0)), "WEBP", lossless=True),
        (255, 255, 255),
        (255, 255, 255),
    ),
}


@pytest.mark.parametrize("name", COLOUR_CASES)
def test_colour_modes_become_rgb_with_transparency_on_white(name: str) -> None:
    build, left, right = COLOUR_CASES[name]
    photo = normalize_photo_bytes(build(), name)
    stored = decoded(photo.image_jpeg)
    assert stored.mode == "RGB" and stored.size == (60, 40)
    assert close_to(stored.getpixel((10, 20)), left, 12), stored.getpixel((10, 20))
    assert close_to(stored.getpixel((50, 20)), right, 12), stored.getpixel((50, 20))


def test_embedded_srgb_profile_is_honoured_and_not_stored() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = corpus.jpeg(corpus.marked_picture((120, 80)), icc_profile=srgb)
    stored = decoded(normalize_photo_bytes(data, "icc.jpg").image_jpeg)
    assert "icc_profile" not in stored.info
    assert close_to(stored.getpixel((8, 8)), corpus.RED, 12)


SWAPPED_PROFILE = corpus.rgb_icc_profile(
    corpus.SRGB_BLUE_XYZ, corpus.SRGB_GREEN_XYZ, corpus.SRGB_RED_XYZ, "Swapped red and blue primaries"
)


@pytest.mark.parametrize(
    ("fmt", "mode", "params"),
    [
        ("JPEG", "RGB", {"quality": 95}),
        ("PNG", "RGB", {}),
        ("PNG", "RGBA", {}),
        ("WEBP", "RGB", {"lossless": True}),
    ],
)
def test_embedded_colour_profile_is_converted_to_srgb(fmt: str, mode: str, params: dict[str, object]) -> None:
    """Stored pixels (220, 20, 20) under a profile whose "red" primary is sRGB blue must come out blue: the
    stored JPEG has no profile, so the conversion has to happen on import (wide-gamut phone photos)."""
    im = Image.new(mode, (60, 40), (220, 20, 20, 255)[: len(mode)])
    data = corpus.encode(im, fmt, icc_profile=SWAPPED_PROFILE, **params)
    stored = decoded(normalize_photo_bytes(data, "wide.jpg").image_jpeg)
    assert "icc_profile" not in stored.info
    assert close_to(stored.getpixel((30, 20)), (20, 20, 220), 25), stored.getpixel((30, 20))


def test_broken_colour_profile_does_not_reject_the_photo() -> None:
    data = corpus.jpeg(corpus.marked_picture((120, 80)), icc_profile=b"not a profile" * 20)
    stored = decoded(normalize_photo_bytes(data, "icc.jpg").image_jpeg)
    assert close_to(stored.getpixel((8, 8)), corpus.RED, 12)


# --- Metadata: capture time kept, everything else stripped ---------------------------------------------------------


@pytest.mark.parametrize(
    ("exif", "expected"),
    [
        (
            corpus.exif_block(date_time_original="2024:05:06 07:08:09", date_time="2024:06:01 12:00:00"),
            datetime(2024, 5, 6, 7, 8, 9),
        ),
        (corpus.exif_block(date_time="2023:12:31 23:59:58"), datetime(2023, 12, 31, 23, 59, 58)),
        (corpus.exif_block(date_time_original="2022-01-02 03:04:05"), datetime(2022, 1, 2, 3, 4, 5)),
        (
            corpus.exif_block(date_time_original="0000:00:00 00:00:00", date_time="2021:03:04 05:06:07"),
            datetime(2021, 3, 4, 5, 6, 7),
        ),
        (corpus.exif_block(date_time_original="0000:00:00 00:00:00"), None),
        (corpus.exif_block(date_time_original="2024:13:45 25:61:61"), None),
        (corpus.exif_block(date_time_original="    :  :     :  :  "), None),
        (corpus.exif_block(date_time="yesterday"), None),
        (corpus.exif_block(orientation=1), None),
        (None, None),
    ],
)
def test_capture_time_from_exif(exif: Image.Exif | None, expected: datetime | None) -> None:
    photo = normalize_photo_bytes(corpus.jpeg(SOURCE, exif=exif), "t.jpg")
    assert photo.captured_at == expected
    if expected is not None:
        assert photo.captured_at is not None and photo.captured_at.tzinfo is None


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_and_all_other_metadata_are_stripped(fmt: str) -> None:
    exif = corpus.exif_block(orientation=1, date_time_original="2024:05:06 07:08:09", gps=True)
    extra: dict[str, object] = {"quality": 90} if fmt != "PNG" else {}
    if fmt == "JPEG":
        # Owner names and locations also hide in comments and XMP packets.
        extra |= {
            "comment": b"Owner: Zhang San",
            "xmp": b"<x:xmpmeta><exif:GPSLatitude>39,54N</exif:GPSLatitude></x:xmpmeta>",
        }
    data = corpus.encode(SOURCE, fmt, exif=exif, **extra)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "corpus photo must carry GPS"
    photo = normalize_photo_bytes(data, "gps")
    assert photo.captured_at == datetime(2024, 5, 6, 7, 8, 9)
    for stored_bytes in (photo.image_jpeg, photo.thumb_jpeg):
        stored = decoded(stored_bytes)
        assert not stored.getexif()
        assert "exif" not in stored.info and "icc_profile" not in stored.info
        assert b"Exif" not in stored_bytes and b"SelfCheckCam" not in stored_bytes
        assert b"Zhang San" not in stored_bytes and b"GPS" not in stored_bytes and b"xmpmeta" not in stored_bytes
        assert b"\xff\xe1" not in stored_bytes[:200]  # no APP1 segment


# --- Hashes, sizes and determinism ----------------------------------------------------------------------------------


def test_hashes_and_sizes_are_right(tmp_path: Path) -> None:
    path = write(tmp_path, "现场照片.jpg", VALID_JPEG)
    photo = normalize_photo(path)
    assert photo.original_name == "现场照片.jpg"
    assert photo.original_size == len(VALID_JPEG) == path.stat().st_size
    assert photo.original_sha256 == hashlib.sha256(VALID_JPEG).hexdigest()
    assert photo.image_sha256 == hashlib.sha256(photo.image_jpeg).hexdigest()
    assert photo.image_sha256 != photo.original_sha256


def test_path_and_bytes_give_the_same_result(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jpg", VALID_JPEG)
    assert normalize_photo(path) == normalize_photo(str(path)) == normalize_photo_bytes(VALID_JPEG, "a.jpg")


def test_model_is_frozen_and_repr_stays_short() -> None:
    photo = normalize_photo_bytes(VALID_JPEG, "a.jpg")
    with pytest.raises(ValueError):
        photo.width = 1  # type: ignore[misc]
    assert len(repr(photo)) < 600
    assert NormalizedPhoto.model_validate(photo.model_dump()) == photo


@pytest.mark.parametrize(
    ("size", "stored", "thumb"),
    [
        ((4000, 3000), (2000, 1500), (320, 240)),  # reduced JPEG decode lands just under 2048: kept as is
        ((3000, 4000), (1500, 2000), (240, 320)),
        ((4608, 3456), (2048, 1536), (320, 240)),
        ((3264, 2448), (2048, 1536), (320, 240)),
        ((6000, 1000), (2048, 341), (320, 53)),  # panorama
        ((2049, 10), (2048, 10), (320, 2)),
        ((2048, 1536), (2048, 1536), (320, 240)),
        ((1280, 720), (1280, 720), (320, 180)),
        ((320, 200), (320, 200), (320, 200)),
        ((50, 80), (50, 80), (50, 80)),  # small images are never upscaled
        ((1, 1), (1, 1), (1, 1)),
    ],
)
def test_stored_and_thumbnail_sizes(size: tuple[int, int], stored: tuple[int, int], thumb: tuple[int, int]) -> None:
    data = corpus.jpeg(corpus.photo_like(size), quality=80)
    photo = normalize_photo_bytes(data, "p.jpg")
    assert (photo.width, photo.height) == stored == decoded(photo.image_jpeg).size
    assert (photo.thumb_width, photo.thumb_height) == thumb == decoded(photo.thumb_jpeg).size
    assert max(stored) <= 2048 and max(thumb) <= 320
    assert abs(stored[0] / stored[1] - size[0] / size[1]) < 0.01 * size[0] / size[1] + 1 / min(stored)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "BMP"])
def test_non_jpeg_large_images_are_resized_too(fmt: str) -> None:
    params = {"PNG": {"compress_level": 1}, "WEBP": {"quality": 60, "method": 0}, "BMP": {}}[fmt]
    data = corpus.encode(corpus.photo_like((3000, 2000)), fmt, **params)
    photo = normalize_photo_bytes(data, "big")
    assert (photo.width, photo.height) == (2048, 1365)


def test_custom_limits_change_the_output() -> None:
    limits = PhotoLimits(long_edge=500, thumb_edge=100, jpeg_quality=50)
    photo = normalize_photo_bytes(VALID_JPEG, "a.jpg", limits)
    assert (photo.width, photo.height) == (400, 300)  # 400 px already fits
    photo = normalize_photo_bytes(corpus.jpeg(corpus.photo_like((1600, 1200))), "b.jpg", limits)
    assert (photo.width, photo.height) == (500, 375) and (photo.thumb_width, photo.thumb_height) == (100, 75)


def test_stored_image_looks_like_the_original() -> None:
    """Mean colour of the stored image matches the original (no colour shift, no channel swap)."""
    original = corpus.photo_like((4000, 3000), seed=7)
    photo = normalize_photo_bytes(corpus.jpeg(original), "p.jpg")
    stored = decoded(photo.image_jpeg)
    expected = original.resize(stored.size, Image.Resampling.BOX)
    for band in range(3):
        a = stored.getchannel(band).resize((8, 6), Image.Resampling.BOX).tobytes()
        b = expected.getchannel(band).resize((8, 6), Image.Resampling.BOX).tobytes()
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 6


# --- Very large photos -------------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_proc
def test_108_megapixel_phone_photo_imports_in_modest_memory(tmp_path: Path) -> None:
    """12000 x 9000 is above Pillow's default bomb threshold but a real phone size: accepted, decoded reduced."""
    big = Image.new("RGB", (12000, 9000), corpus.BLUE)
    big.paste(corpus.RED, (0, 0, 4000, 3000))
    path = tmp_path / "108mp.jpg"
    big.save(path, "JPEG", quality=70)
    del big
    code = PEAK_RSS_SNIPPET + (
        "from selfcheck.evidence import normalize_photo\n"
        f"p = normalize_photo({str(path)!r})\n"
        "print(p.width, p.height, peak_kib())\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    width, height, peak_kib = map(int, result.stdout.split())
    assert (width, height) == (2048, 1536)
    # A full decode needs 324 MB for the pixels alone; decoding at 1/4 scale needs about 20 MB.
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib} KiB"


def test_between_pillow_warning_and_our_limit_no_warning_escapes() -> None:
    """10000 x 9000 (90 MP) trips Pillow's DecompressionBombWarning threshold; our own limit allows it and no
    warning leaks to the caller."""
    # The frame header claims 90 MP but the scan holds 16 x 16 pixels and ends properly: libjpeg fills the rest
    # with grey, and the reduced decode keeps that cheap.
    data = corpus.jpeg_declaring(10_000, 9_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        photo = normalize_photo_bytes(data, "x.jpg")
    assert (photo.width, photo.height) == (2048, 1843)


def test_importing_and_using_the_module_leaves_pillow_global_state_alone() -> None:
    before = (Image.MAX_IMAGE_PIXELS, list(warnings.filters))
    normalize_photo_bytes(VALID_JPEG, "a.jpg")
    with pytest.raises(EvidenceError):
        normalize_photo_bytes(corpus.png_bomb(), "b.png")
    assert (Image.MAX_IMAGE_PIXELS, list(warnings.filters)) == before
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_concurrent_imports_agree_with_sequential_ones() -> None:
    inputs = [
        corpus.jpeg(corpus.photo_like((1200, 900), seed=s), exif=corpus.exif_block(orientation=1 + s % 8))
        for s in range(8)
    ]
    inputs += [corpus.png_bomb(), b"junk", corpus.truncated(VALID_JPEG, 0.5)]

    def run(data: bytes) -> NormalizedPhoto | str:
        try:
            return normalize_photo_bytes(data, "p")
        except EvidenceError as exc:
            return str(exc)

    sequential = [run(d) for d in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(run, inputs))
    assert concurrent == sequential


# --- HEIC (optional decoder) --------------------------------------------------------------------------------------


def test_heic_without_decoder_gets_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heif, "available", lambda: False)
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    message = rejection(lambda: normalize_photo_bytes(data, "IMG_0001.HEIC"))
    assert "是 HEIC/HEIF 格式的图片，暂不支持" in message and "另存为 JPEG" in message
    assert "HEIC" not in message.split("支持 ")[-1]


def _heic_from(tmp_path: Path, im: Image.Image) -> bytes:
    if not heif.available():
        pytest.skip("HEIF decoder (pi-heif) not installed")
    magick = shutil.which("magick") or shutil.which("convert")
    if magick is None:
        pytest.skip("ImageMagick is needed to write a HEIC test file")
    src, dst = tmp_path / "src.png", tmp_path / "out.heic"
    im.save(src)
    result = subprocess.run([magick, str(src), "-quality", "90", str(dst)], capture_output=True, timeout=60)
    if result.returncode != 0 or not dst.exists() or sniff_image_format(dst.read_bytes()[:32]) != "HEIF":
        pytest.skip("this ImageMagick cannot write HEIC")
    return dst.read_bytes()


def test_heic_photo_imports_when_decoder_present(tmp_path: Path) -> None:
    data = _heic_from(tmp_path, corpus.marked_picture((300, 200)))
    assert "HEIF" in supported_formats()
    photo = normalize_photo_bytes(data, "IMG_0001.HEIC")
    assert photo.original_format == "HEIF" and (photo.width, photo.height) == (300, 200)
    stored = decoded(photo.image_jpeg)
    assert close_to(stored.getpixel((20, 20)), corpus.RED) and close_to(stored.getpixel((280, 20)), corpus.GREEN)


def test_truncated_heic_is_rejected(tmp_path: Path) -> None:
    data = _heic_from(tmp_path, corpus.photo_like((300, 200)))
    assert "已损坏或不完整" in rejection(lambda: normalize_photo_bytes(corpus.truncated(data, 0.6), "x.heic"))
