"""`python -m selfcheck.gui.district.screenshots OUT`: render every district page offscreen from a demo district.

At 1366×768 and, in a second process, at 150 % (1280×720 logical). The demo district (a few schools, signed
reports, a late one and a tampered one) is built once in a temporary folder and thrown away.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)
HIDPI = (1280, 720, 1.5)
SCHOOLS = 12
PAGES = (("roster", "名册与证书"), ("receive", "接收报告"), ("status", "上报情况"), ("comparison", "学校对比"),
         ("items", "问题最多的检查项"), ("rectification", "整改进度"), ("school", "单校详情"))


def _pump(ms: int = 50) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def render(out: Path, workspace: Path, reports: Path, *, scale: float) -> list[Path]:
    """Open `workspace` in a district window and save each page as `区县-NN-页面[@150%].png` in `out`."""
    from PySide6.QtCore import QSettings

    from selfcheck.gui.app import build_district_context, create_application
    from selfcheck.gui.district.window import DistrictWindow
    from selfcheck.gui.settings import AppSettings

    create_application([])
    out.mkdir(parents=True, exist_ok=True)
    settings = AppSettings(QSettings(str(Path(os.environ["SELFCHECK_HOME"]) / "settings.ini"),
                                     QSettings.Format.IniFormat))
    window = DistrictWindow(build_district_context(settings=settings, actor="截图"))
    width, height = (HIDPI[0], HIDPI[1]) if scale != 1.0 else SIZE
    window.resize(width, height)
    window.show()
    suffix = "@150%" if scale != 1.0 else ""
    written = []

    def shot(name: str) -> None:
        _pump()
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        written.append(path)

    shot("区县-00-欢迎")
    window.files.open_path(workspace)
    receive = window.show_page("receive")
    receive.receive([reports])  # every file again: the verdicts (all duplicates now) fill the table
    while window._ctx.tasks.busy:  # noqa: SLF001 - the screenshot tool waits for its own window's work
        _pump(100)
    for number, (name, title) in enumerate(PAGES, start=1):
        window.show_page(name)
        shot(f"区县-{number:02d}-{title}")
    window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把区县汇总核验的各页面渲染成 PNG 截图（1366×768，另加 150% 缩放）。")
    parser.add_argument("out", type=Path, help="保存截图的文件夹")
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--demo", type=Path, help=argparse.SUPPRESS)  # the demo district the first process built
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="selfcheck-district-shots-") as home:
        os.environ["SELFCHECK_HOME"] = str(Path(home) / "home")
        if args.scale != 1.0:
            os.environ["QT_SCALE_FACTOR"] = str(args.scale)
        demo = args.demo
        if demo is None:
            from selfcheck.district_demo import build_district

            demo = Path(home) / "demo"
            build_district(demo, SCHOOLS, say=print)
        workspace = next(demo.glob("*.district"))
        for path in render(args.out, workspace, demo / "学校报送的报告", scale=args.scale):
            print(path)
        if args.scale == 1.0:  # the scale factor is fixed when Qt starts: 150 % needs its own process
            return subprocess.call([sys.executable, "-m", "selfcheck.gui.district.screenshots", str(args.out),
                                    "--scale", str(HIDPI[2]), "--demo", str(demo)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
