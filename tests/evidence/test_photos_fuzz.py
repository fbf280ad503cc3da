"""Fuzz photo import: seeded mutants of photos in every supported layout are imported or refused in Chinese
naming the file — nothing else escapes — within time and memory bounds (memory-capped child process)."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.bounded import run_bounded
from tests.evidence import corpus
from tests.mutation import mutants, scaled

PER_BASE = scaled(50)
# Chunk and marker names where decoders branch.
TOKENS = [b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"iCCP", b"eXIf", b"\xff\xc0", b"\xff\xc2", b"\xff\xc4", b"\xff\xda",
          b"\xff\xe1", b"\xff\xdb", b"Exif", b"VP8", b"VP8X", b"ALPH", b"BM"]
INSERTS = [b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\x7f\xff\xff\xff", b"\xff\xd9", b"IEND", b"\x00" * 64]


def _bases() -> dict[str, bytes]:
    marked = corpus.marked_picture((96, 64))
    rgba = marked.convert("RGBA")
    rgba.putalpha(128)
    return {
        "jpeg with exif": corpus.jpeg(marked, exif=corpus.exif_block(orientation=6, date_time="2026:05:06 07:08:09")),
        "progressive jpeg": corpus.jpeg(marked, progressive=True),
        "png rgb": corpus.encode(marked, "PNG"),
        "png rgba": corpus.encode(rgba, "PNG"),
        "png palette transparent": corpus.encode(marked.convert("P", palette=Image.Palette.ADAPTIVE), "PNG",
                                                 transparency=0),
        "png 16-bit grey": corpus.png16(48, 32, lambda x, y: ((x * 1000 + y * 30) % 65536,), colour_type=0),
        "png 16-bit rgba": corpus.png16(24, 16, lambda x, y: (x * 2000, y * 3000, 40000, 30000), colour_type=6),
        "webp lossy": corpus.encode(marked, "WEBP", quality=80),
        "webp lossless alpha": corpus.encode(rgba, "WEBP", lossless=True),
        "bmp": corpus.encode(marked, "BMP"),
    }


_IMPORT = """
from selfcheck.errors import EvidenceError
from selfcheck.evidence.photos import normalize_photo_bytes

def work(case):
    try:
        photo = normalize_photo_bytes(bytes.fromhex(case), "现场照片.jpg")
    except EvidenceError as err:
        return {"refused": str(err)}
    return {"size": [photo.width, photo.height], "thumb": [photo.thumb_width, photo.thumb_height],
            "jpeg": photo.image_jpeg[:2].hex()}
"""


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    cases = {}
    for seed, (base, data) in enumerate(_bases().items()):
        for n, mutant in enumerate(mutants(data, PER_BASE, seed=seed, tokens=TOKENS, inserts=INSERTS)):
            cases[f"{base} #{n}"] = mutant.hex()
    return run_bounded(_IMPORT, cases, memory_mb=1024, cpu_seconds=60 + 2 * len(cases))


@pytest.mark.slow
def test_every_mutant_is_imported_or_refused_in_chinese(results: dict[str, dict]) -> None:
    refused = 0
    for name, result in results.items():
        outcome = result["outcome"]
        if "refused" in outcome:
            refused += 1
            assert "“现场照片.jpg”" in outcome["refused"], (name, outcome)
        else:
            assert outcome.get("jpeg") == "ffd8", (name, outcome)
            assert max(outcome["size"]) <= 2048 and max(outcome["thumb"]) <= 320, (name, outcome)
        assert result["peak_growth_mb"] < 100 and result["cpu_seconds"] < 5, (name, result)
    assert refused > len(results) // 4  # the mutations do break files: the refusal path was exercised
