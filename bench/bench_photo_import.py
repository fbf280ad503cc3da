"""Photo import speed: normalize_photo on 4000x3000 phone-like JPEGs beside plain Pillow open + resize + save."""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageChops

TARGET_MS = 150.0
TARGET_RATIO = 1.3
LONG_EDGE = 2048


def _texture(size: tuple[int, int], seed: int) -> Image.Image:
    """Gradients, blotches and fine noise: compresses to about 3-4 MB per 12 MP like a real phone photo."""
    rng = random.Random(seed)
    width, height = size
    bands = []
    for _ in range(3):
        gradient = Image.linear_gradient("L").rotate(rng.randrange(360)).resize(size)
        blotches = Image.effect_noise((width // 16, height // 16), 70).resize(size, Image.Resampling.BICUBIC)
        grain = Image.effect_noise(size, 18)
        bands.append(Image.blend(Image.blend(gradient, blotches, 0.5), grain, 0.25))
    return Image.merge("RGB", bands)


def make_photos(folder: Path, count: int, size: tuple[int, int] = (4000, 3000)) -> list[Path]:
    """Write `count` distinct JPEGs (quality 92, EXIF capture time; orientation 6 on every third, as a phone held
    upright writes it) and return their paths."""
    base = _texture(size, seed=1)
    rng = random.Random(2)
    paths = []
    for index in range(count):
        im = ImageChops.offset(base, rng.randrange(size[0]), rng.randrange(size[1]))
        exif = Image.Exif()
        exif[0x010F] = "BenchCam"
        exif[0x0112] = 6 if index % 3 == 0 else 1
        exif.get_ifd(0x8769)[0x9003] = f"2024:05:{1 + index % 28:02d} 09:{index % 60:02d}:00"
        path = folder / f"IMG_{index:04d}.jpg"
        im.save(path, "JPEG", quality=92, exif=exif)
        paths.append(path)
    return paths


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def plain_pillow(path: Path) -> bytes:
    """The baseline: what a straightforward Pillow script does (full decode, default resize filter)."""
    with Image.open(path) as im:
        small = im.resize(_fit(im.size, LONG_EDGE))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def draft_pillow(path: Path) -> bytes:
    """A second, tougher reference: Pillow with draft() but none of the checks, orientation or thumbnail."""
    with Image.open(path) as im:
        im.draft("RGB", (im.width // 2, im.height // 2))
        small = im.resize(_fit(im.size, LONG_EDGE)) if max(im.size) > LONG_EDGE else im.copy()
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _ms_per_photo(function: Callable[[Path], object], paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        function(path)
    return (time.perf_counter() - start) * 1000 / len(paths)


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Run the benchmark and return its figures (milliseconds per photo, ratio, targets met)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20, help="number of photos (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the median is reported (default 3)")
    parser.add_argument("--keep", type=Path, help="also write the normalised photos into this folder to look at")
    args = parser.parse_args([] if argv is None else argv)

    from selfcheck.evidence import normalize_photo

    def ours(path: Path) -> object:
        return normalize_photo(path)

    with tempfile.TemporaryDirectory(prefix="selfcheck-bench-") as tmp:
        started = time.perf_counter()
        paths = make_photos(Path(tmp), args.count)
        megabytes = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        took = time.perf_counter() - started
        print(f"generated {len(paths)} photos 4000x3000 ({megabytes:.1f} MB each) in {took:.1f} s")

        for function in (plain_pillow, draft_pillow, ours):  # warm up: imports, lazy plugin loading, caches
            function(paths[0])
        timings: dict[str, list[float]] = {"ours": [], "plain": [], "draft": []}
        for _ in range(args.rounds):
            # Interleaved so that any drift in machine speed hits every method alike.
            timings["plain"].append(_ms_per_photo(plain_pillow, paths))
            timings["ours"].append(_ms_per_photo(ours, paths))
            timings["draft"].append(_ms_per_photo(draft_pillow, paths))

        sample = normalize_photo(paths[0])
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in paths[:3]:
                photo = normalize_photo(path)
                (args.keep / f"{path.stem}.jpg").write_bytes(photo.image_jpeg)
                (args.keep / f"{path.stem}_thumb.jpg").write_bytes(photo.thumb_jpeg)
                (args.keep / f"{path.stem}_plain.jpg").write_bytes(plain_pillow(path))

    ours_ms = statistics.median(timings["ours"])
    plain_ms = statistics.median(timings["plain"])
    draft_ms = statistics.median(timings["draft"])
    ratio = ours_ms / plain_ms
    result: dict[str, object] = {
        "photos": len(paths),
        "rounds": args.rounds,
        "ours_ms_per_photo": round(ours_ms, 1),
        "plain_pillow_ms_per_photo": round(plain_ms, 1),
        "ratio_vs_plain": round(ratio, 2),
        "draft_pillow_ms_per_photo": round(draft_ms, 1),
        "ratio_vs_draft": round(ours_ms / draft_ms, 2),
        "stored_size": [sample.width, sample.height],
        "stored_kb": round(len(sample.image_jpeg) / 1024),
        "target_ms": TARGET_MS,
        "target_ratio": TARGET_RATIO,
        "meets_targets": ours_ms <= TARGET_MS and ratio <= TARGET_RATIO,
    }
    print(f"normalize_photo:                  {ours_ms:7.1f} ms/photo (upright, checked, stored JPEG + thumbnail)")
    print(f"plain Pillow open+resize+save:    {plain_ms:7.1f} ms/photo  -> ratio {ratio:.2f} "
          f"(target <= {TARGET_RATIO})")
    print(f"Pillow with draft(), no checks:   {draft_ms:7.1f} ms/photo  -> ratio {ours_ms / draft_ms:.2f} "
          "(for reference)")
    verdict = "met" if result["meets_targets"] else "NOT met"
    print(f"targets (<= {TARGET_MS:.0f} ms/photo, <= {TARGET_RATIO}x plain): {verdict}")
    return result


if __name__ == "__main__":
    outcome = main(sys.argv[1:])
    sys.exit(0 if outcome["meets_targets"] else 1)
