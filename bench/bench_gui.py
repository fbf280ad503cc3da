"""GUI benchmarks, each beside a baseline measured in the same run.

* Start-up to an interactive main window, started on a workbook of 20 inspections and 2,000 photos, vs a bare
  PySide6 QMainWindow start-up (both in fresh subprocesses, wall time from launch to the first event-loop turn
  after show). Target ratio <= 1.5. The workbook opens on a worker thread; the time until its inspections are
  listed and the dashboard (figures and chart) is shown on the home page: target ratio <= 2.5. That figure is with
  a CURRENT start-up snapshot of the home page (workbook/glance.py; the first, uncounted round writes it, as any
  earlier use of the workbook today would), so the page is filled before the workbook itself has opened; beside it
  the same start without a snapshot (cold: a fresh app folder each round), where the page waits for the open.
* Switching the fill-in view to a section of 40 items (the first item's thumbnails shown), vs filling a plain
  QTreeWidget with 40 rows and a QListWidget with the same thumbnails. Target <= 100 ms.
* Resident memory with that workbook open and the 40-item section shown, vs the bare QMainWindow. Target <= 250 MB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

INSPECTIONS = 20
PHOTOS = 2000
SECTION_ITEMS = 40
PHOTOS_PER_SECTION_ITEM = 2
STARTS = 7
SWITCHES = 20
TARGET_RATIO = 1.5
TARGET_CONTENT_RATIO = 2.5  # the inspections and the dashboard shown
TARGET_SWITCH_MS = 100.0
TARGET_RSS_MB = 250.0
ACTOR = "基准测试"

BARE = """
import json, resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("学校专项自查"))
window.resize(1366, 768)
window.show()
marks = {}
QTimer.singleShot(0, lambda: (marks.setdefault("window_at", time.time()), app.quit()))
app.exec()
print(json.dumps({"window_at": marks["window_at"], "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

# Report, signing, image and spreadsheet libraries load lazily; pydantic and sqlite-utils come with the workbook.
HEAVY = ("reportlab", "pyhanko", "PIL", "openpyxl", "cryptography", "yaml", "pydantic", "sqlite_utils")

OURS = """
import importlib.abc, importlib.util, json, resource, sys, time
marks, keep = {}, []
heavy_names = HEAVY_NAMES
real_launch = None
def launch(*args, **kwargs):  # run_gui's own launch, with the marks added once the window is shown
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    window = real_launch(*args, **kwargs)
    app = QApplication.instance()
    def interactive():  # the first event-loop turn after show: the window takes input from here on
        marks["window_at"] = time.time()
        marks["heavy_at_window"] = sorted(m for m in heavy_names if m in sys.modules)
    QTimer.singleShot(0, interactive)
    home = window.page("home")
    def poll():
        board = getattr(home, "dashboard", None)
        shown = board is not None and board.isVisible() and board.chart_view is not None
        if home.form.table.rowCount() and home.form.table.isVisible() and shown:
            marks["content_at"] = time.time()
            marks["rows"] = home.form.table.rowCount()
            marks["from_snapshot"] = home._session.workbook is None  # still opening: its snapshot is shown
            marks["heavy_at_content"] = sorted(m for m in heavy_names if m in sys.modules)
            app.quit()
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(2)
    keep.append(timer)
    return window
# Wrap selfcheck.gui.app.launch when the app itself imports that module, so every import happens in the app's
# own order (PySide6 reads the source of each module imported after it, so the order matters).
class PatchLaunch(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name != "selfcheck.gui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        self.real = spec.loader
        spec.loader = self
        return spec
    def create_module(self, spec):
        return self.real.create_module(spec)
    def exec_module(self, module):
        global real_launch
        self.real.exec_module(module)
        real_launch = module.launch
        module.launch = launch
sys.meta_path.insert(0, PatchLaunch())
from selfcheck.__main__ import main
code = main(["--workbook", sys.argv[1]])  # exactly `selfcheck --workbook PATH`: argument parsing, logging, window
print(json.dumps({**marks, "exit": code, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
""".replace("HEAVY_NAMES", repr(HEAVY))


def bench_checklist():
    """A checklist whose one section has SECTION_ITEMS yes/no items (the built-in sections are smaller)."""
    from selfcheck.checklists.models import Checklist

    items = [{
        "id": f"BIG-{n:03d}", "question": f"第{n}项：是否按规定建立并执行相关制度，台账记录完整、可追溯？",
        "guidance": "查阅制度文本和近一学期的台账记录，抽查三处。",
        "evidence": {"description": "制度文本和台账照片", "photo": "required"},
        "severity": "一般", "score": 1, "basis": [{"doc": "d"}],
    } for n in range(1, SECTION_ITEMS + 1)]
    return Checklist.model_validate({
        "id": "bench-big", "version": "1", "title": "大部分基准清单", "area": "N", "order": 99,
        "documents": [{"key": "d", "title": "基准文件"}],
        "sections": [{"id": "big", "title": "四十项的部分", "items": items},
                     {"id": "small", "title": "另一部分", "items": [dict(items[0], id="BIG-900")]}],
    })


def build_workbook(path: Path) -> int:
    """20 inspections over the built-in checklists plus the 40-item one; 2,000 photos; returns the newest id."""
    from selfcheck.checklists.loader import load_builtin_checklists
    from selfcheck.workbook.models import NewInspection, SchoolProfile
    from selfcheck.workbook.service import Workbook

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_workbook import small_jpegs

    checklists = [*load_builtin_checklists(), bench_checklist()]
    jpegs = small_jpegs(PHOTOS)
    big_items = [f"BIG-{n:03d}" for n in range(1, SECTION_ITEMS + 1)]
    with Workbook.create(path, actor=ACTOR) as wb:
        wb.save_school(SchoolProfile(name="基准测试学校"))
        ids = []
        for n in range(INSPECTIONS):
            start = date(2021, 9, 1) + timedelta(days=90 * n)
            ids.append(wb.inspections.create(NewInspection(
                title=f"第{n + 1}次自查", period_start=start, period_end=start + timedelta(days=30),
                checklist_ids=[c.id for c in checklists]), available=checklists).id)
        items = [i.id for c in checklists[:-1] for i in c.all_items() if i.answer.type == "yes_no" and not i.show_if]
        photo = 0
        with wb.batch():
            for item_id in big_items:  # the newest inspection's 40-item section: 2 photos per item
                for _ in range(PHOTOS_PER_SECTION_ITEM):
                    wb.photos.add_bytes(ids[-1], item_id, jpegs[photo], f"IMG_{photo:05d}.jpg", caption="现场照片")
                    photo += 1
        while photo < PHOTOS:
            with wb.batch():
                for _ in range(min(250, PHOTOS - photo)):
                    iid = ids[photo % INSPECTIONS]
                    wb.photos.add_bytes(iid, items[photo % len(items)], jpegs[photo], f"IMG_{photo:05d}.jpg")
                    wb.answers.set(iid, items[photo % len(items)], "是")
                    photo += 1
        return ids[-1]


def _run(code: str, *args: str, env: dict[str, str]) -> dict:
    """Run a child Python; its JSON result with the `*_at` wall-clock marks turned into ms since launch."""
    launched = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {k.replace("_at", "_ms") if k.endswith("_at") else k: (v - launched) * 1000 if k.endswith("_at") else v
            for k, v in result.items()}


def startup(workbook: Path, folder: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT / "src"))
    # An installed app runs from compiled bytecode (pip compiles on install, PyInstaller bundles .pyc): let the
    # uncounted first round write __pycache__ even where the environment asks Python not to.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ours_window, ours_content, cold_content, bare_ms = [], [], [], []
    last: dict = {}
    cold: dict = {}
    bare: dict = {}
    warm_home = folder / "home-warm"  # one app folder throughout: its snapshot, written by round 0, is current
    for n in range(STARTS + 1):  # the first round warms the disk cache (and writes the snapshot): not counted
        bare = _run(BARE, env=env)
        cold = _run(OURS, str(workbook), env=dict(env, SELFCHECK_HOME=str(folder / f"home{n}")))  # no snapshot
        last = _run(OURS, str(workbook), env=dict(env, SELFCHECK_HOME=str(warm_home)))
        assert last["exit"] == 0 and cold["exit"] == 0, (last, cold)
        assert not cold["from_snapshot"], cold
        if n:
            assert last["from_snapshot"], f"round {n}: the snapshot was not current: {last}"
            bare_ms.append(bare["window_ms"])
            ours_window.append(last["window_ms"])
            ours_content.append(last["content_ms"])
            cold_content.append(cold["content_ms"])
    assert last["rows"] == INSPECTIONS == cold["rows"], f"home page shows {last['rows']} / {cold['rows']} inspections"
    return {"ours_ms": statistics.median(ours_window), "content_ms": statistics.median(ours_content),
            "cold_content_ms": statistics.median(cold_content),
            "bare_ms": statistics.median(bare_ms), "heavy_at_window": last["heavy_at_window"],
            "heavy_at_content": last["heavy_at_content"], "cold_heavy_at_content": cold["heavy_at_content"],
            "bare_rss_mb": bare["rss_kb"] / 1024}


def section_switch(workbook: Path, inspection_id: int, folder: Path) -> dict[str, float]:
    """In-process: open the fill-in page and alternate between the 40-item section and a small one."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SELFCHECK_HOME"] = str(folder / "home")
    import resource

    from PySide6.QtCore import QSettings, QSize
    from PySide6.QtGui import QIcon, QPixmap
    from PySide6.QtWidgets import (
        QListWidget,
        QListWidgetItem,
        QTreeWidget,
        QTreeWidgetItem,
    )

    from selfcheck.gui.app import build_context, create_application
    from selfcheck.gui.main_window import MainWindow
    from selfcheck.gui.settings import AppSettings

    app = create_application([])
    settings = AppSettings(QSettings(str(folder / "switch.ini"), QSettings.Format.IniFormat))
    settings.first_run_done = True
    context = build_context(settings=settings)
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    window.start(workbook)
    while context.tasks.busy:  # opened on a worker thread
        app.processEvents()
        time.sleep(0.005)
    window.open_inspection(inspection_id)
    page = window.page("fill")
    app.processEvents()
    wb = context.session.require()

    def timed(action) -> float:
        start = time.perf_counter()
        action()
        app.processEvents()  # layout and paint are part of what the user waits for
        return (time.perf_counter() - start) * 1000

    cold = timed(lambda: page.show_section("bench-big", "big"))
    assert page.form.item_list.topLevelItemCount() == SECTION_ITEMS
    assert page.item_view.strip.list.count() == PHOTOS_PER_SECTION_ITEM
    warm = []
    for n in range(SWITCHES):
        timed(lambda: page.show_section("bench-big", "small"))
        # another first item each time, so its thumbnails are not all cached
        warm.append(timed(lambda n=n: page.show_section("bench-big", "big", select=f"BIG-{n % SECTION_ITEMS + 1:03d}")))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Baseline: the bare Qt work of showing 40 rows and the same thumbnails.
    tree, strip = QTreeWidget(), QListWidget()
    strip.setViewMode(QListWidget.ViewMode.IconMode)
    strip.setIconSize(QSize(128, 96))
    tree.show()
    strip.show()
    photos = wb.photos.all(inspection_id, "BIG-001")
    blobs = [wb.photos.thumbnail(p.id) for p in photos]

    def bare() -> None:
        tree.clear()
        for n in range(SECTION_ITEMS):
            tree.addTopLevelItem(QTreeWidgetItem([f"BIG-{n:03d}", "是否按规定建立并执行相关制度？", "是", "2"]))
        strip.clear()
        for blob in blobs:
            pixmap = QPixmap()
            pixmap.loadFromData(blob)
            strip.addItem(QListWidgetItem(QIcon(pixmap), "现场照片"))

    baseline = [timed(bare) for _ in range(SWITCHES)]
    window.close()
    return {"cold_ms": cold, "warm_ms": statistics.median(warm), "max_ms": max(warm),
            "baseline_ms": statistics.median(baseline), "rss_mb": rss_mb}


def main() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        folder = Path(tmp)
        workbook = folder / "big.selfcheck"
        started = time.perf_counter()
        inspection_id = build_workbook(workbook)
        print(f"built workbook: {INSPECTIONS} inspections, {PHOTOS} photos, "
              f"{workbook.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.0f} s", flush=True)
        start = startup(workbook, folder)
        switch = section_switch(workbook, inspection_id, folder)
    ratio = start["ours_ms"] / start["bare_ms"]
    content_ratio = start["content_ms"] / start["bare_ms"]
    cold_ratio = start["cold_content_ms"] / start["bare_ms"]
    print(f"start-up of `selfcheck --workbook PATH` to an interactive main window: {start['ours_ms']:.0f} ms vs bare"
          f" QMainWindow {start['bare_ms']:.0f} ms — ratio {ratio:.2f} (target <= {TARGET_RATIO}); libraries loaded"
          f" by then: {', '.join(start['heavy_at_window']) or 'none of ' + ', '.join(HEAVY)}")
    print(f"  … until the {INSPECTIONS} inspections are listed and the dashboard shown, with a current start-up"
          f" snapshot of the home page (the workbook still opening on a worker thread): {start['content_ms']:.0f} ms"
          f" — ratio {content_ratio:.2f} (target <= {TARGET_CONTENT_RATIO}); loaded by then:"
          f" {', '.join(start['heavy_at_content']) or 'none'}")
    print(f"  … the same without a snapshot (cold: shown once the workbook has opened): {start['cold_content_ms']:.0f}"
          f" ms — ratio {cold_ratio:.2f}; loaded by then: {', '.join(start['cold_heavy_at_content']) or 'none'}")
    print(f"switch to a {SECTION_ITEMS}-item section: {switch['warm_ms']:.1f} ms median, {switch['max_ms']:.1f} ms max,"
          f" first {switch['cold_ms']:.1f} ms vs bare Qt {switch['baseline_ms']:.1f} ms"
          f" — ratio {switch['warm_ms'] / switch['baseline_ms']:.1f} (target <= {TARGET_SWITCH_MS:.0f} ms)")
    print(f"resident memory with the workbook open: {switch['rss_mb']:.0f} MB peak"
          f" vs bare QMainWindow {start['bare_rss_mb']:.0f} MB (target <= {TARGET_RSS_MB:.0f} MB)")
    return {
        "startup_ms": round(start["ours_ms"]), "startup_baseline_ms": round(start["bare_ms"]),
        "startup_ratio": round(ratio, 2), "startup_ok": ratio <= TARGET_RATIO,
        "workbook_listed_ms": round(start["content_ms"]), "workbook_listed_ratio": round(content_ratio, 2),
        "workbook_listed_ok": content_ratio <= TARGET_CONTENT_RATIO,
        "workbook_listed_cold_ms": round(start["cold_content_ms"]), "workbook_listed_cold_ratio": round(cold_ratio, 2),
        "heavy_at_window": start["heavy_at_window"], "heavy_at_content": start["heavy_at_content"],
        "section_switch_ms": round(switch["warm_ms"], 1), "section_switch_max_ms": round(switch["max_ms"], 1),
        "section_switch_first_ms": round(switch["cold_ms"], 1),
        "section_switch_baseline_ms": round(switch["baseline_ms"], 1),
        "section_switch_ok": switch["max_ms"] <= TARGET_SWITCH_MS and switch["cold_ms"] <= TARGET_SWITCH_MS,
        "rss_mb": round(switch["rss_mb"]), "rss_baseline_mb": round(start["bare_rss_mb"]),
        "rss_ok": switch["rss_mb"] <= TARGET_RSS_MB,
    }


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=2))
