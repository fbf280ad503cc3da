"""Draws the SelfCheck app icon (white check mark on a China-red rounded square) as .ico and .png."""

# Run with any Python that has Pillow, e.g. `.venv/bin/python packaging/make_icon.py`; the outputs are
# committed, so the build does not need to run this.

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw

RED = (0xC8, 0x10, 0x2E, 255)  # 中国红 #C8102E
WHITE = (255, 255, 255, 255)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)
PNG_SIZE = 256
SUPERSAMPLE = 8  # draw large, then downscale: smooth edges at every size

ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw_icon(size: int) -> Image.Image:
    """Return the icon drawn for a `size`×`size` pixel square, transparent outside the rounded square."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    # Tiny sizes get less margin and a bolder stroke so the mark stays legible.
    margin = round(big * (0.03 if size <= 24 else 0.06))
    radius = round(big * 0.2)
    draw.rounded_rectangle((margin, margin, big - margin - 1, big - margin - 1), radius=radius, fill=RED)
    stroke = round(big * (0.15 if size <= 24 else 0.11))
    points = [(0.26, 0.52), (0.43, 0.69), (0.75, 0.34)]
    xy = [(round(x * big), round(y * big)) for x, y in points]
    draw.line(xy, fill=WHITE, width=stroke, joint="curve")
    for x, y in (xy[0], xy[-1]):  # round caps
        r = stroke // 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(out_dir: Path = ICONS_DIR) -> tuple[Path, Path]:
    """Write selfcheck.ico (every size in ICO_SIZES) and selfcheck.png (256 px); returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: draw_icon(size) for size in ICO_SIZES}
    ico = out_dir / "selfcheck.ico"
    largest = images[max(ICO_SIZES)]
    others = [images[s] for s in ICO_SIZES if s != max(ICO_SIZES)]
    # Pillow uses an appended image of matching size as-is instead of downscaling the largest one.
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=others)
    png = out_dir / "selfcheck.png"
    images[PNG_SIZE].save(png, format="PNG", optimize=True)
    return ico, png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-dir", type=Path, default=ICONS_DIR)
    args = parser.parse_args(argv)
    for path in write_icons(args.out_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
