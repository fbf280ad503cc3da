"""Export + sign a ~120-item inspection with 200 photos, against a bare reportlab document placing the same JPEGs."""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the report factory lives in tests/

PHOTOS = 200
PHOTO_SIZE = (2048, 1536)  # like stored photos: long edge capped around 2000 px
TARGET_SECONDS = 15.0
TARGET_RATIO = 3.0


def bare_reportlab(jpegs: list[tuple[bytes, int, int]], out: Path) -> float:
    """Seconds for a plain platypus document that only places the JPEGs (two per row), useA85 off."""
    import reportlab.rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Image, SimpleDocTemplate, Table

    reportlab.rl_config.useA85 = 0
    started = time.perf_counter()
    cells = []
    for data, width, height in jpegs:
        scale = min(222 / width, 150 / height)
        cells.append(Image(io.BytesIO(data), width=width * scale, height=height * scale))
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    doc = SimpleDocTemplate(str(out), pagesize=A4)
    doc.build([Table(rows, colWidths=[232.5, 232.5])])
    return time.perf_counter() - started


def reportlab_floor(jpegs: list[tuple[bytes, int, int]], folder: Path, out: Path) -> float:
    """Seconds for the fastest stock reportlab path: JPEG *files* (named by path, so never decoded), one per flowable.

    The files are written before the clock starts; this is the floor any report with these photos pays.
    """
    import reportlab.rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Image, SimpleDocTemplate, Table

    reportlab.rl_config.useA85 = 0
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (data, width, height) in enumerate(jpegs):
        path = folder / f"{n:04d}.jpg"
        path.write_bytes(data)
        paths.append((path, width, height))
    started = time.perf_counter()
    cells = []
    for path, width, height in paths:
        scale = min(222 / width, 150 / height)
        cells.append(Image(str(path), width=width * scale, height=height * scale))
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    SimpleDocTemplate(str(out), pagesize=A4).build([Table(rows, colWidths=[232.5, 232.5])])
    return time.perf_counter() - started


def main() -> dict[str, object]:
    import os

    from selfcheck.report.export import export_report
    from tests.report.factory import make_sample
    from tests.report.fixtures import create_key, make_seal_png

    cache = ROOT / "build" / "bench-cache" / "photos"
    with tempfile.TemporaryDirectory(prefix="selfcheck-bench-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("SELFCHECK_HOME", str(work / "home"))
        started = time.perf_counter()
        sample = make_sample(photos=PHOTOS, photo_size=PHOTO_SIZE, jpeg_cache=cache)
        prepare = time.perf_counter() - started
        key = create_key(work)
        seal = make_seal_png(work / "seal.png")
        photo_bytes = sum(len(b) for b in sample.jpegs.values())

        # Warm-up on a tiny report: imports, font discovery and the stamp-font cache are one-off costs of a session.
        tiny = make_sample(photos=1, photo_size=(320, 240))
        export_report(tiny.data, tiny.photo_loader, work / "warm.pdf", key_path=key.p12, password=key.password,
                      seal_image=seal)

        jpegs = [(sample.jpegs[p.id], p.width, p.height) for p in sample.data.photos]
        baseline = bare_reportlab(jpegs, work / "bare.pdf")
        floor = reportlab_floor(jpegs, work / "jpegs", work / "floor.pdf")

        # The app opens the key when the password is entered (its own step, PBKDF2 by design), then exports with
        # the opened key: the same two steps here, timed apart.
        from selfcheck.signing.keys import load_key

        started = time.perf_counter()
        opened = load_key(key.p12, key.password)
        key_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result = export_report(sample.data, sample.photo_loader, work / "report.pdf", key=opened, seal_image=seal)
        seconds = time.perf_counter() - started

        started = time.perf_counter()
        from selfcheck.signing.keys import read_certificates
        from selfcheck.verification.identity import pins_from_certificates
        from selfcheck.verification.report import verify_report

        verified = verify_report(result.path, pins_from_certificates(read_certificates(key.cer)))
        verify_seconds = time.perf_counter() - started

    ratio = seconds / baseline
    figures: dict[str, object] = {
        "items": sample.data.totals.items,
        "checklists": len(sample.data.checklists),
        "problems": len(sample.data.problems),
        "photos": PHOTOS,
        "photo_mb": round(photo_bytes / 1e6, 1),
        "pages": result.pages,
        "pdf_mb": round(result.size / 1e6, 1),
        "export_sign_seconds": round(seconds, 2),
        "bare_reportlab_seconds": round(baseline, 2),
        "ratio": round(ratio, 2),
        "reportlab_floor_seconds": round(floor, 2),
        "ratio_to_floor": round(seconds / floor, 2),
        "open_key_seconds": round(key_seconds, 2),
        "ratio_to_floor_with_key": round((seconds + key_seconds) / floor, 2),
        "verify_seconds": round(verify_seconds, 2),
        "verified": verified.ok,
        "sample_prepare_seconds": round(prepare, 1),
        "target": f"≤ {TARGET_SECONDS:g} s and ratio ≤ {TARGET_RATIO:g}",
        "meets_target": seconds <= TARGET_SECONDS and ratio <= TARGET_RATIO,
    }
    print(f"export+sign {seconds:.2f} s for {PHOTOS} photos ({figures['photo_mb']} MB) and "
          f"{figures['items']} items -> {result.pages} pages, {figures['pdf_mb']} MB; bare reportlab {baseline:.2f} s; "
          f"ratio {ratio:.2f} (target {figures['target']}); stock-reportlab floor (JPEG files) {floor:.2f} s, "
          f"ratio {seconds / floor:.2f} (target ≤ 2.0; with opening the key {key_seconds:.2f} s: "
          f"{(seconds + key_seconds) / floor:.2f}); verify {verify_seconds:.2f} s", flush=True)
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(main(), ensure_ascii=False, indent=2))
