"""Photo import memory stays near the decoded image's size for every pixel layout, in a memory-capped child.

A 16-bit grey PNG within the 120-megapixel cap used to take 1.2 GB: it was converted whole to 32-bit integers,
scaled, and converted again before shrinking. Now 16-bit, alpha and palette images are converted a strip at a
time while they shrink.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from tests.bounded import run_bounded
from tests.evidence.corpus import png_chunk

# What one decoded pixel costs in Pillow for each PNG layout (colour type, bit depth): I;16 2 bytes, L or P 1,
# LA/RGBA/RGB 4.
LAYOUTS = [
    # (name, width, height, bit depth, colour type, samples per pixel, bytes per decoded pixel)
    ("16-bit grey 100 MP", 10_000, 10_000, 16, 0, 1, 2),
    ("16-bit grey and alpha 36 MP", 6_000, 6_000, 16, 4, 2, 4),
    ("16-bit RGBA 36 MP", 6_000, 6_000, 16, 6, 4, 4),
    ("8-bit grey and alpha 36 MP", 6_000, 6_000, 8, 4, 2, 4),
]
# Allowed above the decoded image itself: strips, the reduced result, the stored JPEG and thumbnail.
OVERHEAD_MB = 64


def flat_png(width: int, height: int, bit_depth: int, colour_type: int, samples: int) -> bytes:
    """A mid-grey (and half-transparent) PNG built row by row, so the test process never holds the pixels."""
    sample = b"\x80\x00" if bit_depth == 16 else b"\x80"
    row = b"\x00" + sample * samples * width
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([bit_depth, colour_type, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


_IMPORT = """
from selfcheck.evidence.photos import normalize_photo
from selfcheck.errors import EvidenceError

def work(path):
    try:
        photo = normalize_photo(path)
    except EvidenceError as err:
        return {"refused": str(err)}
    return {"size": [photo.width, photo.height], "pixel": photo.image_jpeg[:2].hex()}
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("large")
    cases = {}
    for index, (name, width, height, depth, colour, samples, _) in enumerate(LAYOUTS):
        path = folder / f"large{index}.png"
        path.write_bytes(flat_png(width, height, depth, colour, samples))
        cases[name] = str(path)
    return run_bounded(_IMPORT, cases, memory_mb=1024, cpu_seconds=240)


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout[0] for layout in LAYOUTS])
def test_large_image_imports_within_memory_bound(imported: dict[str, dict], layout: tuple) -> None:
    name, width, height, *_, bytes_per_pixel = layout
    result = imported[name]
    assert result["outcome"] == {"size": [2048, 2048], "pixel": "ffd8"}, result
    decoded_mb = width * height * bytes_per_pixel / 2**20
    assert result["peak_growth_mb"] < decoded_mb + OVERHEAD_MB, result


def test_sixteen_bit_grey_png_is_small_on_disk(tmp_path: Path) -> None:
    """The shape of the issue's file: a few hundred KB on disk that decode to 100 megapixels."""
    data = flat_png(10_000, 10_000, 16, 0, 1)
    assert len(data) < 300_000
