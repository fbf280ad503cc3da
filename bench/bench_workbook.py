"""Workbook benchmarks: answer write latency in a large workbook, and opening it vs opening an empty one.

The large workbook holds 2,000 photos and 20,000+ audit entries, built through the service (in batches). Each
figure is printed beside a baseline measured in the same run:
  * answer write p50/p99 vs a bare sqlite3 INSERT + COMMIT with the same pragmas (WAL, synchronous=FULL);
  * open time of the large workbook vs an empty one (target ratio <= 1.2).
"""

from __future__ import annotations

import io
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from selfcheck.checklists.models import Checklist  # noqa: E402
from selfcheck.workbook.models import NewInspection  # noqa: E402
from selfcheck.workbook.service import Workbook  # noqa: E402

PHOTOS = 2000
AUDIT_ENTRIES = 20000
ITEMS = 200
WRITES = 400
OPENS = 60
ACTOR = "基准测试"


def bench_checklist(items: int = ITEMS) -> Checklist:
    """A synthetic checklist of yes/no items, 20 per section."""
    sections = []
    for s in range(items // 20):
        sections.append({
            "id": f"s{s}", "title": f"第{s + 1}部分",
            "items": [{
                "id": f"BEN-{s * 20 + i + 1:03d}", "question": f"第{s * 20 + i + 1}项是否符合要求？",
                "guidance": "查看台账。", "evidence": {"description": "现场照片", "photo": "optional"},
                "severity": "一般", "score": 2, "basis": [{"doc": "d"}],
            } for i in range(20)],
        })
    return Checklist.model_validate({
        "id": "bench", "version": "1", "title": "基准清单", "area": "N", "order": 1,
        "documents": [{"key": "d", "title": "基准文件"}], "sections": sections,
    })


def small_jpegs(count: int, seed: int = 7) -> list[bytes]:
    """Distinct small JPEGs (320x240 noise with a coloured block) so every photo has its own hash."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    base = Image.effect_noise((320, 240), 12).convert("RGB")
    result = []
    for n in range(count):
        image = base.copy()
        ImageDraw.Draw(image).rectangle([n % 300, (n // 300) % 220, n % 300 + 20, (n // 300) % 220 + 20],
                                        fill=(rng.randint(0, 255), rng.randint(0, 255), n % 256))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        result.append(out.getvalue())
    return result


def build_large(path: Path) -> tuple[int, list[str]]:
    checklist = bench_checklist()
    items = [item.id for item in checklist.all_items()]
    with Workbook.create(path, actor=ACTOR) as wb:
        inspection = wb.inspections.create(NewInspection(
            title="基准", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
            checklist_ids=["bench"]), available=[checklist])
        photos = small_jpegs(PHOTOS)
        for start in range(0, PHOTOS, 250):
            with wb.batch():
                for n in range(start, min(PHOTOS, start + 250)):
                    wb.photos.add_bytes(inspection.id, items[n % len(items)], photos[n], f"IMG_{n:05d}.jpg")
        n = 0
        while wb.audit.head()[1] < AUDIT_ENTRIES:
            with wb.batch():
                for _ in range(1000):
                    wb.answers.set(inspection.id, items[n % len(items)], "是" if (n // len(items)) % 2 else "否")
                    n += 1
        return inspection.id, items


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def answer_latency(path: Path, inspection_id: int, items: list[str]) -> list[float]:
    timings = []
    with Workbook.open(path, actor=ACTOR) as wb:
        for n in range(WRITES):
            value = "否" if n % 3 == 0 else "是"
            start = time.perf_counter()
            wb.answers.set(inspection_id, items[(n * 7) % len(items)], value, note=f"基准 {n}")
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def baseline_latency(folder: Path) -> list[float]:
    conn = sqlite3.connect(str(folder / "baseline.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE answers (inspection_id INTEGER, item_id TEXT, value TEXT, note TEXT, at TEXT,"
                 " PRIMARY KEY (inspection_id, item_id))")
    timings = []
    for n in range(WRITES):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT OR REPLACE INTO answers VALUES (1, ?, ?, ?, ?)",
                     (f"BEN-{n % ITEMS:03d}", "no", f"基准 {n}", time.time()))
        conn.execute("COMMIT")
        timings.append((time.perf_counter() - start) * 1000)
    conn.close()
    return timings


def open_time(path: Path) -> float:
    """Time to open for writing (lock, checks, pragmas); closing is not counted."""
    start = time.perf_counter()
    wb = Workbook.open(path, actor=ACTOR)
    elapsed = (time.perf_counter() - start) * 1000
    wb.close()
    return elapsed


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as tmp:
        folder = Path(tmp)
        large, empty = folder / "large.selfcheck", folder / "empty.selfcheck"
        started = time.perf_counter()
        inspection_id, items = build_large(large)
        Workbook.create(empty, actor=ACTOR).close()
        with Workbook.open(large, actor=ACTOR, read_only=True) as wb:
            info = wb.info()
        print(f"large workbook: {info.photos} photos, {info.audit_entries} audit entries, "
              f"{info.file_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s")

        ours = answer_latency(large, inspection_id, items)
        base = baseline_latency(folder)
        p50, p99 = statistics.median(ours), percentile(ours, 0.99)
        b50, b99 = statistics.median(base), percentile(base, 0.99)
        print(f"answer write: p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 <= 15 ms) | "
              f"baseline bare INSERT+COMMIT p50 {b50:.2f} ms, p99 {b99:.2f} ms | ratio p50 {p50 / b50:.1f}x, "
              f"p99 {p99 / b99:.1f}x")

        open_time(large), open_time(empty)  # warm the page cache for both alike
        large_times, empty_times = [], []
        for _ in range(OPENS):
            large_times.append(open_time(large))
            empty_times.append(open_time(empty))
        lo, eo = statistics.median(large_times), statistics.median(empty_times)
        print(f"open: large {lo:.2f} ms vs empty {eo:.2f} ms (median of {OPENS}) | ratio {lo / eo:.2f} "
              "(target <= 1.2)")
        return {
            "photos": info.photos, "audit_entries": info.audit_entries, "file_mb": round(info.file_size / 1e6, 1),
            "answer_p50_ms": round(p50, 2), "answer_p99_ms": round(p99, 2),
            "baseline_p50_ms": round(b50, 2), "baseline_p99_ms": round(b99, 2),
            "answer_p99_target_ms": 15, "answer_p99_ok": p99 <= 15,
            "open_large_ms": round(lo, 2), "open_empty_ms": round(eo, 2), "open_ratio": round(lo / eo, 2),
            "open_ratio_target": 1.2, "open_ratio_ok": lo / eo <= 1.2,
        }


if __name__ == "__main__":
    main()
